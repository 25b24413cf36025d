//! Proportional prioritised replay (Schaul et al. 2016): entries are drawn with probability
//! P(i) = p_i^α / Σ_k p_k^α, p_i = |δ_i| + ε the entry's last absolute TD error, and each
//! draw's loss is weighted by w_i = (n·P(i))^(−β), divided by the batch's largest weight
//! (so weights only shrink steps), with β annealed to 1 so the bias it corrects vanishes.
//! A new entry gets the largest priority seen so far, so it is replayed at least once soon.

use serde::{Deserialize, Serialize};

use super::sum_tree::SumTree;
use crate::sim::FieldError;
use crate::sim::common::{check_positive, check_range};

/// Which replay buffer SlateQ samples from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum ReplayKind {
    /// Every stored transition equally likely (RecSim, RLlib).
    #[default]
    Uniform,
    /// Transitions drawn in proportion to their last TD error.
    Prioritized(PrioritizedParams),
}

/// Parameters of prioritised replay (defaults: Schaul et al.'s proportional variant).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrioritizedParams {
    /// α ≥ 0: how strongly priorities skew sampling (0 = uniform).
    pub alpha: f64,
    /// β at the first update, in [0, 1]; it rises linearly to 1.
    pub beta_start: f64,
    /// Training updates over which β reaches 1 (≥ 1).
    pub beta_updates: u64,
    /// ε > 0 added to |δ| so no entry's probability falls to zero.
    pub min_priority: f64,
}

impl Default for PrioritizedParams {
    fn default() -> Self {
        Self {
            alpha: 0.6,
            beta_start: 0.4,
            beta_updates: 100_000,
            min_priority: 1e-6,
        }
    }
}

impl PrioritizedParams {
    /// Checks the parameters; field names are relative to the `Prioritized` entry.
    pub fn validate(&self) -> Result<(), FieldError> {
        check_range("alpha", self.alpha, 0.0, 10.0)?;
        check_range("beta_start", self.beta_start, 0.0, 1.0)?;
        if self.beta_updates == 0 {
            return Err(FieldError::new("beta_updates", "must be ≥ 1"));
        }
        check_positive("min_priority", self.min_priority)?;
        Ok(())
    }

    /// β after `updates` training updates.
    pub fn beta(&self, updates: u64) -> f64 {
        let progress = (updates as f64 / self.beta_updates as f64).min(1.0);
        self.beta_start + (1.0 - self.beta_start) * progress
    }
}

/// The priorities of a replay buffer's entries.
#[derive(Clone, Debug)]
pub struct Priorities {
    params: PrioritizedParams,
    /// p_i^α per entry; 0 for free slots and for an entry not yet sampleable.
    tree: SumTree,
    /// The largest p^α given so far: what new entries start with.
    max: f64,
}

impl Priorities {
    /// Priorities for `capacity` entries, all empty.
    pub fn new(params: PrioritizedParams, capacity: usize) -> Self {
        Self {
            params,
            tree: SumTree::new(capacity),
            max: 1.0,
        }
    }

    /// Gives entry `i` the largest priority so far (a new or newly sampleable entry).
    pub fn set_max(&mut self, i: usize) {
        self.tree.set(i, self.max);
    }

    /// Takes entry `i` out of sampling until it is given a priority again.
    pub fn exclude(&mut self, i: usize) {
        self.tree.set(i, 0.0);
    }

    /// Records entry `i`'s new absolute TD error.
    pub fn update(&mut self, i: usize, abs_td_error: f64) {
        let error = if abs_td_error.is_finite() {
            abs_td_error
        } else {
            0.0
        };
        let p = (error + self.params.min_priority).powf(self.params.alpha);
        self.max = self.max.max(p);
        self.tree.set(i, p);
    }

    /// The entry whose share of the total priority holds `fraction` ∈ [0, 1).
    pub fn find(&self, fraction: f64) -> Option<usize> {
        self.tree.find(fraction * self.tree.total())
    }

    /// P(i), the probability of drawing entry `i`.
    pub fn probability(&self, i: usize) -> f64 {
        self.tree.get(i) / self.tree.total()
    }

    /// The parameters.
    pub fn params(&self) -> &PrioritizedParams {
        &self.params
    }
}

/// Importance weights (n·P(i))^(−β) for `probabilities` out of `n` sampleable entries,
/// divided by their largest, written into `out`.
pub fn importance_weights(probabilities: &[f64], n: usize, beta: f64, out: &mut Vec<f32>) {
    out.clear();
    let raw = |p: f64| (n as f64 * p).powf(-beta);
    let largest = probabilities.iter().map(|&p| raw(p)).fold(0.0, f64::max);
    out.extend(probabilities.iter().map(|&p| (raw(p) / largest) as f32));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beta_rises_linearly_to_one() {
        let p = PrioritizedParams {
            beta_start: 0.4,
            beta_updates: 100,
            ..PrioritizedParams::default()
        };
        assert_eq!(p.beta(0), 0.4);
        assert!((p.beta(50) - 0.7).abs() < 1e-12);
        assert_eq!(p.beta(100), 1.0);
        assert_eq!(p.beta(10_000), 1.0);
    }

    #[test]
    fn priorities_follow_td_errors_and_new_entries_start_at_the_largest() {
        let params = PrioritizedParams {
            alpha: 1.0,
            min_priority: 0.5,
            ..PrioritizedParams::default()
        };
        let mut p = Priorities::new(params, 4);
        p.update(0, 1.5);
        p.update(1, 3.5);
        assert_eq!(p.probability(0), 2.0 / 6.0);
        p.set_max(2);
        assert_eq!(p.probability(2), 4.0 / 10.0);
        p.exclude(1);
        assert_eq!(p.probability(1), 0.0);
        assert_eq!(p.find(0.0), Some(0));
        assert_eq!(p.find(0.5), Some(2));
        p.update(3, f64::NAN);
        assert_eq!(
            p.probability(3),
            0.5 / 6.5,
            "a non-finite error counts as zero"
        );
    }

    #[test]
    fn importance_weights_undo_the_skew_and_never_exceed_one() {
        let mut w = Vec::new();
        importance_weights(&[0.5, 0.25, 0.25], 4, 1.0, &mut w);
        // (4·0.5)^−1 = 0.5, (4·0.25)^−1 = 1: the likelier entry counts half as much.
        assert_eq!(w, vec![0.5, 1.0, 1.0]);
        importance_weights(&[0.5, 0.25], 4, 0.0, &mut w);
        assert_eq!(w, vec![1.0, 1.0], "β = 0 corrects nothing");
    }
}
