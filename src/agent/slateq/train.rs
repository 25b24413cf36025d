//! One SlateQ training update: TD targets for a replay batch, one network step, target sync.
//!
//! For a stored step (s, consumed item i, r, s') the target is
//! y = r + γ · Σ_{j∈A'} P(j | s', A') Q̄_target(s', j) (0 beyond a terminal state), where A'
//! is the slate served next (SARSA) or the optimiser's best slate (Q-learning). With double
//! Q-learning the online network chooses A' and the target network values it.

use ndarray::{ArrayView1, ArrayView2};

use super::agent::SlateQ;
use super::network::QNetwork;
use super::params::{TargetKind, TargetUpdate};
use super::prioritized::importance_weights;
use super::valuation::{SlateInputs, solve_slate, value_of};
use crate::agent::AgentError;
use crate::sim::rng::SimRng;

impl<N: QNetwork> SlateQ<N> {
    /// Samples a batch, fits the online network to its targets and updates the target network.
    pub(super) fn train_step(&mut self, rng: &mut SimRng) -> Result<(), AgentError> {
        let s = &mut self.scratch;
        let size = self.params.batch_size;
        self.replay
            .sample_batch(size, rng, &mut s.batch, &mut s.probabilities);
        if s.batch.len() < size {
            return Ok(());
        }
        self.compute_targets()?;
        let s = &mut self.scratch;
        let (ds, dc) = (self.layout.state_dim, self.layout.cand_dim);
        let width = ds + dc;
        let b = s.batch.len();
        s.x_pred.resize(b * width, 0.0);
        for (row, &i) in s.x_pred.chunks_exact_mut(width).zip(&s.batch) {
            row[..ds].copy_from_slice(self.replay.state(i));
            row[ds..].copy_from_slice(self.replay.item(i));
        }
        let x = ArrayView2::from_shape((b, width), &s.x_pred[..b * width]).expect("sized");
        let targets = ArrayView1::from(&s.y[..b]);
        let loss = match self.replay.prioritized() {
            None => self.online.fit(x, targets),
            Some(p) => {
                let beta = p.beta(self.updates);
                importance_weights(
                    &s.probabilities,
                    self.replay.sampleable(),
                    beta,
                    &mut s.weights,
                );
                self.online.fit_weighted(x, targets, &s.weights)
            }
        };
        if !loss.is_finite() {
            let why = format!("TD loss {loss} at update {}", self.updates + 1);
            self.diverged = Some(why.clone());
            return Err(AgentError::Diverged(why));
        }
        self.replay
            .update_priorities(&s.batch, self.online.abs_errors());
        self.updates += 1;
        self.td_loss.push(loss);
        match self.params.target_update {
            TargetUpdate::Hard { every_updates } => {
                if self.updates.is_multiple_of(every_updates) {
                    self.target.copy_weights_from(&self.online);
                }
            }
            TargetUpdate::Soft { tau } => self.target.soft_update_from(&self.online, tau),
        }
        Ok(())
    }

    /// Fills `scratch.y` with the TD targets of the entries in `scratch.batch`.
    pub(super) fn compute_targets(&mut self) -> Result<(), AgentError> {
        let gamma = self.params.gamma;
        let s = &mut self.scratch;
        let b = s.batch.len();
        s.y.clear();
        if gamma == 0.0 {
            // Myopic SlateQ: the next state never matters, so skip its evaluation entirely.
            s.y.extend(s.batch.iter().map(|&i| self.replay.reward(i)));
            return Ok(());
        }
        let rows = self.num_candidates + usize::from(self.layout.null_flag);
        let (ds, dc) = (self.layout.state_dim, self.layout.cand_dim);
        let width = ds + dc;
        s.x.resize(b * rows * width, 0.0);
        for (block, &i) in s.x.chunks_exact_mut(rows * width).zip(&s.batch) {
            let cands = self.replay.target_rows(i);
            for (row, cand) in block.chunks_exact_mut(width).zip(cands.chunks_exact(dc)) {
                row[..ds].copy_from_slice(self.replay.target_state(i));
                row[ds..].copy_from_slice(cand);
            }
        }
        let x = ArrayView2::from_shape((b * rows, width), &s.x[..b * rows * width]).expect("sized");
        copy_finite(self.target.predict(x), &mut s.target_q, "target network")
            .map_err(|why| self.diverge(why))?;
        let s = &mut self.scratch;
        if self.params.double_q {
            let x =
                ArrayView2::from_shape((b * rows, width), &s.x[..b * rows * width]).expect("sized");
            copy_finite(self.online.predict(x), &mut s.online_q, "online network")
                .map_err(|why| self.diverge(why))?;
        }
        let s = &mut self.scratch;
        let n = self.num_candidates;
        let null = self.layout.null_flag;
        s.v.resize(n, 0.0);
        for (bi, &i) in s.batch.iter().enumerate() {
            let r = f64::from(self.replay.reward(i));
            if self.replay.terminal(i) {
                s.y.push(r as f32);
                continue;
            }
            let v_null = self.choice.weights(self.replay.next_choice(i), &mut s.v);
            let block = bi * rows..(bi + 1) * rows;
            let tq = &s.target_q[block.clone()];
            let value_inputs = SlateInputs {
                v: &s.v,
                v_null,
                q: &tq[..n],
                q_null: null.then(|| tq[n]),
            };
            let known = match self.params.target {
                TargetKind::Sarsa => self.replay.next_slate(i),
                TargetKind::QLearning(_) => None,
            };
            if let Some(next) = known {
                s.slate.clear();
                s.slate.extend(next.iter().map(|&j| j as usize));
            } else {
                let method = match self.params.target {
                    TargetKind::QLearning(m) => m,
                    TargetKind::Sarsa => self.params.serve,
                };
                let select = if self.params.double_q {
                    &s.online_q[block]
                } else {
                    tq
                };
                let inputs = SlateInputs {
                    v: &s.v,
                    v_null,
                    q: &select[..n],
                    q_null: null.then(|| select[n]),
                };
                solve_slate(
                    &self.choice,
                    &mut self.solver,
                    method,
                    inputs,
                    self.slate_size,
                    &mut s.q_select,
                    &mut s.slate,
                );
            }
            let next_value = value_of(&self.choice, &value_inputs, &s.slate);
            s.y.push((r + gamma * next_value) as f32);
        }
        Ok(())
    }

    fn diverge(&mut self, why: String) -> AgentError {
        self.diverged = Some(why.clone());
        AgentError::Diverged(why)
    }
}

fn copy_finite(q: ArrayView1<'_, f32>, out: &mut Vec<f64>, what: &str) -> Result<(), String> {
    out.clear();
    out.extend(q.iter().map(|&x| f64::from(x)));
    match out.iter().find(|x| !x.is_finite()) {
        Some(bad) => Err(format!("{what} produced item value {bad}")),
        None => Ok(()),
    }
}
