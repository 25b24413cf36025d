//! Test-only fixtures: RecSim's six-state test MDP as an [`Environment`] (reference §7), a
//! minimal engine loop, and observation specs for unit tests.

use ndarray::Array1;

use crate::agent::{ActContext, Agent, AgentError, Transition};
use crate::sim::choice::ChoiceModel;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::rng::{EnvRngs, Phase, Purpose, SimRng, StreamKey};
use crate::sim::{
    EnvKind, Environment, Hidden, ObsSpec, Observation, OracleView, ResponseFields, ResponseObs,
    StepOutcome,
};
use rand::RngExt;

/// R[a][s]: reward of consuming a document of type a in state s.
const REWARD: [[f64; 6]; 4] = [
    [-10.0, 0.0, 0.0, 4.0, 0.0, 5.0],
    [-10.0, 0.0, 1.0, 0.0, 0.0, 0.0],
    [-10.0, 1.0, 0.0, 2.0, 0.0, 2.0],
    [-10.0, 0.0, 0.0, 0.0, 0.0, 5.0],
];

/// Optimal values from the reference, re-verified by value iteration.
pub const V_GAMMA_05: [f64; 6] = [-7.10072, 2.89928, 2.89928, 2.94964, 3.23741, 6.47482];
/// Optimal values for γ = 0.9.
pub const V_GAMMA_09: [f64; 6] = [8.12425, 18.12425, 18.12425, 17.41182, 18.60358, 20.67064];

/// Six fully observed user states, four document types offered in a cycle, slot 0 consumed.
pub struct TestMdp {
    spec: ObsSpec,
    state: usize,
    doc_counter: usize,
    types: Vec<usize>,
    steps: u32,
    horizon: u32,
}

impl TestMdp {
    /// Episodes of `horizon` steps, cut by truncation (the MDP itself never terminates).
    pub fn new(horizon: u32) -> Self {
        Self {
            spec: ObsSpec {
                kind: EnvKind::LongTermSatisfaction,
                user_dim: 6,
                doc_dim: 4,
                num_candidates: 4,
                slate_size: 1,
                num_clusters: 0,
                time_feature: false,
                response_fields: ResponseFields::default(),
                choice: ChoiceHint {
                    model: ChoiceModel::Slot0,
                    score: ChoiceScore::Hidden,
                },
                max_steps: Some(horizon),
            },
            state: 0,
            doc_counter: 0,
            types: vec![0; 4],
            steps: 0,
            horizon,
        }
    }

    /// The one-hot observation of user state `s` with one candidate of each type.
    pub fn observation_of(&self, s: usize) -> Observation {
        let mut obs = Observation::new(&self.spec);
        obs.user = Array1::from_shape_fn(6, |i| f64::from(u8::from(i == s)));
        for t in 0..4 {
            obs.docs[[t, t]] = 1.0;
        }
        obs.step = 1;
        obs
    }

    fn write(&mut self, obs: &mut Observation) {
        obs.user.fill(0.0);
        obs.user[self.state] = 1.0;
        obs.docs.fill(0.0);
        for i in 0..self.spec.num_candidates {
            // RecSim's test document sampler cycles through the types.
            self.types[i] = self.doc_counter % 4;
            self.doc_counter += 1;
            obs.docs[[i, self.types[i]]] = 1.0;
        }
        obs.step = self.steps;
    }

    fn next_state(s: usize, a: usize, rng: &mut SimRng) -> usize {
        match s {
            0..=3 => {
                let u: f64 = rng.random();
                let k = if u < 0.1 {
                    1
                } else if u < 0.2 {
                    2
                } else {
                    3
                };
                (s + a + k) % 6
            }
            4 => (a + 5) % 6,
            _ => a,
        }
    }
}

impl OracleView for TestMdp {
    fn hidden(&self) -> Hidden<'_> {
        Hidden::LongTermSatisfaction {
            npe: self.state as f64,
            satisfaction: 0.0,
            steps_left: self.horizon - self.steps,
        }
    }
    fn expected_reward(&self, slate: &[usize]) -> f64 {
        REWARD[self.types[slate[0]]][self.state]
    }
    fn best_myopic_slate(&self, slate: &mut Vec<usize>) -> f64 {
        let best = (0..4).max_by(|&a, &b| {
            self.expected_reward(&[a])
                .total_cmp(&self.expected_reward(&[b]))
        });
        slate.clear();
        slate.extend(best);
        self.expected_reward(slate)
    }
}

