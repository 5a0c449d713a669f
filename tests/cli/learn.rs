//! `mint learn` and `mint code --model`: learning codes from hand-coded
//! segments, cross-validating, and coding with the model.

use std::path::Path;

use crate::util::{entries, fixture, mint, parse_csv, run, validate};

/// `mint learn` over the learn fixture, with the fixture's codebook and
/// `--min-examples 5` unless `extra` sets it.
fn learn(extra: &[&str]) -> std::process::Command {
    let mut cmd = mint();
    cmd.arg("learn")
        .arg(fixture("learn/transcripts"))
        .arg("--from")
        .arg(fixture("learn/human.csv"))
        .arg("--codebook")
        .arg(fixture("learn/codebook.toml"));
    if !extra.contains(&"--min-examples") {
        cmd.args(["--min-examples", "5"]);
    }
    cmd.args(extra);
    cmd
}

/// `mint code` over `input` (a path in the fixtures) with the learn
/// fixture's codebook and `model`.
fn code_fixture(input: &str, model: &Path) -> std::process::Command {
    let mut cmd = mint();
    cmd.arg("code")
        .arg(fixture(input))
        .arg("--codebook")
        .arg(fixture("learn/codebook.toml"))
        .arg("--model")
        .arg(model);
    cmd
}

/// Trains the fixture's model into `dir` with `threads` threads.
fn train(dir: &Path, threads: &str) -> std::path::PathBuf {
    let model = dir.join(format!("model-{threads}.json"));
    let (_, stderr, code) = run(mint()
        .args(["--threads", threads])
        .args(learn(&[]).get_args())
        .arg("-o")
        .arg(&model));
    assert_eq!(code, 0, "{stderr}");
    model
}

#[test]
fn cv_reports_every_code_the_averages_and_the_learning_curve() {
    let (stdout, stderr, code) = run(&mut learn(&["--cv", "4", "--format", "csv"]));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(header[..3], ["kind", "code", "theme"]);
    let codes: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r[0] == "code")
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    // The human's own code is learned under `learned`; the codebook's
    // keeps its theme.
    assert_eq!(codes, [("parking_problems", "learned"), ("staff", "care")]);
    let curve: Vec<&str> = rows
        .iter()
        .filter(|r| r[0] == "curve")
        .map(|r| r[3].as_str())
        .collect();
    assert_eq!(curve, ["0.1", "0.25", "0.5", "0.75", "1.0"]);
    assert!(rows.iter().any(|r| r[0] == "average" && r[1] == "micro"));
}

