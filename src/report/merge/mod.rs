//! `slatelab merge`: cell reports pooled into one table per (scenario, agent spec, budget),
//! with across-seed means, spreads and t-intervals, paired differences against one agent
//! and learning curves averaged across seeds.
//!
//! Rows are keyed by the agent's canonical spec, not its lane label, so a sweep cut one cell
//! per (scenario, seed) and one cut per agent too merge to the same table; the output holds
//! no timings, paths or command lines and is sorted by key, so merging N shards' reports
//! gives the same bytes as merging one unsharded run.

mod across;
pub mod inputs;
pub mod render;

use std::collections::BTreeMap;

use serde::Serialize;

pub use across::Across;

use super::stored::{StoredAgent, StoredReport};
use crate::agent::AgentSpec;
use crate::scenario::canonical;
use crate::scenario::sweep::CellBudget;

/// A report to merge and where it came from (for messages).
pub struct Input {
    /// The file it was read from.
    pub origin: String,
    /// Its contents.
    pub report: StoredReport,
}

/// What identifies a table row: scenario, budget, evaluation, agent spec and its occurrence
/// among identical specs in its report (0 but for a spec listed twice in one run).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct RowKey {
    scenario: String,
    budget: CellBudget,
    eval_episodes: u64,
    spec: String,
    occurrence: u32,
}

/// The merged table and curves.
#[derive(Debug, Serialize)]
pub struct Merged {
    /// The agent paired differences are taken against (as asked for).
    pub against: String,
    /// One row per (scenario, budget, evaluation, agent spec), sorted.
    pub rows: Vec<Row>,
    /// One averaged learning curve per row, in the same order.
    pub curves: Vec<MergedCurve>,
}

/// One row of the merged table.
#[derive(Debug, Serialize)]
pub struct Row {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of its canonical RON (the same in every merged report).
    pub scenario_sha256: String,
    /// slatelab's version that made the reports.
    pub slatelab_version: String,
    /// Training episodes per agent (null with a steps budget).
    pub episodes: Option<u64>,
    /// Training steps per agent (null with an episodes budget).
    pub steps: Option<u64>,
    /// Greedy evaluation episodes.
    pub eval_episodes: u64,
    /// The agent kind (`linucb`).
    pub agent: String,
    /// The agent's canonical spec.
    pub spec: String,
    /// 0, or 1, 2, ... for further identical specs in the same runs.
    pub occurrence: u32,
    /// The seeds pooled, ascending.
    pub seeds: Vec<u64>,
    /// Per-seed mean training returns, across seeds.
    pub mean_return: Across,
    /// Per-seed training click-through rates, across seeds.
    pub ctr: Across,
    /// Per-seed greedy evaluation mean returns, across seeds (null when not evaluated).
    pub eval_mean_return: Option<Across>,
    /// Per-seed differences of mean training return, this agent − the `against` agent, on the
    /// same users (null for the agent itself, or when it is missing).
    pub diff_vs_against: Option<Across>,
    /// The same for greedy evaluation returns.
    pub eval_diff_vs_against: Option<Across>,
}

/// A row's learning curve averaged across seeds.
#[derive(Debug, Serialize)]
pub struct MergedCurve {
    /// The scenario's name.
    pub scenario: String,
    /// Training episodes per agent (null with a steps budget).
    pub episodes: Option<u64>,
    /// Training steps per agent (null with an episodes budget).
    pub steps: Option<u64>,
    /// Greedy evaluation episodes.
    pub eval_episodes: u64,
    /// The agent's canonical spec.
    pub spec: String,
    /// Its occurrence (as in the row).
    pub occurrence: u32,
    /// One point per block that some seed reached (`return.n` says how many did).
    pub points: Vec<MergedPoint>,
}

/// Block `block` of every seed's curve, pooled.
#[derive(Debug, Serialize)]
pub struct MergedPoint {
    /// Block index (0-based).
    pub block: usize,
    /// Mean over seeds of the block's last episode (the same for all seeds under an episode
    /// budget).
    pub episode: f64,
    /// The block's mean return across seeds: mean, min–max band and 95 % t-interval.
    #[serde(rename = "return")]
    pub mean_return: Across,
}

/// Per row: the report it came from and its per-seed lanes.
struct Group<'a> {
    sha256: &'a str,
    version: &'a str,
    seeds: BTreeMap<u64, (&'a str, &'a StoredAgent)>,
}

/// Merges the reports; the error says which report is refused and why.
pub fn merge(inputs: &[Input], against: &str) -> Result<Merged, String> {
    let mut scenarios: BTreeMap<&str, &Input> = BTreeMap::new();
    let mut groups: BTreeMap<RowKey, Group> = BTreeMap::new();
    for input in inputs {
        let report = &input.report;
        let origin = &input.origin;
        if !report.complete() {
            return Err(format!(
                "{origin}: the run is incomplete (interrupted, or a lane failed); run its cell \
                 again before merging"
            ));
        }
        let Some(budget) = report.budget() else {
            return Err(format!(
                "{origin}: names no training budget (a dashboard export?)"
            ));
        };
        let first = *scenarios.entry(&report.scenario).or_insert(input);
        for (what, a, b) in [
            (
                "scenario",
                &first.report.scenario_sha256,
                &report.scenario_sha256,
            ),
            (
                "slatelab version",
                &first.report.slatelab_version,
                &report.slatelab_version,
            ),
        ] {
            if a != b {
                return Err(format!(
                    "{origin} and {}: scenario `{}` with a different {what} ({b} vs {a}); merge \
                     only reports of the same scenario and slatelab",
                    first.origin, report.scenario
                ));
            }
        }
        let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
        for agent in &report.agents {
            let occurrence = seen.entry(&agent.spec).or_default();
            let key = RowKey {
                scenario: report.scenario.clone(),
                budget,
                eval_episodes: report.eval_episodes,
                spec: agent.spec.clone(),
                occurrence: *occurrence,
            };
            *occurrence += 1;
            let group = groups.entry(key).or_insert_with(|| Group {
                sha256: &report.scenario_sha256,
                version: &report.slatelab_version,
                seeds: BTreeMap::new(),
            });
            if let Some((other, _)) = group.seeds.insert(report.seed, (origin, agent)) {
                return Err(format!(
                    "{origin} and {other}: both hold seed {} of `{}` on scenario `{}` ({}): \
                     the same cell twice (e.g. a folder merged twice, or a sweep run in both \
                     layouts)",
                    report.seed,
                    agent.spec,
                    report.scenario,
                    budget.describe()
                ));
            }
        }
    }
    Ok(table(&groups, against))
}

