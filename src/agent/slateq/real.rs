//! The float types the network runs on: f32 in the agent (twice the matrix throughput),
//! f64 in the gradient check (so finite differences are exact enough to mean something).

use std::fmt::Debug;

use ndarray::LinalgScalar;

/// A float type the hand-written network can use.
pub trait Real: LinalgScalar + PartialOrd + Debug + Send + Sync {
    /// Converts from f64 (rounding for f32).
    fn from_f64(x: f64) -> Self;
    /// Converts to f64.
    fn to_f64(self) -> f64;
    /// Converts to f32 (for checkpoints).
    fn to_f32(self) -> f32;
    /// Square root.
    #[must_use]
    fn sqrt(self) -> Self;
    /// Neither NaN nor infinite.
    fn is_finite(self) -> bool;
}

impl Real for f32 {
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn to_f32(self) -> f32 {
        self
    }
    fn sqrt(self) -> Self {
        f32::sqrt(self)
    }
    fn is_finite(self) -> bool {
        f32::is_finite(self)
    }
}

impl Real for f64 {
    fn from_f64(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn to_f32(self) -> f32 {
        self as f32
    }
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    fn is_finite(self) -> bool {
        f64::is_finite(self)
    }
}
