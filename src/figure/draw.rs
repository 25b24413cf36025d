//! Drawing learning curves with plotters, on an SVG or a bitmap backend alike.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::bars::Bars;
use super::input::{CurveFigures, ReportCurves};
use super::panel::{Panel, drawing_error, panels_of, select};
use super::segments::SegmentBars;
use super::{FigureError, Kind, PlotOptions, XAxis, font};
use crate::report::palette::{AgentColor, REFERENCE_RGB};

/// One agent's line (and band) in one panel.
struct Line {
    name: String,
    color: RGBColor,
    points: Vec<(f64, f64)>,
    /// (x, lo, hi) where the point has an interval.
    band: Vec<(f64, f64, f64)>,
}

/// A population shift where a curve panel draws it: its x and its label.
struct Marker {
    x: f64,
    label: String,
}

/// A baseline's level in one panel: a dashed horizontal line with its name.
struct Level {
    label: String,
    y: f64,
}

/// One panel of learning curves.
struct CurvePanel {
    panel: Panel,
    lines: Vec<Line>,
    levels: Vec<Level>,
}

/// What the panels show.
enum Body {
    /// Learning curves, and the shifts' markers.
    Curves(Vec<CurvePanel>, Vec<Marker>),
    /// Evaluation bars.
    Bars(Bars),
    /// Evaluation bars per segment.
    Segments(SegmentBars),
}

/// A figure ready to draw, with the input already checked.
pub struct Figure {
    title: String,
    x_label: &'static str,
    size: (u32, u32),
    body: Body,
}

impl Figure {
    /// Picks the agents and figures `options` ask for from `report`, or says what is missing.
    pub fn new(report: &ReportCurves, options: &PlotOptions) -> Result<Self, FigureError> {
        let body = match options.kind {
            Kind::Curves => Body::Curves(curves(report, options)?, markers(report, options)?),
            Kind::Bars => Body::Bars(Bars::new(report, options)?),
            Kind::Segments => Body::Segments(SegmentBars::new(report, options)?),
        };
        Ok(Self {
            title: options
                .title
                .clone()
                .or_else(|| report.title.clone())
                .unwrap_or_else(|| format!("{}, seed {}", report.scenario, report.seed)),
            x_label: match options.x {
                XAxis::Episodes => "training episodes",
                XAxis::Steps => "training environment steps",
            },
            size: options.size,
            body,
        })
    }

    /// The figure as an SVG document.
    pub fn svg(&self) -> Result<String, FigureError> {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, self.size).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(drawing_error)?;
        }
        Ok(out)
    }

    /// The figure as a PNG file (8-bit RGB).
    pub fn png(&self) -> Result<Vec<u8>, FigureError> {
        let (w, h) = self.size;
        let mut rgb = vec![0u8; w as usize * h as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut rgb, self.size).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(drawing_error)?;
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| FigureError(format!("encoding the PNG: {e}")))?;
        writer
            .write_image_data(&rgb)
            .and_then(|()| writer.finish())
            .map_err(|e| FigureError(format!("encoding the PNG: {e}")))?;
        Ok(out)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), FigureError> {
        font::register();
        root.fill(&WHITE).map_err(drawing_error)?;
        let body = root
            .titled(&self.title, (font::FAMILY, 22))
            .map_err(drawing_error)?;
        let count = match &self.body {
            Body::Curves(panels, _) => panels.len(),
            Body::Bars(bars) => bars.panels(),
            Body::Segments(_) => 1,
        };
        let areas = if count == 1 {
            vec![body]
        } else {
            body.split_evenly((2, 2))
        };
        match &self.body {
            Body::Curves(panels, markers) => {
                for (panel, area) in panels.iter().zip(&areas) {
                    draw_panel(area, panel, markers, self.x_label)?;
                }
                Ok(())
            }
            Body::Bars(bars) => bars.draw(&areas),
            Body::Segments(groups) => groups.draw(&areas[0]),
        }
    }
}

