//! Adam over a flat parameter vector, generic over the float type of the network.

use crate::sim::FieldError;
use serde::{Deserialize, Serialize};

use super::real::Real;

/// Largest learning rate accepted.
pub const MAX_LR: f64 = 1.0;
/// Smallest epsilon accepted (well above f32's smallest normal number, 1.2e-38).
pub const MIN_EPSILON: f64 = 1e-30;

/// Adam's hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdamConfig {
    /// Learning rate (> 0).
    pub lr: f64,
    /// Decay of the first-moment estimate, in [0, 1).
    pub beta1: f64,
    /// Decay of the second-moment estimate, in [0, 1).
    pub beta2: f64,
    /// Added to the root second moment so steps stay bounded (> 0).
    pub epsilon: f64,
    /// Lower the learning rate linearly to `to` over the first `steps` optimiser steps, then
    /// hold it (`None`: constant). Late steps then refine values instead of jittering them,
    /// so the network training ends on is less a matter of when it stopped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lr_decay: Option<LrDecay>,
}

/// A linear learning-rate decay.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LrDecay {
    /// The learning rate at the end of the decay (> 0).
    pub to: f64,
    /// Optimiser steps (training updates) the decay takes (≥ 1).
    pub steps: u64,
}

impl Default for AdamConfig {
    fn default() -> Self {
        Self {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            lr_decay: None,
        }
    }
}

impl AdamConfig {
    /// Checks every field; returns the offending field and what is allowed.
    pub fn validate(&self) -> Result<(), FieldError> {
        use crate::sim::common::{check_positive, check_range};
        check_positive("lr", self.lr)?;
        // Adam moves each weight by about `lr` a step: beyond 1 the network overflows f32
        // within a few updates.
        check_range("lr", self.lr, 0.0, MAX_LR)?;
        check_range("beta1", self.beta1, 0.0, 1.0 - f64::EPSILON)?;
        check_range("beta2", self.beta2, 0.0, 1.0 - f64::EPSILON)?;
        // Networks compute in f32, where an epsilon below ~1e-38 is 0 and makes 0/0 steps.
        check_range("epsilon", self.epsilon, MIN_EPSILON, 1.0)?;
        if let Some(decay) = self.lr_decay {
            check_positive("lr_decay.to", decay.to)?;
            check_range("lr_decay.to", decay.to, 0.0, MAX_LR)?;
            if decay.steps == 0 {
                return Err(FieldError::new("lr_decay.steps", "must be ≥ 1"));
            }
        }
        Ok(())
    }

    /// The learning rate of optimiser step `t` (1 for the first).
    pub fn lr_at(&self, t: u64) -> f64 {
        match self.lr_decay {
            None => self.lr,
            Some(d) => {
                let progress = (t.saturating_sub(1) as f64 / d.steps as f64).min(1.0);
                self.lr + (d.to - self.lr) * progress
            }
        }
    }
}

/// Adam's moment estimates, as saved in checkpoints.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdamState {
    /// First-moment estimate, one per parameter.
    pub m: Vec<f32>,
    /// Second-moment estimate, one per parameter.
    pub v: Vec<f32>,
    /// Steps taken (for bias correction).
    pub t: u64,
}

/// The Adam optimiser's running state for one parameter vector.
#[derive(Clone, Debug)]
pub struct Adam<F> {
    config: AdamConfig,
    m: Vec<F>,
    v: Vec<F>,
    t: u64,
}

impl<F: Real> Adam<F> {
    /// Fresh state for `n` parameters.
    pub fn new(config: AdamConfig, n: usize) -> Self {
        Self {
            config,
            m: vec![F::zero(); n],
            v: vec![F::zero(); n],
            t: 0,
        }
    }

    /// One Adam step: `params -= lr · m̂ / (√v̂ + ε)`.
    pub fn step(&mut self, params: &mut [F], grads: &[F]) {
        debug_assert_eq!(params.len(), self.m.len());
        self.t += 1;
        let c = self.config;
        // Bias corrections in f64: β^t underflows gracefully and stays exact enough.
        let bc1 = 1.0 - c.beta1.powf(self.t as f64);
        let bc2 = 1.0 - c.beta2.powf(self.t as f64);
        let step = F::from_f64(c.lr_at(self.t) * bc2.sqrt() / bc1);
        let eps = F::from_f64(c.epsilon * bc2.sqrt());
        let (b1, b2) = (F::from_f64(c.beta1), F::from_f64(c.beta2));
        let (a1, a2) = (F::one() - b1, F::one() - b2);
        // Equal-length slices and an index loop: the form the compiler vectorises.
        let n = params.len();
        let (g, m, v) = (&grads[..n], &mut self.m[..n], &mut self.v[..n]);
        for i in 0..n {
            m[i] = b1 * m[i] + a1 * g[i];
            v[i] = b2 * v[i] + a2 * g[i] * g[i];
            // Folding the bias corrections into step and ε is algebraically the textbook update.
            params[i] = params[i] - step * m[i] / (v[i].sqrt() + eps);
        }
    }

