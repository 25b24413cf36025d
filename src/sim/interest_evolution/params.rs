//! Interest Evolution parameters as written in scenario files (defaults: RecSim's),
//! and their validation into the models the environment runs.

use serde::{Deserialize, Serialize};

use super::documents::DocumentModel;
use super::user::UserParams;
use crate::sim::FieldError;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::{
    RewardKind, check_finite, check_non_negative, check_positive, check_range, show,
};
use crate::sim::population::SegmentConfig;
use crate::sim::schedule::ShiftConfig;

/// The Interest Evolution environment (reference §2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IevConfig {
    /// N, candidates offered per step.
    pub num_candidates: usize,
    /// K, items per slate.
    pub slate_size: usize,
    /// Draw fresh candidates every step (RecSim default); otherwise one corpus for the whole run.
    pub resample_documents: bool,
    /// Cap on steps per episode (RecSim: none; sessions end when the budget runs out).
    pub max_steps: Option<u32>,
    /// Append t / max_steps − 0.5 to the user observation (needs `max_steps`).
    pub observe_time: bool,
    /// What agents are rewarded for: watch time (RecSim) or clicks.
    pub reward: RewardKind,
    /// The choice model; scores are user interest · document features.
    pub choice: ChoiceModel,
    /// The document (video) model.
    pub documents: IevDocuments,
    /// The user population; default: one segment with RecSim's user model.
    pub population: Vec<SegmentConfig<IevUser>>,
    /// Scheduled changes of the population during training (none by default).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shifts: Vec<ShiftConfig<IevUser>>,
}

impl Default for IevConfig {
    fn default() -> Self {
        Self {
            num_candidates: 10,
            slate_size: 2,
            resample_documents: true,
            max_steps: None,
            observe_time: false,
            reward: RewardKind::Engagement,
            choice: ChoiceModel::MultinomialProportional {
                min_normalizer: -1.0,
                no_click_mass: 1.0,
            },
            documents: IevDocuments::default(),
            population: vec![SegmentConfig {
                name: "all".into(),
                share: 1.0,
                user: IevUser::default(),
            }],
            shifts: Vec::new(),
        }
    }
}

/// RecSim's `UtilityModelVideoSampler` (reference §2.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IevDocuments {
    /// T, the number of topics (clusters); features are the one-hot topic.
    pub num_topics: usize,
    /// Mean quality per topic (length T); default: RecSim's ramp (14 from −3 to 0, 6 from 0 to 3).
    pub topic_quality_means: Option<Vec<f64>>,
    /// Standard deviation of quality around its topic mean (RecSim calls it a variance; it is a std).
    pub quality_stddev: f64,
    /// Length of every video, in minutes.
    pub video_length: f64,
    /// Relative frequency of each topic (length T); default uniform.
    pub topic_weights: Option<Vec<f64>>,
}

impl Default for IevDocuments {
    fn default() -> Self {
        Self {
            num_topics: 20,
            topic_quality_means: None,
            quality_stddev: 0.1,
            video_length: 4.0,
            topic_weights: None,
        }
    }
}

/// RecSim's `IEvUserModel` with `UtilityModelUserSampler` (reference §2.2, §2.5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IevUser {
    /// Initial interests are U(interest_low, interest_high) per topic, within [−1, 1].
    pub interest_low: f64,
    /// Upper bound of the initial interest draw.
    pub interest_high: f64,
    /// Added to the initial interest of each topic (length T) before clipping to [−1, 1]; default none.
    pub interest_bias: Option<Vec<f64>>,
    /// Session time budget B, in minutes.
    pub time_budget: f64,
    /// Budget spent by a step without a click.
    pub step_penalty: f64,
    /// Weight of the choice score in the utility of a consumed video.
    pub user_quality_factor: f64,
    /// Weight of the video's quality in the utility of a consumed video.
    pub document_quality_factor: f64,
    /// α_B: budget refunded per minute watched per unit of utility.
    pub user_update_alpha: f64,
    /// Where the interest step-size line meets |u| (step 0 at |u| = this).
    pub interest_step_x_intercept: f64,
    /// Interest step size at u = 0.
    pub interest_step_y_intercept: f64,
    /// This segment's choice model, overriding the environment's.
    pub choice: Option<ChoiceModel>,
}

impl Default for IevUser {
    fn default() -> Self {
        Self {
            interest_low: -1.0,
            interest_high: 1.0,
            interest_bias: None,
            time_budget: 200.0,
            step_penalty: 0.5,
            user_quality_factor: 0.0,
            document_quality_factor: 1.0,
            user_update_alpha: 0.9 / 3.4,
            interest_step_x_intercept: 1.0,
            interest_step_y_intercept: 0.3,
            choice: None,
        }
    }
}

/// RecSim's topic quality means: 14 evenly spaced from −3 to 0, then 6 from 0 to 3.
pub fn recsim_topic_quality_means() -> Vec<f64> {
    let trashy = (0..14).map(|i| -3.0 + 3.0 * f64::from(i) / 13.0);
    let nutritious = (0..6).map(|i| 3.0 * f64::from(i) / 5.0);
    trashy.chain(nutritious).collect()
}

