//! The uniformly random recommender.

use rand::RngExt;

use super::{ActContext, Agent};
use crate::sim::rng::SimRng;

/// Serves K distinct candidates drawn uniformly at random (a partial Fisher–Yates shuffle).
#[derive(Clone, Copy, Debug, Default)]
pub struct RandomAgent;

impl Agent for RandomAgent {
    fn act(&mut self, ctx: &ActContext<'_>, rng: &mut SimRng, slate: &mut Vec<usize>) {
        random_slate(ctx.obs.num_candidates(), ctx.spec.slate_size, rng, slate);
    }
}

/// Writes `k` distinct uniformly random indices in `0..n` into `slate`, without allocating
/// beyond `slate` itself (rejection of repeats: cheap because k ≪ n in every scenario).
pub fn random_slate(n: usize, k: usize, rng: &mut SimRng, slate: &mut Vec<usize>) {
    slate.clear();
    let k = k.min(n);
    if 2 * k > n {
        // Dense case: a partial Fisher–Yates shuffle over all indices.
        slate.extend(0..n);
        for i in 0..k {
            let j = rng.random_range(i..n);
            slate.swap(i, j);
        }
        slate.truncate(k);
        return;
    }
    while slate.len() < k {
        let i = rng.random_range(0..n);
        if !slate.contains(&i) {
            slate.push(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Phase, Purpose, StreamKey};
    use proptest::prelude::*;

    fn rng(seed: u64) -> SimRng {
        StreamKey {
            seed,
            purpose: Purpose::AgentAct,
            lane: 0,
            episode: 0,
            phase: Phase::Train,
        }
        .rng()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn slates_are_distinct_and_in_range(n in 1usize..40, k in 1usize..40, seed in any::<u64>()) {
            let mut r = rng(seed);
            let mut slate = Vec::new();
            random_slate(n, k, &mut r, &mut slate);
            prop_assert_eq!(slate.len(), k.min(n));
            let mut sorted = slate.clone();
            sorted.sort_unstable();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), slate.len());
            prop_assert!(slate.iter().all(|&i| i < n));
        }
    }

    #[test]
    fn every_item_is_equally_likely() {
        let mut r = rng(1);
        let mut counts = [0usize; 10];
        let mut slate = Vec::new();
        let draws = 50_000;
        for _ in 0..draws {
            random_slate(10, 2, &mut r, &mut slate);
            for &i in &slate {
                counts[i] += 1;
            }
        }
        let expected = f64::from(draws) * 2.0 / 10.0;
        for c in counts {
            assert!(
                (c as f64 - expected).abs() < 5.0 * expected.sqrt(),
                "{counts:?}"
            );
        }
    }
}
