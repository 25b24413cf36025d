//! RecSim's Interest Exploration environment (reference §4): a clustered-bandit illustration
//! of popularity bias, with static, hidden users.
//!
//! Each document has a topic t ~ Categorical(topic_probs) and a quality q ~ LogNormal(μ_t, σ),
//! both observable: its features are [q, one-hot t] and its cluster id is t. A user has a
//! hidden type k ~ Categorical(type_probs) and affinities g_t ~ LogNormal(M\[k\]\[t\], σ_a); the
//! user observation is empty (plus the optional time feature t / max_steps − 0.5). The user
//! clicks under a logit model (no-click logit 5) on scores g_t + q; the response reveals the
//! click (engagement 1 for the clicked item, else 0), and the quality and cluster of every
//! slate item. The reward is the click. Nothing changes from step to step, and RecSim's users
//! never leave, so an episode ends only at `max_steps`, which is therefore required, and ends
//! `truncated`, never `done`.
//!
//! Choices of this port where RecSim is silent:
//! - Satisfaction readout (hidden, for metrics only; RecSim has none): an exponential moving
//!   average S ← S + 0.1·(m − S), starting at 0.5 in every episode, of the served slate's
//!   normalised affinity m = mean over slate items i of (g_{t_i} − min_t g_t)/(max_t g_t −
//!   min_t g_t), which is 0.5 when all affinities are equal. It rises when users are served
//!   the topics they truly prefer. A step reports S after its update.
//! - Randomness: the segment, type and affinities come from the user stream, documents from
//!   the document stream (topic then quality, per document, whatever is recommended: common
//!   random numbers), and the choice from the response stream.

mod documents;
mod env;
mod model;
pub mod params;
mod setup;
mod user;

#[cfg(test)]
mod tests;

pub use env::IexEnv;
pub use params::{IexConfig, IexDocuments, IexUser};
pub use setup::{IexSetup, setup};
