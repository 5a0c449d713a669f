//! Helpers shared by the CLI tests.

use std::path::PathBuf;
use std::process::Command;

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
