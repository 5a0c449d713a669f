//! Prevalence of a learned code corrected for the model's error: the
//! Rogan-Gladen estimator ([`rogan_gladen`]) and, per group, a bootstrap
//! interval and the group differences the model's error could explain
//! ([`corrected_prevalence`], [`GroupPrevalence::difference`]).
//!
//! A model that codes segments misses some the human would code (its
//! sensitivity, `se`, is below 1) and codes some the human would not (its
//! specificity, `sp`, is below 1). The share of units it codes, the
//! apparent prevalence `p`, is then biased towards the middle. Rogan and
//! Gladen (1978) invert that: the true prevalence is
//! `(p + sp - 1) / (se + sp - 1)`, clamped to [0, 1]. It exists only when
//! the model beats chance (`se + sp > 1`); otherwise this module refuses
//! ([`Uncorrectable`]). `se` and `sp` come from the model's cross-validated
//! counts against the human ([`Confusion`]).
//!
//! The interval comes from a seeded bootstrap of both sources of error, on
//! one thread (the same bytes every run):
//! * the sample: a group's participants are resampled with replacement,
//!   each bringing all of their units (units of one person are not
//!   independent);
//! * the model: `se` and `sp` are redrawn by binomial resampling of the
//!   cross-validated counts (the number of the human's positive units the
//!   model found, out of all of them, and likewise for the negatives), as if
//!   the cross-validation's units were themselves resampled (exact draws,
//!   or the normal approximation once the rarer outcome is expected more
//!   than 40 times). Each group of a
//!   replicate gets its own draw: the model's accuracy on one group may
//!   differ from another's as far as the cross-validation leaves it
//!   uncertain. With one draw shared by all groups, the correction would
//!   rescale a difference without ever making it cross zero, and the
//!   model's error could never explain a difference.
//!
//! A replicate whose drawn `se + sp` is at most 1 cannot be corrected and is
//! left out; the count of replicates used is reported.
//!
//! Not here: which units or participants a group holds, or rendering. The
//! caller gives counts.

use super::resample::{SplitMix64, percentile_interval};

/// A model's cross-validated decisions on one code against the human's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Confusion {
    /// Units both coded.
    pub true_positives: u64,
    /// Units the model coded and the human did not.
    pub false_positives: u64,
    /// Units the human coded and the model did not.
    pub false_negatives: u64,
    /// Units neither coded.
    pub true_negatives: u64,
}

impl Confusion {
    /// The share of the human's units the model coded; `None` when the
    /// human coded none.
    pub fn sensitivity(&self) -> Option<f64> {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// The share of the units the human left uncoded that the model left
    /// uncoded too; `None` when the human coded every unit.
    pub fn specificity(&self) -> Option<f64> {
        ratio(
            self.true_negatives,
            self.true_negatives + self.false_positives,
        )
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The Rogan-Gladen corrected prevalence `(p + sp - 1) / (se + sp - 1)`,
/// clamped to [0, 1]. `None` when the model is no better than chance
/// (`se + sp <= 1`) or a value is outside [0, 1] or not a number.
///
/// # Examples
///
/// ```
/// use mint::stats::prevalence::rogan_gladen;
///
/// // The model codes 30% of units, finds 90% of the human's and wrongly
/// // codes 20% of the rest: (0.3 + 0.8 - 1) / (0.9 + 0.8 - 1) = 1/7.
/// let corrected = rogan_gladen(0.3, 0.9, 0.8).unwrap();
/// assert!((corrected - 1.0 / 7.0).abs() < 1e-12);
/// // A model that guesses cannot be corrected for.
/// assert_eq!(rogan_gladen(0.3, 0.5, 0.5), None);
/// ```
pub fn rogan_gladen(apparent: f64, sensitivity: f64, specificity: f64) -> Option<f64> {
    let unit = |x: f64| (0.0..=1.0).contains(&x);
    if !(unit(apparent) && unit(sensitivity) && unit(specificity)) {
        return None;
    }
    let youden = sensitivity + specificity - 1.0;
    if youden <= 0.0 {
        return None;
    }
    Some(((apparent + specificity - 1.0) / youden).clamp(0.0, 1.0))
}

/// Why a code's prevalence cannot be corrected.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum Uncorrectable {
    /// The human coded no unit of the cross-validation: no sensitivity.
    #[error("no unit of the cross-validation has the code, so the model's sensitivity is unknown")]
    NoPositives,
    /// The human coded every unit of the cross-validation: no specificity.
    #[error(
        "every unit of the cross-validation has the code, so the model's specificity is unknown"
    )]
    NoNegatives,
    /// Sensitivity plus specificity is at most 1: the model does no better
    /// than chance, and the correction would divide by zero or flip sign.
    #[error(
        "the model does no better than chance (sensitivity {sensitivity:.3} + specificity {specificity:.3} <= 1)"
    )]
    NoBetterThanChance {
        /// The model's cross-validated sensitivity.
        sensitivity: f64,
        /// The model's cross-validated specificity.
        specificity: f64,
    },
}

