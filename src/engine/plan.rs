//! What to run: lanes (agents), budget, threads, and options.

use std::sync::Arc;

use crate::agent::AgentSpec;
use crate::metrics::curve::CurveBlocks;
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
    /// Keep lanes side by side: no lane runs more than this many episodes ahead of the
    /// slowest one, and added or switched lanes start where the others are (the dashboard,
    /// so every lane's recent episodes meet the same users). `None`: every lane runs free.
    pub pace: Option<u64>,
    /// Read each learner's internals right after the episodes that close a block of these
    /// curve blocks (in each phase), and send them with the episodes: curve points then
    /// carry internals that do not depend on timing. `None`: no readouts.
    pub learner_readouts: Option<CurveBlocks>,
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
            pace: None,
            learner_readouts: None,
        }
    }
}

/// One lane per agent on the plan's seed, labelled by agent name; repeats get `#2`, `#3`,
/// ...: [`lane_specs`] with a single seed.
pub fn lanes_for(agents: &[AgentSpec]) -> Vec<LaneSpec> {
    lane_specs(agents, &[None])
}

/// One lane per agent and seed, seeds innermost; labels are the agent's name, with `@seed`
/// when there are several seeds, made unique with `#2`, `#3`, ...
pub fn lane_specs(agents: &[AgentSpec], seeds: &[Option<u64>]) -> Vec<LaneSpec> {
    let multi = seeds.len() > 1;
    let mut lanes: Vec<LaneSpec> = Vec::with_capacity(agents.len() * seeds.len());
    for agent in agents {
        for &seed in seeds {
            let base = lane_label(agent, seed, multi);
            let label = unique_label(&base, lanes.iter().map(|l| l.label.as_str()));
            lanes.push(LaneSpec {
                label,
                agent: agent.clone(),
                initial_state: None,
                seed,
            });
        }
    }
    lanes
}

/// The seeds lanes run with: `[None]` (the plan's seed) for one, `seed, seed+1, ...` for more.
pub fn seed_list(seed: u64, count: u32) -> Vec<Option<u64>> {
    if count <= 1 {
        vec![None]
    } else {
        (0..u64::from(count))
            .map(|i| Some(seed.wrapping_add(i)))
            .collect()
    }
}

/// A lane's base label: the agent's name, with `@seed` in multi-seed mode.
pub fn lane_label(agent: &AgentSpec, seed: Option<u64>, multi_seed: bool) -> String {
    match seed {
        Some(s) if multi_seed => format!("{}@{s}", agent.info().name),
        _ => agent.info().name.to_owned(),
    }
}

/// `base`, or `base#n` with the smallest n ≥ 2 that is not taken.
pub fn unique_label<'a>(base: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    if !taken.clone().any(|t| t == base) {
        return base.to_owned();
    }
    // n labels are taken at most, so one of #2 ..= #(n + 2) is free.
    (2..=taken.clone().count() + 2)
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

    #[test]
    fn multi_seed_lanes_are_labelled_by_seed() {
        let agents = [AgentSpec::Random, AgentSpec::Sweetest];
        let lanes = lane_specs(&agents, &seed_list(7, 2));
        let labels: Vec<_> = lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["random@7", "random@8", "sweetest@7", "sweetest@8"]);
        assert_eq!(lanes[1].seed, Some(8));
        let single = lane_specs(&[AgentSpec::Random, AgentSpec::Random], &seed_list(7, 1));
        let labels: Vec<_> = single.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["random", "random#2"]);
        assert_eq!(single[0].seed, None);
    }
}