/// Each asked panel's lines, one per selected agent, and the reference levels.
fn curves(report: &ReportCurves, options: &PlotOptions) -> Result<Vec<CurvePanel>, FigureError> {
    let agents = select(report, &options.agents)?;
    let mut drawn = Vec::new();
    for panel in panels_of(options.metric) {
        let lines = agents
            .iter()
            .map(|&(slot, agent)| line(panel, slot, agent, options.x))
            .collect::<Result<Vec<_>, _>>()?;
        if lines.iter().all(|l| l.points.is_empty()) {
            return Err(FigureError(format!(
                "no curve point has `{}` to draw (a report from an older slatelab, or no \
                 episodes)",
                panel.field()
            )));
        }
        let levels = report
            .references
            .iter()
            .filter_map(|r| {
                Some(Level {
                    label: r.label.clone(),
                    y: panel.of_reference(r)?,
                })
            })
            .collect();
        drawn.push(CurvePanel {
            panel,
            lines,
            levels,
        });
    }
    Ok(drawn)
}

/// The shifts' x positions: the shift's episode, or with `--x steps` the first plotted
/// agent's environment steps at that episode (interpolated between its curve points; other
/// agents with other episode lengths meet the shift at other step counts). Shifts past the
/// agent's last curve point are not drawn.
fn markers(report: &ReportCurves, options: &PlotOptions) -> Result<Vec<Marker>, FigureError> {
    let agents = select(report, &options.agents)?;
    let Some(&(_, first)) = agents.first() else {
        return Ok(Vec::new());
    };
    let last_episode = first.curve.last().map_or(0, |p| p.episode);
    Ok(report
        .shifts
        .iter()
        .filter(|s| s.episode <= last_episode)
        .filter_map(|s| {
            let x = match options.x {
                XAxis::Episodes => Some(s.episode as f64),
                XAxis::Steps => steps_at(first, s.episode),
            }?;
            Some(Marker {
                x,
                // A leading space keeps the text off the line it labels.
                label: format!(" shift @{}", compact(s.episode as f64)),
            })
        })
        .collect())
}

/// Environment steps of `agent` after `episode` episodes, linear between its curve points
/// (from 0 steps at 0 episodes); `None` without `env_steps`.
pub(super) fn steps_at(agent: &CurveFigures, episode: u64) -> Option<f64> {
    let (mut before_e, mut before_s) = (0.0, 0.0);
    for p in &agent.curve {
        let (e, steps) = (p.episode as f64, p.env_steps? as f64);
        if p.episode >= episode {
            let t = if e > before_e {
                (episode as f64 - before_e) / (e - before_e)
            } else {
                1.0
            };
            return Some(before_s + t * (steps - before_s));
        }
        (before_e, before_s) = (e, steps);
    }
    None
}

fn line(panel: Panel, slot: usize, agent: &CurveFigures, axis: XAxis) -> Result<Line, FigureError> {
    let (r, g, b) = AgentColor::of_slot(slot).rgb();
    let mut out = Line {
        name: agent.name.clone(),
        color: RGBColor(r, g, b),
        points: Vec::new(),
        band: Vec::new(),
    };
    for p in &agent.curve {
        let x = match axis {
            XAxis::Episodes => p.episode as f64,
            XAxis::Steps => p.env_steps.ok_or_else(|| {
                FigureError(format!(
                    "--x steps: agent `{}`'s curve has no `env_steps` (a report from an older \
                     slatelab)",
                    agent.name
                ))
            })? as f64,
        };
        if let Some(y) = panel.of(p) {
            out.points.push((x, y));
        }
        if let Some((lo, hi)) = panel.band(p) {
            out.band.push((x, lo, hi));
        }
    }
    Ok(out)
}

