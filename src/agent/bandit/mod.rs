//! Contextual linear bandits.

pub mod cholesky;
pub mod features;
pub mod kernels;
pub mod ridge;
