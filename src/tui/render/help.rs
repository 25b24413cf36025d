//! The `?` overlay: every key, and how to read the figures.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::format::thousands;
use super::popup::centered;
use super::theme;
use crate::tui::keys::HELP;
use crate::tui::session::PACE_EPISODES;

/// How to read the screen, under the keys.
fn notes() -> Vec<String> {
    vec![
        "Table figures are over each lane's last W episodes (W in its title); ± is a 95% CI."
            .into(),
        "Δ vs random pairs the last W episodes both lanes ran: the same users, so the interval"
            .into(),
        format!(
            "is much narrower than comparing two means. Lanes are kept side by side (within {}",
            thousands(PACE_EPISODES)
        ),
        "episodes) and a new lane starts beside the others, on the users they meet now.".into(),
        "steps/s is each lane's own speed: steps per second of the time it worked.".into(),
        "Dashed grey lines are reference baselines, measured on 1,000 episodes each.".into(),
    ]
}

pub(super) fn render(area: Rect, buf: &mut Buffer) {
    // Two columns of keys when there is room, so the help fits a 24-row terminal.
    let columns = if area.width >= 100 { 2 } else { 1 };
    let key_rows = HELP.len().div_ceil(columns);
    let notes = notes();
    let height = (key_rows + notes.len() + 3) as u16;
    let rect = centered(area, 92, height);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_style(theme::focused_border())
        .title(Span::styled(" Keys · esc or ? closes ", theme::title()));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let entry = |(key, what): &(&str, &str)| {
        vec![
            Span::styled(format!(" {key:>9}  "), theme::key()),
            Span::raw(format!("{what:<32}")),
        ]
    };
    let mut lines: Vec<Line> = (0..key_rows)
        .map(|r| {
            let spans = (0..columns)
                .filter_map(|c| HELP.get(c * key_rows + r))
                .flat_map(entry)
                .collect::<Vec<_>>();
            Line::from(spans)
        })
        .collect();
    lines.push(Line::from(""));
    lines.extend(
        notes
            .iter()
            .map(|n| Line::from(Span::styled(format!(" {n}"), theme::dim()))),
    );
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}
