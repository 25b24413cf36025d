//! "What the agent is doing": the focused lane's last served slates, each item's observable
//! features (for choc-kale: how sweet it was against the sweetest available), the click,
//! and the learner's internals.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap,
};

use super::format::{compact, fixed, thousands};
use super::theme;
use crate::agent::Internals;
use crate::engine::{ServedItem, ServedStep};
use crate::sim::EnvKind;
use crate::tui::app::{App, LaneState, LaneView};

pub(super) fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(lane) = app.focused_lane() else {
        Block::new().borders(Borders::TOP).render(area, buf);
        return;
    };
    let color = theme::lane_color(app, lane);
    let block = Block::new()
        .borders(Borders::TOP)
        .border_style(theme::dim())
        .title(Line::from(vec![
            Span::styled(
                format!(" Lane {} · {} ", app.focus + 1, lane.spec.label),
                theme::title().fg(color),
            ),
            Span::styled("· what it serves (latest last) ", theme::dim()),
        ]));
    let inner = block.inner(area);
    block.render(area, buf);
    let side = match inner.width {
        120.. => 44,
        100.. => 32,
        _ => 26,
    };
    let [trace_area, internals_area] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(side)]).areas(inner);
    trace(app.session.kind, lane, trace_area, buf);
    internals(lane, internals_area, buf);
}

fn trace(kind: EnvKind, lane: &LaneView, area: Rect, buf: &mut Buffer) {
    let wide = area.width >= 100;
    // Below this the episode column goes, so the others keep their width (80-column terminals).
    let episodes = area.width >= 66;
    // Only these environments have a best available item to show beside the served one.
    let has_best = matches!(
        kind,
        EnvKind::LongTermSatisfaction | EnvKind::InterestExploration
    );
    let (served, best) = match (kind, wide) {
        (EnvKind::LongTermSatisfaction, true) => ("served (sweetness)", "sweetest available"),
        (EnvKind::LongTermSatisfaction, false) => ("served", "sweetest"),
        (EnvKind::InterestExploration, true) => ("served (quality · topic)", "best quality"),
        (EnvKind::InterestExploration, false) => ("served", "best q"),
        (EnvKind::InterestEvolution, true) => ("served (candidate · topic)", ""),
        (EnvKind::LinearBandit, true) => ("served (candidate · features)", ""),
        (EnvKind::InterestEvolution | EnvKind::LinearBandit, false) => ("served", ""),
    };
    let mut columns: Vec<(&str, u16)> = vec![
        ("episode", 9),
        ("step", 4),
        (served, if wide { 28 } else { 16 }),
        (best, if wide { 18 } else { 8 }),
        ("click", 5),
        ("engagement", 10),
        ("satisf.", 7),
    ];
    if wide {
        columns.push(("reward", 8));
    }
    if !episodes {
        columns.remove(0);
        columns[4] = ("engage.", 8);
    }
    let served_at = usize::from(episodes) + 1;
    if !has_best {
        columns.remove(served_at + 1);
    }
    let steps = &lane.progress.trace;
    let visible = usize::from(area.height.saturating_sub(1));
    let shown = &steps[steps.len().saturating_sub(visible)..];
    // The served column grows into the room the others leave, as far as its slates need.
    let others: u16 = columns.iter().map(|(_, w)| w).sum::<u16>() - columns[served_at].1
        + columns.len() as u16
        - 1;
    let need = shown
        .iter()
        .map(|s| served_text(kind, s).chars().count())
        .max()
        .unwrap_or(0);
    let least = columns[served_at].1;
    let room = area.width.saturating_sub(others).max(least);
    columns[served_at].1 = u16::try_from(need).unwrap_or(u16::MAX).clamp(least, room);
    let header =
        Row::new(columns.iter().map(|(title, _)| Cell::from(*title))).style(theme::title());
    let widths = columns.iter().map(|&(_, w)| Constraint::Length(w));
    let rows: Vec<Row> = if steps.is_empty() {
        vec![Row::new([Cell::from(Span::styled(
            "  no steps yet",
            theme::dim(),
        ))])]
    } else {
        shown
            .iter()
            .map(|s| step_row(kind, s, wide, episodes, has_best))
            .collect()
    };
    let table = Table::new(rows, widths).header(header).column_spacing(1);
    StatefulWidget::render(table, area, buf, &mut TableState::new());
}

