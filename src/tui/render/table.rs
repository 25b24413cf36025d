//! The agent table: one row per lane, every figure over the lane's last W episodes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use super::format::{DASH, compact, decimals_for, fixed, mean_ci, signed_ci, thousands};
use super::theme;
use crate::tui::app::{App, LaneState, LaneView, Metric};

/// Widths of the columns on a wide screen; narrow screens drop `#` and `steps`.
const WIDE: u16 = 130;

pub(super) fn render(app: &App, area: Rect, frame: &mut Frame) {
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme::dim())
        .title(Line::from(vec![
            Span::styled(" Agents ", theme::title()),
            Span::styled(title_note(app.window, area.width >= WIDE), theme::dim()),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [rows_area, refs_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let wide = area.width >= WIDE;
    let header = header_row(wide);
    let rows: Vec<Row> = if app.lanes.is_empty() {
        vec![Row::new(vec![Cell::from("  no lanes: press a to add one")])]
    } else {
        app.lanes
            .iter()
            .enumerate()
            .map(|(i, lane)| lane_row(app, i, lane, wide))
            .collect()
    };
    let table = Table::new(rows, widths(wide))
        .header(header)
        .column_spacing(1)
        .row_highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut state = TableState::new().with_selected((!app.lanes.is_empty()).then_some(app.focus));
    frame.render_stateful_widget(table, rows_area, &mut state);
    frame.render_widget(Paragraph::new(references(app, wide)), refs_area);
}

/// What the figures average over, in the table's title.
fn title_note(window: usize, wide: bool) -> String {
    if wide {
        format!(
            "· figures over each lane's last {window} episodes · ± 95% CI · Δ paired over the last {window} both ran (same users) "
        )
    } else {
        format!(
            "· each lane's last {window} episodes · ± 95% CI · Δ paired: last {window} both ran "
        )
    }
}

fn widths(wide: bool) -> Vec<Constraint> {
    let mut w = vec![Constraint::Length(2)];
    if wide {
        w.push(Constraint::Length(3));
    }
    w.extend([
        Constraint::Length(if wide { 18 } else { 16 }),
        Constraint::Length(9),
        Constraint::Length(10),
    ]);
    if wide {
        w.push(Constraint::Length(12));
    }
    let figure = if wide { 15 } else { 13 };
    w.extend([
        Constraint::Length(figure),
        Constraint::Length(figure),
        Constraint::Length(5),
        Constraint::Length(if wide { 10 } else { 7 }),
        Constraint::Length(if wide { 12 } else { 7 }),
        Constraint::Length(7),
    ]);
    w
}

fn header_row(wide: bool) -> Row<'static> {
    let mut cells = vec![Cell::from("")];
    if wide {
        cells.push(Cell::from("#"));
    }
    cells.extend(["agent", "status"].map(Cell::from));
    cells.push(right("episodes"));
    if wide {
        cells.push(right("steps"));
    }
    cells.extend([right("return"), right("Δ vs random"), right("CTR")]);
    if wide {
        cells.extend([right("engagement"), right("satisfaction")]);
    } else {
        cells.extend([right("engage"), right("satisf")]);
    }
    cells.push(right("steps/s"));
    Row::new(cells).style(theme::title())
}

fn right(text: impl Into<String>) -> Cell<'static> {
    Cell::from(Line::from(text.into()).right_aligned())
}

fn status(app: &App, lane: &LaneView) -> (String, Color) {
    match &lane.state {
        LaneState::Failed(_) => ("failed".into(), Color::LightRed),
        LaneState::Finished => ("done".into(), Color::Gray),
        LaneState::Running if app.stopped => ("stopped".into(), Color::Gray),
        LaneState::Running if app.paused => ("paused".into(), Color::Yellow),
        LaneState::Running if lane.progress.env_steps == 0 => ("starting".into(), Color::Gray),
        LaneState::Running if lane.learns() => ("learning".into(), Color::LightGreen),
        LaneState::Running => ("running".into(), Color::Green),
    }
}

fn lane_row<'a>(app: &App, index: usize, lane: &'a LaneView, wide: bool) -> Row<'a> {
    let stats = lane.recent_stats();
    let color = theme::lane_color(app, lane);
    let marker = if index == app.focus { "▸" } else { " " };
    let mut cells = vec![Cell::from(marker)];
    if wide {
        cells.push(Cell::from(format!("{}", index + 1)));
    }
    cells.push(Cell::from(Line::from(vec![
        Span::styled("● ", Style::new().fg(color)),
        Span::styled(lane.spec.label.as_str(), Style::new().fg(color)),
    ])));
    let (text, status_color) = status(app, lane);
    cells.push(Cell::from(Span::styled(
        text,
        Style::new().fg(status_color),
    )));
    cells.push(right(thousands(lane.progress.episodes)));
    if wide {
        cells.push(right(thousands(lane.progress.env_steps)));
    }
    cells.push(right(mean_ci(stats.mean_return, stats.return_ci95)));
    cells.push(delta(app, lane, stats.mean_return));
    cells.push(right(fixed(stats.ctr, 2)));
    cells.push(right(fixed(
        stats.mean_engagement,
        decimals_for(stats.mean_engagement),
    )));
    cells.push(right(fixed(stats.mean_satisfaction, 2)));
    cells.push(right(lane.steps_per_second().map_or(DASH.into(), compact)));
    Row::new(cells)
}

/// Δ return vs the `random` lane of the same seed, coloured when its interval excludes 0.
fn delta(app: &App, lane: &LaneView, scale: f64) -> Cell<'static> {
    let Some(baseline) = app.baseline_of(lane) else {
        return right(DASH);
    };
    let Some(paired) = lane.paired_with(baseline) else {
        return right(DASH);
    };
    let text = signed_ci(paired.mean_diff, paired.ci95, scale);
    let style = match (paired.is_significant(), paired.mean_diff > 0.0) {
        (true, true) => Style::new().fg(Color::LightGreen),
        (true, false) => Style::new().fg(Color::LightRed),
        _ => Style::new(),
    };
    Cell::from(Line::from(Span::styled(text, style)).right_aligned())
}

fn references(app: &App, wide: bool) -> Line<'static> {
    let mut spans = vec![Span::styled("   reference lines", theme::dim())];
    let lines = match &app.references {
        None => {
            spans.push(Span::styled(": measuring…", theme::dim()));
            return Line::from(spans);
        }
        Some(lines) if lines.is_empty() => {
            spans.push(Span::styled(": none in this scenario", theme::dim()));
            return Line::from(spans);
        }
        Some(lines) => lines,
    };
    let episodes = lines.first().map_or(0, |r| r.episodes);
    let note = if wide {
        format!(
            " (mean return over {} episodes each): ",
            thousands(episodes)
        )
    } else {
        ": ".to_owned()
    };
    spans.push(Span::styled(note, theme::dim()));
    for (i, r) in lines.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        spans.push(Span::raw(format!(
            "{} {}",
            r.label,
            fixed(r.value(Metric::Return), 1)
        )));
    }
    Line::from(spans)
}
