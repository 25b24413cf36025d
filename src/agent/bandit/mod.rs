//! Contextual linear bandits: `epsilon-greedy`, `linucb` and `lints`.
//!
//! Each models the immediate reward of recommending a candidate to the current user as
//! θ·φ(obs, i), by default with one model shared by all candidates (documents are resampled
//! every step, so per-document arms would never be revisited), or with one model per
//! document cluster where documents carry cluster ids ([`models`]). φ is the documented feature map
//! of [`features`]; θ is fitted online by ridge regression ([`ridge`]) from the
//! observations [`credit`] draws from each step. Every agent scores all N candidates and
//! fills every slot of the slate with the top K by score, best first (never a flattened
//! discrete action over slates, which left RLlib's second slot always item 0).
//!
//! Acting and learning allocate nothing: the buffers are sized once, for the scenario.

pub mod cholesky;
pub mod credit;
pub mod epsilon_greedy;
pub mod features;
pub mod kernels;
pub mod learner;
pub mod lints;
pub mod linucb;
pub mod models;
pub mod params;
pub mod ridge;

pub use crate::agent::exploration::EpsilonSchedule;
pub use credit::Credit;
pub use epsilon_greedy::{EpsilonGreedy, EpsilonGreedyParams};
pub use features::{FeatureMap, FeatureParams, Interaction};
pub use lints::{LinTs, LinTsParams};
pub use linucb::{LinUcb, LinUcbParams};
pub use models::Models;
pub use params::ModelParams;

#[cfg(test)]
mod tests;
