//! The part the three bandits share: features, credit, the ridge model, buffers, checkpoints.

use serde::{Deserialize, Serialize};

use super::credit::Credit;
use super::features::FeatureMap;
use super::kernels::{dot, mat_vec, quad_forms};
use super::models::Models;
use super::params::ModelParams;
use super::ridge::Ridge;
use crate::agent::{AgentError, CheckpointError, Transition};
use crate::sim::{ObsSpec, Observation};

/// Features, credit rule and ridge models of one linear bandit, with its reusable buffers.
#[derive(Clone, Debug)]
pub struct LinearLearner {
    /// The feature map resolved for the scenario.
    pub features: FeatureMap,
    /// The credit rule, `Auto` resolved.
    pub credit: Credit,
    /// The reward models: one shared, or one per document cluster.
    pub models: Vec<Ridge>,
    /// Whether a candidate's cluster picks its model.
    per_cluster: bool,
    /// The model of every current candidate, written by [`Self::featurize`].
    pub model_of: Vec<usize>,
    /// φ of every current candidate (N × d, row-major), written by [`Self::featurize`].
    pub phi: Vec<f64>,
    /// One score per candidate.
    pub scores: Vec<f64>,
    /// Training steps acted so far (drives exploration schedules).
    pub steps: u64,
    row: Vec<f64>,
}

impl LinearLearner {
    /// A learner for `spec`; `keep_factor` maintains the Cholesky factors (Thompson sampling).
    pub fn new(settings: &ModelParams, keep_factor: bool, spec: &ObsSpec) -> Self {
        let features = FeatureMap::new(&settings.features, spec);
        let d = features.dim();
        let count = settings.models.count(spec).max(1);
        let ridge = Ridge::new(d, settings.lambda, settings.refactor_every, keep_factor);
        Self {
            credit: settings.credit.resolve(spec),
            models: vec![ridge; count],
            per_cluster: settings.models == Models::PerCluster,
            model_of: vec![0; spec.num_candidates],
            phi: vec![0.0; spec.num_candidates * d],
            scores: vec![0.0; spec.num_candidates],
            steps: 0,
            row: vec![0.0; d],
            features,
        }
    }

    /// Writes φ and the model of every candidate of `obs` (resizing only if N changed).
    pub fn featurize(&mut self, obs: &Observation) {
        let n = obs.num_candidates();
        self.phi.resize(n * self.features.dim(), 0.0);
        self.scores.resize(n, 0.0);
        self.model_of.resize(n, 0);
        self.features.write_all(obs, &mut self.phi);
        let (per_cluster, count) = (self.per_cluster, self.models.len());
        for (i, model) in self.model_of.iter_mut().enumerate() {
            *model = model_index(per_cluster, count, obs, i);
        }
    }

    /// Whether there is one model per cluster.
    pub fn per_cluster(&self) -> bool {
        self.per_cluster
    }

    /// scores ← xᵢᵀθ̂ of each featurized candidate's model.
    pub fn mean_scores(&mut self) {
        if !self.per_cluster {
            mat_vec(&self.phi, self.models[0].theta(), &mut self.scores);
            return;
        }
        let d = self.features.dim();
        for ((score, x), &m) in self
            .scores
            .iter_mut()
            .zip(self.phi.chunks_exact(d))
            .zip(&self.model_of)
        {
            *score = dot(x, self.models[m].theta());
        }
    }

    /// out ← xᵢᵀA⁻¹xᵢ of each featurized candidate under its model (its squared width).
    pub fn squared_widths(&self, out: &mut Vec<f64>) {
        let d = self.features.dim();
        out.resize(self.scores.len(), 0.0);
        if !self.per_cluster {
            quad_forms(&self.phi, self.models[0].a_inv(), d, out);
            return;
        }
        for (i, x) in self.phi.chunks_exact(d).enumerate() {
            let model = &self.models[self.model_of[i]];
            quad_forms(x, model.a_inv(), d, &mut out[i..=i]);
        }
    }

