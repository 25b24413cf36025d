//! Sweep files (`slatelab sweep`): scenarios × agents × seeds, cut into cells.
//!
//! ```ron
//! Sweep(
//!     name: "bandits-vs-slateq",
//!     scenarios: ["choc-kale", "scenarios/mixed-population.ron"],
//!     agents: ["random", "linucb", "slateq"],
//!     grid: {"LinUcb": {"alpha": [0.25, 0.5, 1.0, 2.0]}},
//!     seeds: [1, 2, 3, 4],
//!     steps: 20000,            // or episodes: N
//!     eval_episodes: 200,      // optional
//! )
//! ```
//! Checked as strictly as a scenario (unknown fields refused, errors at `file:line:column`
//! with the field), and every scenario and agent is checked before any cell runs.

mod cell;
mod file;
pub mod grid;

use std::path::Path;

pub use cell::{Cell, CellBudget, cell_id, shard_of};
pub use file::{Layout, SweepFile};

use super::{ErrorKind, MAX_AGENTS, Scenario, ScenarioError, locate};
use crate::agent::AgentSpec;

/// The most cells one sweep may have: each is a report file, and more than this is a mistake
/// in the grid rather than an experiment.
pub const MAX_CELLS: usize = 100_000;

/// A checked sweep.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Its name.
    pub name: String,
    /// The file it came from.
    pub origin: String,
    /// SHA-256 of the file's text.
    pub sha256: String,
    /// The scenarios, with the agents each runs (names resolve per scenario, grid applied).
    pub scenarios: Vec<SweepScenario>,
    /// The seeds.
    pub seeds: Vec<u64>,
    /// Each cell's training budget.
    pub budget: CellBudget,
    /// Greedy evaluation episodes.
    pub eval_episodes: u64,
    /// Episodes per curve point asked for.
    pub curve_block: Option<u64>,
    /// How runs are cut into cells.
    pub layout: Layout,
}

/// One scenario of a sweep and its agents.
#[derive(Clone, Debug)]
pub struct SweepScenario {
    /// The scenario.
    pub scenario: Scenario,
    /// SHA-256 of its canonical RON (as reports carry it).
    pub sha256: String,
    /// Its agents, in lane order.
    pub agents: Vec<AgentSpec>,
}

/// Loads and checks a sweep file; scenario paths in it are relative to its folder.
pub fn load(path: &Path) -> Result<Sweep, ScenarioError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::new(&origin, ErrorKind::Io, format!("cannot read: {e}")))?;
    let folder = path.parent().unwrap_or(Path::new(""));
    from_str(&text, &origin, folder)
}

/// Parses and checks sweep text; `origin` names it in errors, `folder` anchors its paths.
pub fn from_str(text: &str, origin: &str, folder: &Path) -> Result<Sweep, ScenarioError> {
    let file: SweepFile = super::parse_ron(text, origin)?;
    let invalid = |field: String, message: String| {
        let at = locate::locate(text, &field).or_else(|| {
            let top = field.split(['.', '[']).next().unwrap_or_default();
            locate::locate(text, top)
        });
        ScenarioError::new(origin, ErrorKind::Invalid, message)
            .with_field(field)
            .at(at)
    };
    if file.name.trim().is_empty() {
        return Err(invalid("name".into(), "must not be empty".into()));
    }
    let budget = check_settings(&file, &invalid)?;
    if file.scenarios.is_empty() {
        return Err(invalid(
            "scenarios".into(),
            "needs at least one scenario".into(),
        ));
    }
    if file.agents.is_empty() {
        return Err(invalid("agents".into(), "needs at least one agent".into()));
    }
    let mut scenarios: Vec<SweepScenario> = Vec::new();
    for (i, entry) in file.scenarios.iter().enumerate() {
        let field = format!("scenarios[{i}]");
        let scenario = load_scenario(entry, folder).map_err(|e| ScenarioError {
            kind: e.kind,
            ..invalid(field.clone(), e.to_string())
        })?;
        let sha256 = super::canonical::sha256_hex(&super::canonical::scenario_ron(&scenario.file));
        for (j, earlier) in scenarios.iter().enumerate() {
            if earlier.sha256 == sha256 {
                return Err(invalid(
                    field,
                    format!("is the same scenario as scenarios[{j}]"),
                ));
            }
            if earlier.scenario.name == scenario.name {
                return Err(invalid(
                    field,
                    format!(
                        "is named `{}` like scenarios[{j}] but differs from it: reports are \
                         merged by scenario name, so give each a name of its own",
                        scenario.name
                    ),
                ));
            }
        }
        let agents = scenario_agents(&file, &scenario, &invalid)?;
        scenarios.push(SweepScenario {
            scenario,
            sha256,
            agents,
        });
    }
    let per_scenario = match file.layout {
        Layout::Cell => 1,
        Layout::PerAgent => scenarios.iter().map(|s| s.agents.len()).max().unwrap_or(1),
    };
    let cells = scenarios.len() * file.seeds.len() * per_scenario;
    if cells > MAX_CELLS {
        return Err(invalid(
            "seeds".into(),
            format!("the sweep has {cells} cells; at most {MAX_CELLS}"),
        ));
    }
    Ok(Sweep {
        name: file.name,
        origin: origin.to_owned(),
        sha256: super::canonical::sha256_hex(text),
        scenarios,
        seeds: file.seeds,
        budget,
        eval_episodes: file.eval_episodes,
        curve_block: file.curve_block,
        layout: file.layout,
    })
}

