//! Learning a study's codes from the segments a researcher coded by hand
//! (`mint learn`), and coding with what was learned (`mint code --model`).
//!
//! A [`Dataset`] is the participant segments of some transcripts, each with
//! its text, the codebook codes whose patterns matched it, and the codes a
//! human gave it. For every code the human used often enough ([`select`]),
//! [`train`] fits a class-balanced L2 logistic regression ([`logistic`]) on
//! the segment's features ([`features`]: TF-IDF of word unigrams and
//! bigrams, plus the codebook's matches) and picks the code's decision
//! threshold by cross-validation inside the training data (the one that
//! maximises F1 on out-of-fold probabilities). [`evaluate`] measures the
//! whole procedure by K-fold cross-validation grouped by participant, with
//! a learning curve and a permutation baseline. [`model`] is the versioned
//! model file; [`apply`] codes new segments with it; [`corrected`] the
//! learned codes' prevalence per group corrected for the model's error.
//!
//! Determinism: folds and permutations come from a seeded [`SplitMix64`];
//! each fit runs on one thread in row order, and fits of several codes run
//! on rayon's pool but are collected in code order, so results are the
//! same bytes at any thread count.
//!
//! This module reads no files and prints nothing.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::stats::SplitMix64;

pub mod apply;
pub mod corrected;
pub mod evaluate;
pub mod features;
pub mod logistic;
pub mod model;
pub mod next;
pub mod suggest;

use features::{Corpus, Grams, Rows, Vocabulary, VocabularyOptions};
use logistic::Fit;

/// The theme of a human code that is not in the codebook.
pub const LEARNED_THEME: &str = "learned";

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 19;

/// A code that can be learned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LearnCode {
    /// Its id (the codebook's, or the slug of the human's name).
    pub id: String,
    /// Its theme (the codebook's, or [`LEARNED_THEME`]).
    pub theme: String,
    /// Whether it is in the codebook (else the human's own code).
    pub in_codebook: bool,
}

/// One participant segment with its human codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// A stable id for the segment (`file:start`, in code points).
    pub id: String,
    /// Its participant's index in [`Dataset::participants`].
    pub participant: usize,
    /// Its text.
    pub text: String,
    /// The codebook codes whose patterns matched it (codebook indices,
    /// ascending).
    pub matched: Vec<usize>,
    /// The human's codes (indices into [`Dataset::codes`], ascending).
    pub codes: Vec<usize>,
}

/// Hand-coded segments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dataset {
    /// The codes the human used (or could use), in a fixed order.
    pub codes: Vec<LearnCode>,
    /// Participant ids, sorted.
    pub participants: Vec<String>,
    /// The segments, in file and text order.
    pub examples: Vec<Example>,
    /// How many codebook codes there are (the width of `matched`).
    pub codebook_codes: usize,
}

impl Dataset {
    /// How many segments carry each code.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.codes.len()];
        for e in &self.examples {
            for &c in &e.codes {
                counts[c] += 1;
            }
        }
        counts
    }

    /// A BLAKE3 hash of the segments' ids, texts, matches and codes.
    pub fn hash(&self) -> String {
        let mut h = blake3::Hasher::new();
        for e in &self.examples {
            h.update(e.id.as_bytes());
            h.update(b"\0");
            h.update(self.participants[e.participant].as_bytes());
            h.update(b"\0");
            h.update(e.text.as_bytes());
            h.update(b"\0");
            for &c in &e.codes {
                h.update(self.codes[c].id.as_bytes());
                h.update(b"\x01");
            }
            for &c in &e.matched {
                h.update(&(c as u64).to_le_bytes());
            }
            h.update(b"\n");
        }
        h.finalize().to_hex().to_string()
    }

    /// Whether example `i` carries code `c`.
    pub fn has(&self, i: usize, c: usize) -> bool {
        self.examples[i].codes.binary_search(&c).is_ok()
    }
}

/// How codes are learned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct Options {
    /// The vocabulary's pruning.
    pub vocabulary: VocabularyOptions,
    /// Inverse regularisation strength (scikit-learn's `C`).
    pub c: f64,
    /// Folds of the cross-validation that picks each code's threshold.
    pub inner_folds: usize,
    /// The seed of every fold assignment and permutation.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            vocabulary: VocabularyOptions::default(),
            c: 1.0,
            inner_folds: 3,
            seed: DEFAULT_SEED,
        }
    }
}

/// A code left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Skipped {
    /// The code's id.
    pub code: String,
    /// Segments the human coded with it.
    pub segments: usize,
    /// Why: `fewer than N examples` or `not among the top N`.
    pub reason: String,
}

/// The codes to learn (indices into [`Dataset::codes`], most used first,
/// ties by id) and those skipped: beyond the `top` most used, or with
/// fewer than `min_examples` segments. Codes nobody used are not listed.
pub fn select(
    data: &Dataset,
    top: Option<usize>,
    min_examples: usize,
) -> (Vec<usize>, Vec<Skipped>) {
    let counts = data.counts();
    let mut order: Vec<usize> = (0..data.codes.len()).filter(|&c| counts[c] > 0).collect();
    order.sort_by(|&a, &b| {
        counts[b]
            .cmp(&counts[a])
            .then(data.codes[a].id.cmp(&data.codes[b].id))
    });
    let (mut kept, mut skipped) = (Vec::new(), Vec::new());
    for (rank, c) in order.into_iter().enumerate() {
        let reason = if top.is_some_and(|n| rank >= n) {
            Some(format!("not among the top {}", top.unwrap_or(0)))
        } else if counts[c] < min_examples {
            Some(format!("fewer than {min_examples} examples"))
        } else {
            None
        };
        match reason {
            Some(reason) => skipped.push(Skipped {
                code: data.codes[c].id.clone(),
                segments: counts[c],
                reason,
            }),
            None => kept.push(c),
        }
    }
    (kept, skipped)
}

