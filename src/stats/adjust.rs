//! Multiple-comparison corrections of p-values, as R's `p.adjust` computes
//! them: Holm's step-down method (controls the family-wise error rate) and
//! Benjamini–Hochberg's step-up method (controls the false discovery rate).

/// How a family of p-values is corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Correction {
    /// Holm (1979): the chance of any false positive stays at the level.
    #[default]
    Holm,
    /// Benjamini and Hochberg (1995): the expected share of false positives
    /// among the positives stays at the level.
    BenjaminiHochberg,
}

impl Correction {
    /// The name shown beside adjusted p-values.
    pub fn name(self) -> &'static str {
        match self {
            Correction::Holm => "Holm",
            Correction::BenjaminiHochberg => "Benjamini-Hochberg",
        }
    }

    /// Adjusts `p` with this correction ([`holm`] or [`benjamini_hochberg`]).
    pub fn adjust(self, p: &[f64]) -> Vec<f64> {
        match self {
            Correction::Holm => holm(p),
            Correction::BenjaminiHochberg => benjamini_hochberg(p),
        }
    }
}

/// The indices of `p` from the smallest p-value up (ties in input order).
fn ascending(p: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    order
}

/// Holm-adjusted p-values, in the order of `p`: the i-th smallest is
/// multiplied by m - i + 1, made non-decreasing, capped at 1.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (i, &k) in ascending(p).iter().enumerate() {
        running = running.max(((m - i) as f64 * p[k]).min(1.0));
        out[k] = running;
    }
    out
}

/// Benjamini–Hochberg-adjusted p-values, in the order of `p`: the i-th
/// smallest is multiplied by m / i, made non-decreasing from the largest
/// down, capped at 1.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running: f64 = 1.0;
    for (i, &k) in ascending(p).iter().enumerate().rev() {
        running = running.min(m as f64 / (i + 1) as f64 * p[k]).min(1.0);
        out[k] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12, "{a:?} != {b:?}");
        }
    }

    #[test]
    fn holm_matches_r_p_adjust() {
        // p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "holm")
        close(
            &holm(&[0.01, 0.02, 0.03, 0.04, 0.05]),
            &[0.05, 0.08, 0.09, 0.09, 0.09],
        );
        // p.adjust(c(0.04, 0.01, 0.03), "holm"): order is kept.
        close(&holm(&[0.04, 0.01, 0.03]), &[0.06, 0.03, 0.06]);
        close(&holm(&[0.5, 0.9]), &[1.0, 1.0]);
    }

    #[test]
    fn benjamini_hochberg_matches_r_p_adjust() {
        // p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), "BH")
        close(
            &benjamini_hochberg(&[0.01, 0.02, 0.03, 0.04, 0.05]),
            &[0.05; 5],
        );
        // p.adjust(c(0.04, 0.01, 0.03), "BH")
        close(
            &benjamini_hochberg(&[0.04, 0.01, 0.03]),
            &[0.04, 0.03, 0.04],
        );
        close(&benjamini_hochberg(&[0.9, 0.8]), &[0.9, 0.9]);
    }

    #[test]
    fn one_test_and_none_are_unchanged() {
        close(&holm(&[0.03]), &[0.03]);
        close(&benjamini_hochberg(&[0.03]), &[0.03]);
        assert!(holm(&[]).is_empty());
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    #[test]
    fn benjamini_hochberg_is_never_above_holm() {
        let p = [0.001, 0.2, 0.04, 0.03, 0.5, 0.011];
        for (bh, holm) in benjamini_hochberg(&p).iter().zip(holm(&p)) {
            assert!(*bh <= holm + 1e-15);
        }
    }
}
