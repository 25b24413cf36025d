//! What an agent may see: the observation of one step and the static spec of its shape.

use ndarray::{Array1, Array2, ArrayView1};
use serde::Serialize;

use super::EnvKind;
use super::choice::ChoiceModel;

/// The observable response to one slate item (RecSim's per-item response observation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ResponseObs {
    /// Whether the item was consumed.
    pub clicked: bool,
    /// Observed engagement (watch time, or engagement clipped to the observation bound).
    /// At reset, before any response exists, this is −1 (the tutorial's placeholder).
    pub engagement: f64,
    /// The item's quality, revealed after the fact where the environment reveals it (else 0).
    pub quality: f64,
    /// The item's cluster id where documents carry one (else 0).
    pub cluster: u32,
}

impl ResponseObs {
    /// The placeholder response observed at reset, before any slate was served.
    pub const PLACEHOLDER: Self = Self {
        clicked: false,
        engagement: -1.0,
        quality: 0.0,
        cluster: 0,
    };
}

/// Which optional response fields an environment fills.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ResponseFields {
    /// `quality` is meaningful.
    pub quality: bool,
    /// `cluster` is meaningful.
    pub cluster: bool,
}

/// How the user's choice depends on what an agent can observe, for model-based agents (SlateQ).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum ChoiceScore {
    /// Score = user observation · document features (Interest Evolution).
    UserDocDot,
    /// Score = one document feature (e.g. the clickbait score).
    DocFeature(usize),
    /// The score depends on hidden user state; an agent must learn it.
    Hidden,
}

/// The observable form of the scenario's choice model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ChoiceHint {
    /// The choice model the population's first segment uses.
    pub model: ChoiceModel,
    /// What its score is computed from.
    pub score: ChoiceScore,
}

/// The static shape of an environment's observations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObsSpec {
    /// The environment model.
    pub kind: EnvKind,
    /// Length of [`Observation::user`] (user features, then the time feature if enabled).
    pub user_dim: usize,
    /// Number of features per candidate document.
    pub doc_dim: usize,
    /// N, candidates offered per step.
    pub num_candidates: usize,
    /// K, items per slate.
    pub slate_size: usize,
    /// Number of document clusters (0 when documents carry no cluster id).
    pub num_clusters: usize,
    /// Whether the last user feature is the time feature t / horizon − 0.5.
    pub time_feature: bool,
    /// Which optional response fields are filled.
    pub response_fields: ResponseFields,
    /// The choice model's observable form.
    pub choice: ChoiceHint,
    /// Most steps an episode can take, when the environment bounds it.
    pub max_steps: Option<u32>,
}

/// One step's observation. Owned by the engine and overwritten in place by the environment.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// User features (empty where the user is hidden), then the time feature if enabled.
    pub user: Array1<f64>,
    /// Candidate documents' observable features, one row per candidate (N × doc_dim).
    pub docs: Array2<f64>,
    /// Each candidate's cluster id; empty when documents carry none.
    pub doc_clusters: Vec<u32>,
    /// The responses to the previous slate (K entries; placeholders after reset).
    pub responses: Vec<ResponseObs>,
    /// Steps taken so far in this episode.
    pub step: u32,
}

impl Observation {
    /// An observation buffer shaped for `spec`, filled with zeros and placeholder responses.
    pub fn new(spec: &ObsSpec) -> Self {
        Self {
            user: Array1::zeros(spec.user_dim),
            docs: Array2::zeros((spec.num_candidates, spec.doc_dim)),
            doc_clusters: if spec.num_clusters > 0 {
                vec![0; spec.num_candidates]
            } else {
                Vec::new()
            },
            responses: vec![ResponseObs::PLACEHOLDER; spec.slate_size],
            step: 0,
        }
    }

    /// The observable features of candidate `i`.
    pub fn doc(&self, i: usize) -> ArrayView1<'_, f64> {
        self.docs.row(i)
    }

    /// The number of candidates offered.
    pub fn num_candidates(&self) -> usize {
        self.docs.nrows()
    }
}
