//! Tests of the bandits as agents: learning on linear-bandit, parameters, checkpoints.

mod checkpoint;
mod clicks;
mod learning;
mod params;
pub(crate) mod support;