#[test]
fn codes_with_too_few_examples_are_skipped_with_their_counts() {
    let (stdout, stderr, code) = run(&mut learn(&["--cv", "4", "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("skipped code \"food\": 2 segments (fewer than 5 examples)"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["skipped"][0]["code"], "food");
    assert_eq!(json["skipped"][0]["segments"], 2);
    // None left: exit 2, the codes still listed.
    let (_, stderr, code) = run(&mut learn(&["--cv", "4", "--min-examples", "50"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("skipped code \"staff\": 16 segments"),
        "{stderr}"
    );
    assert!(stderr.contains("no code to learn"), "{stderr}");
}

#[test]
fn folds_out_gives_every_segment_its_participant_fold() {
    let dir = tempfile::tempdir().unwrap();
    let folds = dir.path().join("folds.csv");
    let (_, stderr, code) = run(learn(&["--cv", "4", "--folds-out"]).arg(&folds));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&std::fs::read_to_string(&folds).unwrap());
    assert_eq!(
        header,
        ["segment_id", "participant", "fold", "codes", "text"]
    );
    assert_eq!(rows.len(), 40);
    for p in ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"] {
        let mut folds: Vec<&str> = rows
            .iter()
            .filter(|r| r[1] == p)
            .map(|r| r[2].as_str())
            .collect();
        folds.dedup();
        assert_eq!(folds.len(), 1, "{p} is in one fold");
    }
    let both = rows
        .iter()
        .filter(|r| r[3] == "parking_problems;staff")
        .count();
    assert_eq!(both, 8);
}

#[test]
fn a_model_is_the_same_bytes_at_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let one = std::fs::read(train(dir.path(), "1")).unwrap();
    let two = std::fs::read(train(dir.path(), "2")).unwrap();
    assert!(one == two, "the model differs between 1 and 2 threads");
    let model: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(model["schema_version"], 1);
    assert_eq!(model["codebook"]["name"], "learn fixture");
    assert_eq!(model["skipped"][0]["code"], "food");
    assert!(model["training"]["hash"].as_str().unwrap().len() == 64);
}

#[test]
fn code_with_a_model_marks_learned_codings_with_probability_and_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = train(dir.path(), "1");
    let codings = dir.path().join("codings.csv");
    let (stdout, stderr, code) = run(code_fixture("learn/transcripts", &model)
        .arg("--codings")
        .arg(&codings));
    assert_eq!(code, 0, "{stderr}");
    // The learned code is counted in the table under its theme.
    assert!(stdout.contains("parking_problems"), "{stdout}");
    assert!(stdout.contains("learned"), "{stdout}");
    let (header, rows) = parse_csv(&std::fs::read_to_string(&codings).unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let learned: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[col("origin")] == "learned")
        .collect();
    assert!(!learned.is_empty());
    let id = serde_json::from_slice::<serde_json::Value>(&std::fs::read(&model).unwrap()).unwrap()
        ["id"]
        .as_str()
        .unwrap()
        .to_string();
    for r in &learned {
        assert_eq!(r[col("code")], "parking_problems");
        let p: f64 = r[col("probability")].parse().unwrap();
        assert!(p > 0.0 && p <= 1.0);
        assert!(
            r[col("model")].starts_with(&format!("{id} blake3:")),
            "{r:?}"
        );
    }
    // Only the model's codings: the codebook's are gone.
    let (_, stderr, code) = run(code_fixture("learn/transcripts", &model)
        .args(["--origin", "learned", "--codings"])
        .arg(&codings));
    assert_eq!(code, 0, "{stderr}");
    let (_, rows) = parse_csv(&std::fs::read_to_string(&codings).unwrap());
    assert!(rows.iter().all(|r| r[col("origin")] == "learned"));
}

#[test]
fn explain_shows_the_words_and_examples_behind_a_learned_code() {
    let dir = tempfile::tempdir().unwrap();
    let model = train(dir.path(), "1");
    let (stdout, stderr, code) = run(code_fixture("learn/transcripts/P3.txt", &model).args([
        "--origin",
        "learned",
        "--explain",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("learned / parking_problems  ← learned (probability"),
        "{stdout}"
    );
    assert!(stdout.contains("    words: \"park"), "{stdout}");
    assert!(stdout.contains("    like "), "{stdout}");
}

#[test]
fn a_model_refuses_another_codebook_and_a_corrupt_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = train(dir.path(), "1");
    let code_with = |model: &Path, codebook: &str| {
        run(mint()
            .arg("code")
            .arg(fixture("learn/transcripts"))
            .arg("--codebook")
            .arg(fixture(codebook))
            .arg("--model")
            .arg(model))
    };
    let (_, stderr, code) = code_with(&model, "learn/other.toml");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the model was trained with codebook \"learn fixture\""),
        "{stderr}"
    );
    let bytes = std::fs::read(&model).unwrap();
    let cut = dir.path().join("cut.json");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let (_, stderr, code) = code_with(&cut, "learn/codebook.toml");
    assert_eq!(code, 2);
    assert!(stderr.contains("corrupt or truncated"), "{stderr}");
    let future = dir.path().join("future.json");
    let text = String::from_utf8(bytes).unwrap();
    std::fs::write(
        &future,
        text.replacen("\"schema_version\":1", "\"schema_version\":7", 1),
    )
    .unwrap();
    let (_, stderr, code) = code_with(&future, "learn/codebook.toml");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("schema_version 7 is not supported"),
        "{stderr}"
    );
}

