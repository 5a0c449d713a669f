//! The codebook TOML (`Codebook::from_toml_str`), the pattern language
//! (`pattern::compile`, `pattern::check`) and the matcher built from them.

use mint::codebook::Codebook;
use mint::exchange::toml_basic_string;
use mint::matcher::{Hit, Matcher};
use mint::pattern;
use proptest::prelude::*;

use crate::{check, config, inputs, within};

/// A pattern: words and phrases of the pattern language, wildcards, `NEAR`,
/// `re:` regexes (valid or not), or any text.
pub fn pattern() -> impl Strategy<Value = String> {
    let plain = proptest::collection::vec(
        (
            prop_oneof![
                6 => proptest::sample::select(inputs::WORDS).prop_map(str::to_string),
                1 => inputs::word(),
            ],
            prop_oneof![4 => Just(""), 1 => Just("*")],
            prop_oneof![4 => Just(" "), 1 => Just("-"), 1 => Just("'"), 1 => Just("  ")],
        ),
        1..4,
    )
    .prop_map(|words| {
        let s: String = words
            .into_iter()
            .map(|(w, star, sep)| format!("{w}{star}{sep}"))
            .collect();
        s.trim_end_matches([' ', '-', '\'']).to_string()
    })
    .boxed();
    prop_oneof![
        6 => plain.clone(),
        2 => (plain.clone(), prop_oneof![Just("NEAR/3"), Just("NEAR/0"), Just("NEAR/s"), Just("NEAR/99999999999999999999"), Just("NEAR/x")], plain.clone())
            .prop_map(|(a, near, b)| format!("{a} {near} {b}")),
        2 => proptest::sample::select(&[
            r"re:(?i)stra(ß|ss)e", r"re:\bİ\w*", r"re:(?i)k", r"re:.", r"re:^", r"re:$", r"re:\b",
            r"re:a|", r"re:(", r"re:[", r"re:\p{Greek}+", r"re:(?-u:\xff)", r"re:(?s).*", r"re:x{0,1000}",
            r"re:", r"re: ", r"re:(?i)ﬁ", r"re:\u{212A}", r"re:[^\s\S]",
        ][..]).prop_map(str::to_string),
        1 => "\\PC{0,20}",
        1 => "re:[\\PC]{0,12}",
    ]
}

/// A pattern that is valid most of the time, so that a codebook of a dozen
/// of them loads.
fn mostly_valid_pattern() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => proptest::sample::select(inputs::WORDS).prop_map(str::to_string),
        1 => proptest::sample::select(inputs::WORDS).prop_map(|w| format!("{w}*")),
    ];
    let phrase = proptest::collection::vec(word, 1..3).prop_map(|w| w.join(" "));
    prop_oneof![
        20 => phrase.clone(),
        4 => (phrase.clone(), prop_oneof![Just("NEAR/3"), Just("NEAR/0"), Just("NEAR/s")], phrase)
            .prop_map(|(a, near, b)| format!("{a} {near} {b}")),
        4 => proptest::sample::select(&[
            r"re:(?i)stra(ß|ss)e", r"re:\bİ\w*", r"re:(?i)k", r"re:.", r"re:^", r"re:$", r"re:\b",
            r"re:\p{Greek}+", r"re:(?s).*", r"re:(?i)ﬁ", r"re:\u{212A}", r"re:\s+", r"re:(?m)^\w+$",
        ][..]).prop_map(str::to_string),
        1 => pattern(),
    ]
}

