//! What every environment shares: slate shape, episode cap, reward, validation helpers, and the
//! top-k slate selection that myopic oracles and ranking agents use.

use serde::{Deserialize, Serialize};

use super::FieldError;
use super::population::PopulationError;

/// What the agents are rewarded for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RewardKind {
    /// The engagement of the consumed item (watch time in Interest Evolution).
    #[default]
    Engagement,
    /// 1 per click.
    Clicks,
    /// +1 when the user clicks and their satisfaction after the step's transition is strictly
    /// higher than before it, else 0 (the RLlib tutorial's reward; Long-Term Satisfaction only).
    SatisfyingClicks,
}

impl RewardKind {
    /// Refuses [`RewardKind::SatisfyingClicks`] in an environment (`env`, as a scenario names it)
    /// whose users have no satisfaction state that a step moves.
    pub fn check_without_satisfaction(self, env: &str) -> Result<(), FieldError> {
        if self == Self::SatisfyingClicks {
            return Err(FieldError::new(
                "reward",
                format!(
                    "SatisfyingClicks needs a user satisfaction that each step moves, which only \
                     LongTermSatisfaction offers; {env} accepts Engagement or Clicks"
                ),
            ));
        }
        Ok(())
    }
}

/// Checks the slate shape and episode cap shared by every environment.
pub fn validate_slate(
    num_candidates: usize,
    slate_size: usize,
    max_steps: Option<u32>,
) -> Result<(), FieldError> {
    if num_candidates == 0 || num_candidates > MAX_CANDIDATES {
        return Err(FieldError::new(
            "num_candidates",
            format!("must be in 1..={MAX_CANDIDATES}, got {num_candidates}"),
        ));
    }
    if slate_size == 0 || slate_size > num_candidates {
        return Err(FieldError::new(
            "slate_size",
            format!("must be in 1..=num_candidates ({num_candidates}), got {slate_size}"),
        ));
    }
    match max_steps {
        Some(steps) => check_max_steps(steps),
        None => Ok(()),
    }
}

/// The step ceiling: no episode runs longer. `max_steps` (and Long-Term Satisfaction's
/// `time_budget`) may not exceed it, and an episode nothing else ends (Interest Evolution without
/// `max_steps`, whose users may never run out of budget) is cut here as truncated. Generous: the
/// stock scenarios' longest episodes are a few hundred steps.
pub const MAX_EPISODE_STEPS: u32 = 100_000;

/// Checks a configured `max_steps`: at least 1 and at most [`MAX_EPISODE_STEPS`].
pub fn check_max_steps(steps: u32) -> Result<(), FieldError> {
    if (1..=MAX_EPISODE_STEPS).contains(&steps) {
        Ok(())
    } else {
        Err(FieldError::new(
            "max_steps",
            format!("must be in 1..={MAX_EPISODE_STEPS} (the step ceiling), got {steps}"),
        ))
    }
}

/// The largest candidate set a scenario may ask for (keeps per-step work bounded).
pub const MAX_CANDIDATES: usize = 10_000;

/// `x` as a message shows it: in scientific notation when huge, so that 1e308 is not 309 digits.
pub fn show(x: f64) -> String {
    if x.is_finite() && x.abs() >= 1e16 {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// Checks that `value` is finite and within `[lo, hi]`.
pub fn check_range(field: &str, value: f64, lo: f64, hi: f64) -> Result<(), FieldError> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "must be a finite number in [{lo}, {hi}], got {}",
                show(value)
            ),
        ))
    }
}

/// Checks that `value` is finite and strictly positive.
pub fn check_positive(field: &str, value: f64) -> Result<(), FieldError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("must be a finite number > 0, got {}", show(value)),
        ))
    }
}

/// Checks that `value` is finite and ≥ 0.
pub fn check_non_negative(field: &str, value: f64) -> Result<(), FieldError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("must be a finite number ≥ 0, got {}", show(value)),
        ))
    }
}

/// Checks that `value` is finite.
pub fn check_finite(field: &str, value: f64) -> Result<(), FieldError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("must be a finite number, got {}", show(value)),
        ))
    }
}

/// Turns a population error into a path relative to the environment configuration.
pub fn population_error(e: PopulationError) -> FieldError {
    let field = match e.segment {
        Some(i) => format!("population[{i}].{}", e.field),
        None => e.field,
    };
    FieldError::new(field, e.message)
}

