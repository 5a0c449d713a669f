//! What mint reads and what it passes over: survey CSVs without
//! `--text-column`, files in a transcript folder that are not transcripts,
//! `--glob` for other extensions, symlinks, and the closing summary of
//! skipped files. Fixtures: `tests/data/inputs/` (symlinks are made in a
//! scratch folder, as git on every platform cannot hold them).

use crate::util::{mint, parse_csv, run};

const FOLDER: &str = "tests/data/inputs/transcripts";
const SURVEY: &str = "tests/data/inputs/survey.csv";
const CODEBOOK: &str = "tests/data/basic/codebook.toml";

/// The files with a coding, in order, with stderr and the exit status.
fn coded_files(args: &[&str]) -> (Vec<String>, String, i32) {
    let (stdout, stderr, code) = run(mint()
        .args(["code", "--codebook", CODEBOOK, "--by", "", "--codings", "-"])
        .args(["--format", "json"])
        .args(args));
    let csv_end = stdout.find("\n{").map_or(stdout.len(), |i| i + 1);
    let (_, rows) = parse_csv(&stdout[..csv_end]);
    let mut files: Vec<String> = rows.into_iter().map(|r| r[0].clone()).collect();
    files.dedup();
    (files, stderr, code)
}

// See: #15 (item 4)
#[test]
fn a_survey_csv_without_text_column_is_an_error_that_suggests_one() {
    let (stdout, stderr, code) = run(mint().args(["code", SURVEY, "--codebook", CODEBOOK]));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with(
            "mint: tests/data/inputs/survey.csv:1: a survey CSV needs --text-column; \
             the columns are respondent, sector, score, Any comments?; \
             the answers look to be in \"Any comments?\" (--text-column 'Any comments?')\n"
        ),
        "{stderr}"
    );
    // `mint text` says the same.
    let (_, text_err, code) = run(mint().args(["text", SURVEY]));
    assert_eq!(code, 2);
    assert!(
        text_err.contains("(--text-column 'Any comments?')"),
        "{text_err}"
    );
}

// See: #15 (item 4)
#[test]
fn a_missing_text_column_is_an_error_that_lists_the_columns() {
    let (_, stderr, code) = run(mint().args([
        "code",
        SURVEY,
        "--codebook",
        CODEBOOK,
        "--text-column",
        "comment",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "survey.csv:1: no column \"comment\" (the --text-column); the columns are \
             respondent, sector, score, Any comments?; the answers look to be in \
             \"Any comments?\""
        ),
        "{stderr}"
    );
    // The suggestion works.
    let (files, stderr, code) = coded_files(&[SURVEY, "--text-column", "Any comments?"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(files, ["tests/data/inputs/survey.csv"]);
}

// See: #15 (item 5)
#[test]
fn files_that_are_not_transcripts_are_skipped_by_name_and_summed_up() {
    let (files, stderr, code) = coded_files(&[FOLDER]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(files, ["p1.txt"]);
    for (file, what) in [
        ("LICENSE", "a licence"),
        ("README.md", "a README"),
        ("codebook.toml", "a codebook"),
    ] {
        let line = format!(
            "mint: warning: {FOLDER}/{file}: skipped: {what}, not a transcript \
             (to code it, name the file on the command line or in --glob)\n"
        );
        assert!(stderr.contains(&line), "no {line:?} in\n{stderr}");
    }
    assert!(
        stderr.contains(
            "mint: skipped 5 files: 3 not transcripts by name (LICENSE, README.md, \
             codebook.toml), 2 in other formats (p2.rst, slides.pdf)\n"
        ),
        "{stderr}"
    );
    // Each named skip is a warning; the summary is not one more.
    let (_, stderr, code) = run(mint()
        .args(["code", "-q", "--strict", "--codebook", CODEBOOK, FOLDER])
        .args(["--by", ""]));
    assert_eq!(code, 2, "{stderr}");
}

// See: #15 (item 5)
#[test]
fn a_file_skipped_by_name_is_read_when_named() {
    let readme = format!("{FOLDER}/README.md");
    let (files, stderr, _) = coded_files(&[FOLDER, &readme]);
    assert_eq!(
        files,
        [
            "tests/data/inputs/transcripts/p1.txt".to_string(),
            readme.clone()
        ],
        "{stderr}"
    );
    let (files, stderr, _) = coded_files(&[FOLDER, "--glob", "README.md"]);
    assert_eq!(files, ["README.md"], "{stderr}");
}

// See: #15 (item 5)
#[test]
fn a_glob_reads_any_extension_as_plain_text() {
    let (files, stderr, code) = coded_files(&[FOLDER, "--glob", "*.rst"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(files, ["p2.rst"]);
    assert!(!stderr.contains("skipped"), "{stderr}");
}

// See: #15 (item 5)
#[test]
fn nothing_is_skipped_silently_even_when_nothing_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("slides.pdf"), "%PDF").unwrap();
    std::fs::write(dir.path().join("answers.csv"), "id,text\n1,hello there\n").unwrap();
    let (_, stderr, code) = run(mint()
        .args(["code", "--codebook", CODEBOOK])
        .arg(dir.path()));
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "mint: skipped 2 files: 1 CSV without --text-column (answers.csv), \
             1 in another format (slides.pdf)\nmint: no transcripts"
        ),
        "{stderr}"
    );
}

#[cfg(unix)]
mod symlinks {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A folder with one transcript and a link to one outside it.
    fn folder() -> (tempfile::TempDir, tempfile::TempDir) {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(
            outside.path().join("secret.txt"),
            "Interviewer: Where?\nP9: In the same building as social care.\n",
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(format!("{FOLDER}/p1.txt"), dir.path().join("p1.txt")).unwrap();
        symlink(
            outside.path().join("secret.txt"),
            dir.path().join("out.txt"),
        )
        .unwrap();
        (dir, outside)
    }

    // See: #15 (item 10)
    #[test]
    fn a_link_out_of_the_folder_is_reported_not_read() {
        let (dir, outside) = folder();
        let path = dir.path().to_str().unwrap();
        let (files, stderr, code) = coded_files(&[path]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(files, ["p1.txt"]);
        let target = outside.path().canonicalize().unwrap().join("secret.txt");
        let line = format!(
            "mint: warning: {path}/out.txt: skipped: symlink to {}, out of the input folder \
             (-L/--follow reads it)\n",
            target.display()
        );
        assert!(stderr.contains(&line), "no {line:?} in\n{stderr}");
        assert!(
            stderr.contains("skipped 1 file: 1 symlink out of the input folder (out.txt)"),
            "{stderr}"
        );
    }

    // See: #15 (item 10)
    #[test]
    fn follow_reads_through_links_and_stops_at_loops() {
        let (dir, _outside) = folder();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
        let path = dir.path().to_str().unwrap();
        let (files, stderr, code) = coded_files(&[path, "-L"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(files, ["out.txt", "p1.txt"]);
        assert!(
            stderr.contains(&format!(
                "mint: warning: {path}/sub/loop: skipped: symlink loop back to {path}\n"
            )),
            "{stderr}"
        );
        let (files, _, _) = coded_files(&[path, "--follow"]);
        assert_eq!(files, ["out.txt", "p1.txt"]);
        // Without -L the loop is a link inside the folder, not followed.
        let (files, stderr, _) = coded_files(&[path]);
        assert_eq!(files, ["p1.txt"]);
        assert!(
            stderr.contains("1 symlink not followed (-L follows) (sub/loop)"),
            "{stderr}"
        );
    }
}
