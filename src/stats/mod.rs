//! Significance tests for group comparisons and inter-coder agreement.
//!
//! mint asks whether the share of participants who mention a theme differs
//! between groups (strategic vs operational staff, health vs social care).
//! Each comparison is a contingency table of participant counts: one row per
//! group, columns (mentioning, not mentioning). This module holds:
//!
//! * the tests: [`chi_square`] (Pearson, optionally with Yates' continuity
//!   correction) and [`fisher_exact`] (two-sided, with the Freeman–Halton
//!   extension to more than two groups), and [`compare`], which picks between
//!   them the way researchers are taught;
//! * the chi-square distribution behind the p-values ([`chi_square_sf`]),
//!   from the regularized incomplete gamma function as in Numerical Recipes;
//! * agreement between coders: [`percent_agreement`], [`cohens_kappa`],
//!   [`gwet_ac1`], [`pabak`], [`fleiss_kappa`] and
//!   [`krippendorff_alpha_nominal`];
//! * multiple-comparison corrections: [`holm`] and [`benjamini_hochberg`]
//!   ([`Correction`]);
//! * resampling for bootstrap intervals: a seeded [`SplitMix64`] and
//!   [`percentile_interval`];
//! * the prevalence of a learned code corrected for the model's error
//!   ([`prevalence`]: Rogan-Gladen, with bootstrap intervals per group).
//!
//! Everything here is a pure function of counts or codes: no I/O, no
//! formatting, no knowledge of transcripts or codebooks. Undefined results
//! (an empty group, a theme nobody mentioned, coders who used one category
//! throughout) are `None`, never `NaN`, so callers must decide what to print.
//! The p-values follow R (`chisq.test`, `fisher.test`) and are tested against
//! published worked examples.
//!
//! This file holds the choice of test ([`compare`], [`Test`],
//! [`Comparison`]) and the table margins the tests share; the tests
//! themselves are in `pearson.rs` (chi-square), `fisher.rs` (exact), and
//! `distribution.rs` (the chi-square distribution), agreement in
//! `agreement.rs`, corrections in `adjust.rs`, resampling in `resample.rs`. Everything public is re-exported here, so the paths stay
//! `mint::stats::…`.

mod adjust;
mod agreement;
mod distribution;
mod fisher;
mod pearson;
pub mod prevalence;
mod resample;
#[cfg(test)]
mod tests;

pub use adjust::{Correction, benjamini_hochberg, holm};
pub use agreement::{
    AgreementTable, cohens_kappa, cohens_kappa_table, fleiss_kappa, fleiss_kappa_weighted,
    gwet_ac1, gwet_ac1_counts, gwet_ac1_table, krippendorff_alpha_counts,
    krippendorff_alpha_nominal, pabak, pabak_counts, pabak_table, percent_agreement,
    percent_agreement_table, table_of,
};
pub use distribution::chi_square_sf;
pub use fisher::{FISHER_MAX_TABLES, FISHER_MAX_TOTAL, fisher_exact};
pub use pearson::{ChiSquare, chi_square};
pub use resample::{SplitMix64, percentile_interval};

/// The smallest expected count at which [`compare`] trusts the chi-square
/// approximation (the textbook rule of five).
pub const MIN_EXPECTED_FOR_CHI_SQUARE: f64 = 5.0;

/// Which test [`compare`] chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Test {
    /// Pearson's chi-square, without continuity correction (more than two
    /// groups, all expected counts at least five).
    ChiSquare,
    /// Pearson's chi-square with Yates' continuity correction (2×2, all
    /// expected counts at least five).
    ChiSquareYates,
    /// Fisher's exact test on a 2×2 table.
    Fisher,
    /// The Freeman–Halton extension of Fisher's exact test to more than two
    /// groups.
    FisherFreemanHalton,
    /// No test applies: a zero row or column total (an empty group, or a
    /// theme that everyone or no one mentioned), a malformed table, or an
    /// exact test that is not implemented or too large to enumerate.
    NotApplicable,
}

impl Test {
    /// The name to print in reports, e.g. `chi-square (Yates)`.
    pub fn name(self) -> &'static str {
        match self {
            Test::ChiSquare => "chi-square",
            Test::ChiSquareYates => "chi-square (Yates)",
            Test::Fisher => "Fisher's exact",
            Test::FisherFreemanHalton => "Fisher-Freeman-Halton exact",
            Test::NotApplicable => "not applicable",
        }
    }
}

