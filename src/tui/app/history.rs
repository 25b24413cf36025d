//! A lane's chart history: every figure the charts draw, against both x-axes, in bounded
//! downsampled series, so memory stays flat however long the dashboard runs.

use crate::figure::panel::Panel;
use crate::metrics::{AgentStats, DownsampledSeries, Ema, EpisodeSummary};

/// Buckets per series: enough for about two points per column on a 250-column chart.
pub const SERIES_BUCKETS: usize = 512;
/// Span of the exponential moving average drawn over episode returns.
pub const EMA_SPAN: u32 = 50;

/// A figure the charts draw, one chart each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Episode return.
    Return,
    /// Clicks per step.
    Ctr,
    /// Engagement per episode.
    Engagement,
    /// Mean user satisfaction over the episode.
    Satisfaction,
}

impl Metric {
    /// Every metric, in chart order.
    pub const ALL: [Self; 4] = [
        Self::Return,
        Self::Satisfaction,
        Self::Engagement,
        Self::Ctr,
    ];

    /// Position in [`Self::ALL`].
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|&m| m == self).unwrap_or(0)
    }

    /// The chart's title: the figure panel's of the same metric, so a figure and the screen
    /// read the same.
    pub fn title(self) -> &'static str {
        self.panel().title()
    }

    /// The figure panel (`slatelab plot`, the export's SVG) that draws this metric.
    pub fn panel(self) -> Panel {
        match self {
            Self::Return => Panel::Return,
            Self::Ctr => Panel::Ctr,
            Self::Engagement => Panel::Engagement,
            Self::Satisfaction => Panel::Satisfaction,
        }
    }

    /// The figure of one episode; NaN when it has none (an episode without steps).
    pub fn of(self, e: &EpisodeSummary) -> f64 {
        let per_step = |v: f64| {
            if e.length == 0 {
                f64::NAN
            } else {
                v / f64::from(e.length)
            }
        };
        match self {
            Self::Return => e.ret,
            Self::Ctr => per_step(f64::from(e.clicks)),
            Self::Engagement => e.engagement,
            Self::Satisfaction if e.length == 0 => f64::NAN,
            Self::Satisfaction => e.mean_satisfaction,
        }
    }

    /// The same figure over many episodes.
    pub fn of_stats(self, s: &AgentStats) -> f64 {
        match self {
            Self::Return => s.mean_return,
            Self::Ctr => s.ctr,
            Self::Engagement => s.mean_engagement,
            Self::Satisfaction => s.mean_satisfaction,
        }
    }
}

/// What the charts' x-axis counts: a lane's own experience.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum XAxis {
    /// Episodes the lane has trained on.
    #[default]
    Episodes,
    /// Environment steps the lane has trained on.
    Steps,
}

impl XAxis {
    /// The other axis.
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Episodes => Self::Steps,
            Self::Steps => Self::Episodes,
        }
    }

    /// Its name in titles.
    pub fn name(self) -> &'static str {
        match self {
            Self::Episodes => "episodes",
            Self::Steps => "env steps",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Episodes => 0,
            Self::Steps => 1,
        }
    }
}

/// Chart series of one lane since its (re)start.
#[derive(Clone, Debug)]
pub struct LaneHistory {
    /// By metric (in [`Metric::ALL`] order), then by axis.
    series: [[DownsampledSeries; 2]; 4],
    /// The EMA of returns, by axis.
    ema_series: [DownsampledSeries; 2],
    ema: Ema,
    episodes: u64,
    steps: u64,
}

impl Default for LaneHistory {
    fn default() -> Self {
        Self::new()
    }
}

fn series() -> DownsampledSeries {
    DownsampledSeries::new(SERIES_BUCKETS).expect("more than one bucket")
}

impl LaneHistory {
    /// An empty history.
    pub fn new() -> Self {
        Self {
            series: std::array::from_fn(|_| [series(), series()]),
            ema_series: [series(), series()],
            ema: Ema::with_span(EMA_SPAN).expect("a positive span"),
            episodes: 0,
            steps: 0,
        }
    }

