//! Live population shifts through the engine's channel API (issue 13, dashboard half): every
//! lane meets the shift at the same training episode, nothing before it changes, learners
//! keep their state, and the run equals the same scenario with the shift written in its file.

use crossbeam_channel::unbounded;

use slatelab::engine::{self, Budget, Command, Event, LiveShift, RunPlan, Speed};
use slatelab::metrics::EpisodeSummary;
use slatelab::report::RunTally;
use slatelab::scenario::live_shift::{PopulationEdit, current_population};
use slatelab::scenario::{self, EnvironmentConfig, Scenario};
use slatelab::sim::schedule::ShiftInfo;

const EPISODES: u64 = 400;

fn mixed() -> Scenario {
    scenario::load("mixed-population").expect("built-in scenario")
}

fn plan(s: &Scenario, environment: &EnvironmentConfig) -> RunPlan {
    let env = scenario::build_env(environment).expect("valid environment");
    let agents = scenario::parse_agent_list("random,linucb,sweetest", s).expect("agents");
    let mut plan = RunPlan::new(
        env,
        7,
        engine::lanes_for(&agents),
        Budget::Episodes(EPISODES),
    );
    plan.threads = 2;
    plan.pace = Some(20);
    plan
}

/// The training episodes of every lane, in lane order.
fn episodes_of(events: Vec<Event>) -> Vec<Vec<EpisodeSummary>> {
    let (tx, rx) = unbounded();
    for event in events {
        tx.send(event).expect("open channel");
    }
    let tally = RunTally::collect_keeping_episodes(&rx);
    assert!(!tally.partial());
    tally
        .lanes
        .iter()
        .map(|l| l.train_episodes().to_vec())
        .collect()
}

fn run_all(plan: RunPlan) -> Vec<Event> {
    let handle = engine::spawn(plan).expect("lanes build");
    let events: Vec<Event> = handle.events().iter().collect();
    handle.join();
    events
}

/// Runs `plan`, sending `shift` once the first lane has finished `after` episodes.
fn run_shifting(mut plan: RunPlan, shift: LiveShift, after: u64) -> Vec<Event> {
    // Slow enough that the command arrives while every lane still trains.
    plan.speed = Speed::StepsPerSecond(20_000.0);
    let handle = engine::spawn(plan).expect("lanes build");
    let mut events = Vec::new();
    let mut sent = false;
    for event in handle.events() {
        if let Event::Episodes { summaries, .. } = &event
            && !sent
            && summaries.last().is_some_and(|e| e.episode + 1 >= after)
        {
            handle.send(Command::ApplyShift(Box::new(shift.clone())));
            sent = true;
        }
        events.push(event);
    }
    handle.join();
    events
}

fn shares(s: &Scenario, clickbait: f64, robust: f64) -> PopulationEdit {
    let PopulationEdit::LongTermSatisfaction(mut segments) =
        current_population(&s.file.environment)
    else {
        panic!("mixed-population is a long-term-satisfaction scenario");
    };
    segments[0].share = clickbait;
    segments[1].share = robust;
    PopulationEdit::LongTermSatisfaction(segments)
}

fn applied(events: &[Event]) -> Vec<(ShiftInfo, EnvironmentConfig)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::ShiftApplied { shift, environment } => {
                Some((shift.clone(), (**environment).clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_live_shift_equals_the_same_shift_written_in_the_scenario() {
    let s = mixed();
    let shift = LiveShift {
        environment: s.file.environment.clone(),
        population: shares(&s, 0.7, 0.3),
    };
    let live = run_shifting(plan(&s, &s.file.environment), shift, 60);
    let shifts = applied(&live);
    assert_eq!(shifts.len(), 1, "one shift applied");
    let (info, environment) = &shifts[0];
    let at = info.episode;
    assert!((60..EPISODES).contains(&at), "shift at {at}");
    assert_eq!(
        info.description,
        "share clickbait-sensitive 0.3 → 0.7, robust 0.7 → 0.3"
    );
    // Learners were not restarted: no lane was reset.
    assert!(!live.iter().any(|e| matches!(e, Event::LaneReset { .. })));
    let live = episodes_of(live);

    // The configuration the engine sent back is the scenario with the shift written in.
    let scheduled = episodes_of(run_all(plan(&s, environment)));
    assert_eq!(live, scheduled);

    // Before the shift, exactly the run without it; after it, other users.
    let unshifted = episodes_of(run_all(plan(&s, &s.file.environment)));
    let before = usize::try_from(at).unwrap();
    for (lane, (with, without)) in live.iter().zip(&unshifted).enumerate() {
        assert_eq!(with.len(), EPISODES as usize);
        assert_eq!(
            with[..before],
            without[..before],
            "lane {lane} before the shift"
        );
        assert_ne!(
            with[before..],
            without[before..],
            "lane {lane} after the shift"
        );
    }
    // Every lane meets the same users after the shift too (common random numbers).
    for e in before..EPISODES as usize {
        let segment = live[0][e].segment;
        assert!(
            live.iter().all(|lane| lane[e].segment == segment),
            "episode {e}"
        );
    }
}

#[test]
fn an_invalid_live_shift_is_refused_and_the_run_goes_on_unchanged() {
    let s = mixed();
    let shift = LiveShift {
        environment: s.file.environment.clone(),
        population: shares(&s, 0.9, 0.3),
    };
    let live = run_shifting(plan(&s, &s.file.environment), shift, 60);
    let refused: Vec<(&str, &str)> = live
        .iter()
        .filter_map(|e| match e {
            Event::ShiftRejected { field, message } => Some((field.as_str(), message.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].0.starts_with("shifts[0].population"),
        "{refused:?}"
    );
    assert!(applied(&live).is_empty());
    let unshifted = episodes_of(run_all(plan(&s, &s.file.environment)));
    assert_eq!(episodes_of(live), unshifted);
}

#[test]
fn a_stale_configuration_is_refused() {
    let s = mixed();
    let first = LiveShift {
        environment: s.file.environment.clone(),
        population: shares(&s, 0.7, 0.3),
    };
    let mut plan = plan(&s, &s.file.environment);
    plan.paused = true;
    let handle = engine::spawn(plan).expect("lanes build");
    handle.send(Command::ApplyShift(Box::new(first.clone())));
    // The same configuration again: it no longer is the running one.
    handle.send(Command::ApplyShift(Box::new(first)));
    handle.send(Command::Stop);
    let events: Vec<Event> = handle.events().iter().collect();
    handle.join();
    let shifts = applied(&events);
    assert_eq!(shifts.len(), 1);
    assert_eq!(
        shifts[0].0.episode, 1,
        "nothing ran: the first possible episode"
    );
    assert!(events.iter().any(|e| matches!(
        e,
        Event::ShiftRejected { message, .. } if message.contains("not the running one")
    )));
}
