//! SlateQ's hyper-parameters as written in scenario files, with their validation.

use serde::{Deserialize, Serialize};

use super::choice::ChoiceSetting;
use super::features::{FeatureLayout, FeatureOptions};
use super::network::NetworkConfig;
use super::optimize::SlateOptimizer;
use super::prioritized::{PrioritizedParams, ReplayKind};
use crate::agent::exploration::EpsilonSchedule;
use crate::sim::FieldError;
use crate::sim::ObsSpec;
use crate::sim::common::{check_positive, check_range};

/// How the bootstrap target values the next state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TargetKind {
    /// Q-learning: the best next slate, found by this optimiser (the paper's OT/GT/TT).
    QLearning(SlateOptimizer),
    /// SARSA: the slate actually served next.
    Sarsa,
}

/// How the target network follows the online one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum TargetUpdate {
    /// Copy the online weights every this many training updates.
    Hard {
        /// Updates between copies (≥ 1).
        every_updates: u64,
    },
    /// After every update, θ_target ← (1 − τ)θ_target + τθ_online.
    Soft {
        /// τ in (0, 1].
        tau: f64,
    },
}

/// ε-greedy exploration over training steps: `start` during warm-up, then a linear decay to `end`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "EpsilonSchedule", deny_unknown_fields, default)]
pub struct Exploration {
    /// ε during warm-up.
    pub start: f64,
    /// ε after the decay.
    pub end: f64,
    /// Training steps at `start`.
    pub warmup_steps: u64,
    /// Training steps of the linear decay from `start` to `end`.
    pub decay_steps: u64,
    /// ε in evaluation mode (0 = greedy).
    pub eval: f64,
}

impl Default for Exploration {
    fn default() -> Self {
        Self {
            start: 1.0,
            end: 0.01,
            warmup_steps: 10_000,
            decay_steps: 50_000,
            eval: 0.0,
        }
    }
}

impl Exploration {
    /// The training schedule, in the form every learner's ε follows.
    pub fn schedule(&self) -> EpsilonSchedule {
        EpsilonSchedule::WarmupLinear {
            start: self.start,
            end: self.end,
            warmup_steps: self.warmup_steps,
            decay_steps: self.decay_steps,
        }
    }

    /// ε after `step` training steps.
    pub fn at(&self, step: u64) -> f64 {
        self.schedule().at(step)
    }

    fn validate(&self) -> Result<(), FieldError> {
        check_range("start", self.start, 0.0, 1.0)?;
        check_range("end", self.end, 0.0, 1.0)?;
        check_range("eval", self.eval, 0.0, 1.0)?;
        Ok(())
    }
}

