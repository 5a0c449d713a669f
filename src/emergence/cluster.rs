//! Step 3 of the method: grouping. Phrases that are said in mostly the
//! same segments are one topic ("hospice" and "hospice referral"; a
//! collocation and its parts): the best phrases are clustered by the
//! Jaccard index of their segments (average linkage), and groups merge
//! while it is at least [`MIN_JACCARD`]. Candidates whose patterns match
//! mostly the same segments are merged again later, by the same rule
//! (`support.rs`).
//!
//! Not here: what a group becomes (label, patterns, id: `draft.rs`).

use std::collections::BTreeSet;

use super::Phrase;
use super::evidence::Detail;

/// Phrases (and candidates) whose segments have a Jaccard index of at
/// least this (shared segments over the segments of either) are merged.
pub const MIN_JACCARD: f64 = 0.6;

/// Whether the stems of `inner` are a run of the stems of `outer`.
pub(super) fn contains(outer: &str, inner: &str) -> bool {
    let o: Vec<&str> = outer.split(' ').collect();
    let i: Vec<&str> = inner.split(' ').collect();
    i.len() < o.len() && o.windows(i.len()).any(|w| w == i.as_slice())
}

/// The Jaccard index of two sorted sets: shared over either.
pub(super) fn jaccard<T: Ord>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> f64 {
    let both = a.intersection(b).count();
    let either = a.len() + b.len() - both;
    if either == 0 {
        0.0
    } else {
        both as f64 / either as f64
    }
}

/// Groups phrases (best first) by the segments they are said in:
/// average-linkage clustering on the Jaccard index, merging the most
/// similar pair of groups while it is at least [`MIN_JACCARD`] (ties go to
/// the earlier pair). Returns member indexes, each group in input order.
pub(super) fn group(phrases: &[(&Phrase, &Detail)]) -> Vec<Vec<usize>> {
    let n = phrases.len();
    let mut sim = vec![vec![0.0f64; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let s = jaccard(&phrases[a].1.segments, &phrases[b].1.segments);
            sim[a][b] = s;
            sim[b][a] = s;
        }
    }
    let mut groups: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for x in 0..groups.len() {
            for y in x + 1..groups.len() {
                let mut total = 0.0;
                for &a in &groups[x] {
                    for &b in &groups[y] {
                        total += sim[a][b];
                    }
                }
                let avg = total / (groups[x].len() * groups[y].len()) as f64;
                if avg >= MIN_JACCARD && best.is_none_or(|(s, _, _)| avg > s) {
                    best = Some((avg, x, y));
                }
            }
        }
        let Some((_, x, y)) = best else {
            break;
        };
        let merged = groups.remove(y);
        groups[x].extend(merged);
        groups[x].sort_unstable();
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_is_shared_over_either() {
        let a: BTreeSet<u32> = [1, 2, 3, 4].into();
        let b: BTreeSet<u32> = [2, 3, 4, 5].into();
        assert!((jaccard(&a, &b) - 0.6).abs() < 1e-12);
        assert_eq!(jaccard(&BTreeSet::<u32>::new(), &BTreeSet::new()), 0.0);
    }

    #[test]
    fn phrases_said_in_mostly_the_same_segments_are_one_group() {
        let phrase = |text: &str| Phrase {
            text: text.into(),
            stems: text.into(),
            score: 1.0,
            source: super::super::Source::Uncoded,
            occurrences: 3,
            participants: 2,
            reason: None,
        };
        let detail = |segs: &[u32]| Detail {
            segments: segs.iter().copied().collect(),
            ..Detail::default()
        };
        let (a, b, c) = (
            phrase("hospice referral"),
            phrase("hospice"),
            phrase("wifi"),
        );
        let (da, db, dc) = (detail(&[1, 2, 3]), detail(&[1, 2, 3, 4]), detail(&[3, 9]));
        assert_eq!(
            group(&[(&a, &da), (&b, &db), (&c, &dc)]),
            [vec![0, 1], vec![2]]
        );
    }
}
