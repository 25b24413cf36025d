//! The item-value network Q̄(s, i): a small MLP over (state features ⊕ candidate features),
//! shared across candidates and slots, with hand-written backprop, Adam and gradient clipping.
//!
//! Hand-written on ndarray because at these sizes (input ≈ 40, hidden [256, 32]) framework
//! overhead dominates (see docs/performance.md); [`QNetwork`] keeps a framework swap cheap.
//! Every buffer is kept between calls, so predicting and fitting allocate nothing once the
//! largest batch has been seen.

use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView1, ArrayView2};
use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::adam::{Adam, AdamConfig, AdamState};
use super::kernels::{add_assign, grow, sum_of_squares, view, view_mut};
use super::real::Real;
use crate::agent::CheckpointError;
use crate::sim::FieldError;
use crate::sim::rng::SimRng;

/// The regression loss on temporal-difference errors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Loss {
    /// Mean of δ² (RecSim's SlateQ).
    Squared,
    /// Mean Huber loss with threshold 1: δ²/2 inside, |δ| − 1/2 outside (Dopamine's DQN).
    #[default]
    Huber,
}

/// The network's shape and training settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkConfig {
    /// Widths of the hidden ReLU layers (RecSim and RLlib: [256, 32]); the output is linear.
    pub hidden: Vec<usize>,
    /// The optimiser.
    pub adam: AdamConfig,
    /// The TD loss.
    pub loss: Loss,
    /// Rescale the gradient to at most this L2 norm before each step; `None` = no clipping.
    pub grad_clip_norm: Option<f64>,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            hidden: vec![256, 32],
            adam: AdamConfig::default(),
            loss: Loss::Huber,
            grad_clip_norm: Some(10.0),
        }
    }
}

impl NetworkConfig {
    /// Checks every field; returns the offending field (relative to this struct) and why.
    pub fn validate(&self) -> Result<(), FieldError> {
        if let Some((i, _)) = self.hidden.iter().enumerate().find(|(_, w)| **w == 0) {
            return Err(FieldError::new(
                format!("hidden[{i}]"),
                "layer widths must be ≥ 1",
            ));
        }
        if let Some((i, w)) = self.hidden.iter().enumerate().find(|(_, w)| **w > 65_536) {
            return Err(FieldError::new(
                format!("hidden[{i}]"),
                format!("must be ≤ 65536, got {w}"),
            ));
        }
        self.adam.validate().map_err(|e| e.within("adam"))?;
        if let Some(c) = self.grad_clip_norm {
            crate::sim::common::check_positive("grad_clip_norm", c)?;
        }
        Ok(())
    }

    /// Weights and biases of the network for rows of `input_dim` features (saturating).
    pub fn parameters(&self, input_dim: usize) -> usize {
        let mut widths = vec![input_dim];
        widths.extend_from_slice(&self.hidden);
        widths.push(1);
        widths.windows(2).fold(0usize, |total, pair| {
            total.saturating_add(pair[0].saturating_add(1).saturating_mul(pair[1]))
        })
    }

    /// Activations one forward pass keeps per input row: every layer's outputs.
    pub fn activations_per_row(&self) -> usize {
        self.hidden.iter().fold(1usize, |t, &w| t.saturating_add(w))
    }
}

/// A network's weights (and optionally optimiser state), as saved in checkpoints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NetworkState {
    /// Layer widths from input to output.
    pub sizes: Vec<usize>,
    /// All weights and biases, layer by layer (weights row-major input × output, then biases).
    pub params: Vec<f32>,
    /// Adam's moments, when saved.
    pub adam: Option<AdamState>,
}

