//! A segment's features: word unigrams and bigrams, as mint's emergence
//! tokeniser reads them (stems of content words, stop words in lower case,
//! no n-gram across a break at punctuation or a number), TF-IDF weighted
//! and L2-normalised, then one binary feature per codebook code whose
//! patterns matched the segment.
//!
//! The vocabulary is pruned (a minimum document frequency and a maximum
//! size, most frequent first) so that the matrix stays small: rows are
//! kept sparse ([`Rows`]), never as a dense matrix.

use std::collections::{BTreeMap, HashMap};

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
        let corpus = Corpus::new(docs);
        let all: Vec<usize> = (0..docs.len()).collect();
        Vocabulary::of_corpus(&corpus, &all, options).0
    }

    /// Builds the vocabulary of the documents `train` of `corpus`, with the
    /// feature index of each of the corpus's n-grams (`u32::MAX` for those
    /// left out).
    pub fn of_corpus(
        corpus: &Corpus,
        train: &[usize],
        options: VocabularyOptions,
    ) -> (Vocabulary, Vec<u32>) {
        let mut df = vec![0usize; corpus.names.len()];
        let mut seen = vec![usize::MAX; corpus.names.len()];
        for &d in train {
            for &g in &corpus.docs[d] {
                if seen[g as usize] != d {
                    seen[g as usize] = d;
                    df[g as usize] += 1;
                }
            }
        }
        drop(seen);
        let name = |g: usize| corpus.names[g].as_str();
        let mut kept: Vec<usize> = (0..df.len())
            .filter(|&g| df[g] >= options.min_df.max(1))
            .collect();
        kept.sort_by(|&a, &b| df[b].cmp(&df[a]).then(name(a).cmp(name(b))));
        kept.truncate(options.max_features);
        kept.sort_by(|&a, &b| name(a).cmp(name(b)));
        let n = train.len() as f64;
        let mut feature = vec![u32::MAX; corpus.names.len()];
        for (j, &g) in kept.iter().enumerate() {
            feature[g] = j as u32;
        }
        let vocabulary = Vocabulary {
            terms: kept.iter().map(|&g| name(g).to_string()).collect(),
            idf: kept
                .iter()
                .map(|&g| ((1.0 + n) / (1.0 + df[g] as f64)).ln() + 1.0)
                .collect(),
        };
        (vocabulary, feature)
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

/// The n-grams of many documents, each distinct n-gram stored once: a
/// document is a list of ids into `names` (so a large corpus's n-grams
/// take four bytes each, not a `String` each).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Corpus {
    /// The distinct n-grams, in order of first appearance.
    pub names: Vec<String>,
    /// Each document's n-grams, with repeats, in text order.
    pub docs: Vec<Vec<u32>>,
}

impl Corpus {
    /// The corpus of `docs`, each a list of n-grams.
    pub fn new<D, G, S>(docs: D) -> Corpus
    where
        D: IntoIterator<Item = G>,
        G: AsRef<[S]>,
        S: AsRef<str>,
    {
        let mut corpus = Corpus::default();
        let mut ids: HashMap<String, u32> = HashMap::new();
        for doc in docs {
            let ids_of_doc = doc
                .as_ref()
                .iter()
                .map(|g| match ids.get(g.as_ref()) {
                    Some(&id) => id,
                    None => {
                        let id = corpus.names.len() as u32;
                        corpus.names.push(g.as_ref().to_string());
                        ids.insert(g.as_ref().to_string(), id);
                        id
                    }
                })
                .collect();
            corpus.docs.push(ids_of_doc);
        }
        corpus
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
    weigh(counts.into_iter().collect(), vocabulary, matched)
}

/// [`row`] of a document of `corpus`, `feature` giving each n-gram's
/// feature index (as [`Vocabulary::of_corpus`] returns it).
pub fn corpus_row(
    doc: &[u32],
    feature: &[u32],
    vocabulary: &Vocabulary,
    matched: &[usize],
) -> Vec<(u32, f64)> {
    let mut js: Vec<u32> = doc
        .iter()
        .map(|&g| feature[g as usize])
        .filter(|&j| j != u32::MAX)
        .collect();
    js.sort_unstable();
    let mut counts: Vec<(u32, f64)> = Vec::with_capacity(js.len());
    for j in js {
        match counts.last_mut() {
            Some((last, tf)) if *last == j => *tf += 1.0,
            _ => counts.push((j, 1.0)),
        }
    }
    weigh(counts, vocabulary, matched)
}

/// Term counts (ascending by index) to TF-IDF, L2-normalised, then the
/// codebook features.
fn weigh(counts: Vec<(u32, f64)>, vocabulary: &Vocabulary, matched: &[usize]) -> Vec<(u32, f64)> {
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
