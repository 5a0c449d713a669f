//! The strength of a coding ([`Score`]) and the primary theme of a segment
//! ([`primary_theme`]).
//!
//! A code applied to a segment scores from the distinct patterns of that
//! code that matched in it (`P`), each with its specificity `s(p)` and its
//! nominal length in words `w(p)` ([`crate::pattern::weight`]: 0.3 for a
//! `word*` prefix, 0.4 for a word, 0.7 for a two-word phrase or a `re:`,
//! 0.9 for a longer phrase or a `NEAR`), and the segment's words `W`:
//!
//! ```text
//! evidence = 1 - Π_{p in P} (1 - s(p))          more and more specific patterns: nearer 1
//! cover    = min(1, Σ_{p in P} w(p) / W)        the share of the segment they span
//! score    = evidence × (1 + min(1, 10 × cover)) / 2
//! ```
//!
//! So one word in a short answer scores 0.40, a prefix in a 100-word turn
//! 0.17, a three-word phrase plus a word 0.94. A passing mention (matches
//! spanning under a tenth of the segment) loses up to half its strength.
//! Scores are kept in thousandths, so they compare and add exactly and
//! print the same everywhere.
//!
//! The primary theme of a segment is the theme whose codes' scores add up
//! to the most; a tie goes to the theme with more codes applied, then to
//! the one with the strongest single code, then to the theme listed first
//! in the codebook.

use std::fmt;

use crate::matcher::{Hit, Matcher};

/// A coding's strength in [0, 1], in thousandths.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Score(u16);

impl Score {
    /// The score nearest `value`, clamped to [0, 1].
    pub fn from_f64(value: f64) -> Score {
        Score((value.clamp(0.0, 1.0) * 1000.0).round() as u16)
    }

    /// The score in thousandths (0 to 1000).
    pub fn millis(self) -> u16 {
        self.0
    }

    /// The score as a number in [0, 1].
    pub fn value(self) -> f64 {
        f64::from(self.0) / 1000.0
    }
}

impl fmt::Display for Score {
    /// Three decimals: `0.400`, `1.000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}", self.0 / 1000, self.0 % 1000)
    }
}

/// The score of `code` in a segment of `words` words, given the (code,
/// pattern) pairs that matched there (as [`Matcher::find_with_patterns`]
/// gives them); `fallback` is the pattern of the code's hit, used when no
/// pair names the code.
pub fn score(
    matcher: &Matcher,
    code: usize,
    fallback: usize,
    words: usize,
    matched: &[(usize, usize)],
) -> Score {
    let mut miss = 1.0;
    let mut covered = 0;
    let mut any = false;
    let patterns = matched.iter().filter(|(c, _)| *c == code).map(|&(_, p)| p);
    let mut add = |p: usize| {
        let w = matcher.weight(code, p);
        miss *= 1.0 - w.specificity;
        covered += w.words;
    };
    for p in patterns {
        any = true;
        add(p);
    }
    if !any {
        add(fallback);
    }
    let cover = (covered as f64 / words.max(1) as f64).min(1.0);
    Score::from_f64((1.0 - miss) * (1.0 + (10.0 * cover).min(1.0)) / 2.0)
}

