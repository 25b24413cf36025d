//! Reading a merged sweep (`slatelab merge`'s JSON) as curves and bars: each agent's learning
//! curve is the mean over seeds of its per-seed block means, with the across-seed 95 %
//! t-interval as its band; its evaluation bar is the mean of per-seed evaluation means with
//! that interval as its whisker.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::input::{CurveFigures, EvalFigures, PointFigures, ReportCurves};

/// The part of a merged file a figure needs.
#[derive(Debug, Deserialize)]
struct MergedFile {
    rows: Vec<MergedRow>,
    curves: Vec<MergedCurve>,
}

/// One row of the merged table.
#[derive(Debug, Deserialize)]
struct MergedRow {
    scenario: String,
    agent: String,
    spec: String,
    occurrence: u32,
    seeds: Vec<u64>,
    eval_mean_return: Option<Across>,
}

/// One row's curve.
#[derive(Debug, Deserialize)]
struct MergedCurve {
    scenario: String,
    spec: String,
    occurrence: u32,
    points: Vec<MergedPoint>,
}

/// One block of a merged curve.
#[derive(Debug, Deserialize)]
struct MergedPoint {
    episode: f64,
    #[serde(rename = "return")]
    mean_return: Across,
}

/// Statistics across seeds (`null` where undefined, e.g. the interval of one seed).
#[derive(Clone, Copy, Debug, Deserialize)]
struct Across {
    mean: Option<f64>,
    ci95: (Option<f64>, Option<f64>),
}

/// Whether `bytes` look like `slatelab merge`'s JSON (an object with `rows` and `curves`)
/// rather than a run's report.
pub fn is_merged(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        rows: Option<serde::de::IgnoredAny>,
        curves: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(bytes).is_ok_and(|p| p.rows.is_some() && p.curves.is_some())
}

/// A run's report, or a merged sweep's figures of `scenario` (see [`parse`]).
pub fn parse_any(bytes: &[u8], scenario: Option<&str>) -> Result<ReportCurves, String> {
    if is_merged(bytes) {
        parse(bytes, scenario)
    } else {
        ReportCurves::parse(bytes)
    }
}

/// The figures of `scenario` (which may be left out when the file has one) in a merged file;
/// errors start with `line:column:` where the file is malformed.
pub fn parse(bytes: &[u8], scenario: Option<&str>) -> Result<ReportCurves, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let file: MergedFile = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let message = inner.to_string();
        let message = message.split(" at line ").next().unwrap_or_default();
        format!(
            "{}:{}: {path}: {message} (is this a table written by `slatelab merge`?)",
            inner.line(),
            inner.column()
        )
    })?;
    let scenarios: BTreeSet<&str> = file.rows.iter().map(|r| r.scenario.as_str()).collect();
    let chosen = match scenario {
        Some(name) if scenarios.contains(name) => name,
        Some(name) => {
            return Err(format!(
                "no scenario `{name}` in the merged table (it has: {})",
                list(&scenarios)
            ));
        }
        None if scenarios.len() == 1 => scenarios.first().copied().unwrap_or_default(),
        None if scenarios.is_empty() => return Err("the merged table has no rows".into()),
        None => {
            return Err(format!(
                "the merged table has {} scenarios ({}): pick one with --scenario",
                scenarios.len(),
                list(&scenarios)
            ));
        }
    };
    let rows: Vec<&MergedRow> = file.rows.iter().filter(|r| r.scenario == chosen).collect();
    let labels = labels(&rows);
    let mut agents = Vec::with_capacity(rows.len());
    let mut seeds = BTreeSet::new();
    for (row, name) in rows.iter().zip(labels) {
        seeds.extend(row.seeds.iter().copied());
        let curve = file
            .curves
            .iter()
            .find(|c| {
                c.scenario == row.scenario && c.spec == row.spec && c.occurrence == row.occurrence
            })
            .map(|c| c.points.iter().map(point).collect())
            .unwrap_or_default();
        let eval = row.eval_mean_return.map(|e| EvalFigures {
            mean_return: e.mean,
            return_ci95: e.ci95,
            ctr: None,
            mean_engagement: None,
            mean_satisfaction: None,
            segments: Vec::new(),
        });
        agents.push(CurveFigures { name, curve, eval });
    }
    Ok(ReportCurves {
        scenario: chosen.to_string(),
        seed: seeds.first().copied().unwrap_or_default(),
        agents,
        scenario_ron: None,
        segments: Vec::new(),
        references: Vec::new(),
        // Merged tables do not carry the scenario's schedule.
        shifts: Vec::new(),
        title: Some(format!(
            "{chosen}, {} (mean over seeds, 95 % across-seed band)",
            seed_range(&seeds)
        )),
    })
}

