//! Colours and styles, in one place so every panel agrees.

use ratatui::style::{Color, Modifier, Style};

use crate::report::palette::AgentColor;
use crate::tui::app::{App, LaneView};

/// The terminal colour of an agent's palette entry (shared with figures).
pub const fn agent_color(color: AgentColor) -> Color {
    match color {
        AgentColor::Yellow => Color::Yellow,
        AgentColor::Cyan => Color::Cyan,
        AgentColor::Magenta => Color::Magenta,
        AgentColor::Green => Color::Green,
        AgentColor::LightBlue => Color::LightBlue,
        AgentColor::LightRed => Color::LightRed,
        AgentColor::LightGreen => Color::LightGreen,
        AgentColor::LightMagenta => Color::LightMagenta,
    }
}

/// Reference lines: dim, so they read as background.
pub const REFERENCE: Color = Color::DarkGray;

/// Population shift markers: light, so they stand apart from the reference lines.
pub const SHIFT: Color = Color::Gray;

/// The colour of `lane`: its own, or in multi-seed mode its agent group's (the first lane
/// of that agent), so seeds of one agent share a colour.
pub fn lane_color(app: &App, lane: &LaneView) -> Color {
    let slot = if app.multi_seed() {
        app.lanes
            .iter()
            .find(|l| l.spec.agent == lane.spec.agent)
            .map_or(lane.color, |first| first.color)
    } else {
        lane.color
    };
    agent_color(AgentColor::of_slot(slot))
}

/// Titles of panels.
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Secondary text.
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// The border of the focused panel.
pub fn focused_border() -> Style {
    Style::new().fg(Color::Cyan)
}

/// An error message.
pub fn error() -> Style {
    Style::new()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
}

/// The header and footer bars.
pub fn bar() -> Style {
    Style::new().bg(Color::Indexed(236)).fg(Color::White)
}

/// A key name in hints.
pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}