/// What the agent needs from an item-value network; a framework-backed network can implement it.
pub trait QNetwork: Send + Sized {
    /// Width of one input row.
    fn input_dim(&self) -> usize;
    /// One value per input row.
    fn predict(&mut self, x: ArrayView2<'_, f32>) -> ArrayView1<'_, f32>;
    /// One optimiser step towards `targets` (one per row); returns the loss before the step.
    fn fit(&mut self, x: ArrayView2<'_, f32>, targets: ArrayView1<'_, f32>) -> f64;
    /// As [`Self::fit`], each row's loss scaled by its weight (prioritised replay's
    /// importance weights).
    fn fit_weighted(
        &mut self,
        x: ArrayView2<'_, f32>,
        targets: ArrayView1<'_, f32>,
        weights: &[f32],
    ) -> f64;
    /// |output − target| of every row of the last fit, before its step.
    fn abs_errors(&self) -> &[f64];
    /// Makes this network's weights equal to `other`'s (hard target update).
    fn copy_weights_from(&mut self, other: &Self);
    /// Moves weights towards `other`'s: θ ← (1 − τ)θ + τθ' (soft target update).
    fn soft_update_from(&mut self, other: &Self, tau: f64);
    /// The weights, with the optimiser state when asked.
    fn save(&self, with_optimizer: bool) -> NetworkState;
    /// Whether `state` fits this network and is sane; `load` would then succeed.
    fn check(&self, state: &NetworkState) -> Result<(), CheckpointError>;
    /// Restores a saved state (all or nothing); the optimiser restarts when it carries none.
    fn load(&mut self, state: &NetworkState) -> Result<(), CheckpointError>;
}

/// A fully connected ReLU network with a linear scalar output.
#[derive(Clone, Debug)]
pub struct Mlp<F> {
    sizes: Vec<usize>,
    params: Vec<F>,
    grads: Vec<F>,
    /// Per layer: (offset of the weight matrix, offset of the bias) in `params`.
    offsets: Vec<(usize, usize)>,
    /// Post-activation outputs of every layer for the last forward pass (rows × width).
    acts: Vec<Vec<F>>,
    delta: Vec<F>,
    delta_prev: Vec<F>,
    dout: Vec<F>,
    /// |output − target| per row of the last loss computed.
    errors: Vec<f64>,
    rows: usize,
    loss: Loss,
    grad_clip_norm: Option<f64>,
    adam: Adam<F>,
}

impl<F: Real> Mlp<F> {
    /// A network for rows of `input_dim` features, Glorot-uniform weights and zero biases.
    pub fn new(input_dim: usize, config: &NetworkConfig, rng: &mut SimRng) -> Self {
        let mut sizes = Vec::with_capacity(config.hidden.len() + 2);
        sizes.push(input_dim);
        sizes.extend_from_slice(&config.hidden);
        sizes.push(1);
        let mut offsets = Vec::with_capacity(sizes.len() - 1);
        let mut params = Vec::new();
        for pair in sizes.windows(2) {
            let (fan_in, fan_out) = (pair[0], pair[1]);
            let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
            let w_off = params.len();
            params.extend(
                (0..fan_in * fan_out)
                    .map(|_| F::from_f64((2.0 * rng.random::<f64>() - 1.0) * limit)),
            );
            let b_off = params.len();
            params.extend((0..fan_out).map(|_| F::zero()));
            offsets.push((w_off, b_off));
        }
        let n = params.len();
        Self {
            acts: vec![Vec::new(); sizes.len() - 1],
            sizes,
            grads: vec![F::zero(); n],
            params,
            offsets,
            delta: Vec::new(),
            delta_prev: Vec::new(),
            dout: Vec::new(),
            errors: Vec::new(),
            rows: 0,
            loss: config.loss,
            grad_clip_norm: config.grad_clip_norm,
            adam: Adam::new(config.adam, n),
        }
    }

    /// Layer widths from input to output.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// All weights and biases.
    pub fn params(&self) -> &[F] {
        &self.params
    }

    /// All weights and biases, mutable (for tests and target updates).
    pub fn params_mut(&mut self) -> &mut [F] {
        &mut self.params
    }

    /// The gradient of the last [`Self::backward`].
    pub fn grads(&self) -> &[F] {
        &self.grads
    }