/// Writes the indices of the `k` largest `key(i)` over `0..n` into `slate`, best first.
///
/// Ties go to the lower index and NaN keys rank last, so a broken score can never hide a valid
/// candidate. (The oracles' and the agents' former copies applied this same comparison, so
/// unifying them changed no slate, NaN or not.) O(n·k) with no scratch memory, which is cheap for the candidate counts scenarios
/// use and keeps `&self` oracles allocation-free.
pub fn top_k_by(n: usize, k: usize, key: impl Fn(usize) -> f64, slate: &mut Vec<usize>) {
    slate.clear();
    for _ in 0..k.min(n) {
        let mut best: Option<(usize, f64)> = None;
        for i in (0..n).filter(|i| !slate.contains(i)) {
            let v = key(i);
            let better = match best {
                None => true,
                Some((_, b)) => v > b || (b.is_nan() && !v.is_nan()),
            };
            if better {
                best = Some((i, v));
            }
        }
        match best {
            Some((i, _)) => slate.push(i),
            None => break,
        }
    }
}

/// [`top_k_by`] over a slice: the indices of the `k` largest `scores`, best first.
pub fn top_k(scores: &[f64], k: usize, slate: &mut Vec<usize>) {
    top_k_by(scores.len(), k, |i| scores[i], slate);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn top_k_is_best_first_with_low_index_ties() {
        let keys = [0.1, 0.9, 0.5, 0.9, f64::NAN];
        let mut slate = Vec::new();
        top_k_by(keys.len(), 3, |i| keys[i], &mut slate);
        assert_eq!(slate, vec![1, 3, 2]);
        top_k_by(2, 5, |i| keys[i], &mut slate);
        assert_eq!(slate, vec![1, 0]);
    }

    #[test]
    fn top_k_picks_largest_distinct_best_first() {
        let mut slate = Vec::new();
        top_k(&[0.1, 0.9, 0.5, 0.9], 3, &mut slate);
        assert_eq!(slate, vec![1, 3, 2]);
    }

    #[test]
    fn top_k_ranks_nan_last() {
        let mut slate = Vec::new();
        top_k(&[f64::NAN, 0.2, f64::NAN], 2, &mut slate);
        assert_eq!(slate[0], 1);
        assert_eq!(slate.len(), 2);
    }

    #[test]
    fn huge_values_show_in_scientific_notation() {
        assert_eq!(show(1e308), "1e308");
        assert_eq!(show(-2.5e20), "-2.5e20");
        assert_eq!(show(0.25), "0.25");
        assert_eq!(show(f64::INFINITY), "inf");
        let err = check_range("noise_stddev", 1e308, 0.0, 1e6).unwrap_err();
        assert_eq!(
            err.message,
            "must be a finite number in [0, 1000000], got 1e308"
        );
    }

    #[test]
    fn max_steps_is_bounded_by_the_step_ceiling() {
        assert!(check_max_steps(1).is_ok());
        assert!(check_max_steps(MAX_EPISODE_STEPS).is_ok());
        for bad in [0, MAX_EPISODE_STEPS + 1, u32::MAX] {
            let err = check_max_steps(bad).unwrap_err();
            assert_eq!(err.field, "max_steps");
            assert!(err.message.contains("1..=100000"), "{}", err.message);
        }
        assert!(validate_slate(10, 2, None).is_ok());
        assert!(validate_slate(10, 2, Some(MAX_EPISODE_STEPS + 1)).is_err());
    }

    #[test]
    fn population_error_paths_name_the_segment() {
        let seg = population_error(PopulationError {
            segment: Some(1),
            field: "user.scale".into(),
            message: "bad".into(),
        });
        assert_eq!(seg, FieldError::new("population[1].user.scale", "bad"));
        let top = population_error(PopulationError {
            segment: None,
            field: "population".into(),
            message: "empty".into(),
        });
        assert_eq!(top, FieldError::new("population", "empty"));
    }

    #[test]
    fn field_errors_nest_under_a_prefix() {
        let nested = FieldError::new("adam.lr", "bad").within("network");
        assert_eq!(nested, FieldError::new("network.adam.lr", "bad"));
        let whole = FieldError::new("", "unsupported").within("agents[2]");
        assert_eq!(whole, FieldError::new("agents[2]", "unsupported"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn top_k_matches_a_stable_sort_with_nan_last(
            keys in prop::collection::vec(
                prop_oneof![Just(f64::NAN), Just(0.0), Just(-0.0), -2.0f64..2.0],
                0..12,
            ),
            k in 0usize..14,
        ) {
            let mut want: Vec<usize> = (0..keys.len()).collect();
            want.sort_by(|&a, &b| match (keys[a].is_nan(), keys[b].is_nan()) {
                (false, false) => keys[b].partial_cmp(&keys[a]).expect("not NaN"),
                (x, y) => x.cmp(&y),
            });
            want.truncate(k);
            let mut got = Vec::new();
            top_k(&keys, k, &mut got);
            prop_assert_eq!(got, want);
        }
    }
}