/// Largest session budget, in minutes: about two years of non-stop watching. A larger value is a
/// typo or stands for "never leaves", which the step ceiling
/// ([`crate::sim::common::MAX_EPISODE_STEPS`]) already expresses.
pub const TIME_BUDGET_LIMIT: f64 = 1e6;

/// Most topics a scenario may ask for (keeps the N × T observation bounded).
pub const MAX_TOPICS: usize = 1_000;

/// Checks a choice model for IEv scores u·d ∈ [−1, 1]; fields are relative to the model.
pub(super) fn validate_choice(model: &ChoiceModel) -> Result<(), FieldError> {
    model.validate()?;
    if let ChoiceModel::MultinomialProportional { min_normalizer, .. } = *model {
        // Scores reach −1, so a larger normaliser would give negative weights (RecSim asserts).
        if min_normalizer > -1.0 {
            return Err(FieldError::new(
                "min_normalizer",
                format!("must be ≤ −1 because scores u·d reach −1, got {min_normalizer}"),
            ));
        }
    }
    Ok(())
}

/// Checks that `values` has one finite entry per topic.
fn check_per_topic(field: &str, values: &[f64], num_topics: usize) -> Result<(), FieldError> {
    if values.len() != num_topics {
        return Err(FieldError::new(
            field,
            format!(
                "needs one value per topic ({num_topics}), got {}",
                values.len()
            ),
        ));
    }
    if let Some((i, x)) = values.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Err(FieldError::new(
            field,
            format!("values must be finite, got {x} at index {i}"),
        ));
    }
    Ok(())
}

impl IevDocuments {
    /// Checks the document model and resolves its defaults; fields are relative to `documents`.
    pub(super) fn validate(&self) -> Result<DocumentModel, FieldError> {
        let t = self.num_topics;
        if t == 0 || t > MAX_TOPICS {
            return Err(FieldError::new(
                "num_topics",
                format!("must be in 1..={MAX_TOPICS}, got {t}"),
            ));
        }
        let quality_means = match &self.topic_quality_means {
            Some(means) => {
                check_per_topic("topic_quality_means", means, t)?;
                means.clone()
            }
            None if t == 20 => recsim_topic_quality_means(),
            None => {
                return Err(FieldError::new(
                    "topic_quality_means",
                    format!(
                        "must be given when num_topics is not 20 (RecSim's table), got {t} topics"
                    ),
                ));
            }
        };
        check_non_negative("quality_stddev", self.quality_stddev)?;
        check_positive("video_length", self.video_length)?;
        let topic_weights = match &self.topic_weights {
            Some(w) => {
                check_per_topic("topic_weights", w, t)?;
                if w.iter().any(|&x| x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
                    return Err(FieldError::new(
                        "topic_weights",
                        "must be ≥ 0 with a positive sum",
                    ));
                }
                Some(w.as_slice())
            }
            None => None,
        };
        Ok(DocumentModel::new(
            quality_means,
            self.quality_stddev,
            self.video_length,
            topic_weights,
        ))
    }
}

impl IevUser {
    /// Checks one segment's user model; fields are relative to the segment's `user`.
    pub(super) fn validate(
        &self,
        num_topics: usize,
        env_choice: ChoiceModel,
    ) -> Result<UserParams, FieldError> {
        check_range("interest_low", self.interest_low, -1.0, 1.0)?;
        check_range("interest_high", self.interest_high, self.interest_low, 1.0)?;
        if let Some(bias) = &self.interest_bias {
            check_per_topic("interest_bias", bias, num_topics)?;
        }
        check_positive("time_budget", self.time_budget)?;
        if self.time_budget > TIME_BUDGET_LIMIT {
            return Err(FieldError::new(
                "time_budget",
                format!(
                    "must be at most {TIME_BUDGET_LIMIT} minutes (episodes are cut at the step ceiling anyway), got {}",
                    show(self.time_budget)
                ),
            ));
        }
        check_non_negative("step_penalty", self.step_penalty)?;
        check_finite("user_quality_factor", self.user_quality_factor)?;
        check_finite("document_quality_factor", self.document_quality_factor)?;
        check_non_negative("user_update_alpha", self.user_update_alpha)?;
        check_positive("interest_step_x_intercept", self.interest_step_x_intercept)?;
        check_non_negative("interest_step_y_intercept", self.interest_step_y_intercept)?;
        if let Some(choice) = &self.choice {
            validate_choice(choice).map_err(|e| e.within("choice"))?;
        }
        Ok(UserParams {
            interest_low: self.interest_low,
            interest_high: self.interest_high,
            interest_bias: self.interest_bias.clone(),
            time_budget: self.time_budget,
            step_penalty: self.step_penalty,
            user_quality_factor: self.user_quality_factor,
            document_quality_factor: self.document_quality_factor,
            user_update_alpha: self.user_update_alpha,
            step_x_intercept: self.interest_step_x_intercept,
            step_y_intercept: self.interest_step_y_intercept,
            choice: self.choice.unwrap_or(env_choice),
        })
    }
}
