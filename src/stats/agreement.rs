//! Agreement between coders: [`percent_agreement`], [`cohens_kappa`],
//! [`gwet_ac1`], [`pabak`] (two coders, from codes or from an
//! [`AgreementTable`]), [`fleiss_kappa`] (any number of raters) and
//! [`krippendorff_alpha_nominal`] (any number, with missing values).
//!
//! These compare codings, not groups: nothing here touches the contingency
//! tables, margins or p-values of the rest of the module.

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
    cohens_kappa_table(&table_of(a, b)?)
}

/// A two-coder agreement table of (weighted) unit counts: row `i`, column
/// `j` holds the units the first coder put in category `i` and the second
/// in category `j`. Square; the categories are the table's indices.
pub type AgreementTable = Vec<Vec<f64>>;

/// The agreement table of two coders' categories, over the categories
/// either used (in sorted order). `None` when the slices differ in length
/// or are empty.
pub fn table_of(a: &[usize], b: &[usize]) -> Option<AgreementTable> {
    if a.len() != b.len() || a.is_empty() {
        return None;
    }
    let categories: std::collections::BTreeSet<usize> = a.iter().chain(b).copied().collect();
    let index = |c: &usize| categories.iter().position(|x| x == c).expect("a category");
    let mut table = vec![vec![0.0; categories.len()]; categories.len()];
    for (x, y) in a.iter().zip(b) {
        table[index(x)][index(y)] += 1.0;
    }
    Some(table)
}

/// The table's total, its observed agreement and the two coders'
/// marginal proportions; `None` unless it is square with a positive total.
fn proportions(table: &[Vec<f64>]) -> Option<(f64, Vec<f64>, Vec<f64>)> {
    let q = table.len();
    if q == 0 || table.iter().any(|row| row.len() != q) {
        return None;
    }
    let n: f64 = table.iter().flatten().sum();
    if n <= 0.0 || !n.is_finite() {
        return None;
    }
    let observed = (0..q).map(|i| table[i][i]).sum::<f64>() / n;
    let rows = table
        .iter()
        .map(|row| row.iter().sum::<f64>() / n)
        .collect();
    let columns = (0..q)
        .map(|j| table.iter().map(|row| row[j]).sum::<f64>() / n)
        .collect();
    Some((observed, rows, columns))
}

/// The observed agreement of an [`AgreementTable`]: its diagonal over its
/// total. `None` for an empty or malformed table.
pub fn percent_agreement_table(table: &[Vec<f64>]) -> Option<f64> {
    proportions(table).map(|(observed, _, _)| observed)
}

