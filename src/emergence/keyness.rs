//! Step 2 of the method: keyness. Pass one counts every phrase of every
//! participant segment ([`Counts`], merged across threads), and scores a
//! phrase's keyness where it stands out with [`log_likelihood`] against the
//! rest of the corpus and against general English; [`best`] ranks the
//! scored phrases for the shortlist.
//!
//! Not here: splitting text into words and phrases (`tokens.rs`), or pass
//! two's evidence about the shortlist (`evidence.rs`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::Segment;
use super::Source;
use super::coverage::Coverage;
use super::tokens::{Kind, Token, Tokenizer, for_each_phrase, phrase_probability};

/// G2 above this is significant at p < 0.05 (one degree of freedom).
pub const MIN_KEYNESS: f64 = 3.84;

/// A phrase must also be at least this many times as frequent (relatively)
/// where it stands out as in the rest of the corpus: significance alone
/// favours common words that are only a little more common there.
pub const MIN_RATIO: f64 = 3.0;

/// ...and at least this many times as frequent as in general English, or
/// it is everyday talk ("better", "fair enough", "last week").
pub const MIN_BACKGROUND_RATIO: f64 = 20.0;

/// The nominal size of the background corpus: wordfreq's Zipf scale counts
/// occurrences per billion words.
const BACKGROUND_SIZE: f64 = 1e9;

/// FNV-1a over the stems of a phrase: the phrase's identity while counting.
pub(crate) fn phrase_hash(tokens: &[Token]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, t) in tokens.iter().enumerate() {
        if k > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in t.stem.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The hashes are already well mixed: use them as they are.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type HashIndex<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// Signed log-likelihood (G2) of `a` occurrences in a corpus of `n1` words
/// against `b` in `n2` (Rayson and Garside 2000): positive when the phrase
/// is relatively more frequent in the first corpus.
///
/// ```
/// use mint::emergence::log_likelihood;
/// let g2 = log_likelihood(10.0, 1000.0, 10.0, 10000.0);
/// assert!((g2 - 22.14).abs() < 0.01);
/// assert!(log_likelihood(1.0, 1000.0, 100.0, 1000.0) < 0.0);
/// ```
pub fn log_likelihood(a: f64, n1: f64, b: f64, n2: f64) -> f64 {
    if n1 <= 0.0 || n2 <= 0.0 || a + b <= 0.0 {
        return 0.0;
    }
    let e1 = n1 * (a + b) / (n1 + n2);
    let e2 = n2 * (a + b) / (n1 + n2);
    let term = |o: f64, e: f64| if o > 0.0 { o * (o / e).ln() } else { 0.0 };
    let g2 = 2.0 * (term(a, e1) + term(b, e2));
    if a / n1 >= b / n2 { g2 } else { -g2 }
}

/// Pass-one counts of one phrase.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) uncoded: u32,
    pub(super) uncoded_participants: u32,
    pub(super) total: u32,
    pub(super) participants: u32,
    last_uncoded: u32,
    last: u32,
    background: f64,
}

/// Pass-one counts of every phrase, and corpus sizes in words.
#[derive(Default)]
pub(super) struct Counts {
    themes: usize,
    pub(super) index: HashIndex<u32>,
    pub(super) entries: Vec<Entry>,
    /// Occurrences in each theme's segments, `themes` per entry.
    pub(super) theme_counts: Vec<u32>,
    pub(super) words_uncoded: u64,
    words_total: u64,
    pub(super) words_theme: Vec<u64>,
}

impl Counts {
    pub(super) fn new(themes: usize) -> Counts {
        Counts {
            themes,
            words_theme: vec![0; themes],
            ..Counts::default()
        }
    }

    fn slot(&mut self, hash: u64, background: f64) -> usize {
        let next = self.entries.len() as u32;
        let i = *self.index.entry(hash).or_insert(next) as usize;
        if i == self.entries.len() {
            self.entries.push(Entry {
                uncoded: 0,
                uncoded_participants: 0,
                total: 0,
                participants: 0,
                last_uncoded: u32::MAX,
                last: u32::MAX,
                background,
            });
            self.theme_counts
                .extend(std::iter::repeat_n(0, self.themes));
        }
        i
    }

