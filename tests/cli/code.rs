//! `mint code`: parsing, coding rules, outputs, attributes and exit status,
//! on the tiny synthetic fixture in `tests/data/basic`.

use std::collections::BTreeMap;
use std::fs;

use crate::util::{fixture, mint, parse_csv, run};

const BASIC: &str = "tests/data/basic/transcripts";
const CODEBOOK: &str = "tests/data/basic/codebook.toml";
const SHEET: &str = "tests/data/basic/attributes.csv";

/// Runs `mint code` on the basic fixture with `extra` flags and returns the
/// codings CSV as (header, rows as maps).
fn codings(extra: &[&str]) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("codings.csv");
    let (_, stderr, code) = run(mint()
        .args([
            "code",
            BASIC,
            "--codebook",
            CODEBOOK,
            "--attributes",
            SHEET,
            "--codings",
        ])
        .arg(&path)
        .args(extra));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&fs::read_to_string(&path).unwrap());
    let maps = rows
        .into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect();
    (header, maps)
}

fn summary(rows: &[BTreeMap<String, String>]) -> Vec<(String, String, String, String)> {
    rows.iter()
        .map(|r| {
            (
                r["file"].clone(),
                r["turn"].clone(),
                r["code"].clone(),
                r["matched"].clone(),
            )
        })
        .collect()
}

fn s(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into())
}

#[test]
fn codings_csv_lists_every_coded_turn_with_its_evidence() {
    let (header, rows) = codings(&[]);
    assert_eq!(
        header,
        [
            "file",
            "participant",
            "turn",
            "speaker",
            "start",
            "end",
            "theme",
            "code",
            "matched",
            "text",
            "area",
            "level",
            "sector",
            "pattern",
            "match_start",
            "match_end",
            "time_start",
            "time_end",
            "score",
            "primary",
            "line",
            "segment_id"
        ]
    );
    assert_eq!(
        summary(&rows),
        [
            s("p1.txt", "2", "it_systems", "IT"),
            s("p1.txt", "2", "colocation", "co-\nlocated"),
            s("p1.txt", "4", "gp", "GP"),
            s("p2.txt", "2", "social_care", "Social-\r\ncare"),
            s("p2.txt", "4", "colocation", "same\r\nbuilding"),
            s("p4.md", "1", "social_care", "social care"),
        ]
    );
    assert_eq!(rows[1]["pattern"], "co-locat*");
    assert_eq!(rows[2]["speaker"], "P1");
    assert_eq!(rows[3]["speaker"], "R");
}

#[test]
fn codings_offsets_are_code_points_into_the_decoded_text() {
    let (_, rows) = codings(&[]);
    for row in &rows {
        let bytes = fs::read(fixture(&format!("basic/transcripts/{}", row["file"]))).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let chars: Vec<char> = text
            .strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .chars()
            .collect();
        let at = |a: &str, b: &str| -> String {
            chars[row[a].parse::<usize>().unwrap()..row[b].parse::<usize>().unwrap()]
                .iter()
                .collect()
        };
        assert_eq!(at("start", "end"), row["text"], "segment of {row:?}");
        assert_eq!(
            at("match_start", "match_end"),
            row["matched"],
            "match of {row:?}"
        );
    }
    // The BOM is not counted: p2's second turn starts right after "R: ".
    let p2 = rows.iter().find(|r| r["file"] == "p2.txt").unwrap();
    assert_eq!(p2["start"], "95");
    assert!(p2["text"].starts_with("Social-\r\ncare is stretched"));
}

#[test]
fn interviewer_turns_are_never_coded() {
    // p1's interviewer asks about IT, the same building and GPs.
    let (_, rows) = codings(&[]);
    assert!(
        rows.iter()
            .all(|r| !["Interviewer", "I", "Q"].contains(&r["speaker"].as_str()))
    );
    let (_, rows) = codings(&["--interviewer", "P1"]);
    assert!(rows.iter().all(|r| r["participant"] != "P1"), "{rows:?}");
}

