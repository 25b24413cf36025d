//! Reports read back from their JSON: the fields `slatelab sweep` needs to tell a finished
//! cell (resuming) and `slatelab merge` needs to pool cells. Timings are not read.

use std::path::Path;

use serde::Deserialize;

use crate::scenario::sweep::{CellBudget, cell_id};

/// A report as `slatelab run` or `slatelab sweep` wrote it (the fields merging reads).
#[derive(Clone, Debug, Deserialize)]
pub struct StoredReport {
    /// slatelab's version that made it.
    pub slatelab_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// Training episodes asked for (null with a steps budget).
    pub episodes: Option<u64>,
    /// Training steps asked for (null with an episodes budget).
    pub steps: Option<u64>,
    /// Greedy evaluation episodes.
    pub eval_episodes: u64,
    /// True when the run stopped early.
    pub partial: bool,
    /// The agent lanes.
    pub agents: Vec<StoredAgent>,
    /// The curve block asked for.
    pub curve_block_requested: Option<u64>,
    /// SHA-256 of the scenario's canonical RON.
    pub scenario_sha256: String,
}

/// One agent lane of a stored report.
#[derive(Clone, Debug, Deserialize)]
pub struct StoredAgent {
    /// Lane label.
    pub name: String,
    /// Canonical RON spec.
    pub spec: String,
    /// Training episodes finished.
    pub episodes: u64,
    /// Mean training return.
    pub mean_return: f64,
    /// Training click-through rate.
    pub ctr: f64,
    /// The learning curve.
    pub curve: Vec<StoredPoint>,
    /// Greedy evaluation, if run.
    pub eval: Option<StoredEval>,
    /// Why the lane failed, if it did.
    pub error: Option<String>,
}

/// One learning-curve point of a stored report (`null` figures, and those an older report
/// lacks, are `None`).
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct StoredPoint {
    /// The block's last training episode (1-based count).
    pub episode: u64,
    /// Mean return over the block.
    pub mean_return: f64,
    /// Its 95 % interval.
    #[serde(default)]
    pub ci95: (Option<f64>, Option<f64>),
    /// Environment steps so far.
    #[serde(default)]
    pub env_steps: Option<u64>,
    /// Click-through rate.
    #[serde(default)]
    pub ctr: Option<f64>,
    /// Mean engagement per episode.
    #[serde(default)]
    pub mean_engagement: Option<f64>,
    /// Mean satisfaction.
    #[serde(default)]
    pub mean_satisfaction: Option<f64>,
    /// Mean final satisfaction.
    #[serde(default)]
    pub final_satisfaction: Option<f64>,
    /// Share of steps serving the myopically best slate.
    #[serde(default)]
    pub myopic_rate: Option<f64>,
    /// Exploration rate at the block's end.
    #[serde(default)]
    pub epsilon: Option<f64>,
    /// Running TD loss at the block's end.
    #[serde(default)]
    pub td_loss: Option<f64>,
    /// Running mean Q at the block's end.
    #[serde(default)]
    pub mean_q: Option<f64>,
    /// Running confidence width at the block's end.
    #[serde(default)]
    pub confidence_width: Option<f64>,
}

/// Greedy evaluation results of a stored report.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct StoredEval {
    /// Evaluation episodes.
    pub episodes: u64,
    /// Mean evaluation return.
    pub mean_return: f64,
}

impl StoredReport {
    /// Reads a report file; the error says why it is not one (with line and column).
    pub fn read(path: &Path) -> Result<Self, String> {
        let text = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
        serde_json::from_slice(&text).map_err(|e| {
            format!(
                "{}:{}: not a slatelab report with agent specs and scenario hash: {e}",
                e.line(),
                e.column()
            )
        })
    }

    /// The training budget, when the report names exactly one.
    pub fn budget(&self) -> Option<CellBudget> {
        match (self.episodes, self.steps) {
            (Some(n), None) => Some(CellBudget::Episodes(n)),
            (None, Some(n)) => Some(CellBudget::Steps(n)),
            _ => None,
        }
    }

    /// True when every lane ran its whole budget without error.
    pub fn complete(&self) -> bool {
        !self.partial && self.agents.iter().all(|a| a.error.is_none())
    }

    /// The identity of the sweep cell that would write this report (`None` without a budget).
    pub fn cell_id(&self) -> Option<String> {
        let specs: Vec<String> = self.agents.iter().map(|a| a.spec.clone()).collect();
        Some(cell_id(
            &self.scenario_sha256,
            self.seed,
            self.budget()?,
            self.eval_episodes,
            self.curve_block_requested,
            &specs,
        ))
    }
}
