//! Pearson's chi-square test of independence: [`chi_square`] and its
//! result, [`ChiSquare`].
//!
//! The p-value comes from the chi-square distribution in `distribution.rs`,
//! and the table's margins from [`Margins`] in the parent module; whether
//! chi-square is the right test for a table is decided by
//! [`compare`](super::compare), not here.

use super::{Margins, chi_square_sf};

/// The result of Pearson's chi-square test of independence.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    /// The test statistic X².
    pub statistic: f64,
    /// Degrees of freedom, (rows − 1) × (columns − 1).
    pub df: u64,
    /// Upper-tail probability of `statistic` under the chi-square
    /// distribution with `df` degrees of freedom.
    pub p: f64,
    /// Whether Yates' continuity correction was applied (only ever on 2×2).
    pub yates: bool,
    /// Expected counts under independence, row total × column total / n,
    /// in the shape of the input table.
    pub expected: Vec<Vec<f64>>,
}

/// Pearson's chi-square test of independence on a table of counts.
///
/// Rows are groups, columns are outcomes (for mint: mentioning, not
/// mentioning); any r×c table with r, c ≥ 2 works. With `yates` set and a
/// 2×2 table, each |observed − expected| is reduced by ½ (but never below
/// zero, as R's `chisq.test` does); on larger tables `yates` is ignored and
/// [`ChiSquare::yates`] says so.
///
/// Returns `None` for a table that is not rectangular, has fewer than two
/// rows or columns, or has a zero row or column total (the expected counts
/// would divide by zero).
///
/// # Examples
///
/// Agresti (2007, p. 39), party identification by gender, as in R's
/// `chisq.test` documentation: X² = 30.07, df = 2, p = 2.954e-07.
///
/// ```
/// use mint::stats::chi_square;
///
/// let table = vec![vec![762, 327, 468], vec![484, 239, 477]];
/// let test = chi_square(&table, false).unwrap();
/// assert_eq!(test.df, 2);
/// assert!((test.statistic - 30.0701).abs() < 1e-4);
/// assert!((test.p - 2.954e-7).abs() < 1e-10);
/// ```
pub fn chi_square(table: &[Vec<u64>], yates: bool) -> Option<ChiSquare> {
    let margins = Margins::of(table)?;
    let expected = margins.expected();
    let yates = yates && margins.rows.len() == 2 && margins.columns.len() == 2;
    let mut statistic = 0.0;
    for (observed_row, expected_row) in table.iter().zip(&expected) {
        for (&observed, &expected) in observed_row.iter().zip(expected_row) {
            let mut difference = (observed as f64 - expected).abs();
            if yates {
                difference -= difference.min(0.5);
            }
            statistic += difference * difference / expected;
        }
    }
    let df = (margins.rows.len() as u64 - 1) * (margins.columns.len() as u64 - 1);
    Some(ChiSquare {
        statistic,
        df,
        p: chi_square_sf(statistic, df),
        yates,
        expected,
    })
}
