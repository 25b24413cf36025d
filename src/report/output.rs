//! Rendering reports: JSON or CSV (written to files by [`super::output_file`]).

use clap::ValueEnum;

use super::model::{AgentReport, Report};
use super::phases::PhaseReport;
use crate::metrics::curve::CurvePoint;

/// Output format of `slatelab run`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object (the full report).
    #[default]
    Json,
    /// One row per agent with the scalar agent fields (and, with population shifts, one more
    /// per phase).
    Csv,
}

/// Renders the report in `format`.
pub fn render(report: &Report, format: Format) -> anyhow::Result<Vec<u8>> {
    match format {
        Format::Json => {
            let mut out = serde_json::to_vec_pretty(report)?;
            out.push(b'\n');
            Ok(out)
        }
        Format::Csv => csv_rows(report),
    }
}

/// The scalar agent fields, in CSV column order.
const CSV_COLUMNS: &[&str] = &[
    "name",
    "agent",
    "oracle",
    "learns",
    "episodes",
    "mean_return",
    "return_std",
    "return_se",
    "return_ci95_lo",
    "return_ci95_hi",
    "mean_length",
    "ctr",
    "mean_clicks",
    "mean_engagement",
    "mean_satisfaction",
    "final_satisfaction",
    "env_steps",
    "cumulative_regret",
    "myopic_rate",
    "wall_seconds",
    "steps_per_second",
    "eval_episodes",
    "eval_mean_return",
    "eval_ci95_lo",
    "eval_ci95_hi",
    "error",
    "ceiling_episodes",
    "phase",
    "first_episode",
    "readapt_episodes",
    "spec",
];

fn csv_rows(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    for a in &report.agents {
        let s = &a.stats;
        let eval = a.eval.as_ref();
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        w.write_record([
            a.name.clone(),
            a.agent.to_owned(),
            a.oracle.to_string(),
            a.learns.to_string(),
            s.episodes.to_string(),
            s.mean_return.to_string(),
            s.return_std.to_string(),
            s.return_se.to_string(),
            s.return_ci95.0.to_string(),
            s.return_ci95.1.to_string(),
            s.mean_length.to_string(),
            s.ctr.to_string(),
            s.mean_clicks.to_string(),
            s.mean_engagement.to_string(),
            s.mean_satisfaction.to_string(),
            s.final_satisfaction.to_string(),
            s.env_steps.to_string(),
            s.cumulative_regret.to_string(),
            s.myopic_rate.to_string(),
            a.wall_seconds.to_string(),
            a.steps_per_second.to_string(),
            eval.map(|e| e.episodes.to_string()).unwrap_or_default(),
            opt(eval.map(|e| e.mean_return)),
            opt(eval.map(|e| e.return_ci95.0)),
            opt(eval.map(|e| e.return_ci95.1)),
            a.error.clone().unwrap_or_default(),
            a.ceiling_episodes.to_string(),
            "all".to_owned(),
            "0".to_owned(),
            String::new(),
            a.spec.clone(),
        ])?;
        for (i, phase) in a.phases.iter().enumerate() {
            w.write_record(phase_row(a, i, phase))?;
        }
    }
    Ok(w.into_inner()?)
}

