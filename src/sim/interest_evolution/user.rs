//! The IEv user: RecSim's `IEvUserModel` state and transition (reference §2.2, §2.5).

use rand::RngExt;

use super::clicks::choice_score_alone;
use crate::sim::choice::ChoiceModel;
use crate::sim::rng::SimRng;

/// ρ, the weight of the newest clicked quality in the satisfaction memory.
pub const SATISFACTION_RATE: f64 = 0.1;

/// One segment's validated user model.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct UserParams {
    /// Lower bound of the initial interest draw.
    pub interest_low: f64,
    /// Upper bound of the initial interest draw.
    pub interest_high: f64,
    /// Per-topic offset added to the initial draw before clipping.
    pub interest_bias: Option<Vec<f64>>,
    /// Initial budget B.
    pub time_budget: f64,
    /// Budget cost of a step without a click.
    pub step_penalty: f64,
    /// Weight of the choice score in the utility of a consumed video.
    pub user_quality_factor: f64,
    /// Weight of quality in the utility of a consumed video.
    pub document_quality_factor: f64,
    /// α_B.
    pub user_update_alpha: f64,
    /// |u| at which the interest step reaches 0.
    pub step_x_intercept: f64,
    /// Interest step at u = 0.
    pub step_y_intercept: f64,
    /// The segment's choice model (its override, else the environment's).
    pub choice: ChoiceModel,
}

impl UserParams {
    /// Δ(u) = y_int·(1 − |u|/x_int)·(1 − u): RecSim's line through (|u|=0, y_int) and
    /// (|u|=x_int, 0), times the gap to the one-hot target. Not clamped, as in RecSim.
    pub fn interest_step(&self, u: f64) -> f64 {
        self.step_y_intercept * (1.0 - u.abs() / self.step_x_intercept) * (1.0 - u)
    }
}

/// The user's state during an episode.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct UserState {
    /// u ∈ [−1, 1]^T (observed by agents).
    pub interests: Vec<f64>,
    /// B, the remaining time budget (hidden).
    pub budget: f64,
    /// m, the running mean of clicked qualities behind the satisfaction readout (hidden).
    quality_memory: f64,
}

impl UserState {
    /// A state sized for `num_topics`; meaningless until [`Self::draw`].
    pub fn new(num_topics: usize) -> Self {
        Self {
            interests: vec![0.0; num_topics],
            budget: 0.0,
            quality_memory: 0.0,
        }
    }

    /// Draws a fresh user: u_c = clip(U(low, high) + bias_c), one RNG call per topic.
    pub fn draw(&mut self, p: &UserParams, rng: &mut SimRng) {
        let width = p.interest_high - p.interest_low;
        for (c, u) in self.interests.iter_mut().enumerate() {
            let bias = p.interest_bias.as_ref().map_or(0.0, |b| b[c]);
            let draw = p.interest_low + width * rng.random::<f64>();
            *u = (draw + bias).clamp(-1.0, 1.0);
        }
        self.budget = p.time_budget;
        self.quality_memory = 0.0;
    }

    /// Watch time of a click now: min(B, ℓ), from the budget before this step's update.
    pub fn watch_time(&self, video_length: f64) -> f64 {
        self.budget.min(video_length)
    }

    /// The transition after the user watched `watch_time` of a video of `topic` and `quality`.
    pub fn consume(
        &mut self,
        p: &UserParams,
        topic: usize,
        quality: f64,
        watch_time: f64,
        rng: &mut SimRng,
    ) {
        let u = self.interests[topic];
        // Scored before the interest moves, as RecSim does.
        let choice_score = choice_score_alone(&p.choice, u);
        let step = p.interest_step(u);
        let toward_topic = rng.random::<f64>() < f64::midpoint(u, 1.0);
        let moved = if toward_topic { u + step } else { u - step };
        self.interests[topic] = moved.clamp(-1.0, 1.0);

        let utility = p.user_quality_factor * choice_score + p.document_quality_factor * quality;
        // Two updates in RecSim's order, so rounding matches its arithmetic.
        self.budget -= watch_time;
        self.budget += p.user_update_alpha * watch_time * utility;

        self.quality_memory =
            (1.0 - SATISFACTION_RATE) * self.quality_memory + SATISFACTION_RATE * quality;
    }

    /// The transition after a step without a click.
    pub fn skip(&mut self, p: &UserParams) {
        self.budget -= p.step_penalty;
    }

    /// σ(m) ∈ (0, 1): rises as the user consumes high-quality videos.
    pub fn satisfaction(&self) -> f64 {
        1.0 / (1.0 + (-self.quality_memory).exp())
    }
}
