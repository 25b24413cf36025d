//! The status line and the key hints at the bottom.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme;
use crate::tui::app::App;

/// Hints in order of importance: as many as fit are shown.
const HINTS: &[(&str, &str)] = &[
    ("space", "pause"),
    ("q", "quit"),
    ("?", "help"),
    ("n", "step"),
    ("+/-", "speed"),
    ("tab", "lane"),
    ("a", "add"),
    ("d", "remove"),
    ("⏎", "switch agent"),
    ("s", "scenario"),
    ("r", "reset"),
    ("e", "export"),
    ("c", "chart"),
    ("x", "x-axis"),
];

pub(super) fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    if let Some(status) = &app.status {
        let style = if status.error {
            theme::error()
        } else {
            theme::title()
        };
        Line::from(vec![
            Span::styled(format!(" {}", status.text), style),
            Span::styled("  (esc clears)", theme::dim()),
        ])
        .render(area, buf);
    }
}

pub(super) fn render_keys(app: &App, area: Rect, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let mut shown: Vec<(&str, &str)> = Vec::new();
    let mut used = 1;
    for &(key, what) in HINTS {
        let what = if key == "space" && app.paused {
            "resume"
        } else {
            what
        };
        let len = key.chars().count() + what.chars().count() + 4;
        if used + len > width {
            break;
        }
        used += len;
        shown.push((key, what));
    }
    // Keep the screen's reading order: pause first, quit and help last.
    let order = |k: &str| match k {
        "q" => 2,
        "?" => 1,
        _ => 0,
    };
    shown.sort_by_key(|(k, _)| order(k));
    let mut spans = vec![Span::raw(" ")];
    for (i, (key, what)) in shown.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        spans.push(Span::styled(*key, theme::key()));
        spans.push(Span::raw(format!(" {what}")));
    }
    Line::from(spans).style(theme::bar()).render(area, buf);
}
