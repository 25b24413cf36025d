//! The figures users watch: running statistics, confidence intervals, per-episode summaries,
//! agent-level aggregates, paired comparisons, learning curves and bounded dashboard series.
//!
//! Conventions: a statistic that is undefined for the data at hand (the mean of nothing, the
//! spread of one sample) is `NaN`, which `serde_json` writes as `null`; front ends show it as
//! a dash. Nothing here panics on empty input.

pub mod curve;
pub mod episode;
pub mod paired;
pub mod ratio;
pub mod series;
pub mod stats;
pub mod student_t;
pub mod summary;
pub mod window;

#[cfg(test)]
mod proptests;

pub use curve::{Curve, CurvePoint, LearnerReadout};
pub use episode::{EpisodeAccumulator, EpisodeSummary};
pub use paired::{PairedStats, paired_difference, paired_difference_by};
pub use ratio::RatioStats;
pub use series::{DownsampledSeries, Ema, SeriesBucket};
pub use stats::RunningStats;
pub use student_t::{Z_975, t_quantile_975};
pub use summary::{AgentStats, AgentTally, SegmentStats};
pub use window::RecentWindow;

#[cfg(test)]
pub(crate) mod fixtures {
    use super::EpisodeSummary;

    /// A summary whose secondary figures are simple functions of its inputs.
    pub(crate) fn summary(episode: u64, segment: u32, ret: f64, length: u32) -> EpisodeSummary {
        EpisodeSummary {
            episode,
            segment,
            ret,
            length,
            clicks: length / 2,
            engagement: ret * 10.0,
            mean_satisfaction: 0.5,
            final_satisfaction: 0.25 * f64::from(segment),
            regret: 1.5,
            myopic_steps: length / 4,
            at_ceiling: false,
        }
    }
}
