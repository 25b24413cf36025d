//! Synthetic engine events: a dashboard full of plausible, fully deterministic data, for
//! screen snapshots and the render benchmark (no threads, no clocks).

use crate::agent::bandit::LinUcbParams;
use crate::agent::slateq::SlateQParams;
use crate::agent::{AgentSpec, Internals};
use crate::engine::{
    Event, LaneId, LaneProgress, LaneSpec, ServedItem, ServedStep, lane_label, seed_list,
};
use crate::metrics::EpisodeSummary;
use crate::sim::EnvKind;
use crate::sim::rng::Phase;

use super::app::{App, Msg, ReferenceLine, SessionInfo, update};

/// Steps per synthetic episode (choc-kale's time budget).
const LENGTH: u32 = 10;

/// How a synthetic lane behaves.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The agent.
    pub agent: AgentSpec,
    /// Mean return at the start and after `episodes` (a learning curve in between).
    pub returns: (f64, f64),
    /// Mean satisfaction at the start and at the end.
    pub satisfaction: (f64, f64),
    /// Feature 0 of the served item (sweetness in choc-kale).
    pub sweetness: f64,
    /// Lane speed reported in progress, steps per second.
    pub speed: f64,
    /// Learner internals to report.
    pub internals: Internals,
}

impl Profile {
    /// A non-learning lane with flat figures.
    pub fn flat(agent: AgentSpec, ret: f64, satisfaction: f64, sweetness: f64, speed: f64) -> Self {
        Self {
            agent,
            returns: (ret, ret),
            satisfaction: (satisfaction, satisfaction),
            sweetness,
            speed,
            internals: Internals::default(),
        }
    }
}

/// A choc-kale-like session with `seeds` seeds per agent.
pub fn session(seeds: u32) -> SessionInfo {
    SessionInfo {
        scenario: "choc-kale".into(),
        kind: EnvKind::LongTermSatisfaction,
        num_candidates: 20,
        slate_size: 1,
        seed: 7,
        seeds: seed_list(7, seeds),
        // A fixed list, so snapshots do not change whenever an agent is added.
        agents: vec![
            AgentSpec::Random,
            AgentSpec::Sweetest,
            AgentSpec::LeastSweet,
            AgentSpec::LinUcb(LinUcbParams::default()),
            AgentSpec::SlateQ(SlateQParams::default()),
        ],
        shifts: Vec::new(),
        environment: None,
    }
}

/// The three lanes of the snapshots, as in the tutorial: random, a click-chasing bandit
/// (LinUCB serves chocolate), and SlateQ learning to mix in kale.
pub fn three_profiles() -> Vec<Profile> {
    vec![
        Profile::flat(AgentSpec::Random, 98.7, 0.54, 0.45, 412_000.0),
        Profile {
            internals: Internals {
                updates: Some(41_600),
                confidence_width: Some(0.012),
                ..Internals::default()
            },
            ..Profile::flat(
                AgentSpec::LinUcb(LinUcbParams::default()),
                56.9,
                0.14,
                0.97,
                298_000.0,
            )
        },
        Profile {
            agent: AgentSpec::SlateQ(SlateQParams::default()),
            returns: (60.0, 171.3),
            satisfaction: (0.3, 0.62),
            sweetness: 0.12,
            speed: 31_000.0,
            internals: Internals {
                epsilon: Some(0.03),
                td_loss: Some(0.41),
                mean_q: Some(21.4),
                replay: Some((100_000, 100_000)),
                updates: Some(10_350),
                confidence_width: None,
            },
        },
    ]
}

