//! Interest Evolution parameters as written in scenario files (defaults: RecSim's).

use serde::{Deserialize, Serialize};

use crate::sim::choice::ChoiceModel;
use crate::sim::common::RewardKind;
use crate::sim::population::SegmentConfig;

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
    let trashy = (0..14).map(|i| -3.0 + 3.0 * i as f64 / 13.0);
    let nutritious = (0..6).map(|i| 3.0 * i as f64 / 5.0);
    trashy.chain(nutritious).collect()
}
