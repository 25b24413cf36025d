//! Key handling on the pure update function: what each key changes and asks the engine.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::agent::AgentSpec;
use crate::agent::bandit::LinUcbParams;
use crate::engine::{Command, Event, Speed};
use crate::tui::app::{
    Action, App, Exported, LaneState, Msg, Overlay, PickPurpose, ScenarioChoice, XAxis, update,
};
use crate::tui::synthetic;

fn app() -> App {
    synthetic::app(&synthetic::three_profiles(), 1, 50)
}

fn key(app: &mut App, code: KeyCode) -> Vec<Action> {
    update(app, Msg::Key(KeyEvent::from(code)))
}

fn commands(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .map(|a| match a {
            Action::Send(c) => format!("{c:?}"),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn space_pauses_and_resumes_and_n_steps_only_while_paused() {
    let mut app = app();
    assert!(key(&mut app, KeyCode::Char('n')).is_empty());
    assert!(app.status.is_some(), "n while running explains itself");
    assert_eq!(commands(&key(&mut app, KeyCode::Char(' '))), ["Pause"]);
    assert!(app.paused);
    assert_eq!(commands(&key(&mut app, KeyCode::Char('n'))), ["Step"]);
    assert_eq!(commands(&key(&mut app, KeyCode::Char(' '))), ["Resume"]);
    assert!(!app.paused);
    // The engine's own report wins.
    update(&mut app, Msg::Engine(Event::Paused(true)));
    assert!(app.paused);
}

#[test]
fn speed_steps_through_levels_and_stops_at_the_ends() {
    let mut app = app();
    assert_eq!(app.speed(), Speed::Max);
    assert!(
        key(&mut app, KeyCode::Char('+')).is_empty(),
        "already at max"
    );
    let slower = key(&mut app, KeyCode::Char('-'));
    assert!(matches!(
        slower.as_slice(),
        [Action::Send(c)] if matches!(**c, Command::SetSpeed(Speed::StepsPerSecond(r)) if r == 100_000.0)
    ));
    for _ in 0..10 {
        key(&mut app, KeyCode::Char('-'));
    }
    assert_eq!(app.speed(), Speed::StepsPerSecond(10.0));
    key(&mut app, KeyCode::Char('='));
    assert_eq!(app.speed(), Speed::StepsPerSecond(100.0));
}

#[test]
fn tab_and_arrows_focus_lanes_with_wraparound() {
    let mut app = app();
    assert_eq!(app.focus, 0);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.focus, 2);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, 0);
    key(&mut app, KeyCode::Up);
    assert_eq!(app.focus, 2);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, 1);
}

#[test]
fn a_opens_the_picker_and_enter_adds_a_lane() {
    let mut app = app();
    assert!(key(&mut app, KeyCode::Char('a')).is_empty());
    assert!(matches!(app.overlay, Overlay::Agents(_, PickPurpose::Add)));
    // Main-screen keys do nothing while the picker is open.
    assert!(key(&mut app, KeyCode::Char(' ')).is_empty());
    key(&mut app, KeyCode::Down);
    let actions = key(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, Overlay::None);
    let spec = match actions.as_slice() {
        [Action::Send(c)] => match &**c {
            Command::AddLane(spec) => spec.clone(),
            other => panic!("expected AddLane, got {other:?}"),
        },
        other => panic!("expected one action, got {other:?}"),
    };
    assert_eq!(spec.agent, AgentSpec::Sweetest);
    assert_eq!(spec.label, "sweetest");
    assert_eq!(spec.seed, None);
}

#[test]
fn in_multi_seed_mode_a_lane_is_added_per_seed() {
    let mut app = synthetic::app(&synthetic::three_profiles()[..1], 3, 20);
    key(&mut app, KeyCode::Char('a'));
    let actions = key(&mut app, KeyCode::Enter);
    let seeds: Vec<_> = actions
        .iter()
        .map(|a| match a {
            Action::Send(c) => match &**c {
                Command::AddLane(spec) => (spec.label.clone(), spec.seed),
                other => panic!("unexpected {other:?}"),
            },
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        seeds,
        [
            ("random@7".to_owned(), Some(7)),
            ("random@8".to_owned(), Some(8)),
            ("random@9".to_owned(), Some(9))
        ]
    );
}

#[test]
fn enter_switches_the_focused_lanes_agent_and_esc_cancels() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    let Overlay::Agents(picker, PickPurpose::Switch(lane)) = &app.overlay else {
        panic!("expected the switch picker, got {:?}", app.overlay);
    };
    assert_eq!(*lane, 1);
    assert_eq!(
        picker.current(),
        Some(&AgentSpec::LinUcb(LinUcbParams::default())),
        "starts at the lane's agent"
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Up);
    let actions = key(&mut app, KeyCode::Enter);
    assert_eq!(commands(&actions), ["SwitchAgent(1, LeastSweet)"]);
}