/// The served slate, item by item.
fn served_text(kind: EnvKind, s: &ServedStep) -> String {
    let items: Vec<String> = s.items.iter().map(|served| item(kind, served)).collect();
    items.join(", ")
}

fn step_row(
    kind: EnvKind,
    s: &ServedStep,
    wide: bool,
    episodes: bool,
    has_best: bool,
) -> Row<'static> {
    let best = match kind {
        EnvKind::LongTermSatisfaction | EnvKind::InterestExploration => fixed(s.best_feature0, 2),
        EnvKind::InterestEvolution | EnvKind::LinearBandit => String::new(),
    };
    let click = match s.clicked {
        // Name the clicked candidate as the served column does, not its slot.
        Some(pos) if s.items.len() > 1 => s
            .items
            .get(pos)
            .map_or_else(|| "✓".into(), |served| format!("✓ #{}", served.index)),
        Some(_) => "✓".into(),
        None => "·".into(),
    };
    let episode = if s.episode >= 10_000_000 {
        compact(s.episode as f64)
    } else {
        thousands(s.episode)
    };
    let mut cells = vec![
        Cell::from(episode),
        Cell::from(format!("{}", s.step + 1)),
        Cell::from(served_text(kind, s)),
        Cell::from(best),
        Cell::from(click),
        Cell::from(fixed(s.engagement, 2)),
        Cell::from(fixed(s.satisfaction, 2)),
    ];
    if wide {
        cells.push(Cell::from(fixed(s.reward, 2)));
    }
    if !has_best {
        cells.remove(3);
    }
    if !episodes {
        cells.remove(0);
    }
    Row::new(cells)
}

/// One served item in the environment's own terms.
fn item(kind: EnvKind, served: &ServedItem) -> String {
    let (index, features) = (served.index, served.features.as_slice());
    let topic = || {
        served
            .cluster
            .map_or_else(String::new, |t| format!(" · t{t}"))
    };
    match kind {
        EnvKind::LongTermSatisfaction => {
            let sweetness = features.first().copied().unwrap_or(f64::NAN);
            let word = if sweetness >= 0.5 { "sweet" } else { "bitter" };
            format!("{} {word}", fixed(sweetness, 2))
        }
        EnvKind::InterestExploration => {
            let quality = features.first().copied().unwrap_or(f64::NAN);
            format!("#{index} q {}{}", fixed(quality, 2), topic())
        }
        EnvKind::InterestEvolution => format!("#{index}{}", topic()),
        EnvKind::LinearBandit => {
            let shown: Vec<String> = features.iter().take(2).map(|v| fixed(*v, 2)).collect();
            format!("#{index} [{}]", shown.join(" "))
        }
    }
}

fn internals(lane: &LaneView, area: Rect, buf: &mut Buffer) {
    let block = Block::new()
        .borders(Borders::LEFT)
        .border_style(theme::dim())
        .title(Span::styled(" learner ", theme::dim()));
    let inner = block.inner(area);
    block.render(area, buf);
    let mut lines = internal_lines(&lane.progress.internals);
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            if lane.learns() {
                " no internals reported yet"
            } else {
                " does not learn: no internals"
            },
            theme::dim(),
        )));
    }
    if let LaneState::Failed(message) = &lane.state {
        lines.push(Line::from(Span::styled(
            format!(" failed: {message}"),
            theme::error(),
        )));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

fn internal_lines(i: &Internals) -> Vec<Line<'static>> {
    let pair = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!(" {name} "), theme::dim()),
            Span::styled(value, Style::new()),
        ])
    };
    let mut lines = Vec::new();
    if let Some(e) = i.epsilon {
        lines.push(pair("ε", fixed(e, 3)));
    }
    if let Some(l) = i.td_loss {
        lines.push(pair("TD loss", fixed(l, 3)));
    }
    if let Some(q) = i.mean_q {
        lines.push(pair("mean Q", fixed(q, 2)));
    }
    if let Some(w) = i.confidence_width {
        lines.push(pair("confidence width", fixed(w, 3)));
    }
    if let Some((len, cap)) = i.replay {
        lines.push(pair(
            "replay",
            format!("{}/{}", thousands(len as u64), thousands(cap as u64)),
        ));
    }
    if let Some(u) = i.updates {
        lines.push(pair("updates", thousands(u)));
    }
    lines
}
