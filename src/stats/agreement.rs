//! Agreement between coders: [`percent_agreement`], [`cohens_kappa`] and
//! [`krippendorff_alpha_nominal`].
//!
//! These compare codings, not groups: nothing here touches the contingency
//! tables, margins or p-values of the rest of the module.

use std::collections::BTreeMap;

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
