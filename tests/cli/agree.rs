//! `mint agree`: identical sets, one swapped segment, three sets, the
//! char grain, the gates, determinism and bad inputs, on the fixture in
//! tests/data/agree (codebook b moves "ledger" from records to systems;
//! codebook c adds a code of its own, team).

use serde_json::Value;

use crate::util::{mint, parse_csv, run};

const D: &str = "tests/data/agree";

fn set(codebook: &str) -> String {
    format!("{D}/transcripts={D}/{codebook}.toml")
}

fn json(args: &[&str]) -> Value {
    let (stdout, stderr, code) = run(mint().arg("agree").args(args).args(["--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// The row of `comparison` and `code` (`None`: overall).
fn row<'a>(doc: &'a Value, comparison: &str, code: Option<&str>) -> &'a Value {
    doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["comparison"] == comparison
                && match code {
                    Some(c) => r["code"] == c,
                    None => r["level"] == "overall",
                }
        })
        .unwrap_or_else(|| panic!("no row {comparison} {code:?}"))
}

#[test]
fn identical_sets_give_kappa_one_and_an_empty_disagreements_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dis.csv");
    let transcripts = format!("{D}/transcripts");
    let doc = json(&[
        &transcripts,
        &transcripts,
        "--codebook",
        &format!("{D}/a.toml"),
        "--disagreements",
        out.to_str().unwrap(),
    ]);
    assert_eq!(doc["schema_version"], 1);
    let names: Vec<&str> = doc["sets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["transcripts", "transcripts #2"]);
    let overall = row(&doc, "transcripts vs transcripts #2", None);
    assert_eq!(overall["kappa"], 1.0);
    assert_eq!(overall["alpha"], 1.0);
    assert_eq!(overall["kappa_ci"], serde_json::json!([1.0, 1.0]));
    for r in doc["rows"].as_array().unwrap() {
        assert_eq!(r["percent"], 1.0, "{r}");
    }
    let written = std::fs::read_to_string(&out).unwrap();
    let (header, rows) = parse_csv(&written);
    assert!(rows.is_empty(), "{written}");
    assert_eq!(
        header,
        [
            "file",
            "participant",
            "turn",
            "span",
            "text",
            "codes: transcripts",
            "rule: transcripts",
            "codes: transcripts #2",
            "rule: transcripts #2",
        ]
    );
}

#[test]
fn swapping_two_codes_on_one_segment_moves_exactly_those_cells() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dis.csv");
    let doc = json(&[
        &set("a"),
        &set("b"),
        "--disagreements",
        out.to_str().unwrap(),
    ]);
    // Eight participant turns; in one, a says records and b systems.
    let records = row(&doc, "a vs b", Some("records"));
    let systems = row(&doc, "a vs b", Some("systems"));
    let seamless = row(&doc, "a vs b", Some("seamless"));
    assert_eq!(records["units"], 8);
    assert_eq!(records["percent"], 0.875);
    assert_eq!(systems["percent"], 0.875);
    assert_eq!(records["prevalence"], serde_json::json!([0.5, 0.375]));
    assert_eq!(systems["prevalence"], serde_json::json!([0.375, 0.5]));
    // b misses a's records once and adds a system once.
    assert_eq!(
        (&records["precision"], &records["recall"]),
        (&1.0.into(), &0.75.into())
    );
    assert_eq!(
        (&systems["precision"], &systems["recall"]),
        (&0.75.into(), &1.0.into())
    );
    assert_eq!(seamless["kappa"], 1.0);
    for r in doc["rows"].as_array().unwrap() {
        if r["level"] == "theme" {
            assert_eq!(r["kappa"], 1.0, "both codes are in theme work: {r}");
        }
    }
    let overall = row(&doc, "a vs b", None);
    assert_eq!(overall["units"], 24);
    assert_eq!(overall["percent"], 0.9167);

    let (header, rows) = parse_csv(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(rows.len(), 1, "{rows:?}");
    let cell = |name: &str| &rows[0][header.iter().position(|h| h == name).unwrap()];
    assert_eq!(cell("file"), "p1.txt");
    assert_eq!(cell("participant"), "P01");
    assert_eq!(cell("text"), "We keep a paper ledger for the night shift.");
    assert_eq!(cell("codes: a"), "records");
    assert_eq!(cell("codes: b"), "systems");
    assert_eq!(cell("rule: a"), "records: ledger");
    assert_eq!(cell("rule: b"), "systems: ledger");
    let (start, end) = cell("span").split_once('-').unwrap();
    let text = std::fs::read_to_string(format!("{D}/transcripts/p1.txt")).unwrap();
    let span: String = text
        .chars()
        .skip(start.parse().unwrap())
        .take(end.parse::<usize>().unwrap() - start.parse::<usize>().unwrap())
        .collect();
    assert_eq!(span.trim(), cell("text"));
}

