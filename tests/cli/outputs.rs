//! Safe outputs and flags that match nothing (issue 15, items 6-9): cells a
//! spreadsheet would run as formulas, `--raw-csv`, typos in `--by`,
//! `--where`, `--code` and `--theme`.

use crate::util::{fixture, mint, parse_csv, run};

const DIR: &str = "tests/data/unsafe-cells";

fn args(extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    v.splice(
        1..1,
        [
            format!("{DIR}/transcripts"),
            "--codebook".into(),
            format!("{DIR}/codebook.toml"),
            "--attributes".into(),
            format!("{DIR}/attributes.csv"),
        ],
    );
    v
}

#[test]
fn codings_csv_cells_that_look_like_formulas_get_a_quote() {
    let (stdout, stderr, code) =
        run(mint().args(args(&["code", "--codings", "-", "--format", "json", "-q"])));
    assert_eq!(code, 0, "{stderr}");
    let csv = &stdout[..stdout.find("{").unwrap()];
    let (header, rows) = parse_csv(csv);
    let text = header.iter().position(|h| h == "text").unwrap();
    let level = header.iter().position(|h| h == "level").unwrap();
    let texts: Vec<&str> = rows.iter().map(|r| r[text].as_str()).collect();
    assert_eq!(
        texts,
        [
            "'-5 beds since the merger, and the system is slow.",
            "'=HYPERLINK(\"http://example.invalid\",\"click\") was in the system.",
            "'+44 20 7946 0000 is the system helpline.",
            "'@admin owns the system.",
            "The system works for us.",
        ]
    );
    assert_eq!(rows[0][level], "'=1+2");
    // Numbers are never quoted; JSON keeps the original text.
    assert_eq!(
        rows[0][header.iter().position(|h| h == "start").unwrap()],
        "42"
    );
    assert!(stdout.contains("\"=Systems\""), "{stdout}");
}

#[test]
fn raw_csv_writes_cells_as_they_are() {
    let (stdout, stderr, code) = run(mint().args(args(&[
        "code",
        "--codings",
        "-",
        "--format",
        "csv",
        "-q",
        "--raw-csv",
    ])));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("\n=Systems,") || stdout.contains(",=Systems,"),
        "{stdout}"
    );
    assert!(stdout.contains(",\"-5 beds since"), "{stdout}");
    assert!(!stdout.contains("'"), "{stdout}");
}

#[test]
fn matrix_and_quotes_csv_are_neutralised_too() {
    let (stdout, _, code) = run(mint().args(args(&["code", "--format", "csv", "--by", "level"])));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("theme,code,label,origin,'=1+2: references,"),
        "{stdout}"
    );
    assert!(stdout.contains("systems,,'=Systems,"), "{stdout}");
    let (stdout, _, code) =
        run(mint().args(args(&["quotes", "--code", "records", "--format", "csv"])));
    assert_eq!(code, 0);
    let (_, rows) = parse_csv(&stdout);
    assert!(
        rows.iter().all(|r| !r[1].starts_with(['=', '+', '-', '@'])),
        "{stdout}"
    );
    assert!(
        rows.iter().any(|r| r[1] == "'@admin owns the system."),
        "{stdout}"
    );
    let (stdout, _, _) =
        run(mint().args(args(&["quotes", "--code", "records", "--format", "json"])));
    assert!(stdout.contains("\"@admin owns the system.\""), "{stdout}");
}

#[test]
fn codebook_csv_is_escaped_and_imports_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("book.csv");
    let toml = dir.path().join("back.toml");
    let codebook = fixture("unsafe-cells/codebook.toml");
    let (_, stderr, code) = run(mint()
        .args(["codebook", "export", "--codebook"])
        .arg(&codebook)
        .arg("-o")
        .arg(&csv));
    assert_eq!(code, 0, "{stderr}");
    let written = std::fs::read_to_string(&csv).unwrap();
    assert!(written.contains(",'=Systems,"), "{written}");
    assert!(written.contains("'-5 beds"), "{written}");
    let (_, stderr, code) = run(mint()
        .args(["codebook", "import"])
        .arg(&csv)
        .arg("-o")
        .arg(&toml));
    assert_eq!(code, 0, "{stderr}");
    let back = std::fs::read_to_string(&toml).unwrap();
    assert!(back.contains("label = \"=Systems\""), "{back}");
    assert!(back.contains("\"-5 beds; a definition"), "{back}");
}

