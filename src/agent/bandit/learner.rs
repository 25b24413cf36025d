//! The part the three bandits share: features, credit, the ridge model, buffers, checkpoints.

use serde::{Deserialize, Serialize};

use super::credit::Credit;
use super::features::{FeatureMap, FeatureParams};
use super::kernels::mat_vec;
use super::ridge::Ridge;
use crate::agent::{AgentError, CheckpointError, Transition};
use crate::sim::common::check_positive;
use crate::sim::{ObsSpec, Observation};

/// Default number of updates between refactorisations of A⁻¹ (and the factor) from A.
pub const DEFAULT_REFACTOR_EVERY: u64 = 1000;

/// Weight of the newest value in the running means reported as internals.
const RUNNING_MEAN_RATE: f64 = 0.01;

/// Checks the settings every bandit has; field names are relative to the agent entry.
pub fn validate_model(
    lambda: f64,
    features: &FeatureParams,
    refactor_every: u64,
    spec: &ObsSpec,
) -> Result<(), (String, String)> {
    check_positive("lambda", lambda)?;
    if refactor_every == 0 {
        return Err(("refactor_every".into(), "must be at least 1".into()));
    }
    features
        .validate(spec)
        .map_err(|(field, message)| (format!("features.{field}"), message))
}

/// An exponential running mean (rate 0.01: about the last hundred values).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunningMean(Option<f64>);

impl RunningMean {
    /// Folds in `x`; the first value is taken as is.
    pub fn push(&mut self, x: f64) {
        self.0 = Some(match self.0 {
            None => x,
            Some(m) => m + RUNNING_MEAN_RATE * (x - m),
        });
    }

    /// The current mean, if any value was pushed.
    pub fn get(self) -> Option<f64> {
        self.0
    }
}

/// Features, credit rule and ridge model of one linear bandit, with its reusable buffers.
#[derive(Clone, Debug)]
pub struct LinearLearner {
    /// The feature map resolved for the scenario.
    pub features: FeatureMap,
    /// The credit rule, `Auto` resolved.
    pub credit: Credit,
    /// The reward model.
    pub ridge: Ridge,
    /// φ of every current candidate (N × d, row-major), written by [`Self::featurize`].
    pub phi: Vec<f64>,
    /// One score per candidate.
    pub scores: Vec<f64>,
    /// Training steps acted so far (drives exploration schedules).
    pub steps: u64,
    row: Vec<f64>,
}

impl LinearLearner {
    /// A learner for `spec`; `keep_factor` maintains the Cholesky factor (Thompson sampling).
    pub fn new(
        lambda: f64,
        features: &FeatureParams,
        credit: Credit,
        refactor_every: u64,
        keep_factor: bool,
        spec: &ObsSpec,
    ) -> Self {
        let features = FeatureMap::new(features, spec);
        let d = features.dim();
        Self {
            credit: credit.resolve(spec),
            ridge: Ridge::new(d, lambda, refactor_every, keep_factor),
            phi: vec![0.0; spec.num_candidates * d],
            scores: vec![0.0; spec.num_candidates],
            steps: 0,
            row: vec![0.0; d],
            features,
        }
    }

    /// Writes φ of every candidate of `obs` into `phi` (resizing only if N changed).
    pub fn featurize(&mut self, obs: &Observation) {
        let n = obs.num_candidates();
        self.phi.resize(n * self.features.dim(), 0.0);
        self.scores.resize(n, 0.0);
        self.features.write_all(obs, &mut self.phi);
    }

    /// scores ← Φθ̂ for the featurized candidates.
    pub fn mean_scores(&mut self) {
        mat_vec(&self.phi, self.ridge.theta(), &mut self.scores);
    }

    /// Learns from every observation the credit rule draws from `t`; `on_update` gets each
    /// observation's squared width xᵀA⁻¹x (before its update).
    pub fn learn(
        &mut self,
        t: &Transition<'_>,
        mut on_update: impl FnMut(f64),
    ) -> Result<(), AgentError> {
        let mut failure = None;
        let (features, ridge, row) = (&self.features, &mut self.ridge, &mut self.row);
        self.credit.for_each_target(t, |item, target| {
            if failure.is_some() {
                return;
            }
            features.write(t.obs, item, row);
            match ridge.update(row, target) {
                Ok(q) => on_update(q),
                Err(e) => failure = Some(e),
            }
        });
        match failure {
            None => Ok(()),
            Some(e) => Err(AgentError::Diverged(format!("ridge update refused: {e}"))),
        }
    }

    /// The learned state as JSON, tagged with the agent's name and the feature layout.
    pub fn save(&self, agent: &str) -> serde_json::Value {
        let checkpoint = Checkpoint {
            agent: agent.to_owned(),
            features: self.features.describe(),
            dim: self.ridge.dim(),
            a: self.ridge.design_matrix(),
            b: self.ridge.b().to_vec(),
            updates: self.ridge.updates(),
            steps: self.steps,
        };
        serde_json::to_value(checkpoint).expect("a checkpoint of finite numbers serialises")
    }

    /// Restores a state written by [`Self::save`] for the same agent and feature layout.
    pub fn load(&mut self, agent: &str, state: serde_json::Value) -> Result<(), CheckpointError> {
        let c: Checkpoint =
            serde_json::from_value(state).map_err(|e| CheckpointError::Corrupt(e.to_string()))?;
        if c.agent != agent {
            return Err(CheckpointError::Mismatch(format!(
                "made by `{}`, not `{agent}`",
                c.agent
            )));
        }
        let (want_features, want_dim) = (self.features.describe(), self.ridge.dim());
        if c.dim != want_dim || c.features != want_features {
            return Err(CheckpointError::Mismatch(format!(
                "features {} (d = {}) where this scenario has {want_features} (d = {want_dim})",
                c.features, c.dim
            )));
        }
        self.ridge
            .load(&c.a, &c.b, c.updates)
            .map_err(|e| CheckpointError::Corrupt(e.to_string()))?;
        self.steps = c.steps;
        Ok(())
    }
}

/// What a bandit checkpoint holds: A and b suffice, A⁻¹, θ̂ and the factor follow from them.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Checkpoint {
    agent: String,
    features: String,
    dim: usize,
    /// A, d × d row-major.
    a: Vec<f64>,
    b: Vec<f64>,
    updates: u64,
    steps: u64,
}
