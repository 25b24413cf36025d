//! `--kind segments`: on a mixed population, each agent's greedy evaluation return per
//! segment, grouped by segment, with 95 % whiskers: which users each policy serves well.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::bars::Slots;
use super::input::ReportCurves;
use super::panel::{drawing_error, select};
use super::{FigureError, PlotOptions, font};
use crate::report::palette::AgentColor;

/// One agent's bar in one segment's group.
struct Bar {
    value: f64,
    whisker: Option<(f64, f64)>,
}

/// An agent's bars, one per segment (`None` where it met none of the segment's users).
struct AgentBars {
    name: String,
    color: RGBColor,
    bars: Vec<Option<Bar>>,
}

/// Evaluation return per segment, per agent.
pub struct SegmentBars {
    segments: Vec<String>,
    agents: Vec<AgentBars>,
}

impl SegmentBars {
    /// Picks the agents `options` ask for; the report must be evaluated and its population
    /// made of two or more segments.
    pub fn new(report: &ReportCurves, options: &PlotOptions) -> Result<Self, FigureError> {
        if report.segments.len() < 2 {
            return Err(FigureError(format!(
                "--kind segments: the scenario `{}` has {} segment{}; it needs a mixed population",
                report.scenario,
                report.segments.len(),
                if report.segments.len() == 1 { "" } else { "s" }
            )));
        }
        let mut agents = Vec::new();
        for (slot, agent) in select(report, &options.agents)? {
            let eval = agent.eval.as_ref().ok_or_else(|| {
                FigureError(format!(
                    "--kind segments: agent `{}` was not evaluated (run with --eval-episodes N)",
                    agent.name
                ))
            })?;
            let mut bars: Vec<Option<Bar>> = report.segments.iter().map(|_| None).collect();
            for s in &eval.segments {
                let Some(value) = s.mean_return.filter(|v| v.is_finite()) else {
                    continue;
                };
                let whisker = match s.ci95 {
                    (Some(lo), Some(hi)) if lo.is_finite() && hi.is_finite() => Some((lo, hi)),
                    _ => None,
                };
                let cell = bars.get_mut(s.segment).ok_or_else(|| {
                    FigureError(format!(
                        "agent `{}`: segment {} is not among the report's {} segments",
                        agent.name,
                        s.segment,
                        report.segments.len()
                    ))
                })?;
                *cell = Some(Bar { value, whisker });
            }
            let (r, g, b) = AgentColor::of_slot(slot).rgb();
            agents.push(AgentBars {
                name: agent.name.clone(),
                color: RGBColor(r, g, b),
                bars,
            });
        }
        if agents.iter().all(|a| a.bars.iter().all(Option::is_none)) {
            return Err(FigureError(
                "--kind segments: no agent has per-segment evaluation returns".into(),
            ));
        }
        Ok(Self {
            segments: report.segments.clone(),
            agents,
        })
    }

    /// Draws the grouped bars into `area`.
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), FigureError> {
        let all = || self.agents.iter().flat_map(|a| a.bars.iter().flatten());
        let hi = all()
            .flat_map(|b| [b.value, b.whisker.map_or(b.value, |w| w.1)])
            .fold(0.0, f64::max);
        let lo = all()
            .flat_map(|b| [b.value, b.whisker.map_or(b.value, |w| w.0)])
            .fold(0.0, f64::min);
        let span = if hi > lo { hi - lo } else { 1.0 };
        let mut chart = ChartBuilder::on(area)
            .caption("Return per segment (evaluation)", (font::FAMILY, 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(Slots(self.segments.len()), lo..hi + 0.3 * span)
            .map_err(drawing_error)?;
        let names = &self.segments;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE.mix(0.0))
            .x_label_formatter(&|x| {
                let i = x.round();
                names
                    .get(i as usize)
                    .filter(|_| (x - i).abs() < 1e-9 && i >= 0.0)
                    .cloned()
                    .unwrap_or_default()
            })
            .label_style((font::FAMILY, 12))
            .draw()
            .map_err(drawing_error)?;
        // Each group spans 0.8 of its slot, split evenly among the agents.
        let width = 0.8 / self.agents.len() as f64;
        for (k, agent) in self.agents.iter().enumerate() {
            let color = agent.color;
            let offset = -0.4 + width * (k as f64 + 0.5);
            let rects = agent.bars.iter().enumerate().filter_map(|(i, bar)| {
                let x = i as f64 + offset;
                bar.as_ref().map(|b| {
                    Rectangle::new(
                        [(x - 0.45 * width, 0.0), (x + 0.45 * width, b.value)],
                        color.mix(0.8).filled(),
                    )
                })
            });
            chart
                .draw_series(rects)
                .map_err(drawing_error)?
                .label(agent.name.clone())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], color.filled())
                });
            for (i, bar) in agent.bars.iter().enumerate() {
                let Some((lo, hi)) = bar.as_ref().and_then(|b| b.whisker) else {
                    continue;
                };
                let x = i as f64 + offset;
                let style = BLACK.stroke_width(2);
                let cap = |y: f64| {
                    EmptyElement::at((x, y)) + PathElement::new(vec![(-5, 0), (5, 0)], style)
                };
                chart
                    .draw_series([PathElement::new(vec![(x, lo), (x, hi)], style)])
                    .map_err(drawing_error)?;
                chart
                    .draw_series([cap(lo), cap(hi)])
                    .map_err(drawing_error)?;
            }
        }
        chart
            .configure_series_labels()
            .label_font((font::FAMILY, 12))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(drawing_error)?;
        Ok(())
    }
}
