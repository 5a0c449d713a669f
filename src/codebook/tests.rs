//! Unit tests of the codebook module: the default codebook, reading TOML
//! and JSON, and the diagnostics of a broken file. The CLI's own tests are
//! under `tests/cli`.

use super::*;
use crate::error::CodebookError;

const SMALL: &str = r#"
[codebook]
name = "small"

[[themes]]
id = "hr_it"
label = "HR and IT"

[[codes]]
id = "systems"
theme = "hr_it"
patterns = ["IT", "system*"]
"#;

#[test]
fn default_codebook_loads_with_six_themes_of_five_codes_or_more() {
    let book = Codebook::default_codebook();
    let ids: Vec<&str> = book.themes.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "vision",
            "organisation",
            "professional_boundaries",
            "hr_it",
            "day_to_day_delivery",
            "measuring_impact"
        ]
    );
    for theme in &book.themes {
        let n = book.codes.iter().filter(|c| c.theme == theme.id).count();
        assert!(n >= 5, "theme {} has only {n} codes", theme.id);
    }
    for code in &book.codes {
        assert!(!code.definition.is_empty(), "{} has no definition", code.id);
        assert!(
            !code.when_to_use.is_empty(),
            "{} has no when_to_use",
            code.id
        );
        assert!(
            !code.when_not_to_use.is_empty(),
            "{} lacks when_not_to_use",
            code.id
        );
    }
}

#[test]
fn toml_codes_remember_their_line() {
    let book = Codebook::from_toml_str(SMALL, "small.toml").unwrap();
    assert_eq!(book.themes[0].line, Some(5));
    assert_eq!(book.codes[0].line, Some(9));
}

#[test]
fn json_and_toml_give_the_same_codebook() {
    let toml_book = Codebook::from_toml_str(SMALL, "a.toml").unwrap();
    let json = serde_json::to_string(&toml_book).unwrap();
    let json_book = Codebook::from_json_str(&json, "a.json").unwrap();
    assert_eq!(json_book.codes[0].patterns, toml_book.codes[0].patterns);
    assert_eq!(json_book.themes[0].label, "HR and IT");
}

#[test]
fn validation_reports_every_problem_with_its_line() {
    let text = r#"
[[themes]]
id = "t"
[[codes]]
id = "a"
theme = "t"
patterns = [""]
[[codes]]
id = "a"
theme = "nope"
patterns = ["in*x"]
"#;
    let err = Codebook::from_toml_str(text, "bad.toml").unwrap_err();
    let CodebookError::Invalid { problems, .. } = err else {
        panic!("expected Invalid, got {err:?}");
    };
    let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        shown,
        [
            "line 7, column 13: code \"a\": empty pattern",
            "line 9, column 6: code \"a\" is defined twice (first at line 4)",
            "line 10, column 9: code \"a\" names theme \"nope\", which does not exist",
            "line 11, column 13: code \"a\": pattern \"in*x\": `*` may only end a word (as in `integrat*`)",
        ]
    );
}

#[test]
fn every_unknown_key_is_reported_with_its_position() {
    let text = "[[themes]]\nid = \"t\"\ncolour = 3\n[[codes]]\nid = \"c\"\ntheme = \"t\"\npaterns = [\"x\"]\npatterns = [\"y\"]\n";
    let err = Codebook::from_toml_str(text, "x.toml").unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.toml: 2 problems:\n  line 3, column 1: unknown key `colour` in a theme (expected one of: id, label, description)\n  \
         line 7, column 1: unknown key `paterns` in a code (expected one of: id, theme, parent, label, origin, status, short_definition, definition, when_to_use, when_not_to_use, examples, counterexamples, patterns, exclude, min_hits, not_after, not_after_words)"
    );
}
