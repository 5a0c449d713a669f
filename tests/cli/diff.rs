//! `mint diff`: one transcript added shows exactly that participant's
//! changes; identical results exit 0; --max-change tolerates drifts; bad
//! inputs exit 2 naming the file.

use serde_json::Value;

use crate::util::{mint, parse_csv, run};

const D: &str = "tests/data/agree";

/// `mint code` of the agree fixture as JSON, into `dir/name`.
fn code(dir: &std::path::Path, name: &str, extra: &[&str]) -> String {
    let (stdout, stderr, status) = run(mint()
        .args([
            "code",
            &format!("{D}/transcripts"),
            "--format",
            "json",
            "-q",
        ])
        .args(extra));
    assert_eq!(status, 0, "{stderr}");
    let path = dir.join(name);
    std::fs::write(&path, stdout).unwrap();
    path.to_str().unwrap().to_string()
}

fn diff(args: &[&str]) -> (Value, i32) {
    let (stdout, stderr, status) = run(mint().arg("diff").args(args).args(["--format", "json"]));
    assert_ne!(status, 2, "{stderr}");
    (serde_json::from_str(&stdout).unwrap(), status)
}

#[test]
fn one_transcript_added_shows_exactly_that_participants_changes() {
    let dir = tempfile::tempdir().unwrap();
    let a = format!("{D}/a.toml");
    let old = code(
        dir.path(),
        "old.json",
        &["--codebook", &a, "--exclude", "p3.txt"],
    );
    let new = code(dir.path(), "new.json", &["--codebook", &a]);
    let (doc, status) = diff(&[&old, &new]);
    assert_eq!(status, 1);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["changed"], true);
    let changes = doc["changes"].as_array().unwrap();
    // P03's own tallies, from the new result.
    let result: Value = serde_json::from_str(&std::fs::read_to_string(&new).unwrap()).unwrap();
    let p03 = result["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "P03")
        .unwrap();
    assert_eq!(p03["attributes"]["sector"], "health");
    let mut cells = 0;
    for c in changes {
        if c["kind"] == "participant" {
            assert_eq!(c["group"], "P03", "{c}");
            assert_eq!(c["before"], Value::Null, "{c}");
            continue;
        }
        cells += 1;
        assert!(c["group"] == "health" || c["group"] == "total", "{c}");
        let own = if c["code"] == "" {
            &p03["themes"][c["theme"].as_str().unwrap()]
        } else {
            &p03["codes"][c["code"].as_str().unwrap()]
        };
        let expected = if c["measure"] == "participants" {
            1
        } else {
            own.as_i64().unwrap()
        };
        assert_eq!(c["delta"], expected, "{c}");
    }
    // Every theme and code P03 mentioned, in health and total, both
    // measures.
    let mentioned =
        p03["themes"].as_object().unwrap().len() + p03["codes"].as_object().unwrap().len();
    assert_eq!(cells, mentioned * 2 * 2);
    let participant_rows = changes
        .iter()
        .filter(|c| c["kind"] == "participant")
        .count();
    assert_eq!(
        participant_rows,
        mentioned + 2,
        "plus segments and coded_segments"
    );

    let (table, _, status) = run(mint().args(["diff", &old, &new]));
    assert_eq!(status, 1);
    assert!(table.contains("P03"));
}

#[test]
fn identical_results_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let one = code(
        dir.path(),
        "one.json",
        &["--codebook", &format!("{D}/a.toml")],
    );
    let two = code(
        dir.path(),
        "two.json",
        &["--codebook", &format!("{D}/a.toml"), "--threads", "1"],
    );
    let (doc, status) = diff(&[&one, &two]);
    assert_eq!(status, 0);
    assert_eq!(doc["changes"], serde_json::json!([]));
    let (stdout, _, status) = run(mint().args(["diff", &one, &two]));
    assert_eq!((stdout.as_str(), status), ("no changes\n", 0));
}

#[test]
fn max_change_tolerates_drifts_up_to_the_percentage() {
    // Codebook b moves one of P01's turns from records to systems: P01's
    // records 2 -> 1 (-50%), systems 1 -> 2 (+100%).
    let dir = tempfile::tempdir().unwrap();
    let old = code(
        dir.path(),
        "a.json",
        &["--codebook", &format!("{D}/a.toml")],
    );
    let new = code(
        dir.path(),
        "b.json",
        &["--codebook", &format!("{D}/b.toml")],
    );
    let (doc, status) = diff(&[&old, &new]);
    assert_eq!(status, 1);
    let p01_systems = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["group"] == "P01" && c["code"] == "systems")
        .unwrap();
    assert_eq!(p01_systems["theme"], "work");
    assert_eq!(p01_systems["change_pct"], 100.0);
    let (_, status) = diff(&[&old, &new, "--max-change", "50"]);
    assert_eq!(status, 1);
    let (doc, status) = diff(&[&old, &new, "--max-change", "100"]);
    assert_eq!(status, 0);
    assert_eq!(doc["changed"], false);
}

