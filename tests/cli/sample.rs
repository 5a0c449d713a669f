//! `mint sample`: the study-sample table.

use crate::util::{mint, parse_csv, run};

#[test]
fn sample_of_the_example_study_matches_the_design() {
    let (stdout, stderr, code) =
        run(mint().args(["sample", "examples/transcripts", "--format", "csv"]));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(header, ["level", "area", "health", "social care", "total"]);
    assert_eq!(
        rows,
        [
            ["operational", "1", "4", "3", "7"],
            ["operational", "2", "3", "3", "6"],
            ["operational", "3", "2", "3", "5"],
            ["strategic", "", "3", "3", "6"],
            ["total", "", "12", "12", "24"],
        ]
    );
}

#[test]
fn sample_table_snapshot() {
    let (stdout, _, code) = run(mint().args(["sample", "examples/transcripts"]));
    assert_eq!(code, 0);
    insta::assert_snapshot!(stdout);
}
