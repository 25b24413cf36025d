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

/// The learning curves in long ("tidy") form: one row per (agent, seed, block, metric); an
/// undefined figure (NaN) is an empty `value`, a figure that does not apply has no row.
pub fn curves_csv(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CURVE_COLUMNS)?;
    let finite = |x: f64| {
        if x.is_finite() {
            x.to_string()
        } else {
            String::new()
        }
    };
    for a in &report.agents {
        for (block, p) in a.curve.iter().enumerate() {
            for (metric, read) in CURVE_METRICS {
                let Some(value) = read(p) else { continue };
                let (lo, hi) = if *metric == "mean_return" {
                    (finite(p.ci95.0), finite(p.ci95.1))
                } else {
                    (String::new(), String::new())
                };
                w.write_record([
                    report.scenario.clone(),
                    report.seed.to_string(),
                    a.name.clone(),
                    a.agent.to_owned(),
                    block.to_string(),
                    p.episode.to_string(),
                    p.env_steps.to_string(),
                    (*metric).to_owned(),
                    finite(value),
                    lo,
                    hi,
                ])?;
            }
        }
    }
    Ok(w.into_inner()?)
}
