//! The scenario file as written: plain serde types, checked by [`super::validate`].

use serde::{Deserialize, Serialize};

use crate::agent::AgentSpec;
use crate::sim::interest_evolution::params::IevConfig;
use crate::sim::interest_exploration::params::IexConfig;
use crate::sim::linear_bandit::LinearBanditConfig;
use crate::sim::long_term_satisfaction::params::LtsConfig;

/// A scenario file: the world to simulate, the agents to run, and the seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    /// Short name shown in outputs.
    pub name: String,
    /// One-line description for `slatelab scenarios`.
    #[serde(default)]
    pub description: String,
    /// Seed of every random stream (the command line's `--seed` overrides it).
    #[serde(default)]
    pub seed: u64,
    /// Episodes per agent for `slatelab run` (the command line's `--episodes` overrides it).
    #[serde(default = "default_episodes")]
    pub episodes: u64,
    /// The environment model and its parameters.
    pub environment: EnvironmentConfig,
    /// The agents to run side by side (the command line's `--agents` overrides it).
    pub agents: Vec<AgentSpec>,
    /// Baselines drawn as reference lines in the dashboard.
    #[serde(default)]
    pub reference: Vec<AgentSpec>,
}

fn default_episodes() -> u64 {
    1000
}

/// The environment a scenario simulates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum EnvironmentConfig {
    /// RecSim's Interest Evolution.
    InterestEvolution(IevConfig),
    /// RecSim's Long-Term Satisfaction ("chocolate vs kale").
    LongTermSatisfaction(LtsConfig),
    /// RecSim's Interest Exploration.
    InterestExploration(IexConfig),
    /// A synthetic linear contextual bandit with a known θ (for testing learners).
    LinearBandit(LinearBanditConfig),
}