#[test]
fn learning_from_the_real_serdif_codings_beats_chance() {
    let data = crate::util::root().join("../shared/real-data/serdif-thinkaloud");
    if !data.join("transcripts/raw").is_dir() {
        eprintln!("skipped: the SERDIF data is not at {}", data.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let codings = dir.path().join("authors.csv");
    let status = std::process::Command::new(crate::util::root().join("tools/serdif-codings"))
        .arg("--mint")
        .arg(assert_cmd::cargo::cargo_bin!("mint"))
        .arg(&data)
        .arg(&codings)
        .output()
        .unwrap();
    assert!(status.status.success());
    let model = dir.path().join("model.json");
    let (stdout, stderr, code) = run(mint()
        .arg("learn")
        .arg(data.join("transcripts/raw"))
        .args([
            "--glob", "*.odt", "--unit", "sentence", "--top", "2", "--format", "csv",
        ])
        .arg("--codebook")
        .arg(crate::util::root().join("bench/serdif/serdif.toml"))
        .arg("--from")
        .arg(&codings)
        .arg("-o")
        .arg(&model));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    let kappa = header.iter().position(|h| h == "kappa").unwrap();
    assert_eq!(rows.len(), 2);
    for r in &rows {
        assert!(r[kappa].parse::<f64>().unwrap() > 0.1, "{r:?}");
    }
}

#[test]
fn suggest_next_lists_segments_of_participants_not_yet_coded() {
    let dir = tempfile::tempdir().unwrap();
    // P7 and P8 not coded yet.
    let human: String = std::fs::read_to_string(fixture("learn/human.csv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("P7") && !l.starts_with("P8"))
        .map(|l| format!("{l}\n"))
        .collect();
    let sheet = dir.path().join("human.csv");
    std::fs::write(&sheet, human).unwrap();
    let next = dir.path().join("next.csv");
    let suggest = dir.path().join("suggest.toml");
    let (_, stderr, code) = run(mint()
        .arg("learn")
        .arg(fixture("learn/transcripts"))
        .arg("--from")
        .arg(&sheet)
        .arg("--codebook")
        .arg(fixture("learn/codebook.toml"))
        .args(["--min-examples", "5", "--suggest-next", "4", "-o"])
        .arg(&next)
        .arg("--suggest")
        .arg(&suggest));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("2 participants without any human coding"),
        "{stderr}"
    );
    let (header, rows) = parse_csv(&std::fs::read_to_string(&next).unwrap());
    assert_eq!(header[..4], ["file", "start", "end", "participant"]);
    assert_eq!(header.last().unwrap(), "code");
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r[3] == "P7" || r[3] == "P8"));
    // Spread over participants: both get picks.
    assert!(rows.iter().any(|r| r[3] == "P7") && rows.iter().any(|r| r[3] == "P8"));
    let toml = std::fs::read_to_string(&suggest).unwrap();
    assert!(toml.contains("\"park*\""), "{toml}");
    assert!(toml.contains("status = \"candidate\""), "{toml}");
}

/// The fixture's human codings without the participants `left`, in `dir`.
fn human_without(dir: &Path, left: &[&str]) -> std::path::PathBuf {
    let human: String = std::fs::read_to_string(fixture("learn/human.csv"))
        .unwrap()
        .lines()
        .filter(|l| !left.iter().any(|p| l.starts_with(&format!("{p}.txt"))))
        .map(|l| format!("{l}\n"))
        .collect();
    let sheet = dir.join("human.csv");
    std::fs::write(&sheet, human).unwrap();
    sheet
}

/// `mint learn` over the fixture from `from` (each a --from).
fn learn_from(from: &[&Path], extra: &[&str]) -> std::process::Command {
    let mut cmd = mint();
    cmd.arg("learn").arg(fixture("learn/transcripts"));
    for f in from {
        cmd.arg("--from").arg(f);
    }
    cmd.arg("--codebook")
        .arg(fixture("learn/codebook.toml"))
        .args(["--min-examples", "5"])
        .args(extra);
    cmd
}

/// The participant column of a template's rows.
fn picked_participants(template: &Path) -> Vec<String> {
    let (header, rows) = parse_csv(&std::fs::read_to_string(template).unwrap());
    let p = header.iter().position(|h| h == "participant").unwrap();
    rows.into_iter().map(|r| r[p].clone()).collect()
}

#[test]
fn suggest_next_spreads_its_picks_over_the_groups_of_by() {
    let dir = tempfile::tempdir().unwrap();
    // P4 (north), P7 and P8 (south) not coded yet.
    let sheet = human_without(dir.path(), &["P4", "P7", "P8"]);
    let pick = |by: &str, name: &str| {
        let next = dir.path().join(name);
        let (_, stderr, code) = run(learn_from(&[&sheet], &["--suggest-next", "6", "--by", by])
            .arg("-o")
            .arg(&next));
        assert_eq!(code, 0, "{stderr}");
        picked_participants(&next)
    };
    let by_site = pick("site", "by-site.csv");
    let count = |rows: &[String], p: &str| rows.iter().filter(|r| *r == p).count();
    // North and south take turns: P4 alone gets north's three picks.
    assert_eq!(count(&by_site, "P4"), 3, "{by_site:?}");
    assert_eq!(count(&by_site, "P7") + count(&by_site, "P8"), 3);
    // Without groups the participants take turns: two each.
    let by_none = pick("", "by-none.csv");
    for p in ["P4", "P7", "P8"] {
        assert_eq!(count(&by_none, p), 2, "{by_none:?}");
    }
    let (header, rows) =
        parse_csv(&std::fs::read_to_string(dir.path().join("by-site.csv")).unwrap());
    let group = header.iter().position(|h| h == "group").unwrap();
    assert!(
        rows.iter()
            .all(|r| r[group] == "north" || r[group] == "south")
    );
}

/// The training segments and participants a `mint learn -o` reports.
fn trained_on(from: &[&Path], dir: &Path) -> (u64, u64) {
    let model = dir.join("model.json");
    let (stdout, stderr, code) = run(learn_from(from, &["--format", "json", "-o"]).arg(&model));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    (
        json["segments"].as_u64().unwrap(),
        json["participants"].as_u64().unwrap(),
    )
}

#[test]
fn a_filled_in_template_adds_only_the_segments_it_lists() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = human_without(dir.path(), &["P7", "P8"]);
    let next = dir.path().join("next.csv");
    let (_, stderr, code) = run(learn_from(&[&sheet], &["--suggest-next", "3", "-o"]).arg(&next));
    assert_eq!(code, 0, "{stderr}");
    // The researcher codes the first passage, and finds no code in the others.
    let text = std::fs::read_to_string(&next).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1].push_str("staff");
    let filled = dir.path().join("filled.csv");
    std::fs::write(&filled, lines.join("\n") + "\n").unwrap();
    let (before, people_before) = trained_on(&[&sheet], dir.path());
    let (after, people_after) = trained_on(&[&sheet, &filled], dir.path());
    // Three more segments, not all of P7's and P8's ten.
    assert_eq!(after, before + 3);
    let new_people: std::collections::BTreeSet<String> =
        picked_participants(&next).into_iter().collect();
    assert_eq!(people_after, people_before + new_people.len() as u64);
    // The same segments are not offered again.
    let again = dir.path().join("again.csv");
    let (_, stderr, code) =
        run(learn_from(&[&sheet, &filled], &["--suggest-next", "3", "-o"]).arg(&again));
    assert_eq!(code, 0, "{stderr}");
    let spans = |p: &Path| -> Vec<(String, String)> {
        let (_, rows) = parse_csv(&std::fs::read_to_string(p).unwrap());
        rows.into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect()
    };
    let first = spans(&next);
    assert!(
        spans(&again).iter().all(|s| !first.contains(s)),
        "{:?}",
        spans(&again)
    );
}

