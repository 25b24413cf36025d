//! Reading the curves out of a report file, with errors that say where the file is wrong.

use std::path::Path;

use serde::Deserialize;

use super::FigureError;

/// The part of a `slatelab run` report a figure needs.
#[derive(Clone, Debug, Deserialize)]
pub struct ReportCurves {
    /// The scenario's name.
    pub scenario: String,
    /// The run's seed.
    pub seed: u64,
    /// Per agent lane, in lane order (which is also the colour order).
    pub agents: Vec<CurveFigures>,
    /// The scenario as canonical RON (reports from before it was recorded have none).
    #[serde(default)]
    pub scenario_ron: Option<String>,
    /// The population's segment names, by index.
    #[serde(default)]
    pub segments: Vec<String>,
    /// The scenario's reference lines: not in the file, measured by the caller (see
    /// [`crate::report::reference`]) and drawn dashed.
    #[serde(skip)]
    pub references: Vec<ReferenceLevel>,
    /// The default title, where the input has a better one than "scenario, seed N" (a merged
    /// sweep's seeds).
    #[serde(skip)]
    pub title: Option<String>,
    /// The scenario's population shifts (absent from reports of older slatelabs).
    #[serde(default)]
    pub shifts: Vec<ShiftMark>,
}

/// A baseline's level, drawn as a dashed horizontal line labelled with its name.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceLevel {
    /// The baseline's name (`random`, `sweetest`, `oracle-optimal`, ...).
    pub label: String,
    /// Mean return per episode.
    pub mean_return: f64,
    /// Mean satisfaction.
    pub mean_satisfaction: f64,
    /// Mean engagement per episode.
    pub mean_engagement: f64,
    /// Click-through rate.
    pub ctr: f64,
}

/// A population shift, drawn as a dashed vertical line.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct ShiftMark {
    /// The first training episode drawn from the new population.
    pub episode: u64,
}

/// One agent's learning curve.
#[derive(Clone, Debug, Deserialize)]
pub struct CurveFigures {
    /// The lane's label.
    pub name: String,
    /// One point per block of training episodes.
    pub curve: Vec<PointFigures>,
    /// Greedy evaluation figures (`null` when not evaluated).
    #[serde(default)]
    pub eval: Option<EvalFigures>,
}

/// The evaluation figures bars draw; undefined ones are `None`.
#[derive(Clone, Debug, Deserialize)]
pub struct EvalFigures {
    /// Mean return.
    pub mean_return: Option<f64>,
    /// Its 95 % interval.
    pub return_ci95: (Option<f64>, Option<f64>),
    /// Click-through rate.
    pub ctr: Option<f64>,
    /// Mean engagement per episode.
    pub mean_engagement: Option<f64>,
    /// Mean satisfaction.
    pub mean_satisfaction: Option<f64>,
    /// Mean return per segment of the population (segments without episodes left out).
    #[serde(default)]
    pub segments: Vec<SegmentFigures>,
}

/// One segment's evaluation return.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct SegmentFigures {
    /// The segment's index in the report's `segments`.
    pub segment: usize,
    /// Mean return of its users.
    pub mean_return: Option<f64>,
    /// Its 95 % interval.
    pub ci95: (Option<f64>, Option<f64>),
}

/// One curve point; undefined figures are `null` in the file, `None` here. Figures a report
/// of an older slatelab lacks are `None` too.
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct PointFigures {
    /// Episodes when the block closed.
    pub episode: u64,
    /// Mean return.
    pub mean_return: Option<f64>,
    /// Its 95 % interval.
    pub ci95: (Option<f64>, Option<f64>),
    /// Click-through rate.
    #[serde(default)]
    pub ctr: Option<f64>,
    /// Mean engagement per episode.
    #[serde(default)]
    pub mean_engagement: Option<f64>,
    /// Mean satisfaction.
    #[serde(default)]
    pub mean_satisfaction: Option<f64>,
    /// Environment steps when the block closed.
    #[serde(default)]
    pub env_steps: Option<u64>,
}

impl ReportCurves {
    /// Reads and checks a report file.
    pub fn read(path: &Path) -> Result<Self, FigureError> {
        let name = path.display();
        let bytes =
            std::fs::read(path).map_err(|e| FigureError(format!("cannot read {name}: {e}")))?;
        Self::parse(&bytes).map_err(|e| FigureError(format!("{name}:{e}")))
    }

    /// Parses report JSON; an error starts with `line:column:` and names the field.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let report: Self = serde_path_to_error::deserialize(&mut de).map_err(|err| {
            let path = err.path().to_string();
            let inner = err.into_inner();
            let (line, column) = (inner.line(), inner.column());
            // serde_json appends the position to its message; it is already in front.
            let message = inner.to_string();
            let message = message.split(" at line ").next().unwrap_or_default();
            let field = if path.is_empty() || path == "." || path.starts_with('?') {
                String::new()
            } else {
                format!(" {path}:")
            };
            format!(
                "{line}:{column}:{field} {message} (is this a report written by `slatelab run`?)"
            )
        })?;
        de.end()
            .map_err(|e| format!("{}:{}: more after the report's end", e.line(), e.column()))?;
        if report.agents.is_empty() {
            return Err("1:1: agents: the report has no agents to draw".into());
        }
        Ok(report)
    }
}