/// The primary theme among a segment's scored hits (see the module's
/// rule); `None` when there are none.
pub fn primary_theme(matcher: &Matcher, scored: &[(Hit, Score)]) -> Option<usize> {
    // Per theme met: (summed thousandths, codes, best single score).
    let mut themes: Vec<(usize, u32, usize, Score)> = Vec::new();
    for (hit, score) in scored {
        let theme = matcher.theme_of(hit.code);
        let entry = match themes.iter_mut().find(|t| t.0 == theme) {
            Some(entry) => entry,
            None => {
                themes.push((theme, 0, 0, Score::default()));
                themes.last_mut().expect("just pushed")
            }
        };
        entry.1 += u32::from(score.millis());
        entry.2 += 1;
        entry.3 = entry.3.max(*score);
    }
    themes
        .into_iter()
        .max_by_key(|&(theme, sum, codes, best)| (sum, codes, best, std::cmp::Reverse(theme)))
        .map(|t| t.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codebook::Codebook;

    fn matcher() -> Matcher {
        let cb = Codebook::from_toml_str(
            r#"
[codebook]
name = "t"
[[themes]]
id = "first"
label = "First"
[[themes]]
id = "second"
label = "Second"
[[codes]]
id = "a"
theme = "first"
label = "A"
patterns = ["nurse", "integrat*", "shared care record", "GP NEAR/3 letter*"]
[[codes]]
id = "b"
theme = "second"
label = "B"
patterns = ["rota", "staff rota"]
[[codes]]
id = "c"
theme = "second"
label = "C"
patterns = ["budget"]
"#,
            "t.toml",
        )
        .unwrap();
        Matcher::new(&cb).unwrap()
    }

    #[test]
    fn the_score_follows_the_formula() {
        let m = matcher();
        // One word filling a short segment: specificity alone.
        assert_eq!(score(&m, 0, 0, 4, &[(0, 0)]).to_string(), "0.400");
        // A prefix in 100 words: 0.3 × (1 + 0.1) / 2.
        assert_eq!(score(&m, 0, 1, 100, &[(0, 1)]).to_string(), "0.165");
        // A phrase and a word: 1 - 0.1 × 0.6 = 0.94, covering 4 of 10.
        assert_eq!(score(&m, 0, 2, 10, &[(0, 2), (0, 0)]).millis(), 940);
        // NEAR counts its two halves' words.
        assert_eq!(score(&m, 0, 3, 20, &[(0, 3)]).millis(), 900);
        // Other codes' pairs are not this code's evidence; without a pair
        // of its own the hit's pattern is.
        assert_eq!(score(&m, 1, 0, 2, &[(0, 2)]).millis(), 400);
    }

    #[test]
    fn more_and_more_specific_patterns_score_higher() {
        let m = matcher();
        let one = score(&m, 0, 0, 30, &[(0, 0)]);
        let two = score(&m, 0, 0, 30, &[(0, 0), (0, 1)]);
        let phrase = score(&m, 0, 2, 30, &[(0, 2)]);
        let prefix = score(&m, 0, 1, 30, &[(0, 1)]);
        assert!(
            prefix < one && one < two && two < phrase,
            "{prefix} {one} {two} {phrase}"
        );
        // The same word in a longer segment is weaker.
        assert!(score(&m, 0, 0, 300, &[(0, 0)]) < one);
        assert_eq!(Score::from_f64(2.0).to_string(), "1.000");
    }

    fn hit(code: usize) -> Hit {
        Hit {
            code,
            pattern: 0,
            start: 0,
            end: 1,
        }
    }

    #[test]
    fn the_primary_theme_has_the_highest_sum_then_more_codes_then_the_best_code_then_comes_first() {
        let m = matcher();
        let s = |x: u16| Score(x);
        // Sum: 0.3 + 0.3 beats 0.5.
        assert_eq!(
            primary_theme(&m, &[(hit(0), s(500)), (hit(1), s(300)), (hit(2), s(300))]),
            Some(1)
        );
        assert_eq!(
            primary_theme(&m, &[(hit(0), s(700)), (hit(1), s(300)), (hit(2), s(300))]),
            Some(0)
        );
        // Equal sums: more codes wins.
        assert_eq!(
            primary_theme(&m, &[(hit(0), s(600)), (hit(1), s(300)), (hit(2), s(300))]),
            Some(1)
        );
        // Equal sums and codes: the codebook's first theme.
        assert_eq!(
            primary_theme(&m, &[(hit(0), s(400)), (hit(1), s(400))]),
            Some(0)
        );
        assert_eq!(primary_theme(&m, &[(hit(1), s(400))]), Some(1));
        assert_eq!(primary_theme(&m, &[]), None);
    }
}
