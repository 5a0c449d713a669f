//! How well learning does, measured before anyone relies on it: K-fold
//! cross-validation grouped by participant (no one in both the training
//! and the test folds), per code and pooled; a learning curve (the same
//! with only part of each training fold's participants); and a permutation
//! baseline (the human labels shuffled within participants before
//! training), which flags codes the model only guesses.
//!
//! Figures are computed over all test segments pooled across folds: per
//! code precision, recall, F1 and Cohen's kappa of the yes/no decision
//! against the human; micro-F1 over every (segment, code) pair; macro-F1
//! and mean kappa the means over codes.

use serde::{Deserialize, Serialize};

use super::{Dataset, Options, labels_of, rows_for, shuffle, train};
use crate::stats::{SplitMix64, cohens_kappa_table};

/// The shares of training participants in the learning curve.
pub const CURVE: [f64; 4] = [0.10, 0.25, 0.50, 0.75];

/// A code's confusion counts and figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Segments both coded.
    pub tp: u64,
    /// Segments the model coded and the human did not.
    pub fp: u64,
    /// Segments the human coded and the model did not.
    pub fn_: u64,
    /// Segments neither coded.
    pub tn: u64,
    /// Precision (`None` when the model coded nothing).
    pub precision: Option<f64>,
    /// Recall, or sensitivity (`None` when the human coded nothing).
    pub recall: Option<f64>,
    /// Specificity (`None` when every segment is the human's).
    pub specificity: Option<f64>,
    /// F1 (0 when neither precision nor recall is positive).
    pub f1: Option<f64>,
    /// Cohen's kappa of the decision (`None` without variation).
    pub kappa: Option<f64>,
}

impl Figures {
    /// Figures from decisions and truth.
    pub fn of(decided: impl IntoIterator<Item = (bool, bool)>) -> Figures {
        let mut f = Figures::default();
        for (model, human) in decided {
            match (model, human) {
                (true, true) => f.tp += 1,
                (true, false) => f.fp += 1,
                (false, true) => f.fn_ += 1,
                (false, false) => f.tn += 1,
            }
        }
        f.finish()
    }

    fn finish(mut self) -> Figures {
        let ratio = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        self.precision = ratio(self.tp, self.tp + self.fp);
        self.recall = ratio(self.tp, self.tp + self.fn_);
        self.specificity = ratio(self.tn, self.tn + self.fp);
        self.f1 = ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_);
        let table = vec![
            vec![self.tn as f64, self.fp as f64],
            vec![self.fn_ as f64, self.tp as f64],
        ];
        self.kappa = cohens_kappa_table(&table);
        self
    }

    /// Adds another code's counts (for micro figures).
    pub fn pooled(all: &[Figures]) -> Figures {
        let mut f = Figures::default();
        for x in all {
            f.tp += x.tp;
            f.fp += x.fp;
            f.fn_ += x.fn_;
            f.tn += x.tn;
        }
        f.finish()
    }
}

/// The averages of a set of codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// F1 over every (segment, code) pair.
    pub micro_f1: Option<f64>,
    /// Mean of the codes' F1.
    pub macro_f1: Option<f64>,
    /// Mean of the codes' kappa (codes without one left out).
    pub mean_kappa: Option<f64>,
}

impl Summary {
    /// The averages of `codes`.
    pub fn of(codes: &[Figures]) -> Summary {
        let mean =
            |xs: Vec<f64>| (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
        Summary {
            micro_f1: Figures::pooled(codes).f1,
            macro_f1: mean(codes.iter().filter_map(|f| f.f1).collect()),
            mean_kappa: mean(codes.iter().filter_map(|f| f.kappa).collect()),
        }
    }
}

/// One point of the learning curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The share of each training fold's participants used.
    pub share: f64,
    /// Mean participants trained on per fold.
    pub participants: f64,
    /// Mean segments trained on per fold.
    pub segments: f64,
    /// The averages at that share.
    pub summary: Summary,
}

/// The result of [`cross_validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// The number of folds.
    pub folds: usize,
    /// Each participant's fold.
    pub participant_fold: Vec<usize>,
    /// Per code (in the order asked): the figures.
    pub codes: Vec<Figures>,
    /// Per code: the figures with labels permuted within participants.
    pub permuted: Vec<Figures>,
    /// The averages.
    pub summary: Summary,
    /// The averages of the permutation baseline.
    pub permuted_summary: Summary,
    /// The learning curve, then 100% (the main figures).
    pub curve: Vec<CurvePoint>,
}

impl CrossValidation {
    /// Whether code `k` (in the order asked) does no better than its
    /// permutation baseline (kappa no higher; a missing kappa counts as 0).
    pub fn guessing(&self, k: usize) -> bool {
        self.codes[k].kappa.unwrap_or(0.0) <= self.permuted[k].kappa.unwrap_or(0.0)
    }
}