#[test]
fn d_removes_the_focused_lane_and_focus_follows() {
    let mut app = app();
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    // d asks first (see guards.rs); y answers.
    key(&mut app, KeyCode::Char('d'));
    assert_eq!(
        commands(&key(&mut app, KeyCode::Char('y'))),
        ["RemoveLane(2)"]
    );
    update(&mut app, Msg::Engine(Event::LaneRemoved { lane: 2 }));
    assert_eq!(app.lanes.len(), 2);
    assert_eq!(app.focus, 1);
}

#[test]
fn r_resets_e_exports_s_lists_scenarios_q_quits() {
    let mut app = app();
    assert_eq!(commands(&key(&mut app, KeyCode::Char('r'))), ["ResetAll"]);
    assert!(matches!(
        key(&mut app, KeyCode::Char('e')).as_slice(),
        [Action::Export]
    ));
    assert!(matches!(
        key(&mut app, KeyCode::Char('s')).as_slice(),
        [Action::ListScenarios]
    ));
    assert!(!app.quit);
    assert!(matches!(
        key(&mut app, KeyCode::Char('q')).as_slice(),
        [Action::Quit]
    ));
    assert!(app.quit);
}

#[test]
fn ctrl_c_quits_from_any_overlay() {
    let mut app = app();
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(app.overlay, Overlay::Help);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(matches!(
        update(&mut app, Msg::Key(ctrl_c)).as_slice(),
        [Action::Quit]
    ));
}

#[test]
fn the_scenario_picker_loads_the_chosen_source_and_errors_pop_up() {
    let mut app = app();
    let choices = vec![
        ScenarioChoice {
            source: "choc-kale".into(),
            builtin: true,
        },
        ScenarioChoice {
            source: "scenarios/mine.ron".into(),
            builtin: false,
        },
    ];
    update(&mut app, Msg::ScenarioChoices(choices));
    let Overlay::Scenarios(picker) = &app.overlay else {
        panic!("expected the scenario picker");
    };
    assert_eq!(picker.selected, 0, "starts at the running scenario");
    key(&mut app, KeyCode::Down);
    let actions = key(&mut app, KeyCode::Enter);
    assert!(matches!(actions.as_slice(), [Action::LoadScenario(s)] if s == "scenarios/mine.ron"));
    update(
        &mut app,
        Msg::ScenarioFailed("scenarios/mine.ron:3:7: seed: expected integer".into()),
    );
    assert!(matches!(&app.overlay, Overlay::Error { message, .. } if message.contains(":3:7:")));
    // Any key closes it; the old scenario's lanes are untouched.
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(app.lanes.len(), 3);
}

#[test]
fn chart_keys_cycle_focus_toggle_axis_and_zoom() {
    let mut app = app();
    key(&mut app, KeyCode::Char('c'));
    assert_eq!(app.charts.focus, 1);
    key(&mut app, KeyCode::Char('x'));
    assert_eq!(app.charts.axes[1], XAxis::Steps);
    assert_eq!(
        app.charts.axes[0],
        XAxis::Episodes,
        "only the focused chart"
    );
    key(&mut app, KeyCode::Char('z'));
    assert!(app.charts.zoom);
    for _ in 0..3 {
        key(&mut app, KeyCode::Char('c'));
    }
    assert_eq!(app.charts.focus, 0);
}

#[test]
fn a_new_session_resets_lanes_but_keeps_speed() {
    let mut app = app();
    key(&mut app, KeyCode::Char('-'));
    update(&mut app, Msg::SessionStarted(synthetic::session(1)));
    assert!(app.lanes.is_empty() && app.references.is_none());
    assert_eq!(app.speed(), Speed::StepsPerSecond(100_000.0));
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("choc-kale"))
    );
}

#[test]
fn stale_generations_and_failures_are_handled() {
    let mut app = app();
    let before = app.lanes[1].recent.len();
    let spec = app.lanes[1].spec.clone();
    update(
        &mut app,
        Msg::Engine(Event::LaneReset {
            lane: 1,
            spec: Box::new(spec),
            generation: 1,
        }),
    );
    assert!(app.lanes[1].recent.is_empty() && before > 0);
    update(
        &mut app,
        Msg::Engine(Event::LaneFailed {
            lane: 2,
            message: "agent diverged: TD loss is NaN".into(),
        }),
    );
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text.contains("diverged"))
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.status.is_none());
}

#[test]
fn a_lane_whose_restart_failed_shows_as_failed() {
    // The engine sends a failing restart as `LaneReset` then `LaneFailed`.
    let mut app = app();
    let spec = app.lanes[1].spec.clone();
    update(
        &mut app,
        Msg::Engine(Event::LaneReset {
            lane: 1,
            spec: Box::new(spec),
            generation: 1,
        }),
    );
    update(
        &mut app,
        Msg::Engine(Event::LaneFailed {
            lane: 1,
            message: "cannot load the checkpoint".into(),
        }),
    );
    assert_eq!(
        app.lanes[1].state,
        LaneState::Failed("cannot load the checkpoint".into())
    );
}

