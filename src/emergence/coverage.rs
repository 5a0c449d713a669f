//! What the codebook already names: [`Coverage`] marks the tokens that a
//! codebook pattern matches, so that pass one and pass two leave them out,
//! and a shortlisted phrase the codebook names is dropped.
//!
//! Not here: how `mint code` applies patterns to whole segments (that is
//! the matcher's, used for candidates' support in `support.rs`), or how
//! text becomes tokens (`tokens.rs`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::tokens::{Lexicon, Token, normalise};
use crate::codebook::Codebook;
use crate::pattern;

/// One word of a plain pattern, as [`Coverage`] compares it with tokens.
#[derive(Debug, Clone)]
struct PatternWord {
    /// Lower case, or as written for an acronym.
    text: String,
    /// An acronym (`IT`, `GP`): compared case-sensitively.
    exact_case: bool,
    /// Ended in `*`: a prefix.
    wildcard: bool,
}

impl PatternWord {
    /// Whether a word (as written, and in lower case) matches.
    fn matches(&self, word: &str, lower: &str) -> bool {
        let word = if self.exact_case { word } else { lower };
        if self.wildcard {
            word.starts_with(self.text.as_str())
        } else {
            word == self.text
        }
    }
}

/// What the codebook already names: where its patterns match, word for
/// word, on the tokens [`Lexicon`] makes. Every include pattern counts
/// (both halves of a `NEAR` one), whether or not its code applies there,
/// since a vetoed or negated match is still a topic the codebook knows.
/// Plain patterns are compared word by word (a `*` word as a prefix, a
/// hyphenated word also closed up), which needs no regex; `re:` patterns
/// run as regexes, each compiled when first needed.
pub struct Coverage {
    plain: Vec<Vec<PatternWord>>,
    /// Plain patterns by their first word (lower case); those whose first
    /// word is a wildcard by its first three letters, or in `short` when
    /// it has fewer.
    by_word: HashMap<String, Vec<usize>>,
    by_prefix: HashMap<String, Vec<usize>>,
    short: Vec<usize>,
    raw: Vec<(String, OnceLock<Option<Regex>>)>,
}

impl Coverage {
    /// The include patterns of every code of the codebook.
    pub fn new(codebook: &Codebook) -> Coverage {
        static NEAR: std::sync::LazyLock<Regex> =
            std::sync::LazyLock::new(|| Regex::new(r"\s+NEAR/(?:\d+|s)\s+").unwrap());
        let mut coverage = Coverage {
            plain: Vec::new(),
            by_word: HashMap::new(),
            by_prefix: HashMap::new(),
            short: Vec::new(),
            raw: Vec::new(),
        };
        for p in codebook.codes.iter().flat_map(|c| &c.patterns) {
            for half in NEAR.split(p) {
                coverage.add(half.trim());
            }
        }
        coverage
    }

