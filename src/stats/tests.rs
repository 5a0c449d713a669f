//! Tests of the statistics against published worked examples (Cohen 1960, R, scipy,
//! Agresti, Krippendorff, Wikipedia): the chi-square distribution and
//! ln Γ, the chi-square and Fisher tests, [`compare`]'s choice of test, and
//! the agreement coefficients.
//!
//! They live together, not beside each file, because they share their
//! tolerance helpers and tables; doctests stay on the functions.

use super::distribution::ln_gamma;
use super::fisher::count_tables;
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

// Cohen (1960), "A coefficient of agreement for nominal scales",
// Educational and Psychological Measurement 20(1), Table 2b, p. 45: two
// judges sort 200 items into three categories (rows judge A, columns judge
// B): p_o = .70, p_c = .41, kappa = .29 / .59 = .4915. The counts are as
// reproduced in T. Pingel's cohenskappa.m (github.com/thomaspingel/
// cohens-kappa-matlab), which cites that table, and in G. Cardillo's
// kappa.m (MATLAB File Exchange 15365), which prints the same p_o, p_e and
// kappa; the marginals (.60 .30 .10 by .50 .30 .20) check by hand.
#[test]
fn cohens_kappa_matches_cohens_own_1960_table() {
    let counts: [[usize; 3]; 3] = [[88, 14, 18], [10, 40, 10], [2, 6, 12]];
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (x, row) in counts.iter().enumerate() {
        for (y, &n) in row.iter().enumerate() {
            a.extend(std::iter::repeat_n(x, n));
            b.extend(std::iter::repeat_n(y, n));
        }
    }
    assert_eq!(a.len(), 200);
    assert_close(percent_agreement(&a, &b).unwrap(), 0.70, 12);
    assert_close(cohens_kappa(&a, &b).unwrap(), 0.29 / 0.59, 12);
    assert_close(cohens_kappa(&a, &b).unwrap(), 0.4915, 4);
    // The same table as proportions, through the table form.
    let t: Vec<Vec<f64>> = counts
        .iter()
        .map(|row| row.iter().map(|&n| n as f64 / 200.0).collect())
        .collect();
    assert_close(cohens_kappa_table(&t).unwrap(), 0.29 / 0.59, 12);
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

/// Expands a square agreement table of counts into an [`AgreementTable`].
fn weighted(rows: &[&[u32]]) -> AgreementTable {
    rows.iter()
        .map(|row| row.iter().map(|&n| f64::from(n)).collect())
        .collect()
}

// The irrCAC package's documentation (Gwet), dataset cont3x3abstractors:
// two abstractors classify 100 pregnancies as ectopic, AIU or NIU.
// kappa2.table prints Cohen's kappa 0.7964094. AC1 and Brennan-Prediger
// (PABAK for three categories) by Gwet's (2014) formulas: p_a = 0.89,
// AC1 p_e = 0.53985 / 2, AC1 = 0.620075 / 0.730075; BP = (3 × 0.89 − 1) / 2.
#[test]
fn two_coder_coefficients_match_the_irrcac_abstractors_table() {
    let t = weighted(&[&[13, 0, 0], &[0, 20, 7], &[0, 4, 56]]);
    assert_close(percent_agreement_table(&t).unwrap(), 0.89, 12);
    assert_close(cohens_kappa_table(&t).unwrap(), 0.796_409_4, 7);
    assert_relative(gwet_ac1_table(&t).unwrap(), 0.620_075 / 0.730_075);
    assert_relative(pabak_table(&t).unwrap(), 0.835);
}

// Gwet (2008), "Computing inter-rater reliability and its variance in the
// presence of high agreement", the kappa paradox: 125 subjects, 118 rated
// positive by both, 5 by A only, 2 by B only, none negative by both.
// Agreement is 94.4% yet kappa is slightly negative; AC1 stays high.
// Hand computation: kappa p_e = (123·120 + 2·5) / 125², AC1 p_e =
// 2 · 0.972 · 0.028.
#[test]
fn ac1_resists_the_kappa_paradox_where_kappa_collapses() {
    let t = weighted(&[&[118, 5], &[2, 0]]);
    let pe_kappa = (123.0 * 120.0 + 2.0 * 5.0) / (125.0 * 125.0);
    assert_relative(
        cohens_kappa_table(&t).unwrap(),
        (0.944 - pe_kappa) / (1.0 - pe_kappa),
    );
    assert!(cohens_kappa_table(&t).unwrap() < 0.0);
    let pe_ac1 = 2.0 * 0.972 * 0.028;
    assert_relative(
        gwet_ac1_table(&t).unwrap(),
        (0.944 - pe_ac1) / (1.0 - pe_ac1),
    );
    assert_relative(pabak_table(&t).unwrap(), 2.0 * 0.944 - 1.0);
}

#[test]
fn two_coder_coefficients_agree_between_codes_and_tables() {
    let (a, b) = codes_from_agreement_table([[20, 5], [10, 15]]);
    let t = table_of(&a, &b).unwrap();
    assert_eq!(t, weighted(&[&[20, 5], &[10, 15]]));
    assert_eq!(cohens_kappa(&a, &b), cohens_kappa_table(&t));
    assert_eq!(gwet_ac1(&a, &b), gwet_ac1_table(&t));
    assert_close(pabak(&a, &b).unwrap(), 0.4, 12);
    // Wikipedia grant example: pi_yes = (25/50 + 30/50) / 2 = 0.55,
    // p_e = 2 · 0.55 · 0.45 = 0.495, AC1 = (0.7 − 0.495) / 0.505.
    assert_relative(gwet_ac1(&a, &b).unwrap(), 0.205 / 0.505);
}

#[test]
fn ac1_and_pabak_need_two_categories() {
    assert_eq!(gwet_ac1(&[2, 2], &[2, 2]), None);
    assert_eq!(pabak(&[2, 2], &[2, 2]), None);
    assert_eq!(gwet_ac1(&[], &[]), None);
    assert_eq!(pabak(&[1], &[1, 2]), None);
    // A binary table with no variation: both coefficients are defined
    // (unlike kappa), and perfect.
    let none_coded = weighted(&[&[0, 0], &[0, 10]]);
    assert_eq!(cohens_kappa_table(&none_coded), None);
    assert_eq!(gwet_ac1_table(&none_coded), Some(1.0));
    assert_eq!(pabak_table(&none_coded), Some(1.0));
    assert_eq!(cohens_kappa_table(&weighted(&[&[0, 0], &[0, 0]])), None);
    assert_eq!(cohens_kappa_table(&[vec![1.0, 2.0]]), None);
}

// Wikipedia, "Fleiss' kappa", Worked example (after Fleiss 1971): 10
// subjects, 14 raters, 5 categories; P̄ = 0.378, P̄_e = 0.213,
// kappa = 0.210.
#[test]
fn fleiss_kappa_matches_the_wikipedia_worked_example() {
    let subjects: Vec<Vec<u64>> = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    .iter()
    .map(|row| row.to_vec())
    .collect();
    let kappa = fleiss_kappa(&subjects).unwrap();
    assert_close(kappa, 0.210, 3);
    // P̄ = 3.780 / 10 and P̄_e = Σ p_j² exactly, from the table's margins.
    let p: [f64; 5] = [20.0, 28.0, 39.0, 21.0, 32.0].map(|n| n / 140.0);
    let pe: f64 = p.iter().map(|x| x * x).sum();
    let pbar = subjects
        .iter()
        .map(|s| s.iter().map(|&c| (c * c) as f64).sum::<f64>() - 14.0)
        .sum::<f64>()
        / (10.0 * 14.0 * 13.0);
    assert_relative(kappa, (pbar - pe) / (1.0 - pe));
}

#[test]
fn fleiss_kappa_with_two_raters_is_scotts_pi_and_weights_repeat_subjects() {
    // Two raters: Fleiss' kappa is Scott's pi. Wikipedia grant table:
    // pooled yes share 0.55, p_e = 0.55² + 0.45² = 0.505.
    let mut subjects = Vec::new();
    for (counts, n) in [([2, 0], 20), ([1, 1], 15), ([0, 2], 15)] {
        subjects.extend(std::iter::repeat_n(counts.to_vec(), n));
    }
    assert_relative(fleiss_kappa(&subjects).unwrap(), (0.7 - 0.505) / 0.495);
    let collapsed = vec![(vec![2, 0], 20.0), (vec![1, 1], 15.0), (vec![0, 2], 15.0)];
    assert_relative(
        fleiss_kappa_weighted(&collapsed).unwrap(),
        fleiss_kappa(&subjects).unwrap(),
    );
}

#[test]
fn fleiss_kappa_is_undefined_without_variation_or_raters() {
    assert_eq!(fleiss_kappa(&[vec![3, 0], vec![3, 0]]), None);
    assert_eq!(fleiss_kappa(&[]), None);
    assert_eq!(fleiss_kappa(&[vec![1, 0]]), None);
    // Rows with different numbers of raters.
    assert_eq!(fleiss_kappa(&[vec![2, 0], vec![1, 2]]), None);
}

#[test]
fn krippendorff_alpha_from_weighted_counts_matches_the_unit_form() {
    // Krippendorff (2011) section A again, collapsed by the units' values:
    // (0,0) five times, (1,1) once, (0,1) or (1,0) four times; and a
    // unit with one value, not pairable, whatever its weight.
    let units = vec![
        (vec![2, 0], 5.0),
        (vec![0, 2], 1.0),
        (vec![1, 1], 4.0),
        (vec![1, 0], 4.0),
    ];
    let alpha = krippendorff_alpha_counts(&units).unwrap();
    assert_relative(alpha, 1.0 - 19.0 * 8.0 / 168.0);
    assert_eq!(krippendorff_alpha_counts(&[(vec![2, 0], 5.0)]), None);
}

#[test]
fn multi_rater_ac1_and_pabak_reduce_to_the_two_rater_forms() {
    // cont3x3abstractors as subjects rated by two raters.
    let t = [[13u64, 0, 0], [0, 20, 7], [0, 4, 56]];
    let mut subjects = Vec::new();
    for (i, row) in t.iter().enumerate() {
        for (j, &n) in row.iter().enumerate() {
            let mut counts = vec![0u64; 3];
            counts[i] += 1;
            counts[j] += 1;
            subjects.push((counts, n as f64));
        }
    }
    assert_relative(gwet_ac1_counts(&subjects).unwrap(), 0.620_075 / 0.730_075);
    assert_relative(pabak_counts(&subjects).unwrap(), 0.835);
    assert_eq!(gwet_ac1_counts(&[(vec![2], 3.0)]), None);
    assert_eq!(pabak_counts(&[]), None);
}