/// The kind name of a spec (`linucb`), or the spec itself if it does not parse.
fn kind_of(spec: &str) -> String {
    canonical::parse_agent(spec).map_or_else(|_| spec.to_owned(), |s| s.info().name.to_owned())
}

/// The row key of the agent to pair against in the rows sharing `key`'s scenario, budget and
/// evaluation: the one spec of that kind (`random`), or the exact spec given as RON.
fn against_key(groups: &BTreeMap<RowKey, Group>, key: &RowKey, against: &str) -> Option<RowKey> {
    let wanted: Box<dyn Fn(&RowKey) -> bool> = if let Some(spec) = AgentSpec::from_name(against) {
        let kind = spec.info().name;
        Box::new(move |k: &RowKey| kind_of(&k.spec) == kind)
    } else {
        let spec = canonical::agent_ron(&canonical::parse_agent(against).ok()?);
        Box::new(move |k: &RowKey| k.spec == spec)
    };
    let mut matches = groups.keys().filter(|k| {
        k.scenario == key.scenario
            && k.budget == key.budget
            && k.eval_episodes == key.eval_episodes
            && k.occurrence == 0
            && wanted(k)
    });
    let found = matches.next()?;
    // Two specs of the asked kind: ambiguous, so no pairing rather than a guess.
    matches.next().is_none().then(|| found.clone())
}

/// Per-seed differences `value(a) − value(b)` over the seeds both have.
fn differences(
    a: &Group,
    b: &Group,
    value: impl Fn(&StoredAgent) -> Option<f64>,
) -> Option<Across> {
    let diffs: Vec<f64> = a
        .seeds
        .iter()
        .filter_map(|(seed, (_, x))| {
            let (_, y) = b.seeds.get(seed)?;
            Some(value(x)? - value(y)?)
        })
        .collect();
    Across::of(&diffs)
}

fn table(groups: &BTreeMap<RowKey, Group>, against: &str) -> Merged {
    let mut rows = Vec::new();
    let mut curves = Vec::new();
    let eval = |a: &StoredAgent| a.eval.map(|e| e.mean_return);
    for (key, group) in groups {
        let lanes: Vec<&StoredAgent> = group.seeds.values().map(|(_, a)| *a).collect();
        let values = |f: &dyn Fn(&StoredAgent) -> Option<f64>| -> Vec<f64> {
            lanes.iter().filter_map(|a| f(a)).collect()
        };
        let paired = against_key(groups, key, against)
            .filter(|k| k != key)
            .and_then(|k| groups.get(&k));
        let (episodes, steps) = match key.budget {
            CellBudget::Episodes(n) => (Some(n), None),
            CellBudget::Steps(n) => (None, Some(n)),
        };
        let (Some(mean_return), Some(ctr)) = (
            Across::of(&values(&|a| Some(a.mean_return))),
            Across::of(&values(&|a| Some(a.ctr))),
        ) else {
            continue;
        };
        rows.push(Row {
            scenario: key.scenario.clone(),
            scenario_sha256: group.sha256.to_owned(),
            slatelab_version: group.version.to_owned(),
            episodes,
            steps,
            eval_episodes: key.eval_episodes,
            agent: kind_of(&key.spec),
            spec: key.spec.clone(),
            occurrence: key.occurrence,
            seeds: group.seeds.keys().copied().collect(),
            mean_return,
            ctr,
            eval_mean_return: Across::of(&values(&eval)),
            diff_vs_against: paired.and_then(|b| differences(group, b, |a| Some(a.mean_return))),
            eval_diff_vs_against: paired.and_then(|b| differences(group, b, eval)),
        });
        curves.push(MergedCurve {
            scenario: key.scenario.clone(),
            episodes,
            steps,
            eval_episodes: key.eval_episodes,
            spec: key.spec.clone(),
            occurrence: key.occurrence,
            points: curve(&lanes),
        });
    }
    Merged {
        against: against.to_owned(),
        rows,
        curves,
    }
}

/// Block k of each seed's curve pooled, for every block some seed reached.
fn curve(lanes: &[&StoredAgent]) -> Vec<MergedPoint> {
    let blocks = lanes.iter().map(|a| a.curve.len()).max().unwrap_or(0);
    (0..blocks)
        .filter_map(|block| {
            let points: Vec<_> = lanes.iter().filter_map(|a| a.curve.get(block)).collect();
            let episodes: Vec<f64> = points.iter().map(|p| p.episode as f64).collect();
            let returns: Vec<f64> = points.iter().map(|p| p.mean_return).collect();
            Some(MergedPoint {
                block,
                episode: Across::of(&episodes)?.mean,
                mean_return: Across::of(&returns)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
