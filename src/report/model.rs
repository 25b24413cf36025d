//! The machine-readable result of a run (`slatelab run`'s JSON and CSV).

use serde::Serialize;

use super::phases::PhaseReport;
use super::tally::{LaneTally, PairedStream, RunTally};
use crate::agent::Internals;
use crate::metrics::PairedStats;
use crate::metrics::curve::{CurveBlocks, CurvePoint};
use crate::metrics::summary::AgentStats;
use crate::scenario::{Scenario, canonical};
use crate::sim::common::MAX_EPISODE_STEPS;
use crate::sim::schedule::ShiftInfo;

/// Points a learning curve aims at when its block size is chosen automatically.
const CURVE_POINTS: u64 = 100;

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// slatelab's version.
    pub slatelab_version: &'static str,
    /// The scenario's name.
    pub scenario: String,
    /// The environment model.
    pub environment: &'static str,
    /// The seed used.
    pub seed: u64,
    /// Training episodes requested per agent (null when the budget was steps).
    pub episodes: Option<u64>,
    /// Training steps requested per agent (null when the budget was episodes).
    pub steps: Option<u64>,
    /// Greedy evaluation episodes per agent after training.
    pub eval_episodes: u64,
    /// True when the run stopped before every agent met its budget (Ctrl-C, errors).
    pub partial: bool,
    /// Names of the population's segments (indexes of `segments` in agent stats).
    pub segments: Vec<String>,
    /// The scenario's population shifts: the training episode each applies from and what
    /// changed; empty without shifts.
    pub shifts: Vec<ShiftInfo>,
    /// One object per agent lane.
    pub agents: Vec<AgentReport>,
    /// Paired differences of each agent with the first (or of every two agents, with
    /// `--paired all`), over the training episodes both finished.
    pub paired: Vec<PairedReport>,
    /// Paired differences of greedy evaluation returns (every lane meets the same evaluation
    /// users); empty when not evaluated.
    pub eval_paired: Vec<PairedReport>,
    /// Wall-clock seconds of the whole run (a timing: excluded from determinism checks).
    pub wall_seconds: f64,
    /// Training environment steps of all agents per wall-clock second (a timing).
    pub steps_per_second: f64,
    /// What the reader should know before trusting the figures (e.g. episodes cut at the step
    /// ceiling); empty for a clean run.
    pub warnings: Vec<String>,
    /// Which agents `paired` compares: `baseline` (each with the first) or `all`.
    pub paired_mode: &'static str,
    /// The `--curve-block` asked for (null: chosen automatically); `curve_block` in each
    /// agent is the block used.
    pub curve_block_requested: Option<u64>,
    /// The scenario as canonical RON, every default written out (`slatelab rerun` runs it).
    pub scenario_ron: String,
    /// SHA-256 of `scenario_ron`, in hex: equal hashes mean the same scenario.
    pub scenario_sha256: String,
    /// The command that made the report, shell-quoted (empty when not run from the CLI).
    pub command_line: String,
}

/// One agent lane's results.
#[derive(Clone, Debug, Serialize)]
pub struct AgentReport {
    /// Lane label (agent name, numbered if repeated).
    pub name: String,
    /// The agent kind.
    pub agent: &'static str,
    /// Whether it reads hidden state.
    pub oracle: bool,
    /// Whether it learns.
    pub learns: bool,
    /// Training statistics.
    #[serde(flatten)]
    pub stats: AgentStats,
    /// Seconds the lane spent working (a timing: excluded from determinism checks).
    pub wall_seconds: f64,
    /// Training environment steps per second of lane time (a timing).
    pub steps_per_second: f64,
    /// Training figures per phase between population shifts, with the re-adaptation figure
    /// after each shift; empty when the scenario has no shifts.
    pub phases: Vec<PhaseReport>,
    /// Mean return per block of training episodes.
    pub curve: Vec<CurvePoint>,
    /// Episodes per curve point.
    pub curve_block: u64,
    /// The learner's internals at the end.
    pub internals: Internals,
    /// Greedy evaluation statistics (null when not evaluated).
    pub eval: Option<AgentStats>,
    /// Why the lane stopped early, if it failed.
    pub error: Option<String>,
    /// Episodes (training and evaluation) the engine cut at the step ceiling because the user
    /// never left: truncated, so their returns understate an endless session.
    pub ceiling_episodes: u64,
    /// The agent as canonical RON with every parameter written out (parses back equal).
    pub spec: String,
}

/// The paired difference of two agents' returns on the same users.
#[derive(Clone, Debug, Serialize)]
pub struct PairedReport {
    /// First agent.
    pub a: String,
    /// Second agent.
    pub b: String,
    /// Episodes both finished.
    pub episodes: u64,
    /// Mean of return(a) − return(b).
    pub mean_diff: f64,
    /// 95% confidence interval of the mean difference.
    pub ci95: (f64, f64),
}

/// What was asked of the run, for the report's header.
#[derive(Clone, Copy, Debug)]
pub struct Requested {
    /// Episodes budget.
    pub episodes: Option<u64>,
    /// Steps budget.
    pub steps: Option<u64>,
    /// Evaluation episodes.
    pub eval_episodes: u64,
    /// Curve block size; `None` picks one giving about 100 points.
    pub curve_block: Option<u64>,
}

impl Requested {
    /// How learning curves are blocked: as asked, else about 100 points over
    /// the episodes asked for, or, when the budget is steps, a block that starts at one
    /// episode and doubles as the run goes on (between 100 and 200 points).
    pub fn curve_blocks(&self) -> CurveBlocks {
        match (self.curve_block, self.episodes) {
            (Some(block), _) => CurveBlocks::Fixed(block.max(1)),
            (None, Some(episodes)) => CurveBlocks::Adaptive(episodes.div_ceil(CURVE_POINTS).max(1)),
            (None, None) => CurveBlocks::Adaptive(1),
        }
    }
}

