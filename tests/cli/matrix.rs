//! `mint matrix --framework`: participants x themes with counts and quotes.

use crate::util::{mint, parse_csv, run};

#[test]
fn framework_matrix_counts_match_the_per_participant_table_and_quote_each_cell() {
    let (stdout, stderr, code) = run(mint().args([
        "matrix",
        "examples/transcripts",
        "--framework",
        "--format",
        "csv",
        "-q",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(
        &header[..6],
        [
            "participant",
            "area",
            "interviewee",
            "level",
            "role",
            "sector"
        ]
    );
    assert_eq!(header[6], "vision: references");
    assert_eq!(header[7], "vision: quote");
    assert_eq!(rows.len(), 24);
    // The same counts as `mint code --by participant`.
    let (by_participant, _, _) = run(mint().args([
        "code",
        "examples/transcripts",
        "--by",
        "participant",
        "--format",
        "csv",
        "-q",
    ]));
    let (h2, r2) = parse_csv(&by_participant);
    for row in &rows {
        let col = h2
            .iter()
            .position(|h| h == &format!("{}: references", row[0]))
            .unwrap();
        for (t, theme) in [
            "vision",
            "organisation",
            "professional_boundaries",
            "hr_it",
            "day_to_day_delivery",
            "measuring_impact",
        ]
        .iter()
        .enumerate()
        {
            let expected = &r2
                .iter()
                .find(|r| r[0] == *theme && r[1].is_empty())
                .unwrap()[col];
            assert_eq!(&row[6 + 2 * t], expected, "{} {theme}", row[0]);
            assert_eq!(
                row[7 + 2 * t].is_empty(),
                expected == "0",
                "a quote exactly where there is a count"
            );
        }
    }
    let s2 = rows.iter().find(|r| r[0] == "S2").unwrap();
    assert_eq!(
        &s2[1..6],
        [
            "",
            "2",
            "strategic",
            "assistant director of community nursing",
            "health"
        ]
    );
}

#[test]
fn framework_matrix_markdown_is_a_table() {
    let (stdout, _, code) =
        run(mint().args(["matrix", "examples/transcripts", "--framework", "-q"]));
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2 + 24);
    assert!(lines[0].starts_with("| participant | area |"));
    assert!(lines.iter().all(|l| l.starts_with('|') && l.ends_with('|')));
}