/// Cohen's kappa of an [`AgreementTable`] (see [`cohens_kappa`]); `None`
/// for an empty or malformed table or when p_e = 1.
pub fn cohens_kappa_table(table: &[Vec<f64>]) -> Option<f64> {
    let (observed, rows, columns) = proportions(table)?;
    let chance: f64 = rows.iter().zip(&columns).map(|(r, c)| r * c).sum();
    // Chance agreement of 1 (within rounding) means one shared category.
    if 1.0 - chance <= 1e-12 {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

/// Gwet's AC1 for two coders: agreement corrected for chance the way
/// Gwet (2008) proposed, so that it does not collapse when one category
/// is rare (the "kappa paradox").
///
/// AC1 = (p_a − p_e) / (1 − p_e), with p_e = Σ_k π_k (1 − π_k) / (q − 1),
/// π_k the mean of the two coders' proportions in category k and q the
/// number of categories (those either coder used). `None` when the slices
/// differ in length or are empty, or when only one category was used
/// (q = 1).
///
/// # Examples
///
/// ```
/// use mint::stats::gwet_ac1;
///
/// // Nine units both left uncoded and one both coded: kappa is 1, and so is AC1.
/// let a = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
/// assert_eq!(gwet_ac1(&a, &a), Some(1.0));
/// ```
pub fn gwet_ac1(a: &[usize], b: &[usize]) -> Option<f64> {
    gwet_ac1_table(&table_of(a, b)?)
}

/// Gwet's AC1 of an [`AgreementTable`] (see [`gwet_ac1`]), with q the
/// table's dimension. `None` for an empty or malformed table or q = 1.
pub fn gwet_ac1_table(table: &[Vec<f64>]) -> Option<f64> {
    let (observed, rows, columns) = proportions(table)?;
    let q = table.len();
    if q < 2 {
        return None;
    }
    let chance: f64 = rows
        .iter()
        .zip(&columns)
        .map(|(r, c)| {
            let pi = (r + c) / 2.0;
            pi * (1.0 - pi)
        })
        .sum::<f64>()
        / (q - 1) as f64;
    // p_e is at most 1 - 1/q, so 1 - p_e is never 0.
    Some((observed - chance) / (1.0 - chance))
}

/// The prevalence-adjusted bias-adjusted kappa (PABAK; Byrt, Bishop and
/// Carlin 1993), which for q categories is Brennan and Prediger's (1981)
/// coefficient: (q · p_o − 1) / (q − 1), for two categories 2 p_o − 1.
///
/// q is the number of categories either coder used. `None` when the
/// slices differ in length or are empty, or when only one category was
/// used.
///
/// # Examples
///
/// ```
/// use mint::stats::pabak;
///
/// // 70% agreement on a yes/no code: PABAK = 2 × 0.7 − 1 = 0.4.
/// let a = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1];
/// let b = [1, 1, 0, 0, 0, 0, 1, 0, 0, 1];
/// assert!((pabak(&a, &b).unwrap() - 0.4).abs() < 1e-12);
/// ```
pub fn pabak(a: &[usize], b: &[usize]) -> Option<f64> {
    pabak_table(&table_of(a, b)?)
}

/// PABAK of an [`AgreementTable`] (see [`pabak`]), with q the table's
/// dimension. `None` for an empty or malformed table or q = 1.
pub fn pabak_table(table: &[Vec<f64>]) -> Option<f64> {
    let (observed, _, _) = proportions(table)?;
    let q = table.len() as f64;
    if q < 2.0 {
        return None;
    }
    Some((q * observed - 1.0) / (q - 1.0))
}

/// Fleiss' kappa for any number of raters per subject (the same number for
/// every subject): `subjects` holds, per subject, how many raters put it in
/// each category (every row as long as the number of categories).
///
/// κ = (P̄ − P̄_e) / (1 − P̄_e), where P̄ is the mean over subjects of the
/// proportion of agreeing rater pairs and P̄_e = Σ_j p_j² with p_j the
/// share of all ratings in category j (Fleiss 1971). `None` when there is
/// no subject, rows differ in length or rater count, there are fewer than
/// two raters, or all ratings fall in one category (P̄_e = 1).
///
/// # Examples
///
/// ```
/// use mint::stats::fleiss_kappa;
///
/// // Three raters, four subjects, two categories.
/// let subjects = [vec![3, 0], vec![0, 3], vec![2, 1], vec![3, 0]];
/// let kappa = fleiss_kappa(&subjects).unwrap();
/// assert!((kappa - 0.625).abs() < 1e-12);
/// ```
pub fn fleiss_kappa(subjects: &[Vec<u64>]) -> Option<f64> {
    let weighted: Vec<(Vec<u64>, f64)> = subjects.iter().map(|s| (s.clone(), 1.0)).collect();
    fleiss_kappa_weighted(&weighted)
}

/// [`fleiss_kappa`] with a weight per subject: a subject of weight w counts
/// as w identical subjects (for subjects collapsed by their ratings).
pub fn fleiss_kappa_weighted(subjects: &[(Vec<u64>, f64)]) -> Option<f64> {
    let (observed, shares) = rater_agreement(subjects)?;
    let chance: f64 = shares.iter().map(|p| p * p).sum();
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
    let categories: std::collections::BTreeSet<usize> =
        units.iter().flatten().flatten().copied().collect();
    let counted: Vec<(Vec<u64>, f64)> = units
        .iter()
        .map(|unit| {
            let counts = categories
                .iter()
                .map(|c| unit.iter().filter(|v| **v == Some(*c)).count() as u64)
                .collect();
            (counts, 1.0)
        })
        .collect();
    krippendorff_alpha_counts(&counted)
}

/// Gwet's AC1 for any number of raters from counts (Gwet 2008, the
/// multiple-rater form): per subject, how many raters put it in each
/// category, with a weight as in [`fleiss_kappa_weighted`]. p_a is Fleiss'
/// P̄ and p_e = Σ_k π_k (1 − π_k) / (q − 1), π_k the share of all ratings
/// in category k and q the number of categories (the rows' length). With
/// two raters it is [`gwet_ac1_table`]'s AC1. `None` under the conditions
/// of [`fleiss_kappa_weighted`] other than no variation, or q < 2.
pub fn gwet_ac1_counts(subjects: &[(Vec<u64>, f64)]) -> Option<f64> {
    let (observed, shares) = rater_agreement(subjects)?;
    let q = shares.len();
    if q < 2 {
        return None;
    }
    let chance = shares.iter().map(|p| p * (1.0 - p)).sum::<f64>() / (q - 1) as f64;
    Some((observed - chance) / (1.0 - chance))
}

/// PABAK (Brennan and Prediger's coefficient) for any number of raters
/// from counts as in [`gwet_ac1_counts`]: (P̄ − 1/q) / (1 − 1/q), P̄
/// Fleiss' mean pairwise agreement. `None` as for [`gwet_ac1_counts`].
pub fn pabak_counts(subjects: &[(Vec<u64>, f64)]) -> Option<f64> {
    let (observed, shares) = rater_agreement(subjects)?;
    let q = shares.len() as f64;
    if q < 2.0 {
        return None;
    }
    Some((observed - 1.0 / q) / (1.0 - 1.0 / q))
}

/// Fleiss' P̄ (the mean proportion of agreeing rater pairs) and the share
/// of all ratings in each category; `None` unless every subject has the
/// same number (at least two) of ratings in the same number of categories
/// and the weights are positive.
fn rater_agreement(subjects: &[(Vec<u64>, f64)]) -> Option<(f64, Vec<f64>)> {
    let (first, _) = subjects.first()?;
    let q = first.len();
    let raters: u64 = first.iter().sum();
    if raters < 2
        || subjects
            .iter()
            .any(|(s, _)| s.len() != q || s.iter().sum::<u64>() != raters)
    {
        return None;
    }
    let r = raters as f64;
    let mut weight = 0.0;
    let mut agreement = 0.0;
    let mut totals = vec![0.0; q];
    for (counts, w) in subjects {
        weight += w;
        let pairs: f64 = counts
            .iter()
            .map(|&c| (c * c.saturating_sub(1)) as f64)
            .sum();
        agreement += w * pairs / (r * (r - 1.0));
        for (t, &c) in totals.iter_mut().zip(counts) {
            *t += w * c as f64;
        }
    }
    if weight <= 0.0 {
        return None;
    }
    let shares = totals.iter().map(|t| t / (weight * r)).collect();
    Some((agreement / weight, shares))
}

/// [`krippendorff_alpha_nominal`] from counts: per unit, how many values
/// fell in each category (any fixed order of categories), and a weight (a
/// unit of weight w counts as w identical units, for units collapsed by
/// their values). Units with fewer than two values are skipped.
pub fn krippendorff_alpha_counts(units: &[(Vec<u64>, f64)]) -> Option<f64> {
    // Per category: n_c, the values in pairable units, and o_cc, the
    // coincidences of the category with itself.
    let mut totals: Vec<f64> = Vec::new();
    let mut agreements = 0.0;
    for (counts, weight) in units {
        let m: u64 = counts.iter().sum();
        if m < 2 {
            continue;
        }
        if totals.len() < counts.len() {
            totals.resize(counts.len(), 0.0);
        }
        for (category, &count) in counts.iter().enumerate() {
            totals[category] += weight * count as f64;
            agreements += weight * (count * count.saturating_sub(1)) as f64 / (m - 1) as f64;
        }
    }
    let n: f64 = totals.iter().sum();
    let disagreements = n - agreements;
    let expected = n * n - totals.iter().map(|t| t * t).sum::<f64>();
    if n < 2.0 || expected <= 1e-9 {
        return None;
    }
    Some(1.0 - (n - 1.0) * disagreements / expected)
}
