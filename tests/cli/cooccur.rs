//! `mint cooccur`: counts equal what the codings say.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::{mint, parse_csv, run};

#[test]
fn cooccurrence_counts_equal_those_computed_from_the_codings() {
    let (codings, _, code) = run(mint().args([
        "code",
        "examples/transcripts",
        "--codings",
        "-",
        "--format",
        "json",
        "-q",
    ]));
    assert_eq!(code, 0);
    let csv_end = codings.find("\n{").unwrap() + 1;
    let (header, rows) = parse_csv(&codings[..csv_end]);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let mut segments: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        segments
            .entry((
                r[col("file")].clone(),
                r[col("start")].clone(),
                r[col("end")].clone(),
            ))
            .or_default()
            .insert(r[col("theme")].clone());
    }
    let count = |a: &str, b: &str| {
        segments
            .values()
            .filter(|t| t.contains(a) && t.contains(b))
            .count()
            .to_string()
    };

    let (stdout, stderr, code) =
        run(mint().args(["cooccur", "examples/transcripts", "--format", "csv", "-q"]));
    assert_eq!(code, 0, "{stderr}");
    let (header, pairs) = parse_csv(&stdout);
    assert_eq!(header, ["a", "b", "n_a", "n_b", "n_ab", "c"]);
    assert_eq!(pairs.len(), 21, "6 themes: 15 pairs and 6 diagonals");
    for p in &pairs {
        assert_eq!(p[4], count(&p[0], &p[1]), "{p:?}");
        let (na, nb, nab): (f64, f64, f64) = (
            p[2].parse().unwrap(),
            p[3].parse().unwrap(),
            p[4].parse().unwrap(),
        );
        let c: f64 = p[5].parse().unwrap();
        assert!((c - nab / (na + nb - nab)).abs() < 0.0006, "{p:?}");
    }
}