#[test]
fn suggest_next_writes_a_project_to_code_and_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = human_without(dir.path(), &["P7", "P8"]);
    let project = dir.path().join("next.qdpx");
    let (_, stderr, code) =
        run(learn_from(&[&sheet], &["--suggest-next", "3", "-o"]).arg(&project));
    assert_eq!(code, 0, "{stderr}");
    // The marked passages, with the model's guess in the memo.
    let (stdout, stderr, code) = run(mint().arg("codings").arg(&project));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    let code_col = header.iter().position(|h| h == "code").unwrap();
    assert_eq!(rows.len(), 3, "{stdout}");
    assert!(
        rows.iter().all(|r| r[code_col] == "mint: code next"),
        "{stdout}"
    );
    // Each marked passage says why, and the project is valid REFI-QDA.
    let qde = entries(&std::fs::read(&project).unwrap())
        .into_iter()
        .find(|(n, _)| n == "project.qde")
        .unwrap()
        .1;
    let memo = "code this passage next (the model's uncertainty";
    assert_eq!(qde.matches(memo).count(), 3, "{qde}");
    validate(&qde);
    // Read back as it comes (nothing coded yet): three segments of no code.
    let (before, _) = trained_on(&[&sheet], dir.path());
    let (after, _) = trained_on(&[&sheet, &project], dir.path());
    assert_eq!(after, before + 3);
    // Any other extension is refused.
    let (_, stderr, code) = run(
        learn_from(&[&sheet], &["--suggest-next", "3", "-o"]).arg(dir.path().join("next.xlsx"))
    );
    assert_eq!(code, 2);
    assert!(stderr.contains(".csv or .qdpx"), "{stderr}");
}

