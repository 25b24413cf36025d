//! ε schedules: how often a learner explores as training goes on (the bandits' and SlateQ's).

use serde::{Deserialize, Serialize};

use crate::sim::FieldError;
use crate::sim::common::{check_positive, check_range};

/// How ε changes with t, the number of training steps acted so far (counted across episodes).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum EpsilonSchedule {
    /// ε_t = ε.
    Constant(f64),
    /// ε goes linearly from `start` to `end` over the first `steps` steps, then stays at `end`.
    Linear {
        /// ε_0, in [0, 1].
        start: f64,
        /// ε for t ≥ steps, in [0, 1].
        end: f64,
        /// Length of the decay (≥ 1).
        steps: u64,
    },
    /// ε_t = start / (1 + t / half_life): halves after `half_life` steps, ~1/t later on.
    Inverse {
        /// ε_0, in [0, 1].
        start: f64,
        /// Steps until ε is start / 2 (> 0).
        half_life: f64,
    },
    /// ε stays at `start` for `warmup_steps`, then goes linearly to `end` over `decay_steps`
    /// (instantly when 0). SlateQ's schedule: scenario files write it as SlateQ's
    /// `exploration` entry, so it has no syntax of its own here.
    #[serde(skip)]
    WarmupLinear {
        /// ε during warm-up, in [0, 1].
        start: f64,
        /// ε after the decay, in [0, 1].
        end: f64,
        /// Steps at `start`.
        warmup_steps: u64,
        /// Steps of the decay.
        decay_steps: u64,
    },
}

impl EpsilonSchedule {
    /// ε after `t` training steps.
    pub fn at(&self, t: u64) -> f64 {
        match *self {
            Self::Constant(e) => e,
            Self::Linear { start, end, steps } => {
                let f = (t as f64 / steps as f64).min(1.0);
                // Weighted so t ≥ steps gives exactly `end`.
                start * (1.0 - f) + end * f
            }
            Self::Inverse { start, half_life } => start / (1.0 + t as f64 / half_life),
            Self::WarmupLinear {
                start,
                end,
                warmup_steps,
                decay_steps,
            } => {
                if t < warmup_steps {
                    return start;
                }
                let into = (t - warmup_steps) as f64;
                if decay_steps == 0 || into >= decay_steps as f64 {
                    return end;
                }
                start + (end - start) * into / decay_steps as f64
            }
        }
    }

    /// Checks the values; field names are relative to `epsilon`.
    pub fn validate(&self) -> Result<(), FieldError> {
        let prob = |field: &str, v| check_range(field, v, 0.0, 1.0);
        match *self {
            Self::Constant(e) => prob("epsilon", e)?,
            Self::Linear { start, end, steps } => {
                prob("epsilon.start", start)?;
                prob("epsilon.end", end)?;
                if steps == 0 {
                    return Err(FieldError::new("epsilon.steps", "must be at least 1"));
                }
            }
            Self::Inverse { start, half_life } => {
                prob("epsilon.start", start)?;
                check_positive("epsilon.half_life", half_life)?;
            }
            Self::WarmupLinear { start, end, .. } => {
                prob("epsilon.start", start)?;
                prob("epsilon.end", end)?;
            }
        }
        Ok(())
    }
}
