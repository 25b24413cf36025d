//! The engine's pace (the dashboard's side-by-side mode): lanes stay within a few episodes
//! of each other, and a lane added later starts beside the others, on the same users.

use std::time::{Duration, Instant};

use slatelab::agent::AgentSpec;
use slatelab::engine::{self, Budget, Command, Event, LaneSpec, RunPlan, lanes_for};
use slatelab::scenario;

fn plan(lanes: Vec<LaneSpec>, pace: Option<u64>) -> RunPlan {
    let scenario = scenario::load("choc-kale").expect("built-in scenario");
    let mut plan = RunPlan::new(scenario.env.clone(), 3, lanes, Budget::Unbounded);
    plan.threads = 1;
    plan.pace = pace;
    plan
}

/// Largest gap, over every progress report, between the two lanes' training episodes.
fn largest_gap(pace: Option<u64>, run_for: Duration) -> u64 {
    let lanes = lanes_for(&[AgentSpec::Random, AgentSpec::Sweetest]);
    let handle = engine::spawn(plan(lanes, pace)).expect("lanes build");
    let mut episodes = [0u64; 2];
    let mut gap = 0;
    let start = Instant::now();
    while start.elapsed() < run_for {
        if let Ok(Event::Progress(p)) = handle.events().recv_timeout(Duration::from_millis(100)) {
            episodes[p.lane as usize] = p.episodes;
            if episodes.iter().all(|&e| e > 0) {
                gap = gap.max(episodes[0].abs_diff(episodes[1]));
            }
        }
    }
    handle.send(Command::Stop);
    gap
}

#[test]
fn paced_lanes_stay_side_by_side() {
    // On one worker thread a free lane runs a whole 20 ms slice (hundreds of episodes)
    // before the other gets a turn; a pace of 5 keeps them within a few episodes.
    let free = largest_gap(None, Duration::from_millis(600));
    let paced = largest_gap(Some(5), Duration::from_millis(600));
    assert!(paced <= 12, "paced lanes drifted {paced} episodes apart");
    assert!(
        free > paced,
        "free gap {free} should exceed paced gap {paced}"
    );
}

#[test]
fn an_added_lane_starts_beside_the_others() {
    let lanes = lanes_for(&[AgentSpec::Random]);
    let handle = engine::spawn(plan(lanes, Some(5))).expect("lanes build");
    let mut reached = 0;
    while reached < 200 {
        if let Ok(Event::Progress(p)) = handle.events().recv_timeout(Duration::from_secs(5)) {
            reached = reached.max(p.episodes);
        }
    }
    handle.send(Command::AddLane(
        lanes_for(&[AgentSpec::Sweetest]).remove(0),
    ));
    let deadline = Instant::now() + Duration::from_secs(10);
    let first = loop {
        assert!(
            Instant::now() < deadline,
            "the added lane never finished an episode"
        );
        if let Ok(Event::Episodes {
            lane: 1, summaries, ..
        }) = handle.events().recv_timeout(Duration::from_secs(1))
        {
            break summaries[0].episode;
        }
    };
    assert!(
        first >= reached,
        "added lane started at episode {first}, the first lane was already at {reached}"
    );
    handle.send(Command::Stop);
}

#[test]
fn without_a_pace_an_added_lane_starts_at_episode_zero() {
    let lanes = lanes_for(&[AgentSpec::Random]);
    let handle = engine::spawn(plan(lanes, None)).expect("lanes build");
    handle.send(Command::AddLane(
        lanes_for(&[AgentSpec::Sweetest]).remove(0),
    ));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        assert!(
            Instant::now() < deadline,
            "the added lane never finished an episode"
        );
        if let Ok(Event::Episodes {
            lane: 1, summaries, ..
        }) = handle.events().recv_timeout(Duration::from_secs(1))
        {
            assert_eq!(summaries[0].episode, 0);
            break;
        }
    }
    handle.send(Command::Stop);
}
