//! Recommendation policies: what slate to serve, and learning from the user's responses.
//!
//! Agents see only what a real recommender would see: the [`Observation`] (user
//! features, candidate features, previous responses). Oracle baselines, named
//! `oracle-…`, also get an [`OracleView`] of the hidden state; the engine hands it to
//! no other agent.

pub mod bandit;
pub mod baselines;
pub mod exploration;
pub mod oracle_optimal;
pub mod random;
pub mod slateq;
pub mod spec;

use serde::Serialize;

use crate::metrics::Ema;

use crate::sim::rng::SimRng;
use crate::sim::{ObsSpec, Observation, OracleView};

pub use spec::{AgentInfo, AgentSpec, CheckedAgent};

/// Everything an agent may look at when choosing a slate.
pub struct ActContext<'a> {
    /// The current observation.
    pub obs: &'a Observation,
    /// The shape of observations and the choice model's observable form.
    pub spec: &'a ObsSpec,
    /// Hidden state, given only to oracle agents.
    pub oracle: Option<&'a dyn OracleView>,
}

/// One step of experience, as an agent learns from it.
pub struct Transition<'a> {
    /// The observation the slate was chosen on.
    pub obs: &'a Observation,
    /// The slate served (indices into `obs`'s candidates).
    pub slate: &'a [usize],
    /// The next observation; its `responses` are the user's responses to `slate`.
    pub next_obs: &'a Observation,
    /// The reward received.
    pub reward: f64,
    /// The slate position consumed, if any.
    pub clicked: Option<usize>,
    /// The user ended the session: no value beyond this step.
    pub terminal: bool,
    /// The episode was cut by a step cap: the episode ends, but the state is not terminal.
    pub truncated: bool,
}

/// Whether an agent is training (exploring and learning) or being evaluated (greedy, frozen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Explore and learn.
    #[default]
    Train,
    /// Act greedily; the engine does not call `learn`.
    Eval,
}

/// A learner's internal figures, for snapshots and the dashboard. `None` = not applicable.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Internals {
    /// Current exploration rate.
    pub epsilon: Option<f64>,
    /// Running mean of the temporal-difference loss.
    pub td_loss: Option<f64>,
    /// Mean Q-value of the chosen slate (running mean).
    pub mean_q: Option<f64>,
    /// Replay buffer fill and capacity.
    pub replay: Option<(usize, usize)>,
    /// Gradient or model updates done.
    pub updates: Option<u64>,
    /// Mean confidence width of the chosen items (bandits), running mean.
    pub confidence_width: Option<f64>,
}

/// The running mean a learner reports an internal figure with: weight 0.01 on the newest
/// value (about the last hundred), seeded by the first, non-finite values kept.
pub fn internals_mean() -> Ema {
    Ema::new(0.01)
        .expect("0.01 is a valid weight")
        .keeping_non_finite()
}

/// Why a learning agent had to stop.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// A loss or value became NaN or infinite.
    #[error("agent diverged: {0}")]
    Diverged(String),
}

/// A recommendation policy.
pub trait Agent: Send {
    /// Writes K distinct candidate indices into `slate` (cleared first by the caller).
    fn act(&mut self, ctx: &ActContext<'_>, rng: &mut SimRng, slate: &mut Vec<usize>);

    /// Learns from one step. Non-learning agents keep the default, which does nothing.
    fn learn(&mut self, _t: &Transition<'_>, _rng: &mut SimRng) -> Result<(), AgentError> {
        Ok(())
    }

    /// Whether the agent is still sound; an error stops its lane. Checked after every act,
    /// so a learner that diverges while acting greedily (no `learn` calls) is reported too.
    fn health(&self) -> Result<(), AgentError> {
        Ok(())
    }

    /// Switches between training and greedy evaluation.
    fn set_mode(&mut self, _mode: Mode) {}

    /// Internal figures for snapshots.
    fn internals(&self) -> Internals {
        Internals::default()
    }

    /// The learned state, for checkpoints; `None` for agents that learn nothing.
    ///
    /// The value must carry whatever dimensions `load_state` needs to reject a state that
    /// does not fit the scenario.
    fn save_state(&self) -> Option<serde_json::Value> {
        None
    }

    /// Restores a state written by `save_state` of the same agent kind.
    fn load_state(&mut self, _state: serde_json::Value) -> Result<(), CheckpointError> {
        Err(CheckpointError::Unsupported)
    }
}

/// Why a checkpoint could not be loaded into an agent.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// The agent kind keeps no learned state.
    #[error("this agent keeps no learned state")]
    Unsupported,
    /// The checkpoint was made for different feature dimensions or settings.
    #[error("checkpoint does not fit this scenario: {0}")]
    Mismatch(String),
    /// The checkpoint is malformed.
    #[error("corrupt checkpoint: {0}")]
    Corrupt(String),
}

/// Ranking agents pick their slate with the one top-k helper the simulator's oracles use.
pub use crate::sim::common::top_k;