    /// Observations learned from, over all models.
    pub fn updates(&self) -> u64 {
        self.models.iter().map(Ridge::updates).sum()
    }

    /// Learns from every observation the credit rule draws from `t`; `on_update` gets each
    /// observation's squared width xᵀA⁻¹x (before its update).
    pub fn learn(
        &mut self,
        t: &Transition<'_>,
        mut on_update: impl FnMut(f64),
    ) -> Result<(), AgentError> {
        let mut failure = None;
        let per_cluster = self.per_cluster;
        let (features, ridges, row) = (&self.features, &mut self.models, &mut self.row);
        self.credit.for_each_target(t, |item, target| {
            if failure.is_some() {
                return;
            }
            features.write(t.obs, item, row);
            let model = model_index(per_cluster, ridges.len(), t.obs, item);
            match ridges[model].update(row, target) {
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
            dim: self.features.dim(),
            per_cluster: self.per_cluster,
            models: self
                .models
                .iter()
                .map(|ridge| ModelState {
                    a: ridge.design_matrix(),
                    b: ridge.b().to_vec(),
                    updates: ridge.updates(),
                })
                .collect(),
            steps: self.steps,
        };
        serde_json::to_value(checkpoint).expect("a checkpoint of finite numbers serialises")
    }

    /// Restores a state written by [`Self::save`] for the same agent, feature layout and
    /// models; on any error the learner is left as it was.
    pub fn load(&mut self, agent: &str, state: serde_json::Value) -> Result<(), CheckpointError> {
        let c: Checkpoint =
            serde_json::from_value(state).map_err(|e| CheckpointError::Corrupt(e.to_string()))?;
        if c.agent != agent {
            return Err(CheckpointError::Mismatch(format!(
                "made by `{}`, not `{agent}`",
                c.agent
            )));
        }
        let (want_features, want_dim) = (self.features.describe(), self.features.dim());
        if c.dim != want_dim || c.features != want_features {
            return Err(CheckpointError::Mismatch(format!(
                "features {} (d = {}) where this scenario has {want_features} (d = {want_dim})",
                c.features, c.dim
            )));
        }
        let describe = |per_cluster: bool, count: usize| match (per_cluster, count) {
            (true, _) => format!("one model per cluster ({count} clusters)"),
            (false, 1) => "one shared model".to_owned(),
            (false, _) => format!("{count} shared models"),
        };
        if c.per_cluster != self.per_cluster || c.models.len() != self.models.len() {
            return Err(CheckpointError::Mismatch(format!(
                "the checkpoint has {} where this agent has {}",
                describe(c.per_cluster, c.models.len()),
                describe(self.per_cluster, self.models.len())
            )));
        }
        let mut models = self.models.clone();
        for (ridge, state) in models.iter_mut().zip(&c.models) {
            ridge
                .load(&state.a, &state.b, state.updates)
                .map_err(|e| CheckpointError::Corrupt(e.to_string()))?;
        }
        self.models = models;
        self.steps = c.steps;
        Ok(())
    }
}

/// The model that scores and learns candidate `i` of `obs`. Cluster ids come from the
/// environment, which keeps them below its cluster count; the clamp only keeps a malformed
/// observation from indexing out of bounds.
fn model_index(per_cluster: bool, count: usize, obs: &Observation, i: usize) -> usize {
    if per_cluster {
        let cluster = obs.doc_clusters.get(i).map_or(0, |&c| c as usize);
        cluster.min(count - 1)
    } else {
        0
    }
}

/// What a bandit checkpoint holds: A and b suffice, A⁻¹, θ̂ and the factor follow from them.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Checkpoint {
    agent: String,
    features: String,
    dim: usize,
    per_cluster: bool,
    /// One entry per model, in cluster order.
    models: Vec<ModelState>,
    steps: u64,
}

/// One ridge model's sums.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelState {
    /// A, d × d row-major.
    a: Vec<f64>,
    b: Vec<f64>,
    updates: u64,
}
