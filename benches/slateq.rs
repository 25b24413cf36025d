//! SlateQ hot paths on Interest Evolution's shape (N = 10, K = 2, 20 topics, hidden [256, 32]):
//! one greedy act, and one learn call that stores a transition and runs one training update
//! on a batch of 32 (targets over the 10 next candidates).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::RngExt;
use slatelab::agent::slateq::SlateQ;
use slatelab::agent::slateq::params::{SlateQParams, TargetKind};
use slatelab::agent::slateq::prioritized::ReplayKind;
use slatelab::agent::{ActContext, Agent, Mode, Transition};
use slatelab::sim::choice::ChoiceModel;
use slatelab::sim::observation::{ChoiceHint, ChoiceScore};
use slatelab::sim::rng::{Phase, Purpose, SimRng, StreamKey};
use slatelab::sim::{EnvKind, ObsSpec, Observation, ResponseFields};

const TOPICS: usize = 20;

fn spec() -> ObsSpec {
    ObsSpec {
        kind: EnvKind::InterestEvolution,
        user_dim: TOPICS,
        doc_dim: TOPICS,
        num_candidates: 10,
        slate_size: 2,
        num_clusters: TOPICS,
        time_feature: false,
        response_fields: ResponseFields {
            quality: true,
            cluster: true,
        },
        choice: ChoiceHint {
            model: ChoiceModel::MultinomialProportional {
                min_normalizer: -1.0,
                no_click_mass: 1.0,
            },
            score: ChoiceScore::UserDocDot,
        },
        max_steps: None,
    }
}

fn rng(purpose: Purpose) -> SimRng {
    StreamKey {
        seed: 1,
        purpose,
        lane: 0,
        episode: 0,
        phase: Phase::Train,
    }
    .rng()
}

fn random_obs(spec: &ObsSpec, r: &mut SimRng, step: u32) -> Observation {
    let mut obs = Observation::new(spec);
    obs.user.mapv_inplace(|_| r.random_range(-1.0..1.0));
    for i in 0..spec.num_candidates {
        let t = r.random_range(0..TOPICS);
        obs.docs[[i, t]] = 1.0;
        obs.doc_clusters[i] = t as u32;
    }
    obs.step = step;
    obs
}

fn params() -> SlateQParams {
    SlateQParams {
        train_every: 1,
        learning_starts: 32,
        replay_capacity: 10_000,
        ..SlateQParams::default()
    }
}

fn bench_act(c: &mut Criterion) {
    let spec = spec();
    let mut agent = SlateQ::new(params(), &spec, &mut rng(Purpose::AgentInit));
    agent.set_mode(Mode::Eval);
    let obs = random_obs(&spec, &mut rng(Purpose::Documents), 1);
    let mut act_rng = rng(Purpose::AgentAct);
    let mut slate = Vec::with_capacity(2);
    c.bench_function("slateq/act_greedy_n10_k2", |b| {
        b.iter(|| {
            agent.act(
                &ActContext {
                    obs: black_box(&obs),
                    spec: &spec,
                    oracle: None,
                },
                &mut act_rng,
                &mut slate,
            );
            black_box(&slate);
        });
    });
}

fn bench_update(c: &mut Criterion, name: &str, p: SlateQParams) {
    let spec = spec();
    let mut agent = SlateQ::new(p, &spec, &mut rng(Purpose::AgentInit));
    let mut docs = rng(Purpose::Documents);
    let observations: Vec<Observation> = (0..64)
        .map(|i| random_obs(&spec, &mut docs, i + 1))
        .collect();
    let mut learn_rng = rng(Purpose::AgentLearn);
    let mut i = 0usize;
    let mut step = |agent: &mut SlateQ| {
        let (obs, next) = (&observations[i % 63], &observations[i % 63 + 1]);
        i += 1;
        let t = Transition {
            obs,
            slate: &[i % 10, (i + 3) % 10],
            next_obs: next,
            reward: 4.0,
            clicked: Some(i % 2),
            terminal: false,
            truncated: false,
        };
        agent.learn(&t, &mut learn_rng).expect("finite");
    };
    // Fill past learning_starts so every measured call trains once.
    for _ in 0..1_000 {
        step(&mut agent);
    }
    c.bench_function(name, |b| b.iter(|| step(black_box(&mut agent))));
}

fn bench_updates(c: &mut Criterion) {
    bench_update(c, "slateq/update_b32_n10_qlearning_exact", params());
    bench_update(
        c,
        "slateq/update_b32_n10_double_q",
        SlateQParams {
            double_q: true,
            ..params()
        },
    );
    bench_update(
        c,
        "slateq/update_b32_n10_sarsa",
        SlateQParams {
            target: TargetKind::Sarsa,
            ..params()
        },
    );
    bench_update(
        c,
        "slateq/update_b32_n10_uniform_replay",
        SlateQParams {
            replay: ReplayKind::Uniform,
            ..params()
        },
    );
    bench_update(
        c,
        "slateq/update_b32_myopic",
        SlateQParams {
            gamma: 0.0,
            ..params()
        },
    );
}

criterion_group!(benches, bench_act, bench_updates);
criterion_main!(benches);
