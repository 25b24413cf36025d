//! Tests of the Interest Evolution environment, with shared episode-driving helpers.

mod dynamics;
mod exact;
mod fidelity;
mod properties;
mod validation;

use super::{IevConfig, setup};
use crate::agent::random::random_slate;
use crate::sim::common::top_k;
use crate::sim::rng::{EnvRngs, Phase, Purpose, SimRng, StreamKey};
use crate::sim::{EnvSetup, Environment, Hidden, Observation, StepOutcome};

/// A built environment with its two observation buffers, as the engine holds them.
pub(super) struct Rig {
    pub env: Box<dyn Environment>,
    pub obs: Observation,
    pub next: Observation,
}

impl Rig {
    /// Validates `config` and builds one environment from `seed`.
    pub fn new(config: IevConfig, seed: u64) -> Self {
        let setup = setup(config).expect("test config is valid");
        let env = setup.build(seed);
        let obs = Observation::new(env.spec());
        let next = obs.clone();
        Self { env, obs, next }
    }

    /// The stock RecSim configuration with N candidates and slate size K.
    pub fn stock(n: usize, k: usize) -> Self {
        Self::new(
            IevConfig {
                num_candidates: n,
                slate_size: k,
                ..IevConfig::default()
            },
            0,
        )
    }

    /// Serves `slate`, then makes the next observation current.
    pub fn step(&mut self, slate: &[usize], rngs: &mut EnvRngs) -> StepOutcome {
        let out = self.env.step(slate, rngs, &mut self.next);
        std::mem::swap(&mut self.obs, &mut self.next);
        out
    }
}

/// The slate rules the tests drive episodes with.
pub(super) enum Policy {
    /// Uniformly random distinct slates from its own stream.
    Random(SimRng),
    /// The myopic oracle (top-K by u_c + 1).
    Myopic,
    /// Top-K by hidden quality.
    Quality,
}

impl Policy {
    /// A random policy whose stream depends only on `seed`.
    pub fn random(seed: u64) -> Self {
        Self::Random(
            StreamKey {
                seed,
                purpose: Purpose::AgentAct,
                lane: 0,
                episode: 0,
                phase: Phase::Train,
            }
            .rng(),
        )
    }

    /// Writes this policy's slate for the current state into `slate`.
    pub fn act(&mut self, rig: &Rig, slate: &mut Vec<usize>, scratch: &mut Vec<f64>) {
        let k = rig.env.spec().slate_size;
        match self {
            Self::Random(rng) => random_slate(rig.obs.num_candidates(), k, rng, slate),
            Self::Myopic => {
                rig.env.best_myopic_slate(slate);
            }
            Self::Quality => {
                let Hidden::InterestEvolution { doc_quality, .. } = rig.env.hidden() else {
                    unreachable!("an IEv environment exposes IEv hidden state")
                };
                scratch.clear();
                scratch.extend_from_slice(doc_quality);
                top_k(scratch, k, slate);
            }
        }
    }
}

/// Totals of one episode.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Episode {
    pub total_reward: f64,
    pub steps: u32,
    pub clicks: u32,
    pub clicked_quality: f64,
}

/// Runs episode `episode` of run `seed` to its end (at most `cap` steps).
pub(super) fn run_episode(
    rig: &mut Rig,
    policy: &mut Policy,
    seed: u64,
    episode: u64,
    cap: u32,
) -> Episode {
    let mut rngs = EnvRngs::for_episode(seed, Phase::Train, episode);
    rig.env.reset(&mut rngs, &mut rig.obs);
    let (mut slate, mut scratch) = (Vec::new(), Vec::new());
    let mut totals = Episode::default();
    while totals.steps < cap {
        policy.act(rig, &mut slate, &mut scratch);
        let out = rig.step(&slate, &mut rngs);
        totals.steps += 1;
        totals.total_reward += out.reward;
        if let Some(j) = out.clicked {
            totals.clicks += 1;
            totals.clicked_quality += rig.obs.responses[j].quality;
        }
        if out.done || out.truncated {
            break;
        }
    }
    totals
}

/// Mean and standard error of `xs`.
pub(super) fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// The hidden budget of an IEv environment.
pub(super) fn hidden_budget(env: &dyn Environment) -> f64 {
    match env.hidden() {
        Hidden::InterestEvolution { budget, .. } => budget,
        _ => unreachable!("an IEv environment exposes IEv hidden state"),
    }
}

/// A copy of the hidden interests of an IEv environment.
pub(super) fn hidden_interests(env: &dyn Environment) -> Vec<f64> {
    match env.hidden() {
        Hidden::InterestEvolution { interests, .. } => interests.to_vec(),
        _ => unreachable!("an IEv environment exposes IEv hidden state"),
    }
}
