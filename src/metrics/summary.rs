//! Agent-level aggregates over many episodes: what a lane's results table shows.

use serde::Serialize;

use super::episode::EpisodeSummary;
use super::stats::RunningStats;

/// Mean return of one population segment.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SegmentStats {
    /// The segment's index in the population.
    pub segment: u32,
    /// Episodes whose user came from this segment.
    pub episodes: u64,
    /// Their mean return.
    pub mean_return: f64,
    /// Student-t 95% interval for that mean, (lo, hi); written `[lo, hi]` in JSON.
    pub ci95: (f64, f64),
}

/// An agent's figures over a set of episodes. Undefined entries are NaN (JSON `null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentStats {
    /// Episodes counted.
    pub episodes: u64,
    /// Mean episode return.
    pub mean_return: f64,
    /// Sample standard deviation of the return.
    pub return_std: f64,
    /// Standard error of the mean return.
    pub return_se: f64,
    /// Student-t 95% interval for the mean return, (lo, hi); written `[lo, hi]` in JSON.
    pub return_ci95: (f64, f64),
    /// Mean episode length in steps.
    pub mean_length: f64,
    /// Click-through rate: total clicks / total steps.
    pub ctr: f64,
    /// Mean clicks per episode.
    pub mean_clicks: f64,
    /// Mean total engagement per episode.
    pub mean_engagement: f64,
    /// Mean over episodes of each episode's mean satisfaction (episodes with steps only).
    pub mean_satisfaction: f64,
    /// Mean over episodes of each episode's final satisfaction (episodes with steps only).
    pub final_satisfaction: f64,
    /// Total environment steps.
    pub env_steps: u64,
    /// Sum of every episode's regret.
    pub cumulative_regret: f64,
    /// Fraction of steps on which the served slate was the myopically best one.
    pub myopic_rate: f64,
    /// Mean return per population segment, by segment index.
    pub segments: Vec<SegmentStats>,
}

impl AgentStats {
    /// The figures of `episodes` (order does not matter).
    pub fn from_episodes(episodes: &[EpisodeSummary]) -> Self {
        let mut tally = AgentTally::new();
        for e in episodes {
            tally.push(e);
        }
        tally.stats()
    }
}

/// The running state behind [`AgentStats`]: O(segments) memory however many episodes,
/// so an engine can report totals over a run of any length without keeping every summary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentTally {
    returns: RunningStats,
    engagement: RunningStats,
    mean_satisfaction: RunningStats,
    final_satisfaction: RunningStats,
    steps: u64,
    clicks: u64,
    regret: f64,
    myopic_steps: u64,
    /// Sorted by segment; a Vec because populations have a handful of segments.
    segments: Vec<(u32, RunningStats)>,
}

impl AgentTally {
    /// No episodes yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one finished episode.
    pub fn push(&mut self, e: &EpisodeSummary) {
        self.returns.push(e.ret);
        self.engagement.push(e.engagement);
        // An episode without steps has no satisfaction readout to average.
        if e.length > 0 {
            self.mean_satisfaction.push(e.mean_satisfaction);
            self.final_satisfaction.push(e.final_satisfaction);
        }
        self.steps += u64::from(e.length);
        self.clicks += u64::from(e.clicks);
        self.regret += e.regret;
        self.myopic_steps += u64::from(e.myopic_steps);
        self.segment_entry(e.segment).push(e.ret);
    }

    /// Combines with the tally of a disjoint set of episodes.
    pub fn merge(&mut self, other: &Self) {
        self.returns.merge(&other.returns);
        self.engagement.merge(&other.engagement);
        self.mean_satisfaction.merge(&other.mean_satisfaction);
        self.final_satisfaction.merge(&other.final_satisfaction);
        self.steps += other.steps;
        self.clicks += other.clicks;
        self.regret += other.regret;
        self.myopic_steps += other.myopic_steps;
        for (segment, stats) in &other.segments {
            self.segment_entry(*segment).merge(stats);
        }
    }

    /// Forgets every episode (keeping the segment list's allocation).
    pub fn reset(&mut self) {
        let mut segments = std::mem::take(&mut self.segments);
        segments.clear();
        *self = Self {
            segments,
            ..Self::default()
        };
    }

    /// Episodes counted.
    pub fn episodes(&self) -> u64 {
        self.returns.count()
    }

    /// Running statistics of the episode return.
    pub fn returns(&self) -> &RunningStats {
        &self.returns
    }

    /// The figures so far.
    pub fn stats(&self) -> AgentStats {
        let episodes = self.episodes();
        let per_episode = |total: f64| {
            if episodes == 0 {
                f64::NAN
            } else {
                total / episodes as f64
            }
        };
        let per_step = |total: u64| {
            if self.steps == 0 {
                f64::NAN
            } else {
                total as f64 / self.steps as f64
            }
        };
        AgentStats {
            episodes,
            mean_return: self.returns.mean(),
            return_std: self.returns.std(),
            return_se: self.returns.standard_error(),
            return_ci95: self.returns.ci95(),
            mean_length: per_episode(self.steps as f64),
            ctr: per_step(self.clicks),
            mean_clicks: per_episode(self.clicks as f64),
            mean_engagement: self.engagement.mean(),
            mean_satisfaction: self.mean_satisfaction.mean(),
            final_satisfaction: self.final_satisfaction.mean(),
            env_steps: self.steps,
            cumulative_regret: self.regret,
            myopic_rate: per_step(self.myopic_steps),
            segments: self
                .segments
                .iter()
                .map(|(segment, s)| SegmentStats {
                    segment: *segment,
                    episodes: s.count(),
                    mean_return: s.mean(),
                    ci95: s.ci95(),
                })
                .collect(),
        }
    }

