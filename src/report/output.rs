//! Rendering reports: JSON or CSV (written to files by [`super::output_file`]).

use clap::ValueEnum;

use super::model::Report;

/// Output format of `slatelab run`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON object (the full report).
    #[default]
    Json,
    /// One row per agent with the scalar agent fields.
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
            a.spec.clone(),
        ])?;
    }
    Ok(w.into_inner()?)
}