    /// Forward pass over a batch (one row per candidate); keeps activations for `backward`.
    pub fn forward(&mut self, x: ArrayView2<'_, F>) -> ArrayView1<'_, F> {
        let rows = x.nrows();
        assert_eq!(x.ncols(), self.sizes[0], "input width");
        let layers = self.offsets.len();
        for l in 0..layers {
            grow(&mut self.acts[l], rows * self.sizes[l + 1]);
        }
        for l in 0..layers {
            let (done, rest) = self.acts.split_at_mut(l);
            let (n_in, n_out) = (self.sizes[l], self.sizes[l + 1]);
            let mut out = view_mut(&mut rest[0], rows, n_out);
            let (w_off, b_off) = self.offsets[l];
            let w = view(&self.params[w_off..], n_in, n_out);
            let b = ArrayView1::from(&self.params[b_off..b_off + n_out]);
            out.assign(&b);
            if l == 0 {
                general_mat_mul(F::one(), &x, &w, F::one(), &mut out);
            } else {
                let input = view(&done[l - 1], rows, n_in);
                general_mat_mul(F::one(), &input, &w, F::one(), &mut out);
            }
            if l + 1 < layers {
                out.mapv_inplace(|z| if z > F::zero() { z } else { F::zero() });
            }
        }
        self.rows = rows;
        ArrayView1::from(&self.acts[layers - 1][..rows])
    }

    /// The loss of the last forward pass against `targets`; writes dLoss/dOutput into `dout`.
    pub fn loss_and_output_grad(&mut self, targets: ArrayView1<'_, F>, dout: &mut Vec<F>) -> f64 {
        self.weighted_loss_and_output_grad(targets, None, dout)
    }

    /// The mean over rows of weight × loss (weight 1 when `weights` is `None`) of the last
    /// forward pass against `targets`; writes dLoss/dOutput into `dout` and each row's
    /// |output − target| into the errors [`QNetwork::abs_errors`] returns.
    pub fn weighted_loss_and_output_grad(
        &mut self,
        targets: ArrayView1<'_, F>,
        weights: Option<&[f32]>,
        dout: &mut Vec<F>,
    ) -> f64 {
        let rows = self.rows;
        assert_eq!(targets.len(), rows, "one target per row");
        if let Some(w) = weights {
            assert_eq!(w.len(), rows, "one weight per row");
        }
        dout.clear();
        self.errors.clear();
        let out = &self.acts[self.offsets.len() - 1][..rows];
        let scale = 1.0 / rows.max(1) as f64;
        let mut total = 0.0;
        for (row, (&q, &y)) in out.iter().zip(targets.iter()).enumerate() {
            let e = q.to_f64() - y.to_f64();
            let (l, g) = match self.loss {
                Loss::Squared => (e * e, 2.0 * e),
                Loss::Huber if e.abs() <= 1.0 => (0.5 * e * e, e),
                Loss::Huber => (e.abs() - 0.5, e.signum()),
            };
            let w = weights.map_or(1.0, |w| f64::from(w[row]));
            total += w * l;
            dout.push(F::from_f64(w * g * scale));
            self.errors.push(e.abs());
        }
        total * scale
    }

    /// Backward pass for the last forward pass over `x`, given dLoss/dOutput; fills the gradient.
    pub fn backward(&mut self, x: ArrayView2<'_, F>, dout: &[F]) {
        let rows = self.rows;
        assert_eq!(x.nrows(), rows, "backward needs the forward pass's input");
        assert_eq!(dout.len(), rows, "one output gradient per row");
        let max_width = *self.sizes.iter().max().unwrap_or(&1);
        grow(&mut self.delta, rows * max_width);
        grow(&mut self.delta_prev, rows * max_width);
        self.delta[..rows].copy_from_slice(dout);
        for l in (0..self.offsets.len()).rev() {
            let (n_in, n_out) = (self.sizes[l], self.sizes[l + 1]);
            let (w_off, b_off) = self.offsets[l];
            let delta = view(&self.delta, rows, n_out);
            let (w_params, _) = self.params.split_at(b_off);
            let (head, tail) = self.grads.split_at_mut(b_off);
            let mut gw = view_mut(&mut head[w_off..], n_in, n_out);
            if l == 0 {
                general_mat_mul(F::one(), &x.t(), &delta, F::zero(), &mut gw);
            } else {
                let input = view(&self.acts[l - 1], rows, n_in);
                general_mat_mul(F::one(), &input.t(), &delta, F::zero(), &mut gw);
            }
            let gb = &mut tail[..n_out];
            gb.fill(F::zero());
            // Plain slices (not ndarray row views) so the row sums vectorise.
            for row in self.delta[..rows * n_out].chunks_exact(n_out) {
                add_assign(gb, row);
            }
            if l > 0 {
                let w = view(&w_params[w_off..], n_in, n_out);
                let mut prev = view_mut(&mut self.delta_prev, rows, n_in);
                general_mat_mul(F::one(), &delta, &w.t(), F::zero(), &mut prev);
                // ReLU passes gradient only where its output was positive.
                let h = &self.acts[l - 1][..rows * n_in];
                let prev = &mut self.delta_prev[..rows * n_in];
                prev.iter_mut().zip(h).for_each(|(d, &a)| {
                    // A select, not a branch, so it vectorises.
                    *d = if a > F::zero() { *d } else { F::zero() };
                });
                std::mem::swap(&mut self.delta, &mut self.delta_prev);
            }
        }
    }

    /// Clips the gradient to the configured norm and takes one Adam step.
    pub fn apply_gradient(&mut self) {
        if let Some(max) = self.grad_clip_norm {
            let norm = sum_of_squares(&self.grads).sqrt();
            if norm > max {
                let s = F::from_f64(max / norm);
                self.grads.iter_mut().for_each(|g| *g = *g * s);
            }
        }
        self.adam.step(&mut self.params, &self.grads);
    }

    /// Forward, loss, backward and one optimiser step; returns the loss before the step.
    pub fn fit_batch(&mut self, x: ArrayView2<'_, F>, targets: ArrayView1<'_, F>) -> f64 {
        self.fit_weighted_batch(x, targets, None)
    }

    /// As [`Self::fit_batch`], each row's loss scaled by its weight.
    pub fn fit_weighted_batch(
        &mut self,
        x: ArrayView2<'_, F>,
        targets: ArrayView1<'_, F>,
        weights: Option<&[f32]>,
    ) -> f64 {
        self.forward(x);
        let mut dout = std::mem::take(&mut self.dout);
        let loss = self.weighted_loss_and_output_grad(targets, weights, &mut dout);
        // A non-finite loss is reported to the caller (the divergence guard), not stepped on.
        if loss.is_finite() {
            self.backward(x, &dout);
            self.apply_gradient();
        }
        self.dout = dout;
        loss
    }
}

impl QNetwork for Mlp<f32> {
    fn input_dim(&self) -> usize {
        self.sizes[0]
    }

