//! Slate optimisation under a conditional choice model (reference §6.2).
//!
//! With choice weights v_i ≥ 0, a null weight v_⊥ ≥ 0 and item values Q_i, the value of a
//! slate A is Σ_{i∈A} v_i Q_i / (v_⊥ + Σ_{i∈A} v_i) (the null item's value is 0; callers that
//! learn it shift Q by it). Every method returns exactly k distinct items and never
//! enumerates slates.

use serde::{Deserialize, Serialize};

use crate::agent::top_k;

/// How a slate is chosen, given choice weights and item values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlateOptimizer {
    /// The k items with the largest v_i·Q_i (the paper's TS/TT).
    TopK,
    /// Adds, k times, the item that most raises the slate value (GS/GT).
    Greedy,
    /// The optimal slate, by Dinkelbach iteration over sorted v_i(Q_i − λ) (OS/OT, exact).
    #[default]
    Exact,
}

/// The slate's expected item value under the choice model; 0 when no weight is positive.
pub fn slate_value(v: &[f64], v_null: f64, q: &[f64], slate: &[usize]) -> f64 {
    let (num, den) = slate
        .iter()
        .fold((0.0, v_null), |(n, d), &i| (n + v[i] * q[i], d + v[i]));
    ratio(num, den)
}

fn ratio(num: f64, den: f64) -> f64 {
    // Zero total weight means the user surely picks nothing, whose value is 0.
    if den > 0.0 { num / den } else { 0.0 }
}

/// Reusable buffers for slate optimisation (allocation-free after the first call).
#[derive(Clone, Debug, Default)]
pub struct SlateSolver {
    scores: Vec<f64>,
    candidate: Vec<usize>,
}

/// Dinkelbach converges in a handful of iterations; this only guards against float cycling.
const MAX_DINKELBACH_ITERATIONS: usize = 64;

impl SlateSolver {
    /// Buffers for up to `n` candidates.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            scores: Vec::with_capacity(n),
            candidate: Vec::with_capacity(n),
        }
    }

    /// Writes the chosen slate (k distinct indices, or all N if k > N) and returns its value.
    pub fn solve(
        &mut self,
        method: SlateOptimizer,
        v: &[f64],
        v_null: f64,
        q: &[f64],
        k: usize,
        slate: &mut Vec<usize>,
    ) -> f64 {
        debug_assert_eq!(v.len(), q.len());
        match method {
            SlateOptimizer::TopK => {
                self.scores.clear();
                self.scores.extend(v.iter().zip(q).map(|(v, q)| v * q));
                top_k(&self.scores, k, slate);
                slate_value(v, v_null, q, slate)
            }
            SlateOptimizer::Greedy => greedy(v, v_null, q, k, slate),
            SlateOptimizer::Exact => self.dinkelbach(v, v_null, q, k, slate),
        }
    }

    /// Slot-0 consumption: the best item goes first, the next best fill the other slots.
    /// Returns the first item's value (the only one that matters to the user).
    pub fn slot0(&mut self, q: &[f64], k: usize, slate: &mut Vec<usize>) -> f64 {
        top_k(q, k, slate);
        slate.first().map_or(0.0, |&i| q[i])
    }

    /// max_{|A|=k} f(A) with f(A) = Σ v_i Q_i / (v_⊥ + Σ v_i). For λ = f(A_t), the set
    /// A_{t+1} = top-k of v_i(Q_i − λ) maximises Σ v_i Q_i − λ(v_⊥ + Σ v_i); that maximum is
    /// 0 exactly when λ is optimal, and otherwise f(A_{t+1}) > λ. Each step is one sort.
    fn dinkelbach(
        &mut self,
        v: &[f64],
        v_null: f64,
        q: &[f64],
        k: usize,
        slate: &mut Vec<usize>,
    ) -> f64 {
        let mut lambda = 0.0;
        let mut best = f64::NEG_INFINITY;
        slate.clear();
        for _ in 0..MAX_DINKELBACH_ITERATIONS {
            self.scores.clear();
            self.scores
                .extend(v.iter().zip(q).map(|(v, q)| v * (q - lambda)));
            top_k(&self.scores, k, &mut self.candidate);
            let value = slate_value(v, v_null, q, &self.candidate);
            let tolerance = 1e-12 * (1.0 + value.abs());
            if value > best + tolerance || slate.is_empty() {
                best = value;
                lambda = value;
                slate.clear();
                slate.extend_from_slice(&self.candidate);
            } else {
                break;
            }
        }
        best
    }
}

/// RecSim's greedy: add the item maximising the resulting slate value, k times.
/// Returns items in selection order (RecSim sorts them; the choice model ignores order).
fn greedy(v: &[f64], v_null: f64, q: &[f64], k: usize, slate: &mut Vec<usize>) -> f64 {
    slate.clear();
    let (mut num, mut den) = (0.0, v_null);
    for _ in 0..k.min(v.len()) {
        let mut best: Option<(usize, f64)> = None;
        for i in 0..v.len() {
            if slate.contains(&i) {
                continue;
            }
            let r = ratio(num + v[i] * q[i], den + v[i]);
            if best.is_none_or(|(_, b)| r > b || (b.is_nan() && !r.is_nan())) {
                best = Some((i, r));
            }
        }
        if let Some((i, _)) = best {
            slate.push(i);
            num += v[i] * q[i];
            den += v[i];
        }
    }
    ratio(num, den)
}

#[cfg(test)]
#[path = "optimize_tests.rs"]
mod tests;
