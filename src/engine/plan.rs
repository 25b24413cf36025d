//! What to run: lanes (agents), budget, threads, and options.

use std::sync::Arc;

use crate::agent::AgentSpec;
use crate::sim::EnvSetup;

/// Identifies a lane for the whole life of an engine (never reused).
pub type LaneId = u32;

/// One lane: an agent facing the scenario's users.
#[derive(Clone, Debug)]
pub struct LaneSpec {
    /// Unique display name (e.g. `linucb`, or `linucb#2` for a second one).
    pub label: String,
    /// The agent and its parameters.
    pub agent: AgentSpec,
    /// Learned state to load before the first step (from a checkpoint).
    pub initial_state: Option<serde_json::Value>,
    /// A seed for this lane instead of the plan's (multi-seed runs); its users differ too.
    pub seed: Option<u64>,
}

/// How long each lane trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Exactly this many episodes.
    Episodes(u64),
    /// At least this many environment steps, stopping at the first episode end after them.
    Steps(u64),
    /// Until stopped (the dashboard).
    Unbounded,
}

/// How fast lanes may go.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    /// As fast as the machine allows.
    Max,
    /// At most this many environment steps per second per lane.
    StepsPerSecond(f64),
}

/// Everything the engine needs to start.
#[derive(Clone, Debug)]
pub struct RunPlan {
    /// The environment factory.
    pub env: Arc<dyn EnvSetup>,
    /// Seed of every random stream.
    pub seed: u64,
    /// The lanes, in order (lane ids are their positions).
    pub lanes: Vec<LaneSpec>,
    /// Training budget per lane.
    pub budget: Budget,
    /// Greedy evaluation episodes per lane after training (0 = none).
    pub eval_episodes: u64,
    /// Worker threads.
    pub threads: usize,
    /// Initial speed.
    pub speed: Speed,
    /// Start paused.
    pub paused: bool,
    /// Record the last served slates for the dashboard's inspection panel.
    pub trace: bool,
    /// Send each lane's learned state when it finishes (for checkpoints).
    pub save_states: bool,
}

impl RunPlan {
    /// A plan with defaults: max speed, not paused, no trace, no evaluation.
    pub fn new(env: Arc<dyn EnvSetup>, seed: u64, lanes: Vec<LaneSpec>, budget: Budget) -> Self {
        Self {
            env,
            seed,
            lanes,
            budget,
            eval_episodes: 0,
            threads: 1,
            speed: Speed::Max,
            paused: false,
            trace: false,
            save_states: false,
        }
    }
}

/// Lane specs for a list of agents, labelled by agent name; repeats get `#2`, `#3`, ...
pub fn lanes_for(agents: &[AgentSpec]) -> Vec<LaneSpec> {
    let mut lanes: Vec<LaneSpec> = Vec::with_capacity(agents.len());
    for agent in agents {
        lanes.push(LaneSpec {
            label: unique_label(agent.info().name, lanes.iter().map(|l| l.label.as_str())),
            agent: agent.clone(),
            initial_state: None,
            seed: None,
        });
    }
    lanes
}

/// `base`, or `base#n` with the smallest n ≥ 2 that is not taken.
pub fn unique_label<'a>(base: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    if !taken.clone().any(|t| t == base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}#{n}"))
        .find(|l| !taken.clone().any(|t| t == l))
        .expect("an unused label exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_agents_get_numbered_labels() {
        let lanes = lanes_for(&[AgentSpec::Random, AgentSpec::Sweetest, AgentSpec::Random]);
        let labels: Vec<_> = lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["random", "sweetest", "random#2"]);
    }
}
