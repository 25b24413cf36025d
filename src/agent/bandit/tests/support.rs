//! Hand-made scenario shapes and a tiny episode loop for the bandit tests.

use crate::agent::{ActContext, Agent, Transition};
use crate::sim::choice::ChoiceModel;
use crate::sim::linear_bandit::{LinearBanditConfig, setup};
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::rng::{EnvRngs, Phase, Purpose, SimRng, StreamKey};
use crate::sim::{EnvKind, EnvSetup, Hidden, ObsSpec, Observation, ResponseFields};

/// An observation shape with `user_dim` user features (the last one the time feature when
/// `time`) and `doc_dim` document features.
pub fn spec(user_dim: usize, doc_dim: usize, time: bool, model: ChoiceModel) -> ObsSpec {
    ObsSpec {
        kind: EnvKind::InterestEvolution,
        user_dim,
        doc_dim,
        num_candidates: 4,
        slate_size: 2,
        num_clusters: 0,
        time_feature: time,
        response_fields: ResponseFields::default(),
        choice: ChoiceHint {
            model,
            score: ChoiceScore::Hidden,
        },
        max_steps: None,
    }
}

/// Interest Evolution's multinomial proportional choice.
pub const MNP: ChoiceModel = ChoiceModel::MultinomialProportional {
    min_normalizer: -1.0,
    no_click_mass: 1.0,
};

/// An agent-side stream for `episode`.
pub fn agent_rng(seed: u64, purpose: Purpose, episode: u64) -> SimRng {
    StreamKey {
        seed,
        purpose,
        lane: 0,
        episode,
        phase: Phase::Train,
    }
    .rng()
}

/// What one training run on linear-bandit produced.
pub struct Run {
    /// best_expected_reward − expected_reward, per step.
    pub regret: Vec<f64>,
    /// The environment's θ.
    pub theta: Vec<f64>,
    /// Rewards received, per step.
    pub rewards: Vec<f64>,
}

impl Run {
    /// Regret summed over the first and the second half of the run.
    pub fn halves(&self) -> (f64, f64) {
        let mid = self.regret.len() / 2;
        (
            self.regret[..mid].iter().sum(),
            self.regret[mid..].iter().sum(),
        )
    }
}

/// Trains `agent` for `episodes` episodes of linear-bandit `config` seeded with `seed`.
pub fn train(agent: &mut dyn Agent, config: LinearBanditConfig, seed: u64, episodes: u64) -> Run {
    let setup = setup(config).expect("valid linear-bandit config");
    let spec = setup.spec().clone();
    let mut env = setup.build(seed);
    let theta = match env.hidden() {
        Hidden::LinearBandit { theta, .. } => theta.to_vec(),
        other => panic!("not a linear bandit: {other:?}"),
    };
    let (mut obs, mut next) = (Observation::new(&spec), Observation::new(&spec));
    let mut slate = Vec::with_capacity(spec.slate_size);
    let (mut regret, mut rewards) = (Vec::new(), Vec::new());
    for e in 0..episodes {
        let mut rngs = EnvRngs::for_episode(seed, Phase::Train, e);
        let mut act_rng = agent_rng(seed, Purpose::AgentAct, e);
        let mut learn_rng = agent_rng(seed, Purpose::AgentLearn, e);
        env.reset(&mut rngs, &mut obs);
        loop {
            slate.clear();
            agent.act(
                &ActContext {
                    obs: &obs,
                    spec: &spec,
                    oracle: None,
                },
                &mut act_rng,
                &mut slate,
            );
            let out = env.step(&slate, &mut rngs, &mut next);
            regret.push(out.best_expected_reward - out.expected_reward);
            rewards.push(out.reward);
            let t = Transition {
                obs: &obs,
                slate: &slate,
                next_obs: &next,
                reward: out.reward,
                clicked: out.clicked,
                terminal: out.done,
                truncated: out.truncated,
            };
            agent.learn(&t, &mut learn_rng).expect("learning succeeds");
            std::mem::swap(&mut obs, &mut next);
            if out.done || out.truncated {
                break;
            }
        }
    }
    Run {
        regret,
        theta,
        rewards,
    }
}

/// Feeds `agent` 200 hand-made steps in `shape` (its user features uniform in (−1, 1), each
/// candidate one-hot in a random topic with its cluster id set, a click on slot 0 half the
/// time), so its models hold some data.
pub fn train_on(agent: &mut dyn Agent, shape: &ObsSpec) {
    use rand::RngExt;
    let mut rng = agent_rng(7, Purpose::Response, 0);
    let (mut obs, mut next) = (Observation::new(shape), Observation::new(shape));
    let mut slate = Vec::new();
    let topics = shape.doc_dim.min(shape.num_clusters.max(1));
    for _ in 0..200 {
        obs.user
            .iter_mut()
            .for_each(|u| *u = rng.random_range(-1.0..1.0));
        obs.docs.fill(0.0);
        for i in 0..shape.num_candidates {
            let topic = rng.random_range(0..topics);
            obs.docs[[i, topic]] = 1.0;
            if let Some(c) = obs.doc_clusters.get_mut(i) {
                *c = topic as u32;
            }
        }
        slate.clear();
        let ctx = ActContext {
            obs: &obs,
            spec: shape,
            oracle: None,
        };
        agent.act(&ctx, &mut rng, &mut slate);
        let clicked = rng.random_bool(0.5).then_some(0);
        let t = Transition {
            obs: &obs,
            slate: &slate,
            next_obs: &next,
            reward: if clicked.is_some() { 4.0 } else { 0.0 },
            clicked,
            terminal: false,
            truncated: false,
        };
        agent.learn(&t, &mut rng).expect("learning succeeds");
        std::mem::swap(&mut obs, &mut next);
    }
}

/// Cosine similarity of θ̂'s document block (after the bias) with θ.
pub fn cosine(theta_hat: &[f64], theta: &[f64]) -> f64 {
    let est = &theta_hat[theta_hat.len() - theta.len()..];
    let dot: f64 = est.iter().zip(theta).map(|(a, b)| a * b).sum();
    let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    dot / (norm(est) * norm(theta))
}
