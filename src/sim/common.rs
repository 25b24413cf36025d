//! Settings every environment shares: slate shape, episode cap, observation options, reward.

use serde::{Deserialize, Serialize};

/// What the agents are rewarded for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RewardKind {
    /// The engagement of the consumed item (watch time in Interest Evolution).
    #[default]
    Engagement,
    /// 1 per click.
    Clicks,
}

/// Checks the slate shape and episode cap shared by every environment.
///
/// Returns the offending field and what is allowed.
pub fn validate_slate(
    num_candidates: usize,
    slate_size: usize,
    max_steps: Option<u32>,
) -> Result<(), (String, String)> {
    if num_candidates == 0 || num_candidates > MAX_CANDIDATES {
        return Err((
            "num_candidates".into(),
            format!("must be in 1..={MAX_CANDIDATES}, got {num_candidates}"),
        ));
    }
    if slate_size == 0 || slate_size > num_candidates {
        return Err((
            "slate_size".into(),
            format!("must be in 1..=num_candidates ({num_candidates}), got {slate_size}"),
        ));
    }
    if max_steps == Some(0) {
        return Err(("max_steps".into(), "must be at least 1 (or None)".into()));
    }
    Ok(())
}

/// The largest candidate set a scenario may ask for (keeps per-step work bounded).
pub const MAX_CANDIDATES: usize = 10_000;

/// Checks that `value` is finite and within `[lo, hi]`.
pub fn check_range(field: &str, value: f64, lo: f64, hi: f64) -> Result<(), (String, String)> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(())
    } else {
        Err((
            field.into(),
            format!("must be a finite number in [{lo}, {hi}], got {value}"),
        ))
    }
}

/// Checks that `value` is finite and strictly positive.
pub fn check_positive(field: &str, value: f64) -> Result<(), (String, String)> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err((
            field.into(),
            format!("must be a finite number > 0, got {value}"),
        ))
    }
}

/// Checks that `value` is finite and ≥ 0.
pub fn check_non_negative(field: &str, value: f64) -> Result<(), (String, String)> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err((
            field.into(),
            format!("must be a finite number ≥ 0, got {value}"),
        ))
    }
}

/// Checks that `value` is finite.
pub fn check_finite(field: &str, value: f64) -> Result<(), (String, String)> {
    if value.is_finite() {
        Ok(())
    } else {
        Err((
            field.into(),
            format!("must be a finite number, got {value}"),
        ))
    }
}
