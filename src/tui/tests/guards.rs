//! Keys that could lose work or surprise: removing a lane asks first, loading a scenario keeps
//! a pause, keys pressed on a too-small screen (all but q) are ignored, and scenario errors
//! say what is wrong.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::engine::Event;
use crate::tui::app::{Action, App, Msg, Overlay, update};
use crate::tui::synthetic;

fn app() -> App {
    synthetic::app(&synthetic::three_profiles(), 1, 50)
}

fn key(app: &mut App, code: KeyCode) -> Vec<Action> {
    update(app, Msg::Key(KeyEvent::from(code)))
}

fn sends(actions: &[Action]) -> Vec<String> {
    actions.iter().map(|a| format!("{a:?}")).collect()
}

#[test]
fn d_asks_before_removing_and_only_y_removes() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert!(key(&mut app, KeyCode::Char('d')).is_empty(), "nothing yet");
    assert_ne!(app.overlay, Overlay::None, "a question is on screen");
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert_eq!(app.overlay, Overlay::None);
    key(&mut app, KeyCode::Char('d'));
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    key(&mut app, KeyCode::Char('d'));
    assert!(
        key(&mut app, KeyCode::Char('q')).is_empty() && !app.quit,
        "q answers no"
    );
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(
        sends(&key(&mut app, KeyCode::Char('y'))),
        ["Send(RemoveLane(2))"]
    );
    assert_eq!(app.overlay, Overlay::None);
    update(&mut app, Msg::Engine(Event::LaneRemoved { lane: 2 }));
    assert_eq!(app.lanes.len(), 2);
}

#[test]
fn loading_a_scenario_keeps_a_pause() {
    let mut app = app();
    key(&mut app, KeyCode::Char(' '));
    update(&mut app, Msg::SessionStarted(synthetic::session(1)));
    assert!(app.paused, "still paused after loading");
    assert_eq!(sends(&key(&mut app, KeyCode::Char(' '))), ["Send(Resume)"]);
}

#[test]
fn a_too_small_screen_ignores_every_key_but_q() {
    let mut app = app();
    update(
        &mut app,
        Msg::Resize {
            width: 60,
            height: 20,
        },
    );
    assert!(key(&mut app, KeyCode::Char('?')).is_empty());
    assert!(key(&mut app, KeyCode::Char(' ')).is_empty());
    update(
        &mut app,
        Msg::Resize {
            width: 160,
            height: 48,
        },
    );
    assert_eq!(
        app.overlay,
        Overlay::None,
        "no help pops up after enlarging"
    );
    assert!(!app.paused);
    update(
        &mut app,
        Msg::Resize {
            width: 60,
            height: 20,
        },
    );
    assert!(matches!(
        key(&mut app, KeyCode::Char('q')).as_slice(),
        [Action::Quit]
    ));
}

#[test]
fn a_blank_scenario_name_is_called_blank() {
    let text = std::fs::read_to_string("scenarios/choc-kale.ron").expect("choc-kale.ron");
    let blank = text.replacen("name: \"choc-kale\"", "name: \"   \"", 1);
    assert_ne!(blank, text);
    let err = crate::scenario::from_str(&blank, "x.ron").expect_err("a blank name");
    assert!(err.to_string().contains("blank"), "{err}");
}