impl Report {
    /// Builds the report from a run's folded results.
    pub fn new(
        scenario: &Scenario,
        seed: u64,
        requested: Requested,
        results: &RunTally,
        wall_seconds: f64,
    ) -> Self {
        let lanes: Vec<(usize, &LaneTally)> = results
            .lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| l.spec.is_some())
            .collect();
        let agents = lanes
            .iter()
            .map(|(_, lane)| agent_report(lane, requested))
            .collect();
        let paired = paired_reports(&lanes, &results.paired_train);
        let eval_paired = paired_reports(&lanes, &results.paired_eval);
        let total_steps: u64 = lanes.iter().map(|(_, l)| l.progress.env_steps).sum();
        let warnings = ceiling_warning(&lanes).into_iter().collect();
        let scenario_ron = canonical::scenario_ron(&scenario.file);
        Self {
            wall_seconds,
            steps_per_second: if wall_seconds > 0.0 {
                total_steps as f64 / wall_seconds
            } else {
                0.0
            },
            slatelab_version: env!("CARGO_PKG_VERSION"),
            scenario: scenario.name.clone(),
            environment: scenario.kind().name(),
            seed,
            episodes: requested.episodes,
            steps: requested.steps,
            eval_episodes: requested.eval_episodes,
            partial: results.partial(),
            segments: scenario.env.segment_names(),
            shifts: scenario.env.shifts().to_vec(),
            agents,
            paired,
            eval_paired,
            warnings,
            paired_mode: match results.paired_train.baseline() {
                Some(_) => "baseline",
                None => "all",
            },
            curve_block_requested: requested.curve_block,
            scenario_sha256: canonical::sha256_hex(&scenario_ron),
            scenario_ron,
            command_line: super::command_line::get().to_owned(),
        }
    }
}

/// One warning when any lane had episodes cut at the step ceiling, naming the lanes.
fn ceiling_warning(lanes: &[(usize, &LaneTally)]) -> Option<String> {
    let cut: Vec<String> = lanes
        .iter()
        .map(|(_, lane)| (label(lane), ceiling_episodes(lane)))
        .filter(|&(_, n)| n > 0)
        .map(|(name, n)| format!("{name} ({n})"))
        .collect();
    (!cut.is_empty()).then(|| {
        format!(
            "episodes reached the step ceiling of {MAX_EPISODE_STEPS} steps and were cut \
             (truncated) in: {}; the users never left, so check the scenario's budgets, or set \
             `max_steps` to end episodes on purpose",
            cut.join(", ")
        )
    })
}

/// The paired differences the stream folded, in lane order: the baseline lane with each
/// other one (baseline − other), or every two lanes.
fn paired_reports(lanes: &[(usize, &LaneTally)], stream: &PairedStream) -> Vec<PairedReport> {
    let report = |a: &LaneTally, b: &LaneTally, p: PairedStats| PairedReport {
        a: label(a),
        b: label(b),
        episodes: p.episodes,
        mean_diff: p.mean_diff,
        ci95: p.ci95,
    };
    let mut paired = Vec::new();
    if let Some(baseline) = stream.baseline() {
        // Each other lane once: n − 1 entries, however many lanes there are.
        let Some(&(_, base)) = lanes.iter().find(|(id, _)| *id == baseline) else {
            return paired;
        };
        for &(id, other) in lanes.iter().filter(|(id, _)| *id != baseline) {
            let p = if baseline < id {
                stream.paired(baseline, id)
            } else {
                stream.paired(id, baseline).map(reversed)
            };
            paired.extend(p.map(|p| report(base, other, p)));
        }
        return paired;
    }
    for (i, &(id_a, a)) in lanes.iter().enumerate() {
        for &(id_b, b) in &lanes[i + 1..] {
            paired.extend(stream.paired(id_a, id_b).map(|p| report(a, b, p)));
        }
    }
    paired
}

/// Training and evaluation episodes of `lane` cut at the step ceiling.
fn ceiling_episodes(lane: &LaneTally) -> u64 {
    lane.train.ceiling_episodes + lane.eval.ceiling_episodes
}

/// b − a from the statistics of a − b.
fn reversed(p: PairedStats) -> PairedStats {
    PairedStats {
        mean_diff: -p.mean_diff,
        ci95: (-p.ci95.1, -p.ci95.0),
        ..p
    }
}

fn label(lane: &LaneTally) -> String {
    lane.spec
        .as_ref()
        .map(|s| s.label.clone())
        .unwrap_or_default()
}

fn agent_report(lane: &LaneTally, requested: Requested) -> AgentReport {
    let spec = lane.spec.as_ref().expect("filtered to lanes with a spec");
    let info = spec.agent.info();
    let stats = lane.train.tally.stats();
    let wall = lane.progress.wall_seconds;
    AgentReport {
        name: spec.label.clone(),
        agent: info.name,
        oracle: info.oracle,
        learns: info.learns,
        wall_seconds: wall,
        steps_per_second: if wall > 0.0 {
            lane.progress.env_steps as f64 / wall
        } else {
            0.0
        },
        phases: lane.phases.reports(),
        curve: lane.train.curve.points(),
        curve_block: lane.train.curve.block(),
        internals: lane.progress.internals.clone(),
        eval: (requested.eval_episodes > 0).then(|| lane.eval.tally.stats()),
        error: lane.error.clone(),
        ceiling_episodes: ceiling_episodes(lane),
        spec: canonical::agent_ron(&spec.agent),
        stats,
    }
}