/// One participant's units in a group: how many the model coded, of how
/// many. For a prevalence of participants (did the model code anyone's
/// talk at all), give each participant `total: 1` and `coded` 0 or 1, with
/// a [`Confusion`] counted the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Units {
    /// Units the model coded.
    pub coded: u64,
    /// All of the participant's units.
    pub total: u64,
}

/// The bootstrap's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    /// How many replicates to draw.
    pub replicates: usize,
    /// The interval's coverage, 0.95 for a 95% interval.
    pub level: f64,
    /// The generator's seed: the same seed gives the same intervals.
    pub seed: u64,
}

impl Default for Bootstrap {
    /// 1000 replicates, a 95% interval, seed 19.
    fn default() -> Bootstrap {
        Bootstrap {
            replicates: 1000,
            level: 0.95,
            seed: 19,
        }
    }
}

/// One group's prevalence of a learned code.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Corrected {
    /// The share of the group's units the model coded.
    pub apparent: f64,
    /// That share corrected for the model's error ([`rogan_gladen`]).
    pub corrected: f64,
    /// The bootstrap interval of `corrected`; `None` when no replicate
    /// could be corrected.
    pub interval: Option<(f64, f64)>,
    /// How many replicates gave a value (the others drew `se + sp <= 1`).
    pub replicates: usize,
}

/// The difference between two groups' corrected prevalences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// The first group's corrected prevalence minus the second's.
    pub estimate: f64,
    /// Its bootstrap interval (the differences of the two groups'
    /// replicates); `None` when no replicate gave both.
    pub interval: Option<(f64, f64)>,
    /// True when the interval contains 0: the model's error and the sample
    /// could make the groups look this far apart (and so when there is no
    /// interval).
    pub within_error: bool,
}

/// The corrected prevalence of one code in each group, with the replicates
/// behind the intervals, which [`GroupPrevalence::difference`] pairs.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPrevalence {
    /// The model's cross-validated sensitivity.
    pub sensitivity: f64,
    /// The model's cross-validated specificity.
    pub specificity: f64,
    /// Per group in the order given; `None` for a group with no units.
    pub groups: Vec<Option<Corrected>>,
    level: f64,
    /// `draws[g][r]`: group g's corrected prevalence in replicate r.
    draws: Vec<Vec<Option<f64>>>,
}

impl GroupPrevalence {
    /// How far group `first`'s corrected prevalence is above group
    /// `second`'s, and whether the model's error could explain it. `None`
    /// when either group is out of range or has no units.
    pub fn difference(&self, first: usize, second: usize) -> Option<Difference> {
        let a = self.groups.get(first)?.as_ref()?;
        let b = self.groups.get(second)?.as_ref()?;
        let mut spread: Vec<f64> = self.draws[first]
            .iter()
            .zip(&self.draws[second])
            .filter_map(|(x, y)| Some((*x)? - (*y)?))
            .collect();
        let interval = percentile_interval(&mut spread, self.level);
        Some(Difference {
            estimate: a.corrected - b.corrected,
            interval,
            within_error: interval.is_none_or(|(low, high)| low <= 0.0 && 0.0 <= high),
        })
    }
}