#[test]
fn three_sets_list_a_code_only_one_used_and_compare_all() {
    let doc = json(&[&set("a"), &set("b"), &set("c")]);
    let comparisons: std::collections::BTreeSet<&str> = doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["comparison"].as_str().unwrap())
        .collect();
    assert_eq!(
        comparisons,
        ["a vs b", "a vs c", "all", "b vs c"].into_iter().collect()
    );
    let team = doc["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "team")
        .unwrap();
    assert_eq!(team["used_by"], serde_json::json!(["c"]));
    let ab = row(&doc, "a vs b", Some("team"));
    assert_eq!(ab["kappa"], Value::Null);
    assert_eq!(ab["alpha"], Value::Null);
    let reasons = ab["undefined"].as_array().unwrap();
    assert!(reasons.contains(&serde_json::json!({
        "figure": "kappa",
        "reason": "no variation: no set applied it"
    })));
    assert!(row(&doc, "all", Some("records"))["kappa"].is_number());

    let (stdout, _, code) =
        run(mint().args(["agree", &set("a"), &set("b"), &set("c"), "--format", "csv"]));
    assert_eq!(code, 0);
    let (header, rows) = parse_csv(&stdout);
    let notes = header.iter().position(|h| h == "notes").unwrap();
    let kappa = header.iter().position(|h| h == "kappa").unwrap();
    let team_ab = rows
        .iter()
        .find(|r| r[0] == "a vs b" && r[3] == "team")
        .unwrap();
    assert_eq!(team_ab[kappa], "", "undefined is empty, never 0 or NaN");
    assert!(team_ab[notes].starts_with("used only by c; kappa, alpha: no variation"));
    assert!(!stdout.contains("NaN"));
}

#[test]
fn the_char_grain_compares_code_points_of_participant_turns() {
    let doc = json(&[&set("a"), &set("b"), "--unit", "char"]);
    assert_eq!(doc["unit"], "char");
    let records = row(&doc, "a vs b", Some("records"));
    let systems = row(&doc, "a vs b", Some("systems"));
    // The swapped turn's code points: the same count moves both ways.
    let units = records["units"].as_u64().unwrap();
    assert_eq!(systems["units"].as_u64().unwrap(), units);
    let moved = (1.0 - records["percent"].as_f64().unwrap()) * units as f64;
    assert!((moved - "We keep a paper ledger for the night shift.".len() as f64).abs() < 1.5);
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let args = |threads: &str| {
        let (stdout, _, code) = run(mint().args([
            "--threads",
            threads,
            "agree",
            &set("a"),
            &set("b"),
            &set("c"),
            "--format",
            "json",
        ]));
        assert_eq!(code, 0);
        stdout
    };
    let one = args("1");
    assert_eq!(one, args("1"));
    assert_eq!(one, args("3"));
}

