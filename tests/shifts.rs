//! Scheduled population shifts through the engine: before the shift a run is exactly the run
//! without it, after it users come from the new population through the same per-episode
//! streams, learners keep their state, and evaluation meets the population in force at the
//! end of training.

use rand::RngExt;
use slatelab::agent::AgentSpec;
use slatelab::engine::{self, Budget, RunPlan, lanes_for};
use slatelab::metrics::EpisodeSummary;
use slatelab::report::RunTally;
use slatelab::scenario::{self, Scenario, presets};
use slatelab::sim::rng::{EnvRngs, Phase};

const SEED: u64 = 7;

/// audience-shift with its shift moved to training episode `at`.
fn shifted(at: u64) -> Scenario {
    let text = presets::preset("audience-shift").expect("built-in").text;
    let text = text.replace("at_episode: 2000", &format!("at_episode: {at}"));
    scenario::from_str(&text, "shifted").expect("valid")
}

fn unshifted() -> Scenario {
    scenario::load("mixed-population").expect("built-in")
}

/// Train and eval episodes of each lane.
fn run(
    s: &Scenario,
    budget: Budget,
    eval: u64,
    threads: usize,
) -> Vec<(Vec<EpisodeSummary>, Vec<EpisodeSummary>)> {
    let agents = [AgentSpec::from_name("linucb").unwrap(), AgentSpec::Random];
    let mut plan = RunPlan::new(s.env.clone(), SEED, lanes_for(&agents), budget);
    plan.threads = threads;
    plan.eval_episodes = eval;
    let handle = engine::spawn(plan).expect("lanes build");
    let tally = RunTally::collect_keeping_episodes(handle.events());
    handle.join();
    assert!(!tally.partial());
    tally
        .lanes
        .iter()
        .map(|l| (l.train_episodes().to_vec(), l.eval_episodes().to_vec()))
        .collect()
}

/// The segment a two-segment population with `first_share` draws for `episode`: the first
/// draw of the episode's user stream, the same with or without a shift.
fn expected_segment(phase: Phase, episode: u64, first_share: f64) -> u32 {
    let u: f64 = EnvRngs::for_episode(SEED, phase, episode).user.random();
    u32::from(u >= first_share)
}

#[test]
fn before_the_shift_the_run_is_the_run_without_it() {
    let at = 60;
    let with = run(&shifted(at), Budget::Episodes(200), 0, 2);
    let without = run(&unshifted(), Budget::Episodes(200), 0, 1);
    for ((with, _), (without, _)) in with.iter().zip(&without) {
        assert_eq!(with.len(), 200);
        assert_eq!(with[..at as usize], without[..at as usize]);
        assert_ne!(with[at as usize..], without[at as usize..]);
    }
}

#[test]
fn after_the_shift_users_come_from_the_new_shares_through_the_same_streams() {
    let at = 40;
    let lanes = run(&shifted(at), Budget::Episodes(400), 0, 1);
    for (train, _) in &lanes {
        for e in train {
            let share = if e.episode < at { 0.3 } else { 0.7 };
            assert_eq!(
                e.segment,
                expected_segment(Phase::Train, e.episode, share),
                "episode {}",
                e.episode
            );
        }
        let after: Vec<_> = train.iter().filter(|e| e.episode >= at).collect();
        let sensitive = after.iter().filter(|e| e.segment == 0).count() as f64 / after.len() as f64;
        // 360 users at p = 0.7: the standard error is 0.024.
        assert!((sensitive - 0.7).abs() < 0.1, "{sensitive}");
    }
    // Common random numbers: both lanes met the same users.
    let segments = |l: &Vec<EpisodeSummary>| l.iter().map(|e| e.segment).collect::<Vec<_>>();
    assert_eq!(segments(&lanes[0].0), segments(&lanes[1].0));
}

#[test]
fn evaluation_meets_the_population_in_force_at_the_end_of_training() {
    // Shift during training: evaluation users come from the new shares.
    let lanes = run(&shifted(20), Budget::Episodes(50), 100, 1);
    for (_, eval) in &lanes {
        assert_eq!(eval.len(), 100);
        for e in eval {
            assert_eq!(e.segment, expected_segment(Phase::Eval, e.episode, 0.7));
        }
    }
    // Shift after training ends: the whole run, evaluation included, is the unshifted one.
    let late = run(&shifted(50), Budget::Episodes(50), 30, 1);
    let none = run(&unshifted(), Budget::Episodes(50), 30, 1);
    assert_eq!(late, none);
}

#[test]
fn results_with_a_shift_do_not_depend_on_thread_count() {
    let one = run(&shifted(30), Budget::Episodes(80), 10, 1);
    let two = run(&shifted(30), Budget::Episodes(80), 10, 2);
    assert_eq!(one, two);
}
