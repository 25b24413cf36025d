//! The engine through its channel API: determinism across thread counts, common random
//! numbers across lanes, and the dashboard's commands (pause, step, add, remove, switch).

use std::time::Duration;

use slatelab::agent::AgentSpec;
use slatelab::engine::{
    self, Budget, Command, Event, LaneProgress, LaneSpec, RunPlan, Speed, lanes_for,
};
use slatelab::metrics::EpisodeSummary;
use slatelab::report::RunTally;
use slatelab::scenario;

fn plan(name: &str, agents: &[AgentSpec], budget: Budget, threads: usize) -> RunPlan {
    let s = scenario::load(name).expect("built-in scenario");
    let mut plan = RunPlan::new(s.env.clone(), 7, lanes_for(agents), budget);
    plan.threads = threads;
    plan
}

/// What these tests read of one lane.
struct Lane {
    train: Vec<EpisodeSummary>,
    progress: LaneProgress,
}

/// What these tests read of one run.
struct Run {
    lanes: Vec<Lane>,
    partial: bool,
}

impl Run {
    fn partial(&self) -> bool {
        self.partial
    }
}

fn run(plan: RunPlan) -> Run {
    let handle = engine::spawn(plan).expect("lanes build");
    let results = RunTally::collect_keeping_episodes(handle.events());
    handle.join();
    Run {
        partial: results.partial(),
        lanes: results
            .lanes
            .into_iter()
            .map(|l| Lane {
                train: l.train_episodes().to_vec(),
                progress: l.progress,
            })
            .collect(),
    }
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let agents = [
        AgentSpec::Random,
        AgentSpec::OracleMyopic,
        AgentSpec::Random,
    ];
    let one = run(plan("interest-evolution", &agents, Budget::Episodes(60), 1));
    let three = run(plan("interest-evolution", &agents, Budget::Episodes(60), 3));
    assert!(!one.partial() && !three.partial());
    for (a, b) in one.lanes.iter().zip(&three.lanes) {
        assert_eq!(a.train.len(), 60);
        assert_eq!(a.train, b.train);
    }
    // Two random lanes draw their slates from their own streams, so they are not copies.
    assert_ne!(one.lanes[0].train, one.lanes[2].train);
}

#[test]
fn step_budget_stops_at_the_first_episode_end_after_it() {
    let results = run(plan(
        "choc-kale",
        &[AgentSpec::Random],
        Budget::Steps(95),
        1,
    ));
    let lane = &results.lanes[0];
    // choc-kale episodes are 10 steps: 95 steps end with episode 10 at step 100.
    assert_eq!(lane.progress.env_steps, 100);
    assert_eq!(lane.train.len(), 10);
}

#[test]
fn lanes_meet_the_same_users_and_documents() {
    // Users, documents and responses come from streams shared by all lanes (common random
    // numbers), so two lanes of the deterministic `sweetest` agent, with a random lane
    // between them, produce identical episodes.
    let results = run(plan(
        "choc-kale",
        &[AgentSpec::Sweetest, AgentSpec::Random, AgentSpec::Sweetest],
        Budget::Episodes(20),
        2,
    ));
    assert_eq!(results.lanes[0].train, results.lanes[2].train);
}

#[test]
fn choc_kale_tutorial_runs_its_agents_and_references_on_the_tutorial_reward() {
    // Every agent and reference line of the built-in, 5 episodes: the reward counts clicks that
    // raise satisfaction, so a return is a whole number of steps; the oracle, planning for
    // this reward from NPE 1, raises satisfaction at every one of the 10 steps.
    let s = scenario::load("choc-kale-tutorial").expect("built-in scenario");
    let agents: Vec<AgentSpec> = s.agents.iter().chain(&s.reference).cloned().collect();
    assert!(matches!(agents.last(), Some(AgentSpec::OracleOptimal(_))));
    let results = run(plan("choc-kale-tutorial", &agents, Budget::Episodes(5), 2));
    assert!(!results.partial());
    for lane in &results.lanes {
        assert_eq!(lane.train.len(), 5);
        for episode in &lane.train {
            assert_eq!(episode.length, 10);
            assert!((0.0..=10.0).contains(&episode.ret), "{}", episode.ret);
            assert_eq!(episode.ret.fract(), 0.0, "{}", episode.ret);
            assert!(episode.ret <= f64::from(episode.clicks));
        }
    }
    let oracle = results.lanes.last().expect("the oracle's lane");
    assert!(oracle.train.iter().all(|e| e.ret == 10.0));
}

fn wait_for(events: &crossbeam_channel::Receiver<Event>, mut pred: impl FnMut(&Event) -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match events.recv_timeout(left) {
            Ok(e) if pred(&e) => return,
            Ok(_) => {}
            Err(e) => panic!("event not seen: {e}"),
        }
    }
}

#[test]
fn pause_step_add_switch_remove_and_stop() {
    let mut p = plan("choc-kale", &[AgentSpec::Random], Budget::Unbounded, 2);
    p.paused = true;
    p.trace = true;
    let handle = engine::spawn(p).expect("lanes build");
    let events = handle.events().clone();
    wait_for(&events, |e| matches!(e, Event::Paused(true)));

    // While paused, `Step` advances each lane by exactly one step.
    handle.send(Command::Step);
    wait_for(
        &events,
        |e| matches!(e, Event::Progress(p) if p.lane == 0 && p.env_steps == 1 && p.trace.len() == 1),
    );

    handle.send(Command::AddLane(LaneSpec {
        label: "sweetest".into(),
        agent: AgentSpec::Sweetest,
        initial_state: None,
        seed: None,
    }));
    wait_for(&events, |e| matches!(e, Event::LaneAdded { lane: 1, .. }));

    handle.send(Command::SetSpeed(Speed::StepsPerSecond(2000.0)));
    handle.send(Command::Resume);
    wait_for(&events, |e| matches!(e, Event::Episodes { lane: 1, .. }));

    handle.send(Command::SwitchAgent(0, AgentSpec::LeastSweet));
    wait_for(
        &events,
        |e| matches!(e, Event::LaneReset { lane: 0, generation: 1, spec } if spec.label == "least-sweet"),
    );
    wait_for(
        &events,
        |e| matches!(e, Event::Episodes { lane: 0, generation: 1, summaries, .. } if summaries[0].episode == 0),
    );

    handle.send(Command::RemoveLane(1));
    wait_for(&events, |e| matches!(e, Event::LaneRemoved { lane: 1 }));

    handle.send(Command::Stop);
    wait_for(&events, |e| matches!(e, Event::Finished { stopped: true }));
    handle.join();
}

#[test]
fn throttled_speed_limits_steps() {
    let mut p = plan("choc-kale", &[AgentSpec::Random], Budget::Unbounded, 1);
    p.speed = Speed::StepsPerSecond(500.0);
    let handle = engine::spawn(p).expect("lanes build");
    std::thread::sleep(Duration::from_millis(400));
    handle.send(Command::Stop);
    let results = RunTally::collect_keeping_episodes(handle.events());
    handle.join();
    let steps = results.lanes[0].progress.env_steps;
    // 500 steps/s for ~0.4 s: far fewer than an unthrottled lane's hundreds of thousands.
    assert!(steps > 20 && steps < 1_000, "{steps} steps");
}
