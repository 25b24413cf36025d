//! RecSim's Interest Evolution environment (reference §2): YouTube-like sessions with a
//! time budget, where document quality lengthens or shortens the session and interests
//! drift with what the user watches.
//!
//! # Model
//! - Videos: a topic c (uniform, or by `topic_weights`), observed as the
//!   one-hot vector e_c (`doc_dim` = T) and as `doc_clusters`; a hidden quality
//!   q ~ N(μ_c, std) revealed in the response of every slate item; a constant length ℓ.
//! - Users: interests u ∈ [−1, 1]^T, drawn U(low, high) (+ optional bias, then
//!   clipped), observed after each transition (plus t / max_steps − 0.5 with
//!   `observe_time`); a hidden budget B.
//! - Choice: the segment's model (else the environment's) on scores u · e_c = u_c; stock is
//!   proportional with m = −1, n = 1.
//! - A click on a video of topic c watches w = min(B, ℓ) (B before the update), moves u_c by
//!   ±y_int·(1 − |u_c|/x_int)·(1 − u_c) (+ with probability (u_c + 1)/2, then clipped), and
//!   sets B ← B − w + α_B·w·U with U = user_quality_factor·s + document_quality_factor·q.
//!   s is the choice score RecSim reads after rescoring the video alone: s − m for the
//!   proportional model (u_c + 1 in stock; see `clicks::choice_score_alone`), which makes
//!   the stock unit test's budget 0.5 − 0.3 + 1·0.3·(0.3·2 + 0.7·3) = 1.01 come out.
//! - No click costs `step_penalty`. The session is `done` when B ≤ 0; `truncated` when
//!   `max_steps` is reached first.
//! - Reward: watch time (`Engagement`) or 1 per click (`Clicks`); `StepOutcome::engagement`
//!   is always the watch time.
//!
//! # Satisfaction readout (hidden; RecSim has none for this environment)
//! m starts at 0 each episode; each click on a video of quality q sets
//! m ← (1 − ρ)·m + ρ·q with ρ = [`SATISFACTION_RATE`] = 0.1; a step without a click leaves it
//! unchanged. The readout is σ(m) ∈ (0, 1). It rises when the user watches high-quality
//! videos, which are exactly those that extend the session in the long run.
//!
//! # Randomness
//! The user (segment, then interests) comes from `rngs.user`, candidates from `rngs.docs`,
//! the choice and the interest coin from `rngs.response`. Candidates never depend on what was
//! recommended, so lanes see the same documents (common random numbers). Candidates are
//! redrawn after every transition, the terminal one included. Without resampling, one corpus
//! is drawn at build time from the run's [`Purpose::Corpus`](crate::sim::rng::Purpose) stream
//! and kept for the environment's life. RecSim's first-episode quirk (the user sampled at
//! construction is discarded) has no counterpart: our streams are per episode.

mod clicks;
mod documents;
mod env;
mod model;
pub mod params;
mod setup;
mod user;

#[cfg(test)]
mod tests;

pub use env::IevEnv;
pub use params::{IevConfig, IevDocuments, IevUser, MAX_TOPICS, recsim_topic_quality_means};
pub use setup::{IevSetup, setup};
pub use user::SATISFACTION_RATE;
