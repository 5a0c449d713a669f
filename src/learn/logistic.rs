//! Regularised, class-balanced logistic regression on sparse rows, solved
//! by L-BFGS from the `argmin` crate.
//!
//! The objective is scikit-learn's for `LogisticRegression(C, penalty="l2",
//! class_weight="balanced")`: `½‖w‖² + C Σᵢ sᵢ log(1 + exp(−yᵢ(w·xᵢ + b)))`,
//! the bias not penalised, each segment weighted `n / (2 nₖ)` for its class
//! `k`. Only the loss and its gradient live here, computed over the sparse
//! rows in row order (so the result is the same bytes on any machine
//! thread count); `argmin` does the optimisation. linfa-logistic and
//! smartcore, the two Rust logistic regressions, both take a dense matrix
//! and neither weighs samples, so neither fits this problem.
//!
//! It stops when the gradient's norm falls below `1e-5 n` (scikit-learn's
//! lbfgs stops at `1e-4 n` on its largest component, as it scales the loss
//! by `1 / n`), when the cost changes by less than `1e-9 n`, or after 200
//! iterations.

use std::cell::{Ref, RefCell};

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;

use super::features::Rows;

/// A fitted model for one code.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// One weight per feature.
    pub weights: Vec<f64>,
    /// The intercept.
    pub bias: f64,
}

impl Fit {
    /// The probability that row `i` of `rows` carries the code.
    pub fn probability(&self, rows: &Rows, i: usize) -> f64 {
        sigmoid(rows.dot(i, &self.weights) + self.bias)
    }
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + exp(x))` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// The training problem: some rows, their labels, the class weights.
struct Problem<'a> {
    rows: &'a Rows,
    selected: &'a [usize],
    labels: &'a [bool],
    /// Weight of a positive and of a negative segment, times C.
    weight: (f64, f64),
    /// The last parameters seen and the margins of every selected row under
    /// them: the line search asks for the cost and then the gradient at the
    /// same point, and the margins (one sparse dot product per row) are
    /// most of the work of either.
    cache: RefCell<(Vec<f64>, Vec<f64>)>,
}

impl Problem<'_> {
    /// The margins `w·xₖ + b` of the selected rows under `p`.
    fn margins(&self, p: &[f64]) -> Ref<'_, [f64]> {
        if self.cache.borrow().0.as_slice() != p {
            let width = self.rows.width;
            let margins = self
                .selected
                .iter()
                .map(|&i| self.rows.dot(i, &p[..width]) + p[width])
                .collect();
            *self.cache.borrow_mut() = (p.to_vec(), margins);
        }
        Ref::map(self.cache.borrow(), |c| c.1.as_slice())
    }

    fn sample_weight(&self, k: usize) -> f64 {
        if self.labels[k] {
            self.weight.0
        } else {
            self.weight.1
        }
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Vec<f64>) -> Result<f64, Error> {
        let width = self.rows.width;
        let mut cost = 0.5 * p[..width].iter().map(|w| w * w).sum::<f64>();
        let margins = self.margins(p);
        for (k, &z) in margins.iter().enumerate() {
            let y = if self.labels[k] { 1.0 } else { -1.0 };
            cost += self.sample_weight(k) * softplus(-y * z);
        }
        Ok(cost)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, Error> {
        let width = self.rows.width;
        let mut g = p.clone();
        g[width] = 0.0;
        let margins = self.margins(p);
        for (k, &z) in margins.iter().enumerate() {
            let t = if self.labels[k] { 1.0 } else { 0.0 };
            let d = self.sample_weight(k) * (sigmoid(z) - t);
            for (j, v) in self.rows.row(self.selected[k]) {
                g[j] += d * v;
            }
            g[width] += d;
        }
        Ok(g)
    }
}

/// Fits the code on rows `selected` of `rows`, `labels[k]` saying whether
/// `selected[k]` carries it, with inverse regularisation `c`, starting from
/// zero.
pub fn fit(rows: &Rows, selected: &[usize], labels: &[bool], c: f64) -> Fit {
    fit_from(rows, selected, labels, c, None)
}

/// [`fit`], starting from `start` when given (a fit of similar data: the
/// inner folds of a code start from its fit on all its training data, and
/// need fewer iterations to converge).
pub fn fit_from(
    rows: &Rows,
    selected: &[usize],
    labels: &[bool],
    c: f64,
    start: Option<&Fit>,
) -> Fit {
    let width = rows.width;
    let n = selected.len() as f64;
    let positives = labels.iter().filter(|l| **l).count() as f64;
    let negatives = n - positives;
    if positives == 0.0 || negatives == 0.0 {
        // One class only: a constant model.
        let bias = if positives > 0.0 { 10.0 } else { -10.0 };
        return Fit {
            weights: vec![0.0; width],
            bias,
        };
    }
    let problem = Problem {
        rows,
        selected,
        labels,
        weight: (c * n / (2.0 * positives), c * n / (2.0 * negatives)),
        cache: RefCell::new((Vec::new(), Vec::new())),
    };
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-5 * n)
        .and_then(|s| s.with_tolerance_cost(1e-9 * n))
        .expect("positive tolerances");
    let start = match start {
        Some(f) => {
            let mut p = f.weights.clone();
            p.push(f.bias);
            p
        }
        None => vec![0.0; width + 1],
    };
    let best = Executor::new(problem, solver)
        .configure(|state| state.param(start.clone()).max_iters(200))
        .run()
        .ok()
        .and_then(|mut result| {
            let state = &mut result.state;
            state
                .take_best_param()
                .or_else(|| state.get_param().cloned())
        })
        .unwrap_or(start);
    Fit {
        bias: best[width],
        weights: best[..width].to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_separable_feature_gets_a_positive_weight_and_the_balance_holds() {
        // Feature 0 marks the code; feature 1 is noise.
        let mut rows = Rows::new(2);
        let mut labels = Vec::new();
        for i in 0..40 {
            let positive = i % 5 == 0;
            let noise = if i % 2 == 0 { 1.0 } else { 0.0 };
            rows.push([(0, if positive { 1.0 } else { 0.0 }), (1, noise)]);
            labels.push(positive);
        }
        let selected: Vec<usize> = (0..40).collect();
        let fit = fit(&rows, &selected, &labels, 1.0);
        assert!(fit.weights[0] > 1.0, "{fit:?}");
        assert!(fit.weights[1].abs() < fit.weights[0] / 4.0, "{fit:?}");
        assert!(fit.probability(&rows, 0) > 0.5);
        assert!(fit.probability(&rows, 1) < 0.5);
        // The same data gives the same bytes.
        let again = super::fit(&rows, &selected, &labels, 1.0);
        assert_eq!(fit, again);
    }
}
