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

/// Lanes of an Interest Evolution session serving slates of three, each item with its topic.
fn interest_evolution_k3() -> App {
    let mut app = three_lanes();
    app.session.kind = crate::sim::EnvKind::InterestEvolution;
    app.session.slate_size = 3;
    let step = |i: u32| crate::engine::ServedStep {
        episode: 4_159,
        step: i,
        items: [(15, 19), (11, 17), (7, 19)]
            .into_iter()
            .map(|(index, topic)| crate::engine::ServedItem {
                index,
                cluster: Some(topic),
                features: vec![0.1; 20],
            })
            .collect(),
        best_feature0: f64::NAN,
        clicked: Some(1),
        engagement: 3.5,
        satisfaction: 0.0,
        reward: 3.5,
    };
    app.lanes[0].progress.trace = (0..8).map(step).collect();
    app
}

#[test]
fn a_slate_of_three_is_served_in_full() {
    let app = interest_evolution_k3();
    let screen = screen(&app, 160, 48);
    assert!(
        screen.contains("#15 · t19, #11 · t17, #7 · t19"),
        "the served column is cut:\n{screen}"
    );
    insta::assert_snapshot!("served_k3_160x48", screen);
}

#[test]
fn steps_per_second_is_the_throttled_rate() {
    let mut app = three_lanes();
    for _ in 0..5 {
        press(&mut app, KeyCode::Char('-'));
    }
    let screen = screen(&app, 160, 48);
    let random = screen
        .lines()
        .find(|l| l.contains("● random"))
        .expect("the random row");
    assert!(
        random.trim_matches('"').trim_end().ends_with(" 10"),
        "random's steps/s at 10 steps/s:\n{random}"
    );
}

#[test]
fn removing_a_lane_asks_first() {
    let mut app = three_lanes();
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('d'));
    insta::assert_snapshot!("confirm_remove_100x30", screen(&app, 100, 30));
}

#[test]
fn a_scheduled_shift_is_marked_on_the_charts_and_in_the_header() {
    let mut app = three_lanes();
    app.session.shifts = vec![crate::sim::schedule::ShiftInfo {
        episode: 2_000,
        description: "share clickbait-sensitive 0.3 → 0.7, robust 0.7 → 0.3".into(),
    }];
    snapshot_each_size("shift", &app);
    let wide = screen(&app, 160, 48);
    assert!(wide.contains("population 2/2"), "{wide}");
    assert!(wide.contains("shift@2.0k"), "{wide}");
    assert!(screen(&app, 80, 24).contains("pop 2/2"));
    // Not reached yet: the first population, and no marker.
    app.session.shifts[0].episode = 1_000_000;
    let early = screen(&app, 160, 48);
    assert!(
        early.contains("population 1/2") && !early.contains("shift@"),
        "{early}"
    );
}

#[test]
fn what_if_panel() {
    let mut app = three_lanes();
    let s = crate::scenario::load("mixed-population").unwrap();
    app.session.environment = Some(Box::new(s.file.environment));
    press(&mut app, KeyCode::Char('w'));
    for _ in 0..8 {
        press(&mut app, KeyCode::Right);
    }
    snapshot_each_size("what_if", &app);
    let small = screen(&app, 80, 24);
    assert!(small.contains("0.7") && small.contains("robust"), "{small}");
    // A refused value: the scenario's validation message, inline.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    for c in ['1', '.', '5'] {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("what_if_refused_80x24", screen(&app, 80, 24));
}
