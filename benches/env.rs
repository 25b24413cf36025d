//! Environment speed: one step of each stock environment, and whole episodes under the
//! random agent, as the engine runs them (reset, act, step, metrics).
//!
//! Run: `cargo bench --bench env`. Figures are recorded in docs/performance.md.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use slatelab::agent::random::random_slate;
use slatelab::metrics::episode::EpisodeAccumulator;
use slatelab::scenario;
use slatelab::sim::rng::{EnvRngs, Phase, Purpose, StreamKey};
use slatelab::sim::{EnvSetup, Observation};

const PRESETS: &[&str] = &[
    "interest-evolution",
    "long-term-satisfaction",
    "interest-exploration",
    "choc-kale",
];

fn setup(name: &str) -> std::sync::Arc<dyn EnvSetup> {
    scenario::load(name).expect("built-in scenario").env
}

/// One environment step with a random slate; the environment is reset whenever an episode ends.
fn bench_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("env_step");
    group.throughput(Throughput::Elements(1));
    for name in PRESETS {
        let setup = setup(name);
        let spec = setup.spec().clone();
        let mut env = setup.build(1);
        let (mut obs, mut next) = (Observation::new(&spec), Observation::new(&spec));
        let mut rngs = EnvRngs::for_episode(1, Phase::Train, 0);
        let mut act = StreamKey {
            seed: 1,
            purpose: Purpose::AgentAct,
            lane: 0,
            episode: 0,
            phase: Phase::Train,
        }
        .rng();
        let mut slate = Vec::new();
        let mut episode = 0;
        env.reset(&mut rngs, &mut obs);
        group.bench_function(*name, |b| {
            b.iter(|| {
                random_slate(spec.num_candidates, spec.slate_size, &mut act, &mut slate);
                let out = env.step(&slate, &mut rngs, &mut next);
                std::mem::swap(&mut obs, &mut next);
                if out.done || out.truncated {
                    episode += 1;
                    rngs = EnvRngs::for_episode(1, Phase::Train, episode);
                    env.reset(&mut rngs, &mut obs);
                }
                black_box(out.reward)
            });
        });
    }
    group.finish();
}

/// A whole episode under the random agent, including the per-episode stream setup and metrics.
fn bench_episode(c: &mut Criterion) {
    let mut group = c.benchmark_group("episode_random");
    for name in PRESETS {
        let setup = setup(name);
        let spec = setup.spec().clone();
        let mut env = setup.build(1);
        let (mut obs, mut next) = (Observation::new(&spec), Observation::new(&spec));
        let mut slate = Vec::new();
        let mut acc = EpisodeAccumulator::default();
        let mut episode = 0u64;
        group.bench_function(*name, |b| {
            b.iter_batched(
                || {
                    episode += 1;
                    episode
                },
                |e| {
                    let mut rngs = EnvRngs::for_episode(1, Phase::Train, e);
                    let mut act = StreamKey {
                        seed: 1,
                        purpose: Purpose::AgentAct,
                        lane: 0,
                        episode: e,
                        phase: Phase::Train,
                    }
                    .rng();
                    env.reset(&mut rngs, &mut obs);
                    acc.reset();
                    loop {
                        random_slate(spec.num_candidates, spec.slate_size, &mut act, &mut slate);
                        let out = env.step(&slate, &mut rngs, &mut next);
                        acc.record(&out);
                        std::mem::swap(&mut obs, &mut next);
                        if out.done || out.truncated {
                            break;
                        }
                    }
                    black_box(acc.finish(e, 0))
                },
                BatchSize::SmallInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, bench_step, bench_episode);
criterion_main!(benches);
