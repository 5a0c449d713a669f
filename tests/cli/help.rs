//! Help is product documentation: snapshot it so every change shows in review.

use crate::util::{mint, run};

fn help(args: &[&str]) -> String {
    let (stdout, stderr, code) = run(mint().args(args).env("COLUMNS", "100"));
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[test]
fn mint_help() {
    insta::assert_snapshot!(help(&["--help"]));
}

#[test]
fn mint_code_help() {
    insta::assert_snapshot!(help(&["code", "--help"]));
}

#[test]
fn mint_codings_help() {
    insta::assert_snapshot!(help(&["codings", "--help"]));
}

#[test]
fn mint_sample_help() {
    insta::assert_snapshot!(help(&["sample", "--help"]));
}

#[test]
fn mint_scan_and_redact_help() {
    insta::assert_snapshot!(help(&["scan", "--help"]));
    insta::assert_snapshot!(help(&["redact", "--help"]));
}

#[test]
fn mint_codebook_help() {
    insta::assert_snapshot!(help(&["codebook", "show", "--help"]));
    insta::assert_snapshot!(help(&["codebook", "init", "--help"]));
}

#[test]
fn usage_errors_exit_2() {
    let (_, stderr, code) = run(mint().args(["code"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("<PATH>"), "{stderr}");
}
