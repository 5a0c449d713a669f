//! Every bad input of issue 15 in one folder, beside good transcripts: mint
//! codes the good ones, names each bad one with its reason, never reads
//! outside the folder, leaves its input as it was, and writes only complete
//! outputs. Exit 0, or 2 under `--strict`; a corrupt file is an error (2)
//! whatever the flags. See: #15

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::util::{fixture, mint, parse_csv, run};

/// The folder: tests/data/hostile (good transcripts, a README, a LICENSE, a
/// codebook, an empty file, a PDF), plus what git should not hold: a file
/// with a NUL byte and a symlink to a transcript outside the folder.
fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    for entry in fs::read_dir(fixture("hostile")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), input.join(entry.file_name())).unwrap();
    }
    fs::write(input.join("binary.txt"), b"Participant: a\0b\n").unwrap();
    fs::write(
        dir.path().join("outside.txt"),
        "Participant: words from outside the folder\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("outside.txt"), input.join("link.txt")).unwrap();
    fs::create_dir(dir.path().join("out")).unwrap();
    dir
}

/// Every file under `dir`, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let bytes = fs::read_link(e.path())
                .map(|t| t.to_string_lossy().into_owned().into_bytes())
                .unwrap_or_else(|_| fs::read(e.path()).unwrap());
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

fn code(dir: &Path, extra: &[&str]) -> (String, String, i32) {
    let out = dir.join("out");
    run(mint()
        .arg("code")
        .arg(dir.join("in"))
        .arg("--codings")
        .arg(out.join("codings.csv"))
        .arg("--matrix")
        .arg(out.join("matrix.csv"))
        .args(extra))
}

#[test]
fn good_files_are_coded_and_every_bad_one_is_named_with_its_reason() {
    let dir = hostile();
    let before = contents(&dir.path().join("in"));
    let (_, stderr, status) = code(dir.path(), &[]);
    assert_eq!(status, 0, "{stderr}");
    for (name, reason) in [
        ("README.md", "a README, not a transcript"),
        ("LICENSE", "a licence, not a transcript"),
        ("codebook.toml", "a codebook, not a transcript"),
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file"),
        ("link.txt", "out of the input folder"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("{name}: skipped: ")))
            .unwrap_or_else(|| panic!("no line for {name} in:\n{stderr}"));
        assert!(line.contains(reason), "{line}");
    }
    // Silent ones still show in the closing summary.
    assert!(
        stderr.contains("1 in another format (slides.pdf)"),
        "{stderr}"
    );
    assert!(stderr.contains("mint: 3 files, 3 participants"), "{stderr}");

    let codings = fs::read_to_string(dir.path().join("out/codings.csv")).unwrap();
    let (header, rows) = parse_csv(&codings);
    let file = header.iter().position(|h| h == "file").unwrap();
    let text = header.iter().position(|h| h == "text").unwrap();
    let files: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[file].as_str()).collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["formula.txt", "interview.txt", "think-aloud.txt"]
    );
    // The moderator-only file keeps the participant's words.
    assert!(
        rows.iter()
            .any(|r| r[file] == "think-aloud.txt" && r[text].contains("data sharing agreement")),
        "{codings}"
    );
    // Nothing from outside the folder, and a formula is text in a spreadsheet.
    assert!(!codings.contains("outside the folder"));
    assert!(
        rows.iter()
            .filter(|r| r[file] == "formula.txt")
            .all(|r| r[text].starts_with("'=HYPERLINK")),
        "{codings}"
    );

    // The input is as it was; the outputs are whole files and nothing else.
    assert_eq!(contents(&dir.path().join("in")), before);
    let out = contents(&dir.path().join("out"));
    assert_eq!(
        out.keys().collect::<Vec<_>>(),
        ["codings.csv", "matrix.csv"]
    );
    let (matrix_header, matrix_rows) =
        parse_csv(&String::from_utf8(out["matrix.csv"].clone()).unwrap());
    assert_eq!(matrix_header[0], "theme");
    assert!(!matrix_rows.is_empty());
}

#[test]
fn strict_turns_the_named_skips_into_status_2_with_the_same_outputs() {
    let dir = hostile();
    let (_, _, status) = code(dir.path(), &[]);
    assert_eq!(status, 0);
    let lenient = contents(&dir.path().join("out"));
    let (_, stderr, status) = code(dir.path(), &["--strict"]);
    assert_eq!(status, 2, "{stderr}");
    assert_eq!(contents(&dir.path().join("out")), lenient);
}

#[test]
fn a_corrupt_file_is_an_error_whatever_the_flags_and_the_rest_is_still_coded() {
    let dir = hostile();
    fs::copy(
        fixture("formats/word/truncated.docx"),
        dir.path().join("in/truncated.docx"),
    )
    .unwrap();
    let (_, stderr, status) = code(dir.path(), &[]);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("mint: ") && l.contains("truncated.docx: ")),
        "{stderr}"
    );
    assert!(stderr.contains("mint: 3 files, 3 participants"), "{stderr}");
    let codings = fs::read_to_string(dir.path().join("out/codings.csv")).unwrap();
    assert!(codings.contains("interview.txt"));
}