impl std::fmt::Display for Test {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The outcome of [`compare`]: which test ran and what it found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// The test chosen.
    pub test: Test,
    /// The chi-square statistic; `None` for exact tests and when no test
    /// applies.
    pub statistic: Option<f64>,
    /// Degrees of freedom of the chi-square test; `None` otherwise.
    pub df: Option<u64>,
    /// The two-sided p-value; `None` when no test applies.
    pub p: Option<f64>,
    /// The smallest expected count under independence, which decided the
    /// test; 0 when a row or column total is zero or the table is malformed.
    pub min_expected: f64,
}

/// Compares groups on a table of counts, choosing the test as textbooks do.
///
/// If any expected count is below five ([`MIN_EXPECTED_FOR_CHI_SQUARE`]),
/// the chi-square approximation is not trusted and Fisher's exact test runs
/// instead: [`Test::Fisher`] on a 2×2 table, [`Test::FisherFreemanHalton`]
/// on r×2 or 2×c. Otherwise Pearson's chi-square runs, with Yates'
/// correction on a 2×2 table ([`Test::ChiSquareYates`]) and without it on
/// larger tables ([`Test::ChiSquare`]). Anything else is
/// [`Test::NotApplicable`] with no p-value: see that variant.
///
/// # Examples
///
/// ```
/// use mint::stats::{compare, Test};
///
/// // 12 of 19 strategic and 5 of 12 operational staff mention the theme:
/// // every expected count is at least 5, so chi-square with Yates'
/// // correction (R's `chisq.test` documentation: p = 0.4233).
/// let large = compare(&[vec![12, 7], vec![5, 7]]);
/// assert_eq!(large.test, Test::ChiSquareYates);
/// assert!((large.p.unwrap() - 0.4233).abs() < 1e-4);
///
/// // The tea-tasting table has expected counts of 2: Fisher's exact test.
/// let small = compare(&[vec![3, 1], vec![1, 3]]);
/// assert_eq!(small.test, Test::Fisher);
/// assert_eq!(small.min_expected, 2.0);
/// assert!((small.p.unwrap() - 0.4857).abs() < 1e-4);
/// ```
pub fn compare(table: &[Vec<u64>]) -> Comparison {
    let not_applicable = |min_expected| Comparison {
        test: Test::NotApplicable,
        statistic: None,
        df: None,
        p: None,
        min_expected,
    };
    let Some(margins) = Margins::of(table) else {
        return not_applicable(0.0);
    };
    let min_expected = margins
        .expected()
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let (rows, columns) = (margins.rows.len(), margins.columns.len());
    let two_by_two = rows == 2 && columns == 2;
    if min_expected < MIN_EXPECTED_FOR_CHI_SQUARE {
        let test = if two_by_two {
            Test::Fisher
        } else {
            Test::FisherFreemanHalton
        };
        return match fisher_exact(table) {
            Some(p) => Comparison {
                test,
                statistic: None,
                df: None,
                p: Some(p),
                min_expected,
            },
            None => not_applicable(min_expected),
        };
    }
    match chi_square(table, two_by_two) {
        Some(result) => Comparison {
            test: if result.yates {
                Test::ChiSquareYates
            } else {
                Test::ChiSquare
            },
            statistic: Some(result.statistic),
            df: Some(result.df),
            p: Some(result.p),
            min_expected,
        },
        None => not_applicable(min_expected),
    }
}

/// Row and column totals of a well-formed table with no zero margin.
struct Margins {
    rows: Vec<u64>,
    columns: Vec<u64>,
    total: u64,
}

impl Margins {
    /// `None` unless the table is rectangular, at least 2×2, and every row
    /// and column total is positive.
    fn of(table: &[Vec<u64>]) -> Option<Margins> {
        let width = table.first()?.len();
        if table.len() < 2 || width < 2 || table.iter().any(|row| row.len() != width) {
            return None;
        }
        let rows: Vec<u64> = table.iter().map(|row| row.iter().sum()).collect();
        let columns: Vec<u64> = (0..width)
            .map(|j| table.iter().map(|row| row[j]).sum())
            .collect();
        if rows.contains(&0) || columns.contains(&0) {
            return None;
        }
        let total = rows.iter().sum();
        Some(Margins {
            rows,
            columns,
            total,
        })
    }

    /// Expected counts under independence.
    fn expected(&self) -> Vec<Vec<f64>> {
        let total = self.total as f64;
        self.rows
            .iter()
            .map(|&row| {
                self.columns
                    .iter()
                    .map(|&column| row as f64 * column as f64 / total)
                    .collect()
            })
            .collect()
    }
}
