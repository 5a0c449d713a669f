//! Which segments to hand-code next (`mint learn --suggest-next N`): those
//! whose human code would teach the model most, spread over participants
//! and groups.
//!
//! The method is uncertainty sampling. A code's model is least sure of a
//! segment whose probability sits on its decision threshold, and sure of
//! one at 0 or 1: a code's [`uncertainty`] is 1 at the threshold and falls
//! linearly to 0 at either end, so codes with different thresholds compare.
//! A segment is as uncertain as its most uncertain code (its mean over the
//! codes breaks ties). Picking only the most uncertain segments would
//! spend the researcher's time on one talkative participant, so
//! [`pick_next`] takes them round-robin: each pick goes to a group with the
//! fewest picks so far, within it to a participant with the fewest, and
//! there to that participant's most uncertain segment not yet picked.
//! Among equally loaded participants the pick is the most uncertain
//! segment (mean uncertainty, then the smaller segment id, then the
//! earlier candidate break ties): the same input gives the same picks.
//!
//! Not here: the model's probabilities (the caller computes them, and
//! leaves out the segments already hand-coded), or writing the template
//! (but its marker code, [`MARKER_CODE`], is).

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The code that marks, in a REFI-QDA project written by `mint learn
/// --suggest-next`, each passage to hand-code next: the researcher codes
/// the marked passages in a QDA program, and `mint learn` reads the project
/// back as the segments it lists (the marker is not a code of the study).
pub const MARKER_CODE: &str = "mint: code next";

/// One code's probability for a segment and the code's decision threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CodeScore {
    /// The model's probability that the code applies.
    pub probability: f64,
    /// The probability at and above which the model applies the code.
    pub threshold: f64,
}

/// A segment that could be hand-coded next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate<'a> {
    /// The segment's id (breaks the last ties).
    pub segment: &'a str,
    /// Whose segment it is.
    pub participant: &'a str,
    /// The participant's group (their attribute values), or "" for none.
    pub group: &'a str,
    /// Per code, in the caller's code order.
    pub scores: &'a [CodeScore],
}

/// A segment picked, in the order picked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pick {
    /// The candidate's index in the list given to [`pick_next`].
    pub candidate: usize,
    /// The segment's uncertainty: its most uncertain code's.
    pub uncertainty: f64,
    /// That code's index in the candidate's `scores`; `None` when it has
    /// no scores.
    pub code: Option<usize>,
}

/// How unsure a code's model is of a segment: 1 when the probability is
/// on the threshold, falling linearly to 0 at probability 0 (below the
/// threshold) or 1 (above it). Values outside [0, 1] are clamped; a
/// probability that is not a number counts as sure (0).
///
/// # Examples
///
/// ```
/// use mint::learn::next::{uncertainty, CodeScore};
///
/// let at = |probability, threshold| uncertainty(CodeScore { probability, threshold });
/// assert_eq!(at(0.3, 0.3), 1.0);
/// assert!((at(0.15, 0.3) - 0.5).abs() < 1e-12); // halfway down to 0
/// assert!((at(0.65, 0.3) - 0.5).abs() < 1e-12); // halfway up to 1
/// assert_eq!(at(1.0, 0.3), 0.0);
/// ```
pub fn uncertainty(score: CodeScore) -> f64 {
    if score.probability.is_nan() || score.threshold.is_nan() {
        return 0.0;
    }
    let p = score.probability.clamp(0.0, 1.0);
    let t = score.threshold.clamp(0.0, 1.0);
    let room = if p < t { t } else { 1.0 - t };
    if room <= 0.0 {
        // The threshold is 1 and so is the probability.
        return 1.0;
    }
    (1.0 - (p - t).abs() / room).clamp(0.0, 1.0)
}

/// A candidate's ranking figures: its most uncertain code, and the mean.
#[derive(Debug, Clone, Copy)]
struct Score {
    most: f64,
    code: Option<usize>,
    mean: f64,
}

