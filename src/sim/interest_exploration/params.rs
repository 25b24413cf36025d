//! Interest Exploration parameters as written in scenario files (defaults: RecSim's).

use serde::{Deserialize, Serialize};

use crate::sim::FieldError;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::{RewardKind, check_range, validate_slate};
use crate::sim::population::SegmentConfig;
use crate::sim::schedule::ShiftConfig;

/// Tolerance on the sum of a probability vector.
pub const PROBABILITY_TOLERANCE: f64 = 1e-9;

/// Largest |mean| of log-quality and log-affinity: both enter the logit as e^x, and this keeps
/// them far from f64 overflow whatever the noise draws.
pub const LOG_MEAN_LIMIT: f64 = 50.0;

/// Largest standard deviation of log-quality and log-affinity, for the same reason.
pub const LOG_STDDEV_LIMIT: f64 = 10.0;

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
    /// Scheduled changes of the population during training (none by default).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<ShiftConfig<IexUser>>,
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
            shifts: Vec::new(),
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

/// Checks a categorical distribution: at least one entry, each finite and ≥ 0, summing to 1.
fn check_probabilities(field: &str, probs: &[f64]) -> Result<(), FieldError> {
    if probs.is_empty() {
        return Err(FieldError::new(field, "needs at least one probability"));
    }
    if let Some(p) = probs.iter().find(|p| !(p.is_finite() && **p >= 0.0)) {
        return Err(FieldError::new(
            field,
            format!("probabilities must be finite and ≥ 0, got {p}"),
        ));
    }
    let total: f64 = probs.iter().sum();
    if (total - 1.0).abs() > PROBABILITY_TOLERANCE {
        return Err(FieldError::new(
            field,
            format!("probabilities must sum to 1 (within 1e-9), they sum to {total}"),
        ));
    }
    Ok(())
}

/// Checks a vector of log-means: one per topic, each within ±[`LOG_MEAN_LIMIT`].
fn check_log_means(field: &str, means: &[f64], num_topics: usize) -> Result<(), FieldError> {
    if means.len() != num_topics {
        return Err(FieldError::new(
            field,
            format!(
                "needs one value per topic ({num_topics}, as in documents.topic_probs), got {}",
                means.len()
            ),
        ));
    }
    for &m in means {
        check_range(field, m, -LOG_MEAN_LIMIT, LOG_MEAN_LIMIT)?;
    }
    Ok(())
}

impl IexDocuments {
    /// Checks the topic distribution and the per-topic quality model.
    pub fn validate(&self) -> Result<(), FieldError> {
        check_probabilities("topic_probs", &self.topic_probs)?;
        check_log_means(
            "quality_log_means",
            &self.quality_log_means,
            self.topic_probs.len(),
        )?;
        check_range(
            "quality_log_stddev",
            self.quality_log_stddev,
            0.0,
            LOG_STDDEV_LIMIT,
        )
    }
}

impl IexUser {
    /// Checks the user types against `num_topics`; the choice override too when present.
    pub fn validate(&self, num_topics: usize) -> Result<(), FieldError> {
        check_probabilities("type_probs", &self.type_probs)?;
        if self.affinity_log_means.len() != self.type_probs.len() {
            return Err(FieldError::new(
                "affinity_log_means",
                format!(
                    "needs one row per user type ({}, as in type_probs), got {}",
                    self.type_probs.len(),
                    self.affinity_log_means.len()
                ),
            ));
        }
        for (i, row) in self.affinity_log_means.iter().enumerate() {
            check_log_means(&format!("affinity_log_means[{i}]"), row, num_topics)?;
        }
        check_range(
            "affinity_log_stddev",
            self.affinity_log_stddev,
            0.0,
            LOG_STDDEV_LIMIT,
        )?;
        if let Some(choice) = &self.choice {
            choice.validate().map_err(|e| e.within("choice"))?;
        }
        Ok(())
    }
}

impl IexConfig {
    /// Checks the environment-level fields (not the documents or the population) and returns
    /// the step cap, which is required.
    pub fn validate_top_level(&self) -> Result<u32, FieldError> {
        validate_slate(self.num_candidates, self.slate_size, self.max_steps)?;
        self.reward
            .check_without_satisfaction("InterestExploration")?;
        // RecSim's users never leave, so without a cap an episode would never end.
        let max_steps = self.max_steps.ok_or_else(|| {
            FieldError::new(
                "max_steps",
                "is required: Interest Exploration users never end a session, so episodes need \
                 a step cap (RecSim's examples use 50)",
            )
        })?;
        self.choice.validate().map_err(|e| e.within("choice"))?;
        Ok(max_steps)
    }
}
