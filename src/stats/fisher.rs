//! Fisher's exact test: [`fisher_exact`] on 2×2, r×2 and 2×c tables, by
//! enumerating every table with the observed margins (the Freeman–Halton
//! extension for more than two groups), and the caps that keep that
//! enumeration bounded ([`FISHER_MAX_TABLES`], [`FISHER_MAX_TOTAL`]).
//!
//! The chi-square test is in `pearson.rs`; the choice between the two is
//! [`compare`](super::compare)'s, in the parent module.

use super::Margins;

/// Relative tolerance when comparing table probabilities in Fisher's exact
/// test, so that tables as likely as the observed one count towards the
/// p-value despite rounding (R's `fisher.test` uses the same `1 + 1e-7`).
const FISHER_RELATIVE_TOLERANCE: f64 = 1e-7;

/// The most tables [`fisher_exact`] will enumerate before giving up.
///
/// Interview studies have tens of participants, where the count is in the
/// thousands at most; the cap only stops pathological inputs (many large
/// groups) from running for minutes.
pub const FISHER_MAX_TABLES: u64 = 10_000_000;

/// The largest total count [`fisher_exact`] accepts, which bounds the
/// log-factorial table it builds (8 bytes per participant).
pub const FISHER_MAX_TOTAL: u64 = 1_000_000;

/// Fisher's exact test, two-sided, on a 2×2, r×2 or 2×c table of counts.
///
/// The p-value is the total probability, given the row and column totals,
/// of every table no more likely than the observed one (with a relative
/// tolerance of 1e-7, as R's `fisher.test`). For more than two groups this
/// is the Freeman–Halton extension, computed by enumerating every table
/// with the observed margins; a 2×c table is transposed first, since the
/// test is symmetric in rows and columns. Probabilities are computed from
/// log-factorials, so large counts do not overflow.
///
/// Returns `None` when the table is not rectangular, has neither exactly two
/// columns nor exactly two rows (r×c with both above two is not
/// implemented), has a zero row or column total, has a total above
/// [`FISHER_MAX_TOTAL`], or would need more than [`FISHER_MAX_TABLES`]
/// tables.
///
/// # Examples
///
/// Fisher's lady tasting tea: she named 3 of the 4 milk-first cups.
/// R's `fisher.test` gives a two-sided p = 0.4857.
///
/// ```
/// use mint::stats::fisher_exact;
///
/// let p = fisher_exact(&[vec![3, 1], vec![1, 3]]).unwrap();
/// assert!((p - 0.4857).abs() < 1e-4);
/// ```
pub fn fisher_exact(table: &[Vec<u64>]) -> Option<f64> {
    let margins = Margins::of(table)?;
    let rows: Vec<[u64; 2]> = if margins.columns.len() == 2 {
        table.iter().map(|row| [row[0], row[1]]).collect()
    } else if margins.rows.len() == 2 {
        (0..margins.columns.len())
            .map(|j| [table[0][j], table[1][j]])
            .collect()
    } else {
        return None;
    };
    freeman_halton(&rows)
}

/// Two-sided exact p-value of an r×2 table with positive margins, by
/// enumerating every table with the same margins.
///
/// Given the margins, the first-column counts x_i follow a multivariate
/// hypergeometric distribution, P(x) = Π C(R_i, x_i) / C(n, k).
fn freeman_halton(rows: &[[u64; 2]]) -> Option<f64> {
    let sizes: Vec<u64> = rows.iter().map(|row| row[0] + row[1]).collect();
    let k: u64 = rows.iter().map(|row| row[0]).sum();
    let n: u64 = sizes.iter().sum();
    if n > FISHER_MAX_TOTAL || count_tables(&sizes, k) > FISHER_MAX_TABLES as f64 {
        return None;
    }
    let log_factorials = log_factorials(n as usize);
    let ln_choose = |a: u64, b: u64| {
        log_factorials[a as usize] - log_factorials[b as usize] - log_factorials[(a - b) as usize]
    };
    let normalizer = ln_choose(n, k);
    let observed: f64 = rows
        .iter()
        .zip(&sizes)
        .map(|(row, &size)| ln_choose(size, row[0]))
        .sum::<f64>()
        - normalizer;
    // capacity[i]: how many first-column counts rows i.. can still absorb.
    let mut capacity = vec![0; sizes.len() + 1];
    for i in (0..sizes.len()).rev() {
        capacity[i] = capacity[i + 1] + sizes[i];
    }
    let mut walk = Walk {
        sizes: &sizes,
        capacity: &capacity,
        ln_choose: &ln_choose,
        threshold: observed + FISHER_RELATIVE_TOLERANCE.ln_1p(),
        p: 0.0,
    };
    walk.visit(0, k, -normalizer);
    Some(walk.p.min(1.0))
}

/// The depth-first enumeration behind [`freeman_halton`].
struct Walk<'a, F> {
    sizes: &'a [u64],
    capacity: &'a [u64],
    ln_choose: &'a F,
    /// Log-probability at or below which a table counts towards p.
    threshold: f64,
    /// The p-value accumulated so far.
    p: f64,
}

impl<F: Fn(u64, u64) -> f64> Walk<'_, F> {
    /// Chooses x_i for rows `i..` given `remaining` first-column counts to
    /// place and the log-probability `partial` of the choices so far.
    fn visit(&mut self, i: usize, remaining: u64, partial: f64) {
        let size = self.sizes[i];
        if i + 1 == self.sizes.len() {
            // The bounds below guarantee remaining <= size here.
            let log_p = partial + (self.ln_choose)(size, remaining);
            if log_p <= self.threshold {
                self.p += log_p.exp();
            }
            return;
        }
        let low = remaining.saturating_sub(self.capacity[i + 1]);
        let high = size.min(remaining);
        for x in low..=high {
            self.visit(i + 1, remaining - x, partial + (self.ln_choose)(size, x));
        }
    }
}

/// How many r×2 tables have row totals `sizes` and first-column total `k`,
/// as a float (only compared against a cap, so rounding is harmless).
pub(super) fn count_tables(sizes: &[u64], k: u64) -> f64 {
    let k = k as usize;
    // ways[j]: tables for the rows so far whose first column sums to j.
    let mut ways = vec![0.0; k + 1];
    ways[0] = 1.0;
    for &size in sizes {
        let size = size as usize;
        let mut prefix = vec![0.0; k + 2];
        for j in 0..=k {
            prefix[j + 1] = prefix[j] + ways[j];
        }
        for (j, slot) in ways.iter_mut().enumerate() {
            *slot = prefix[j + 1] - prefix[j.saturating_sub(size)];
        }
    }
    ways[k]
}

/// ln(i!) for i in 0..=n, by summing logarithms.
fn log_factorials(n: usize) -> Vec<f64> {
    let mut table = Vec::with_capacity(n + 1);
    let mut sum = 0.0;
    table.push(0.0);
    for i in 1..=n {
        sum += (i as f64).ln();
        table.push(sum);
    }
    table
}
