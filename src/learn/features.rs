//! A segment's features: word unigrams and bigrams, as mint's emergence
//! tokeniser reads them (stems of content words, stop words in lower case,
//! no n-gram across a break at punctuation or a number), TF-IDF weighted
//! and L2-normalised, then one binary feature per codebook code whose
//! patterns matched the segment.
//!
//! The vocabulary is pruned (a minimum document frequency and a maximum
//! size, most frequent first) so that the matrix stays small: rows are
//! kept sparse ([`Rows`]), never as a dense matrix.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::emergence::{Background, Kind, Lexicon, Token, Tokenizer};

/// How the vocabulary is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VocabularyOptions {
    /// An n-gram must occur in at least this many training segments.
    pub min_df: usize,
    /// At most this many n-grams, the most frequent (ties by text).
    pub max_features: usize,
}

impl Default for VocabularyOptions {
    fn default() -> VocabularyOptions {
        VocabularyOptions {
            min_df: 2,
            max_features: 20_000,
        }
    }
}

/// Splits texts into n-grams.
pub struct Grams {
    lexicon: Lexicon,
}

impl Default for Grams {
    fn default() -> Grams {
        Grams::new()
    }
}

impl Grams {
    /// A tokeniser with the embedded English background.
    pub fn new() -> Grams {
        Grams {
            lexicon: Lexicon::new::<&str>(&[], Background::english()),
        }
    }

    /// The unigrams and bigrams of `text`, with repeats, in text order.
    pub fn of(&self, text: &str) -> Vec<String> {
        let mut tokens: Vec<Token> = Vec::new();
        Tokenizer::new(&self.lexicon).tokens(text, &mut tokens);
        let mut grams = Vec::with_capacity(tokens.len() * 2);
        let mut previous: Option<&str> = None;
        for token in &tokens {
            let word: &str = match token.kind {
                Kind::Break => {
                    previous = None;
                    continue;
                }
                Kind::Content => &token.stem,
                Kind::Stop => &token.word,
            };
            if word.is_empty() {
                previous = None;
                continue;
            }
            grams.push(word.to_string());
            if let Some(p) = previous {
                grams.push(format!("{p} {word}"));
            }
            previous = Some(word);
        }
        grams
    }
}

/// The vocabulary and its inverse document frequencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    /// The n-grams, in feature order.
    pub terms: Vec<String>,
    /// Smoothed inverse document frequency of each term:
    /// `ln((1 + n) / (1 + df)) + 1`, as scikit-learn's.
    pub idf: Vec<f64>,
}

impl Vocabulary {
    /// Builds the vocabulary of `docs` (each a segment's n-grams).
    pub fn build(docs: &[Vec<String>], options: VocabularyOptions) -> Vocabulary {
        let mut df: BTreeMap<&str, usize> = BTreeMap::new();
        for doc in docs {
            let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            for g in seen {
                *df.entry(g).or_default() += 1;
            }
        }
        let mut kept: Vec<(&str, usize)> = df
            .into_iter()
            .filter(|(_, n)| *n >= options.min_df.max(1))
            .collect();
        kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        kept.truncate(options.max_features);
        kept.sort_by(|a, b| a.0.cmp(b.0));
        let n = docs.len() as f64;
        Vocabulary {
            terms: kept.iter().map(|(t, _)| t.to_string()).collect(),
            idf: kept
                .iter()
                .map(|(_, df)| ((1.0 + n) / (1.0 + *df as f64)).ln() + 1.0)
                .collect(),
        }
    }

    /// A term's index.
    pub fn index(&self) -> BTreeMap<&str, u32> {
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.as_str(), i as u32))
            .collect()
    }
}

/// Sparse feature rows (compressed sparse rows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    /// Where each row starts in `indices` and `values`; one more than rows.
    pub starts: Vec<usize>,
    /// Feature indices, ascending within a row.
    pub indices: Vec<u32>,
    /// Feature values.
    pub values: Vec<f64>,
    /// The number of features (columns).
    pub width: usize,
}

impl Rows {
    /// Empty rows of `width` features.
    pub fn new(width: usize) -> Rows {
        Rows {
            starts: vec![0],
            width,
            ..Rows::default()
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` as (index, value) pairs.
    pub fn row(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (a, b) = (self.starts[i], self.starts[i + 1]);
        self.indices[a..b]
            .iter()
            .zip(&self.values[a..b])
            .map(|(&j, &v)| (j as usize, v))
    }

    /// Adds a row from (index, value) pairs ascending by index.
    pub fn push(&mut self, row: impl IntoIterator<Item = (u32, f64)>) {
        for (j, v) in row {
            self.indices.push(j);
            self.values.push(v);
        }
        self.starts.push(self.indices.len());
    }

    /// The dot product of row `i` with `w` (of length `width` at least).
    pub fn dot(&self, i: usize, w: &[f64]) -> f64 {
        self.row(i).map(|(j, v)| w[j] * v).sum()
    }
}

/// One segment's feature row: TF-IDF of its n-grams (L2-normalised), then,
/// after the vocabulary, 1 for each codebook code in `matched` (indices
/// into the model's feature codes).
pub fn row(
    grams: &[String],
    index: &BTreeMap<&str, u32>,
    vocabulary: &Vocabulary,
    matched: &[usize],
) -> Vec<(u32, f64)> {
    let mut counts: BTreeMap<u32, f64> = BTreeMap::new();
    for g in grams {
        if let Some(&j) = index.get(g.as_str()) {
            *counts.entry(j).or_default() += 1.0;
        }
    }
    let mut row: Vec<(u32, f64)> = counts
        .into_iter()
        .map(|(j, tf)| (j, tf * vocabulary.idf[j as usize]))
        .collect();
    let norm = row.iter().map(|(_, v)| v * v).sum::<f64>().sqrt();
    if norm > 0.0 {
        for (_, v) in &mut row {
            *v /= norm;
        }
    }
    let base = vocabulary.terms.len() as u32;
    let mut codes: Vec<u32> = matched.iter().map(|&c| base + c as u32).collect();
    codes.sort_unstable();
    codes.dedup();
    row.extend(codes.into_iter().map(|j| (j, 1.0)));
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_stems_and_bigrams_that_stop_at_punctuation() {
        let grams = Grams::new().of("Waiting lists, waiting times");
        assert_eq!(
            grams,
            ["wait", "list", "wait list", "wait", "time", "wait time"]
        );
    }

    #[test]
    fn the_vocabulary_keeps_frequent_terms_and_rows_are_normalised() {
        let g = Grams::new();
        let docs: Vec<Vec<String>> = ["staff were kind", "kind staff", "parking"]
            .iter()
            .map(|t| g.of(t))
            .collect();
        let v = Vocabulary::build(&docs, VocabularyOptions::default());
        assert_eq!(v.terms, ["kind", "staff"]);
        let index = v.index();
        let r = row(&docs[0], &index, &v, &[1]);
        assert_eq!(r.len(), 3);
        let norm: f64 = r[..2].iter().map(|(_, x)| x * x).sum();
        assert!((norm - 1.0).abs() < 1e-12);
        assert_eq!(r[2], (3, 1.0));
    }
}
