//! The `w` what-if panel: each segment's share and user parameters, the highlighted one
//! being edited, and whether the scenario's validation accepts the result.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::popup::{centered, window};
use super::theme;
use crate::tui::app::WhatIf;

/// Lines below the rows: a blank, the verdict (two lines, wrapped), the key hints.
const FOOTER_LINES: u16 = 4;

/// Draws the panel centred in `area`, scrolled so the highlighted row shows.
pub(super) fn render(panel: &WhatIf, area: Rect, frame: &mut Frame) {
    let (rows, selected_line) = row_lines(panel);
    let wanted = rows.len() as u16 + FOOTER_LINES + 2;
    let rect = centered(area, 64, wanted.min(area.height.saturating_sub(2)));
    let title = Line::from(Span::styled(
        " What if: the population from the next episode ",
        theme::title(),
    ));
    let inner = window(frame, rect, title).inner(Margin::new(1, 0));
    let room = usize::from(inner.height.saturating_sub(FOOTER_LINES)).max(1);
    let first = (selected_line + 1).saturating_sub(room);
    let mut lines: Vec<Line> = rows.into_iter().skip(first).take(room).collect();
    lines.push(Line::from(""));
    lines.push(match &panel.error {
        Some(error) => Line::from(Span::styled(error.clone(), theme::error())),
        None => Line::from(Span::styled(
            "valid: Enter applies it to every lane at once",
            theme::dim(),
        )),
    });
    let [body, hints] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(1),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
    frame.render_widget(Paragraph::new(hint_line()), hints);
}

/// One line per segment name and per row; returns the lines and the highlighted row's line.
fn row_lines(panel: &WhatIf) -> (Vec<Line<'static>>, usize) {
    let mut lines = Vec::new();
    let mut selected_line = 0;
    let mut segment = None;
    for (i, row) in panel.rows.iter().enumerate() {
        if segment != Some(row.segment) {
            segment = Some(row.segment);
            let name = panel.segments.get(row.segment).cloned().unwrap_or_default();
            lines.push(Line::from(Span::styled(name, theme::title())));
        }
        let value = match (&panel.typing, i == panel.selected) {
            (Some(text), true) => format!("{text}▏"),
            _ => number(row.value),
        };
        let style = if i == panel.selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        if i == panel.selected {
            selected_line = lines.len();
        }
        let marker = if i == panel.selected { "▸ " } else { "  " };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(format!("{:<20}{value:>12}", row.field), style),
        ]));
    }
    (lines, selected_line)
}

/// A value as a user would write it: `0.3`, `60`, `1e-5`.
fn number(value: f64) -> String {
    if value != 0.0 && value.abs() < 1e-3 {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

fn hint_line() -> Line<'static> {
    let key = |k: &'static str| Span::styled(k, theme::key());
    let text = |t: &'static str| Span::styled(t, theme::dim());
    Line::from(vec![
        key("↑↓"),
        text(" field  "),
        key("←→"),
        text(" step  "),
        key("0-9"),
        text(" type  "),
        key("enter"),
        text(" apply  "),
        key("esc"),
        text(" cancel"),
    ])
}