/// Assigns each participant to one of `k` folds: participants in a seeded
/// random order, dealt out in turn. Returns the fold of each participant.
pub fn participant_folds(participants: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..participants).collect();
    shuffle(&mut order, &mut SplitMix64::new(seed));
    let mut folds = vec![0; participants];
    for (rank, p) in order.into_iter().enumerate() {
        folds[p] = rank % k.max(1);
    }
    folds
}

/// A Fisher-Yates shuffle from `rng`.
pub fn shuffle<T>(items: &mut [T], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

/// The n-grams of every example, computed once.
pub fn grams_of(data: &Dataset) -> Corpus {
    let grams = Grams::new();
    Corpus::new(data.examples.iter().map(|e| grams.of(&e.text)))
}

/// Feature rows of every example under a vocabulary built from the
/// examples `train`.
pub fn rows_for(
    data: &Dataset,
    grams: &Corpus,
    train: &[usize],
    options: VocabularyOptions,
) -> (Vocabulary, Rows) {
    let (vocabulary, feature) = Vocabulary::of_corpus(grams, train, options);
    let mut rows = Rows::new(vocabulary.terms.len() + data.codebook_codes);
    for (e, g) in data.examples.iter().zip(&grams.docs) {
        rows.push(features::corpus_row(g, &feature, &vocabulary, &e.matched));
    }
    (vocabulary, rows)
}

/// One code fitted, with its threshold and the out-of-fold probabilities of
/// its training segments (in the order of `train`).
#[derive(Debug, Clone, PartialEq)]
pub struct CodeFit {
    /// The model.
    pub fit: Fit,
    /// Probability at or above which the code applies.
    pub threshold: f64,
    /// Out-of-fold probabilities of the training segments.
    pub held_out: Vec<f64>,
}

/// Fits each code of `codes` on the examples `train`, with `labels[c][i]`
/// saying whether example `i` carries code `codes[c]`; thresholds from
/// inner folds grouped by participant. Codes run in parallel, collected in
/// order.
pub fn train(
    data: &Dataset,
    rows: &Rows,
    train: &[usize],
    labels: &[Vec<bool>],
    options: &Options,
) -> Vec<CodeFit> {
    // Inner folds over the training participants.
    let mut present: Vec<usize> = train
        .iter()
        .map(|&i| data.examples[i].participant)
        .collect();
    present.sort_unstable();
    present.dedup();
    let k = options.inner_folds.min(present.len());
    let folds = participant_folds(present.len(), k.max(1), options.seed ^ 0x5eed);
    let position: BTreeMap<usize, usize> =
        present.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    let fold_of: Vec<usize> = train
        .iter()
        .map(|&i| folds[position[&data.examples[i].participant]])
        .collect();
    labels
        .par_iter()
        .map(|labels| {
            let y: Vec<bool> = train.iter().map(|&i| labels[i]).collect();
            let fit = logistic::fit(rows, train, &y, options.c);
            let mut held_out = vec![0.5; train.len()];
            if k >= 2 {
                for f in 0..k {
                    let (inside, outside): (Vec<usize>, Vec<usize>) =
                        (0..train.len()).partition(|&j| fold_of[j] != f);
                    let sel: Vec<usize> = inside.iter().map(|&j| train[j]).collect();
                    let ys: Vec<bool> = inside.iter().map(|&j| y[j]).collect();
                    let inner = logistic::fit_from(rows, &sel, &ys, options.c, Some(&fit));
                    for j in outside {
                        held_out[j] = inner.probability(rows, train[j]);
                    }
                }
            }
            let threshold = if k >= 2 {
                best_threshold(&held_out, &y)
            } else {
                0.5
            };
            CodeFit {
                fit,
                threshold,
                held_out,
            }
        })
        .collect()
}

/// The threshold that maximises F1 of `probabilities` against `truth`:
/// halfway between the lowest probability kept and the next lower one.
/// 0.5 when there is no positive.
pub fn best_threshold(probabilities: &[f64], truth: &[bool]) -> f64 {
    let positives = truth.iter().filter(|t| **t).count();
    if positives == 0 {
        return 0.5;
    }
    let mut order: Vec<usize> = (0..probabilities.len()).collect();
    order.sort_by(|&a, &b| {
        probabilities[b]
            .total_cmp(&probabilities[a])
            .then(a.cmp(&b))
    });
    let (mut tp, mut fp) = (0usize, 0usize);
    let (mut best, mut best_at) = (-1.0, 0.5);
    let mut k = 0;
    while k < order.len() {
        let p = probabilities[order[k]];
        while k < order.len() && probabilities[order[k]] == p {
            if truth[order[k]] {
                tp += 1;
            } else {
                fp += 1;
            }
            k += 1;
        }
        let f1 = 2.0 * tp as f64 / (tp + fp + positives) as f64;
        if f1 > best {
            best = f1;
            let next = order.get(k).map_or(0.0, |&j| probabilities[j]);
            best_at = (p + next) / 2.0;
        }
    }
    best_at.clamp(1e-6, 1.0 - 1e-6)
}

/// The labels of `codes` as one row of booleans per code over all
/// examples.
pub fn labels_of(data: &Dataset, codes: &[usize]) -> Vec<Vec<bool>> {
    codes
        .iter()
        .map(|&c| (0..data.examples.len()).map(|i| data.has(i, c)).collect())
        .collect()
}

#[cfg(test)]
mod tests;
