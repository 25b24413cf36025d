//! Interest Exploration parameters as written in scenario files (defaults: RecSim's).

use serde::{Deserialize, Serialize};

use crate::sim::choice::ChoiceModel;
use crate::sim::common::RewardKind;
use crate::sim::population::SegmentConfig;

/// The Interest Exploration environment (reference §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IexConfig {
    /// N, candidates offered per step.
    pub num_candidates: usize,
    /// K, items per slate.
    pub slate_size: usize,
    /// Draw fresh candidates every step (RecSim default); otherwise one corpus for the whole run.
    pub resample_documents: bool,
    /// Steps per episode: RecSim's users never leave, so the runner's cap ends the episode.
    pub max_steps: Option<u32>,
    /// Append t / max_steps − 0.5 to the user observation (needs `max_steps`).
    pub observe_time: bool,
    /// What agents are rewarded for: clicks (RecSim) or engagement (= click here).
    pub reward: RewardKind,
    /// The choice model; scores are the user's topic affinity plus the document's quality.
    pub choice: ChoiceModel,
    /// The document model.
    pub documents: IexDocuments,
    /// The user population; default: one segment with RecSim's two user types.
    pub population: Vec<SegmentConfig<IexUser>>,
}

impl Default for IexConfig {
    fn default() -> Self {
        Self {
            num_candidates: 15,
            slate_size: 2,
            resample_documents: true,
            max_steps: Some(50),
            observe_time: false,
            reward: RewardKind::Clicks,
            choice: ChoiceModel::MultinomialLogit {
                no_click_mass: Some(5.0),
            },
            documents: IexDocuments::default(),
            population: vec![SegmentConfig {
                name: "all".into(),
                share: 1.0,
                user: IexUser::default(),
            }],
        }
    }
}

/// RecSim's `IETopicDocumentSampler` (reference §4.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IexDocuments {
    /// Probability of each topic (sums to 1).
    pub topic_probs: Vec<f64>,
    /// Mean of log-quality per topic.
    pub quality_log_means: Vec<f64>,
    /// Standard deviation of log-quality.
    pub quality_log_stddev: f64,
}

impl Default for IexDocuments {
    fn default() -> Self {
        Self {
            topic_probs: vec![0.2, 0.8],
            quality_log_means: vec![0.8, 0.2],
            quality_log_stddev: 0.1,
        }
    }
}

/// RecSim's `IEClusterUserSampler` (reference §4.2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IexUser {
    /// Probability of each user type (sums to 1).
    pub type_probs: Vec<f64>,
    /// Mean log-affinity of each user type (rows) for each topic (columns).
    pub affinity_log_means: Vec<Vec<f64>>,
    /// Standard deviation of log-affinity.
    pub affinity_log_stddev: f64,
    /// This segment's choice model, overriding the environment's.
    pub choice: Option<ChoiceModel>,
}

impl Default for IexUser {
    fn default() -> Self {
        Self {
            type_probs: vec![0.3, 0.7],
            affinity_log_means: vec![vec![0.1, 0.7], vec![0.7, 0.1]],
            affinity_log_stddev: 0.1,
            choice: None,
        }
    }
}
