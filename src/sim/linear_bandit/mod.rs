//! A synthetic linear contextual bandit with a known parameter vector, for testing learners.
//!
//! Candidates carry d features x ~ N(0, I/d); the user (observation: empty) consumes slot 0
//! and the reward is `scale · θ·x + N(0, σ²)`. Because θ is known, regret and the
//! learned θ̂ can be checked against the truth.

pub mod env;
pub mod params;
pub mod setup;

pub use env::LinearBanditEnv;
pub use params::{LinearBanditConfig, LinearBanditUser};
pub use setup::{LinearBanditSetup, setup};

#[cfg(test)]
mod tests;
