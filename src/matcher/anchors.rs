//! Literal anchors for patterns that carry none of their own: a `re:`
//! regex, and a `NEAR` pattern whose halves are both regexes. Without an
//! anchor a pattern runs on every segment; with one, only on segments where
//! one of its anchors occurs.
//!
//! The anchors of a regex are a set of strings one of which occurs in every
//! match, read off its syntax tree: a literal, a run of literals in a
//! concatenation (zero-width assertions such as `\b` between them), the
//! union of an alternation's branches when every branch has one, a
//! repetition of at least one. A case-insensitive ASCII letter (`[Bb]`) is
//! its lower case, since the anchors are searched for ASCII
//! case-insensitively. Under Unicode case folding `k` also matches the
//! Kelvin sign and `s` the long s ([`FOLDS_BEYOND_ASCII`]); they are taken
//! as `k` and `s` too, and the matcher runs every anchored regex on a
//! segment that holds one of those two characters, so an anchor is never
//! missing from a text the regex matches. Any other class ends a run.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The two characters outside ASCII that Unicode case folding takes for
/// ASCII letters: the Kelvin sign (`k`) and the long s (`s`).
pub(super) const FOLDS_BEYOND_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// Whether `text` holds one of [`FOLDS_BEYOND_ASCII`]: two SIMD byte
/// searches, as this runs on every segment.
pub(super) fn has_fold(text: &str) -> bool {
    let mut buf = [0u8; 4];
    FOLDS_BEYOND_ASCII.iter().any(|c| {
        memchr::memmem::find(text.as_bytes(), c.encode_utf8(&mut buf).as_bytes()).is_some()
    })
}

/// The shortest anchor worth looking for: shorter ones occur in nearly
/// every segment.
const MIN_LEN: usize = 3;

/// Strings (lower case) one of which occurs, ASCII case-insensitively, in
/// every match of `regex`; `None` when none is found or it would not help.
pub(super) fn of_regex(regex: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::parse(regex).ok()?;
    required(&hir).filter(|set| score(set).0 >= MIN_LEN)
}

/// The better of two anchor sets: both must occur, so either will do.
pub(super) fn better(a: Option<Vec<String>>, b: Option<Vec<String>>) -> Option<Vec<String>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// How selective a set is: the letters of its weakest string, then fewer
/// strings. A string's letters are its length without the spaces at its
/// ends, and none at all for a word so common it is in nearly every
/// segment (`the`, `and`, `that`...): such an anchor would filter nothing.
fn score(set: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    let weakest = set.iter().map(|s| letters(s)).min().unwrap_or(0);
    (weakest, std::cmp::Reverse(set.len()))
}

fn letters(anchor: &str) -> usize {
    let word = anchor.trim_matches(' ');
    if COMMON.contains(&word) {
        0
    } else {
        word.len()
    }
}

/// Words in nearly every segment of talk, and of talk about health and
/// social care.
const COMMON: &[&str] = &[
    "and", "are", "but", "can", "for", "get", "got", "had", "has", "have", "her", "him", "his",
    "how", "its", "not", "now", "one", "our", "out", "own", "put", "said", "say", "she", "that",
    "the", "them", "then", "there", "they", "this", "was", "way", "we", "were", "what", "when",
    "who", "will", "with", "you", "your", "over", "just", "like", "know", "think", "really",
    "people", "working", "work", "going", "things", "about", "would", "been", "from", "more",
    "care", "health", "staff", "team", "teams", "patient", "patients", "service", "services",
    "social", "nurse", "nurses", "home", "time",
];

