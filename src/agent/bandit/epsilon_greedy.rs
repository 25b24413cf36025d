//! ε-greedy over the ridge estimate, with a schedule for ε.

use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::learner::LinearLearner;
use super::params::{ModelParams, flat_entry};
use crate::agent::random::random_slate;
use crate::agent::{
    ActContext, Agent, AgentError, CheckpointError, Internals, Mode, Transition, top_k,
};
use crate::sim::FieldError;
use crate::sim::ObsSpec;
use crate::sim::common::{check_positive, check_range};
use crate::sim::rng::SimRng;

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
        }
        Ok(())
    }
}

/// Parameters of `epsilon-greedy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "EpsilonGreedyEntry", into = "EpsilonGreedyEntry")]
pub struct EpsilonGreedyParams {
    /// The exploration rate and how it decays (default: constant 0.1).
    pub epsilon: EpsilonSchedule,
    /// The ridge model, its features and credit.
    pub model: ModelParams,
}

impl Default for EpsilonGreedyParams {
    fn default() -> Self {
        Self {
            epsilon: EpsilonSchedule::Constant(0.1),
            model: ModelParams::default(),
        }
    }
}

flat_entry!(EpsilonGreedyEntry for EpsilonGreedyParams named "EpsilonGreedyParams", epsilon: EpsilonSchedule);

impl EpsilonGreedyParams {
    /// Checks the parameters against the scenario; returns the field and what is allowed.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        self.epsilon.validate()?;
        self.model.validate(spec)
    }
}

/// ε-greedy: with probability ε_t a uniformly random slate (one coin per step), otherwise
/// the top K by xᵀθ̂. Evaluation is greedy.
#[derive(Clone, Debug)]
pub struct EpsilonGreedy {
    schedule: EpsilonSchedule,
    core: LinearLearner,
    mode: Mode,
}

impl EpsilonGreedy {
    /// The name used in scenario files, outputs and checkpoints.
    pub const NAME: &'static str = "epsilon-greedy";

    /// An ε-greedy agent for environments shaped like `spec`. Validate `params` first.
    pub fn new(params: &EpsilonGreedyParams, spec: &ObsSpec) -> Self {
        let core = LinearLearner::new(&params.model, false, spec);
        Self {
            schedule: params.epsilon,
            core,
            mode: Mode::Train,
        }
    }

    /// θ̂, the current estimate (with one model per cluster, cluster 0's).
    pub fn theta(&self) -> &[f64] {
        self.core.models[0].theta()
    }

    /// The exploration rate the next training step uses.
    pub fn epsilon(&self) -> f64 {
        self.schedule.at(self.core.steps)
    }
}

impl Agent for EpsilonGreedy {
    fn act(&mut self, ctx: &ActContext<'_>, rng: &mut SimRng, slate: &mut Vec<usize>) {
        if self.mode == Mode::Train {
            let explore = rng.random::<f64>() < self.epsilon();
            self.core.steps += 1;
            if explore {
                random_slate(ctx.obs.num_candidates(), ctx.spec.slate_size, rng, slate);
                return;
            }
        }
        self.core.featurize(ctx.obs);
        self.core.mean_scores();
        top_k(&self.core.scores, ctx.spec.slate_size, slate);
    }

    fn learn(&mut self, t: &Transition<'_>, _rng: &mut SimRng) -> Result<(), AgentError> {
        self.core.learn(t, |_| {})
    }

    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    fn internals(&self) -> Internals {
        Internals {
            epsilon: Some(if self.mode == Mode::Train {
                self.epsilon()
            } else {
                0.0
            }),
            updates: Some(self.core.updates()),
            ..Internals::default()
        }
    }

    fn save_state(&self) -> Option<serde_json::Value> {
        Some(self.core.save(Self::NAME))
    }

    fn load_state(&mut self, state: serde_json::Value) -> Result<(), CheckpointError> {
        self.core.load(Self::NAME, state)
    }
}