/// Parameters of the `slateq` agent. Defaults follow RecSim/RLlib where they are sensible.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlateQParams {
    /// Discount γ in [0, 1]; 0 is "myopic SlateQ".
    pub gamma: f64,
    /// The item-value network and its optimiser.
    pub network: NetworkConfig,
    /// How the served slate is chosen.
    pub serve: SlateOptimizer,
    /// How the bootstrap target values the next state.
    pub target: TargetKind,
    /// Double Q-learning: the online network picks the next slate, the target network values it.
    pub double_q: bool,
    /// How the target network follows the online one.
    pub target_update: TargetUpdate,
    /// Comparison only: evaluate the target network on the *current* state and candidates, with
    /// choice weights from the next observation, as RecSim and RLlib do (recsim#26). Wrong.
    pub target_from_current_obs: bool,
    /// Transitions per training batch.
    pub batch_size: usize,
    /// Environment steps between training updates (RLlib: 4).
    pub train_every: u32,
    /// Stored transitions needed before training starts.
    pub learning_starts: usize,
    /// Replay buffer capacity (transitions).
    pub replay_capacity: usize,
    /// How the buffer is sampled: `Prioritized(...)` by TD error (default), or `Uniform` as
    /// RecSim and RLlib do. Prioritised replay learned markedly more on Interest Evolution
    /// (about +23 per session at 120,000 steps, +19 at 300,000), more on choc-kale (+9 over
    /// nine seeds) and as much on Long-Term Satisfaction, at no measurable cost in time
    /// (docs/results.md, "SlateQ").
    pub replay: ReplayKind,
    /// ε-greedy exploration.
    pub exploration: Exploration,
    /// The choice model the agent assumes (see [`ChoiceSetting`]).
    pub choice: ChoiceSetting,
    /// SGD step size of the learned conditional-logit choice model.
    pub choice_lr: f64,
    /// Also learn from no-click steps, as consumption of the null item whose value Q̄(s, ⊥) is
    /// then learned and enters slate values (the paper's general form, §6.1). On by default: a
    /// session goes on after a step without a click, so fixing Q̄(s, ⊥) = 0 (RecSim, `false`:
    /// clicked steps only) tells the agent every no-click ends all future value, which makes
    /// it chase clicks and shrinks its horizon to a few steps. No effect where the user
    /// always consumes slot 0 (no null item).
    pub learn_null_value: bool,
    /// Append the previous step's responses (click, log1p(engagement) per slot) to the state.
    /// `None`: on when the user observation (time feature aside) is empty, as in choc-kale.
    pub use_responses: Option<bool>,
    /// Append the features of the slate served last step, which the responses refer to.
    /// `None`: same as `use_responses`.
    pub use_served_features: Option<bool>,
    /// Append running totals of the episode's responses (steps, steps without a click,
    /// consumed engagement, consumed quality where revealed; × 0.01) to the state. `None`: on
    /// when episodes have no step bound, so end on hidden state (Interest Evolution's budget,
    /// which these totals determine).
    pub use_history: Option<bool>,
    /// Append a one-hot of each candidate's cluster id to its features. `None`: on when
    /// documents carry clusters and have fewer features than clusters (so cannot one-hot them;
    /// the stock environments already do).
    pub cluster_one_hot: Option<bool>,
    /// Save Adam's moments in checkpoints so training resumes exactly.
    pub save_optimizer_state: bool,
}

impl Default for SlateQParams {
    fn default() -> Self {
        Self {
            gamma: 0.99,
            network: NetworkConfig::default(),
            serve: SlateOptimizer::Exact,
            target: TargetKind::QLearning(SlateOptimizer::Exact),
            double_q: false,
            target_update: TargetUpdate::Hard { every_updates: 800 },
            target_from_current_obs: false,
            batch_size: 32,
            train_every: 4,
            learning_starts: 1_000,
            replay_capacity: 100_000,
            replay: ReplayKind::Prioritized(PrioritizedParams::default()),
            exploration: Exploration::default(),
            choice: ChoiceSetting::Auto,
            choice_lr: 0.05,
            learn_null_value: true,
            use_responses: None,
            use_served_features: None,
            use_history: None,
            cluster_one_hot: None,
            save_optimizer_state: true,
        }
    }
}

/// Most weights and biases a network may have (each is held five times: online and target
/// weights, gradient, Adam's two moments; 2²⁴ of them take about 320 MiB).
pub const MAX_NETWORK_PARAMETERS: usize = 1 << 24;

/// Largest replay buffer accepted (bounds memory: each transition holds N candidate rows).
pub const MAX_REPLAY_CAPACITY: usize = 10_000_000;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
/// Largest replay buffer memory accepted, in bytes.
const MAX_REPLAY_BYTES: f64 = 4.0 * GIB;
/// Largest memory accepted for one update's activations and their gradients, in bytes.
const MAX_ACTIVATION_BYTES: f64 = 4.0 * GIB;

impl SlateQParams {
    /// The parameters of "myopic SlateQ": γ = 0, everything else default.
    pub fn myopic() -> Self {
        Self {
            gamma: 0.0,
            ..Self::default()
        }
    }

    /// The options that shape SlateQ's feature layout.
    pub fn feature_options(&self) -> FeatureOptions {
        FeatureOptions {
            use_responses: self.use_responses,
            use_served_features: self.use_served_features,
            use_history: self.use_history,
            cluster_one_hot: self.cluster_one_hot,
            learn_null_value: self.learn_null_value,
        }
    }

