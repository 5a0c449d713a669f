//! `mint codebook show|init`.

use std::fs;

use crate::util::{mint, parse_csv, run};

#[test]
fn init_writes_the_default_codebook_and_it_loads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.toml");
    let (_, stderr, code) = run(mint().args(["codebook", "init"]).arg(&path));
    assert_eq!(code, 0, "{stderr}");
    let written = fs::read_to_string(&path).unwrap();
    assert!(
        written == fs::read_to_string("codebooks/mint.toml").unwrap(),
        "init writes codebooks/mint.toml verbatim"
    );
    // Refuses to overwrite without --force.
    let (_, stderr, code) = run(mint().args(["codebook", "init"]).arg(&path));
    assert_eq!(code, 2);
    assert!(stderr.contains("exists; pass --force"), "{stderr}");
    // The written file gives the same table as the embedded codebook.
    let with_file = run(mint()
        .args([
            "code",
            "examples/transcripts",
            "--format",
            "csv",
            "--codebook",
        ])
        .arg(&path));
    let embedded = run(mint().args(["code", "examples/transcripts", "--format", "csv"]));
    assert_eq!(with_file.0, embedded.0);
}

#[test]
fn show_lists_six_themes_and_their_codes() {
    let (stdout, stderr, code) = run(mint().args(["codebook", "show", "--format", "csv"]));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(&header[..4], ["theme", "code", "label", "origin"]);
    let mut themes: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    themes.dedup();
    assert_eq!(
        themes,
        [
            "vision",
            "organisation",
            "professional_boundaries",
            "hr_it",
            "day_to_day_delivery",
            "measuring_impact"
        ]
    );
    assert!(
        rows.iter().all(|r| !r[7].is_empty()),
        "every code has patterns"
    );
}

#[test]
fn show_json_round_trips_as_a_json_codebook() {
    let (stdout, _, code) = run(mint().args(["codebook", "show", "--format", "json"]));
    assert_eq!(code, 0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.json");
    fs::write(&path, &stdout).unwrap_or_default();
    // schema_version is not a codebook field; drop it to get a codebook file.
    let mut v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    v.as_object_mut().unwrap().remove("schema_version");
    fs::write(&path, v.to_string()).unwrap();
    let from_json = run(mint()
        .args([
            "code",
            "examples/transcripts",
            "--format",
            "csv",
            "--codebook",
        ])
        .arg(&path));
    let embedded = run(mint().args(["code", "examples/transcripts", "--format", "csv"]));
    assert_eq!(from_json.2, 0, "{}", from_json.1);
    assert_eq!(from_json.0, embedded.0);
}
