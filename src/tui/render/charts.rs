//! The four charts (return with its EMA, satisfaction, engagement, CTR): a 2×2 grid on wide
//! screens, the focused chart alone on narrow ones or when zoomed.

use std::fmt::Write as _;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Widget};

use super::chart_data::{self, Look, Plot};
use super::format::{axis, count_label, nice_ticks, tick_labels};
use super::theme;
use crate::tui::app::history::EMA_SPAN;
use crate::tui::app::{App, Metric};

/// Narrower or shorter chart areas show one chart at a time.
const GRID_MIN_WIDTH: u16 = 120;
const GRID_MIN_HEIGHT: u16 = 16;

pub(super) fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let focused = app.charts.focused();
    if app.charts.zoom || area.width < GRID_MIN_WIDTH || area.height < GRID_MIN_HEIGHT {
        render_chart(app, focused, true, area, buf);
        return;
    }
    let rows = Layout::vertical([Constraint::Fill(1); 2]).split(area);
    for (r, row) in rows.iter().enumerate() {
        let cols = Layout::horizontal([Constraint::Fill(1); 2]).split(*row);
        for (c, cell) in cols.iter().enumerate() {
            let metric = Metric::ALL[r * 2 + c];
            render_chart(app, metric, metric == focused, *cell, buf);
        }
    }
}

fn title(app: &App, metric: Metric, focused: bool) -> Line<'static> {
    let mut text = format!(" {}", metric.title());
    if metric == Metric::Return {
        let _ = write!(text, " · EMA {EMA_SPAN}");
    }
    let _ = write!(text, " · x: {}", app.charts.axis(metric).name());
    if app.multi_seed() {
        let _ = write!(
            text,
            " · mean of {} seeds, band min–max",
            app.session.seeds.len()
        );
    }
    text.push(' ');
    let style = if focused {
        theme::title().fg(theme::focused_border().fg.unwrap_or_default())
    } else {
        theme::title()
    };
    let mut spans = vec![Span::styled(text, style)];
    if focused {
        spans.push(Span::styled("(c next · x axis · z zoom) ", theme::dim()));
    }
    Line::from(spans)
}

/// One coloured entry per agent (per agent group in multi-seed mode) and the reference style.
fn legend(app: &App) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    let mut seen: Vec<&crate::agent::AgentSpec> = Vec::new();
    for lane in &app.lanes {
        let name = if app.multi_seed() {
            if seen.contains(&&lane.spec.agent) {
                continue;
            }
            seen.push(&lane.spec.agent);
            lane.agent_name().to_owned()
        } else {
            lane.spec.label.clone()
        };
        let color = theme::lane_color(app, lane);
        spans.push(Span::styled("━ ", Style::new().fg(color)));
        spans.push(Span::styled(format!("{name}  "), Style::new().fg(color)));
    }
    if !app.reference_lines().is_empty() {
        spans.push(Span::styled(
            "┄ reference ",
            Style::new().fg(theme::REFERENCE),
        ));
    }
    Line::from(spans)
}

fn render_chart(app: &App, metric: Metric, focused: bool, area: Rect, buf: &mut Buffer) {
    let border = if focused {
        theme::focused_border()
    } else {
        theme::dim()
    };
    let block = Block::bordered()
        .border_style(border)
        .title(title(app, metric, focused))
        .title_bottom(legend(app));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width < 12 || inner.height < 4 {
        return;
    }
    let bins = usize::from(inner.width) * 2;
    let rows = inner.height.saturating_sub(2);
    let plot = chart_data::plot(app, metric, bins, rows);
    let intervals = if rows >= 10 { 4 } else { 2 };
    let (y0, y1, step) = nice_ticks(plot.y_bounds[0], plot.y_bounds[1], intervals);
    let plot = Plot {
        y_bounds: [y0, y1],
        ..plot
    };
    let y_labels = tick_labels(y0, y1, step);
    let label_width = y_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1);
    let y_labels: Vec<String> = y_labels
        .into_iter()
        .map(|l| format!("{l:>label_width$}"))
        .collect();
    let x_labels = [
        "0".to_owned(),
        count_label(plot.x_max / 2.0),
        count_label(plot.x_max),
    ];
    let dashed = dashes(&plot);
    let shift_lines = vertical_dashes(&plot);
    let mut datasets: Vec<Dataset> =
        Vec::with_capacity(plot.series.len() + dashed.len() + shift_lines.len());
    for s in plot.series.iter().filter(|s| s.look != Look::Line) {
        // Bands and faint points alike sit dimmed under the lines.
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Scatter)
                .style(Style::new().fg(s.color).add_modifier(Modifier::DIM))
                .data(&s.points),
        );
    }
    for d in &dashed {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Scatter)
                .style(Style::new().fg(theme::REFERENCE))
                .data(d),
        );
    }
    for d in &shift_lines {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Scatter)
                .style(Style::new().fg(theme::SHIFT))
                .data(d),
        );
    }
    for s in plot.series.iter().filter(|s| s.look == Look::Line) {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::new().fg(s.color))
                .data(&s.points),
        );
    }
    let chart = Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, plot.x_max])
                .labels(x_labels)
                .style(theme::dim()),
        )
        .y_axis(
            Axis::default()
                .bounds(plot.y_bounds)
                .labels(y_labels)
                .style(theme::dim()),
        )
        .legend_position(None);
    chart.render(inner, buf);
    label_references(&plot, inner, label_width as u16, buf);
    label_shifts(&plot, inner, label_width as u16, buf);
}

