//! `--kind bars`: each agent's greedy evaluation mean as a bar, with its 95 % interval as a
//! whisker where the report has one (mean return).

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;

use super::input::{EvalFigures, ReportCurves};
use super::panel::{Panel, drawing_error, panels_of, select};
use super::{FigureError, PlotOptions, font};
use crate::report::palette::AgentColor;

/// An x axis of `n` slots: slot i spans i ± 0.5 and has its one tick at i.
pub(super) struct Slots(pub(super) usize);

impl Ranged for Slots {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let share = (value + 0.5) / self.0 as f64;
        limit.0 + (share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        (0..self.0).map(|i| i as f64).collect()
    }

    fn range(&self) -> std::ops::Range<f64> {
        -0.5..self.0 as f64 - 0.5
    }
}

/// One agent's bar.
struct Bar {
    name: String,
    color: RGBColor,
    value: f64,
    whisker: Option<(f64, f64)>,
}

/// Evaluation bars, one panel per figure asked for.
pub struct Bars {
    panels: Vec<(Panel, Vec<Bar>)>,
}

impl Bars {
    /// Picks the agents and figures `options` ask for; every drawn agent must be evaluated.
    pub fn new(report: &ReportCurves, options: &PlotOptions) -> Result<Self, FigureError> {
        let agents = select(report, &options.agents)?;
        let mut panels = Vec::new();
        for panel in panels_of(options.metric) {
            let mut bars = Vec::new();
            for &(slot, agent) in &agents {
                let eval = agent.eval.as_ref().ok_or_else(|| {
                    FigureError(format!(
                        "--kind bars: agent `{}` was not evaluated (run with --eval-episodes N)",
                        agent.name
                    ))
                })?;
                let Some(value) = eval_value(panel, eval) else {
                    continue;
                };
                let (r, g, b) = AgentColor::of_slot(slot).rgb();
                bars.push(Bar {
                    name: agent.name.clone(),
                    color: RGBColor(r, g, b),
                    value,
                    whisker: eval_whisker(panel, eval),
                });
            }
            if bars.is_empty() {
                return Err(FigureError(format!(
                    "--kind bars: no agent has an evaluation `{}`",
                    panel.field()
                )));
            }
            panels.push((panel, bars));
        }
        Ok(Self { panels })
    }

    /// Draws the panels into `areas`, one each.
    pub fn draw<DB: DrawingBackend>(
        &self,
        areas: &[DrawingArea<DB, Shift>],
    ) -> Result<(), FigureError> {
        for ((panel, bars), area) in self.panels.iter().zip(areas) {
            draw_panel(area, *panel, bars)?;
        }
        Ok(())
    }

    /// Panels to lay out.
    pub fn panels(&self) -> usize {
        self.panels.len()
    }
}

fn eval_value(panel: Panel, e: &EvalFigures) -> Option<f64> {
    match panel {
        Panel::Return => e.mean_return,
        Panel::Ctr => e.ctr,
        Panel::Engagement => e.mean_engagement,
        Panel::Satisfaction => e.mean_satisfaction,
    }
    .filter(|v| v.is_finite())
}

fn eval_whisker(panel: Panel, e: &EvalFigures) -> Option<(f64, f64)> {
    match (panel, e.return_ci95) {
        (Panel::Return, (Some(lo), Some(hi))) if lo.is_finite() && hi.is_finite() => Some((lo, hi)),
        _ => None,
    }
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: Panel,
    bars: &[Bar],
) -> Result<(), FigureError> {
    let tops = bars
        .iter()
        .flat_map(|b| [b.value, b.whisker.map_or(b.value, |w| w.1)]);
    let bottoms = bars
        .iter()
        .flat_map(|b| [b.value, b.whisker.map_or(b.value, |w| w.0)]);
    let hi = tops.fold(0.0, f64::max);
    let lo = bottoms.fold(0.0, f64::min);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = bars.len();
    // Bar i is centred on x = i, with a tick (its name) exactly there.
    let x_range = Slots(n);
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("{} (evaluation)", panel.title()),
            (font::FAMILY, 16),
        )
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x_range, lo..hi + 0.1 * span)
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_label_formatter(&|x| {
            let i = x.round();
            bars.get(i as usize)
                .filter(|_| (x - i).abs() < 1e-9 && i >= 0.0)
                .map(|b| b.name.clone())
                .unwrap_or_default()
        })
        .label_style((font::FAMILY, 12))
        .draw()
        .map_err(drawing_error)?;
    for (i, bar) in bars.iter().enumerate() {
        let x = i as f64;
        chart
            .draw_series([Rectangle::new(
                [(x - 0.35, 0.0), (x + 0.35, bar.value)],
                bar.color.mix(0.8).filled(),
            )])
            .map_err(drawing_error)?;
        if let Some((lo, hi)) = bar.whisker {
            let style = BLACK.stroke_width(2);
            let cap =
                |y: f64| EmptyElement::at((x, y)) + PathElement::new(vec![(-8, 0), (8, 0)], style);
            chart
                .draw_series([PathElement::new(vec![(x, lo), (x, hi)], style)])
                .map_err(drawing_error)?;
            chart
                .draw_series([cap(lo), cap(hi)])
                .map_err(drawing_error)?;
        }
    }
    Ok(())
}
