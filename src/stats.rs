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
//! * agreement between coders: [`percent_agreement`], [`cohens_kappa`] and
//!   [`krippendorff_alpha_nominal`].
//!
//! Everything here is a pure function of counts or codes: no I/O, no
//! formatting, no knowledge of transcripts or codebooks. Undefined results
//! (an empty group, a theme nobody mentioned, coders who used one category
//! throughout) are `None`, never `NaN`, so callers must decide what to print.
//! The p-values follow R (`chisq.test`, `fisher.test`) and are tested against
//! published worked examples.

use std::collections::BTreeMap;

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

/// The smallest expected count at which [`compare`] trusts the chi-square
/// approximation (the textbook rule of five).
pub const MIN_EXPECTED_FOR_CHI_SQUARE: f64 = 5.0;

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

/// The upper-tail probability P(X ≥ `x`) of a chi-square distribution with
/// `df` degrees of freedom: the p-value of a chi-square statistic.
///
/// Computed as the regularized upper incomplete gamma function
/// Q(df/2, x/2), by its series or its continued fraction, whichever
/// converges faster (Numerical Recipes, §6.2). `x ≤ 0` gives 1; `df = 0`
/// (all mass at zero) and `x = ∞` give 0; `NaN` stays `NaN`.
///
/// # Examples
///
/// The critical values every statistics table prints:
///
/// ```
/// use mint::stats::chi_square_sf;
///
/// assert!((chi_square_sf(3.841, 1) - 0.05).abs() < 1e-4);
/// assert!((chi_square_sf(5.991, 2) - 0.05).abs() < 1e-4);
/// assert!((chi_square_sf(10.828, 1) - 0.001).abs() < 1e-6);
/// ```
pub fn chi_square_sf(x: f64, df: u64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        return 1.0;
    }
    if df == 0 || x == f64::INFINITY {
        return 0.0;
    }
    regularized_gamma_q(df as f64 / 2.0, x / 2.0)
}

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

/// The proportion of units two coders coded alike, between 0 and 1
/// (multiply by 100 for a percentage).
///
/// Takes any comparable codes; for mint, usually whether each coder applied
/// a code to each segment. Returns `None` when the slices differ in length
/// or are empty.
///
/// # Examples
///
/// ```
/// use mint::stats::percent_agreement;
///
/// let a = [true, true, false, false];
/// let b = [true, false, false, false];
/// assert_eq!(percent_agreement(&a, &b), Some(0.75));
/// ```
pub fn percent_agreement<T: PartialEq>(a: &[T], b: &[T]) -> Option<f64> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let agreed = a.iter().zip(b).filter(|(x, y)| x == y).count();
    Some(agreed as f64 / a.len() as f64)
}