#[test]
fn acronyms_match_case_sensitively_and_exclusions_veto() {
    let (_, rows) = codings(&[]);
    // p2 says "it is what it is", p3 says "gp practice": neither is an acronym.
    assert!(
        !rows
            .iter()
            .any(|r| r["file"] == "p2.txt" && r["code"] == "it_systems")
    );
    // p3's first answer mentions GPs, but "GP training" vetoes the code.
    assert!(!rows.iter().any(|r| r["file"] == "p3.txt"), "{rows:?}");
}

#[test]
fn attributes_come_from_front_matter_and_the_sheet() {
    let (_, rows) = codings(&[]);
    let p1 = &rows[0];
    assert_eq!(
        (
            p1["level"].as_str(),
            p1["sector"].as_str(),
            p1["area"].as_str()
        ),
        ("strategic", "health", "")
    );
    let (_, stderr, code) =
        run(mint().args(["code", BASIC, "--codebook", CODEBOOK, "--attributes", SHEET]));
    assert_eq!(code, 0);
    assert!(
        stderr.contains("attributes.csv:3: attributes row \"P9\" matches no transcript"),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 participant without \"level\", shown as (missing): p4"),
        "{stderr}"
    );
    assert!(stderr.contains("p4.md:1: no speaker labels"), "{stderr}");
}

#[test]
fn sentence_and_paragraph_units_code_smaller_segments() {
    let (_, rows) = codings(&["--unit", "sentence"]);
    let p1: Vec<&str> = rows
        .iter()
        .filter(|r| r["file"] == "p1.txt")
        .map(|r| r["text"].as_str())
        .collect();
    assert_eq!(
        p1,
        [
            "The IT\nsystems don't talk to each other.",
            "We are co-\nlocated now though.",
            "The GP comes to the huddle on Tuesdays."
        ]
    );
    let turns: Vec<&str> = rows
        .iter()
        .filter(|r| r["file"] != "p4.md")
        .map(|r| r["turn"].as_str())
        .collect();
    assert_eq!(
        turns,
        ["2", "2", "4", "2", "4"],
        "turn numbers still count turns"
    );
    let (_, rows) = codings(&["--unit", "paragraph"]);
    assert_eq!(rows.iter().filter(|r| r["file"] == "p1.txt").count(), 3);
}

fn json(extra: &[&str]) -> serde_json::Value {
    let (stdout, stderr, code) = run(mint()
        .args([
            "code",
            BASIC,
            "--codebook",
            CODEBOOK,
            "--attributes",
            SHEET,
            "--format",
            "json",
        ])
        .args(extra));
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn json_has_schema_version_groups_and_percentages_of_group_size() {
    let v = json(&["--by", "level"]);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["breakdown"], serde_json::json!(["level"]));
    let groups: Vec<(String, u64)> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["label"].as_str().unwrap().to_string(),
                g["size"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("(missing)".into(), 1),
            ("operational".into(), 2),
            ("strategic".into(), 1)
        ]
    );
    let hr_it = &v["rows"][0];
    assert_eq!(hr_it["theme"], "hr_it");
    assert!(hr_it["code"].is_null());
    // P2 (one of two operational participants) spoke of co-location once.
    assert_eq!(
        hr_it["cells"][1],
        serde_json::json!({"references": 1, "participants": 1, "group_size": 2, "percent": 50.0})
    );
    // P1's one turn coded with two hr_it codes counts once for the theme.
    assert_eq!(hr_it["cells"][2]["references"], 1);
    assert_eq!(
        hr_it["total"],
        serde_json::json!({"references": 2, "participants": 2, "group_size": 4, "percent": 50.0})
    );
    let delivery = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["theme"] == "delivery" && r["code"].is_null())
        .unwrap();
    assert_eq!(delivery["total"]["participants"], 3);
    assert_eq!(delivery["total"]["percent"], 75.0);
}

#[test]
fn default_breakdown_is_level_by_sector() {
    let v = json(&[]);
    assert_eq!(v["breakdown"], serde_json::json!(["level", "sector"]));
    let labels: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "(missing) / (missing)",
            "operational / health",
            "operational / social care",
            "strategic / health"
        ]
    );
}

