//! `mint quotes`: quotes with attributions, ranked and spread.

use crate::util::{mint, parse_csv, run};

fn quotes(args: &[&str]) -> Vec<Vec<String>> {
    let (stdout, stderr, code) = run(mint()
        .args(["quotes", "examples/transcripts", "--format", "csv", "-q"])
        .args(args));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(
        header,
        [
            "rank",
            "quote",
            "attribution",
            "participant",
            "file",
            "turn",
            "start",
            "end",
            "codes",
            "score",
            "primary",
            "line",
            "segment_id"
        ]
    );
    rows
}

#[test]
fn a_known_quote_appears_under_its_theme_with_its_attribution() {
    let rows = quotes(&["--theme", "hr_it", "--limit", "0"]);
    let quote = rows
        .iter()
        .find(|r| r[1].contains("they're on SystmOne. No link. My workers can't see GP records."))
        .expect("the A1g quote about SystmOne");
    assert_eq!(quote[2], "Operational social care, area 1, interviewee g");
    assert_eq!(quote[3], "A1g");
    assert!(
        quote[8].split(';').any(|c| c == "information_systems"),
        "{quote:?}"
    );
    // Strategic leads have no area, and the attribution leaves it out cleanly.
    let lead = rows.iter().find(|r| r[3] == "S2").unwrap();
    assert_eq!(lead[2], "Strategic health, interviewee 2");
}

#[test]
fn quotes_are_spread_across_participants_and_filtered() {
    let rows = quotes(&["--theme", "hr_it", "--limit", "24"]);
    let who: Vec<&str> = rows.iter().map(|r| r[3].as_str()).collect();
    let distinct: std::collections::BTreeSet<&&str> = who.iter().collect();
    assert_eq!(
        distinct.len(),
        who.len(),
        "no one is quoted twice before everyone once: {who:?}"
    );
    let rows = quotes(&[
        "--theme",
        "hr_it",
        "--where",
        "level=strategic",
        "--where",
        "sector=social care",
    ]);
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| ["S4", "S5", "S6"].contains(&r[3].as_str())),
        "{rows:?}"
    );
}

#[test]
fn context_trims_to_the_sentences_around_the_evidence() {
    let full = quotes(&["--code", "information_systems", "--limit", "1"]);
    let trimmed = quotes(&[
        "--code",
        "information_systems",
        "--limit",
        "1",
        "--context",
        "sentences:0",
    ]);
    assert_eq!(full[0][3], trimmed[0][3]);
    assert!(trimmed[0][1].len() < full[0][1].len());
    assert!(
        trimmed[0][1].starts_with('…') || trimmed[0][1].ends_with('…'),
        "{:?}",
        trimmed[0][1]
    );
}

#[test]
fn markdown_quotes_are_ready_to_paste() {
    let (stdout, _, code) = run(mint().args([
        "quotes",
        "examples/transcripts",
        "--theme",
        "hr_it",
        "--limit",
        "2",
        "--attribution",
        "{Role} ({id})",
        "-q",
    ]));
    assert_eq!(code, 0);
    let blocks: Vec<&str> = stdout.split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{stdout}");
    for block in blocks {
        let lines: Vec<&str> = block.lines().collect();
        assert!(lines[0].starts_with("> "), "{block}");
        assert_eq!(lines[1], ">");
        assert!(
            lines[2].starts_with("> — ") && lines[2].ends_with(')'),
            "{block}"
        );
    }
}

#[test]
fn an_unknown_theme_is_an_error_listing_the_themes() {
    let (_, stderr, code) = run(mint().args(["quotes", "examples/transcripts", "--theme", "nope"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no theme \"nope\" in the codebook (known: vision, organisation"),
        "{stderr}"
    );
}
