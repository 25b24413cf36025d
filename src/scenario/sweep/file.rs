//! The sweep file as written: plain serde types, checked by [`super::from_str`].

use std::collections::BTreeMap;

use serde::Deserialize;

/// A sweep file: which scenarios, agents and seeds to cross, and each cell's budget.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Sweep")]
pub struct SweepFile {
    /// The sweep's name (in the manifest).
    pub name: String,
    /// Built-in scenario names, or paths relative to the sweep file.
    pub scenarios: Vec<String>,
    /// Agents as `--agents` entries: a name (`linucb`) or a RON entry (`LinUcb(alpha: 0.5)`).
    pub agents: Vec<String>,
    /// Agent kind (`LinUcb`) → parameter → values: each listed agent of that kind becomes one
    /// agent per combination of values.
    #[serde(default)]
    pub grid: BTreeMap<String, BTreeMap<String, Vec<serde_json::Value>>>,
    /// The seeds; each is one cell per scenario (or per scenario and agent).
    pub seeds: Vec<u64>,
    /// Training episodes per agent (this or `steps`).
    #[serde(default)]
    pub episodes: Option<u64>,
    /// Training steps per agent, ending at the next episode end (this or `episodes`).
    #[serde(default)]
    pub steps: Option<u64>,
    /// Greedy evaluation episodes per agent after training.
    #[serde(default)]
    pub eval_episodes: u64,
    /// Episodes per learning-curve point (default: as `slatelab run` chooses).
    #[serde(default)]
    pub curve_block: Option<u64>,
    /// One cell per (scenario, seed) with every agent, or one per agent too.
    #[serde(default)]
    pub layout: Layout,
}

/// How a sweep's runs are cut into cells. Both give identical per-agent numbers: an agent's
/// streams depend on its spec and seed, not on its company.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum Layout {
    /// One cell per (scenario, seed), every agent a lane on the same users: paired
    /// differences are exact inside the cell.
    #[default]
    Cell,
    /// One cell per (scenario, seed, agent): more, smaller cells to spread over machines.
    PerAgent,
}
