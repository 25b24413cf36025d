//! The pieces curves and bars share: which panels to draw, which agents, and errors.

use super::input::{CurveFigures, PointFigures, ReferenceLevel, ReportCurves};
use super::{FigureError, MetricChoice};

/// The panels of `--metric all`, in the dashboard's chart order.
const ALL_PANELS: [Panel; 4] = [
    Panel::Return,
    Panel::Satisfaction,
    Panel::Engagement,
    Panel::Ctr,
];

/// One chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    /// Mean return, with its 95 % interval.
    Return,
    /// Mean satisfaction.
    Satisfaction,
    /// Mean engagement per episode.
    Engagement,
    /// Click-through rate.
    Ctr,
}

impl Panel {
    /// The title, as the dashboard's chart of the same figure.
    pub fn title(self) -> &'static str {
        match self {
            Self::Return => "Return per episode",
            Self::Ctr => "CTR (clicks per step)",
            Self::Engagement => "Engagement per episode",
            Self::Satisfaction => "Long-term satisfaction",
        }
    }

    /// The name of the report field, for errors.
    pub fn field(self) -> &'static str {
        match self {
            Self::Return => "mean_return",
            Self::Ctr => "ctr",
            Self::Engagement => "mean_engagement",
            Self::Satisfaction => "mean_satisfaction",
        }
    }

    /// The figure of a curve point, where defined.
    pub fn of(self, p: &PointFigures) -> Option<f64> {
        match self {
            Self::Return => p.mean_return,
            Self::Ctr => p.ctr,
            Self::Engagement => p.mean_engagement,
            Self::Satisfaction => p.mean_satisfaction,
        }
        .filter(|v| v.is_finite())
    }

    /// A reference line's level in this panel, where defined.
    pub fn of_reference(self, r: &ReferenceLevel) -> Option<f64> {
        Some(match self {
            Self::Return => r.mean_return,
            Self::Ctr => r.ctr,
            Self::Engagement => r.mean_engagement,
            Self::Satisfaction => r.mean_satisfaction,
        })
        .filter(|v| v.is_finite())
    }

    /// The 95 % band of the point, where the report has one (mean return only).
    pub fn band(self, p: &PointFigures) -> Option<(f64, f64)> {
        match (self, p.ci95) {
            (Self::Return, (Some(lo), Some(hi))) if lo.is_finite() && hi.is_finite() => {
                Some((lo, hi))
            }
            _ => None,
        }
    }
}

/// The panels a metric choice asks for.
pub fn panels_of(metric: MetricChoice) -> Vec<Panel> {
    match metric {
        MetricChoice::Return => vec![Panel::Return],
        MetricChoice::Satisfaction => vec![Panel::Satisfaction],
        MetricChoice::Engagement => vec![Panel::Engagement],
        MetricChoice::Ctr => vec![Panel::Ctr],
        MetricChoice::All => ALL_PANELS.to_vec(),
    }
}

/// The agents to draw, each with its position in the report (its colour slot).
pub fn select<'a>(
    report: &'a ReportCurves,
    wanted: &[String],
) -> Result<Vec<(usize, &'a CurveFigures)>, FigureError> {
    let all = report.agents.iter().enumerate();
    if wanted.is_empty() {
        return Ok(all.collect());
    }
    if let Some(missing) = wanted
        .iter()
        .find(|w| !report.agents.iter().any(|a| &a.name == *w))
    {
        let names: Vec<&str> = report.agents.iter().map(|a| a.name.as_str()).collect();
        return Err(FigureError(format!(
            "--agents: the report has no agent `{missing}` (it has: {})",
            names.join(", ")
        )));
    }
    Ok(all.filter(|(_, a)| wanted.contains(&a.name)).collect())
}

/// A plotters failure, as a figure error.
pub fn drawing_error(e: impl std::fmt::Display) -> FigureError {
    FigureError(format!("drawing the figure: {e}"))
}