/// Cross-validates learning `codes` (indices into [`Dataset::codes`]) with
/// `k` folds grouped by participant; with `curve`, also the learning curve
/// and the permutation baseline.
pub fn cross_validate(
    data: &Dataset,
    codes: &[usize],
    k: usize,
    options: &Options,
    curve: bool,
) -> CrossValidation {
    let grams = super::grams_of(data);
    let participant_fold = super::participant_folds(data.participants.len(), k, options.seed);
    let labels = labels_of(data, codes);
    let full = run_folds(data, &grams, &labels, &participant_fold, k, 1.0, options);
    let codes_figures = figures(&full, &labels);
    let mut points = Vec::new();
    let mut permuted = vec![Figures::default(); codes.len()];
    if curve {
        for share in CURVE {
            let run = run_folds(data, &grams, &labels, &participant_fold, k, share, options);
            points.push(CurvePoint {
                share,
                participants: run.participants,
                segments: run.segments,
                summary: Summary::of(&figures(&run, &labels)),
            });
        }
        let shuffled = permute(data, &labels, options.seed ^ 0xbad5eed);
        let run = run_folds(data, &grams, &shuffled, &participant_fold, k, 1.0, options);
        permuted = figures(&run, &labels);
    }
    points.push(CurvePoint {
        share: 1.0,
        participants: full.participants,
        segments: full.segments,
        summary: Summary::of(&codes_figures),
    });
    CrossValidation {
        folds: k,
        participant_fold,
        summary: Summary::of(&codes_figures),
        permuted_summary: Summary::of(&permuted),
        codes: codes_figures,
        permuted,
        curve: points,
    }
}

/// The decisions of one cross-validation run.
struct Run {
    /// decided[code][example]: the model's decision on its test fold.
    decided: Vec<Vec<bool>>,
    participants: f64,
    segments: f64,
}

fn figures(run: &Run, labels: &[Vec<bool>]) -> Vec<Figures> {
    run.decided
        .iter()
        .zip(labels)
        .map(|(d, l)| Figures::of(d.iter().copied().zip(l.iter().copied())))
        .collect()
}

/// Trains on every fold but one with `labels` (perhaps permuted) and
/// decides the held-out fold, for each fold.
fn run_folds(
    data: &Dataset,
    grams: &super::features::Corpus,
    labels: &[Vec<bool>],
    participant_fold: &[usize],
    k: usize,
    share: f64,
    options: &Options,
) -> Run {
    let n = data.examples.len();
    let mut decided = vec![vec![false; n]; labels.len()];
    let (mut participants, mut segments) = (0.0, 0.0);
    for fold in 0..k {
        let mut train_people: Vec<usize> = (0..data.participants.len())
            .filter(|&p| participant_fold[p] != fold)
            .collect();
        if share < 1.0 {
            let mut rng = SplitMix64::new(options.seed ^ (fold as u64 + 1) << 8);
            shuffle(&mut train_people, &mut rng);
            let keep =
                ((train_people.len() as f64 * share).ceil() as usize).clamp(1, train_people.len());
            train_people.truncate(keep);
        }
        let mut member = vec![false; data.participants.len()];
        for &p in &train_people {
            member[p] = true;
        }
        let train_rows: Vec<usize> = (0..n)
            .filter(|&i| member[data.examples[i].participant])
            .collect();
        let test_rows: Vec<usize> = (0..n)
            .filter(|&i| participant_fold[data.examples[i].participant] == fold)
            .collect();
        participants += train_people.len() as f64 / k as f64;
        segments += train_rows.len() as f64 / k as f64;
        if train_rows.is_empty() || test_rows.is_empty() {
            continue;
        }
        let (_, rows) = rows_for(data, grams, &train_rows, options.vocabulary);
        let fits = train(data, &rows, &train_rows, labels, options);
        for (c, fit) in fits.iter().enumerate() {
            for &i in &test_rows {
                decided[c][i] = fit.fit.probability(&rows, i) >= fit.threshold;
            }
        }
    }
    Run {
        decided,
        participants,
        segments,
    }
}

/// The labels with each participant's segments' label sets shuffled among
/// that participant's segments (participants with one segment are
/// shuffled together, as one pool).
fn permute(data: &Dataset, labels: &[Vec<bool>], seed: u64) -> Vec<Vec<bool>> {
    let mut by_participant: Vec<Vec<usize>> = vec![Vec::new(); data.participants.len()];
    for (i, e) in data.examples.iter().enumerate() {
        by_participant[e.participant].push(i);
    }
    let mut pools: Vec<Vec<usize>> = Vec::new();
    let mut singles = Vec::new();
    for rows in by_participant {
        match rows.len() {
            0 => {}
            1 => singles.push(rows[0]),
            _ => pools.push(rows),
        }
    }
    pools.push(singles);
    let mut rng = SplitMix64::new(seed);
    let mut out = labels.to_vec();
    for pool in pools {
        let mut moved = pool.clone();
        shuffle(&mut moved, &mut rng);
        for (&to, &from) in pool.iter().zip(&moved) {
            for (o, l) in out.iter_mut().zip(labels) {
                o[to] = l[from];
            }
        }
    }
    out
}
