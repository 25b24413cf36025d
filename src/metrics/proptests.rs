//! Property tests of the statistics against direct computations.

use proptest::prelude::*;

use super::fixtures::summary;
use super::paired::paired_difference;
use super::stats::RunningStats;

fn two_pass(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * scale.max(1.0)
}

fn values() -> impl Strategy<Value = Vec<f64>> {
    // A common offset up to 1e6 with spread up to 1e3 exercises cancellation.
    (-1e6..1e6f64, prop::collection::vec(-1e3..1e3f64, 2..200))
        .prop_map(|(offset, xs)| xs.into_iter().map(|x| offset + x).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn welford_matches_two_pass(xs in values()) {
        let s: RunningStats = xs.iter().copied().collect();
        let (mean, var) = two_pass(&xs);
        prop_assert!(close(s.mean(), mean, mean.abs()), "{} vs {mean}", s.mean());
        prop_assert!(close(s.variance(), var, var * 1e3), "{} vs {var}", s.variance());
        prop_assert_eq!(s.min(), xs.iter().copied().fold(f64::INFINITY, f64::min));
        prop_assert_eq!(s.max(), xs.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    }

    #[test]
    fn merge_is_associative_and_matches_sequential(
        xs in values(),
        cut1 in 0.0..1.0f64,
        cut2 in 0.0..1.0f64,
    ) {
        let (i, j) = {
            let a = (cut1 * xs.len() as f64) as usize;
            let b = (cut2 * xs.len() as f64) as usize;
            (a.min(b), a.max(b))
        };
        let part = |r: &[f64]| r.iter().copied().collect::<RunningStats>();
        let (a, b, c) = (part(&xs[..i]), part(&xs[i..j]), part(&xs[j..]));
        let mut left = a;
        left.merge(&b);
        left.merge(&c);
        let mut bc = b;
        bc.merge(&c);
        let mut right = a;
        right.merge(&bc);
        let whole = part(&xs);
        for s in [left, right] {
            prop_assert_eq!(s.count(), whole.count());
            prop_assert!(close(s.mean(), whole.mean(), whole.mean().abs()));
            prop_assert!(close(s.variance(), whole.variance(), whole.variance() * 1e3));
            prop_assert_eq!((s.min(), s.max()), (whole.min(), whole.max()));
        }
    }

    #[test]
    fn ci_contains_the_mean_and_widens_with_spread(xs in values(), scale in 1.0..10.0f64) {
        let s: RunningStats = xs.iter().copied().collect();
        let (lo, hi) = s.ci95();
        prop_assert!(lo <= s.mean() && s.mean() <= hi);
        let mean = s.mean();
        let wider: RunningStats = xs.iter().map(|x| mean + scale * (x - mean)).collect();
        prop_assert!(wider.ci95_half_width() >= s.ci95_half_width() * (1.0 - 1e-9));
    }

    #[test]
    fn paired_difference_is_the_mean_of_differences(
        pairs in prop::collection::vec((-50.0..50.0f64, -50.0..50.0f64), 2..100),
        skip_every in 2usize..7,
    ) {
        // b lacks every `skip_every`-th episode, so only common episodes may count.
        let a: Vec<_> = pairs.iter().enumerate()
            .map(|(i, (x, _))| summary(i as u64, 0, *x, 1)).collect();
        let b: Vec<_> = pairs.iter().enumerate()
            .filter(|(i, _)| i % skip_every != 0)
            .map(|(i, (_, y))| summary(i as u64, 0, *y, 1)).collect();
        let diffs: Vec<f64> = pairs.iter().enumerate()
            .filter(|(i, _)| i % skip_every != 0)
            .map(|(_, (x, y))| x - y).collect();
        match paired_difference(&a, &b) {
            None => prop_assert!(diffs.is_empty()),
            Some(p) => {
                prop_assert_eq!(p.episodes as usize, diffs.len());
                let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
                prop_assert!(close(p.mean_diff, mean, 50.0));
                if diffs.len() >= 2 {
                    let (_, var) = two_pass(&diffs);
                    prop_assert!(close(p.se, (var / diffs.len() as f64).sqrt(), 50.0));
                }
            }
        }
    }
}
