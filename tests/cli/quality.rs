//! How well the default codebook codes talk it was not written from:
//! `tests/data/eval/turns.toml` holds 180 synthetic participant turns, each
//! labelled with the one theme the speaker mainly talks about, written
//! independently of `codebooks/mint.toml`. The bar is the one set for real
//! interview excerpts: the labelled theme is among the coded themes for at
//! least three turns in four, with at most two themes per turn on average.

use std::collections::BTreeSet;

use mint::codebook::Codebook;
use mint::matcher::Matcher;
use serde::Deserialize;

#[derive(Deserialize)]
struct Eval {
    turn: Vec<Turn>,
}

#[derive(Deserialize)]
struct Turn {
    id: String,
    theme: String,
    text: String,
}

#[test]
fn default_codebook_finds_the_theme_of_three_turns_in_four_with_at_most_two_themes_each() {
    let eval: Eval =
        toml::from_str(&std::fs::read_to_string(crate::util::fixture("eval/turns.toml")).unwrap())
            .unwrap();
    let book = Codebook::default_codebook();
    let matcher = Matcher::new(&book).unwrap();
    let mut found = 0;
    let mut themes_coded = 0;
    let mut misses = Vec::new();
    let mut hits = Vec::new();
    for turn in &eval.turn {
        hits.clear();
        matcher.find(&turn.text, &mut hits);
        let themes: BTreeSet<&str> = hits
            .iter()
            .map(|h| book.themes[matcher.theme_of(h.code)].id.as_str())
            .collect();
        themes_coded += themes.len();
        if themes.contains(turn.theme.as_str()) {
            found += 1;
        } else {
            misses.push(turn.id.as_str());
        }
    }
    let n = eval.turn.len();
    assert_eq!(n, 180);
    let recall = found as f64 / n as f64;
    let per_turn = themes_coded as f64 / n as f64;
    println!("recall {recall:.3}, themes per turn {per_turn:.2}, missed: {misses:?}");
    assert!(
        recall >= 0.75,
        "recall {recall:.3} < 0.75; missed {misses:?}"
    );
    assert!(per_turn <= 2.0, "{per_turn:.2} themes per turn on average");
}

#[test]
fn every_default_code_codes_its_examples_and_not_its_counterexamples() {
    let book = Codebook::default_codebook();
    let matcher = Matcher::new(&book).unwrap();
    let mut failures = Vec::new();
    let mut hits = Vec::new();
    for (ci, code) in book.codes.iter().enumerate() {
        assert!(
            code.examples.len() >= 2,
            "{} has fewer than two examples",
            code.id
        );
        for (sentence, want) in code
            .examples
            .iter()
            .map(|e| (e, true))
            .chain(code.counterexamples.iter().map(|e| (e, false)))
        {
            hits.clear();
            matcher.find(sentence, &mut hits);
            if hits.iter().any(|h| h.code == ci) != want {
                failures.push(format!(
                    "{}: {sentence:?} should{} be coded",
                    code.id,
                    if want { "" } else { " not" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