/// A codebook as TOML: one theme, codes with generated patterns, rules and
/// maybe a parent.
pub fn codebook_toml() -> impl Strategy<Value = String> {
    let code = (
        proptest::collection::vec(mostly_valid_pattern(), 1..4),
        proptest::collection::vec(mostly_valid_pattern(), 0..2),
        proptest::option::of(prop_oneof![8 => 1u32..4, 1 => Just(0u32)]),
        proptest::collection::vec(inputs::word(), 0..2),
        proptest::option::of(0u8..4),
        0u8..3,
    );
    (proptest::collection::vec(code, 1..5), any::<bool>()).prop_map(|(codes, variants)| {
        let mut toml = format!("[codebook]\nname = \"p\"\nspelling_variants = {variants}\n[[themes]]\nid = \"t\"\nlabel = \"T\"\n");
        for (i, (patterns, exclude, min_hits, not_after, parent, window)) in codes.iter().enumerate() {
            let list = |items: &[String]| items.iter().map(|p| toml_basic_string(p)).collect::<Vec<_>>().join(", ");
            toml += &format!("[[codes]]\nid = \"c{i}\"\ntheme = \"t\"\nlabel = \"C{i}\"\npatterns = [{}]\n", list(patterns));
            if !exclude.is_empty() {
                toml += &format!("exclude = [{}]\n", list(exclude));
            }
            if let Some(n) = min_hits {
                toml += &format!("min_hits = {n}\n");
            }
            if !not_after.is_empty() {
                toml += &format!("not_after = [{}]\nnot_after_words = {window}\n", list(not_after));
            }
            // Mostly an earlier code, now and then a cycle or a missing one.
            if let Some(p) = parent.filter(|&p| (p as usize) < i || p == 3) {
                toml += &format!("parent = \"c{p}\"\n");
            }
        }
        toml
    })
}

/// Every hit is a slice of the text it was found in.
fn hits_in(text: &str, hits: &[Hit], codes: usize) -> Result<(), TestCaseError> {
    for hit in hits {
        check::span(text, hit.start, hit.end, "hit")?;
        prop_assert!(hit.code < codes);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn toml_any_text(text in "(?s).{0,300}") {
        within(move || { let _ = Codebook::from_toml_str(&text, "any.toml"); });
    }

    /// Codebooks with generated patterns: loading never panics, and a
    /// loaded one compiles or fails cleanly; its hits are slices of the text.
    #[test]
    fn generated_codebooks_match_inside_the_text(toml in codebook_toml(), texts in proptest::collection::vec(inputs::prose(24), 1..4)) {
        let result: Result<(), TestCaseError> = within(move || {
            let Ok(book) = Codebook::from_toml_str(&toml, "gen.toml") else { return Ok(()) };
            let Ok(matcher) = Matcher::new(&book) else { return Ok(()) };
            let mut hits = Vec::new();
            let mut patterns = Vec::new();
            for text in &texts {
                hits.clear();
                matcher.find_with_patterns(text, &mut hits, &mut patterns);
                hits_in(text, &hits, matcher.code_count())?;
            }
            Ok(())
        });
        result?;
    }

    /// The pattern language alone: `compile` and `check` never panic, and
    /// every regex it compiles to is
    /// one the regex crate accepts (the matcher builds them later with `expect`).
    #[test]
    fn patterns_compile_or_fail_cleanly(p in pattern(), variants in any::<bool>()) {
        within(move || {
            let _ = pattern::check(&p);
            let _ = pattern::sample_text(&p);
            if let Ok(compiled) = pattern::compile(&p, &pattern::Options { variants }) {
                let parts = match &compiled {
                    pattern::Pattern::Single(c) => vec![c],
                    pattern::Pattern::Near { a, b, .. } => vec![a, b],
                };
                for c in parts {
                    // The matcher builds these lazily and expects them valid.
                    if let Err(err) = regex::Regex::new(&c.regex) {
                        panic!("{p:?} compiled to {:?}, which is not a regex: {err}", c.regex);
                    }
                }
            }
        });
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// Deeply nested arrays and inline tables: the TOML and JSON readers
    /// have their own depth limits; this keeps them from going away.
    #[test]
    fn deeply_nested_codebooks(depth in 0usize..50_000, kind in 0u8..3) {
        let text = match kind {
            0 => format!("[codebook]\nname = {}1{}", "[".repeat(depth), "]".repeat(depth)),
            1 => format!("[codebook]\nname = {}1{}", "{a = ".repeat(depth), "}".repeat(depth)),
            _ => format!("{{\"codebook\": {}1{}}}", "[".repeat(depth), "]".repeat(depth)),
        };
        within(move || {
            let _ = if kind == 2 {
                Codebook::from_json_str(&text, "deep.json")
            } else {
                Codebook::from_toml_str(&text, "deep.toml")
            };
        });
    }
}
