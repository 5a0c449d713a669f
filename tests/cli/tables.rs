//! Terminal tables that fit `$COLUMNS` (80 when stdout is not a terminal),
//! `--wide` for every column side by side, the outline of `codebook show`,
//! and the multiple-comparison correction of `--stats`.

use crate::util::{mint, parse_csv, run};

/// The widest line of `text`, in characters.
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

fn code(columns: &str, extra: &[&str]) -> String {
    let (stdout, stderr, status) = run(mint()
        .env("COLUMNS", columns)
        .args(["code", "examples/transcripts", "-q"])
        .args(extra));
    assert_eq!(status, 0, "{stderr}");
    stdout
}

#[test]
fn the_example_study_fits_80_columns() {
    let table = code("80", &[]);
    assert!(widest(&table) <= 80, "{table}");
    // Two blocks of groups, names repeated in each, and the legend.
    assert!(table.contains("part 1 of 2") && table.contains("part 2 of 2"));
    assert_eq!(table.matches("theme / code").count(), 2);
    assert!(table.contains("cells: references · participants"));
    assert!(table.contains("professional_bounda… = professional_boundaries"));
    insta::assert_snapshot!(table);
}

#[test]
fn without_columns_the_table_is_80_wide() {
    // The helper removes COLUMNS, and stdout is a pipe.
    let (stdout, _, _) = run(mint().args(["code", "examples/transcripts", "-q"]));
    assert_eq!(stdout, code("80", &[]));
}

#[test]
fn at_120_columns_every_group_is_side_by_side() {
    let table = code("120", &[]);
    assert!(widest(&table) <= 120, "{table}");
    assert!(!table.contains("part 1"));
    // No name is cut at this width.
    assert!(!table.contains('…'));
    insta::assert_snapshot!(table);
}

#[test]
fn wide_is_the_layout_of_old() {
    let table = code("80", &["--wide"]);
    assert!(widest(&table) > 120);
    assert!(table.contains("84 / 24 of 24 (100%)"));
    assert!(!table.contains("part 1"));
}

#[test]
fn compact_cells_keep_the_counts_of_the_csv() {
    let table = code("80", &[]);
    let (csv, _, _) = run(mint().args(["code", "examples/transcripts", "-q", "--format", "csv"]));
    let (header, rows) = parse_csv(&csv);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let vision = &rows[0];
    let cell = format!(
        "{} · {} ({}%)",
        vision[col("total: references")],
        vision[col("total: participants")],
        vision[col("total: percent")].trim_end_matches(".0"),
    );
    assert!(table.contains(&cell), "{cell} in\n{table}");
}

#[test]
fn small_groups_show_no_size_under_min_cell() {
    let table = code("120", &["--min-cell", "5"]);
    // The strategic groups have 3 participants.
    assert!(table.contains("N<5"), "{table}");
    assert!(!table.contains("N=3"));
    assert!(table.contains("counts from 1 to 4 shown as <5"));
}

#[test]
fn other_tables_fit_too() {
    for args in [
        &["sample", "examples/transcripts"][..],
        &["cooccur", "examples/transcripts"][..],
    ] {
        let (stdout, stderr, status) = run(mint().env("COLUMNS", "80").args(args).arg("-q"));
        assert_eq!(status, 0, "{stderr}");
        assert!(widest(&stdout) <= 80, "{args:?}\n{stdout}");
    }
}

#[test]
fn codebook_show_is_an_outline_that_fits() {
    let (stdout, stderr, status) = run(mint().args(["codebook", "show"]));
    assert_eq!(status, 0, "{stderr}");
    assert!(widest(&stdout) <= 80, "{stdout}");
    assert!(stdout.starts_with("vision: Vision and definition of integration (6 codes)\n"));
    assert!(stdout.contains("  meaning "));
    assert!(stdout.contains(" patterns  The participant defines"));
    insta::assert_snapshot!(stdout);
    let (wide, _, _) = run(mint().env("COLUMNS", "200").args(["codebook", "show"]));
    assert!(widest(&wide) > 80 && widest(&wide) <= 200);
}

#[test]
fn codebook_show_full_has_every_pattern() {
    let (json, _, _) = run(mint().args(["codebook", "show", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (full, stderr, status) = run(mint().args(["codebook", "show", "--full", "--wide"]));
    assert_eq!(status, 0, "{stderr}");
    for code in json["codes"].as_array().unwrap() {
        for pattern in code["patterns"].as_array().unwrap() {
            assert!(full.contains(pattern.as_str().unwrap()), "{pattern}");
        }
    }
    let (fitted, _, _) = run(mint().args(["codebook", "show", "--full"]));
    assert!(widest(&fitted) <= 80);
}

/// `mint code --stats` as JSON, with `extra` flags.
fn stats_json(extra: &[&str]) -> serde_json::Value {
    let (json, stderr, status) = run(mint()
        .args([
            "code",
            "examples/transcripts",
            "-q",
            "--stats",
            "--format",
            "json",
        ])
        .args(extra));
    assert_eq!(status, 0, "{stderr}");
    serde_json::from_str(&json).unwrap()
}

/// The p-values and adjusted p-values of the tests run.
fn p_values(json: &serde_json::Value) -> Vec<(f64, f64)> {
    json["stats"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| !t["p"].is_null())
        .map(|t| (t["p"].as_f64().unwrap(), t["p_adjusted"].as_f64().unwrap()))
        .collect()
}

#[test]
fn stats_are_corrected_by_holm_and_say_how_many_tests_ran() {
    let json = stats_json(&[]);
    let p = p_values(&json);
    assert_eq!(json["stats_correction"]["method"], "Holm");
    assert_eq!(json["stats_correction"]["tests"], p.len());
    assert!(p.len() > 10);
    // Holm multiplies the smallest p by the number of tests.
    let (min_p, min_adjusted) = p
        .iter()
        .copied()
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap();
    let expected = (min_p * p.len() as f64).min(1.0);
    assert!(
        (min_adjusted - expected).abs() < 0.002,
        "{min_adjusted} vs {expected}"
    );
    for (p, adjusted) in &p {
        assert!(adjusted >= p && *adjusted <= 1.0);
    }
    let (table, _, _) =
        run(mint()
            .env("COLUMNS", "80")
            .args(["code", "examples/transcripts", "-q", "--stats"]));
    assert!(table.contains(&format!(
        "{} tests run; p adjusted for all {}",
        p.len(),
        p.len()
    )));
    assert!(table.contains("p adjusted"));
    assert!(widest(&table) <= 80, "{table}");
}

#[test]
fn fdr_corrects_by_benjamini_hochberg() {
    let holm = p_values(&stats_json(&[]));
    let json = stats_json(&["--fdr"]);
    assert_eq!(json["stats_correction"]["method"], "Benjamini-Hochberg");
    let bh = p_values(&json);
    assert_eq!(holm.len(), bh.len());
    for ((p, h), (q, b)) in holm.iter().zip(&bh) {
        assert_eq!(p, q);
        assert!(b <= h && b >= p, "{b} {h} {p}");
    }
    let (csv, _, _) = run(mint().args([
        "code",
        "examples/transcripts",
        "-q",
        "--stats",
        "--fdr",
        "--format",
        "csv",
    ]));
    let (header, rows) = parse_csv(&csv);
    assert_eq!(header[10..], ["p_adjusted", "correction"]);
    assert!(rows.iter().all(|r| r[11] == "Benjamini-Hochberg"));
    let (_, stderr, status) = run(mint().args(["code", "examples/transcripts", "--fdr"]));
    assert_eq!(status, 2, "--fdr needs --stats: {stderr}");
}
