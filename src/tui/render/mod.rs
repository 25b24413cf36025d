//! Drawing: a pure function of the [`App`], one small module per panel.
//!
//! ```text
//!  header    scenario · seed · run state · speed · users and steps
//!  table     one row per lane, figures over the last W episodes
//!  charts    return (EMA) · satisfaction · engagement · CTR, with reference lines
//!  inspect   the focused lane's last slates and its learner's internals
//!  footer    status line, key hints
//! ```

pub mod chart_data;
mod charts;
mod footer;
pub mod format;
mod header;
mod help;
mod inspect;
mod picker;
mod popup;
mod table;
pub mod theme;
mod what_if;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Overlay};

/// Draws the whole screen.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(area, frame);
        return;
    }
    let [header, table, charts, inspect, status, footer] = layout(app, area);
    header::render(app, header, frame.buffer_mut());
    table::render(app, table, frame);
    charts::render(app, charts, frame.buffer_mut());
    inspect::render(app, inspect, frame.buffer_mut());
    footer::render_status(app, status, frame.buffer_mut());
    footer::render_keys(app, footer, frame.buffer_mut());
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => help::render(area, frame.buffer_mut()),
        Overlay::Agents(picker, purpose) => picker::agents(app, picker, *purpose, area, frame),
        Overlay::Scenarios(picker) => picker::scenarios(picker, area, frame),
        Overlay::ConfirmRemove { label, .. } => popup::confirm_remove(label, area, frame),
        Overlay::WhatIf(panel) => what_if::render(panel, area, frame),
        Overlay::Error { title, message } => popup::error(title, message, area, frame),
    }
}

/// Splits the screen: the table grows with the lanes (up to a third of the height), the
/// inspection panel takes a fixed share, the charts get the rest.
fn layout(app: &App, area: Rect) -> [Rect; 6] {
    let lane_rows = (app.lanes.len().max(1) as u16).min(area.height / 3);
    let table = lane_rows + 3;
    let inspect = if area.height >= 40 { 9 } else { 6 };
    let status = u16::from(app.status.is_some());
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(table),
        Constraint::Min(8),
        Constraint::Length(inspect),
        Constraint::Length(status),
        Constraint::Length(1),
    ])
    .areas(area)
}

fn too_small(area: Rect, frame: &mut Frame) {
    let text = vec![
        Line::from("Make the window larger."),
        Line::from(""),
        Line::from(format!(
            "slatelab needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this terminal is {}×{}.",
            area.width, area.height
        )),
        Line::from("The simulation keeps running. q quits."),
    ];
    let height = (text.len() as u16).min(area.height);
    let y = area.y + area.height.saturating_sub(height) / 2;
    let centered = Rect::new(area.x, y, area.width, height);
    frame.render_widget(
        Paragraph::new(text)
            .centered()
            .wrap(Wrap { trim: true })
            .style(theme::title()),
        centered,
    );
}
