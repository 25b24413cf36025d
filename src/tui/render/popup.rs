//! Centred windows over the main screen: the scenario-error popup and the remove question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::theme;

/// A `width`×`height` rectangle centred in `area` (clamped to it).
pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A bordered, cleared window titled `title`; returns its inner area.
pub(super) fn window(frame: &mut Frame, area: Rect, title: Line<'static>) -> Rect {
    let block = Block::bordered()
        .border_style(theme::focused_border())
        .title(title);
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    inner
}

/// An error to acknowledge, e.g. `scenarios/x.ron:12:5: agents[1]: unknown agent`.
pub(super) fn error(title: &str, message: &str, area: Rect, frame: &mut Frame) {
    let width = (area.width * 4 / 5).clamp(40, 110);
    // Room for the wrapped message plus the two hint lines and borders.
    let text_width = usize::from(width.saturating_sub(4)).max(1);
    let wrapped: usize = message
        .lines()
        .map(|l| l.chars().count().div_ceil(text_width).max(1))
        .sum();
    let height = (wrapped as u16 + 5).min(area.height);
    let rect = centered(area, width, height);
    let inner = window(
        frame,
        rect,
        Line::from(Span::styled(format!(" {title} "), theme::error())),
    );
    let mut lines: Vec<Line> = message.lines().map(|l| Line::from(l.to_owned())).collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "press any key to close",
        theme::dim(),
    )));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        inner.inner(ratatui::layout::Margin::new(1, 0)),
    );
}

/// Asks before lane `label` is removed, with what is lost.
pub(super) fn confirm_remove(label: &str, area: Rect, frame: &mut Frame) {
    let rect = centered(area, 56, 6);
    let inner = window(
        frame,
        rect,
        Line::from(Span::styled(" Remove a lane ", theme::title())),
    );
    let lines = vec![
        Line::from(format!("Remove {label}? y/n")),
        Line::from(Span::styled(
            "Its results and what it learned are lost.",
            theme::dim(),
        )),
        Line::from(""),
        Line::from(Span::styled(
            "y removes it · any other key keeps it",
            theme::dim(),
        )),
    ];
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }),
        inner.inner(ratatui::layout::Margin::new(1, 0)),
    );
}