#[test]
fn matrix_csv_is_wide_by_default_and_long_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let wide = dir.path().join("wide.csv");
    let long = dir.path().join("long.csv");
    for (path, extra) in [(&wide, None), (&long, Some("--long"))] {
        let (_, stderr, code) = run(mint()
            .args([
                "code",
                BASIC,
                "--codebook",
                CODEBOOK,
                "--by",
                "level",
                "--matrix",
            ])
            .arg(path)
            .args(extra));
        assert_eq!(code, 0, "{stderr}");
    }
    let (header, rows) = parse_csv(&fs::read_to_string(&wide).unwrap());
    assert_eq!(
        &header[..8],
        [
            "theme",
            "code",
            "label",
            "origin",
            "(missing): references",
            "(missing): participants",
            "(missing): N",
            "(missing): percent"
        ]
    );
    assert_eq!(header.last().unwrap(), "total: percent");
    assert_eq!(rows.len(), 2 + 4, "two theme rows and four code rows");
    assert_eq!(
        &rows[1][..4],
        ["hr_it", "it_systems", "IT systems", "predefined"]
    );

    let (header, rows) = parse_csv(&fs::read_to_string(&long).unwrap());
    assert_eq!(
        header,
        [
            "theme",
            "code",
            "level",
            "references",
            "participants",
            "group_size",
            "percent"
        ]
    );
    let colocation_operational: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[1] == "colocation" && r[2] == "operational")
        .collect();
    // Without the sheet p3 has no level, so operational is P2 alone.
    assert_eq!(
        colocation_operational,
        [&vec![
            "hr_it".to_string(),
            "colocation".into(),
            "operational".into(),
            "1".into(),
            "1".into(),
            "1".into(),
            "100.0".into()
        ]]
    );
    assert_eq!(rows.len(), 6 * 4, "six rows × (three groups + total)");
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "1"] {
        let codings = dir.path().join(format!("c{threads}.csv"));
        let (stdout, _, code) = run(mint()
            .args([
                "code",
                "examples/transcripts",
                "--format",
                "json",
                "--threads",
                threads,
                "--codings",
            ])
            .arg(&codings));
        assert_eq!(code, 0);
        outputs.push((stdout, fs::read(&codings).unwrap()));
    }
    assert!(outputs[0].1.len() > 1000);
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn missing_input_is_a_clear_error_with_exit_2() {
    let (stdout, stderr, code) = run(mint().args(["code", "tests/data/no-such-folder"]));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.starts_with("mint: tests/data/no-such-folder: "),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("mint: no transcript could be read\n"),
        "{stderr}"
    );
    assert!(stderr.contains("No such file or directory"), "{stderr}");
}

#[test]
fn a_bad_file_is_reported_with_path_and_line_and_the_rest_is_coded() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["p1.txt", "p2.txt"] {
        fs::copy(
            fixture(&format!("basic/transcripts/{f}")),
            dir.path().join(f),
        )
        .unwrap();
    }
    fs::write(
        dir.path().join("bad.txt"),
        "---\nparticipant: X\nI: never closed\n",
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("dangling.txt"))
        .unwrap();
    let (stdout, stderr, code) = run(mint()
        .args(["code", "--codebook", CODEBOOK, "--format", "csv"])
        .arg(dir.path()));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "mint: {}:1: front matter opened with `---` is never closed",
            dir.path().join("bad.txt").display()
        )),
        "{stderr}"
    );
    #[cfg(unix)]
    assert!(stderr.contains("dangling.txt"), "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    let total = header
        .iter()
        .position(|h| h == "total: participants")
        .unwrap();
    assert_eq!(rows[0][total], "2", "P1 and P2 were still coded: {stdout}");
}

#[test]
fn an_invalid_codebook_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("bad.toml");
    fs::write(
        &book,
        "[[themes]]\nid = \"t\"\n\n[[codes]]\nid = \"trust\"\ntheme = \"t\"\npatterns = [\"\"]\n",
    )
    .unwrap();
    let (_, stderr, code) = run(mint().args(["code", BASIC, "--codebook"]).arg(&book));
    assert_eq!(code, 2);
    assert!(stderr.contains("failed to load codebook"), "{stderr}");
    assert!(
        stderr.contains("line 7, column 13: code \"trust\": empty pattern"),
        "{stderr}"
    );
}