/// Cohen's kappa for two coders assigning nominal categories to the same
/// units: agreement corrected for the agreement expected by chance from
/// each coder's own category frequencies.
///
/// κ = (p_o − p_e) / (1 − p_e), where p_o is the observed agreement and p_e
/// the sum over categories of the product of the coders' proportions.
/// Categories are arbitrary `usize` labels. Returns `None` when the slices
/// differ in length or are empty, or when p_e = 1 (both coders used one and
/// the same category throughout, so kappa is undefined).
///
/// # Examples
///
/// Wikipedia, "Cohen's kappa": 50 proposals, both say yes to 20, A yes and
/// B no to 5, A no and B yes to 10, both no to 15; κ = 0.4.
///
/// ```
/// use mint::stats::cohens_kappa;
///
/// let (yes, no) = (1, 0);
/// let mut a = Vec::new();
/// let mut b = Vec::new();
/// for (x, y, n) in [(yes, yes, 20), (yes, no, 5), (no, yes, 10), (no, no, 15)] {
///     a.extend(std::iter::repeat_n(x, n));
///     b.extend(std::iter::repeat_n(y, n));
/// }
/// assert!((cohens_kappa(&a, &b).unwrap() - 0.4).abs() < 1e-12);
/// ```
pub fn cohens_kappa(a: &[usize], b: &[usize]) -> Option<f64> {
    let observed = percent_agreement(a, b)?;
    let n = a.len() as f64;
    let mut marginals: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for &category in a {
        marginals.entry(category).or_default().0 += 1.0;
    }
    for &category in b {
        marginals.entry(category).or_default().1 += 1.0;
    }
    let chance: f64 = marginals
        .values()
        .map(|&(count_a, count_b)| (count_a / n) * (count_b / n))
        .sum();
    // Chance agreement of 1 (within rounding) means one shared category.
    if 1.0 - chance <= 1e-12 {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

/// Krippendorff's alpha for nominal data, any number of coders, with
/// missing values.
///
/// `units` holds one `Vec` per unit (segment), with one entry per coder:
/// `Some(category)` or `None` where that coder gave no value. Units with
/// fewer than two values are not pairable and are skipped, as Krippendorff
/// prescribes. From the coincidence matrix o and its marginals n_c,
///
/// α = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
///
/// Returns `None` when there are fewer than two pairable values, or when
/// all pairable values are the same category (no variation, so alpha is
/// undefined).
///
/// # Examples
///
/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
/// section A: two observers, binary data, ten units; α = 0.095.
///
/// ```
/// use mint::stats::krippendorff_alpha_nominal;
///
/// let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
/// let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
/// let units: Vec<_> = a.iter().zip(&b).map(|(&x, &y)| vec![Some(x), Some(y)]).collect();
/// let alpha = krippendorff_alpha_nominal(&units).unwrap();
/// assert!((alpha - 0.095).abs() < 5e-4);
/// ```
pub fn krippendorff_alpha_nominal(units: &[Vec<Option<usize>>]) -> Option<f64> {
    // Per category: n_c, the values in pairable units, and o_cc, the
    // coincidences of the category with itself.
    let mut totals: BTreeMap<usize, f64> = BTreeMap::new();
    let mut agreements = 0.0;
    let mut counts: BTreeMap<usize, u64> = BTreeMap::new();
    for unit in units {
        counts.clear();
        for &value in unit.iter().flatten() {
            *counts.entry(value).or_default() += 1;
        }
        let m: u64 = counts.values().sum();
        if m < 2 {
            continue;
        }
        for (&category, &count) in &counts {
            *totals.entry(category).or_default() += count as f64;
            agreements += (count * (count - 1)) as f64 / (m - 1) as f64;
        }
    }
    let n: f64 = totals.values().sum();
    let disagreements = n - agreements;
    let expected = n * n - totals.values().map(|t| t * t).sum::<f64>();
    if n < 2.0 || expected <= 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * disagreements / expected)
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
fn count_tables(sizes: &[u64], k: u64) -> f64 {
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

/// Q(a, x) = Γ(a, x) / Γ(a), the regularized upper incomplete gamma
/// function, for a > 0 and x > 0 (Numerical Recipes, `gammq`).
fn regularized_gamma_q(a: f64, x: f64) -> f64 {
    if x < a + 1.0 {
        1.0 - gamma_p_series(a, x)
    } else {
        gamma_q_continued_fraction(a, x)
    }
}

/// Upper bound on iterations of the series and continued fraction; both
/// converge in O(√a) steps, far fewer for the degrees of freedom mint sees.
const GAMMA_MAX_ITERATIONS: usize = 10_000;

/// P(a, x) by its series, which converges quickly for x < a + 1
/// (Numerical Recipes, `gser`).
fn gamma_p_series(a: f64, x: f64) -> f64 {
    let mut term = 1.0 / a;
    let mut sum = term;
    let mut denominator = a;
    for _ in 0..GAMMA_MAX_ITERATIONS {
        denominator += 1.0;
        term *= x / denominator;
        sum += term;
        if term.abs() < sum.abs() * f64::EPSILON {
            break;
        }
    }
    sum * (-x + a * x.ln() - ln_gamma(a)).exp()
}

/// Q(a, x) by its continued fraction, evaluated with the modified Lentz
/// method, which converges quickly for x ≥ a + 1 (Numerical Recipes, `gcf`).
fn gamma_q_continued_fraction(a: f64, x: f64) -> f64 {
    let tiny = f64::MIN_POSITIVE / f64::EPSILON;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / tiny;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..GAMMA_MAX_ITERATIONS {
        let i = i as f64;
        let an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if d.abs() < tiny {
            d = tiny;
        }
        c = b + an / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < f64::EPSILON {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// ln Γ(x) for x > 0, by the Lanczos approximation (g = 7, nine
/// coefficients; relative error near 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, &coefficient) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += coefficient / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that `actual` matches a published value to `decimals` places.
    fn assert_close(actual: f64, expected: f64, decimals: i32) {
        let tolerance = 0.5 * 10f64.powi(-decimals);
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} differs from {expected} beyond {decimals} decimals",
        );
    }

    /// Asserts a relative error below 1e-9 (for values checked against
    /// scipy to full precision).
    fn assert_relative(actual: f64, expected: f64) {
        assert!(
            ((actual - expected) / expected).abs() < 1e-9,
            "{actual} differs from {expected}",
        );
    }

    fn table(rows: &[&[u64]]) -> Vec<Vec<u64>> {
        rows.iter().map(|row| row.to_vec()).collect()
    }

    // Critical values from any chi-square table (e.g. NIST/SEMATECH
    // e-Handbook of Statistical Methods, §1.3.6.7.4); the full-precision
    // values are scipy.stats.chi2.sf.
    #[test]
    fn chi_square_sf_matches_textbook_critical_values() {
        assert_close(chi_square_sf(3.841, 1), 0.05, 4);
        assert_close(chi_square_sf(5.991, 2), 0.05, 4);
        assert_close(chi_square_sf(10.828, 1), 0.001, 6);
        assert_close(chi_square_sf(7.879, 1), 0.005, 5);
        assert_close(chi_square_sf(43.773, 30), 0.05, 6);
        assert_close(chi_square_sf(0.0158, 1), 0.90, 4);
    }

    #[test]
    fn chi_square_sf_matches_scipy_to_full_precision() {
        for (x, df, expected) in [
            (3.841, 1, 0.050_013_683_763_956_804),
            (5.991, 2, 0.050_011_615_026_579_09),
            (10.828, 1, 0.000_999_765_719_583_091_6),
            (43.773, 30, 0.049_999_707_788_373_08),
            (0.5, 3, 0.918_891_411_654_675_8),
            (0.001, 1, 0.974_772_879_369_960_4),
            (100.0, 4, 9.836_624_224_615_988e-21),
        ] {
            assert_relative(chi_square_sf(x, df), expected);
        }
    }

    #[test]
    fn chi_square_sf_with_two_df_is_an_exponential_tail() {
        for x in [0.1, 1.0, 2.0, 2.5, 7.0, 30.0] {
            assert_relative(chi_square_sf(x, 2), (-x / 2.0).exp());
        }
    }

    #[test]
    fn chi_square_sf_handles_the_edges() {
        assert_eq!(chi_square_sf(0.0, 1), 1.0);
        assert_eq!(chi_square_sf(-1.0, 3), 1.0);
        assert_eq!(chi_square_sf(1.0, 0), 0.0);
        assert_eq!(chi_square_sf(f64::INFINITY, 1), 0.0);
        assert!(chi_square_sf(f64::NAN, 1).is_nan());
    }

    #[test]
    fn ln_gamma_matches_factorials_and_root_pi() {
        assert_relative(ln_gamma(1.0).exp(), 1.0);
        assert_relative(ln_gamma(5.0).exp(), 24.0);
        assert_relative(ln_gamma(11.0), 3_628_800f64.ln());
        assert_relative(ln_gamma(0.5).exp(), std::f64::consts::PI.sqrt());
        assert_relative(ln_gamma(0.25).exp(), 3.625_609_908_221_908);
    }

    // R's chisq.test documentation, Examples:
    // `x <- matrix(c(12, 5, 7, 7), ncol = 2); chisq.test(x)$p.value  # 0.4233`.
    // The uncorrected values and the statistics are from
    // scipy.stats.chi2_contingency(correction=False/True), and by hand:
    // expected counts 10.419, 8.581 / 6.581, 5.419.
    #[test]
    fn chi_square_with_yates_matches_r_documentation() {
        let result = chi_square(&table(&[&[12, 7], &[5, 7]]), true).unwrap();
        assert!(result.yates);
        assert_eq!(result.df, 1);
        assert_close(result.statistic, 0.6411, 4);
        assert_close(result.p, 0.4233, 4);
        assert_relative(result.p, 0.423_305_424_322_418_36);
    }

    #[test]
    fn chi_square_without_yates_matches_scipy() {
        let result = chi_square(&table(&[&[12, 7], &[5, 7]]), false).unwrap();
        assert!(!result.yates);
        assert_close(result.statistic, 1.3716, 4);
        assert_close(result.p, 0.2415, 4);
        assert_relative(result.statistic, 1.371_646_026_831_785_4);
        assert_relative(result.p, 0.241_529_274_763_683_4);
        assert_relative(result.expected[0][0], 10.419_354_838_709_678);
        assert_relative(result.expected[1][1], 5.419_354_838_709_677);
    }

    // Agresti (2007), An Introduction to Categorical Data Analysis, p. 39,
    // as reproduced in R's chisq.test documentation: X-squared = 30.07,
    // df = 2, p-value = 2.954e-07.
    #[test]
    fn chi_square_matches_agresti_party_identification() {
        let result = chi_square(&table(&[&[762, 327, 468], &[484, 239, 477]]), true).unwrap();
        assert!(!result.yates, "Yates applies to 2x2 tables only");
        assert_eq!(result.df, 2);
        assert_close(result.statistic, 30.0701, 4);
        assert_close(result.p * 1e7, 2.954, 3);
    }

    #[test]
    fn yates_correction_never_exceeds_the_difference() {
        // Observed equals expected: R caps the correction at |O - E|, so the
        // statistic is 0 rather than a positive artefact.
        let result = chi_square(&table(&[&[5, 5], &[5, 5]]), true).unwrap();
        assert_eq!(result.statistic, 0.0);
        assert_eq!(result.p, 1.0);
    }

    #[test]
    fn chi_square_rejects_degenerate_tables() {
        assert_eq!(chi_square(&table(&[&[0, 0], &[3, 4]]), false), None);
        assert_eq!(chi_square(&table(&[&[0, 5], &[0, 4]]), false), None);
        assert_eq!(chi_square(&table(&[&[1, 5]]), false), None);
        assert_eq!(chi_square(&table(&[&[1], &[2]]), false), None);
        assert_eq!(chi_square(&table(&[&[1, 5], &[2]]), false), None);
        assert_eq!(chi_square(&[], false), None);
    }

    // Fisher's lady tasting tea; R: fisher.test(matrix(c(3, 1, 1, 3), 2))
    // gives p-value = 0.4857 (the R documentation's TeaTasting example).
    #[test]
    fn fisher_matches_the_tea_tasting_example() {
        let p = fisher_exact(&table(&[&[3, 1], &[1, 3]])).unwrap();
        assert_close(p, 0.4857, 4);
        assert_relative(p, 34.0 / 70.0);
    }

    // Wikipedia, "Fisher's exact test", Example (dieting by sex): the
    // two-tailed p-value is 0.002759; scipy.stats.fisher_exact agrees.
    #[test]
    fn fisher_matches_the_wikipedia_dieting_example() {
        let p = fisher_exact(&table(&[&[1, 9], &[11, 3]])).unwrap();
        assert_close(p, 0.002759, 6);
        assert_relative(p, 0.002_759_456_185_220_083_6);
    }

    #[test]
    fn fisher_counts_tables_exactly_as_likely_as_the_observed_one() {
        // Symmetric margins: [[0, 2], [2, 0]] and [[2, 0], [0, 2]] have the
        // same probability, 1/6 each, so the two-sided p is 1/3, not 1/6.
        let p = fisher_exact(&table(&[&[0, 2], &[2, 0]])).unwrap();
        assert_relative(p, 1.0 / 3.0);
    }

    // Freeman-Halton p-values computed independently by a Python script
    // enumerating every table with the same margins in exact rational
    // arithmetic (fractions.Fraction, with R's 1 + 1e-7 tolerance); it also
    // reproduces the two 2x2 examples above.
    #[test]
    fn freeman_halton_matches_an_exact_enumeration() {
        for (rows, expected) in [
            (
                table(&[&[2, 8], &[5, 5], &[9, 1]]),
                0.008_664_089_008_127_516,
            ),
            (
                table(&[&[1, 4], &[3, 3], &[6, 1]]),
                0.095_365_418_894_830_66,
            ),
            (
                table(&[&[0, 6], &[2, 4], &[5, 1], &[3, 3]]),
                0.034_985_743_829_464_386,
            ),
        ] {
            let p = fisher_exact(&rows).unwrap();
            assert_close(p, expected, 4);
            assert_relative(p, expected);
        }
    }

    #[test]
    fn fisher_treats_two_by_c_as_the_transpose() {
        let wide = table(&[&[2, 5, 9], &[8, 5, 1]]);
        let tall = table(&[&[2, 8], &[5, 5], &[9, 1]]);
        assert_eq!(fisher_exact(&wide), fisher_exact(&tall));
    }

    #[test]
    fn fisher_does_not_depend_on_row_order() {
        let a = fisher_exact(&table(&[&[0, 6], &[2, 4], &[5, 1], &[3, 3]])).unwrap();
        let b = fisher_exact(&table(&[&[5, 1], &[3, 3], &[0, 6], &[2, 4]])).unwrap();
        assert!((a - b).abs() < 1e-12);
    }

    #[test]
    fn fisher_rejects_what_it_cannot_compute() {
        assert_eq!(fisher_exact(&table(&[&[0, 0], &[3, 4]])), None);
        assert_eq!(fisher_exact(&table(&[&[3, 0], &[4, 0]])), None);
        assert_eq!(
            fisher_exact(&table(&[&[1, 2, 3], &[4, 5, 6], &[7, 8, 9]])),
            None,
            "r x c with both above two is not implemented",
        );
        let huge: Vec<Vec<u64>> = (0..8).map(|_| vec![100, 100]).collect();
        assert_eq!(fisher_exact(&huge), None, "too many tables to enumerate");
    }

    #[test]
    fn fisher_handles_large_but_lopsided_tables() {
        // A rare theme in a big study: few tables, however large n is.
        // The expected value is from the same Python enumeration as above.
        let rows = table(&[&[1, 999], &[2, 498], &[3, 297]]);
        assert_relative(fisher_exact(&rows).unwrap(), 0.032_414_981_975_720_3);
    }

    #[test]
    fn count_tables_matches_a_hand_count() {
        // Row totals 1, 2, 1 with two in the first column: (0,1,1), (0,2,0),
        // (1,0,1), (1,1,0).
        assert_eq!(count_tables(&[1, 2, 1], 2), 4.0);
        // The 3x2 example above: 90 tables, as the Python enumeration found.
        assert_eq!(count_tables(&[10, 10, 10], 16), 90.0);
    }

    #[test]
    fn compare_uses_yates_chi_square_on_a_large_two_by_two() {
        let result = compare(&table(&[&[12, 7], &[5, 7]]));
        assert_eq!(result.test, Test::ChiSquareYates);
        assert_eq!(result.df, Some(1));
        assert_close(result.statistic.unwrap(), 0.6411, 4);
        assert_close(result.p.unwrap(), 0.4233, 4);
        assert_close(result.min_expected, 5.4194, 4);
    }

    #[test]
    fn compare_uses_plain_chi_square_on_a_large_table_with_more_groups() {
        let result = compare(&table(&[&[762, 327, 468], &[484, 239, 477]]));
        assert_eq!(result.test, Test::ChiSquare);
        assert_eq!(result.df, Some(2));
        assert_close(result.statistic.unwrap(), 30.0701, 4);
    }

    #[test]
    fn compare_falls_back_to_fisher_when_an_expected_count_is_below_five() {
        let result = compare(&table(&[&[3, 1], &[1, 3]]));
        assert_eq!(result.test, Test::Fisher);
        assert_eq!(result.statistic, None);
        assert_eq!(result.df, None);
        assert_close(result.p.unwrap(), 0.4857, 4);
        assert_eq!(result.min_expected, 2.0);
    }

    #[test]
    fn compare_trusts_chi_square_when_the_smallest_expected_count_is_five() {
        // Expected counts 5, 5 / 7, 7: the rule of five is met exactly.
        let result = compare(&table(&[&[1, 9], &[11, 3]]));
        assert_eq!(result.test, Test::ChiSquareYates);
        assert_eq!(result.min_expected, 5.0);
    }

    #[test]
    fn compare_uses_freeman_halton_for_small_tables_with_more_groups() {
        let result = compare(&table(&[&[2, 8], &[5, 5], &[9, 1]]));
        assert_eq!(result.test, Test::FisherFreemanHalton);
        assert_close(result.p.unwrap(), 0.008664, 6);
        assert_close(result.min_expected, 14.0 / 3.0, 12);
    }

    #[test]
    fn compare_is_not_applicable_when_no_one_mentions_the_theme() {
        let result = compare(&table(&[&[0, 6], &[0, 4]]));
        assert_eq!(result.test, Test::NotApplicable);
        assert_eq!(result.p, None);
        assert_eq!(result.min_expected, 0.0);
        assert_eq!(compare(&[]).test, Test::NotApplicable);
    }

    #[test]
    fn test_names_read_as_reports_print_them() {
        assert_eq!(Test::ChiSquare.name(), "chi-square");
        assert_eq!(Test::ChiSquareYates.name(), "chi-square (Yates)");
        assert_eq!(Test::Fisher.name(), "Fisher's exact");
        assert_eq!(
            Test::FisherFreemanHalton.name(),
            "Fisher-Freeman-Halton exact"
        );
        assert_eq!(Test::NotApplicable.to_string(), "not applicable");
    }

    /// Expands a 2x2 agreement table (rows coder A, columns coder B) into
    /// per-unit codes.
    fn codes_from_agreement_table(cells: [[usize; 2]; 2]) -> (Vec<usize>, Vec<usize>) {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for (x, row) in cells.iter().enumerate() {
            for (y, &n) in row.iter().enumerate() {
                a.extend(std::iter::repeat_n(x, n));
                b.extend(std::iter::repeat_n(y, n));
            }
        }
        (a, b)
    }

    // Wikipedia, "Cohen's kappa", Simple example: 50 grant proposals,
    // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5,
    // kappa = 0.4.
    #[test]
    fn cohens_kappa_matches_the_wikipedia_grant_example() {
        let (a, b) = codes_from_agreement_table([[20, 5], [10, 15]]);
        assert_close(percent_agreement(&a, &b).unwrap(), 0.7, 12);
        assert_close(cohens_kappa(&a, &b).unwrap(), 0.4, 12);
    }

    // Wikipedia, "Cohen's kappa", Same percentages but different numbers:
    // both tables have 60% agreement, yet kappa is 0.1304 and 0.2593.
    #[test]
    fn cohens_kappa_matches_the_wikipedia_same_percentage_examples() {
        let (a, b) = codes_from_agreement_table([[45, 15], [25, 15]]);
        assert_close(cohens_kappa(&a, &b).unwrap(), 0.1304, 4);
        let (a, b) = codes_from_agreement_table([[25, 35], [5, 35]]);
        assert_close(cohens_kappa(&a, &b).unwrap(), 0.2593, 4);
    }

    #[test]
    fn cohens_kappa_is_undefined_when_both_coders_use_one_category() {
        assert_eq!(cohens_kappa(&[3, 3, 3], &[3, 3, 3]), None);
        assert_eq!(cohens_kappa(&[1, 2], &[1]), None);
        assert_eq!(cohens_kappa(&[], &[]), None);
        // One coder varies: defined, and no better than chance.
        assert_eq!(cohens_kappa(&[1, 1, 2, 2], &[1, 1, 1, 1]), Some(0.0));
    }

    #[test]
    fn cohens_kappa_is_one_for_perfect_agreement_on_any_labels() {
        assert_eq!(cohens_kappa(&[7, 0, 42, 7], &[7, 0, 42, 7]), Some(1.0));
    }

    #[test]
    fn percent_agreement_rejects_mismatched_coders() {
        assert_eq!(percent_agreement(&[true], &[true, false]), None);
        assert_eq!(percent_agreement::<bool>(&[], &[]), None);
        assert_eq!(percent_agreement(&[true, false], &[true, true]), Some(0.5));
    }

    // Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    // section C: four observers, twelve units, nominal values 1-5 with
    // missing values; alpha = 0.743.
    #[test]
    fn krippendorff_alpha_matches_the_four_observer_example() {
        // Rows are observers A-D, columns units 1-12; 0 marks a missing value.
        let observers: [[usize; 12]; 4] = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, 0, 0, 0],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, 0, 3],
            [0, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 0],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, 0],
        ];
        let units: Vec<Vec<Option<usize>>> = (0..12)
            .map(|u| {
                observers
                    .iter()
                    .map(|observer| Some(observer[u]).filter(|&value| value != 0))
                    .collect()
            })
            .collect();
        let alpha = krippendorff_alpha_nominal(&units).unwrap();
        assert_close(alpha, 0.743, 3);
        // An independent Python computation of the same coincidences.
        assert_relative(alpha, 0.743_421_052_631_579);
    }

    // Krippendorff (2011), section A: two observers, binary data;
    // alpha = 0.095.
    #[test]
    fn krippendorff_alpha_matches_the_binary_example() {
        let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
        let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
        let units: Vec<_> = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| vec![Some(x), Some(y)])
            .collect();
        let alpha = krippendorff_alpha_nominal(&units).unwrap();
        assert_close(alpha, 0.095, 3);
        assert_relative(alpha, 1.0 - 19.0 * 8.0 / 168.0);
    }

    #[test]
    fn krippendorff_alpha_skips_units_with_a_single_value() {
        let units = vec![
            vec![Some(1), Some(1)],
            vec![Some(2), Some(2)],
            vec![Some(1), None],
            vec![None, None],
        ];
        assert_eq!(krippendorff_alpha_nominal(&units), Some(1.0));
    }

    #[test]
    fn krippendorff_alpha_is_undefined_without_variation() {
        let same = vec![vec![Some(4), Some(4)], vec![Some(4), Some(4)]];
        assert_eq!(krippendorff_alpha_nominal(&same), None);
        assert_eq!(krippendorff_alpha_nominal(&[vec![Some(1), None]]), None);
        assert_eq!(krippendorff_alpha_nominal(&[]), None);
    }
}