#[test]
fn bad_inputs_exit_two_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = code(dir.path(), "good.json", &[]);
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"rows\": []}").unwrap();
    let (_, stderr, status) = run(mint().args(["diff", &good, other.to_str().unwrap()]));
    assert_eq!(status, 2);
    assert!(
        stderr.contains("other.json is not the JSON of `mint code --format json`"),
        "{stderr}"
    );
    let future = dir.path().join("future.json");
    let text = std::fs::read_to_string(&good).unwrap();
    std::fs::write(
        &future,
        text.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1),
    )
    .unwrap();
    let (_, stderr, status) = run(mint().args(["diff", future.to_str().unwrap(), &good]));
    assert_eq!(status, 2);
    assert!(
        stderr.contains("future.json: schema_version 2 (this mint reads 1)"),
        "{stderr}"
    );
    let (_, stderr, status) = run(mint().args(["diff", &good, "missing.json"]));
    assert_eq!(status, 2);
    assert!(stderr.contains("cannot read missing.json"), "{stderr}");
    let (_, _, status) = run(mint().args(["diff", &good, &good, "--max-change", "-1"]));
    assert_eq!(status, 2);
}

#[test]
fn the_table_shows_before_after_and_delta() {
    let dir = tempfile::tempdir().unwrap();
    let old = code(
        dir.path(),
        "a.json",
        &["--codebook", &format!("{D}/a.toml")],
    );
    let new = code(
        dir.path(),
        "b.json",
        &["--codebook", &format!("{D}/b.toml")],
    );
    let (stdout, stderr, status) =
        run(mint().args(["diff", &old, &new, "--max-change", "50", "--wide"]));
    insta::assert_snapshot!(format!(
        "exit: {status}\n--- stderr\n{stderr}--- stdout\n{stdout}"
    ));
}

/// `mint code --codings` of the agree fixture with `codebook`, into
/// `dir/name`.
fn codings(dir: &std::path::Path, name: &str, codebook: &str) -> String {
    let path = dir.join(name);
    let (_, stderr, status) = run(mint()
        .args(["code", &format!("{D}/transcripts"), "-q", "--codebook"])
        .arg(format!("{D}/{codebook}"))
        .arg("--codings")
        .arg(&path));
    assert_eq!(status, 0, "{stderr}");
    path.to_str().unwrap().to_string()
}

#[test]
fn codings_diff_shows_the_one_segment_that_moved_from_records_to_systems() {
    let dir = tempfile::tempdir().unwrap();
    let old = codings(dir.path(), "a.csv", "a.toml");
    let new = codings(dir.path(), "b.csv", "b.toml");
    let (doc, status) = diff(&[&old, &new]);
    assert_eq!(status, 1);
    assert_eq!(
        (doc["compared"].as_str(), doc["changed"].as_bool()),
        (Some("codings"), Some(true))
    );
    let codes = doc["codes"].as_array().unwrap();
    let summary: Vec<(&str, u64, u64, u64, u64)> = codes
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap(),
                c["before"].as_u64().unwrap(),
                c["after"].as_u64().unwrap(),
                c["gained"].as_u64().unwrap(),
                c["lost"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(summary, [("records", 4, 3, 0, 1), ("systems", 3, 4, 1, 0)]);
    let ledger = serde_json::json!({
        "file": "p1.txt",
        "participant": "P01",
        "turn": 6,
        "start": 249,
        "end": 292,
        "text": "We keep a paper ledger for the night shift.",
    });
    for (code, change) in [(&codes[0], "lost"), (&codes[1], "gained")] {
        assert_eq!(code["theme"], "work");
        let segments = code["segments"].as_array().unwrap();
        assert_eq!(segments.len(), 1, "{code}");
        let mut expected = ledger.clone();
        expected["change"] = change.into();
        assert_eq!(segments[0], expected);
    }
    // The span is the segment's, in code points of the transcript.
    let text = std::fs::read_to_string(format!("{D}/transcripts/p1.txt")).unwrap();
    let span: String = text.chars().skip(249).take(292 - 249).collect();
    assert_eq!(span.trim(), ledger["text"]);

    let (csv, _, status) = run(mint().args(["diff", &old, &new, "--format", "csv"]));
    assert_eq!(status, 1);
    let (header, rows) = parse_csv(&csv);
    assert_eq!(
        header[..8],
        [
            "kind",
            "theme",
            "code",
            "file",
            "participant",
            "turn",
            "span",
            "text"
        ]
    );
    let kinds: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[2].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("code", "records", ""),
            ("lost", "records", "249-292"),
            ("code", "systems", ""),
            ("gained", "systems", "249-292"),
        ]
    );
}