#[test]
fn the_export_status_says_how_many_episodes_were_exported() {
    let mut app = app();
    key(&mut app, KeyCode::Char('e'));
    let written = |json: &str, figure: Result<&str, &str>| Exported {
        json: json.into(),
        figure: figure.map(Into::into).map_err(Into::into),
    };
    update(
        &mut app,
        Msg::Exported(Ok(written("out.json", Ok("out.svg")))),
    );
    let text = app.status.as_ref().map(|s| s.text.clone());
    assert_eq!(
        text.as_deref(),
        Some("exported 50 episodes of each lane to out.json, charts to out.svg")
    );
    // Lanes holding different counts are named with theirs.
    let spec = app.lanes[2].spec.clone();
    update(
        &mut app,
        Msg::Engine(Event::LaneReset {
            lane: 2,
            spec: Box::new(spec),
            generation: 1,
        }),
    );
    key(&mut app, KeyCode::Char('e'));
    update(
        &mut app,
        Msg::Exported(Ok(written("out-2.json", Err("disk full")))),
    );
    let text = app.status.as_ref().map(|s| s.text.clone());
    assert_eq!(
        text.as_deref(),
        Some(
            "exported 50 episodes of random, 50 of linucb, 0 of slateq to out-2.json \
             (no charts: disk full)"
        )
    );
}

/// A dashboard over mixed-population (two segments, shares 0.3 / 0.7).
fn mixed_app() -> App {
    let mut app = app();
    let s = crate::scenario::load("mixed-population").unwrap();
    app.session.environment = Some(Box::new(s.file.environment));
    app
}

/// What the engine answers to an `ApplyShift`: the shift appended at `episode`.
fn applied(action: &Action, episode: u64) -> Event {
    let Action::Send(command) = action else {
        panic!("{action:?} sends nothing")
    };
    let Command::ApplyShift(shift) = &**command else {
        panic!("{command:?} is no shift")
    };
    let (environment, setup) =
        crate::scenario::live_shift::shifted(&shift.environment, episode, shift.population.clone())
            .expect("valid shift");
    Event::ShiftApplied {
        shift: setup.shifts().last().unwrap().clone(),
        environment: Box::new(environment),
    }
}

#[test]
fn w_edits_the_population_and_enter_applies_it_u_undoes_it() {
    let mut app = mixed_app();
    assert!(key(&mut app, KeyCode::Char('w')).is_empty());
    assert!(matches!(app.overlay, Overlay::WhatIf(_)));
    for _ in 0..8 {
        assert!(key(&mut app, KeyCode::Right).is_empty());
    }
    let apply = key(&mut app, KeyCode::Enter);
    assert_eq!(apply.len(), 1, "{apply:?}");
    assert_eq!(app.overlay, Overlay::None);
    let shift = applied(&apply[0], 120);
    update(&mut app, Msg::Engine(shift));
    assert_eq!(app.session.shifts.len(), 1);
    assert_eq!(app.session.shifts[0].episode, 120);
    assert_eq!(
        app.session.shifts[0].description,
        "share clickbait-sensitive 0.3 → 0.7, robust 0.7 → 0.3"
    );
    assert!(app.status.as_ref().unwrap().text.contains("episode 120"));
    assert_eq!(app.undo.len(), 1);

    // u: a new shift back to the shares before, sent with the configuration now running.
    let undo = key(&mut app, KeyCode::Char('u'));
    assert_eq!(undo.len(), 1, "{undo:?}");
    assert!(
        key(&mut app, KeyCode::Char('u')).is_empty(),
        "one undo at a time"
    );
    update(&mut app, Msg::Engine(applied(&undo[0], 300)));
    assert_eq!(app.session.shifts.len(), 2);
    assert_eq!(
        app.session.shifts[1].description,
        "share clickbait-sensitive 0.7 → 0.3, robust 0.3 → 0.7"
    );
    assert!(app.undo.is_empty() && !app.undo_pending);
    assert!(key(&mut app, KeyCode::Char('u')).is_empty());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("no population change")
    );
}

#[test]
fn an_invalid_population_is_shown_and_not_sent() {
    let mut app = mixed_app();
    key(&mut app, KeyCode::Char('w'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down); // memory_discount
    for c in ['1', '.', '5'] {
        assert!(key(&mut app, KeyCode::Char(c)).is_empty());
    }
    assert!(
        key(&mut app, KeyCode::Enter).is_empty(),
        "refused: nothing sent"
    );
    let Overlay::WhatIf(panel) = &app.overlay else {
        panic!("the panel stays open")
    };
    let error = panel.error.clone().unwrap();
    assert!(
        error.starts_with("clickbait-sensitive.memory_discount"),
        "{error}"
    );
    // Esc leaves without sending anything.
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.overlay, Overlay::None);
    // A refusal from the engine (e.g. a stale configuration) is shown, not lost.
    update(
        &mut app,
        Msg::Engine(Event::ShiftRejected {
            field: String::new(),
            message: "another change is still being applied".into(),
        }),
    );
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("refused"),
        "{status:?}"
    );
}

#[test]
fn w_needs_a_scenario_population() {
    let mut app = app();
    assert!(key(&mut app, KeyCode::Char('w')).is_empty());
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.status.is_some());
}
