//! The `slateq` agent: acting (ε-greedy over optimised slates) and collecting experience.
//! Training updates live in `train.rs`, checkpoints in `checkpoint.rs`.

use ndarray::ArrayView2;
use rand::RngExt;

use super::choice::AgentChoice;
use super::features::{FeatureLayout, fill_candidate_rows, fill_rows};
use super::network::{Mlp, QNetwork};
use super::optimize::SlateSolver;
use super::params::{SlateQParams, TargetKind};
use super::prioritized::ReplayKind;
use super::replay::{Entry, Replay, ReplayDims};
use super::valuation::{SlateInputs, solve_slate};
use crate::agent::random::random_slate;
use crate::agent::{
    ActContext, Agent, AgentError, CheckpointError, Internals, Mode, Transition, internals_mean,
};
use crate::metrics::Ema;
use crate::sim::rng::SimRng;
use crate::sim::{ObsSpec, Observation};

/// Decomposed slate Q-learning with a shared item-value network.
pub struct SlateQ<N: QNetwork = Mlp<f32>> {
    pub(super) params: SlateQParams,
    pub(super) layout: FeatureLayout,
    pub(super) choice: AgentChoice,
    pub(super) online: N,
    pub(super) target: N,
    pub(super) replay: Replay,
    pub(super) solver: SlateSolver,
    pub(super) mode: Mode,
    pub(super) num_candidates: usize,
    pub(super) slate_size: usize,
    /// Training steps seen (calls to `learn`), which drive ε and `train_every`.
    pub(super) steps: u64,
    pub(super) updates: u64,
    pub(super) td_loss: Ema,
    pub(super) mean_q: Ema,
    pub(super) diverged: Option<String>,
    /// State memory after the last `act`: base features of the slate it served, then the
    /// history totals through the responses it saw.
    memory: Vec<f32>,
    /// The state features `act` computed, and the step of the observation they belong to.
    acted_state: Vec<f32>,
    acted_step: Option<u32>,
    pub(super) scratch: Scratch,
}

/// Buffers reused by every call, so acting and training allocate nothing in steady state.
#[derive(Default)]
pub(super) struct Scratch {
    pub x: Vec<f32>,
    pub q: Vec<f64>,
    pub q_select: Vec<f64>,
    pub v: Vec<f64>,
    pub phi: Vec<f32>,
    pub slate: Vec<usize>,
    pub next_state: Vec<f32>,
    pub next_memory: Vec<f32>,
    pub item: Vec<f32>,
    pub rows: Vec<f32>,
    pub batch: Vec<usize>,
    /// The probability each batch entry was drawn with.
    pub probabilities: Vec<f64>,
    /// Importance weights of the batch (prioritised replay).
    pub weights: Vec<f32>,
    pub x_pred: Vec<f32>,
    pub y: Vec<f32>,
    pub target_q: Vec<f64>,
    pub online_q: Vec<f64>,
}

impl SlateQ<Mlp<f32>> {
    /// A fresh agent for scenarios shaped like `spec`; `params` must have passed `validate`.
    pub fn new(params: SlateQParams, spec: &ObsSpec, init_rng: &mut SimRng) -> Self {
        let layout = FeatureLayout::new(spec, params.feature_options());
        let online = Mlp::new(layout.input_dim(), &params.network, init_rng);
        let target = online.clone();
        Self::with_networks(params, spec, layout, online, target)
    }
}