#[test]
fn identical_codings_exit_zero() {
    let dir = tempfile::tempdir().unwrap();
    let one = codings(dir.path(), "one.csv", "a.toml");
    let two = codings(dir.path(), "two.csv", "a.toml");
    let (doc, status) = diff(&[&one, &two]);
    assert_eq!(status, 0);
    assert_eq!(doc["codes"], serde_json::json!([]));
    let (stdout, _, status) = run(mint().args(["diff", &one, &two]));
    assert_eq!((stdout.as_str(), status), ("no changes\n", 0));
}

#[test]
fn max_change_applies_to_each_codes_segments() {
    // records loses 1 of 4 segments (25%), systems gains 1 on 3 (33.3%).
    let dir = tempfile::tempdir().unwrap();
    let old = codings(dir.path(), "a.csv", "a.toml");
    let new = codings(dir.path(), "b.csv", "b.toml");
    let (doc, status) = diff(&[&old, &new, "--max-change", "30"]);
    assert_eq!(status, 1);
    let tolerated: Vec<bool> = doc["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["tolerated"].as_bool().unwrap())
        .collect();
    assert_eq!(tolerated, [true, false]);
    let (doc, status) = diff(&[&old, &new, "--max-change", "33.3"]);
    assert_eq!((status, &doc["changed"]), (0, &Value::Bool(false)));
}

#[test]
fn codings_sheets_without_spans_compare_by_turn() {
    // P02's cost coding is gone; P01's turn 4 gains morale, a code the old
    // sheet never used (a change from nothing, never tolerated).
    let d = "tests/data/diff-codings";
    let (old, new) = (format!("{d}/old.csv"), format!("{d}/new.csv"));
    let (doc, status) = diff(&[&old, &new, "--max-change", "100"]);
    assert_eq!(status, 1);
    let codes = doc["codes"].as_array().unwrap();
    let summary: Vec<(&str, &Value, bool)> = codes
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap(),
                &c["change_pct"],
                c["tolerated"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("cost", &Value::from(50.0), true),
            ("morale", &Value::Null, false)
        ]
    );
    assert_eq!(codes[0]["segments"][0]["participant"], "P02");
    assert_eq!(codes[0]["segments"][0]["text"], "Parking costs a fortune.");
    assert_eq!(codes[1]["segments"][0]["turn"], 4);
    assert_eq!(codes[1]["segments"][0]["start"], Value::Null);
}

#[test]
fn mixed_or_bad_codings_inputs_exit_two_naming_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let json = code(dir.path(), "result.json", &[]);
    let csv = codings(dir.path(), "codings.csv", "a.toml");
    let (_, stderr, status) = run(mint().args(["diff", &json, &csv]));
    assert_eq!(status, 2);
    assert!(
        stderr.contains(&format!(
            "cannot compare {json} (the JSON of `mint code --format json`) with {csv} (a codings CSV)"
        )),
        "{stderr}"
    );
    let (_, stderr, status) = run(mint().args(["diff", &csv, &json]));
    assert_eq!(status, 2);
    assert!(
        stderr.contains(&format!("cannot compare {csv} (a codings CSV) with {json}")),
        "{stderr}"
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "file,code\np1.txt,records\n").unwrap();
    let (_, stderr, status) = run(mint().args(["diff", &csv]).arg(&bad));
    assert_eq!(status, 2);
    assert!(
        stderr.contains("bad.csv is not a codings CSV: not a codings sheet"),
        "{stderr}"
    );
}

#[test]
fn the_codings_table_shows_segments_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let old = codings(dir.path(), "a.csv", "a.toml");
    let new = codings(dir.path(), "b.csv", "b.toml");
    let (stdout, stderr, status) =
        run(mint().args(["diff", &old, &new, "--max-change", "30", "--wide"]));
    insta::assert_snapshot!(format!(
        "exit: {status}\n--- stderr\n{stderr}--- stdout\n{stdout}"
    ));
}