    fn add(&mut self, pattern: &str) {
        if let Some(re) = pattern.strip_prefix("re:") {
            self.raw.push((re.to_string(), OnceLock::new()));
            return;
        }
        let is_sep = |c: char| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}');
        let mut forms = vec![pattern.split(is_sep).collect::<Vec<_>>()];
        let closed: String = pattern
            .chars()
            .filter(|c| !matches!(c, '-' | '\u{2010}' | '\u{2011}'))
            .collect();
        if closed != pattern {
            forms.push(closed.split(char::is_whitespace).collect());
        }
        for form in forms {
            let words: Vec<PatternWord> = form
                .into_iter()
                .filter(|w| !w.is_empty())
                .map(|raw| {
                    let wildcard = raw.ends_with('*');
                    let base = normalise(raw.trim_end_matches('*'));
                    let exact_case = pattern::is_acronym(&base);
                    PatternWord {
                        text: if exact_case {
                            base
                        } else {
                            base.to_lowercase()
                        },
                        exact_case,
                        wildcard,
                    }
                })
                .filter(|w| !w.text.is_empty())
                .collect();
            let Some(first) = words.first() else {
                continue;
            };
            let i = self.plain.len();
            if first.wildcard {
                let lower = first.text.to_lowercase();
                match prefix3(&lower) {
                    Some(key) => self.by_prefix.entry(key.to_string()).or_default().push(i),
                    None => self.short.push(i),
                }
            } else {
                self.by_word
                    .entry(first.text.to_lowercase())
                    .or_default()
                    .push(i);
            }
            self.plain.push(words);
        }
    }

    /// Which of `tokens` (of `text`) a pattern matches: one flag each.
    pub fn covered(&self, text: &str, tokens: &[Token]) -> Vec<bool> {
        let mut flags = vec![false; tokens.len()];
        // The words patterns are compared with: hyphenated tokens split.
        let mut words: Vec<Option<(&str, Cow<str>, usize)>> = Vec::with_capacity(tokens.len() + 4);
        for (i, t) in tokens.iter().enumerate() {
            if t.word.is_empty() {
                words.push(None);
            } else {
                words.extend(t.word.split('-').filter(|w| !w.is_empty()).map(|w| {
                    let lower = if w.chars().any(char::is_uppercase) {
                        Cow::Owned(w.to_lowercase())
                    } else {
                        Cow::Borrowed(w)
                    };
                    Some((w, lower, i))
                }));
            }
        }
        for k in 0..words.len() {
            let Some((_, lower, _)) = &words[k] else {
                continue;
            };
            let exact = self.by_word.get(lower.as_ref()).into_iter().flatten();
            let prefix = prefix3(lower)
                .and_then(|key| self.by_prefix.get(key))
                .into_iter()
                .flatten();
            for &p in exact.chain(prefix).chain(&self.short) {
                let pattern = &self.plain[p];
                let Some(run) = words.get(k..k + pattern.len()) else {
                    continue;
                };
                let all = run
                    .iter()
                    .zip(pattern)
                    .all(|(w, pw)| w.as_ref().is_some_and(|(w, lower, _)| pw.matches(w, lower)));
                if all {
                    let from = run[0].as_ref().map_or(0, |w| w.2);
                    let to = run[run.len() - 1].as_ref().map_or(0, |w| w.2);
                    for f in &mut flags[from..=to] {
                        *f = true;
                    }
                }
            }
        }
        for (source, compiled) in &self.raw {
            let Some(re) = compiled.get_or_init(|| Regex::new(source).ok()) else {
                continue;
            };
            for m in re.find_iter(text) {
                for (i, t) in tokens.iter().enumerate() {
                    if t.start < m.end() && m.start() < t.end {
                        flags[i] = true;
                    }
                }
            }
        }
        flags
    }

    /// Whether a pattern matches anywhere in `text`.
    pub(super) fn names(&self, lexicon: &Lexicon, text: &str) -> bool {
        let mut tokens = Vec::new();
        lexicon.tokens(text, &mut tokens);
        self.covered(text, &tokens).into_iter().any(|f| f)
    }
}

/// The first three characters of a word, if it has three.
fn prefix3(word: &str) -> Option<&str> {
    word.char_indices()
        .nth(3)
        .map(|(i, _)| &word[..i])
        .or_else(|| (word.chars().count() == 3).then_some(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emergence::Background;

    #[test]
    fn coverage_marks_the_words_codebook_patterns_match() {
        let book = Codebook::from_toml_str(
            r#"
[[themes]]
id = "t"
[[codes]]
id = "c"
theme = "t"
patterns = ["length of stay", "integrat*", "co-location", "IT", "GPs", "GP NEAR/5 meeting*"]
"#,
            "t.toml",
        )
        .unwrap();
        let coverage = Coverage::new(&book);
        let lex = Lexicon::new(&[] as &[&str], Background::english());
        let text = "Length of stay, integration and colocation: it is IT, the GP's meetings.";
        let mut tokens = Vec::new();
        lex.tokens(text, &mut tokens);
        let covered: Vec<&str> = tokens
            .iter()
            .zip(coverage.covered(text, &tokens))
            .filter(|(_, c)| *c)
            .map(|(t, _)| &text[t.start..t.end])
            .collect();
        assert_eq!(
            covered,
            [
                "Length",
                "of",
                "stay",
                "integration",
                "colocation",
                "IT",
                "GP's",
                "meetings"
            ]
        );
        assert!(coverage.names(&lex, "the gps"));
        assert!(!coverage.names(&lex, "length"));
    }
}
