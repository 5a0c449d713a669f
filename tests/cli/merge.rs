//! `mint merge`: shards merge into exactly the single run's table.

use std::fs;

use crate::util::{mint, run};

#[test]
fn merging_shards_equals_one_run_over_all_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, all) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("all"),
    );
    for d in [&a, &b, &all] {
        fs::create_dir(d).unwrap();
    }
    for entry in fs::read_dir("examples/transcripts").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        let shard = if name.to_string_lossy().starts_with('A') {
            &a
        } else {
            &b
        };
        fs::copy(&path, shard.join(&name)).unwrap();
        fs::copy(&path, all.join(&name)).unwrap();
    }
    // A follow-up interview of S1 lands in the other shard: S1 must stay one
    // participant, with the references of both files.
    fs::copy("examples/transcripts/S1.txt", a.join("S1-followup.txt")).unwrap();
    fs::copy("examples/transcripts/S1.txt", all.join("S1-followup.txt")).unwrap();

    let json = |dir: &std::path::Path| {
        let (stdout, stderr, code) = run(mint().args(["code", "--format", "json", "-q"]).arg(dir));
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    fs::write(dir.path().join("a.json"), json(&a)).unwrap();
    fs::write(dir.path().join("b.json"), json(&b)).unwrap();
    let single = json(&all);
    for format in ["json", "csv", "table"] {
        let (merged, stderr, code) = run(mint()
            .args(["merge", "--format", format])
            .arg(dir.path().join("a.json"))
            .arg(dir.path().join("b.json")));
        assert_eq!(code, 0, "{stderr}");
        let (direct, _, _) = run(mint().args(["code", "--format", format, "-q"]).arg(&all));
        assert_eq!(merged, direct, "{format}");
    }
    let v: serde_json::Value = serde_json::from_str(&single).unwrap();
    assert_eq!(
        v["summary"]["participants"], 24,
        "S1 is one participant across shards"
    );
    assert_eq!(v["summary"]["files"], 25);
}

#[test]
fn shards_of_different_codebooks_do_not_merge() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _, _) = run(mint().args(["code", "examples/transcripts", "--format", "json", "-q"]));
    let (b, _, _) = run(mint().args([
        "code",
        "tests/data/basic/transcripts",
        "--codebook",
        "tests/data/basic/codebook.toml",
        "--format",
        "json",
        "-q",
    ]));
    fs::write(dir.path().join("a.json"), a).unwrap();
    fs::write(dir.path().join("b.json"), b).unwrap();
    let (_, stderr, code) = run(mint()
        .arg("merge")
        .arg(dir.path().join("a.json"))
        .arg(dir.path().join("b.json")));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("were coded with different codebooks"),
        "{stderr}"
    );
}
