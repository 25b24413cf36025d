use proptest::prelude::*;

use super::*;

/// Test oracle: the best value over all k-subsets, by enumeration.
fn brute_force(v: &[f64], v_null: f64, q: &[f64], k: usize) -> f64 {
    fn rec(
        start: usize,
        k: usize,
        chosen: &mut Vec<usize>,
        v: &[f64],
        v_null: f64,
        q: &[f64],
        best: &mut f64,
    ) {
        if chosen.len() == k {
            *best = best.max(slate_value(v, v_null, q, chosen));
            return;
        }
        for i in start..v.len() {
            chosen.push(i);
            rec(i + 1, k, chosen, v, v_null, q, best);
            chosen.pop();
        }
    }
    let mut best = f64::NEG_INFINITY;
    rec(0, k, &mut Vec::new(), v, v_null, q, &mut best);
    best
}

fn solve(method: SlateOptimizer, v: &[f64], v_null: f64, q: &[f64], k: usize) -> (Vec<usize>, f64) {
    let mut slate = Vec::new();
    let value = SlateSolver::default().solve(method, v, v_null, q, k, &mut slate);
    (slate, value)
}

fn sorted(mut s: Vec<usize>) -> Vec<usize> {
    s.sort_unstable();
    s
}

#[test]
fn reference_worked_example() {
    // Reference §10.4: s_⊥ = 2, s = (2, 1, 1), Q = (1, 3, 3), K = 2.
    let (v, q) = ([2.0, 1.0, 1.0], [1.0, 3.0, 3.0]);
    let (top, top_value) = solve(SlateOptimizer::TopK, &v, 2.0, &q, 2);
    assert_eq!(sorted(top), vec![1, 2]);
    assert!((top_value - 1.5).abs() < 1e-12);
    assert!((slate_value(&v, 2.0, &q, &[0, 1]) - 1.0).abs() < 1e-12);
    let (greedy, greedy_value) = solve(SlateOptimizer::Greedy, &v, 2.0, &q, 2);
    assert_eq!(
        greedy,
        vec![1, 2],
        "item 1 first (3/3 beats 2/4), then item 2"
    );
    assert!((greedy_value - 1.5).abs() < 1e-12);
    let (exact, exact_value) = solve(SlateOptimizer::Exact, &v, 2.0, &q, 2);
    assert_eq!(sorted(exact), vec![1, 2]);
    assert!((exact_value - 1.5).abs() < 1e-12);
    assert!((brute_force(&v, 2.0, &q, 2) - 1.5).abs() < 1e-12);
}

#[test]
fn exact_beats_top_k_when_a_heavy_item_dilutes_the_slate() {
    // Item 0 has the largest v·Q but its huge weight drags the average down.
    let (v, q) = ([10.0, 1.0, 1.0], [1.0, 5.0, 5.0]);
    let (top, top_value) = solve(SlateOptimizer::TopK, &v, 1.0, &q, 2);
    let (exact, exact_value) = solve(SlateOptimizer::Exact, &v, 1.0, &q, 2);
    assert_eq!(sorted(top), vec![0, 1]);
    assert_eq!(sorted(exact), vec![1, 2]);
    assert!(
        exact_value > top_value + 1.0,
        "{exact_value} vs {top_value}"
    );
    assert!((exact_value - brute_force(&v, 1.0, &q, 2)).abs() < 1e-12);
}

#[test]
fn zero_weights_give_zero_value() {
    let (_, value) = solve(SlateOptimizer::Exact, &[0.0, 0.0], 0.0, &[3.0, 4.0], 1);
    assert_eq!(value, 0.0);
}

#[test]
fn slot0_serves_the_best_item_first() {
    let mut slate = Vec::new();
    let value = SlateSolver::default().slot0(&[1.0, 7.0, 3.0], 2, &mut slate);
    assert_eq!(slate, vec![1, 2]);
    assert_eq!(value, 7.0);
}

fn is_valid_slate(slate: &[usize], n: usize, k: usize) -> bool {
    let mut s = slate.to_vec();
    s.sort_unstable();
    s.dedup();
    s.len() == k && slate.len() == k && slate.iter().all(|&i| i < n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// value(exact) = brute force; value(exact) ≥ value(greedy) and ≥ value(top-k); with
    /// non-negative Q every method's value is ≥ 0; every slate has k distinct valid items.
    #[test]
    fn exact_equals_brute_force_and_dominates(
        items in prop::collection::vec((0.0f64..3.0, -5.0f64..5.0), 1..8),
        v_null in prop_oneof![Just(0.0), 0.0f64..3.0],
        k_frac in 0.0f64..1.0,
        non_negative in any::<bool>(),
    ) {
        let n = items.len();
        let k = 1 + ((k_frac * n as f64) as usize).min(n - 1);
        let v: Vec<f64> = items.iter().map(|p| p.0).collect();
        let q: Vec<f64> = items.iter().map(|p| if non_negative { p.1.abs() } else { p.1 }).collect();
        let (exact, exact_value) = solve(SlateOptimizer::Exact, &v, v_null, &q, k);
        let (greedy, greedy_value) = solve(SlateOptimizer::Greedy, &v, v_null, &q, k);
        let (top, top_value) = solve(SlateOptimizer::TopK, &v, v_null, &q, k);
        let best = brute_force(&v, v_null, &q, k);
        let tol = 1e-9 * (1.0 + best.abs());
        prop_assert!((exact_value - best).abs() <= tol, "exact {} vs brute force {}", exact_value, best);
        prop_assert!((slate_value(&v, v_null, &q, &exact) - exact_value).abs() <= tol);
        prop_assert!(exact_value >= greedy_value - tol);
        prop_assert!(exact_value >= top_value - tol);
        for s in [&exact, &greedy, &top] {
            prop_assert!(is_valid_slate(s, n, k), "{:?}", s);
        }
        if non_negative {
            prop_assert!(greedy_value >= 0.0 && top_value >= 0.0 && exact_value >= 0.0);
        }
    }
}