/// Scheduled population shifts as vertical dashes from the bottom of the chart to its top.
fn vertical_dashes(plot: &Plot) -> Vec<Vec<(f64, f64)>> {
    const RUN: usize = 2;
    const STEPS: usize = 96;
    let [y0, y1] = plot.y_bounds;
    plot.markers
        .iter()
        .map(|(x, _)| {
            (0..STEPS)
                .filter(|i| i % (2 * RUN) < RUN)
                .map(|i| (*x, y0 + i as f64 / (STEPS - 1) as f64 * (y1 - y0)))
                .collect()
        })
        .collect()
}

/// Writes each shift's label on the chart's top row, just right of its line (left of it
/// when the line is near the right edge).
fn label_shifts(plot: &Plot, inner: Rect, label_width: u16, buf: &mut Buffer) {
    let left = label_width.min(inner.width / 3) + 1;
    if inner.height < 3 || inner.width <= left + 2 || plot.x_max <= 0.0 {
        return;
    }
    let graph_width = inner.width - left;
    for (x, label) in &plot.markers {
        let column = ((x / plot.x_max) * f64::from(graph_width - 1)).round() as u16;
        let width = (label.chars().count() as u16).min(graph_width);
        let start = if column + 1 + width <= graph_width {
            column + 1
        } else {
            column.saturating_sub(width)
        };
        buf.set_stringn(
            inner.x + left + start,
            inner.y,
            label,
            usize::from(width),
            Style::new().fg(theme::SHIFT),
        );
    }
}

/// Reference lines as dashes: short runs of points with gaps, so they read as background.
fn dashes(plot: &Plot) -> Vec<Vec<(f64, f64)>> {
    const RUN: usize = 3;
    const STEPS: usize = 240;
    plot.references
        .iter()
        .map(|(_, y)| {
            (0..STEPS)
                .filter(|i| i % (2 * RUN) < RUN)
                .map(|i| (i as f64 / (STEPS - 1) as f64 * plot.x_max, *y))
                .collect()
        })
        .collect()
}

/// Writes each reference line's name at its right end, where the chart put the line.
///
/// The graph area follows ratatui's chart layout: y labels (all `label_width` wide, and the
/// first x label is narrower) and the axis on the left, the x labels and axis at the bottom.
fn label_references(plot: &Plot, inner: Rect, label_width: u16, buf: &mut Buffer) {
    let left = label_width.min(inner.width / 3) + 1;
    if inner.height < 3 || inner.width <= left + 2 {
        return;
    }
    let graph = Rect::new(
        inner.x + left,
        inner.y,
        inner.width - left,
        inner.height - 2,
    );
    let [y0, y1] = plot.y_bounds;
    let dots = f64::from(graph.height) * 4.0 - 1.0;
    let mut used_rows = Vec::new();
    for (label, value) in &plot.references {
        let frac = ((y1 - value) / (y1 - y0)).clamp(0.0, 1.0);
        let row = ((frac * dots) as u16 / 4).min(graph.height - 1);
        if used_rows.contains(&row) {
            continue;
        }
        used_rows.push(row);
        let text = format!(" {label} {} ", axis(*value));
        let width = (text.chars().count() as u16).min(graph.width);
        let x = graph.right() - width;
        buf.set_stringn(
            x,
            graph.y + row,
            &text,
            usize::from(width),
            Style::new().fg(theme::REFERENCE),
        );
    }
}
