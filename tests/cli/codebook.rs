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

#[test]
fn check_reports_every_problem_at_once_with_a_pointer() {
    let (stdout, stderr, code) =
        run(mint().args(["codebook", "check", "tests/data/check/bad.toml"]));
    assert_eq!(code, 1, "{stderr}");
    for expected in [
        "tests/data/check/bad.toml:4:1: error: unknown key `colour` in [codebook]",
        "tests/data/check/bad.toml:12:24: error: code \"systems\": pattern \"re:(unclosed\": invalid regex: unclosed group at character 1 of the regex",
        "tests/data/check/bad.toml:12:40: error: code \"systems\": empty pattern",
        "tests/data/check/bad.toml:15:6: error: code \"systems\" is defined twice (first at line 9)",
        "tests/data/check/bad.toml:21:9: error: code \"records\" names theme \"it\", which does not exist",
        "tests/data/check/bad.toml:22:13: error: code \"records\": pattern \"re:[^\\\\s\\\\S]\" can never match",
        "tests/data/check/bad.toml:23:1: error: unknown key `paterns` in a code",
        "tests/data/check/bad.toml:28:10: error: code \"notes\" names parent \"nowhere\", which does not exist",
        "tests/data/check/bad.toml:29:13: warning: pattern \"shared record*\" is in codes \"records\" and \"notes\"",
        "tests/data/check/bad.toml:29:31: warning: code \"notes\" pattern \"shared records system\" contains code \"records\" pattern \"shared record*\"",
        "tests/data/check/bad.toml: 1 themes, 4 codes: 8 errors, 3 warnings",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    insta::assert_snapshot!(stdout);
}

#[test]
fn check_passes_the_default_codebook_and_fails_unparsable_toml() {
    let (stdout, _, code) =
        run(mint().args(["codebook", "check", "codebooks/mint.toml", "--no-warnings"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.ends_with("codebooks/mint.toml: 6 themes, 38 codes: 0 errors, 0 warnings\n"),
        "{stdout}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.toml");
    fs::write(&path, "[[themes]\nid = \"t\"\n").unwrap();
    let (stdout, _, code) = run(mint().args(["codebook", "check"]).arg(&path));
    assert_eq!(code, 1);
    assert!(stdout.contains("x.toml:1:"), "{stdout}");
    assert!(stdout.contains(": error: "), "{stdout}");
}

#[test]
fn codebooks_extend_the_default_and_clashing_ids_name_both_places() {
    let (stdout, stderr, code) = run(mint().args([
        "code",
        "tests/data/messy/transcripts/good.txt",
        "--codebook",
        "default",
        "--codebook",
        "tests/data/extend/extra.toml",
        "--format",
        "csv",
        "--by",
        "",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (_, rows) = parse_csv(&stdout);
    let themes: Vec<&str> = rows
        .iter()
        .filter(|r| r[1].is_empty())
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(
        themes.len(),
        7,
        "six default themes and the new one: {themes:?}"
    );
    assert_eq!(themes[6], "virtual_wards");
    assert!(rows.iter().any(|r| r[1] == "smartcards" && r[0] == "hr_it"));

    // An extension file checks clean against what it extends, not alone.
    let (stdout, _, code) = run(mint().args([
        "codebook",
        "check",
        "tests/data/extend/extra.toml",
        "--extends",
        "default",
    ]));
    assert_eq!(code, 0, "{stdout}");
    let (stdout, _, code) = run(mint().args(["codebook", "check", "tests/data/extend/extra.toml"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("names theme \"hr_it\", which does not exist"),
        "{stdout}"
    );

    let (_, stderr, code) = run(mint().args([
        "code",
        "tests/data/messy/transcripts/good.txt",
        "--codebook",
        "default",
        "--codebook",
        "tests/data/extend/clash.toml",
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("code \"colocation\" is defined in (default codebook):")
            && stderr.contains("and again in tests/data/extend/clash.toml:4"),
        "{stderr}"
    );
}

#[test]
fn codebook_test_runs_examples_and_counterexamples() {
    let (stdout, _, code) = run(mint().args(["codebook", "test"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.ends_with("0 failed\n"), "{stdout}");
    let (stdout, _, code) = run(mint().args([
        "codebook",
        "test",
        "default",
        "tests/data/extend/extra.toml",
    ]));
    assert_eq!(code, 0, "{stdout}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("failing.toml");
    fs::write(
        &path,
        "[[themes]]\nid = \"t\"\n[[codes]]\nid = \"gp\"\ntheme = \"t\"\npatterns = [\"GP\"]\n\
         examples = [\"the gp came\"]\ncounterexamples = [\"GP training\"]\n",
    )
    .unwrap();
    let (stdout, _, code) = run(mint().args(["codebook", "test"]).arg(&path));
    assert_eq!(code, 1);
    assert!(stdout.contains("FAIL gp: example \"the gp came\"\n     is not coded: none of its patterns matched (no code matched)"), "{stdout}");
    assert!(stdout.contains("FAIL gp: counterexample \"GP training\"\n     is coded: pattern \"GP\" of \"gp\" matched \"GP\""), "{stdout}");
    assert!(
        stdout.ends_with("2 examples and counterexamples, 2 failed\n"),
        "{stdout}"
    );
}

#[test]
fn writing_into_a_missing_folder_is_an_error_that_names_the_file_not_a_temporary() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing/dir/study.toml");
    let (_, stderr, code) = run(mint().args(["codebook", "init", "--force"]).arg(&path));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "mint: cannot write {}: its folder does not exist\n",
            path.display()
        )
    );
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn check_background_warns_about_a_generic_pattern_and_not_a_specific_one() {
    let book = "tests/data/background/generic.toml";
    for extra in [&["--background"][..], &["--background", "default"][..]] {
        let (stdout, stderr, code) = run(mint().args(["codebook", "check", book]).args(extra));
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.starts_with("background: ") && stdout.contains(" from the shipped background\n"),
            "{stdout}"
        );
        assert!(
            stdout.contains(&format!(
                "{book}:8:13: warning: code \"days\" pattern \"day\" fires in "
            )),
            "{stdout}"
        );
        assert!(!stdout.contains("pattern \"rota gap*\""), "{stdout}");
        assert!(
            stdout.ends_with("1 themes, 1 codes: 0 errors, 1 warning\n"),
            "{stdout}"
        );
    }
    // A file of the user's own; two sentences of four is above any threshold below 1/2.
    let (stdout, _, code) = run(mint().args([
        "codebook",
        "check",
        book,
        "--background",
        "tests/data/background/offtopic.txt",
        "--max-background-rate",
        "0.4",
    ]));
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
    // A folder, and a threshold the pattern stays under.
    let (stdout, _, code) = run(mint().args([
        "codebook",
        "check",
        book,
        "--background",
        "tests/data/background",
        "--max-background-rate",
        "1/2",
    ]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("background: 4 sentences in 1 file from tests/data/background\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("0 errors, 0 warnings\n"), "{stdout}");
    // Without the flag, nothing about the background.
    let (stdout, _, _) = run(mint().args(["codebook", "check", book]));
    assert_eq!(
        stdout,
        format!("{book}: 1 themes, 1 codes: 0 errors, 0 warnings\n")
    );
}

#[test]
fn check_background_rejects_bad_rates_and_missing_files() {
    let book = "tests/data/background/generic.toml";
    for rate in ["0", "2", "1/0", "often"] {
        let (_, stderr, code) = run(mint().args([
            "codebook",
            "check",
            book,
            "--background",
            "default",
            "--max-background-rate",
            rate,
        ]));
        assert_eq!(code, 2, "{rate}: {stderr}");
        assert!(stderr.contains("is not a rate"), "{stderr}");
    }
    let (_, stderr, code) =
        run(mint().args(["codebook", "check", book, "--background", "nowhere.txt"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("nowhere.txt"), "{stderr}");
    let (_, _, code) =
        run(mint().args(["codebook", "check", book, "--max-background-rate", "0.1"]));
    assert_eq!(code, 2);
}
