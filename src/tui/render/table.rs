//! The agent table: one row per lane, every figure over the lane's last W episodes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use super::format::{DASH, compact, decimals_for, fixed, mean_ci, signed_ci, thousands};
use super::theme;
use crate::tui::app::{App, LaneState, LaneView, Metric};

pub(super) fn render(app: &App, area: Rect, frame: &mut Frame) {
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme::dim())
        .title(Line::from(vec![
            Span::styled(" Agents ", theme::title()),
            Span::styled(
                title_note(app.window, Density::for_width(area.width) == Density::Wide),
                theme::dim(),
            ),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [rows_area, refs_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let density = Density::for_width(area.width);
    let wide = density == Density::Wide;
    let header = header_row(density);
    let rows: Vec<Row> = if app.lanes.is_empty() {
        vec![Row::new(vec![Cell::from("  no lanes: press a to add one")])]
    } else {
        app.lanes
            .iter()
            .enumerate()
            .map(|(i, lane)| lane_row(app, i, lane, density))
            .collect()
    };
    let widths = columns(density)
        .iter()
        .map(|&c| Constraint::Length(width(c, density)));
    let table = Table::new(rows, widths)
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

/// How much of the table fits: which columns, how wide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Density {
    /// Every column, full headings (130 columns and more).
    Wide,
    /// No `#` and `steps` (98 columns and more).
    Normal,
    /// Also no status and engagement, so the figures keep their width down to 80 columns.
    Compact,
}

impl Density {
    fn for_width(width: u16) -> Self {
        match width {
            130.. => Self::Wide,
            98.. => Self::Normal,
            _ => Self::Compact,
        }
    }
}

/// One column of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Focus,
    Index,
    Agent,
    Status,
    Episodes,
    Steps,
    Return,
    Delta,
    Ctr,
    Engagement,
    Satisfaction,
    Speed,
}

fn columns(density: Density) -> &'static [Column] {
    use Column::{
        Agent, Ctr, Delta, Engagement, Episodes, Focus, Index, Return, Satisfaction, Speed, Status,
        Steps,
    };
    match density {
        Density::Wide => &[
            Focus,
            Index,
            Agent,
            Status,
            Episodes,
            Steps,
            Return,
            Delta,
            Ctr,
            Engagement,
            Satisfaction,
            Speed,
        ],
        Density::Normal => &[
            Focus,
            Agent,
            Status,
            Episodes,
            Return,
            Delta,
            Ctr,
            Engagement,
            Satisfaction,
            Speed,
        ],
        Density::Compact => &[
            Focus,
            Agent,
            Episodes,
            Return,
            Delta,
            Ctr,
            Satisfaction,
            Speed,
        ],
    }
}

fn width(column: Column, density: Density) -> u16 {
    let wide = density == Density::Wide;
    match column {
        Column::Focus => 2,
        Column::Index => 3,
        Column::Agent if wide => 18,
        Column::Agent => 16,
        Column::Status => 9,
        Column::Episodes => 10,
        Column::Steps => 12,
        Column::Return | Column::Delta if wide => 15,
        Column::Return | Column::Delta => 13,
        Column::Ctr => 5,
        Column::Engagement if wide => 10,
        Column::Engagement => 7,
        Column::Satisfaction if wide => 12,
        Column::Satisfaction => 7,
        Column::Speed => 7,
    }
}

fn heading(column: Column, density: Density) -> Cell<'static> {
    let wide = density == Density::Wide;
    match column {
        Column::Focus => Cell::from(""),
        Column::Index => Cell::from("#"),
        Column::Agent => Cell::from("agent"),
        Column::Status => Cell::from("status"),
        Column::Episodes => right("episodes"),
        Column::Steps => right("steps"),
        Column::Return => right("return"),
        Column::Delta => right("Δ vs random"),
        Column::Ctr => right("CTR"),
        Column::Engagement => right(if wide { "engagement" } else { "engage" }),
        Column::Satisfaction => right(if wide { "satisfaction" } else { "satisf" }),
        Column::Speed => right("steps/s"),
    }
}

fn header_row(density: Density) -> Row<'static> {
    Row::new(columns(density).iter().map(|&c| heading(c, density))).style(theme::title())
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

fn lane_row<'a>(app: &App, index: usize, lane: &'a LaneView, density: Density) -> Row<'a> {
    let stats = lane.recent_stats();
    let color = theme::lane_color(app, lane);
    let cell = |column: Column| -> Cell<'a> {
        match column {
            Column::Focus => Cell::from(if index == app.focus { "▸" } else { " " }),
            Column::Index => Cell::from(format!("{}", index + 1)),
            Column::Agent => Cell::from(Line::from(vec![
                Span::styled("● ", Style::new().fg(color)),
                Span::styled(lane.spec.label.as_str(), Style::new().fg(color)),
            ])),
            Column::Status => {
                let (text, status_color) = status(app, lane);
                Cell::from(Span::styled(text, Style::new().fg(status_color)))
            }
            Column::Episodes => right(thousands(lane.progress.episodes)),
            Column::Steps => right(thousands(lane.progress.env_steps)),
            Column::Return => right(mean_ci(stats.mean_return, stats.return_ci95)),
            Column::Delta => delta(app, lane, stats.mean_return),
            Column::Ctr => right(fixed(stats.ctr, 2)),
            Column::Engagement => right(fixed(
                stats.mean_engagement,
                decimals_for(stats.mean_engagement),
            )),
            Column::Satisfaction => right(fixed(stats.mean_satisfaction, 2)),
            Column::Speed => right(app.steps_per_second(lane).map_or(DASH.into(), compact)),
        }
    };
    Row::new(columns(density).iter().map(|&c| cell(c)))
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