    fn segment_entry(&mut self, segment: u32) -> &mut RunningStats {
        let at = match self.segments.binary_search_by_key(&segment, |(s, _)| *s) {
            Ok(at) => at,
            Err(at) => {
                self.segments.insert(at, (segment, RunningStats::new()));
                at
            }
        };
        &mut self.segments[at].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::summary;

    #[test]
    fn aggregates_by_hand() {
        let eps = [
            summary(0, 0, 1.0, 4),
            summary(1, 1, 3.0, 6),
            summary(2, 0, 5.0, 10),
        ];
        let s = AgentStats::from_episodes(&eps);
        assert_eq!((s.episodes, s.env_steps), (3, 20));
        assert!((s.mean_return - 3.0).abs() < 1e-12);
        assert!((s.return_std - 2.0).abs() < 1e-12);
        assert!((s.return_se - 2.0 / 3f64.sqrt()).abs() < 1e-12);
        let half = 4.302653 * 2.0 / 3f64.sqrt();
        assert!((s.return_ci95.0 - (3.0 - half)).abs() < 1e-5);
        assert!((s.ctr - 10.0 / 20.0).abs() < 1e-12);
        assert!((s.mean_length - 20.0 / 3.0).abs() < 1e-12);
        assert!((s.mean_clicks - 10.0 / 3.0).abs() < 1e-12);
        assert!((s.mean_engagement - 30.0).abs() < 1e-12);
        assert!((s.final_satisfaction - 0.25 / 3.0).abs() < 1e-12);
        assert!((s.cumulative_regret - 4.5).abs() < 1e-12);
        // Fixtures count length / 4 myopic steps: 1 + 1 + 2 of 20.
        assert!((s.myopic_rate - 4.0 / 20.0).abs() < 1e-12);
        assert_eq!(s.segments.len(), 2);
        assert_eq!((s.segments[0].segment, s.segments[0].episodes), (0, 2));
        assert!((s.segments[0].mean_return - 3.0).abs() < 1e-12);
        assert_eq!((s.segments[1].segment, s.segments[1].episodes), (1, 1));
        assert!(s.segments[1].ci95.0.is_nan());
    }

    #[test]
    fn empty_input_gives_nan_not_panic() {
        let s = AgentStats::from_episodes(&[]);
        assert_eq!(s.episodes, 0);
        assert!(s.mean_return.is_nan() && s.ctr.is_nan() && s.mean_length.is_nan());
        assert!(s.segments.is_empty());
    }

    #[test]
    fn zero_step_episodes_do_not_dilute_satisfaction() {
        let s = AgentStats::from_episodes(&[summary(0, 0, 0.0, 0), summary(1, 2, 1.0, 3)]);
        assert_eq!(s.final_satisfaction, 0.5);
        assert!((s.ctr - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn merged_tallies_equal_one_tally() {
        let eps: Vec<_> = (0..20)
            .map(|i| summary(i, (i % 3) as u32, (i * i % 7) as f64, 5))
            .collect();
        let (mut left, mut right) = (AgentTally::new(), AgentTally::new());
        eps[..8].iter().for_each(|e| left.push(e));
        eps[8..].iter().for_each(|e| right.push(e));
        left.merge(&right);
        let (merged, whole) = (left.stats(), AgentStats::from_episodes(&eps));
        assert_eq!(merged.episodes, whole.episodes);
        assert!((merged.return_std - whole.return_std).abs() < 1e-12);
        assert_eq!(merged.segments.len(), 3);
        for (m, w) in merged.segments.iter().zip(&whole.segments) {
            assert_eq!(m.episodes, w.episodes);
            assert!((m.mean_return - w.mean_return).abs() < 1e-12);
        }
    }

    #[test]
    fn reset_forgets_everything() {
        let mut tally = AgentTally::new();
        tally.push(&summary(0, 4, 1.0, 2));
        tally.reset();
        assert_eq!(tally, AgentTally::new());
    }

    #[test]
    fn serializes_with_snake_case_names() {
        let json = serde_json::to_value(AgentStats::from_episodes(&[
            summary(0, 0, 1.0, 2),
            summary(1, 0, 2.0, 2),
        ]))
        .unwrap();
        for key in [
            "episodes",
            "mean_return",
            "return_std",
            "return_se",
            "return_ci95",
            "mean_length",
            "ctr",
            "mean_clicks",
            "mean_engagement",
            "mean_satisfaction",
            "final_satisfaction",
            "env_steps",
            "cumulative_regret",
            "myopic_rate",
            "segments",
        ] {
            assert!(json.get(key).is_some(), "missing {key}");
        }
        assert_eq!(json.as_object().unwrap().len(), 15);
        assert_eq!(json["return_ci95"].as_array().unwrap().len(), 2);
        assert_eq!(json["segments"][0]["episodes"], 2);
    }
}