/// The budget, curve block and seeds checked; the cell budget.
fn check_settings(
    file: &SweepFile,
    invalid: &impl Fn(String, String) -> ScenarioError,
) -> Result<CellBudget, ScenarioError> {
    let budget = match (file.episodes, file.steps) {
        (Some(0), None) => return Err(invalid("episodes".into(), "must be at least 1".into())),
        (None, Some(0)) => return Err(invalid("steps".into(), "must be at least 1".into())),
        (Some(n), None) => CellBudget::Episodes(n),
        (None, Some(n)) => CellBudget::Steps(n),
        (Some(_), Some(_)) => {
            return Err(invalid(
                "steps".into(),
                "give `episodes` or `steps`, not both".into(),
            ));
        }
        (None, None) => {
            return Err(invalid(
                "name".into(),
                "needs a budget: `episodes: N` or `steps: N`".into(),
            ));
        }
    };
    if file.curve_block == Some(0) {
        return Err(invalid("curve_block".into(), "must be at least 1".into()));
    }
    if file.seeds.is_empty() {
        return Err(invalid("seeds".into(), "needs at least one seed".into()));
    }
    for (i, seed) in file.seeds.iter().enumerate() {
        if let Some(first) = file.seeds[..i].iter().position(|s| s == seed) {
            return Err(invalid(
                format!("seeds[{i}]"),
                format!("repeats seeds[{first}] ({seed})"),
            ));
        }
    }
    Ok(budget)
}

/// A built-in scenario by name, else a file relative to the sweep's folder.
fn load_scenario(entry: &str, folder: &Path) -> Result<Scenario, ScenarioError> {
    if super::presets::preset(entry).is_some() {
        return super::load(entry);
    }
    let path = folder.join(entry);
    if path.exists() {
        super::load_file(&path)
    } else {
        // The same message as `--scenario`, naming the built-ins.
        super::load(&path.display().to_string())
    }
}

/// The sweep's agents resolved against one scenario (names take its parameters), the grid
/// applied and each checked against its environment.
fn scenario_agents(
    file: &SweepFile,
    scenario: &Scenario,
    invalid: &impl Fn(String, String) -> ScenarioError,
) -> Result<Vec<AgentSpec>, ScenarioError> {
    let during = |message: String| format!("{message} (in scenario `{}`)", scenario.name);
    let mut listed = Vec::new();
    for (i, entry) in file.agents.iter().enumerate() {
        let field = format!("agents[{i}]");
        let specs = super::parse_agent_list(entry, scenario).map_err(|e| {
            let inner = e.field.as_deref().unwrap_or_default();
            let inner = inner.strip_prefix("[0]").unwrap_or(inner);
            ScenarioError {
                kind: e.kind,
                ..invalid(format!("{field}{inner}"), during(e.message))
            }
        })?;
        if specs.len() != 1 {
            return Err(invalid(
                field,
                "names several agents: write one agent per string".into(),
            ));
        }
        listed.extend(specs);
    }
    grid::check(&file.grid, &listed).map_err(|(field, message)| invalid(field, message))?;
    let agents = grid::expand(&file.grid, &listed);
    if agents.len() > MAX_AGENTS {
        return Err(invalid(
            "grid".into(),
            format!("makes {} agents; at most {MAX_AGENTS}", agents.len()),
        ));
    }
    for agent in &agents {
        agent.check(scenario.env.spec()).map_err(|e| {
            let spec = super::canonical::agent_ron(agent);
            let field = if file.grid.is_empty() {
                "agents"
            } else {
                "grid"
            };
            invalid(
                field.into(),
                during(format!("{spec}: {}: {}", e.field, e.message)),
            )
        })?;
    }
    Ok(agents)
}

impl Sweep {
    /// Every cell, in listing order: scenario, seed, then agent (with [`Layout::PerAgent`]).
    pub fn cells(&self) -> Vec<Cell> {
        let mut cells = Vec::new();
        for (index, s) in self.scenarios.iter().enumerate() {
            let scenario = (index, s.scenario.name.as_str(), s.sha256.as_str());
            for &seed in &self.seeds {
                let groups: Vec<Vec<AgentSpec>> = match self.layout {
                    Layout::Cell => vec![s.agents.clone()],
                    Layout::PerAgent => s.agents.iter().map(|a| vec![a.clone()]).collect(),
                };
                let one_agent = self.layout == Layout::PerAgent;
                for agents in groups {
                    cells.push(Cell::new(
                        scenario,
                        seed,
                        agents,
                        self.budget,
                        self.eval_episodes,
                        self.curve_block,
                        one_agent,
                    ));
                }
            }
        }
        cells
    }
}

#[cfg(test)]
mod tests;
