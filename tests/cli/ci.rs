//! `examples/ci/mint-ci.sh` on the example study split into two batches:
//! a first run, an unchanged run that checks agreement with a hand-coded
//! sample, then a second batch that changes the results (exit 1, with a
//! diff naming the new participants).

use std::path::Path;
use std::process::Command;

use crate::util::{mint, root, run};

/// Runs the script on `transcripts`, results in `results`.
fn ci(dir: &Path, hand: Option<&Path>) -> (String, String, i32) {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("examples/ci/mint-ci.sh"))
        .arg(dir.join("transcripts"))
        .arg(dir.join("results"))
        .args(hand)
        .env("MINT", assert_cmd::cargo::cargo_bin!("mint"))
        .env("CACHE", dir.join("cache"))
        .env("ATTRIBUTES", root().join("examples/participants.csv"))
        .current_dir(dir);
    run(&mut cmd)
}

// See: #18 ("A test runs the shell script on the example study split into
// two batches")
#[test]
fn the_ci_script_codes_a_batch_diffs_it_and_checks_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let transcripts = dir.path().join("transcripts");
    std::fs::create_dir(&transcripts).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(root().join("examples/transcripts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let (first, second) = files.split_at(files.len() / 2);
    let copy = |batch: &[std::path::PathBuf]| {
        for f in batch {
            std::fs::copy(f, transcripts.join(f.file_name().unwrap())).unwrap();
        }
    };
    copy(first);

    let (stdout, stderr, code) = ci(dir.path(), None);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("first run"), "{stdout}");
    let results = dir.path().join("results");
    for name in ["results.json", "matrix.csv", "codings.csv"] {
        assert!(results.join(name).is_file(), "{name}");
    }

    // A hand-coded sample: here, mint's own codings of the first batch.
    let hand = dir.path().join("hand.csv");
    let (_, stderr, code) = run(mint()
        .args(["--raw-csv", "code"])
        .arg(&transcripts)
        .arg("--codings")
        .arg(&hand));
    assert_eq!(code, 0, "{stderr}");
    let (stdout, stderr, code) = ci(dir.path(), Some(&hand));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("results unchanged"), "{stdout}");
    assert!(stdout.contains("agreement with"), "{stdout}");

    // The second batch changes the results: exit 1, and the diff names
    // its participants, not the first batch's.
    copy(second);
    let (stdout, stderr, code) = ci(dir.path(), None);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("results changed"), "{stdout}");
    let diff = std::fs::read_to_string(results.join("diff.txt")).unwrap();
    let stem = |f: &std::path::PathBuf| f.file_stem().unwrap().to_str().unwrap().to_string();
    assert!(second.iter().any(|f| diff.contains(&stem(f))), "{diff}");
    assert!(!first.iter().any(|f| diff.contains(&stem(f))), "{diff}");

    // Committed, the next run is quiet again.
    let (stdout, stderr, code) = ci(dir.path(), None);
    assert_eq!(code, 0, "{stdout}{stderr}");
}
