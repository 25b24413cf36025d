//! ε-greedy over the ridge estimate, with a schedule for ε.

use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::learner::LinearLearner;
use super::params::{ModelParams, flat_entry};
use crate::agent::exploration::EpsilonSchedule;
use crate::agent::random::random_slate;
use crate::agent::{
    ActContext, Agent, AgentError, CheckpointError, Internals, Mode, Transition, top_k,
};
use crate::sim::FieldError;
use crate::sim::ObsSpec;
use crate::sim::rng::SimRng;

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
