//! The linear-bandit state machine.

use std::sync::Arc;

use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

use super::params::LinearBanditUser;
use crate::sim::rng::{EnvRngs, SimRng};
use crate::sim::schedule::PopulationSchedule;
use crate::sim::{Environment, Hidden, ObsSpec, Observation, OracleView, ResponseObs, StepOutcome};

/// A synthetic linear contextual bandit: the user consumes slot 0 and rewards `scale · θ·x + noise`.
///
/// The satisfaction readout is where the served item's expected reward lies between the
/// worst and the best candidate offered, (v_served − min v) / (max v − min v), so a perfect
/// myopic policy reads 1 and the worst 0 (1 when every candidate is worth the same).
#[derive(Debug)]
pub struct LinearBanditEnv {
    spec: Arc<ObsSpec>,
    theta: Arc<[f64]>,
    population: PopulationSchedule<LinearBanditUser>,
    noise_stddev: f64,
    /// The fixed corpus, when documents are not resampled.
    corpus: Option<Arc<Array2<f64>>>,
    /// θ·x_i of the current candidates (unscaled).
    values: Vec<f64>,
    segment: usize,
    scale: f64,
    step: u32,
}

impl LinearBanditEnv {
    /// An environment over `theta`, with `corpus` when documents are fixed.
    pub(super) fn new(
        spec: Arc<ObsSpec>,
        theta: Arc<[f64]>,
        population: PopulationSchedule<LinearBanditUser>,
        noise_stddev: f64,
        corpus: Option<Arc<Array2<f64>>>,
    ) -> Self {
        let values = vec![0.0; spec.num_candidates];
        Self {
            spec,
            theta,
            population,
            noise_stddev,
            corpus,
            values,
            segment: 0,
            scale: 1.0,
            step: 0,
        }
    }

    /// Writes the next candidates into `obs` and caches their values.
    fn next_candidates(&mut self, rng: &mut SimRng, obs: &mut Observation) {
        match &self.corpus {
            Some(corpus) => obs.docs.assign(corpus),
            None => draw_documents(&mut obs.docs, rng),
        }
        for (v, x) in self.values.iter_mut().zip(obs.docs.rows()) {
            *v = x.iter().zip(self.theta.iter()).map(|(a, b)| a * b).sum();
        }
    }

    /// The scaled value of candidate `i` for the current user.
    fn value(&self, i: usize) -> f64 {
        self.scale * self.values[i]
    }
}

/// Fills `docs` with independent N(0, 1/d) features, row by row.
pub(super) fn draw_documents(docs: &mut Array2<f64>, rng: &mut SimRng) {
    let std = 1.0 / (docs.ncols().max(1) as f64).sqrt();
    for x in docs.iter_mut() {
        let z: f64 = StandardNormal.sample(rng);
        *x = std * z;
    }
}

impl OracleView for LinearBanditEnv {
    fn hidden(&self) -> Hidden<'_> {
        Hidden::LinearBandit {
            theta: &self.theta,
            scale: self.scale,
        }
    }

    fn expected_reward(&self, slate: &[usize]) -> f64 {
        slate.first().map_or(0.0, |&i| self.value(i))
    }

    fn best_myopic_slate(&self, slate: &mut Vec<usize>) -> f64 {
        // Only slot 0 counts; the other slots take the next best so the slate is still a ranking.
        slate.clear();
        let k = self.spec.slate_size.min(self.values.len());
        while slate.len() < k {
            let best = (0..self.values.len()).filter(|i| !slate.contains(i)).fold(
                None,
                |best: Option<usize>, i| match best {
                    Some(b) if self.value(b) >= self.value(i) => Some(b),
                    _ => Some(i),
                },
            );
            slate.extend(best);
        }
        self.expected_reward(slate)
    }
}

impl Environment for LinearBanditEnv {
    fn spec(&self) -> &ObsSpec {
        &self.spec
    }

    fn reset(&mut self, rngs: &mut EnvRngs, obs: &mut Observation) {
        self.segment = self.population.sample(&mut rngs.user);
        self.scale = self.population.params(self.segment).scale;
        self.step = 0;
        self.next_candidates(&mut rngs.docs, obs);
        obs.responses.fill(ResponseObs::PLACEHOLDER);
        obs.step = 0;
    }

    fn step(&mut self, slate: &[usize], rngs: &mut EnvRngs, next: &mut Observation) -> StepOutcome {
        let (mut best, mut worst) = (f64::NEG_INFINITY, f64::INFINITY);
        for i in 0..self.values.len() {
            best = best.max(self.value(i));
            worst = worst.min(self.value(i));
        }
        // The noise is drawn even when σ = 0 so the response stream stays aligned across settings.
        let z: f64 = StandardNormal.sample(&mut rngs.response);
        let served = slate.first().copied();
        let expected = served.map_or(0.0, |i| self.value(i));
        let reward = served.map_or(0.0, |_| expected + self.noise_stddev * z);
        let satisfaction = match served {
            None => 0.0,
            Some(_) if best > worst => (expected - worst) / (best - worst),
            Some(_) => 1.0,
        };
        self.step += 1;
        for (j, r) in next.responses.iter_mut().enumerate() {
            let consumed = j == 0 && served.is_some();
            *r = ResponseObs {
                clicked: consumed,
                engagement: if consumed { reward } else { 0.0 },
                quality: 0.0,
                cluster: 0,
            };
        }
        self.next_candidates(&mut rngs.docs, next);
        next.step = self.step;
        StepOutcome {
            reward,
            clicked: served.map(|_| 0),
            engagement: reward,
            satisfaction,
            expected_reward: expected,
            best_expected_reward: best,
            done: false,
            truncated: self.step >= self.spec.max_steps.unwrap_or(u32::MAX),
        }
    }

    fn segment(&self) -> usize {
        self.segment
    }

    fn select_population(&mut self, index: usize) {
        self.population.select(index);
    }
}
