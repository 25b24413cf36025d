//! Long-Term Satisfaction parameters as written in scenario files (defaults: RecSim's).

use serde::{Deserialize, Serialize};

use crate::sim::FieldError;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::{
    MAX_EPISODE_STEPS, RewardKind, check_finite, check_positive, check_range,
};
use crate::sim::population::SegmentConfig;
use crate::sim::schedule::ShiftConfig;

/// Largest |mean| of log-engagement: engagement is e^ℓ, and this keeps it (and its
/// expectation) far from f64 overflow whatever the noise draws.
pub const LOG_MEAN_LIMIT: f64 = 50.0;

/// Largest standard deviation of log-engagement, for the same reason.
pub const LOG_STDDEV_LIMIT: f64 = 10.0;

/// Largest NPE innovation standard deviation (keeps NPE finite).
pub const INNOVATION_STDDEV_LIMIT: f64 = 1e6;

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
    /// Scheduled changes of the population during training (none by default).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<ShiftConfig<LtsUser>>,
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
            shifts: Vec::new(),
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

impl LtsDocuments {
    /// Checks that every clickbait range lies within [0, 1] with lo ≤ hi.
    pub fn validate(&self) -> Result<(), FieldError> {
        match *self {
            Self::Uniform { low, high } => {
                check_range("low", low, 0.0, 1.0)?;
                check_range("high", high, 0.0, 1.0)?;
                if low > high {
                    return Err(FieldError::new(
                        "high",
                        format!("must be ≥ low ({low}), got {high}"),
                    ));
                }
            }
            Self::Alternating { sweet, bitter } => {
                check_clickbait_range("sweet", sweet)?;
                check_clickbait_range("bitter", bitter)?;
            }
        }
        Ok(())
    }
}

fn check_clickbait_range(field: &str, (lo, hi): (f64, f64)) -> Result<(), FieldError> {
    let ok = lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi && hi <= 1.0;
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!("must be a range (lo, hi) with 0 ≤ lo ≤ hi ≤ 1, got ({lo}, {hi})"),
        ))
    }
}

impl LtsUser {
    /// Checks every parameter; the choice override is checked too when present.
    pub fn validate(&self) -> Result<(), FieldError> {
        let beta = self.memory_discount;
        if !(beta.is_finite() && (0.0..1.0).contains(&beta)) {
            return Err(FieldError::new(
                "memory_discount",
                format!("must be in [0, 1), got {beta}"),
            ));
        }
        check_finite("sensitivity", self.sensitivity)?;
        check_range(
            "innovation_stddev",
            self.innovation_stddev,
            0.0,
            INNOVATION_STDDEV_LIMIT,
        )?;
        check_range("choc_mean", self.choc_mean, -LOG_MEAN_LIMIT, LOG_MEAN_LIMIT)?;
        check_range("choc_stddev", self.choc_stddev, 0.0, LOG_STDDEV_LIMIT)?;
        check_range("kale_mean", self.kale_mean, -LOG_MEAN_LIMIT, LOG_MEAN_LIMIT)?;
        check_range("kale_stddev", self.kale_stddev, 0.0, LOG_STDDEV_LIMIT)?;
        // Sessions last exactly `time_budget` steps, so the step ceiling bounds it.
        if !(1..=MAX_EPISODE_STEPS).contains(&self.time_budget) {
            return Err(FieldError::new(
                "time_budget",
                format!(
                    "must be in 1..={MAX_EPISODE_STEPS} steps (the step ceiling), got {}",
                    self.time_budget
                ),
            ));
        }
        if let InitialNpe::Fixed(x) = self.initial_npe {
            check_finite("initial_npe", x)?;
        }
        if let Some(choice) = &self.choice {
            choice.validate().map_err(|e| e.within("choice"))?;
        }
        Ok(())
    }
}

impl LtsConfig {
    /// Checks the environment-level fields (not the documents or the population).
    pub fn validate_top_level(&self) -> Result<(), FieldError> {
        crate::sim::common::validate_slate(self.num_candidates, self.slate_size, self.max_steps)?;
        self.choice.validate().map_err(|e| e.within("choice"))?;
        check_positive("engagement_clip", self.engagement_clip)?;
        Ok(())
    }
}