#[test]
fn by_an_attribute_no_one_has_is_an_error_with_a_suggestion() {
    let (stdout, stderr, code) = run(mint().args(args(&["code", "--by", "levle"])));
    assert_eq!(code, 2, "{stdout}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr
            .contains("--by: no participant has the attribute \"levle\"; did you mean \"level\"?"),
        "{stderr}"
    );
    // No breakdown at all still works.
    let (_, stderr, code) = run(mint().args(args(&["code", "--by", ""])));
    assert_eq!(code, 0, "{stderr}");
    let (_, stderr, code) = run(mint().args(args(&["code", "--by", "sector", "-q"])));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn where_code_and_theme_that_match_nothing_are_errors_with_a_suggestion() {
    for (flags, message) in [
        (
            &["--code", "records", "--where", "sectr=health"][..],
            "--where: no participant has the attribute \"sectr\"; did you mean \"sector\"?",
        ),
        (
            &["--code", "records", "--where", "sector=helth"][..],
            "--where: no participant has sector=\"helth\"; did you mean \"health\"?",
        ),
        (
            &["--code", "record"][..],
            "no code \"record\" in the codebook; did you mean \"records\"?",
        ),
        (
            &["--theme", "system"][..],
            "no theme \"system\" in the codebook; did you mean \"systems\"?",
        ),
    ] {
        let mut a = vec!["quotes"];
        a.extend(flags);
        let (stdout, stderr, code) = run(mint().args(args(&a)));
        assert_eq!(code, 2, "{flags:?}: {stdout}");
        assert!(stderr.contains(message), "{flags:?}: {stderr}");
    }
    let (stdout, _, code) = run(mint().args(args(&[
        "quotes",
        "--code",
        "records",
        "--where",
        "sector=health",
    ])));
    assert_eq!(code, 0);
    assert!(stdout.contains("@admin"), "{stdout}");
}

#[test]
fn attribute_columns_named_like_mints_are_renamed_with_a_warning() {
    let code_with = |extra: &str| {
        let sheet = format!("{DIR}/attributes-clash.csv");
        let mut a = args(&["code", "--codings", "-", extra]);
        a[5] = sheet;
        run(mint().args(a))
    };
    let (stdout, stderr, code) = code_with("--format=json");
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout[..stdout.find('{').unwrap()]);
    assert_eq!(
        header.iter().filter(|h| *h == "file").count(),
        1,
        "{header:?}"
    );
    assert_eq!(
        header.iter().filter(|h| *h == "code").count(),
        1,
        "{header:?}"
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][col("file")], "p1.txt");
    assert_eq!(rows[0][col("attr_file")], "interview-01.docx");
    assert_eq!(rows[0][col("code")], "records");
    assert_eq!(rows[0][col("attr_code")], "A7");
    assert!(
        stderr.contains(
            "warning: the attribute \"file\" has the name of a column mint writes: it is the column \"attr_file\" of the codings CSV"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("\"attr_code\""), "{stderr}");
    // --strict makes the warning fail the run.
    let (_, _, code) = code_with("--strict");
    assert_eq!(code, 2);
}

/// Ctrl-C while `mint code --codings` writes its output leaves no temporary
/// file behind: not in the output folder, not in the system's temporary one.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_file() {
    use std::time::{Duration, Instant};

    let corpus = tempfile::tempdir().unwrap();
    let line = "Participant: the system is slow and the system is old.\n\n";
    for i in 0..200 {
        let text = format!("Interviewer: Tell me.\n\n{}", line.repeat(400));
        std::fs::write(corpus.path().join(format!("p{i:03}.txt")), text).unwrap();
    }
    let out_dir = tempfile::tempdir().unwrap();
    let tmp_dir = tempfile::tempdir().unwrap();
    let mut child = mint()
        .args([
            "code",
            "--codebook",
            &format!("{DIR}/codebook.toml"),
            "-q",
            "--codings",
        ])
        .arg(out_dir.path().join("codings.csv"))
        .arg(corpus.path())
        .env("TMPDIR", tmp_dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temporary = |dir: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".mint-"))
            .collect()
    };
    // Wait until the codings file is being written, then interrupt.
    let start = Instant::now();
    while temporary(out_dir.path()).is_empty() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "mint ended before it was interrupted: make the corpus bigger"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no output was started"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert_eq!(temporary(out_dir.path()), Vec::<String>::new());
    assert!(!out_dir.path().join("codings.csv").exists());
    let left: Vec<_> = std::fs::read_dir(tmp_dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

fn sample(extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = [
        "sample",
        &format!("{DIR}/transcripts"),
        "--attributes",
        &format!("{DIR}/attributes.csv"),
    ]
    .map(String::from)
    .to_vec();
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

#[test]
fn sample_rows_cols_and_merge_by_that_match_nothing_are_errors() {
    let (_, stderr, code) = run(mint().args(sample(&["--cols", "sectr"])));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "--cols: no participant has the attribute \"sectr\"; did you mean \"sector\"?"
        ),
        "{stderr}"
    );
    let (_, stderr, code) = run(mint().args(sample(&["--rows", "levle"])));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("did you mean \"level\"?"), "{stderr}");
    // The defaults (level,area by sector) need not exist in a study.
    let (_, stderr, code) = run(mint().args(sample(&[])));
    assert_eq!(code, 0, "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let shard = dir.path().join("shard.json");
    let (json, _, code) = run(mint().args(args(&["code", "--format", "json", "-q"])));
    assert_eq!(code, 0);
    std::fs::write(&shard, json).unwrap();
    let (_, stderr, code) = run(mint().arg("merge").arg(&shard).args(["--by", "levle"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr
            .contains("--by: no participant has the attribute \"levle\"; did you mean \"level\"?"),
        "{stderr}"
    );
    let (_, stderr, code) = run(mint().arg("merge").arg(&shard).args(["--by", "level"]));
    assert_eq!(code, 0, "{stderr}");
}