    /// Adds a finished episode.
    pub fn push(&mut self, e: &EpisodeSummary) {
        self.episodes += 1;
        self.steps += u64::from(e.length);
        let xs = [self.episodes as f64, self.steps as f64];
        for (metric, by_axis) in Metric::ALL.iter().zip(&mut self.series) {
            let y = metric.of(e);
            for (series, &x) in by_axis.iter_mut().zip(&xs) {
                series.push(x, y);
            }
        }
        self.ema.push(e.ret);
        if let Some(smoothed) = self.ema.value() {
            for (series, &x) in self.ema_series.iter_mut().zip(&xs) {
                series.push(x, smoothed);
            }
        }
    }

    /// The raw series of `metric` against `axis`.
    pub fn series(&self, metric: Metric, axis: XAxis) -> &DownsampledSeries {
        &self.series[metric.index()][axis.index()]
    }

    /// The EMA-smoothed returns against `axis`.
    pub fn ema(&self, axis: XAxis) -> &DownsampledSeries {
        &self.ema_series[axis.index()]
    }

    /// The latest EMA of returns.
    pub fn ema_value(&self) -> Option<f64> {
        self.ema.value()
    }

    /// Episodes pushed.
    pub fn episodes(&self) -> u64 {
        self.episodes
    }

    /// The x reached on `axis`.
    pub fn x_max(&self, axis: XAxis) -> u64 {
        match axis {
            XAxis::Episodes => self.episodes,
            XAxis::Steps => self.steps,
        }
    }

    /// Forgets everything (the lane restarted), keeping the allocations.
    pub fn clear(&mut self) {
        self.series
            .iter_mut()
            .flatten()
            .for_each(DownsampledSeries::clear);
        self.ema_series
            .iter_mut()
            .for_each(DownsampledSeries::clear);
        self.ema.reset();
        self.episodes = 0;
        self.steps = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn episode(i: u64, ret: f64, length: u32, clicks: u32) -> EpisodeSummary {
        EpisodeSummary {
            episode: i,
            segment: 0,
            ret,
            length,
            clicks,
            engagement: ret,
            mean_satisfaction: 0.5,
            final_satisfaction: 0.5,
            regret: 0.0,
            myopic_steps: 0,
            at_ceiling: false,
        }
    }

    #[test]
    fn both_axes_count_the_lanes_experience() {
        let mut h = LaneHistory::new();
        h.push(&episode(40, 10.0, 10, 5));
        h.push(&episode(41, 20.0, 6, 6));
        let by_episode: Vec<_> = h.series(Metric::Return, XAxis::Episodes).points().collect();
        assert_eq!(by_episode, [(1.0, 10.0), (2.0, 20.0)]);
        let ctr: Vec<_> = h.series(Metric::Ctr, XAxis::Steps).points().collect();
        assert_eq!(ctr, [(10.0, 0.5), (16.0, 1.0)]);
        assert_eq!((h.x_max(XAxis::Episodes), h.x_max(XAxis::Steps)), (2, 16));
        let ema = h.ema_value().unwrap();
        assert!(ema > 10.0 && ema < 20.0);
    }

    #[test]
    fn empty_episodes_add_no_per_step_points() {
        let mut h = LaneHistory::new();
        h.push(&episode(0, 0.0, 0, 0));
        assert!(h.series(Metric::Ctr, XAxis::Episodes).is_empty());
        assert!(h.series(Metric::Satisfaction, XAxis::Episodes).is_empty());
        assert_eq!(h.series(Metric::Return, XAxis::Episodes).len(), 1);
    }

    #[test]
    fn memory_is_bounded_and_clear_forgets() {
        let mut h = LaneHistory::new();
        for i in 0..100_000 {
            h.push(&episode(i, i as f64, 10, 1));
        }
        assert!(h.series(Metric::Return, XAxis::Steps).len() <= SERIES_BUCKETS);
        assert!(h.ema(XAxis::Episodes).len() <= SERIES_BUCKETS);
        h.clear();
        assert_eq!(h.episodes(), 0);
        assert!(h.series(Metric::Engagement, XAxis::Episodes).is_empty());
        assert_eq!(h.ema_value(), None);
    }
}