#[test]
fn the_gates_exit_one_naming_what_is_below() {
    let (_, stderr, code) =
        run(mint().args(["agree", &set("a"), &set("b"), "--min-kappa", "0.5", "-q"]));
    assert_eq!(code, 0, "{stderr}");
    let (_, stderr, code) =
        run(mint().args(["agree", &set("a"), &set("b"), "--min-kappa", "0.9", "-q"]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("kappa below 0.9: overall (a vs b: 0.829)"),
        "{stderr}"
    );
    let (_, stderr, code) = run(mint().args([
        "agree",
        &set("a"),
        &set("b"),
        "--min-alpha",
        "0.8",
        "--per-code",
        "-q",
    ]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("alpha below 0.8: records (a vs b: 0.762), systems (a vs b: 0.762)"),
        "{stderr}"
    );
    assert!(!stderr.contains("seamless"));
}

#[test]
fn bad_inputs_are_errors_naming_what_is_wrong() {
    let (_, stderr, code) = run(mint().args([
        "agree",
        &set("a"),
        &format!("examples/transcripts={D}/a.toml"),
    ]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("a and a #2 are over different transcripts: A1a.txt is only in a #2"),
        "{stderr}"
    );
    let (_, stderr, code) = run(mint().args([
        "agree",
        &set("a"),
        &format!("{D}/transcripts={D}/none.toml"),
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("none.toml"), "{stderr}");
    let (_, stderr, code) = run(mint().args(["agree", &set("a"), &set("b"), "--min-kappa", "2"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--min-kappa 2: must be between -1 and 1"),
        "{stderr}"
    );
    let (_, _, code) = run(mint().args(["agree", &set("a")]));
    assert_eq!(code, 2, "one set is a usage error");
    let (_, stderr, code) = run(mint().args([
        "agree",
        &set("a"),
        &set("b"),
        "--disagreements",
        &format!("{D}/transcripts/out.csv"),
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("refusing to write"), "{stderr}");
}

#[test]
fn the_table_shows_figures_intervals_and_reasons() {
    let (stdout, stderr, code) = run(mint().args([
        "agree",
        &set("a"),
        &set("c"),
        "--color",
        "never",
        "--min-kappa",
        "0.9",
        "--per-code",
        "--wide",
    ]));
    insta::assert_snapshot!(format!(
        "exit: {code}\n--- stderr\n{stderr}--- stdout\n{stdout}"
    ));
}

// See: #18 ("Each argument is a coding set: a transcript folder, a codings
// CSV, or a .qdpx (with --coder NAME)")
#[test]
fn a_codings_csv_and_a_project_are_sets_of_human_codings() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    // Codebook b's codings as a human's: in a CSV, and in a project.
    let (_, stderr, code) = run(mint()
        .args(["--raw-csv", "code", &format!("{D}/transcripts")])
        .args([
            "--codebook",
            &format!("{D}/b.toml"),
            "--codings",
            &path("b.csv"),
        ]));
    assert_eq!(code, 0, "{stderr}");
    let (_, stderr, code) = run(mint()
        .args(["export", &format!("{D}/transcripts"), "--to", "qdpx"])
        .args(["--codebook", &format!("{D}/b.toml"), "-o", &path("b.qdpx")]));
    assert_eq!(code, 0, "{stderr}");
    let b = format!("{D}/b.toml");
    for human in [
        format!("{}={b}", path("b.csv")),
        format!("{}={b}", path("b.qdpx")),
    ] {
        let doc = json(&[&set("a"), &human]);
        // Human codings are named by their file, not the codebook matched.
        let file = if human.contains(".csv=") {
            "b.csv"
        } else {
            "b.qdpx"
        };
        assert_eq!(doc["sets"][1]["name"], file, "{human}");
        let comparison = format!("a vs {file}");
        let rows = doc["rows"].as_array().unwrap();
        let named = |code: &str| {
            rows.iter()
                .find(|r| r["code"] == code && r["comparison"] == comparison.as_str())
                .unwrap_or_else(|| panic!("no {code} row in {comparison}: {doc}"))
        };
        // As mint coding with codebook b: one segment moves from records to
        // systems, nothing else.
        assert_eq!(named("records")["percent"], 0.875, "{human}");
        assert_eq!(named("systems")["percent"], 0.875, "{human}");
        assert_eq!(named("seamless")["kappa"], 1.0, "{human}");
    }
    // A project's coder that is not there is an error naming the coders.
    let (_, stderr, code) =
        run(mint().args(["agree", &set("a"), &path("b.qdpx"), "--coder", "nobody"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no coder \"nobody\": the coders are \"mint "),
        "{stderr}"
    );
}

// See: #17 item 3 (sheets of `file, turn, code` or `participant, turn,
// code`, read by any later command)
#[test]
fn a_sheet_of_whole_turns_is_placed_on_the_turns() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr, code) = run(mint()
        .args(["--raw-csv", "code", &format!("{D}/transcripts")])
        .args(["--codebook", &format!("{D}/a.toml"), "--codings", "-"])
        .args(["--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout[..stdout.find("\n{").unwrap() + 1]);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut by_file = String::from("file,turn,code\n");
    let mut by_participant = String::from("participant,turn,code\n");
    for r in &rows {
        by_file.push_str(&format!(
            "{},{},{}\n",
            r[at("file")],
            r[at("turn")],
            r[at("code")]
        ));
        by_participant.push_str(&format!(
            "{},{},{}\n",
            r[at("participant")],
            r[at("turn")],
            r[at("code")]
        ));
    }
    let a = format!("{D}/a.toml");
    for (name, sheet) in [
        ("by-file.csv", &by_file),
        ("by-participant.csv", &by_participant),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, sheet).unwrap();
        let human = format!("{}={a}", path.display());
        // Turn by turn, the sheet is mint's own coding with a: kappa 1.
        let doc = json(&[&set("a"), &human]);
        let overall = row(&doc, &format!("a vs {name}"), None);
        assert_eq!(overall["kappa"], 1.0, "{name}: {overall}");
    }
    // A turn no transcript has is an error naming it.
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, "file,turn,code\np1.txt,99,records\n").unwrap();
    let (_, stderr, code) = run(mint()
        .arg("agree")
        .arg(set("a"))
        .arg(format!("{}={a}", path.display())));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("coding 1: turn 99 of p1.txt is not among the transcripts compared"),
        "{stderr}"
    );
}