/// A uniform number in [0, 1) from (lane, episode, salt): SplitMix64, so no RNG state.
fn noise(lane: u64, episode: u64, salt: u64) -> f64 {
    let mut z = lane
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(episode.wrapping_mul(0xBF58_476D_1CE4_E5B9))
        .wrapping_add(salt.wrapping_mul(0x94D0_49BB_1331_11EB));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

fn lerp((a, b): (f64, f64), t: f64) -> f64 {
    a + (b - a) * t
}

/// Episode `i` of `episodes` for lane `lane`; the users' share of the noise is common to
/// all lanes (salt 0), as with common random numbers.
fn episode(lane: u64, p: &Profile, i: u64, episodes: u64) -> EpisodeSummary {
    let t = 1.0 - (-(i as f64) / (episodes as f64 / 4.0).max(1.0)).exp();
    let user = noise(0, i, 0) - 0.5;
    let own = noise(lane, i, 1) - 0.5;
    let ret = lerp(p.returns, t) * (1.0 + 0.2 * user + 0.1 * own);
    let clicks = LENGTH - u32::from(noise(lane, i, 2) < 0.1);
    EpisodeSummary {
        episode: i,
        segment: 0,
        ret,
        length: LENGTH,
        clicks,
        engagement: ret,
        mean_satisfaction: (lerp(p.satisfaction, t) + 0.05 * user).clamp(0.0, 1.0),
        final_satisfaction: lerp(p.satisfaction, t),
        regret: 0.0,
        myopic_steps: (f64::from(LENGTH) * p.sweetness) as u32,
        at_ceiling: false,
    }
}

fn trace(lane: u64, p: &Profile, episodes: u64) -> Vec<ServedStep> {
    (0..12u32)
        .map(|k| {
            let step = 10 - 12 + i64::from(k);
            let (episode, step) = if step < 0 {
                (episodes.saturating_sub(2), (step + 10) as u32)
            } else {
                (episodes.saturating_sub(1), step as u32)
            };
            let sweet = (p.sweetness + 0.3 * (noise(lane, u64::from(k), 3) - 0.5)).clamp(0.0, 0.99);
            let clicked = noise(lane, u64::from(k), 4) < 0.9;
            ServedStep {
                episode,
                step,
                items: vec![ServedItem {
                    index: (k as usize * 7) % 20,
                    cluster: None,
                    features: vec![sweet],
                }],
                best_feature0: 0.95 + 0.04 * noise(lane, u64::from(k), 5),
                clicked: clicked.then_some(0),
                engagement: if clicked { 2.0 + 30.0 * sweet } else { 0.0 },
                satisfaction: lerp(p.satisfaction, 1.0),
                reward: if clicked { 2.0 + 30.0 * sweet } else { 0.0 },
            }
        })
        .collect()
}

/// The events a lane would have sent after `episodes` episodes.
pub fn lane_events(lane: LaneId, spec: LaneSpec, p: &Profile, episodes: u64) -> Vec<Event> {
    let id = u64::from(lane);
    let mut events = vec![Event::LaneAdded {
        lane,
        spec: Box::new(spec),
    }];
    let summaries: Vec<EpisodeSummary> =
        (0..episodes).map(|i| episode(id, p, i, episodes)).collect();
    for chunk in summaries.chunks(500) {
        events.push(Event::Episodes {
            lane,
            generation: 0,
            phase: Phase::Train,
            summaries: chunk.to_vec(),
            readouts: Vec::new(),
        });
    }
    let env_steps = episodes * u64::from(LENGTH);
    events.push(Event::Progress(Box::new(LaneProgress {
        lane,
        generation: 0,
        phase: Phase::Train,
        env_steps,
        episodes,
        wall_seconds: env_steps as f64 / p.speed,
        internals: p.internals.clone(),
        trace: trace(id, p, episodes),
    })));
    events
}

/// Reference lines like choc-kale's baselines.
pub fn references() -> Vec<ReferenceLine> {
    [
        ("random", 98.9, 0.54),
        ("sweetest", 56.5, 0.14),
        ("least-sweet", 10.9, 0.93),
    ]
    .into_iter()
    .map(|(label, ret, sat)| ReferenceLine {
        label: label.into(),
        episodes: 1_000,
        values: [ret, sat, ret, 1.0],
    })
    .collect()
}

/// A dashboard after `episodes` episodes of each profile, per seed, with reference lines.
pub fn app(profiles: &[Profile], seeds: u32, episodes: u64) -> App {
    let mut app = App::new(session(seeds));
    let seed_list = app.session.seeds.clone();
    let multi = seed_list.len() > 1;
    let mut lane: LaneId = 0;
    for p in profiles {
        for (k, &seed) in seed_list.iter().enumerate() {
            // Seeds of one agent land a little apart, as real seeds do.
            let shift = 1.0 + 0.08 * (k as f64 - (seed_list.len() as f64 - 1.0) / 2.0);
            let p = &Profile {
                returns: (p.returns.0 * shift, p.returns.1 * shift),
                ..p.clone()
            };
            let spec = LaneSpec {
                label: lane_label(&p.agent, seed, multi),
                agent: p.agent.clone(),
                initial_state: None,
                seed,
            };
            for event in lane_events(lane, spec, p, episodes) {
                update(&mut app, Msg::Engine(event));
            }
            lane += 1;
        }
    }
    update(&mut app, Msg::References(references()));
    app
}
