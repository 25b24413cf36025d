//! RecSim's Long-Term Satisfaction ("chocolate vs kale") environment (reference §3) and the
//! RLlib tutorial's choc-kale variant (reference Appendix A), as one configurable model.
//!
//! Each candidate has a clickbait score c ∈ [0, 1], its only feature. The hidden user state is
//! the net positive exposure NPE; satisfaction is SAT = σ(τ·NPE). RecSim's user consumes slot 0
//! and nothing else. Consuming c yields engagement e^ℓ with ℓ ~ N(SAT·(c·choc_mean +
//! (1−c)·kale_mean), c·choc_std + (1−c)·kale_std), using SAT *before* the transition; then
//! NPE ← β·NPE − 2(c − 0.5) + N(0, η). The reward is the unclipped engagement; agents observe
//! it clipped to [0, engagement_clip]. A scenario may reward clicks instead, or, as the RLlib
//! tutorial does, `SatisfyingClicks`: 1 when the user clicks and SAT after the transition is
//! strictly higher than before it. A session ends (`done`) after exactly `time_budget`
//! steps; a shorter `max_steps` cap ends it first as `truncated`.
//!
//! Choices of this port where RecSim is silent or differs by construction:
//! - A scenario may replace slot-0 consumption with a logit or proportional choice model whose
//!   item score is the clickbait c. A step without a click then yields no engagement and the
//!   NPE only decays: NPE ← β·NPE + N(0, η).
//! - The alternating (sweet/bitter) corpus numbers documents with a counter that restarts at 0
//!   at every episode reset, so each episode's first candidate is sweet. RecSim's counter runs
//!   on across episodes, but its first episode sees ids N..2N−1; for even N (the tutorial's 20)
//!   the parity, and so the sweet/bitter pattern, is the same.
//! - Randomness: the segment and initial NPE come from the user stream, clickbait scores from
//!   the document stream (one draw per document, whatever is recommended: common random
//!   numbers), and the choice, engagement and innovation noise from the response stream. Both
//!   normals are drawn every step, even without a click, to keep that stream aligned.
//! - The satisfaction readout of a step is σ(τ·NPE) after its transition.

mod documents;
mod env;
mod model;
mod normal;
pub mod params;
mod setup;
pub(crate) mod slate_search;
mod user;

#[cfg(test)]
pub(crate) mod tests;

pub use env::LtsEnv;
pub use params::{InitialNpe, LtsConfig, LtsDocuments, LtsUser};
pub use setup::{LtsSetup, setup};
pub use user::NpeDynamics;