/// Each group's prevalence of one code corrected for the model's error
/// `cv`, with bootstrap intervals (see the module's doc for what is
/// resampled). `groups[g]` holds group g's participants.
///
/// # Examples
///
/// ```
/// use mint::stats::prevalence::{corrected_prevalence, Bootstrap, Confusion, Units};
///
/// // Cross-validated: 90 of the human's 100 units found, 40 of 400 others coded.
/// let cv = Confusion { true_positives: 90, false_negatives: 10, false_positives: 40, true_negatives: 360 };
/// let group = vec![Units { coded: 3, total: 10 }; 20]; // the model codes 30%
/// let result = corrected_prevalence(&[group], cv, Bootstrap::default()).unwrap();
/// let one = result.groups[0].unwrap();
/// assert!((one.corrected - 0.2 / 0.8).abs() < 1e-12);
/// ```
pub fn corrected_prevalence(
    groups: &[Vec<Units>],
    cv: Confusion,
    bootstrap: Bootstrap,
) -> Result<GroupPrevalence, Uncorrectable> {
    let sensitivity = cv.sensitivity().ok_or(Uncorrectable::NoPositives)?;
    let specificity = cv.specificity().ok_or(Uncorrectable::NoNegatives)?;
    if sensitivity + specificity <= 1.0 {
        return Err(Uncorrectable::NoBetterThanChance {
            sensitivity,
            specificity,
        });
    }
    let positives = cv.true_positives + cv.false_negatives;
    let negatives = cv.true_negatives + cv.false_positives;
    let mut rng = SplitMix64::new(bootstrap.seed);
    let mut draws = vec![Vec::with_capacity(bootstrap.replicates); groups.len()];
    for _ in 0..bootstrap.replicates {
        for (group, out) in groups.iter().zip(&mut draws) {
            let se = binomial(&mut rng, positives, sensitivity) as f64 / positives as f64;
            let sp = binomial(&mut rng, negatives, specificity) as f64 / negatives as f64;
            let apparent = share(group.iter().map(|_| group[rng.below(group.len())]));
            out.push(apparent.and_then(|p| rogan_gladen(p, se, sp)));
        }
    }
    let groups = groups
        .iter()
        .zip(&draws)
        .map(|(group, replicates)| {
            let apparent = share(group.iter().copied())?;
            let mut values: Vec<f64> = replicates.iter().flatten().copied().collect();
            Some(Corrected {
                apparent,
                corrected: rogan_gladen(apparent, sensitivity, specificity)?,
                replicates: values.len(),
                interval: percentile_interval(&mut values, bootstrap.level),
            })
        })
        .collect();
    Ok(GroupPrevalence {
        sensitivity,
        specificity,
        groups,
        level: bootstrap.level,
        draws,
    })
}

/// The share of units coded; `None` when there are none.
fn share(units: impl Iterator<Item = Units>) -> Option<f64> {
    let (coded, total) = units.fold((0, 0), |(c, t), u| (c + u.coded, t + u.total));
    ratio(coded, total)
}

/// Up to this many trials, a binomial draw counts them one by one.
const COUNTED_TRIALS: u64 = 64;

/// Up to this many expected rare outcomes, a binomial draw waits for each.
const WAITED_OUTCOMES: f64 = 40.0;

/// A draw from Binomial(`n`, `p`), in O(1) expected steps for any `n`
/// (a cross-validation can hold tens of thousands of units, and each
/// replicate of each group draws twice). With `q` the rarer outcome's
/// probability: up to [`COUNTED_TRIALS`] trials, each is drawn (exact);
/// while `n q` is at most [`WAITED_OUTCOMES`], the geometric gaps between
/// rare outcomes are drawn (exact: Devroye's second waiting-time method);
/// beyond, the normal approximation rounded, whose error at `n q > 40` is
/// far below the bootstrap's own.
fn binomial(rng: &mut SplitMix64, n: u64, p: f64) -> u64 {
    if p.is_nan() || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let q = p.min(1.0 - p);
    let rare = if n <= COUNTED_TRIALS {
        (0..n).filter(|_| unit_open(rng) <= q).count() as u64
    } else if n as f64 * q <= WAITED_OUTCOMES {
        let gap = (1.0 - q).ln();
        let (mut count, mut at) = (0u64, 0f64);
        loop {
            at += (unit_open(rng).ln() / gap).floor() + 1.0;
            if at > n as f64 {
                break count;
            }
            count += 1;
        }
    } else {
        let nf = n as f64;
        let z =
            (-2.0 * unit_open(rng).ln()).sqrt() * (std::f64::consts::TAU * unit_open(rng)).cos();
        (nf * q + (nf * q * (1.0 - q)).sqrt() * z)
            .round()
            .clamp(0.0, nf) as u64
    };
    if p <= 0.5 { rare } else { n - rare }
}