    /// Counts one participant's segments. A participant is counted by one
    /// `Counts` only, so participant numbers stay exact when merged.
    pub(super) fn add(
        &mut self,
        tokenizer: &mut Tokenizer,
        coverage: &Coverage,
        segments: &[(u32, &Segment)],
        tokens: &mut Vec<Token>,
    ) {
        for &(_, seg) in segments {
            tokens.clear();
            tokenizer.tokens(seg.text, tokens);
            let named = coverage.covered(seg.text, tokens);
            let words = tokens.iter().filter(|t| t.kind != Kind::Break).count() as u64;
            let coded = !seg.themes.is_empty();
            self.words_total += words;
            if !coded {
                self.words_uncoded += words;
            }
            for &t in &seg.themes {
                self.words_theme[t] += words;
            }
            let p = seg.participant;
            for_each_phrase(tokens, |i, j| {
                if named[i..=j].contains(&true) {
                    return;
                }
                let span = &tokens[i..=j];
                let background = phrase_probability(
                    span.iter()
                        .filter(|t| t.kind == Kind::Content)
                        .map(|t| t.background),
                );
                let k = self.slot(phrase_hash(span), background);
                let e = &mut self.entries[k];
                e.total += 1;
                if e.last != p {
                    e.last = p;
                    e.participants += 1;
                }
                if !coded {
                    e.uncoded += 1;
                    if e.last_uncoded != p {
                        e.last_uncoded = p;
                        e.uncoded_participants += 1;
                    }
                }
                for &t in &seg.themes {
                    self.theme_counts[k * self.themes + t] += 1;
                }
            });
        }
    }

    pub(super) fn merge(mut self, other: Counts) -> Counts {
        if self.entries.len() < other.entries.len() {
            return other.merge(self);
        }
        self.words_uncoded += other.words_uncoded;
        self.words_total += other.words_total;
        for (a, b) in self.words_theme.iter_mut().zip(&other.words_theme) {
            *a += b;
        }
        for (&hash, &j) in &other.index {
            let o = other.entries[j as usize];
            let k = self.slot(hash, o.background);
            let e = &mut self.entries[k];
            e.uncoded += o.uncoded;
            e.uncoded_participants += o.uncoded_participants;
            e.total += o.total;
            e.participants += o.participants;
            let t = self.themes;
            for x in 0..t {
                self.theme_counts[k * t + x] += other.theme_counts[j as usize * t + x];
            }
        }
        self
    }

    /// The signed keyness of a phrase with `a` occurrences in `n1` words
    /// against the rest of the corpus and against general English: the
    /// weaker of the two.
    pub(super) fn keyness(&self, a: u32, n1: u64, e: &Entry) -> f64 {
        let a = f64::from(a);
        let rest = f64::from(e.total) - a;
        let n1 = n1 as f64;
        let n2 = self.words_total as f64 - n1;
        if a / n1 < MIN_RATIO * rest.max(0.5) / n2 || a / n1 < MIN_BACKGROUND_RATIO * e.background {
            return 0.0;
        }
        let against_rest = log_likelihood(a, n1, rest, n2);
        let against_english =
            log_likelihood(a, n1, e.background * BACKGROUND_SIZE, BACKGROUND_SIZE);
        let g2 = against_rest.min(against_english);
        if g2 < MIN_KEYNESS {
            return 0.0;
        }
        // A phrase found only where it stands out scores 2 ln(N/n1) per
        // occurrence: divide that out, so that a small theme and the large
        // uncoded text compare fairly.
        g2 / (self.words_total as f64 / n1).ln().max(0.1)
    }
}

/// A phrase that survived scoring, with what is known about it.
#[derive(Debug, Clone)]
pub(super) struct Scored {
    pub(super) hash: u64,
    pub(super) score: f64,
    pub(super) source: Source,
}

/// The `n` best, by score, ties by hash (stable, if arbitrary).
pub(super) fn best(mut list: Vec<Scored>, n: usize) -> Vec<Scored> {
    list.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.hash.cmp(&b.hash)));
    list.truncate(n);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihood_matches_a_hand_computed_value_and_is_signed() {
        // a=20 in 1000 words against b=10 in 2000: E1=10, E2=20.
        let expected = 2.0 * (20.0 * (2.0f64).ln() + 10.0 * (0.5f64).ln());
        assert!((log_likelihood(20.0, 1000.0, 10.0, 2000.0) - expected).abs() < 1e-9);
        assert!((log_likelihood(10.0, 2000.0, 20.0, 1000.0) + expected).abs() < 1e-9);
        assert_eq!(log_likelihood(0.0, 10.0, 0.0, 10.0), 0.0);
    }
}
