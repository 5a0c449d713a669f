//! Helpers shared by the CLI tests.

use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// A `mint` command with a clean environment for colour.
pub fn mint() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("mint"));
    cmd.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .current_dir(root());
    cmd
}

/// The crate root (tests run from there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/data/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/data").join(rel)
}

/// Parses CSV text into a header and rows.
pub fn parse_csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Runs a command and returns (stdout, stderr, exit code).
pub fn run(cmd: &mut Command) -> (String, String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// The zip's entries, in order, as text.
pub fn entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().to_string(), text)
        })
        .collect()
}

/// Checks a `project.qde` against the REFI-QDA schema with xmllint, when
/// both are here (saying why not otherwise).
pub fn validate(qde: &str) {
    let xsd = root().join("../shared/refi-qda/Project.xsd");
    if !xsd.exists() {
        eprintln!("skipped: {} is absent", xsd.display());
        return;
    }
    if Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("skipped: xmllint is not on PATH (apt-get install libxml2-utils)");
        return;
    }
    let mut child = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(qde.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
