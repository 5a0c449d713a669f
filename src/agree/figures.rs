//! The figures of an [`Alignment`]: for each code, each theme and overall,
//! for each pair of sets and (with three or more) across all, the
//! coefficients of [`crate::stats`] with bootstrap intervals.
//!
//! Every figure is of a yes/no variable over the units: does this unit
//! carry the code (the theme: any of its codes) for this set? Overall
//! pools every (unit, code) cell of the codes any set used. Across all
//! sets, kappa is Fleiss' kappa; AC1 and PABAK their multi-rater forms.
//!
//! The 95% intervals of kappa and alpha come from resampling participants
//! with replacement ([`BOOTSTRAP_REPLICATES`] times, from the fixed
//! [`BOOTSTRAP_SEED`], on one thread), so the output is the same from run
//! to run; the interval is the percentile one.

use crate::stats::{
    SplitMix64, cohens_kappa_table, fleiss_kappa_weighted, gwet_ac1_counts, gwet_ac1_table,
    krippendorff_alpha_counts, pabak_counts, pabak_table, percent_agreement_table,
    percentile_interval,
};

use super::Alignment;

/// How many bootstrap resamples the intervals rest on.
pub const BOOTSTRAP_REPLICATES: usize = 1000;

/// The seed of the bootstrap's generator.
pub const BOOTSTRAP_SEED: u64 = 0x6d69_6e74_6167_7265;

/// What a row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Every code pooled.
    Overall,
    /// A theme (index into [`Alignment::themes`]): a unit carries it when
    /// it carries any of its codes.
    Theme(usize),
    /// A code (index into [`Alignment::codes`]).
    Code(usize),
}

/// Which sets a row compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Two sets (indices, the first lower).
    Pair(usize, usize),
    /// All sets at once.
    All,
}

/// A figure that could not be computed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undefined {
    /// The figure: `kappa`, `alpha`, `precision`, …
    pub figure: &'static str,
    /// Why.
    pub reason: String,
}

/// The figures of one variable for one comparison. `None` is undefined,
/// with its reason in `undefined`; never 0 or NaN in its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Units compared (code points for the char grain; unit × code cells
    /// overall).
    pub units: u64,
    /// For each set compared, the share of units it coded.
    pub prevalence: Vec<f64>,
    /// The share of units on which the sets agree.
    pub percent: Option<f64>,
    /// Cohen's kappa (a pair) or Fleiss' kappa (all).
    pub kappa: Option<f64>,
    /// Its 95% bootstrap interval.
    pub kappa_ci: Option<(f64, f64)>,
    /// Krippendorff's alpha, nominal.
    pub alpha: Option<f64>,
    /// Its 95% bootstrap interval.
    pub alpha_ci: Option<(f64, f64)>,
    /// Gwet's AC1.
    pub ac1: Option<f64>,
    /// PABAK.
    pub pabak: Option<f64>,
    /// Precision of the second set against the first (the reference), for
    /// pairs with the first set.
    pub precision: Option<f64>,
    /// Recall of the second set against the reference.
    pub recall: Option<f64>,
    /// F1 of the second set against the reference.
    pub f1: Option<f64>,
    /// The figures left undefined, and why.
    pub undefined: Vec<Undefined>,
}

/// One row of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Code, theme or overall.
    pub level: Level,
    /// Which sets.
    pub comparison: Comparison,
    /// The figures.
    pub figures: Figures,
}

/// Weighted counts of one yes/no variable for one participant.
#[derive(Debug, Clone, Default)]
struct Tally {
    /// Units.
    n: f64,
    /// Per set, units it said yes to.
    yes: Vec<f64>,
    /// Units by how many sets said yes (0..=m).
    hist: Vec<f64>,
    /// Per pair (i < j, in order): [neither, j only, i only, both].
    pairs: Vec<[f64; 4]>,
}

impl Tally {
    fn new(sets: usize) -> Tally {
        Tally {
            n: 0.0,
            yes: vec![0.0; sets],
            hist: vec![0.0; sets + 1],
            pairs: vec![[0.0; 4]; sets * (sets - 1) / 2],
        }
    }

    fn add(&mut self, said: &[bool], weight: f64) {
        self.n += weight;
        let mut k = 0;
        for (y, &s) in self.yes.iter_mut().zip(said) {
            if s {
                *y += weight;
                k += 1;
            }
        }
        self.hist[k] += weight;
        let mut p = 0;
        for i in 0..said.len() {
            for j in i + 1..said.len() {
                self.pairs[p][usize::from(said[i]) * 2 + usize::from(said[j])] += weight;
                p += 1;
            }
        }
    }

    fn add_scaled(&mut self, other: &Tally, times: f64) {
        self.n += times * other.n;
        for (a, b) in self.yes.iter_mut().zip(&other.yes) {
            *a += times * b;
        }
        for (a, b) in self.hist.iter_mut().zip(&other.hist) {
            *a += times * b;
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += times * y;
            }
        }
    }
}

