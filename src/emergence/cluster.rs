//! Step 3 of the method: grouping. The best phrases are clustered by how
//! they co-occur in the same speaker turns (average-linkage on the Ochiai
//! coefficient), and a phrase inside another always joins it.
//!
//! Not here: what a group becomes (label, patterns, id: `draft.rs`).

use super::Phrase;
use super::evidence::Detail;

/// Groups merge while their average Ochiai coefficient is at least this.
const MIN_COOCCURRENCE: f64 = 0.2;

/// Whether the stems of `inner` are a run of the stems of `outer`.
pub(super) fn contains(outer: &str, inner: &str) -> bool {
    let o: Vec<&str> = outer.split(' ').collect();
    let i: Vec<&str> = inner.split(' ').collect();
    i.len() < o.len() && o.windows(i.len()).any(|w| w == i.as_slice())
}

/// Groups phrases (best first) by co-occurrence in turns: average-linkage
/// clustering on the Ochiai coefficient; a phrase inside another one
/// counts as fully associated with it. Returns member indexes, each group
/// in input order.
pub(super) fn group(phrases: &[(&Phrase, &Detail)]) -> Vec<Vec<usize>> {
    let n = phrases.len();
    let mut sim = vec![vec![0.0f64; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let (pa, da) = phrases[a];
            let (pb, db) = phrases[b];
            let s = if contains(&pa.stems, &pb.stems) || contains(&pb.stems, &pa.stems) {
                1.0
            } else {
                let both = da.contexts.intersection(&db.contexts).count();
                if both < 2 {
                    0.0
                } else {
                    both as f64 / ((da.contexts.len() * db.contexts.len()) as f64).sqrt()
                }
            };
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
                if avg >= MIN_COOCCURRENCE && best.is_none_or(|(s, _, _)| avg > s) {
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