    /// Checks the parameters against the environment; returns `(field, message)` on error.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        check_range("gamma", self.gamma, 0.0, 1.0)?;
        self.network.validate().map_err(|e| e.within("network"))?;
        if self.batch_size == 0 {
            return Err(FieldError::new("batch_size", "must be ≥ 1"));
        }
        if self.train_every == 0 {
            return Err(FieldError::new("train_every", "must be ≥ 1"));
        }
        if self.replay_capacity == 0 || self.replay_capacity > MAX_REPLAY_CAPACITY {
            return Err(FieldError::new(
                "replay_capacity",
                format!(
                    "must be in 1..={MAX_REPLAY_CAPACITY}, got {}",
                    self.replay_capacity
                ),
            ));
        }
        if self.learning_starts > self.replay_capacity {
            return Err(FieldError::new(
                "learning_starts",
                format!(
                    "must be ≤ replay_capacity ({}), got {}",
                    self.replay_capacity, self.learning_starts
                ),
            ));
        }
        if let ReplayKind::Prioritized(p) = &self.replay {
            p.validate().map_err(|e| e.within("replay"))?;
        }
        match self.target_update {
            TargetUpdate::Hard { every_updates: 0 } => {
                return Err(FieldError::new(
                    "target_update.every_updates",
                    "must be ≥ 1",
                ));
            }
            TargetUpdate::Soft { tau } if !(tau.is_finite() && tau > 0.0 && tau <= 1.0) => {
                return Err(FieldError::new(
                    "target_update.tau",
                    format!("must be a finite number in (0, 1], got {tau}"),
                ));
            }
            TargetUpdate::Soft { .. } => {}
            TargetUpdate::Hard { .. } => {}
        }
        self.exploration
            .validate()
            .map_err(|e| e.within("exploration"))?;
        check_positive("choice_lr", self.choice_lr)?;
        self.choice
            .validate(spec)
            .map_err(|m| FieldError::new("choice", m))?;
        let layout = FeatureLayout::new(spec, self.feature_options());
        if layout.base_dim == 0 {
            return Err(FieldError::new(
                String::new(),
                "SlateQ needs candidates with features",
            ));
        }
        let parameters = self.network.parameters(layout.input_dim());
        if parameters > MAX_NETWORK_PARAMETERS {
            return Err(FieldError::new(
                "network.hidden",
                format!(
                    "these widths make {parameters} weights and biases for this scenario's {} \
                     inputs; at most {MAX_NETWORK_PARAMETERS} are allowed",
                    layout.input_dim()
                ),
            ));
        }
        // An update runs the batch's next candidates (and null rows) through the network,
        // keeping every layer's outputs and their gradients.
        let batch_rows = self.batch_size as f64 * (spec.num_candidates + 2) as f64;
        let activation_bytes = 8.0 * batch_rows * self.network.activations_per_row() as f64;
        if activation_bytes > MAX_ACTIVATION_BYTES {
            return Err(FieldError::new(
                "batch_size",
                format!(
                    "{} transitions per update need ≈ {:.1} GiB of activations with this network \
                     and scenario; at most {:.0} GiB is allowed",
                    self.batch_size,
                    activation_bytes / GIB,
                    MAX_ACTIVATION_BYTES / GIB
                ),
            ));
        }
        // Each entry holds the next candidates' rows; refuse what cannot fit rather than abort.
        let rows = spec.num_candidates + usize::from(layout.null_flag);
        let floats = 3 * layout.state_dim + (rows + 1) * layout.cand_dim + spec.num_candidates + 2;
        let bytes = 4.0 * floats as f64 * self.replay_capacity as f64;
        if bytes > MAX_REPLAY_BYTES {
            return Err(FieldError::new(
                "replay_capacity",
                format!(
                    "{} entries of this scenario's shape need ≈ {:.1} GiB; at most {:.0} GiB is allowed",
                    self.replay_capacity,
                    bytes / GIB,
                    MAX_REPLAY_BYTES / GIB
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsilon_schedule_warms_up_then_decays_linearly() {
        let s = Exploration {
            start: 1.0,
            end: 0.1,
            warmup_steps: 10,
            decay_steps: 100,
            eval: 0.0,
        };
        assert_eq!(s.at(0), 1.0);
        assert_eq!(s.at(9), 1.0);
        assert!((s.at(60) - 0.55).abs() < 1e-12);
        assert_eq!(s.at(110), 0.1);
        assert_eq!(s.at(10_000), 0.1);
        let instant = Exploration {
            decay_steps: 0,
            ..s
        };
        assert_eq!(instant.at(10), 0.1);
    }
}