    /// The moments, for checkpoints.
    pub fn state(&self) -> AdamState {
        AdamState {
            m: self.m.iter().map(|x| x.to_f32()).collect(),
            v: self.v.iter().map(|x| x.to_f32()).collect(),
            t: self.t,
        }
    }

    /// Whether `state` fits this optimiser (lengths) and is sane (finite, v ≥ 0).
    pub fn accepts(&self, state: &AdamState) -> bool {
        state.m.len() == self.m.len()
            && state.v.len() == self.v.len()
            && state.m.iter().all(|x| x.is_finite())
            && state.v.iter().all(|&x| x.is_finite() && x >= 0.0)
    }

    /// Restores moments saved by [`Self::state`]; `false` (and no change) if they do not fit.
    pub fn restore(&mut self, state: &AdamState) -> bool {
        if !self.accepts(state) {
            return false;
        }
        self.m
            .iter_mut()
            .zip(&state.m)
            .for_each(|(a, &b)| *a = F::from_f64(f64::from(b)));
        self.v
            .iter_mut()
            .zip(&state.v)
            .for_each(|(a, &b)| *a = F::from_f64(f64::from(b)));
        self.t = state.t;
        true
    }

    /// Forgets the moments (a fresh start, as after loading weights without optimiser state).
    pub fn reset(&mut self) {
        self.m.fill(F::zero());
        self.v.fill(F::zero());
        self.t = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_step_moves_each_parameter_by_about_lr_against_its_gradient() {
        let mut adam = Adam::<f64>::new(AdamConfig::default(), 3);
        let mut p = [1.0, 1.0, 1.0];
        adam.step(&mut p, &[2.0, -0.5, 0.0]);
        assert!((p[0] - (1.0 - 1e-3)).abs() < 1e-9, "{p:?}");
        assert!((p[1] - (1.0 + 1e-3)).abs() < 1e-9, "{p:?}");
        assert_eq!(p[2], 1.0);
    }

    #[test]
    fn minimises_a_quadratic() {
        let cfg = AdamConfig {
            lr: 0.05,
            ..AdamConfig::default()
        };
        let mut adam = Adam::<f64>::new(cfg, 2);
        let mut p = [3.0, -2.0];
        for _ in 0..2000 {
            let g = [2.0 * (p[0] - 1.0), 2.0 * (p[1] + 0.5)];
            adam.step(&mut p, &g);
        }
        assert!(
            (p[0] - 1.0).abs() < 1e-3 && (p[1] + 0.5).abs() < 1e-3,
            "{p:?}"
        );
    }

    #[test]
    fn the_learning_rate_decays_linearly_then_holds() {
        let cfg = AdamConfig {
            lr: 1e-3,
            lr_decay: Some(LrDecay {
                to: 1e-4,
                steps: 100,
            }),
            ..AdamConfig::default()
        };
        assert!((cfg.lr_at(1) - 1e-3).abs() < 1e-15);
        assert!((cfg.lr_at(51) - 5.5e-4).abs() < 1e-12);
        assert!((cfg.lr_at(101) - 1e-4).abs() < 1e-15);
        assert!((cfg.lr_at(10_000) - 1e-4).abs() < 1e-15);
        assert_eq!(AdamConfig::default().lr_at(10_000), 1e-3);
        // The step taken uses it: the 101st step moves a parameter by about `to`.
        let mut adam = Adam::<f64>::new(cfg, 1);
        let mut p = [0.0];
        for _ in 0..100 {
            adam.step(&mut p, &[1.0]);
        }
        let before = p[0];
        adam.step(&mut p, &[1.0]);
        assert!(((before - p[0]) - 1e-4).abs() < 1e-6, "{}", before - p[0]);
        let bad = AdamConfig {
            lr_decay: Some(LrDecay { to: 1e-4, steps: 0 }),
            ..AdamConfig::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "lr_decay.steps");
    }

    #[test]
    fn validation_names_the_field() {
        let bad = AdamConfig {
            beta2: 1.0,
            ..AdamConfig::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "beta2");
        let bad = AdamConfig {
            lr: 0.0,
            ..AdamConfig::default()
        };
        assert_eq!(bad.validate().unwrap_err().field, "lr");
    }

    #[test]
    fn values_f32_cannot_carry_are_refused() {
        let with = |lr: f64, epsilon: f64| AdamConfig {
            lr,
            epsilon,
            ..AdamConfig::default()
        };
        // Both validated, then the first updates made the TD loss NaN.
        assert_eq!(with(1e20, 1e-8).validate().unwrap_err().field, "lr");
        assert_eq!(with(1e-3, 5e-324).validate().unwrap_err().field, "epsilon");
        assert!(with(MAX_LR, MIN_EPSILON).validate().is_ok());
    }
}