/// A uniform draw in (0, 1]: 53 random bits, never 0 (its logarithm is
/// finite).
fn unit_open(rng: &mut SplitMix64) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    ((rng.next_u64() >> 11) + 1) as f64 * SCALE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-12,
            "{actual} is not {expected}"
        );
    }

    fn cv(tp: u64, fn_: u64, fp: u64, tn: u64) -> Confusion {
        Confusion {
            true_positives: tp,
            false_negatives: fn_,
            false_positives: fp,
            true_negatives: tn,
        }
    }

    /// `n` participants with `units` units each, `coded` of them coded.
    fn people(n: usize, coded: u64, units: u64) -> Vec<Units> {
        vec![
            Units {
                coded,
                total: units
            };
            n
        ]
    }

    #[test]
    fn rogan_gladen_matches_hand_computed_values() {
        // (0.3 + 0.8 - 1) / (0.9 + 0.8 - 1) = 0.1 / 0.7
        close(rogan_gladen(0.3, 0.9, 0.8).unwrap(), 0.1 / 0.7);
        // (0.25 + 0.95 - 1) / (0.8 + 0.95 - 1) = 0.2 / 0.75
        close(rogan_gladen(0.25, 0.8, 0.95).unwrap(), 0.2 / 0.75);
        // A perfect model needs no correction.
        close(rogan_gladen(0.42, 1.0, 1.0).unwrap(), 0.42);
    }

    #[test]
    fn rogan_gladen_clamps_to_the_unit_interval() {
        // (0.05 + 0.9 - 1) / 0.8 < 0, (0.95 + 0.9 - 1) / 0.8 > 1.
        assert_eq!(rogan_gladen(0.05, 0.9, 0.9), Some(0.0));
        assert_eq!(rogan_gladen(0.95, 0.9, 0.9), Some(1.0));
    }

    #[test]
    fn rogan_gladen_refuses_a_model_no_better_than_chance_or_bad_values() {
        assert_eq!(rogan_gladen(0.3, 0.5, 0.5), None);
        assert_eq!(rogan_gladen(0.3, 0.2, 0.6), None);
        assert_eq!(rogan_gladen(1.2, 0.9, 0.9), None);
        assert_eq!(rogan_gladen(f64::NAN, 0.9, 0.9), None);
    }

    #[test]
    fn confusion_gives_sensitivity_and_specificity() {
        let c = cv(90, 10, 40, 360);
        close(c.sensitivity().unwrap(), 0.9);
        close(c.specificity().unwrap(), 0.9);
        assert_eq!(cv(0, 0, 3, 7).sensitivity(), None);
        assert_eq!(cv(3, 7, 0, 0).specificity(), None);
    }

    #[test]
    fn corrected_prevalence_says_why_it_cannot_correct() {
        let group = [people(5, 1, 4)];
        let boot = Bootstrap::default();
        assert_eq!(
            corrected_prevalence(&group, cv(0, 0, 3, 7), boot),
            Err(Uncorrectable::NoPositives)
        );
        assert_eq!(
            corrected_prevalence(&group, cv(3, 7, 0, 0), boot),
            Err(Uncorrectable::NoNegatives)
        );
        let chance = corrected_prevalence(&group, cv(5, 5, 5, 5), boot).unwrap_err();
        assert!(matches!(chance, Uncorrectable::NoBetterThanChance { .. }));
        assert!(chance.to_string().contains("0.500 + specificity 0.500"));
    }

    #[test]
    fn corrected_prevalence_corrects_each_group_and_skips_an_empty_one() {
        // se = 0.9, sp = 0.9: (p - 0.1) / 0.8.
        let groups = [people(10, 3, 10), people(10, 5, 10), Vec::new()];
        let result =
            corrected_prevalence(&groups, cv(90, 10, 10, 90), Bootstrap::default()).unwrap();
        let first = result.groups[0].unwrap();
        close(first.apparent, 0.3);
        close(first.corrected, 0.25);
        close(result.groups[1].unwrap().corrected, 0.5);
        assert_eq!(result.groups[2], None);
        assert_eq!(result.difference(0, 2), None);
        assert_eq!(result.difference(0, 7), None);
    }

    #[test]
    fn a_perfect_model_on_identical_participants_has_a_point_interval() {
        let groups = [people(8, 1, 4)];
        let result = corrected_prevalence(&groups, cv(50, 0, 0, 50), Bootstrap::default()).unwrap();
        let one = result.groups[0].unwrap();
        assert_eq!(one.interval, Some((0.25, 0.25)));
        assert_eq!(one.replicates, 1000);
    }

    #[test]
    fn the_interval_holds_the_estimate_and_widens_with_a_smaller_cross_validation() {
        // Participants differ: half coded 2 of 10 units, half 6 of 10.
        let mut group = people(15, 2, 10);
        group.extend(people(15, 6, 10));
        let width = |scale: u64| {
            let result = corrected_prevalence(
                std::slice::from_ref(&group),
                cv(8 * scale, 2 * scale, scale, 9 * scale),
                Bootstrap::default(),
            )
            .unwrap();
            let one = result.groups[0].unwrap();
            let (low, high) = one.interval.unwrap();
            assert!(low <= one.corrected && one.corrected <= high);
            high - low
        };
        assert!(width(1) > width(100));
    }

    #[test]
    fn the_same_seed_gives_the_same_interval_and_another_seed_another() {
        let mut group = people(6, 1, 5);
        group.extend(people(6, 4, 5));
        let groups = [group];
        let run = |seed| {
            let boot = Bootstrap {
                seed,
                ..Bootstrap::default()
            };
            corrected_prevalence(&groups, cv(40, 10, 10, 40), boot)
                .unwrap()
                .groups[0]
                .unwrap()
                .interval
        };
        assert_eq!(run(3), run(3));
        assert_ne!(run(3), run(4));
    }

    #[test]
    fn differences_far_beyond_the_error_are_flagged_and_near_ones_are_not() {
        // se = 0.8, sp = 0.9 from 20 + 20 units: a noisy model.
        let noisy = cv(16, 4, 2, 18);
        let groups = [
            people(40, 1, 10), // apparent 0.1: corrected 0
            people(40, 6, 10), // apparent 0.6: corrected 5/7
            people(40, 2, 10), // apparent 0.2: corrected 1/7
        ];
        let result = corrected_prevalence(&groups, noisy, Bootstrap::default()).unwrap();
        let far = result.difference(1, 0).unwrap();
        close(far.estimate, 0.5 / 0.7);
        assert!(!far.within_error, "{far:?}");
        let near = result.difference(2, 0).unwrap();
        close(near.estimate, 0.1 / 0.7);
        assert!(near.within_error, "{near:?}");
        // The order of the groups only flips the sign.
        let back = result.difference(0, 1).unwrap();
        close(back.estimate, -far.estimate);
    }

    /// The mean and variance of `draws` binomial draws.
    fn moments(n: u64, p: f64, draws: usize) -> (f64, f64) {
        let mut rng = SplitMix64::new(5);
        let xs: Vec<f64> = (0..draws)
            .map(|_| {
                let x = binomial(&mut rng, n, p);
                assert!(x <= n);
                x as f64
            })
            .collect();
        let mean = xs.iter().sum::<f64>() / draws as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (draws - 1) as f64;
        (mean, var)
    }

    #[test]
    fn binomial_draws_have_the_binomial_mean_and_variance_on_every_path() {
        // (n, p): counted, waited (both sides), normal; mean n p, variance
        // n p (1 - p), within five standard errors of 4000 draws.
        for (n, p) in [(50, 0.3), (5000, 0.002), (5000, 0.997), (20000, 0.6)] {
            let (mean, var) = moments(n, p, 4000);
            let expected = n as f64 * p;
            let spread = expected * (1.0 - p);
            assert!(
                (mean - expected).abs() < 5.0 * (spread / 4000.0).sqrt(),
                "n {n} p {p}: mean {mean}"
            );
            assert!(
                (var / spread - 1.0).abs() < 0.15,
                "n {n} p {p}: variance {var}, not {spread}"
            );
        }
    }

    #[test]
    fn binomial_draws_at_the_ends_are_certain() {
        let mut rng = SplitMix64::new(1);
        assert_eq!(binomial(&mut rng, 50, 1.0), 50);
        assert_eq!(binomial(&mut rng, 50_000, 1.0), 50_000);
        assert_eq!(binomial(&mut rng, 50_000, 0.0), 0);
        assert_eq!(binomial(&mut rng, 0, 0.5), 0);
    }
}