#[test]
fn output_files_are_replaced_atomically_and_symlinks_and_devices_survive() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&real, &link).unwrap();
    #[cfg(not(unix))]
    fs::copy(&real, &link).unwrap();
    let (_, stderr, code) = run(mint()
        .args(["code", BASIC, "--codebook", CODEBOOK, "--matrix"])
        .arg(&link));
    assert_eq!(code, 0, "{stderr}");
    #[cfg(unix)]
    {
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link is still a link"
        );
        assert!(
            fs::read_to_string(&real)
                .unwrap()
                .starts_with("theme,code,")
        );
        use std::os::unix::fs::PermissionsExt;
        let new = dir.path().join("new.csv");
        run(mint()
            .args(["code", BASIC, "--codebook", CODEBOOK, "--codings"])
            .arg(&new));
        assert_eq!(
            fs::metadata(&new).unwrap().permissions().mode() & 0o777,
            0o644
        );
        // A device is written in place, never replaced. See: /dev/null.
        let (_, stderr, code) = run(mint().args([
            "code",
            BASIC,
            "--codebook",
            CODEBOOK,
            "--codings",
            "/dev/null",
        ]));
        assert_eq!(code, 0, "{stderr}");
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.to_string_lossy().starts_with(".mint-")),
        "{names:?}"
    );
}

#[test]
fn outputs_are_never_written_inside_the_input_folder_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        fixture("basic/transcripts/p1.txt"),
        dir.path().join("p1.txt"),
    )
    .unwrap();
    let inside = dir.path().join("out.csv");
    let (_, stderr, code) = run(mint()
        .args(["code", "--codebook", CODEBOOK])
        .arg(dir.path())
        .arg("--matrix")
        .arg(&inside));
    assert_eq!(code, 2);
    assert!(stderr.contains("refusing to write"), "{stderr}");
    assert!(!inside.exists());
    let (_, stderr, code) = run(mint()
        .args(["code", "--codebook", CODEBOOK, "--write-into-input"])
        .arg(dir.path())
        .arg("--matrix")
        .arg(&inside));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        fs::read_to_string(&inside)
            .unwrap()
            .starts_with("theme,code,")
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary file is left behind: {leftovers:?}"
    );
}