    fn predict(&mut self, x: ArrayView2<'_, f32>) -> ArrayView1<'_, f32> {
        self.forward(x)
    }

    fn fit(&mut self, x: ArrayView2<'_, f32>, targets: ArrayView1<'_, f32>) -> f64 {
        self.fit_batch(x, targets)
    }

    fn fit_weighted(
        &mut self,
        x: ArrayView2<'_, f32>,
        targets: ArrayView1<'_, f32>,
        weights: &[f32],
    ) -> f64 {
        self.fit_weighted_batch(x, targets, Some(weights))
    }

    fn abs_errors(&self) -> &[f64] {
        &self.errors
    }

    fn copy_weights_from(&mut self, other: &Self) {
        self.params.copy_from_slice(&other.params);
    }

    fn soft_update_from(&mut self, other: &Self, tau: f64) {
        let tau = tau as f32;
        for (p, &q) in self.params.iter_mut().zip(&other.params) {
            *p += tau * (q - *p);
        }
    }

    fn save(&self, with_optimizer: bool) -> NetworkState {
        NetworkState {
            sizes: self.sizes.clone(),
            params: self.params.clone(),
            adam: with_optimizer.then(|| self.adam.state()),
        }
    }

    fn check(&self, state: &NetworkState) -> Result<(), CheckpointError> {
        if state.sizes != self.sizes {
            return Err(CheckpointError::Mismatch(format!(
                "network layer widths {:?}, this agent has {:?}",
                state.sizes, self.sizes
            )));
        }
        if state.params.len() != self.params.len() {
            return Err(CheckpointError::Corrupt(format!(
                "{} network parameters for widths {:?}, expected {}",
                state.params.len(),
                state.sizes,
                self.params.len()
            )));
        }
        if state.params.iter().any(|p| !p.is_finite()) {
            return Err(CheckpointError::Corrupt("non-finite network weight".into()));
        }
        if state.adam.as_ref().is_some_and(|a| !self.adam.accepts(a)) {
            return Err(CheckpointError::Corrupt(
                "optimiser state does not fit".into(),
            ));
        }
        Ok(())
    }

    fn load(&mut self, state: &NetworkState) -> Result<(), CheckpointError> {
        self.check(state)?;
        // Everything checked: from here on the load cannot fail half-way.
        self.params.copy_from_slice(&state.params);
        match &state.adam {
            Some(a) => {
                self.adam.restore(a);
            }
            None => self.adam.reset(),
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "network_tests.rs"]
mod tests;