/// The axes' ranges: from 0 (x) and around every value, band and reference level (y), never
/// empty, with room at the top for the legend.
fn ranges(lines: &[Line], levels: &[Level]) -> ((f64, f64), (f64, f64)) {
    let xs = lines.iter().flat_map(|l| l.points.iter().map(|p| p.0));
    let x_max = xs.fold(0.0, f64::max).max(1.0);
    let ys = lines
        .iter()
        .flat_map(|l| {
            l.points
                .iter()
                .map(|p| p.1)
                .chain(l.band.iter().flat_map(|b| [b.1, b.2]))
        })
        .chain(levels.iter().map(|l| l.y));
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
        (lo.min(y), hi.max(y))
    });
    let span = if hi > lo { hi - lo } else { 1.0 };
    ((0.0, x_max), (lo - 0.05 * span, hi + 0.3 * span))
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    CurvePanel {
        panel,
        lines,
        levels,
    }: &CurvePanel,
    markers: &[Marker],
    x_label: &str,
) -> Result<(), FigureError> {
    let ((x0, x1), (y0, y1)) = ranges(lines, levels);
    let mut chart = ChartBuilder::on(area)
        .caption(panel.title(), (font::FAMILY, 16))
        .margin(10)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(drawing_error)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE.mix(0.0))
        .x_desc(x_label)
        .x_label_formatter(&|x| compact(*x))
        .label_style((font::FAMILY, 12))
        .draw()
        .map_err(drawing_error)?;
    let shift_style = BLACK.mix(0.6).stroke_width(1);
    for m in markers.iter().filter(|m| m.x <= x1) {
        chart
            .draw_series(DashedLineSeries::new(
                [(m.x, y0), (m.x, y1)],
                6,
                4,
                shift_style,
            ))
            .map_err(drawing_error)?;
        // The label sits at the top, just right of the line, below the legend's corner.
        chart
            .draw_series(std::iter::once(Text::new(
                m.label.clone(),
                (m.x, y1),
                (font::FAMILY, 11).into_font().color(&BLACK.mix(0.7)).pos(
                    plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Left,
                        plotters::style::text_anchor::VPos::Top,
                    ),
                ),
            )))
            .map_err(drawing_error)?;
    }
    // Reference levels first, under the curves: dashed, grey, named at their right end.
    let (r, g, b) = REFERENCE_RGB;
    let grey = RGBColor(r, g, b);
    for level in &named_levels(levels, (y1 - y0) * 0.03) {
        chart
            .draw_series(DashedLineSeries::new(
                [(x0, level.y), (x1, level.y)],
                6,
                4,
                grey.stroke_width(1),
            ))
            .map_err(drawing_error)?;
        chart
            .draw_series(std::iter::once(Text::new(
                level.label.clone(),
                (x1, level.y),
                (font::FAMILY, 11)
                    .into_font()
                    .color(&grey)
                    .pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))
            .map_err(drawing_error)?;
    }
    for l in lines.iter().filter(|l| l.band.len() >= 2) {
        let upper = l.band.iter().map(|&(x, _, hi)| (x, hi));
        let lower = l.band.iter().rev().map(|&(x, lo, _)| (x, lo));
        chart
            .draw_series(std::iter::once(Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                l.color.mix(0.2).filled(),
            )))
            .map_err(drawing_error)?;
    }
    for l in lines {
        let color = l.color;
        chart
            .draw_series(LineSeries::new(
                l.points.iter().copied(),
                color.stroke_width(2),
            ))
            .map_err(drawing_error)?
            .label(l.name.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .label_font((font::FAMILY, 12))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(drawing_error)?;
    Ok(())
}

/// The levels to draw, with the names of levels closer than `close` to each other joined
/// on one line ("sweetest / linucb"), so their labels do not print over each other.
fn named_levels(levels: &[Level], close: f64) -> Vec<Level> {
    let mut sorted: Vec<&Level> = levels.iter().collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut joined: Vec<Level> = Vec::new();
    for level in sorted {
        match joined.last_mut() {
            Some(last) if level.y - last.y <= close => {
                last.label = format!("{} / {}", last.label, level.label);
            }
            _ => joined.push(Level {
                label: level.label.clone(),
                y: level.y,
            }),
        }
    }
    joined
}

/// Axis numbers without a wall of zeros: 1500 → "1.5k", 2000000 → "2M".
fn compact(x: f64) -> String {
    let (v, suffix) = if x.abs() >= 1e6 {
        (x / 1e6, "M")
    } else if x.abs() >= 1e3 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let text = format!("{v:.1}");
    format!(
        "{}{suffix}",
        text.trim_end_matches('0').trim_end_matches('.')
    )
}