#[test]
fn the_example_study_prints_a_level_by_sector_table() {
    let (stdout, stderr, code) =
        run(mint().args(["code", "examples/transcripts", "--color", "never", "--wide"]));
    assert_eq!(code, 0, "{stderr}");
    for heading in [
        "operational / health",
        "operational / social care",
        "strategic / health",
        "strategic / social care",
        "total",
    ] {
        assert!(stdout.contains(heading), "missing {heading}:\n{stdout}");
    }
    assert!(
        stdout.contains("N=9") && stdout.contains("N=3") && stdout.contains("N=24"),
        "{stdout}"
    );
    for theme in [
        "vision",
        "organisation",
        "professional_boundaries",
        "hr_it",
        "day_to_day_delivery",
        "measuring_impact",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(&format!("│ {theme} "))),
            "no row for {theme}"
        );
    }
    assert!(stderr.contains("24 files, 24 participants"), "{stderr}");
    assert!(!stdout.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn the_attributes_sheet_alone_gives_the_same_table_as_front_matter() {
    // Strip the front matter from a copy of the example study and supply the
    // same attributes through examples/participants.csv instead.
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir("examples/transcripts").unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        fs::write(dir.path().join(path.file_name().unwrap()), body).unwrap();
    }
    let json = |args: &[&std::ffi::OsStr]| {
        let (stdout, stderr, code) = run(mint()
            .args(["code", "--format", "json", "--by", "level,sector,area"])
            .args(args));
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    let from_front_matter = json(&["examples/transcripts".as_ref()]);
    let from_sheet = json(&[
        dir.path().as_os_str(),
        "--attributes".as_ref(),
        "examples/participants.csv".as_ref(),
    ]);
    assert_eq!(from_front_matter, from_sheet);
}

/// Golden outputs of the basic fixture in all three formats.
#[test]
fn basic_fixture_outputs_are_stable() {
    for (name, format, extra) in [
        ("table", "table", None),
        ("csv", "csv", None),
        ("long_csv", "csv", Some("--long")),
        ("json", "json", None),
    ] {
        let (stdout, stderr, code) = run(mint()
            .args([
                "code",
                BASIC,
                "--codebook",
                CODEBOOK,
                "--attributes",
                SHEET,
                "--color",
                "never",
                "--format",
                format,
            ])
            .args(extra));
        insta::assert_snapshot!(
            format!("basic_{name}"),
            format!("exit: {code}\n--- stderr\n{stderr}--- stdout\n{stdout}")
        );
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    // The codings of the example study overflow a pipe buffer.
    let mut child = mint()
        .args([
            "code",
            "examples/transcripts",
            "-q",
            "--codings",
            "-",
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here, closing the pipe.
    let out = child.wait_with_output().unwrap();
    assert_eq!(&first[..5], b"file,");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn explain_shows_the_rule_behind_every_coding() {
    let (stdout, stderr, code) =
        run(mint().args(["code", BASIC, "--codebook", CODEBOOK, "--explain", "-q"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("p1.txt:9 turn 2 (P1, P1): Honestly it is a mess."),
        "{stdout}"
    );
    assert!(
        stdout.contains("  hr_it / colocation  ← \"co-locat*\" matched \"co-\\nlocated\""),
        "{stdout}"
    );
    insta::assert_snapshot!(stdout);
}

#[test]
fn rules_count_segments_and_participants_per_pattern_and_group() {
    let (stdout, stderr, code) = run(mint().args([
        "code",
        BASIC,
        "--codebook",
        CODEBOOK,
        "--attributes",
        SHEET,
        "--by",
        "level",
        "--rules",
        "-",
        "--format",
        "json",
        "-q",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let csv_end = stdout.find("\n{").unwrap() + 1;
    let (header, rows) = parse_csv(&stdout[..csv_end]);
    assert_eq!(
        &header[..5],
        [
            "theme",
            "code",
            "pattern",
            "(missing): references",
            "(missing): participants"
        ]
    );
    let row = |pattern: &str| rows.iter().find(|r| r[2] == pattern).unwrap().clone();
    // "social care": p4 (no level) and P2 (operational); "GPs" never matched.
    assert_eq!(
        row("social care")[3..],
        ["1", "1", "1", "1", "0", "0", "2", "2"]
    );
    assert_eq!(row("GPs")[3..], ["0", "0", "0", "0", "0", "0", "0", "0"]);
    assert_eq!(rows.len(), 7, "every pattern has a row");
}

#[test]
fn stats_compare_groups_with_the_right_test_and_a_warning() {
    let (stdout, stderr, code) = run(mint().args([
        "code",
        "examples/transcripts",
        "--stats",
        "--by",
        "sector",
        "--format",
        "csv",
        "-q",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (header, rows) = parse_csv(&stdout);
    assert_eq!(
        header,
        [
            "theme",
            "code",
            "attribute",
            "value",
            "mentioning",
            "size",
            "test",
            "statistic",
            "df",
            "p",
            "p_adjusted",
            "correction"
        ]
    );
    let row = |code: &str, value: &str| {
        rows.iter()
            .find(|r| r[1] == code && r[3] == value)
            .unwrap()
            .clone()
    };
    // 0 of 12 health staff vs 5 of 12 social care staff: expected counts under
    // 5, so Fisher's exact test; two-sided p = 0.0373 (hypergeometric).
    let health = row("health_dominance", "health");
    assert_eq!(
        health[4..10],
        ["0", "12", "Fisher's exact", "", "", "0.0373"]
    );
    assert_eq!(health[11], "Holm");
    let (table, _, _) = run(mint().args([
        "code",
        "examples/transcripts",
        "--stats",
        "--by",
        "sector",
        "-q",
    ]));
    assert!(table.contains("Group comparison"), "{table}");
    assert!(table.contains("they do not generalise"), "{table}");
    let (json, _, _) = run(mint().args([
        "code",
        "examples/transcripts",
        "--stats",
        "--format",
        "json",
        "-q",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["stats_note"]
            .as_str()
            .unwrap()
            .contains("do not generalise")
    );
    assert!(v["stats"].as_array().unwrap().len() > 40);
}

#[test]
fn min_cell_hides_small_counts_in_every_export() {
    let (stdout, _, code) = run(mint().args([
        "code",
        "examples/transcripts",
        "--by",
        "level,sector",
        "--min-cell",
        "5",
        "--format",
        "csv",
        "-q",
    ]));
    assert_eq!(code, 0);
    let (header, rows) = parse_csv(&stdout);
    let health_dominance = rows.iter().find(|r| r[1] == "health_dominance").unwrap();
    let col = |h: &str| header.iter().position(|x| x == h).unwrap();
    // Strategic social care: 2 of 3 participants, 4 references.
    assert_eq!(
        health_dominance[col("strategic / social care: participants")],
        "<5"
    );
    assert_eq!(
        health_dominance[col("strategic / social care: references")],
        "<5"
    );
    assert_eq!(
        health_dominance[col("strategic / social care: percent")],
        "–"
    );
    assert_eq!(
        health_dominance[col("strategic / social care: N")],
        "3",
        "group sizes are not hidden"
    );
    assert_eq!(
        health_dominance[col("operational / health: participants")],
        "0",
        "zero is not hidden"
    );
    for row in &rows {
        for cell in row.iter().skip(4) {
            if let Ok(n) = cell.parse::<u64>() {
                assert!(
                    n == 0
                        || n >= 5
                        || header[row.iter().position(|c| std::ptr::eq(c, cell)).unwrap()]
                            .ends_with(": N"),
                    "{cell} in {row:?}"
                );
            }
        }
    }
    let (table, _, _) = run(mint().args(["code", "examples/transcripts", "--min-cell", "5", "-q"]));
    assert!(table.contains("<5 · <5 (–)"), "{table}");
    // A group of 3 is itself a small count: its size is hidden too.
    assert!(table.contains("N<5") && !table.contains("N=3"), "{table}");
    let (wide, _, _) = run(mint().args([
        "code",
        "examples/transcripts",
        "--min-cell",
        "5",
        "-q",
        "--wide",
    ]));
    assert!(wide.contains("<5 / <5 of 3 (–)"), "{wide}");
    let (json, _, _) = run(mint().args([
        "code",
        "examples/transcripts",
        "--min-cell",
        "5",
        "--format",
        "json",
        "-q",
    ]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["suppressed_below"], 5);
}

#[test]
fn a_cache_codes_only_new_files_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, cache) = (dir.path().join("corpus"), dir.path().join("cache"));
    fs::create_dir(&corpus).unwrap();
    for f in ["p1.txt", "p2.txt"] {
        fs::copy(fixture(&format!("basic/transcripts/{f}")), corpus.join(f)).unwrap();
    }
    let entries = || -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
        let mut out: Vec<_> = walk(&cache)
            .into_iter()
            .map(|p| {
                let t = fs::metadata(&p).unwrap().modified().unwrap();
                (p, t)
            })
            .collect();
        out.sort();
        out
    };
    let code = |cached: bool| {
        let mut cmd = mint();
        cmd.args([
            "code",
            "--codebook",
            CODEBOOK,
            "--format",
            "json",
            "--codings",
            "-",
            "-q",
        ])
        .arg(&corpus);
        if cached {
            cmd.arg("--cache").arg(&cache);
        }
        let (stdout, stderr, status) = run(&mut cmd);
        assert_eq!(status, 0, "{stderr}");
        stdout
    };
    let first = code(true);
    assert_eq!(first, code(false));
    let before = entries();
    assert_eq!(before.len(), 2, "one entry per file");
    // A new batch arrives: only it is coded; the old entries are not rewritten.
    fs::copy(fixture("basic/transcripts/p3.txt"), corpus.join("p3.txt")).unwrap();
    let second = code(true);
    assert_eq!(second, code(false));
    let after = entries();
    assert_eq!(after.len(), 3);
    for entry in &before {
        assert!(after.contains(entry), "{entry:?} was rewritten");
    }
    // A different codebook never reuses the entries.
    let (_, _, status) = run(mint()
        .args(["code", "--format", "json", "-q", "--cache"])
        .arg(&cache)
        .arg(&corpus));
    assert_eq!(status, 0);
    assert_eq!(entries().len(), 6);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