impl Environment for TestMdp {
    fn spec(&self) -> &ObsSpec {
        &self.spec
    }
    fn reset(&mut self, _rngs: &mut EnvRngs, obs: &mut Observation) {
        self.state = 0;
        self.steps = 0;
        self.write(obs);
        obs.responses.fill(ResponseObs::PLACEHOLDER);
    }
    fn step(&mut self, slate: &[usize], rngs: &mut EnvRngs, next: &mut Observation) -> StepOutcome {
        let a = self.types[slate[0]];
        let reward = REWARD[a][self.state];
        self.state = Self::next_state(self.state, a, &mut rngs.response);
        self.steps += 1;
        self.write(next);
        next.responses.fill(ResponseObs::default());
        next.responses[0] = ResponseObs {
            clicked: true,
            engagement: reward,
            ..ResponseObs::default()
        };
        StepOutcome {
            reward,
            clicked: Some(0),
            truncated: self.steps >= self.horizon,
            ..StepOutcome::default()
        }
    }
    fn segment(&self) -> usize {
        0
    }
    /// One fixed population: there is nothing to select.
    fn select_population(&mut self, _index: usize) {}
}

/// A seeded stream for a test.
pub fn rng(purpose: Purpose, seed: u64, episode: u64) -> SimRng {
    StreamKey {
        seed,
        purpose,
        lane: 0,
        episode,
        phase: Phase::Train,
    }
    .rng()
}

/// Runs `episodes` training episodes the way the engine does; returns the total reward.
pub fn train(
    agent: &mut dyn Agent,
    env: &mut dyn Environment,
    episodes: u64,
    seed: u64,
) -> Result<f64, AgentError> {
    let spec = env.spec().clone();
    let (mut obs, mut next) = (Observation::new(&spec), Observation::new(&spec));
    let mut slate = Vec::new();
    let mut total = 0.0;
    for ep in 0..episodes {
        let mut rngs = EnvRngs::for_episode(seed, Phase::Train, ep);
        let mut act_rng = rng(Purpose::AgentAct, seed, ep);
        let mut learn_rng = rng(Purpose::AgentLearn, seed, ep);
        env.reset(&mut rngs, &mut obs);
        loop {
            let ctx = ActContext {
                obs: &obs,
                spec: &spec,
                oracle: None,
            };
            agent.act(&ctx, &mut act_rng, &mut slate);
            let out = env.step(&slate, &mut rngs, &mut next);
            total += out.reward;
            let t = Transition {
                obs: &obs,
                slate: &slate,
                next_obs: &next,
                reward: out.reward,
                clicked: out.clicked,
                terminal: out.done,
                truncated: out.truncated,
            };
            agent.learn(&t, &mut learn_rng)?;
            std::mem::swap(&mut obs, &mut next);
            if out.done || out.truncated {
                break;
            }
        }
    }
    Ok(total)
}

/// Mean return of the agent's greedy policy over `episodes` evaluation episodes (no learning).
pub fn evaluate(agent: &mut dyn Agent, env: &mut dyn Environment, episodes: u64, seed: u64) -> f64 {
    agent.set_mode(crate::agent::Mode::Eval);
    let spec = env.spec().clone();
    let (mut obs, mut next) = (Observation::new(&spec), Observation::new(&spec));
    let mut slate = Vec::new();
    let mut total = 0.0;
    for ep in 0..episodes {
        let mut rngs = EnvRngs::for_episode(seed, Phase::Eval, ep);
        let mut act_rng = rng(Purpose::AgentAct, seed, ep);
        env.reset(&mut rngs, &mut obs);
        loop {
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
            total += out.reward;
            std::mem::swap(&mut obs, &mut next);
            if out.done || out.truncated {
                break;
            }
        }
    }
    agent.set_mode(crate::agent::Mode::Train);
    total / episodes as f64
}