/// The comparisons of `sets` sets: each pair, then all when three or more.
fn comparisons(sets: usize) -> Vec<Comparison> {
    let mut out: Vec<Comparison> = (0..sets)
        .flat_map(|i| (i + 1..sets).map(move |j| Comparison::Pair(i, j)))
        .collect();
    if sets > 2 {
        out.push(Comparison::All);
    }
    out
}

/// The position of pair (i, j) in [`Tally::pairs`].
fn pair_index(sets: usize, i: usize, j: usize) -> usize {
    (0..i).map(|a| sets - 1 - a).sum::<usize>() + (j - i - 1)
}

/// The figures of every code, theme and overall, for every comparison;
/// intervals from `replicates` bootstrap resamples of participants (0: no
/// intervals). Rows go comparison by comparison: overall, then each theme
/// followed by its codes.
pub fn figures(alignment: &Alignment, replicates: usize) -> Vec<Row> {
    let sets = alignment.sets.len();
    let participants = alignment.participants.len().max(1);
    let (codes, themes) = (alignment.codes.len(), alignment.themes.len());
    let theme_of: Vec<usize> = alignment
        .codes
        .iter()
        .map(|c| {
            alignment
                .themes
                .iter()
                .position(|t| *t == c.theme)
                .expect("a theme")
        })
        .collect();
    // tallies[variable][participant]; variables: codes, then themes.
    let mut tallies = vec![vec![Tally::new(sets); participants]; codes + themes];
    let mut totals = vec![0.0; participants];
    let mut said = vec![false; sets];
    for item in &alignment.items {
        let w = item.weight as f64;
        totals[item.participant] += w;
        let mut touched: Vec<usize> = item.codes.iter().flatten().copied().collect();
        touched.sort_unstable();
        touched.dedup();
        for &c in &touched {
            for (s, carried) in item.codes.iter().enumerate() {
                said[s] = carried.contains(&c);
            }
            tallies[c][item.participant].add(&said, w);
        }
        let mut touched_themes: Vec<usize> = touched.iter().map(|&c| theme_of[c]).collect();
        touched_themes.dedup();
        for &t in &touched_themes {
            for (s, carried) in item.codes.iter().enumerate() {
                said[s] = carried.iter().any(|&c| theme_of[c] == t);
            }
            tallies[codes + t][item.participant].add(&said, w);
        }
    }
    // Units nothing touched: every set said no.
    let none = vec![false; sets];
    for variable in &mut tallies {
        for (p, tally) in variable.iter_mut().enumerate() {
            let rest = totals[p] - tally.n;
            if rest > 0.0 {
                tally.add(&none, rest);
            }
        }
    }
    // Overall pools the codes.
    let overall: Vec<Tally> = (0..participants)
        .map(|p| {
            let mut sum = Tally::new(sets);
            for variable in &tallies[..codes] {
                sum.add_scaled(&variable[p], 1.0);
            }
            sum
        })
        .collect();
    let draws = resamples(alignment.participants.len(), replicates);
    let mut order = vec![(Level::Overall, &overall)];
    for t in 0..themes {
        order.push((Level::Theme(t), &tallies[codes + t]));
        for c in (0..codes).filter(|&c| theme_of[c] == t) {
            order.push((Level::Code(c), &tallies[c]));
        }
    }
    // Each variable's resampled tallies, shared by every comparison.
    let replicated: Vec<Vec<Tally>> = order
        .iter()
        .map(|(_, per_participant)| {
            draws
                .iter()
                .map(|times| {
                    let mut resampled = Tally::new(sets);
                    for (t, &k) in per_participant.iter().zip(times) {
                        if k > 0.0 {
                            resampled.add_scaled(t, k);
                        }
                    }
                    resampled
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    for comparison in comparisons(sets) {
        for ((level, per_participant), replicates) in order.iter().zip(&replicated) {
            rows.push(Row {
                level: *level,
                comparison,
                figures: figures_of(per_participant, replicates, comparison, &alignment.sets),
            });
        }
    }
    rows
}

/// Resample multiplicities: for each replicate, how many times each
/// participant is drawn.
fn resamples(participants: usize, replicates: usize) -> Vec<Vec<f64>> {
    if participants < 2 {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(BOOTSTRAP_SEED);
    (0..replicates)
        .map(|_| {
            let mut times = vec![0.0; participants];
            for _ in 0..participants {
                times[rng.below(participants)] += 1.0;
            }
            times
        })
        .collect()
}

/// Kappa and alpha of a summed tally for one comparison.
fn kappa_alpha(tally: &Tally, comparison: Comparison, sets: usize) -> (Option<f64>, Option<f64>) {
    match comparison {
        Comparison::Pair(i, j) => {
            let [no, j_only, i_only, both] = tally.pairs[pair_index(sets, i, j)];
            let table = vec![vec![no, j_only], vec![i_only, both]];
            let units = [
                (vec![2, 0], no),
                (vec![1, 1], j_only + i_only),
                (vec![0, 2], both),
            ];
            (
                cohens_kappa_table(&table),
                krippendorff_alpha_counts(&units),
            )
        }
        Comparison::All => {
            let subjects = rated(tally, sets);
            (
                fleiss_kappa_weighted(&subjects),
                krippendorff_alpha_counts(&subjects),
            )
        }
    }
}

/// The histogram as subjects rated no/yes by `sets` raters.
fn rated(tally: &Tally, sets: usize) -> Vec<(Vec<u64>, f64)> {
    tally
        .hist
        .iter()
        .enumerate()
        .map(|(k, &w)| (vec![(sets - k) as u64, k as u64], w))
        .collect()
}

/// The figures of one variable for one comparison, from its tallies per
/// participant and its bootstrap replicates.
fn figures_of(
    per_participant: &[Tally],
    replicates: &[Tally],
    comparison: Comparison,
    names: &[String],
) -> Figures {
    let sets = names.len();
    let mut tally = Tally::new(sets);
    for t in per_participant {
        tally.add_scaled(t, 1.0);
    }
    let mut undefined = Vec::new();
    let mut undefined_because = |figure, reason: &str| {
        undefined.push(Undefined {
            figure,
            reason: reason.to_string(),
        })
    };
    let compared: Vec<usize> = match comparison {
        Comparison::Pair(i, j) => vec![i, j],
        Comparison::All => (0..sets).collect(),
    };
    let n = tally.n;
    let prevalence = compared.iter().map(|&s| share(tally.yes[s], n)).collect();
    let (kappa, alpha) = kappa_alpha(&tally, comparison, sets);
    let no_variation = if compared.iter().all(|&s| tally.yes[s] == 0.0) {
        "no variation: no set applied it"
    } else {
        "no variation: every set applied it to every unit"
    };
    if n == 0.0 {
        undefined_because("percent", "no units");
    }
    if kappa.is_none() {
        undefined_because("kappa", if n == 0.0 { "no units" } else { no_variation });
    }
    if alpha.is_none() {
        undefined_because(
            "alpha",
            if n < 2.0 {
                "fewer than two units"
            } else {
                no_variation
            },
        );
    }
    let (percent, ac1, pabak) = match comparison {
        Comparison::Pair(i, j) => {
            let [no, j_only, i_only, both] = tally.pairs[pair_index(sets, i, j)];
            let table = vec![vec![no, j_only], vec![i_only, both]];
            (
                percent_agreement_table(&table),
                gwet_ac1_table(&table),
                pabak_table(&table),
            )
        }
        Comparison::All => {
            let subjects = rated(&tally, sets);
            (
                (n > 0.0).then(|| (tally.hist[0] + tally.hist[sets]) / n),
                gwet_ac1_counts(&subjects),
                pabak_counts(&subjects),
            )
        }
    };
    let (mut precision, mut recall, mut f1) = (None, None, None);
    if let Comparison::Pair(0, j) = comparison {
        let [_, fp, fnn, tp] = tally.pairs[pair_index(sets, 0, j)];
        precision = ratio(tp, tp + fp);
        recall = ratio(tp, tp + fnn);
        f1 = ratio(2.0 * tp, 2.0 * tp + fp + fnn);
        if precision.is_none() {
            undefined_because("precision", &format!("{} never applied it", names[j]));
        }
        if recall.is_none() {
            undefined_because("recall", &format!("{} never applied it", names[0]));
        }
        if f1.is_none() {
            undefined_because("f1", "neither set applied it");
        }
    }
    let (kappa_ci, alpha_ci) = if replicates.is_empty() {
        if per_participant.len() < 2 {
            undefined_because("intervals", "fewer than two participants to resample");
        }
        (None, None)
    } else {
        let (mut kappas, mut alphas) = (Vec::new(), Vec::new());
        for resampled in replicates {
            let (k, a) = kappa_alpha(resampled, comparison, sets);
            kappas.extend(k);
            alphas.extend(a);
        }
        for (figure, point, values) in [("kappa", kappa, &kappas), ("alpha", alpha, &alphas)] {
            if point.is_some() && values.len() < replicates.len() {
                undefined.push(Undefined {
                    figure,
                    reason: format!(
                        "interval from {} of {} resamples (the others had no variation)",
                        values.len(),
                        replicates.len()
                    ),
                });
            }
        }
        (
            kappa.and_then(|_| percentile_interval(&mut kappas, 0.95)),
            alpha.and_then(|_| percentile_interval(&mut alphas, 0.95)),
        )
    };
    Figures {
        units: n.round() as u64,
        prevalence,
        percent,
        kappa,
        kappa_ci,
        alpha,
        alpha_ci,
        ac1,
        pabak,
        precision,
        recall,
        f1,
        undefined,
    }
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 { part / whole } else { 0.0 }
}

fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}