#[test]
fn corrected_gives_each_learned_code_per_group_with_an_interval() {
    let dir = tempfile::tempdir().unwrap();
    let model = train(dir.path(), "1");
    let (stdout, stderr, code) = run(code_fixture("learn/transcripts", &model).args([
        "--by",
        "site",
        "--corrected",
        "--wide",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (_, corrected) = stdout
        .split_once("corrected for the model's error")
        .unwrap();
    assert!(corrected.contains("parking_problems"), "{corrected}");
    assert!(
        corrected.contains("north") && corrected.contains("south"),
        "{corrected}"
    );
    assert!(corrected.contains("% ["), "{corrected}");
    // staff is also a codebook code: corrected only with --origin learned.
    assert!(!corrected.contains("staff"), "{corrected}");
}

/// `mint code` over the learn fixture with `model`, by site.
fn code_with_model(model: &Path, extra: &[&str]) -> std::process::Command {
    let mut cmd = code_fixture("learn/transcripts", model);
    cmd.args(["--by", "site"]).args(extra);
    cmd
}

/// Every sheet of a workbook's sheet `name`, as text cells (numbers as
/// Rust prints them).
fn sheet_cells(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    Data::Float(x) => x.to_string(),
                    Data::Int(i) => i.to_string(),
                    Data::Bool(b) => b.to_string(),
                    other => panic!("{name}: unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn corrected_gives_the_same_figures_as_table_json_csv_and_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let model = train(dir.path(), "1");
    let (table, stderr, code) = run(&mut code_with_model(&model, &["--corrected", "--wide"]));
    assert_eq!(code, 0, "{stderr}");
    let (json, stderr, code) = run(&mut code_with_model(
        &model,
        &["--corrected", "--format", "json"],
    ));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let provenance = json["model"].as_str().unwrap().to_string();
    assert!(provenance.contains(" blake3:"), "{provenance}");
    assert!(
        table.contains(&format!("model's error ({provenance})")),
        "{table}"
    );
    let rows = json["corrected"].as_array().unwrap();
    let groups: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["code"].as_str().unwrap(), r["group"].as_str().unwrap()))
        .collect();
    assert_eq!(
        groups,
        [("parking_problems", "north"), ("parking_problems", "south")]
    );
    let (_, corrected_table) = table.split_once("corrected for the model's error").unwrap();
    let pct = |v: &serde_json::Value| v.as_f64().unwrap() * 100.0;
    for r in rows {
        let share = r["apparent"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&share), "{r}");
        assert!(
            corrected_table.contains(&format!(
                "{:.1}% [{:.1}, {:.1}]",
                pct(&r["corrected"]),
                pct(&r["corrected_low"]),
                pct(&r["corrected_high"])
            )),
            "{r} in {corrected_table}"
        );
        assert!(
            corrected_table.contains(&format!("{} of {}", r["segments_coded"], r["segments"])),
            "{r} in {corrected_table}"
        );
    }
    assert!(rows[0]["difference"].is_null());
    assert!(rows[1]["within_error"].is_boolean(), "{}", rows[1]);
    assert!(corrected_table.contains(&format!("{:+.1} pts", pct(&rows[1]["difference"]))));

    // The same rows as CSV and JSON files, and as a workbook sheet.
    let csv_path = dir.path().join("corrected.csv");
    let json_path = dir.path().join("corrected.json");
    let book = dir.path().join("run.xlsx");
    let (stdout, stderr, code) = run(code_with_model(&model, &["--format", "csv"])
        .arg("--corrected-out")
        .arg(&csv_path)
        .arg("--xlsx")
        .arg(&book));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("theme,"),
        "stdout holds the matrix: {stdout}"
    );
    let (_, stderr, code) = run(code_with_model(&model, &[])
        .arg("--corrected-out")
        .arg(&json_path));
    assert_eq!(code, 0, "{stderr}");
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
    assert_eq!(file["corrected"], json["corrected"]);
    assert_eq!(file["model"], json["model"]);
    let (header, csv_rows) = parse_csv(&std::fs::read_to_string(&csv_path).unwrap());
    assert_eq!(csv_rows.len(), rows.len());
    for (row, r) in csv_rows.iter().zip(rows) {
        for (name, cell) in header.iter().zip(row) {
            let want = &r[name.as_str()];
            match want {
                serde_json::Value::Number(n) if name.starts_with("segments") => {
                    assert_eq!(cell, &n.to_string(), "{name}")
                }
                serde_json::Value::Number(n) => {
                    let got: f64 = cell.parse().unwrap();
                    assert!(
                        (got - n.as_f64().unwrap()).abs() < 1e-4,
                        "{name}: {cell} {n}"
                    );
                }
                serde_json::Value::Null => assert_eq!(cell, "", "{name}"),
                serde_json::Value::Bool(b) => assert_eq!(cell, &b.to_string(), "{name}"),
                serde_json::Value::String(s) => assert_eq!(cell, s, "{name}"),
                other => panic!("{name}: {other}"),
            }
        }
    }
    // The workbook's About names the model.
    let about = sheet_cells(&book, "About");
    assert!(
        about
            .iter()
            .any(|r| r[..2] == ["model", provenance.as_str()]),
        "{about:?}"
    );
    let sheet = sheet_cells(&book, "Corrected");
    assert_eq!(sheet[0], header);
    for (got, want) in sheet[1..].iter().zip(&csv_rows) {
        for (g, w) in got.iter().zip(want) {
            match (g.parse::<f64>(), w.parse::<f64>()) {
                (Ok(a), Ok(b)) => assert!((a - b).abs() < 1e-9, "{g} {w}"),
                _ => assert_eq!(g, w),
            }
        }
    }
}

#[test]
fn corrected_with_csv_on_stdout_asks_for_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = train(dir.path(), "1");
    let (stdout, stderr, code) = run(&mut code_with_model(
        &model,
        &["--corrected", "--format", "csv"],
    ));
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("--corrected-out FILE.csv"), "{stderr}");
    // Without --corrected the JSON names the model and has no rows.
    let (json, stderr, code) = run(&mut code_with_model(&model, &["--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json["model"].as_str().unwrap().contains(" blake3:"));
    assert!(json.get("corrected").is_none());
}

#[test]
fn mint_learn_help() {
    let (stdout, stderr, code) = run(mint().args(["learn", "--help"]).env("COLUMNS", "100"));
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout);
}