/// One of these occurs in every match of `hir`.
fn required(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(_) | HirKind::Class(_) => text(hir).map(|t| vec![t]),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Alternation(branches) => {
            let mut all: Vec<String> = Vec::new();
            for branch in branches {
                all.extend(required(branch)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<String>> = None;
            let mut run = String::new();
            for part in parts {
                if let Some(t) = text(part) {
                    run.push_str(&t);
                    continue;
                }
                if matches!(part.kind(), HirKind::Look(_)) {
                    // Zero-width: the literals either side are adjacent.
                    continue;
                }
                if !run.is_empty() {
                    best = better(best, Some(vec![std::mem::take(&mut run)]));
                }
                best = better(best, required(part));
            }
            if !run.is_empty() {
                best = better(best, Some(vec![run]));
            }
            best
        }
        _ => None,
    }
}

/// The exact ASCII text `hir` matches (lower case), when it matches one
/// string up to ASCII case.
fn text(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).ok()?;
            s.is_ascii().then(|| s.to_ascii_lowercase())
        }
        HirKind::Class(class) => {
            let chars: Vec<(u32, u32)> = match class {
                Class::Unicode(c) => c
                    .ranges()
                    .iter()
                    .map(|r| (r.start() as u32, r.end() as u32))
                    .collect(),
                Class::Bytes(c) => c
                    .ranges()
                    .iter()
                    .map(|r| (u32::from(r.start()), u32::from(r.end())))
                    .collect(),
            };
            let single = |&(s, e): &(u32, u32)| (s == e && s < 128).then_some(s as u8 as char);
            let pair = |x: &(u32, u32), y: &(u32, u32)| {
                let (x, y) = (single(x)?, single(y)?);
                (x.is_ascii_alphabetic() && x.eq_ignore_ascii_case(&y))
                    .then(|| x.to_ascii_lowercase().to_string())
            };
            match chars.as_slice() {
                [one] => single(one).map(String::from),
                [x, y] => pair(x, y),
                // `[Kk\u{212A}]`, `[Ss\u{17F}]`.
                [x, y, (s, e)]
                    if s == e
                        && char::from_u32(*s).is_some_and(|c| FOLDS_BEYOND_ASCII.contains(&c)) =>
                {
                    pair(x, y)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(regex: &str) -> Option<Vec<String>> {
        of_regex(regex)
    }

    #[test]
    fn a_case_insensitive_alternation_gives_its_words() {
        assert_eq!(
            set(r"(?i-u)\b(?:bring|bringing|merg\w*)\b"),
            Some(vec!["bring".into(), "bringing".into(), "merg".into()])
        );
        // The longest run of a concatenation, spaces included.
        assert_eq!(
            set(r"(?i-u)\bat the (?:centre|center)\b"),
            Some(vec!["at the cent".into()])
        );
    }

    #[test]
    fn anything_optional_or_too_short_gives_none() {
        assert_eq!(set(r"(?i)\b\w+ing\b"), Some(vec!["ing".into()]));
        assert_eq!(set(r"x+"), None);
        assert_eq!(set(r"(?:ward|a)"), None);
        assert_eq!(set(r"(?:ward)?s"), None);
        assert_eq!(set(r"[a-z]{3}"), None);
    }

    #[test]
    fn letters_that_fold_beyond_ascii_are_their_ascii_letter() {
        // With Unicode case folding `k` also matches the Kelvin sign and
        // `s` the long s: the matcher looks out for those two.
        assert_eq!(set(r"(?i)weeks"), Some(vec!["weeks".into()]));
        assert_eq!(set(r"(?i-u)weeks"), Some(vec!["weeks".into()]));
        assert!(
            regex::Regex::new(r"(?i)weeks")
                .unwrap()
                .is_match("wee\u{212A}\u{17F}")
        );
        // Another letter with a fold outside ASCII ends the run.
        assert_eq!(set(r"(?i)café au lait"), Some(vec![" au lait".into()]));
    }

    #[test]
    fn every_match_contains_an_anchor() {
        let regexes = [
            r"(?i-u)\b(?:five|ten|5|10) times\b",
            r"(?i-u)\b(?:no|not (?:really )?a|never had a) (?:choice|voice)\b",
            r"(?i-u)\bthe (?:whole )?(?:point|aim)s?\b",
        ];
        let texts = [
            "we asked FIVE TIMES",
            "ten times over",
            "I had no choice",
            "Not really a voice",
            "never had a choice",
            "the whole points",
            "THE AIM",
            "the aims",
        ];
        for regex in regexes {
            let anchors = of_regex(regex).expect(regex);
            let re = regex::Regex::new(regex).unwrap();
            for text in texts.iter().filter(|t| re.is_match(t)) {
                let lower = text.to_ascii_lowercase();
                assert!(
                    anchors.iter().any(|a| lower.contains(a.as_str())),
                    "{regex} matches {text:?} but no anchor of {anchors:?} occurs"
                );
            }
        }
    }
}
