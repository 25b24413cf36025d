//! Linear-bandit parameters as written in scenario files.

use serde::{Deserialize, Serialize};

use crate::sim::FieldError;
use crate::sim::common::{check_range, show, validate_slate};
use crate::sim::population::SegmentConfig;
use crate::sim::schedule::ShiftConfig;

/// The largest feature dimension a linear-bandit scenario may ask for.
pub const MAX_DIMENSION: usize = 1024;

/// Largest `noise_stddev`, |`scale`| and |θ entry|. Expected rewards are about θ·x ≈ ±1 (unit θ,
/// ‖x‖ ≈ 1), so noise a million times that leaves nothing to learn; bounded, every reward stays
/// many orders of magnitude below what learners accept (the ridge update refuses targets beyond
/// 1e100, and larger rewards overflow when squared), however the noise falls.
pub const REWARD_LIMIT: f64 = 1e6;

/// A synthetic linear contextual bandit where the truth is known.
///
/// Each step offers N candidates with features x_i ~ N(0, I/d) (so ‖x‖² ≈ 1); the user
/// consumes slot 0 and the reward is `scale · θ·x + N(0, noise_stddev²)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinearBanditConfig {
    /// d, the number of features per candidate.
    pub dimension: usize,
    /// N, candidates offered per step.
    pub num_candidates: usize,
    /// K, items per slate (only slot 0 is consumed).
    pub slate_size: usize,
    /// σ, the standard deviation of the reward noise.
    pub noise_stddev: f64,
    /// θ (length d, used as given); default: a random unit vector drawn from the seed's corpus stream.
    pub theta: Option<Vec<f64>>,
    /// Steps per episode (the user never leaves on their own).
    pub max_steps: u32,
    /// Draw fresh candidates every step; otherwise one corpus for the whole run.
    pub resample_documents: bool,
    /// The user population; default: one segment with scale 1.
    pub population: Vec<SegmentConfig<LinearBanditUser>>,
    /// Scheduled changes of the population during training (none by default).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<ShiftConfig<LinearBanditUser>>,
}

impl Default for LinearBanditConfig {
    fn default() -> Self {
        Self {
            dimension: 8,
            num_candidates: 10,
            slate_size: 1,
            noise_stddev: 0.1,
            theta: None,
            max_steps: 100,
            resample_documents: true,
            population: vec![SegmentConfig {
                name: "all".into(),
                share: 1.0,
                user: LinearBanditUser::default(),
            }],
            shifts: Vec::new(),
        }
    }
}

impl LinearBanditConfig {
    /// Checks everything but the population; fields are relative to the configuration.
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.dimension == 0 || self.dimension > MAX_DIMENSION {
            return Err(FieldError::new(
                "dimension",
                format!("must be in 1..={MAX_DIMENSION}, got {}", self.dimension),
            ));
        }
        validate_slate(self.num_candidates, self.slate_size, Some(self.max_steps))?;
        check_range("noise_stddev", self.noise_stddev, 0.0, REWARD_LIMIT)?;
        if let Some(theta) = &self.theta {
            if theta.len() != self.dimension {
                return Err(FieldError::new(
                    "theta",
                    format!(
                        "needs `dimension` ({}) values, got {}",
                        self.dimension,
                        theta.len()
                    ),
                ));
            }
            if let Some(x) = theta
                .iter()
                .find(|x| !x.is_finite() || x.abs() > REWARD_LIMIT)
            {
                return Err(FieldError::new(
                    "theta",
                    format!(
                        "values must be finite numbers in [-{REWARD_LIMIT}, {REWARD_LIMIT}], got {}",
                        show(*x)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// One segment's user model: how strongly its reward responds to what it is served.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinearBanditUser {
    /// Multiplies θ·x for this segment's users (negative: they dislike what others like).
    pub scale: f64,
}

impl Default for LinearBanditUser {
    fn default() -> Self {
        Self { scale: 1.0 }
    }
}

impl LinearBanditUser {
    /// Checks the segment's parameters; fields are relative to the segment's `user`.
    pub fn validate(&self) -> Result<(), FieldError> {
        check_range("scale", self.scale, -REWARD_LIMIT, REWARD_LIMIT)
    }
}
