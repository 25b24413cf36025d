//! Agent checkpoints: one versioned JSON file per learning lane, named after the lane.

use std::path::{Path, PathBuf};

use anyhow::Context;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::agent::AgentSpec;
use crate::engine::LaneSpec;
use crate::report::RunTally;
use crate::report::output_file::write_file;
use crate::scenario::Scenario;
use crate::sim::rng::SimRng;

/// The `format` tag every checkpoint carries.
const FORMAT: &str = "slatelab-agent-checkpoint";
/// The checkpoint layout version this build reads and writes.
const VERSION: u32 = 1;

/// The dimensions a checkpoint must share with the scenario it is loaded into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimensions {
    /// Environment kind name.
    pub environment: String,
    /// User observation length.
    pub user_dim: usize,
    /// Document feature length.
    pub doc_dim: usize,
    /// Candidates per step.
    pub num_candidates: usize,
    /// Slate size.
    pub slate_size: usize,
}

impl Dimensions {
    /// The fields where `self` (the checkpoint's) and `here` (the scenario's) differ, in words.
    fn differences(&self, here: &Self) -> String {
        let mut out = Vec::new();
        if self.environment != here.environment {
            out.push(format!(
                "environment `{}` in the checkpoint, `{}` here",
                self.environment, here.environment
            ));
        }
        for (what, theirs, ours) in [
            ("user observation length", self.user_dim, here.user_dim),
            ("document feature length", self.doc_dim, here.doc_dim),
            (
                "candidates per step",
                self.num_candidates,
                here.num_candidates,
            ),
            ("slate size", self.slate_size, here.slate_size),
        ] {
            if theirs != ours {
                out.push(format!("{what} {theirs} in the checkpoint, {ours} here"));
            }
        }
        out.join("; ")
    }

    fn of(scenario: &Scenario) -> Self {
        let spec = scenario.env.spec();
        Self {
            environment: spec.kind.name().to_owned(),
            user_dim: spec.user_dim,
            doc_dim: spec.doc_dim,
            num_candidates: spec.num_candidates,
            slate_size: spec.slate_size,
        }
    }
}

/// One lane's checkpoint file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointFile {
    /// Always `slatelab-agent-checkpoint`.
    pub format: String,
    /// Layout version.
    pub version: u32,
    /// The scenario it was trained on (informational).
    pub scenario: String,
    /// The lane label.
    pub label: String,
    /// The agent and its parameters.
    pub agent: AgentSpec,
    /// Dimensions that must match on load.
    pub dimensions: Dimensions,
    /// The agent's learned state.
    pub state: serde_json::Value,
    /// True when the run was interrupted (Ctrl-C) before this lane met its budget: the state
    /// is the one it had then. Absent (false) for a lane that finished.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

/// Why checkpoints could not be loaded (a user error: exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct LoadError {
    /// The file concerned.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

fn file_for(dir: &Path, label: &str) -> PathBuf {
    let safe: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    dir.join(format!("{safe}.json"))
}

/// Writes a checkpoint for every lane that returned a learned state (also lanes that a
/// Ctrl-C stopped early: their checkpoint says `interrupted`).
pub fn save_all(dir: &Path, scenario: &Scenario, results: &RunTally) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for lane in &results.lanes {
        let (Some(spec), Some(state)) = (&lane.spec, &lane.state) else {
            continue;
        };
        let file = CheckpointFile {
            format: FORMAT.into(),
            version: VERSION,
            scenario: scenario.name.clone(),
            label: spec.label.clone(),
            agent: spec.agent.clone(),
            dimensions: Dimensions::of(scenario),
            state: state.clone(),
            interrupted: !lane.finished,
        };
        let path = file_for(dir, &spec.label);
        write_file(&path, &serde_json::to_vec(&file)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Loads each learning lane's checkpoint from `dir` into its spec (agent parameters and
/// initial state). Non-learning lanes need none.
pub fn load_all(dir: &Path, scenario: &Scenario, lanes: &mut [LaneSpec]) -> Result<(), LoadError> {
    for lane in lanes.iter_mut().filter(|l| l.agent.info().learns) {
        let path = file_for(dir, &lane.label);
        let file = read(&path, scenario)?;
        if file.agent.info().name != lane.agent.info().name {
            return Err(LoadError {
                path,
                message: format!(
                    "checkpoint holds a `{}` agent, lane `{}` runs `{}`",
                    file.agent.info().name,
                    lane.label,
                    lane.agent.info().name
                ),
            });
        }
        lane.agent = file.agent;
        lane.initial_state = Some(file.state);
    }
    Ok(())
}

/// Reads one checkpoint file and checks it fits `scenario`: format and version, dimensions,
/// the agent's parameters, and that its saved state loads into that agent.
pub fn read(path: &Path, scenario: &Scenario) -> Result<CheckpointFile, LoadError> {
    let err = |message: String| LoadError {
        path: path.to_path_buf(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read the checkpoint: {e}")))?;
    let file: CheckpointFile =
        serde_json::from_slice(&bytes).map_err(|e| err(format!("corrupt checkpoint: {e}")))?;
    if file.format != FORMAT || file.version != VERSION {
        return Err(err(format!(
            "not a version-{VERSION} slatelab checkpoint (format {:?}, version {})",
            file.format, file.version
        )));
    }
    let expected = Dimensions::of(scenario);
    if file.dimensions != expected {
        return Err(err(format!(
            "checkpoint was made for another scenario shape: {}",
            file.dimensions.differences(&expected)
        )));
    }
    let checked = file.agent.check(scenario.env.spec()).map_err(|e| {
        err(format!(
            "agent parameters in checkpoint: {}: {}",
            e.field, e.message
        ))
    })?;
    // Loaded now into a throwaway agent, so a bad state is an input error naming this file
    // rather than a lane failing after the run has started.
    let mut probe = checked.build(&mut SimRng::seed_from_u64(0));
    probe
        .load_state(file.state.clone())
        .map_err(|e| err(format!("the `{}` agent's saved state: {e}", file.label)))?;
    Ok(file)
}
