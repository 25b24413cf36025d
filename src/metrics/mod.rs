//! The figures users watch: running statistics, confidence intervals, per-episode summaries,
//! agent-level aggregates, paired comparisons, learning curves and bounded dashboard series.
//!
//! Conventions: a statistic that is undefined for the data at hand (the mean of nothing, the
//! spread of one sample) is `NaN`, which `serde_json` writes as `null`; front ends show it as
//! a dash. Nothing here panics on empty input.

pub mod stats;
pub mod student_t;

pub use stats::RunningStats;
pub use student_t::{Z_975, t_quantile_975};
