//! The merged table as JSON (table and curves) or CSV (the table; the curves in long form
//! with `--curves`). Numbers are written in full (shortest round-trip); an undefined one
//! (the spread of one seed) is null in JSON and empty in CSV.

use super::{Across, Input, Merged};
use crate::report::output::CurveRow;

/// The merged table and curves as pretty JSON.
pub fn json(merged: &Merged) -> anyhow::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(merged)?;
    bytes.push(b'\n');
    Ok(bytes)
}

fn number(x: f64) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// mean, sd, ci95 lo, ci95 hi of an optional statistic (empty cells when absent).
fn across_cells(a: Option<&Across>, with_n: bool) -> Vec<String> {
    let mut cells = Vec::new();
    if with_n {
        cells.push(a.map(|a| a.n.to_string()).unwrap_or_default());
    }
    for read in [
        |a: &Across| a.mean,
        |a: &Across| a.sd,
        |a: &Across| a.ci95.0,
        |a: &Across| a.ci95.1,
    ] {
        cells.push(a.map(|a| number(read(a))).unwrap_or_default());
    }
    cells
}

/// The table's CSV columns.
pub const TABLE_COLUMNS: &[&str] = &[
    "scenario",
    "episodes",
    "steps",
    "eval_episodes",
    "agent",
    "spec",
    "occurrence",
    "seeds",
    "mean_return",
    "return_sd",
    "return_ci95_lo",
    "return_ci95_hi",
    "return_min",
    "return_max",
    "ctr",
    "eval_seeds",
    "eval_mean_return",
    "eval_sd",
    "eval_ci95_lo",
    "eval_ci95_hi",
    "against",
    "diff_seeds",
    "diff_mean",
    "diff_sd",
    "diff_ci95_lo",
    "diff_ci95_hi",
    "eval_diff_seeds",
    "eval_diff_mean",
    "eval_diff_sd",
    "eval_diff_ci95_lo",
    "eval_diff_ci95_hi",
    "scenario_sha256",
    "slatelab_version",
];

/// The table as CSV, one row per (scenario, budget, evaluation, agent spec).
pub fn table_csv(merged: &Merged) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(TABLE_COLUMNS)?;
    let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    for r in &merged.rows {
        let mut record = vec![
            r.scenario.clone(),
            opt(r.episodes),
            opt(r.steps),
            r.eval_episodes.to_string(),
            r.agent.clone(),
            r.spec.clone(),
            r.occurrence.to_string(),
            r.seeds.len().to_string(),
        ];
        record.extend(across_cells(Some(&r.mean_return), false));
        record.push(number(r.mean_return.min));
        record.push(number(r.mean_return.max));
        record.push(number(r.ctr.mean));
        record.extend(across_cells(r.eval_mean_return.as_ref(), true));
        let paired = r.diff_vs_against.is_some() || r.eval_diff_vs_against.is_some();
        record.push(if paired {
            merged.against.clone()
        } else {
            String::new()
        });
        record.extend(across_cells(r.diff_vs_against.as_ref(), true));
        record.extend(across_cells(r.eval_diff_vs_against.as_ref(), true));
        record.push(r.scenario_sha256.clone());
        record.push(r.slatelab_version.clone());
        w.write_record(&record)?;
    }
    Ok(w.into_inner()?)
}

/// The curves CSV's columns.
pub const CURVE_COLUMNS: &[&str] = &[
    "scenario",
    "episodes",
    "steps",
    "eval_episodes",
    "spec",
    "occurrence",
    "block",
    "episode",
    "seeds",
    "mean_return",
    "min",
    "max",
    "ci95_lo",
    "ci95_hi",
];

/// The averaged learning curves in long form: one row per (agent, block).
pub fn curves_csv(merged: &Merged) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CURVE_COLUMNS)?;
    let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
    for c in &merged.curves {
        for p in &c.points {
            let r = &p.mean_return;
            w.write_record([
                c.scenario.clone(),
                opt(c.episodes),
                opt(c.steps),
                c.eval_episodes.to_string(),
                c.spec.clone(),
                c.occurrence.to_string(),
                p.block.to_string(),
                number(p.episode),
                r.n.to_string(),
                number(r.mean),
                number(r.min),
                number(r.max),
                number(r.ci95.0),
                number(r.ci95.1),
            ])?;
        }
    }
    Ok(w.into_inner()?)
}

/// Columns of [`seed_curves_csv`].
pub const SEED_CURVE_COLUMNS: &[&str] = &[
    "scenario",
    "seed",
    "agent",
    "spec",
    "block",
    "episode",
    "env_steps",
    "metric",
    "value",
    "ci95_lo",
    "ci95_hi",
];

/// Every seed's learning curves in long ("tidy") form, as `slatelab run --curves` writes one
/// run's, with the agent's canonical spec: one row per (scenario, seed, agent, block, metric),
/// ordered by scenario, seed, then the agents' lane order in their report. A figure the point
/// lacks (not applicable, or undefined) has no row.
pub fn seed_curves_csv(inputs: &[Input]) -> anyhow::Result<Vec<u8>> {
    let mut reports: Vec<&Input> = inputs.iter().collect();
    // Stable: a per-agent layout's reports of one seed keep their (file name) order.
    reports.sort_by(|a, b| {
        (&a.report.scenario, a.report.seed).cmp(&(&b.report.scenario, b.report.seed))
    });
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(SEED_CURVE_COLUMNS)?;
    for input in reports {
        let report = &input.report;
        for agent in &report.agents {
            for (block, p) in agent.curve.iter().enumerate() {
                let metrics: [(&str, Option<f64>); 10] = [
                    ("mean_return", Some(p.mean_return)),
                    ("ctr", p.ctr),
                    ("mean_engagement", p.mean_engagement),
                    ("mean_satisfaction", p.mean_satisfaction),
                    ("final_satisfaction", p.final_satisfaction),
                    ("myopic_rate", p.myopic_rate),
                    ("epsilon", p.epsilon),
                    ("td_loss", p.td_loss),
                    ("mean_q", p.mean_q),
                    ("confidence_width", p.confidence_width),
                ];
                for (metric, value) in metrics {
                    let Some(value) = value else { continue };
                    CurveRow {
                        scenario: &report.scenario,
                        seed: report.seed,
                        agent: &agent.name,
                        kind_or_spec: &agent.spec,
                        block,
                        episode: p.episode,
                        env_steps: p.env_steps,
                        metric,
                        value,
                        // An interval stored as null is undefined: empty cells.
                        ci95: (p.ci95.0.unwrap_or(f64::NAN), p.ci95.1.unwrap_or(f64::NAN)),
                    }
                    .write(&mut w)?;
                }
            }
        }
    }
    Ok(w.into_inner()?)
}