impl<N: QNetwork> SlateQ<N> {
    /// An agent over given networks (for a framework-backed [`QNetwork`]).
    pub fn with_networks(
        params: SlateQParams,
        spec: &ObsSpec,
        layout: FeatureLayout,
        online: N,
        target: N,
    ) -> Self {
        let choice = AgentChoice::new(params.choice, spec, &layout, params.choice_lr);
        let n = spec.num_candidates;
        let dims = ReplayDims {
            state: layout.state_dim,
            cand: layout.cand_dim,
            rows: n + usize::from(layout.null_flag),
            choice: choice.feature_dim(),
            candidates: n,
            slate: spec.slate_size,
        };
        let prioritized = match &params.replay {
            ReplayKind::Uniform => None,
            ReplayKind::Prioritized(p) => Some(*p),
        };
        let replay = Replay::new(dims, params.replay_capacity, prioritized);
        let scratch = Scratch {
            next_state: vec![0.0; layout.state_dim],
            next_memory: vec![0.0; layout.memory_dim()],
            item: vec![0.0; layout.cand_dim],
            ..Scratch::default()
        };
        Self {
            memory: vec![0.0; layout.memory_dim()],
            acted_state: vec![0.0; layout.state_dim],
            acted_step: None,
            solver: SlateSolver::with_capacity(n),
            num_candidates: n,
            slate_size: spec.slate_size,
            params,
            layout,
            choice,
            online,
            target,
            replay,
            mode: Mode::Train,
            steps: 0,
            updates: 0,
            td_loss: internals_mean(),
            mean_q: internals_mean(),
            diverged: None,
            scratch,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &SlateQParams {
        &self.params
    }

    /// The feature layout.
    pub fn layout(&self) -> &FeatureLayout {
        &self.layout
    }

    /// The choice model in use.
    pub fn choice(&self) -> &AgentChoice {
        &self.choice
    }

    /// The online network.
    pub fn online(&self) -> &N {
        &self.online
    }

    /// Current exploration rate for the current mode.
    pub fn epsilon(&self) -> f64 {
        match self.mode {
            Mode::Train => self.params.exploration.at(self.steps),
            Mode::Eval => self.params.exploration.eval,
        }
    }

    /// Rows per state: the N candidates, then the null item when its value is learned.
    pub(super) fn rows_per_state(&self) -> usize {
        self.num_candidates + usize::from(self.layout.null_flag)
    }

    /// Writes the online network's item values Q̄(s, i) for `obs` (state memory: none served
    /// before) into `out`, the null item's last when it is learned. For tests and inspection.
    pub fn item_values(&mut self, obs: &Observation, out: &mut Vec<f64>) {
        let mut state = vec![0.0; self.layout.state_dim];
        self.layout
            .write_state(obs, &vec![0.0; self.layout.memory_dim()], &mut state);
        self.online_values(obs, &state);
        out.clear();
        out.extend_from_slice(&self.scratch.q);
    }

    /// Writes the online network's item values Q̄(s, i) for the state the last `act` saw
    /// (`obs` must be that observation), the null item's last when it is learned: what the
    /// agent believed when it chose. For diagnostics (`slatelab qcheck`).
    pub fn acted_item_values(&mut self, obs: &Observation, out: &mut Vec<f64>) {
        let state = std::mem::take(&mut self.acted_state);
        self.online_values(obs, &state);
        self.acted_state = state;
        out.clear();
        out.extend_from_slice(&self.scratch.q);
    }

    /// Fills `scratch.q` with the online values of every candidate row of `obs` under `state`.
    fn online_values(&mut self, obs: &Observation, state: &[f32]) {
        let rows = self.rows_per_state();
        let width = self.layout.input_dim();
        fill_rows(&self.layout, state, obs, &mut self.scratch.x, rows);
        let x = ArrayView2::from_shape((rows, width), &self.scratch.x[..rows * width])
            .expect("row buffer sized for the batch");
        let q = self.online.predict(x);
        self.scratch.q.clear();
        self.scratch.q.extend(q.iter().map(|&x| f64::from(x)));
    }

    /// The greedy slate for `obs` under the online network; its value, or `None` when the
    /// network produced a non-finite value (the divergence guard then fires at `learn`).
    pub(super) fn greedy_slate(
        &mut self,
        obs: &Observation,
        slate: &mut Vec<usize>,
    ) -> Option<f64> {
        let state = std::mem::take(&mut self.acted_state);
        self.online_values(obs, &state);
        self.acted_state = state;
        if let Some(bad) = self.scratch.q.iter().find(|q| !q.is_finite()) {
            self.diverged = Some(format!("item value {bad} while acting"));
            return None;
        }
        let n = self.num_candidates;
        let s = &mut self.scratch;
        s.phi.resize(n * self.choice.feature_dim(), 0.0);
        s.v.resize(n, 0.0);
        self.choice.write_features(obs, &self.layout, &mut s.phi);
        let v_null = self.choice.weights(&s.phi, &mut s.v);
        let q_null = self.layout.null_flag.then(|| s.q[n]);
        let value = solve_slate(
            &self.choice,
            &mut self.solver,
            self.params.serve,
            SlateInputs {
                v: &s.v,
                v_null,
                q: &s.q[..n],
                q_null,
            },
            self.slate_size,
            &mut s.q_select,
            slate,
        );
        Some(value)
    }

    fn store(&mut self, t: &Transition<'_>) {
        let s = &mut self.scratch;
        match t.clicked {
            Some(c) => self.layout.write_candidate(t.obs, t.slate[c], &mut s.item),
            None => self.layout.write_null(&mut s.item),
        }
        let (q_state, q_obs) = if self.params.target_from_current_obs {
            (&self.acted_state, t.obs)
        } else {
            (&s.next_state, t.next_obs)
        };
        let rows = self.num_candidates + usize::from(self.layout.null_flag);
        fill_candidate_rows(&self.layout, q_obs, &mut s.rows, rows);
        s.phi
            .resize(self.num_candidates * self.choice.feature_dim(), 0.0);
        self.choice
            .write_features(t.next_obs, &self.layout, &mut s.phi);
        // A user who ends the session ends it, even on the step a cap would have cut.
        let terminal = t.terminal;
        let i = self.replay.push(Entry {
            state: &self.acted_state,
            item: &s.item,
            reward: t.reward as f32,
            terminal,
            target_state: q_state,
            target_rows: &s.rows,
            next_choice: &s.phi,
        });
        // SARSA needs the slate served next; a truncated episode has none (the target then
        // falls back to the serving optimiser's slate).
        if self.params.target == TargetKind::Sarsa && !terminal && !t.truncated {
            self.replay.await_next_slate(i);
        }
    }
}

impl<N: QNetwork> Agent for SlateQ<N> {
    fn act(&mut self, ctx: &ActContext<'_>, rng: &mut SimRng, slate: &mut Vec<usize>) {
        let obs = ctx.obs;
        if obs.step == 0 {
            self.memory.fill(0.0);
        }
        self.layout.add_responses(obs, &mut self.memory);
        self.layout
            .write_state(obs, &self.memory, &mut self.acted_state);
        self.acted_step = Some(obs.step);
        let eps = self.epsilon();
        let explore = eps > 0.0 && rng.random::<f64>() < eps;
        let greedy = if explore {
            None
        } else {
            self.greedy_slate(obs, slate)
        };
        match greedy {
            Some(value) => self.mean_q.push(value),
            None => random_slate(obs.num_candidates(), self.slate_size, rng, slate),
        }
        let base = self.layout.base_dim;
        if self.layout.served {
            for (slot, &i) in slate.iter().enumerate() {
                self.layout
                    .write_base(obs, i, &mut self.memory[slot * base..(slot + 1) * base]);
            }
        }
    }

    fn health(&self) -> Result<(), AgentError> {
        match &self.diverged {
            Some(why) => Err(AgentError::Diverged(why.clone())),
            None => Ok(()),
        }
    }

    fn learn(&mut self, t: &Transition<'_>, rng: &mut SimRng) -> Result<(), AgentError> {
        if let Some(why) = &self.diverged {
            return Err(AgentError::Diverged(why.clone()));
        }
        self.steps += 1;
        let s = &mut self.scratch;
        let served_dim = self.layout.served_dim();
        if self.acted_step == Some(t.obs.step) {
            s.next_memory[served_dim..].copy_from_slice(&self.memory[served_dim..]);
        } else {
            // Learning from a step this agent did not act on: no memory of what came before.
            s.next_memory.fill(0.0);
            self.layout.add_responses(t.obs, &mut s.next_memory);
            self.layout
                .write_state(t.obs, &s.next_memory, &mut self.acted_state);
        }
        if self.layout.served {
            let base = self.layout.base_dim;
            for (slot, &i) in t.slate.iter().enumerate() {
                self.layout.write_base(
                    t.obs,
                    i,
                    &mut s.next_memory[slot * base..(slot + 1) * base],
                );
            }
        }
        self.layout.add_responses(t.next_obs, &mut s.next_memory);
        self.layout
            .write_state(t.next_obs, &s.next_memory, &mut s.next_state);
        if let AgentChoice::Learned(_) = self.choice {
            s.phi
                .resize(self.num_candidates * self.choice.feature_dim(), 0.0);
            self.choice.write_features(t.obs, &self.layout, &mut s.phi);
            self.choice.observe(&s.phi, t.slate, t.clicked);
        }
        if self.params.target == TargetKind::Sarsa {
            if t.obs.step == 0 {
                self.replay.abandon_wait();
            } else {
                self.replay.resolve_next_slate(t.slate);
            }
        }
        if t.clicked.is_some() || self.layout.null_flag {
            self.store(t);
        }
        let ready = self.replay.len() >= self.params.learning_starts.max(1);
        if ready
            && self
                .steps
                .is_multiple_of(u64::from(self.params.train_every))
        {
            self.train_step(rng)?;
        }
        Ok(())
    }

    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    fn internals(&self) -> Internals {
        Internals {
            epsilon: Some(self.epsilon()),
            td_loss: self.td_loss.value(),
            mean_q: self.mean_q.value(),
            replay: Some((self.replay.len(), self.replay.capacity())),
            updates: Some(self.updates),
            confidence_width: None,
        }
    }

    fn save_state(&self) -> Option<serde_json::Value> {
        Some(self.checkpoint())
    }

    fn load_state(&mut self, state: serde_json::Value) -> Result<(), CheckpointError> {
        self.restore(state)
    }
}
