//! Allocation-free slate selection for the Long-Term Satisfaction myopic oracle under a
//! proportional or logit choice model (plain top-k lives in [`crate::sim::common`]).

use crate::sim::common::top_k_by;

/// The value Σ w_i v_i / (Σ w_i + w_⊥) of `slate`; 0 when every weight is 0 (nothing is chosen).
pub(crate) fn ratio_value(
    weights: &[f64],
    null_weight: f64,
    values: &[f64],
    slate: &[usize],
) -> f64 {
    let (num, den) = slate.iter().fold((0.0, null_weight), |(num, den), &i| {
        (num + weights[i] * values[i], den + weights[i])
    });
    if den > 0.0 { num / den } else { 0.0 }
}

/// Finds the `k`-item slate maximising [`ratio_value`], the expected value of the chosen item
/// under a proportional or logit choice model whose (relative) item weights are `weights`.
///
/// Dinkelbach's method: for a trial value λ, the slate maximising Σ w_i (v_i − λ) is the top-k
/// by w_i (v_i − λ); its ratio is a better λ, and the iteration stops, exactly optimal, when the
/// ratio no longer improves. It takes a handful of rounds in practice; the cap is a safeguard.
pub(crate) fn best_ratio_slate(
    weights: &[f64],
    null_weight: f64,
    values: &[f64],
    k: usize,
    slate: &mut Vec<usize>,
) -> f64 {
    const MAX_ROUNDS: usize = 100;
    let n = weights.len();
    top_k_by(n, k, |i| weights[i] * values[i], slate);
    let mut lambda = ratio_value(weights, null_weight, values, slate);
    for _ in 0..MAX_ROUNDS {
        let current = lambda;
        top_k_by(n, k, |i| weights[i] * (values[i] - current), slate);
        let next = ratio_value(weights, null_weight, values, slate);
        // The current slate scores 0 in the top-k problem at λ = its own ratio, so the new
        // slate's ratio is ≥ λ; equality (up to rounding) means λ is the optimum.
        if next <= current + 1e-12 * current.abs().max(1.0) {
            return next;
        }
        lambda = next;
    }
    lambda
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute_force(weights: &[f64], null_weight: f64, values: &[f64], k: usize) -> f64 {
        let n = weights.len();
        let mut best = f64::NEG_INFINITY;
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize != k {
                continue;
            }
            let slate: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
            best = best.max(ratio_value(weights, null_weight, values, &slate));
        }
        best
    }

    #[test]
    fn reference_slate_optimisation_example() {
        // Reference §10.4: s_⊥ = 2, s = (2, 1, 1), Q = (1, 3, 3), K = 2 → {1, 2}, value 1.5.
        let mut slate = Vec::new();
        let v = best_ratio_slate(&[2.0, 1.0, 1.0], 2.0, &[1.0, 3.0, 3.0], 2, &mut slate);
        assert!((v - 1.5).abs() < 1e-12);
        slate.sort_unstable();
        assert_eq!(slate, vec![1, 2]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn dinkelbach_matches_exhaustive_search(
            items in prop::collection::vec((0.0f64..5.0, 0.0f64..50.0), 1..9),
            null_weight in 0.0f64..5.0,
            k in 1usize..5,
        ) {
            let weights: Vec<f64> = items.iter().map(|p| p.0).collect();
            let values: Vec<f64> = items.iter().map(|p| p.1).collect();
            let k = k.min(weights.len());
            let mut slate = Vec::new();
            let got = best_ratio_slate(&weights, null_weight, &values, k, &mut slate);
            let want = brute_force(&weights, null_weight, &values, k);
            prop_assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{} vs {}", got, want);
            prop_assert!((ratio_value(&weights, null_weight, &values, &slate) - got).abs() < 1e-9);
            prop_assert_eq!(slate.len(), k);
        }
    }
}