/// The row of one phase between population shifts: the agent's identity, the phase's
/// figures in the whole-run columns of the same name, its index in `phase`; other columns
/// empty.
fn phase_row(a: &AgentReport, index: usize, phase: &PhaseReport) -> Vec<String> {
    let mut row = vec![String::new(); CSV_COLUMNS.len()];
    let mut set = |column: &str, value: String| {
        let at = CSV_COLUMNS
            .iter()
            .position(|c| *c == column)
            .expect("a CSV column");
        row[at] = value;
    };
    set("name", a.name.clone());
    set("agent", a.agent.to_owned());
    set("oracle", a.oracle.to_string());
    set("learns", a.learns.to_string());
    set("episodes", phase.episodes.to_string());
    set("mean_return", phase.mean_return.to_string());
    set("return_ci95_lo", phase.return_ci95.0.to_string());
    set("return_ci95_hi", phase.return_ci95.1.to_string());
    set("ctr", phase.ctr.to_string());
    set("mean_engagement", phase.mean_engagement.to_string());
    set("mean_satisfaction", phase.mean_satisfaction.to_string());
    set("phase", index.to_string());
    set("first_episode", phase.first_episode.to_string());
    set(
        "readapt_episodes",
        phase
            .readapt_episodes
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    set("spec", a.spec.clone());
    row
}

/// The columns of the long-form curves CSV (`slatelab run --curves`).
pub const CURVE_COLUMNS: &[&str] = &[
    "scenario",
    "seed",
    "agent",
    "kind",
    "block",
    "episode",
    "env_steps",
    "metric",
    "value",
    "ci95_lo",
    "ci95_hi",
];

/// One curve figure: its name in the `metric` column and how to read it from a point
/// (`None` where it does not apply to the agent: no row).
type CurveMetric = (&'static str, fn(&CurvePoint) -> Option<f64>);

/// The figures of a curve point, in row order.
const CURVE_METRICS: &[CurveMetric] = &[
    ("mean_return", |p| Some(p.mean_return)),
    ("ctr", |p| Some(p.ctr)),
    ("mean_engagement", |p| Some(p.mean_engagement)),
    ("mean_satisfaction", |p| Some(p.mean_satisfaction)),
    ("final_satisfaction", |p| Some(p.final_satisfaction)),
    ("myopic_rate", |p| Some(p.myopic_rate)),
    ("epsilon", |p| p.learner.epsilon),
    ("td_loss", |p| p.learner.td_loss),
    ("mean_q", |p| p.learner.mean_q),
    ("confidence_width", |p| p.learner.confidence_width),
];

/// A figure as a CSV cell: empty when undefined (NaN or infinite).
fn finite_cell(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// One row of a long-form curves CSV (`run --curves`, `merge --seed-curves`), in the order of
/// [`CURVE_COLUMNS`]; the fourth column is the agent's kind in one, its spec in the other.
pub(crate) struct CurveRow<'a> {
    pub scenario: &'a str,
    pub seed: u64,
    pub agent: &'a str,
    pub kind_or_spec: &'a str,
    pub block: usize,
    pub episode: u64,
    /// Environment steps so far, where the point records them.
    pub env_steps: Option<u64>,
    pub metric: &'a str,
    pub value: f64,
    /// The return's 95 % interval: only the `mean_return` row carries one.
    pub ci95: (f64, f64),
}

impl CurveRow<'_> {
    /// Writes the row.
    pub(crate) fn write(&self, w: &mut csv::Writer<Vec<u8>>) -> csv::Result<()> {
        let (lo, hi) = if self.metric == "mean_return" {
            (finite_cell(self.ci95.0), finite_cell(self.ci95.1))
        } else {
            (String::new(), String::new())
        };
        w.write_record([
            self.scenario.to_owned(),
            self.seed.to_string(),
            self.agent.to_owned(),
            self.kind_or_spec.to_owned(),
            self.block.to_string(),
            self.episode.to_string(),
            self.env_steps.map(|s| s.to_string()).unwrap_or_default(),
            self.metric.to_owned(),
            finite_cell(self.value),
            lo,
            hi,
        ])
    }
}

/// The learning curves in long ("tidy") form: one row per (agent, seed, block, metric); an
/// undefined figure (NaN) is an empty `value`, a figure that does not apply has no row.
pub fn curves_csv(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CURVE_COLUMNS)?;
    for a in &report.agents {
        for (block, p) in a.curve.iter().enumerate() {
            for (metric, read) in CURVE_METRICS {
                let Some(value) = read(p) else { continue };
                CurveRow {
                    scenario: &report.scenario,
                    seed: report.seed,
                    agent: &a.name,
                    kind_or_spec: a.agent,
                    block,
                    episode: p.episode,
                    env_steps: Some(p.env_steps),
                    metric,
                    value,
                    ci95: p.ci95,
                }
                .write(&mut w)?;
            }
        }
    }
    Ok(w.into_inner()?)
}