/// A merged block as a curve point: the seeds' mean and the across-seed interval.
fn point(p: &MergedPoint) -> PointFigures {
    PointFigures {
        episode: p.episode.round() as u64,
        mean_return: p.mean_return.mean,
        ci95: p.mean_return.ci95,
        ctr: None,
        mean_engagement: None,
        mean_satisfaction: None,
        env_steps: None,
    }
}

/// Each row's legend name: the agent's name, with the parameters that tell apart rows of the
/// same agent (`linucb (alpha: 0.5)`), and `#2`, ... for a spec listed twice in a run.
fn labels(rows: &[&MergedRow]) -> Vec<String> {
    rows.iter()
        .map(|row| {
            let same: Vec<&&MergedRow> = rows.iter().filter(|r| r.agent == row.agent).collect();
            let mut label = row.agent.clone();
            let own = fields(&row.spec);
            let differing: Vec<String> = own
                .iter()
                .filter(|field| same.iter().any(|r| !fields(&r.spec).contains(field)))
                .cloned()
                .collect();
            if !differing.is_empty() {
                label = format!("{label} ({})", differing.join(", "));
            }
            if row.occurrence > 0 {
                label = format!("{label} #{}", row.occurrence + 1);
            }
            label
        })
        .collect()
}

/// A canonical spec's top-level `name: value` fields (`LinUcb(alpha: 0.5, ...)` →
/// `["alpha: 0.5", ...]`), split at the commas outside brackets.
fn fields(spec: &str) -> Vec<String> {
    let inner = spec
        .split_once('(')
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .unwrap_or_default();
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(inner[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        out.push(inner[start..].trim().to_string());
    }
    out
}

fn list(names: &BTreeSet<&str>) -> String {
    names.iter().copied().collect::<Vec<_>>().join(", ")
}

/// `seed 3`, `seeds 1–4` (consecutive) or `4 seeds`.
fn seed_range(seeds: &BTreeSet<u64>) -> String {
    match (seeds.first(), seeds.last()) {
        (Some(a), Some(b)) if a == b => format!("seed {a}"),
        (Some(a), Some(b)) if b - a + 1 == seeds.len() as u64 => format!("seeds {a}–{b}"),
        _ => format!("{} seeds", seeds.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_what_tells_agents_apart() {
        assert_eq!(
            fields("LinUcb(alpha: 0.5, features: (bias: true, doc: true), models: Shared)"),
            [
                "alpha: 0.5",
                "features: (bias: true, doc: true)",
                "models: Shared"
            ]
        );
        let row = |agent: &str, spec: &str, occurrence| MergedRow {
            scenario: "s".into(),
            agent: agent.into(),
            spec: spec.into(),
            occurrence,
            seeds: vec![1],
            eval_mean_return: None,
        };
        let rows = [
            row("linucb", "LinUcb(alpha: 0.5, lambda: 1.0)", 0),
            row("linucb", "LinUcb(alpha: 1.0, lambda: 1.0)", 0),
            row("random", "Random", 0),
            row("random", "Random", 1),
        ];
        let refs: Vec<&MergedRow> = rows.iter().collect();
        assert_eq!(
            labels(&refs),
            [
                "linucb (alpha: 0.5)",
                "linucb (alpha: 1.0)",
                "random",
                "random #2"
            ]
        );
    }
}
