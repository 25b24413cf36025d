//! The `?` overlay: every key, and how to read the figures.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::format::thousands;
use super::popup::centered;
use super::theme;
use crate::tui::keys::HELP;
use crate::tui::session::PACE_EPISODES;

/// How to read the screen, under the keys: one sentence group per entry, wrapped to fit.
fn notes() -> Vec<String> {
    vec![
        "Table figures are over each lane's last W episodes (W in its title); ± is a 95% CI."
            .into(),
        "Δ vs random pairs the last W episodes both lanes ran: the same users, so the interval \
         is much narrower than comparing two means."
            .into(),
        pace_note(),
        "A new lane starts beside the others, on the users they meet now.".into(),
        "steps/s is each lane's speed: steps per second of the time it worked, at most the \
         speed set with + and -."
            .into(),
        "Dashed grey lines are reference baselines, measured on 1,000 episodes each.".into(),
    ]
}

/// How far lanes may drift apart; the README says the same sentence (a test checks it).
fn pace_note() -> String {
    format!(
        "Lanes are kept side by side: a lane waits when it is about {} episodes ahead of the \
         slowest, so their curves can end up that many episodes apart.",
        thousands(PACE_EPISODES)
    )
}

/// Lines `text` takes when word-wrapped to `width` columns, as the paragraph wraps it (for
/// words no longer than a line, which the notes' are).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let width = width.max(1);
    let (mut lines, mut used) = (1, 0);
    for word in text.split(' ') {
        let len = word.chars().count();
        let need = if used == 0 { len } else { used + 1 + len };
        if need <= width {
            used = need;
        } else {
            lines += 1;
            used = len.min(width);
        }
    }
    lines
}

pub(super) fn render(area: Rect, buf: &mut Buffer) {
    // Two columns of keys when there is room, so the help fits a 24-row terminal.
    let columns = if area.width >= 100 { 2 } else { 1 };
    let key_rows = HELP.len().div_ceil(columns);
    let width = area.width.min(92);
    // Inside the border, one column of margin on each side.
    let text_width = usize::from(width.saturating_sub(4));
    let notes = notes();
    let note_rows: usize = notes.iter().map(|n| wrapped_lines(n, text_width)).sum();
    // The notes go when they would push the keys off a small screen.
    let with_notes = key_rows + 1 + note_rows + 2 <= usize::from(area.height);
    let height = if with_notes {
        key_rows + 1 + note_rows + 2
    } else {
        key_rows + 2
    };
    let rect = centered(area, 92, height as u16);
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
    let keys: Vec<Line> = (0..key_rows)
        .map(|r| {
            let spans = (0..columns)
                .filter_map(|c| HELP.get(c * key_rows + r))
                .flat_map(entry)
                .collect::<Vec<_>>();
            Line::from(spans)
        })
        .collect();
    let [keys_area, notes_area] =
        Layout::vertical([Constraint::Length(key_rows as u16 + 1), Constraint::Min(0)])
            .areas(inner);
    Paragraph::new(keys).render(keys_area, buf);
    if with_notes {
        let lines: Vec<Line> = notes
            .iter()
            .map(|n| Line::from(Span::styled(n.as_str(), theme::dim())))
            .collect();
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(notes_area.inner(Margin::new(1, 0)), buf);
    }
}

#[cfg(test)]
mod tests {
    use super::{pace_note, wrapped_lines};

    #[test]
    fn wraps_words_as_a_paragraph_does() {
        assert_eq!(wrapped_lines("abc def", 7), 1);
        assert_eq!(wrapped_lines("abc def", 6), 2);
        assert_eq!(wrapped_lines("abc def ghi", 7), 2);
    }

    #[test]
    fn the_readme_says_what_the_help_says_about_pace() {
        let readme = include_str!("../../../README.md")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            readme.contains(&pace_note()),
            "README lacks: {}",
            pace_note()
        );
    }
}