fn score(candidate: &Candidate) -> Score {
    let mut best = Score {
        most: 0.0,
        code: None,
        mean: 0.0,
    };
    for (i, s) in candidate.scores.iter().enumerate() {
        let u = uncertainty(*s);
        if best.code.is_none() || u > best.most {
            best.most = u;
            best.code = Some(i);
        }
        best.mean += u;
    }
    if !candidate.scores.is_empty() {
        best.mean /= candidate.scores.len() as f64;
    }
    best
}

/// The more uncertain of two candidates first, then the smaller segment
/// id, then the earlier.
fn before(candidates: &[Candidate], scores: &[Score], a: usize, b: usize) -> Ordering {
    let (x, y) = (&scores[a], &scores[b]);
    y.most
        .total_cmp(&x.most)
        .then(y.mean.total_cmp(&x.mean))
        .then(candidates[a].segment.cmp(candidates[b].segment))
        .then(a.cmp(&b))
}

/// Up to `n` segments to hand-code next, in the order picked (see the
/// module's doc for the method). Fewer when there are fewer candidates.
///
/// # Examples
///
/// ```
/// use mint::learn::next::{pick_next, Candidate, CodeScore};
///
/// let unsure = [CodeScore { probability: 0.5, threshold: 0.5 }];
/// let sure = [CodeScore { probability: 0.99, threshold: 0.5 }];
/// let candidates = [
///     Candidate { segment: "a1", participant: "A", group: "", scores: &unsure },
///     Candidate { segment: "a2", participant: "A", group: "", scores: &unsure },
///     Candidate { segment: "b1", participant: "B", group: "", scores: &sure },
/// ];
/// // B's only segment comes second although A's second one is less sure.
/// let picked: Vec<usize> = pick_next(&candidates, 2).iter().map(|p| p.candidate).collect();
/// assert_eq!(picked, [0, 2]);
/// ```
pub fn pick_next(candidates: &[Candidate], n: usize) -> Vec<Pick> {
    let scores: Vec<Score> = candidates.iter().map(score).collect();
    // Each participant's segments, most uncertain last (popped first).
    let mut queues: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, c) in candidates.iter().enumerate() {
        queues.entry((c.group, c.participant)).or_default().push(i);
    }
    for queue in queues.values_mut() {
        queue.sort_by(|&a, &b| before(candidates, &scores, b, a));
    }
    let mut group_picks: BTreeMap<&str, usize> = BTreeMap::new();
    let mut person_picks: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut picks = Vec::with_capacity(n.min(candidates.len()));
    while picks.len() < n {
        let next = queues
            .iter()
            .filter_map(|(key, queue)| Some((*key, *queue.last()?)))
            .min_by(|&(ka, a), &(kb, b)| {
                let load = |key: (&str, &str)| {
                    (
                        group_picks.get(key.0).copied().unwrap_or(0),
                        person_picks.get(&key).copied().unwrap_or(0),
                    )
                };
                load(ka)
                    .cmp(&load(kb))
                    .then(before(candidates, &scores, a, b))
            });
        let Some((key, index)) = next else {
            break;
        };
        queues.get_mut(&key).map(Vec::pop);
        *group_picks.entry(key.0).or_default() += 1;
        *person_picks.entry(key).or_default() += 1;
        picks.push(Pick {
            candidate: index,
            uncertainty: scores[index].most,
            code: scores[index].code,
        });
    }
    picks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(probability: f64, threshold: f64) -> CodeScore {
        CodeScore {
            probability,
            threshold,
        }
    }

    fn candidate<'a>(
        segment: &'a str,
        participant: &'a str,
        group: &'a str,
        scores: &'a [CodeScore],
    ) -> Candidate<'a> {
        Candidate {
            segment,
            participant,
            group,
            scores,
        }
    }

    fn picked<'a>(candidates: &[Candidate<'a>], n: usize) -> Vec<&'a str> {
        pick_next(candidates, n)
            .iter()
            .map(|p| candidates[p.candidate].segment)
            .collect()
    }

    #[test]
    fn uncertainty_is_one_at_the_threshold_and_zero_at_the_ends() {
        assert_eq!(uncertainty(at(0.2, 0.2)), 1.0);
        assert_eq!(uncertainty(at(0.0, 0.2)), 0.0);
        assert_eq!(uncertainty(at(1.0, 0.2)), 0.0);
        // 0.1 below a threshold of 0.2 is halfway; 0.4 above it is halfway to 1.
        assert!((uncertainty(at(0.1, 0.2)) - 0.5).abs() < 1e-12);
        assert!((uncertainty(at(0.6, 0.2)) - 0.5).abs() < 1e-12);
        // 0.9 with threshold 0.8: (1 - 0.1 / 0.2) = 0.5.
        assert!((uncertainty(at(0.9, 0.8)) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn uncertainty_survives_odd_values() {
        assert_eq!(uncertainty(at(f64::NAN, 0.5)), 0.0);
        assert_eq!(uncertainty(at(1.0, 1.0)), 1.0);
        assert_eq!(uncertainty(at(0.0, 0.0)), 1.0);
        assert_eq!(uncertainty(at(1.7, 0.5)), 0.0);
    }

    #[test]
    fn a_segment_is_as_uncertain_as_its_most_uncertain_code() {
        // Code 1 (0.45 vs 0.5: 0.9) beats code 0 (0.9 vs 0.5: 0.2).
        let scores = [at(0.9, 0.5), at(0.45, 0.5)];
        let other = [at(0.7, 0.5), at(0.7, 0.5)]; // 0.6 each
        let candidates = [
            candidate("x", "P1", "", &other),
            candidate("y", "P2", "", &scores),
        ];
        let picks = pick_next(&candidates, 1);
        assert_eq!(picks[0].candidate, 1);
        assert_eq!(picks[0].code, Some(1));
        assert!((picks[0].uncertainty - 0.9).abs() < 1e-12);
    }

    #[test]
    fn picks_go_round_the_participants_before_a_second_turn() {
        let [high, mid, low] = [[at(0.5, 0.5)], [at(0.7, 0.5)], [at(0.9, 0.5)]];
        let candidates = [
            candidate("a1", "A", "", &high),
            candidate("a2", "A", "", &high),
            candidate("a3", "A", "", &mid),
            candidate("b1", "B", "", &low),
            candidate("c1", "C", "", &mid),
        ];
        // One each first (most uncertain participant first), then A again.
        assert_eq!(picked(&candidates, 5), ["a1", "c1", "b1", "a2", "a3"]);
        assert_eq!(picked(&candidates, 2), ["a1", "c1"]);
        assert_eq!(picked(&candidates, 9).len(), 5);
    }

    #[test]
    fn picks_go_round_the_groups_before_the_participants() {
        let [high, low] = [[at(0.5, 0.5)], [at(0.95, 0.5)]];
        let candidates = [
            candidate("n1", "N1", "nurse", &high),
            candidate("n2", "N2", "nurse", &high),
            candidate("n3", "N3", "nurse", &high),
            candidate("s1", "S1", "social worker", &low),
            candidate("s2", "S2", "social worker", &low),
        ];
        // The social workers' sure segments still get every other pick.
        assert_eq!(picked(&candidates, 4), ["n1", "s1", "n2", "s2"]);
    }

    #[test]
    fn ties_are_broken_by_segment_id_whatever_the_input_order() {
        let same = [at(0.4, 0.5)];
        let forward = [
            candidate("s1", "P", "", &same),
            candidate("s2", "Q", "", &same),
            candidate("s3", "R", "", &same),
        ];
        let mut backward = forward;
        backward.reverse();
        assert_eq!(picked(&forward, 3), ["s1", "s2", "s3"]);
        assert_eq!(picked(&backward, 3), ["s1", "s2", "s3"]);
    }

    #[test]
    fn nothing_to_pick_gives_nothing() {
        assert!(pick_next(&[], 3).is_empty());
        let scores = [at(0.5, 0.5)];
        assert!(pick_next(&[candidate("s", "P", "", &scores)], 0).is_empty());
        let none = candidate("s", "P", "", &[]);
        assert_eq!(
            pick_next(&[none], 1),
            [Pick {
                candidate: 0,
                uncertainty: 0.0,
                code: None
            }]
        );
    }
}
