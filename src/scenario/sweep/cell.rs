//! Cells: the unit a sweep runs, names and shards. A cell's identity is a hash of what it
//! runs, so it can be recomputed from the report the cell wrote (resuming, merging).

use crate::agent::AgentSpec;

/// A cell's training budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellBudget {
    /// Exactly this many episodes per agent.
    Episodes(u64),
    /// At least this many environment steps per agent.
    Steps(u64),
}

impl CellBudget {
    /// The budget as text: `episodes 300` or `steps 20000`.
    pub fn describe(self) -> String {
        match self {
            Self::Episodes(n) => format!("episodes {n}"),
            Self::Steps(n) => format!("steps {n}"),
        }
    }
}

/// One run of a sweep: a scenario and a seed with some agents as lanes on the same users.
#[derive(Clone, Debug)]
pub struct Cell {
    /// Index into the sweep's scenarios.
    pub scenario: usize,
    /// The scenario's name.
    pub scenario_name: String,
    /// SHA-256 of the scenario's canonical RON.
    pub scenario_sha256: String,
    /// The seed.
    pub seed: u64,
    /// The agents, as lanes in this order.
    pub agents: Vec<AgentSpec>,
    /// Their canonical RON.
    pub specs: Vec<String>,
    /// Training budget.
    pub budget: CellBudget,
    /// Greedy evaluation episodes.
    pub eval_episodes: u64,
    /// Episodes per curve point asked for (`None`: automatic).
    pub curve_block: Option<u64>,
    /// 16 hex digits identifying what the cell runs.
    pub id: String,
    /// The file stem of its report: scenario, seed, agent (one-agent cells) and id.
    pub name: String,
}

/// The identity of a cell: 16 hex digits of the SHA-256 of everything that decides its
/// numbers (scenario content, seed, budget, evaluation, curve blocks, agent specs in order).
pub fn cell_id(
    scenario_sha256: &str,
    seed: u64,
    budget: CellBudget,
    eval_episodes: u64,
    curve_block: Option<u64>,
    specs: &[String],
) -> String {
    let mut text = format!(
        "scenario {scenario_sha256}\nseed {seed}\n{}\neval_episodes {eval_episodes}\n\
         curve_block {curve_block:?}\n",
        budget.describe()
    );
    for spec in specs {
        text.push_str("agent ");
        text.push_str(spec);
        text.push('\n');
    }
    crate::scenario::canonical::sha256_hex(&text)[..16].to_owned()
}

/// The shard (1..=`shards`) a cell belongs to: by its identity, so the split does not depend
/// on the order cells are listed in, and every machine computes the same one.
pub fn shard_of(id: &str, shards: u32) -> u32 {
    let hash = u64::from_str_radix(id.get(..16).unwrap_or(id), 16).unwrap_or(0);
    (hash % u64::from(shards.max(1))) as u32 + 1
}

/// A file-name-safe version of `text`: letters, digits, `-`, `_` and `.` kept, the rest `-`.
pub(super) fn file_safe(text: &str) -> String {
    let safe: String = text
        .chars()
        .take(40)
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    safe.trim_start_matches('.').to_owned()
}

impl Cell {
    /// A cell of `agents` on scenario `scenario` (index, name, hash) and `seed`.
    pub(super) fn new(
        scenario: (usize, &str, &str),
        seed: u64,
        agents: Vec<AgentSpec>,
        budget: CellBudget,
        eval_episodes: u64,
        curve_block: Option<u64>,
        one_agent: bool,
    ) -> Self {
        let (index, scenario_name, scenario_sha256) = scenario;
        let specs: Vec<String> = agents
            .iter()
            .map(crate::scenario::canonical::agent_ron)
            .collect();
        let id = cell_id(
            scenario_sha256,
            seed,
            budget,
            eval_episodes,
            curve_block,
            &specs,
        );
        let agent = match (one_agent, agents.first()) {
            (true, Some(agent)) => format!("_{}", agent.info().name),
            _ => String::new(),
        };
        let name = format!("{}_seed{seed}{agent}_{id}", file_safe(scenario_name));
        Self {
            scenario: index,
            scenario_name: scenario_name.to_owned(),
            scenario_sha256: scenario_sha256.to_owned(),
            seed,
            agents,
            specs,
            budget,
            eval_episodes,
            curve_block,
            id,
            name,
        }
    }

    /// The shard (1..=`shards`) this cell belongs to.
    pub fn shard(&self, shards: u32) -> u32 {
        shard_of(&self.id, shards)
    }
}
