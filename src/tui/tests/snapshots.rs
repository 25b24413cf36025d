//! Whole-screen snapshots at 80×24 (the smallest size drawn), 100×30 and 160×48 (ratatui's
//! TestBackend + insta).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::tui::app::{App, Msg, update};
use crate::tui::render::render;
use crate::tui::synthetic;

const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (160, 48)];

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal.backend().to_string()
}

fn three_lanes() -> App {
    synthetic::app(&synthetic::three_profiles(), 1, 4_160)
}

fn press(app: &mut App, code: KeyCode) {
    update(app, Msg::Key(KeyEvent::from(code)));
}

fn snapshot_each_size(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(app, w, h));
    }
}

#[test]
fn main_screen_with_three_lanes() {
    snapshot_each_size("main", &three_lanes());
}

#[test]
fn help_overlay() {
    let mut app = three_lanes();
    press(&mut app, KeyCode::Char('?'));
    snapshot_each_size("help", &app);
}

#[test]
fn scenario_error_popup() {
    let mut app = three_lanes();
    update(
        &mut app,
        Msg::ScenarioFailed(
            "scenarios/broken.ron:12:5: agents[1]: unknown agent `LinUCB`; known agents: random, sweetest"
                .into(),
        ),
    );
    snapshot_each_size("scenario_error", &app);
}

#[test]
fn paused_state() {
    let mut app = three_lanes();
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    snapshot_each_size("paused", &app);
}

#[test]
fn too_small_terminal() {
    insta::assert_snapshot!("too_small_60x20", screen(&three_lanes(), 60, 20));
    insta::assert_snapshot!("too_small_100x20", screen(&three_lanes(), 100, 20));
}

#[test]
fn multi_seed_bands() {
    let app = synthetic::app(&synthetic::three_profiles()[..2], 3, 2_000);
    insta::assert_snapshot!("multi_seed_160x48", screen(&app, 160, 48));
}

#[test]
fn agent_picker() {
    let mut app = three_lanes();
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Down);
    insta::assert_snapshot!("agent_picker_100x30", screen(&app, 100, 30));
}
