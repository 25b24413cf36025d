//! Key bindings: what a key press means, given what is on screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::Overlay;

/// What the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Leave the dashboard.
    Quit,
    /// Close the overlay (or clear the status line).
    Cancel,
    /// Take the highlighted entry.
    Confirm,
    /// Highlight the previous entry.
    Up,
    /// Highlight the next entry.
    Down,
    /// Focus the next lane.
    NextLane,
    /// Focus the previous lane.
    PrevLane,
    /// Pause or resume.
    TogglePause,
    /// One environment step while paused.
    Step,
    /// Next speed level.
    Faster,
    /// Previous speed level.
    Slower,
    /// Add a lane (opens the agent picker).
    AddLane,
    /// Remove the focused lane (after a y).
    RemoveLane,
    /// Give the focused lane another agent (opens the agent picker).
    SwitchAgent,
    /// Open the scenario picker.
    PickScenario,
    /// Restart every lane.
    ResetAll,
    /// Export the results as JSON.
    Export,
    /// Focus the next chart.
    NextChart,
    /// Toggle the focused chart's x-axis.
    ToggleAxis,
    /// Show only the focused chart, or all.
    Zoom,
    /// Show the key reference.
    Help,
    /// Open the what-if panel (edit the population).
    WhatIf,
    /// Undo the last applied population change.
    Undo,
    /// Raise the highlighted value by a step.
    Increase,
    /// Lower the highlighted value by a step.
    Decrease,
    /// A character typed into the highlighted value.
    Type(char),
    /// Erase the last typed character.
    Erase,
}

/// One row of the key reference: keys and what they do.
pub const HELP: &[(&str, &str)] = &[
    ("space", "pause / resume"),
    ("n", "one step (while paused)"),
    ("+ / -", "speed: 10 steps/s … max"),
    ("tab ↑ ↓", "focus a lane"),
    ("a", "add a lane (pick an agent)"),
    ("d", "remove the focused lane (y/n)"),
    ("enter", "new agent for the focused lane"),
    ("s", "load a scenario"),
    ("r", "reset all lanes"),
    ("e", "export results as JSON"),
    ("c", "focus the next chart"),
    ("x", "chart x-axis: episodes / steps"),
    ("z", "zoom the focused chart"),
    ("w", "what-if: edit the population"),
    ("u", "undo the last population change"),
    ("?", "this help"),
    ("esc", "close a window"),
    ("q  ctrl-c", "quit"),
];

/// The meaning of `key` with `overlay` on screen, if any.
pub fn intent(overlay: &Overlay, key: KeyEvent) -> Option<Intent> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c' | 'C')) {
        return Some(Intent::Quit);
    }
    if ctrl {
        return None;
    }
    match overlay {
        Overlay::None => main_screen(key.code),
        Overlay::Help => match key.code {
            KeyCode::Char('q') => Some(Intent::Quit),
            KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => Some(Intent::Cancel),
            _ => None,
        },
        Overlay::Agents(..) | Overlay::Scenarios(..) => match key.code {
            KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => Some(Intent::Up),
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => Some(Intent::Down),
            KeyCode::Enter => Some(Intent::Confirm),
            KeyCode::Esc | KeyCode::Char('q') => Some(Intent::Cancel),
            _ => None,
        },
        // Only y removes; any other key keeps the lane.
        Overlay::ConfirmRemove { .. } => match key.code {
            KeyCode::Char('y' | 'Y') => Some(Intent::Confirm),
            _ => Some(Intent::Cancel),
        },
        Overlay::WhatIf(..) => match key.code {
            KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => Some(Intent::Up),
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => Some(Intent::Down),
            KeyCode::Left | KeyCode::Char('-' | '_') => Some(Intent::Decrease),
            KeyCode::Right | KeyCode::Char('+' | '=') => Some(Intent::Increase),
            KeyCode::Char(c) if c.is_ascii_digit() || c == '.' => Some(Intent::Type(c)),
            KeyCode::Backspace => Some(Intent::Erase),
            KeyCode::Enter => Some(Intent::Confirm),
            KeyCode::Esc | KeyCode::Char('q') => Some(Intent::Cancel),
            _ => None,
        },
        // Any key acknowledges an error.
        Overlay::Error { .. } => Some(Intent::Cancel),
    }
}

/// The meaning of `key` while the terminal is too small to draw the dashboard: only quitting.
pub fn too_small_intent(key: KeyEvent) -> Option<Intent> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c' | 'C') if ctrl => Some(Intent::Quit),
        KeyCode::Char('q') if !ctrl => Some(Intent::Quit),
        _ => None,
    }
}

fn main_screen(code: KeyCode) -> Option<Intent> {
    Some(match code {
        KeyCode::Char('q') => Intent::Quit,
        KeyCode::Esc => Intent::Cancel,
        KeyCode::Char(' ') => Intent::TogglePause,
        KeyCode::Char('n') => Intent::Step,
        KeyCode::Char('+' | '=') => Intent::Faster,
        KeyCode::Char('-' | '_') => Intent::Slower,
        KeyCode::Tab | KeyCode::Down | KeyCode::Char('j') => Intent::NextLane,
        KeyCode::BackTab | KeyCode::Up | KeyCode::Char('k') => Intent::PrevLane,
        KeyCode::Char('a') => Intent::AddLane,
        KeyCode::Char('d') | KeyCode::Delete => Intent::RemoveLane,
        KeyCode::Enter => Intent::SwitchAgent,
        KeyCode::Char('s') => Intent::PickScenario,
        KeyCode::Char('r') => Intent::ResetAll,
        KeyCode::Char('e') => Intent::Export,
        KeyCode::Char('c') => Intent::NextChart,
        KeyCode::Char('x') => Intent::ToggleAxis,
        KeyCode::Char('z') => Intent::Zoom,
        KeyCode::Char('?') => Intent::Help,
        KeyCode::Char('w') => Intent::WhatIf,
        KeyCode::Char('u') => Intent::Undo,
        _ => return None,
    })
}
