//! The top bar: scenario, seed, run state, speed, users and steps so far, and with scheduled
//! population shifts the population in force.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::format::{compact, thousands};
use super::theme;
use crate::engine::Speed;
use crate::sim::EnvKind;
use crate::tui::app::App;

/// The short name of an environment model.
pub fn kind_short(kind: EnvKind) -> &'static str {
    match kind {
        EnvKind::InterestEvolution => "IEv",
        EnvKind::LongTermSatisfaction => "LTS",
        EnvKind::InterestExploration => "IEx",
        EnvKind::LinearBandit => "linear bandit",
    }
}

/// `max` or `1k steps/s`.
pub fn speed_text(speed: Speed) -> String {
    match speed {
        Speed::Max => "max".into(),
        Speed::StepsPerSecond(r) => format!("{} steps/s", compact(r)),
    }
}

pub(super) fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.session;
    let sep = || Span::styled(" │ ", theme::dim());
    let (state, color) = if app.stopped {
        ("■ stopped", Color::LightRed)
    } else if app.paused {
        ("⏸ paused", Color::Yellow)
    } else {
        ("▶ running", Color::LightGreen)
    };
    let seeds = match (s.seeds.first(), s.seeds.last()) {
        (Some(Some(a)), Some(Some(b))) if s.seeds.len() > 1 => {
            format!("seeds {a}–{b} ({} per agent)", s.seeds.len())
        }
        _ => format!("seed {}", s.seed),
    };
    let (users, steps) = app.totals();
    // Below 100 columns the brand, the model's shape and the word "speed" go, so the run
    // state and the totals stay on screen.
    let narrow = area.width < 100;
    let mut spans = Vec::new();
    if !narrow {
        spans.extend([
            Span::styled(" slatelab", theme::title().fg(Color::Cyan)),
            sep(),
        ]);
    }
    spans.push(Span::styled(
        format!("{}{}", if narrow { " " } else { "" }, s.scenario),
        theme::title(),
    ));
    if !narrow {
        spans.push(Span::raw(format!(
            " ({} · N={} K={})",
            kind_short(s.kind),
            s.num_candidates,
            s.slate_size
        )));
    }
    spans.extend([
        sep(),
        Span::raw(seeds),
        sep(),
        Span::styled(state, Style::new().fg(color).add_modifier(Modifier::BOLD)),
        Span::raw(format!(
            " · {}{}",
            if narrow { "" } else { "speed " },
            speed_text(app.speed())
        )),
        sep(),
        Span::raw(if area.width >= 130 {
            format!("users {} · steps {}", thousands(users), thousands(steps))
        } else {
            format!(
                "users {} · steps {}",
                compact(users as f64),
                compact(steps as f64)
            )
        }),
    ]);
    if let Some((active, count)) = app.active_population() {
        spans.extend([
            sep(),
            Span::styled(
                if narrow {
                    format!("pop {active}/{count}")
                } else {
                    format!("population {active}/{count}")
                },
                Style::new().fg(theme::SHIFT),
            ),
        ]);
    }
    let line = Line::from(spans);
    Widget::render(line.style(theme::bar()), area, buf);
}
