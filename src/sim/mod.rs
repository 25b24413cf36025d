//! The simulated world: users, documents, choice and response models, environments.
//!
//! An environment is a pure state machine driven by explicit random streams
//! ([`rng::EnvRngs`]). It knows nothing of agents, threads or screens. The engine owns
//! two [`Observation`] buffers and lets the environment write into them, so a step
//! allocates nothing.

pub mod choice;
pub mod common;
pub mod interest_evolution;
pub mod interest_exploration;
pub mod linear_bandit;
pub mod long_term_satisfaction;
pub mod observation;
pub mod population;
pub mod rng;
pub mod schedule;

pub use observation::{ObsSpec, Observation, ResponseFields, ResponseObs};

use rng::EnvRngs;

/// Which of slatelab's environment models a scenario uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnvKind {
    /// RecSim's Interest Evolution (YouTube-like sessions with a time budget).
    InterestEvolution,
    /// RecSim's Long-Term Satisfaction ("chocolate vs kale").
    LongTermSatisfaction,
    /// RecSim's Interest Exploration (clustered users and topics).
    InterestExploration,
    /// A synthetic linear contextual bandit with a known parameter vector (for testing learners).
    LinearBandit,
}

impl EnvKind {
    /// The kebab-case name used in files and output.
    pub fn name(self) -> &'static str {
        match self {
            Self::InterestEvolution => "interest-evolution",
            Self::LongTermSatisfaction => "long-term-satisfaction",
            Self::InterestExploration => "interest-exploration",
            Self::LinearBandit => "linear-bandit",
        }
    }
}

/// What one step did, beside the next observation (which the environment writes in place).
///
/// Everything here except `reward`, `clicked` and `done`/`truncated` is hidden from agents:
/// the engine uses it for metrics and regret only.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StepOutcome {
    /// The reward the agents optimise (scenario-defined: engagement or clicks).
    pub reward: f64,
    /// The slate position the user consumed, if any.
    pub clicked: Option<usize>,
    /// The true (unclipped) engagement the consumed item produced; 0 without a click.
    pub engagement: f64,
    /// The user's long-term satisfaction readout in [0, 1] after this step's transition.
    pub satisfaction: f64,
    /// The expected immediate reward of the slate served, from the hidden state.
    pub expected_reward: f64,
    /// The best expected immediate reward over all slates of the candidates offered.
    pub best_expected_reward: f64,
    /// The user model ended the session (budget exhausted).
    pub done: bool,
    /// The episode was cut by a step cap, not by the user: not a terminal state for learning.
    pub truncated: bool,
}

/// Hidden state an oracle may read. Never given to ordinary agents.
#[derive(Clone, Copy, Debug)]
pub enum Hidden<'a> {
    /// Interest Evolution: interests, remaining budget, and each candidate's quality.
    InterestEvolution {
        /// The user's interest per topic, in [−1, 1] (also observed).
        interests: &'a [f64],
        /// Remaining time budget.
        budget: f64,
        /// Hidden quality of each current candidate.
        doc_quality: &'a [f64],
    },
    /// Long-Term Satisfaction: the latent net positive exposure.
    LongTermSatisfaction {
        /// Net positive exposure (NPE).
        npe: f64,
        /// σ(τ·NPE).
        satisfaction: f64,
        /// Steps left in the session, including the current one.
        steps_left: u32,
    },
    /// Interest Exploration: the user's static topic affinities.
    InterestExploration {
        /// Affinity per topic.
        affinities: &'a [f64],
        /// The user's type (0 or 1 in RecSim).
        user_type: usize,
    },
    /// Linear bandit: the true parameter vector and the current user's segment scale.
    LinearBandit {
        /// θ: the expected reward of serving x in slot 0 is `scale · θ·x`.
        theta: &'a [f64],
        /// The current user's segment `scale`.
        scale: f64,
    },
}

/// An environment's view for oracle baselines: hidden state and myopic optima.
pub trait OracleView {
    /// The hidden user state and hidden document attributes.
    fn hidden(&self) -> Hidden<'_>;
    /// Expected immediate reward of serving `slate` now.
    fn expected_reward(&self, slate: &[usize]) -> f64;
    /// Writes a slate with the highest expected immediate reward into `slate` and returns that reward.
    fn best_myopic_slate(&self, slate: &mut Vec<usize>) -> f64;
}

/// A simulated recommendation environment.
pub trait Environment: OracleView + Send {
    /// What the environment shows agents (dimensions, slate size, choice-model form).
    fn spec(&self) -> &ObsSpec;
    /// Starts an episode: draws a user and candidates, writes the first observation.
    fn reset(&mut self, rngs: &mut EnvRngs, obs: &mut Observation);
    /// Serves `slate` (K distinct indices into the current candidates) and writes the next observation.
    fn step(&mut self, slate: &[usize], rngs: &mut EnvRngs, next: &mut Observation) -> StepOutcome;
    /// The population segment the current user was drawn from.
    fn segment(&self) -> usize;
    /// Makes population `index` of the setup's schedule (0: the scenario's, `i + 1`: after
    /// shift `i`) the one the next [`Environment::reset`] draws its user from.
    fn select_population(&mut self, index: usize);
}

/// A configuration field that failed validation, named relative to the configuration entry
/// being validated (an environment's config or an agent entry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Path relative to that entry, e.g. `population[1].user.sensitivity` or `network.adam.lr`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl FieldError {
    /// An error at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error seen from the enclosing struct: field `f` of a nested setting becomes
    /// `prefix.f`, and an error about the whole setting (empty field) becomes `prefix`.
    #[must_use]
    pub fn within(self, prefix: &str) -> Self {
        let field = if self.field.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}.{}", self.field)
        };
        Self {
            field,
            message: self.message,
        }
    }
}

/// A validated environment configuration: builds identical environments for every lane.
pub trait EnvSetup: Send + Sync + std::fmt::Debug {
    /// The observation shape every environment it builds has.
    fn spec(&self) -> &ObsSpec;
    /// Builds an environment. `seed` seeds the fixed corpus when documents are not resampled,
    /// so every lane of a run sees the same corpus.
    fn build(&self, seed: u64) -> Box<dyn Environment>;
    /// Names of the population's segments, in order (the same before and after shifts).
    fn segment_names(&self) -> Vec<String>;
    /// The scheduled population shifts, in episode order (empty for most scenarios).
    fn shifts(&self) -> &[schedule::ShiftInfo];
}
