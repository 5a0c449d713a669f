//! `mint scan` and `mint redact`: findings, exit codes, the recall on the
//! seeded synthetic corpus, redacted copies and their key.

use std::collections::BTreeMap;

use crate::util::{fixture, mint, parse_csv, run};

/// A planted identifier of `tests/data/disclosure/planted.csv`.
struct Planted {
    file: String,
    line: usize,
    col: usize,
    kind: String,
    text: String,
}

fn planted() -> Vec<Planted> {
    let text = std::fs::read_to_string(fixture("disclosure/planted.csv")).unwrap();
    parse_csv(&text)
        .1
        .into_iter()
        .map(|r| Planted {
            file: r[0].clone(),
            line: r[1].parse().unwrap(),
            col: r[2].parse().unwrap(),
            kind: r[3].clone(),
            text: r[4].clone(),
        })
        .collect()
}

/// (file, line, col, kind) of every finding.
fn scan_corpus() -> Vec<(String, usize, usize, String)> {
    let (out, err, code) = run(mint().args([
        "scan",
        "tests/data/disclosure/corpus",
        "--names",
        "tests/data/disclosure/names.txt",
        "--format",
        "csv",
    ]));
    assert_eq!(code, 1, "{err}");
    let (header, rows) = parse_csv(&out);
    assert_eq!(header, ["file", "line", "col", "path", "kind", "excerpt"]);
    rows.into_iter()
        .map(|r| (r[0].clone(), r[1].parse().unwrap(), r[2].parse().unwrap(), r[4].clone()))
        .collect()
}

#[test]
fn scan_recall_on_the_planted_corpus_meets_the_targets() {
    let findings = scan_corpus();
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    let planted = planted();
    for p in planted.iter().filter(|p| p.kind != "none") {
        let found = findings.iter().any(|(f, l, c, k)| {
            *f == p.file
                && *l == p.line
                && *c == p.col
                && (k == &p.kind || (p.kind == "person" && k == "speaker"))
        });
        let e = by_kind.entry(p.kind.as_str()).or_default();
        e.1 += 1;
        if found {
            e.0 += 1;
        } else {
            missed.push(format!("{}:{}:{} {} {:?}", p.file, p.line, p.col, p.kind, p.text));
        }
    }
    let group = |names: bool| {
        let (hit, all) = by_kind
            .iter()
            .filter(|(k, _)| matches!(**k, "person" | "speaker" | "study_list") == names)
            .fold((0, 0), |a, (_, v)| (a.0 + v.0, a.1 + v.1));
        hit as f64 / all as f64
    };
    eprintln!("recall by kind (found, planted): {by_kind:?}");
    eprintln!("missed: {missed:#?}");
    eprintln!("structured {:.3}, names {:.3}", group(false), group(true));
    assert!(group(false) >= 0.98, "structured recall {:.3}", group(false));
    assert!(group(true) >= 0.90, "names recall {:.3}", group(true));
}

#[test]
fn times_money_years_and_wrong_nhs_numbers_are_not_flagged() {
    let findings = scan_corpus();
    for p in planted().iter().filter(|p| p.kind == "none") {
        let end = p.col + p.text.chars().count();
        let hit = findings
            .iter()
            .find(|(f, l, c, _)| *f == p.file && *l == p.line && (p.col..end).contains(c));
        assert!(hit.is_none(), "{}:{} {:?} flagged: {hit:?}", p.file, p.line, p.text);
    }
}
