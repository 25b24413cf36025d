//! A running scenario: its engine (paced, traced, unbounded) and its reference run; and the
//! scenario files the picker offers.

use std::path::{Path, PathBuf};

use crossbeam_channel::Sender;

use super::app::lane_view::EXPORT_EPISODES;
use super::app::{DEFAULT_WINDOW, ReferenceLine, ScenarioChoice, SessionInfo};
use super::lane_choice::session_info;
use super::reference::{self, ReferenceRun};
use crate::agent::AgentSpec;
use crate::engine::{self, Budget, EngineHandle, RunPlan, Speed, lane_specs, seed_list};
use crate::scenario::{Scenario, presets::PRESETS};

/// How far (in episodes) a lane may run ahead of the slowest. Δ vs random pairs the last
/// W episodes both lanes ran, which the lanes keep (`EXPORT_EPISODES` of them), so the lead
/// only needs to be well under that; a generous lead keeps slices long and the engine's
/// scheduling cost small (tiny slices cost ~20% of throughput, see docs/performance.md).
pub const PACE_EPISODES: u64 = 2_000;

const _: () = assert!(PACE_EPISODES as usize + DEFAULT_WINDOW < EXPORT_EPISODES);

/// What a session is started with.
#[derive(Clone, Debug)]
pub struct SessionPlan {
    /// The scenario.
    pub scenario: Scenario,
    /// Agents (one lane each per seed).
    pub agents: Vec<AgentSpec>,
    /// Seed (the scenario's unless overridden).
    pub seed: u64,
    /// Seeds per agent.
    pub seeds: u32,
    /// Worker threads.
    pub threads: usize,
    /// Initial speed.
    pub speed: Speed,
    /// Start paused (a scenario loaded while paused stays paused).
    pub paused: bool,
}

/// A scenario being run.
pub struct Session {
    /// Which session this is (reference lines of older ones are ignored).
    pub id: u64,
    /// The scenario, for exports.
    pub scenario: Scenario,
    /// What the header shows.
    pub info: SessionInfo,
    /// The engine.
    pub engine: EngineHandle,
    /// When the engine started.
    pub started: std::time::Instant,
    // Dropped after the engine: stops the reference measurement.
    _reference: Option<ReferenceRun>,
}

impl Session {
    /// Starts the engine and the reference run; reference lines go to `references` tagged
    /// with `id`.
    pub fn start(
        plan: SessionPlan,
        id: u64,
        references: Sender<(u64, Vec<ReferenceLine>)>,
    ) -> anyhow::Result<Self> {
        let seeds = seed_list(plan.seed, plan.seeds);
        let lanes = lane_specs(&plan.agents, &seeds);
        let mut run = RunPlan::new(
            plan.scenario.env.clone(),
            plan.seed,
            lanes,
            Budget::Unbounded,
        );
        run.threads = plan.threads.max(1);
        run.speed = plan.speed;
        run.paused = plan.paused;
        run.trace = true;
        run.pace = Some(PACE_EPISODES);
        let engine = engine::spawn(run).map_err(|err| anyhow::anyhow!("cannot start: {err}"))?;
        let reference = reference::start(&plan.scenario, plan.seed, move |lines| {
            let _ = references.send((id, lines));
        })?;
        Ok(Self {
            id,
            info: session_info(&plan.scenario, plan.seed, seeds),
            scenario: plan.scenario,
            engine,
            started: std::time::Instant::now(),
            _reference: reference,
        })
    }
}

/// Built-in scenarios, then `.ron` files under `scenarios/` (three levels deep) and in the
/// current directory, each once.
pub fn scenario_choices(cwd: &Path) -> Vec<ScenarioChoice> {
    let mut choices: Vec<ScenarioChoice> = PRESETS
        .iter()
        .map(|p| ScenarioChoice {
            source: p.name.to_owned(),
            builtin: true,
        })
        .collect();
    let mut files = Vec::new();
    ron_files(&cwd.join("scenarios"), 3, &mut files);
    ron_files(cwd, 1, &mut files);
    files.sort();
    files.dedup();
    choices.extend(files.into_iter().map(|path| {
        ScenarioChoice {
            source: path
                .strip_prefix(cwd)
                .unwrap_or(&path)
                .display()
                .to_string(),
            builtin: false,
        }
    }));
    choices
}

fn ron_files(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth > 1 {
            ron_files(&path, depth - 1, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_builtins_then_files_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("scenarios/mine")).unwrap();
        for f in [
            "scenarios/a.ron",
            "scenarios/mine/b.ron",
            "c.ron",
            "notes.txt",
        ] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        let choices = scenario_choices(dir.path());
        let builtins = choices.iter().take_while(|c| c.builtin).count();
        assert_eq!(builtins, PRESETS.len());
        let files: Vec<_> = choices[builtins..]
            .iter()
            .map(|c| c.source.as_str())
            .collect();
        assert_eq!(files, ["c.ron", "scenarios/a.ron", "scenarios/mine/b.ron"]);
    }
}
