//! `mint code --primary`, `--min-score` and the codings CSV's `score` and
//! `primary` columns; quotes of a theme's primary segments first. On the
//! synthetic fixture in `tests/data/primary`: one participant, three turns
//! (a record phrase with a passing `staff`; staff words only; a long turn
//! with one `staff`).

use crate::util::{mint, parse_csv, run};

const TRANSCRIPTS: &str = "tests/data/primary/transcripts";
const CODEBOOK: &str = "tests/data/primary/codebook.toml";

/// `mint code` on the fixture with `extra` flags: (stdout, stderr, exit).
fn code(extra: &[&str]) -> (String, String, i32) {
    run(mint()
        .args(["code", TRANSCRIPTS, "--codebook", CODEBOOK, "-q"])
        .args(extra))
}

/// The table as CSV: (theme, code, references) per row.
fn references(extra: &[&str]) -> Vec<(String, String, String)> {
    let (stdout, stderr, status) = code(&[&["--format", "csv"], extra].concat());
    assert_eq!(status, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (theme, code, refs) = (at("theme"), at("code"), at("total: references"));
    rows.into_iter()
        .map(|r| (r[theme].clone(), r[code].clone(), r[refs].clone()))
        .collect()
}

fn row(theme: &str, code: &str, refs: &str) -> (String, String, String) {
    (theme.into(), code.into(), refs.into())
}

/// The codings CSV: its header and (turn, code, score, primary) per row.
fn codings(extra: &[&str]) -> (Vec<String>, Vec<[String; 4]>) {
    let (stdout, stderr, status) = code(&[&["--codings", "-", "--format", "json"], extra].concat());
    assert_eq!(status, 0, "{stderr}");
    // The codings come first on stdout, then the JSON table.
    let csv = &stdout[..stdout.find("\n{").map_or(stdout.len(), |i| i + 1)];
    let (header, rows) = parse_csv(csv);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows = rows
        .into_iter()
        .map(|r| {
            [
                r[at("turn")].clone(),
                r[at("code")].clone(),
                r[at("score")].clone(),
                r[at("primary")].clone(),
            ]
        })
        .collect();
    (header, rows)
}

fn coding(turn: &str, code: &str, score: &str, primary: &str) -> [String; 4] {
    [turn.into(), code.into(), score.into(), primary.into()]
}

#[test]
fn codings_end_with_a_score_and_whether_the_theme_is_the_segments_primary() {
    let (header, rows) = codings(&[]);
    assert_eq!(
        header[header.len() - 4..],
        ["score", "primary", "line", "segment_id"]
    );
    assert_eq!(
        rows,
        [
            // A passing word (0.4) beside a three-word phrase and a prefix
            // of the other theme (0.93): that theme is primary.
            coding("2", "staffing", "0.400", "false"),
            coding("2", "sharing", "0.930", "true"),
            // Three staff patterns: 1 - 0.6 × 0.3 × 0.6.
            coding("4", "staffing", "0.892", "true"),
            // One word in a long turn loses strength.
            coding("6", "staffing", "0.251", "true"),
        ]
    );
}

#[test]
fn primary_counts_each_segment_for_its_primary_theme_only() {
    assert_eq!(
        references(&[]),
        [
            row("workforce", "", "3"),
            row("workforce", "staffing", "3"),
            row("records", "", "1"),
            row("records", "sharing", "1"),
        ]
    );
    // Turn 2 counts for records only, and so do the codes.
    assert_eq!(
        references(&["--primary"]),
        [
            row("workforce", "", "2"),
            row("workforce", "staffing", "2"),
            row("records", "", "1"),
            row("records", "sharing", "1"),
        ]
    );
}

#[test]
fn min_score_drops_weak_codings_from_the_table_and_the_codings() {
    assert_eq!(
        references(&["--min-score", "0.5"]),
        [
            row("workforce", "", "1"),
            row("workforce", "staffing", "1"),
            row("records", "", "1"),
            row("records", "sharing", "1"),
        ]
    );
    let (_, rows) = codings(&["--min-score", "0.3"]);
    assert_eq!(
        rows,
        [
            coding("2", "staffing", "0.400", "false"),
            coding("2", "sharing", "0.930", "true"),
            coding("4", "staffing", "0.892", "true"),
        ]
    );
    let (_, stderr, _) = run(mint().args([
        "code",
        TRANSCRIPTS,
        "--codebook",
        CODEBOOK,
        "--min-score",
        "0.5",
        "--primary",
    ]));
    assert!(
        stderr.contains("2 of 3 participant turns coded; 59 words by participants (86%), 10 by interviewers, 0 not coded; codings under 0.500 dropped; primary themes only"),
        "{stderr}"
    );
    // Above every score: no codings at all.
    let (_, rows) = codings(&["--min-score", "0.95"]);
    assert!(rows.is_empty());
}

#[test]
fn a_min_score_outside_0_to_1_is_an_error() {
    for bad in ["1.5", "-0.1", "high"] {
        let (_, stderr, status) = code(&[&format!("--min-score={bad}")]);
        assert_eq!(status, 2, "{bad}: {stderr}");
        assert!(stderr.contains("expected a number from 0 to 1"), "{stderr}");
    }
}

#[test]
fn quotes_of_a_theme_put_its_primary_segments_first() {
    let (stdout, stderr, status) = run(mint().args([
        "quotes",
        TRANSCRIPTS,
        "--codebook",
        CODEBOOK,
        "--theme",
        "workforce",
        "--format",
        "csv",
        "-q",
    ]));
    assert_eq!(status, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    let turn = header.iter().position(|h| h == "turn").unwrap();
    let turns: Vec<&str> = rows.iter().map(|r| r[turn].as_str()).collect();
    // Turn 2 is shorter than turn 6, but its primary theme is records.
    assert_eq!(turns, ["4", "6", "2"]);
}

#[test]
fn quotes_end_with_their_best_score_and_whether_the_theme_is_primary() {
    let quotes = |format: &str, target: &[&str]| {
        let (stdout, stderr, status) = run(mint()
            .args(["quotes", TRANSCRIPTS, "--codebook", CODEBOOK, "-q"])
            .args(["--format", format])
            .args(target));
        assert_eq!(status, 0, "{stderr}");
        stdout
    };
    let (header, rows) = parse_csv(&quotes("csv", &["--theme", "workforce"]));
    assert_eq!(
        header[header.len() - 4..],
        ["score", "primary", "line", "segment_id"]
    );
    let tail: Vec<[&str; 3]> = rows
        .iter()
        .map(|r| {
            [
                r[5].as_str(),
                r[r.len() - 4].as_str(),
                r[r.len() - 3].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        tail,
        [
            ["4", "0.892", "true"],
            ["6", "0.251", "true"],
            ["2", "0.4", "false"]
        ]
    );
    // A code's quotes: its theme is turn 2's primary theme.
    let text = quotes("json", &["--code", "sharing"]);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let quote = &json["quotes"][0];
    assert_eq!(quote["turn"], 2);
    assert_eq!(quote["score"], 0.93);
    assert_eq!(quote["primary"], true);
    // The new keys come last, after `codes`.
    let at = |key: &str| text.find(&format!("\"{key}\"")).unwrap();
    assert!(
        at("codes") < at("score") && at("score") < at("primary"),
        "{text}"
    );
}

#[test]
fn the_cache_keeps_runs_with_and_without_primary_apart() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().to_str().unwrap();
    let plain = references(&["--cache", cache]);
    let primary = references(&["--cache", cache, "--primary"]);
    assert_eq!(plain[0], row("workforce", "", "3"));
    assert_eq!(primary[0], row("workforce", "", "2"));
    assert_eq!(references(&["--cache", cache]), plain);
}

/// `mint code --format json` on the fixture, parsed.
fn json(extra: &[&str]) -> serde_json::Value {
    let (stdout, stderr, status) = code(&[&["--format", "json"], extra].concat());
    assert_eq!(status, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn the_json_records_primary_and_min_score_only_when_set() {
    assert!(json(&[]).get("coding").is_none());
    assert_eq!(
        json(&["--primary"])["coding"],
        serde_json::json!({"primary": true, "min_score": null})
    );
    assert_eq!(
        json(&["--min-score", "0.5", "--primary"])["coding"],
        serde_json::json!({"primary": true, "min_score": 0.5})
    );
}

#[test]
fn shards_counted_with_different_settings_do_not_merge() {
    let dir = tempfile::tempdir().unwrap();
    let shard = |name: &str, extra: &[&str]| {
        let (stdout, stderr, status) = code(&[&["--format", "json"], extra].concat());
        assert_eq!(status, 0, "{stderr}");
        let path = dir.path().join(name);
        std::fs::write(&path, stdout).unwrap();
        path
    };
    let plain = shard("plain.json", &[]);
    let primary = shard("primary.json", &["--primary"]);
    let strict = shard("strict.json", &["--primary", "--min-score", "0.5"]);
    let merge = |a: &std::path::Path, b: &std::path::Path| {
        run(mint().args(["merge", "--format", "json"]).arg(a).arg(b))
    };
    let (_, stderr, status) = merge(&plain, &primary);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{} (no --primary or --min-score) and {} (--primary) were coded with different --primary or --min-score",
            plain.display(),
            primary.display()
        )),
        "{stderr}"
    );
    let (_, stderr, status) = merge(&primary, &strict);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("(--primary --min-score 0.500)"), "{stderr}");
    // Alike shards merge, and the merged JSON says how they were counted.
    let (stdout, stderr, status) = merge(&strict, &strict);
    assert_eq!(status, 0, "{stderr}");
    let merged: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        merged["coding"],
        serde_json::json!({"primary": true, "min_score": 0.5})
    );
    // A shard without the key counts as the defaults.
    let mut old: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&primary).unwrap()).unwrap();
    old.as_object_mut().unwrap().remove("coding");
    let old_path = dir.path().join("old.json");
    std::fs::write(&old_path, old.to_string()).unwrap();
    let (_, stderr, status) = merge(&old_path, &primary);
    assert_eq!(status, 2, "{stderr}");
    let (_, stderr, status) = merge(&old_path, &plain);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn explain_shows_each_codings_score_and_marks_the_primary_theme() {
    let (stdout, stderr, status) = code(&["--explain"]);
    assert_eq!(status, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    // Turn 2: the passing staff word is not primary; the records phrase is.
    assert!(
        lines[0].starts_with("  workforce / staffing  ← ") && lines[0].ends_with("  (score 0.400)"),
        "{stdout}"
    );
    assert!(
        lines[1].starts_with("  records / sharing  ← ")
            && lines[1].ends_with("  (score 0.930, primary)"),
        "{stdout}"
    );
    assert!(lines[3].ends_with("  (score 0.251, primary)"), "{stdout}");
}
