//! Long-Term Satisfaction parameters as written in scenario files (defaults: RecSim's).

use serde::{Deserialize, Serialize};

use crate::sim::choice::ChoiceModel;
use crate::sim::common::RewardKind;
use crate::sim::population::SegmentConfig;

/// The Long-Term Satisfaction ("chocolate vs kale") environment (reference §3).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LtsConfig {
    /// N, candidates offered per step.
    pub num_candidates: usize,
    /// K, items per slate.
    pub slate_size: usize,
    /// Draw fresh candidates every step (RecSim default); otherwise one corpus for the whole run.
    pub resample_documents: bool,
    /// Extra cap on steps per episode (sessions already end after `time_budget` steps).
    pub max_steps: Option<u32>,
    /// Append t / time_budget − 0.5 to the user observation (the tutorial's time feature).
    pub observe_time: bool,
    /// What agents are rewarded for: engagement (RecSim) or clicks.
    pub reward: RewardKind,
    /// The choice model; RecSim's user always consumes slot 0. Other models score the clickbait value.
    pub choice: ChoiceModel,
    /// Observed engagement is clipped to [0, this] (the reward is not clipped).
    pub engagement_clip: f64,
    /// The document model.
    pub documents: LtsDocuments,
    /// The user population; default: one segment with RecSim's user model.
    pub population: Vec<SegmentConfig<LtsUser>>,
}

impl Default for LtsConfig {
    fn default() -> Self {
        Self {
            num_candidates: 10,
            slate_size: 2,
            resample_documents: true,
            max_steps: None,
            observe_time: false,
            reward: RewardKind::Engagement,
            choice: ChoiceModel::Slot0,
            engagement_clip: 100.0,
            documents: LtsDocuments::default(),
            population: vec![SegmentConfig {
                name: "all".into(),
                share: 1.0,
                user: LtsUser::default(),
            }],
        }
    }
}

/// How clickbait scores c ∈ [0, 1] of candidates are drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum LtsDocuments {
    /// c ~ U[low, high) (RecSim: U[0, 1)).
    Uniform {
        /// Lower bound, ≥ 0.
        low: f64,
        /// Upper bound, ≤ 1.
        high: f64,
    },
    /// The tutorial's corpus: by a running document counter, even ids sweet, odd ids bitter.
    Alternating {
        /// Range [lo, hi) of sweet clickbait scores (tutorial: 0.8..1.0).
        sweet: (f64, f64),
        /// Range [lo, hi) of bitter clickbait scores (tutorial: 0.0..0.2).
        bitter: (f64, f64),
    },
}

impl Default for LtsDocuments {
    fn default() -> Self {
        Self::Uniform {
            low: 0.0,
            high: 1.0,
        }
    }
}

/// How a user's initial net positive exposure is drawn.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum InitialNpe {
    /// RecSim: (U[0,1) − 0.5) / (1 − memory_discount).
    UniformCentered,
    /// Every user starts at this value (the tutorial: 1.0).
    Fixed(f64),
}

/// RecSim's `LTSUserModel` with `LTSStaticUserSampler` (reference §3.2–3.5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LtsUser {
    /// β, the AR(1) coefficient of NPE, in [0, 1).
    pub memory_discount: f64,
    /// τ: satisfaction = σ(τ·NPE).
    pub sensitivity: f64,
    /// η, standard deviation of the NPE transition noise.
    pub innovation_stddev: f64,
    /// Mean of log-engagement for a pure clickbait item (c = 1).
    pub choc_mean: f64,
    /// Standard deviation of log-engagement at c = 1.
    pub choc_stddev: f64,
    /// Mean of log-engagement for a pure kale item (c = 0).
    pub kale_mean: f64,
    /// Standard deviation of log-engagement at c = 0.
    pub kale_stddev: f64,
    /// Steps per session.
    pub time_budget: u32,
    /// The initial NPE distribution.
    pub initial_npe: InitialNpe,
    /// This segment's choice model, overriding the environment's.
    pub choice: Option<ChoiceModel>,
}

impl Default for LtsUser {
    fn default() -> Self {
        Self {
            memory_discount: 0.7,
            sensitivity: 0.01,
            innovation_stddev: 0.05,
            choc_mean: 5.0,
            choc_stddev: 1.0,
            kale_mean: 4.0,
            kale_stddev: 1.0,
            time_budget: 60,
            initial_npe: InitialNpe::UniformCentered,
            choice: None,
        }
    }
}
