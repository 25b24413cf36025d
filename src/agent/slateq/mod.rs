//! SlateQ: decomposed slate Q-learning (Ie et al., 2019; reference §6).
//!
//! The agent learns an item-wise long-term value Q̄(s, i) with one network shared across
//! candidates and slots, values a slate as Σ_{i∈A} P(i | s, A) Q̄(s, i) under a conditional
//! choice model, and serves (and bootstraps from) slates found by top-k, greedy or exact
//! (Dinkelbach) optimisation. Where it departs from RecSim/RLlib it says so: targets come from
//! the next observation, double Q-learning really changes the target, a learned choice model
//! is actually used, and by default the null item's value Q̄(s, ⊥) is learned rather than fixed
//! at 0, where episodes end on hidden state the state carries running totals of the episode's
//! responses, and replay is prioritised by TD error (`params.rs` and docs/results.md say why;
//! RecSim's behaviour is `replay: Uniform, learn_null_value: false, use_history: Some(false)`).

pub mod adam;
mod agent;
mod checkpoint;
pub mod choice;
pub mod features;
mod kernels;
pub mod network;
pub mod optimize;
pub mod params;
pub mod prioritized;
pub mod real;
pub mod replay;
mod sum_tree;
mod train;
mod valuation;

pub use agent::SlateQ;
pub use params::SlateQParams;

#[cfg(test)]
mod agent_tests;
#[cfg(test)]
mod history_tests;
#[cfg(test)]
mod learning_tests;
#[cfg(test)]
mod scenario_tests;
#[cfg(test)]
mod test_mdp;
