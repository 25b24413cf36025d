//! Learning curves: mean return per block of consecutive episodes, with 95% intervals.

use serde::Serialize;

use super::episode::EpisodeSummary;
use super::stats::RunningStats;

/// One point of a learning curve: a block of episodes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Episodes run when the block closed: the last episode's index + 1.
    pub episode: u64,
    /// Mean return over the block.
    pub mean_return: f64,
    /// Student-t 95% interval for that mean, (lo, hi); `[lo, hi]` in JSON.
    pub ci95: (f64, f64),
    /// Share of the block's steps that served the myopically best slate.
    pub myopic_rate: f64,
}

/// Builds a learning curve online, one episode at a time, in O(1) memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    block: usize,
    current: RunningStats,
    last_episode: u64,
    steps: u64,
    myopic_steps: u64,
}

impl Curve {
    /// A curve with `block` episodes per point; a block of 0 is taken as 1.
    pub fn new(block: usize) -> Self {
        Self {
            block: block.max(1),
            current: RunningStats::new(),
            last_episode: 0,
            steps: 0,
            myopic_steps: 0,
        }
    }

    /// Episodes per point.
    pub fn block(&self) -> usize {
        self.block
    }

    /// Adds a finished episode; returns the block's point when this episode completes it.
    pub fn push(&mut self, e: &EpisodeSummary) -> Option<CurvePoint> {
        self.current.push(e.ret);
        self.last_episode = e.episode;
        self.steps += u64::from(e.length);
        self.myopic_steps += u64::from(e.myopic_steps);
        if self.current.count() < self.block as u64 {
            return None;
        }
        let point = self.partial();
        self.current.reset();
        self.steps = 0;
        self.myopic_steps = 0;
        point
    }

    /// The point of the unfinished block so far, if it has any episode.
    pub fn partial(&self) -> Option<CurvePoint> {
        (!self.current.is_empty()).then(|| CurvePoint {
            episode: self.last_episode.saturating_add(1),
            mean_return: self.current.mean(),
            ci95: self.current.ci95(),
            myopic_rate: if self.steps == 0 {
                f64::NAN
            } else {
                self.myopic_steps as f64 / self.steps as f64
            },
        })
    }

    /// The curve of `episodes` (in episode order), including a trailing partial block so the
    /// latest episodes always show.
    pub fn from_episodes(episodes: &[EpisodeSummary], block: usize) -> Vec<CurvePoint> {
        let mut curve = Self::new(block);
        let mut points: Vec<CurvePoint> = episodes.iter().filter_map(|e| curve.push(e)).collect();
        points.extend(curve.partial());
        points
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::summary;

    #[test]
    fn blocks_of_three_with_a_partial_tail() {
        let eps: Vec<_> = (0..7).map(|i| summary(i, 0, i as f64, 1)).collect();
        let points = Curve::from_episodes(&eps, 3);
        assert_eq!(points.len(), 3);
        assert_eq!(
            points.iter().map(|p| p.episode).collect::<Vec<_>>(),
            [3, 6, 7]
        );
        assert!((points[0].mean_return - 1.0).abs() < 1e-12);
        assert!((points[1].mean_return - 4.0).abs() < 1e-12);
        assert_eq!(points[2].mean_return, 6.0);
        // Fixtures: length 1, myopic_steps length / 4 = 0.
        assert_eq!(points[0].myopic_rate, 0.0);
        // Block 0..3 has s = 1, se = 1/√3, t(0.975, 2) = 4.302653.
        let half = 4.302653 / 3f64.sqrt();
        assert!((points[0].ci95.1 - (1.0 + half)).abs() < 1e-5);
        assert!(points[2].ci95.0.is_nan());
    }

    #[test]
    fn online_and_batch_agree() {
        let eps: Vec<_> = (0..10)
            .map(|i| summary(i, 0, (i * 7 % 4) as f64, 1))
            .collect();
        let mut curve = Curve::new(4);
        let online: Vec<_> = eps.iter().filter_map(|e| curve.push(e)).collect();
        let batch = Curve::from_episodes(&eps, 4);
        assert_eq!(online[..], batch[..2]);
        assert_eq!(curve.partial(), Some(batch[2]));
    }

    #[test]
    fn zero_block_and_empty_input_do_not_panic() {
        let eps = [summary(4, 0, 2.0, 1)];
        assert_eq!(Curve::from_episodes(&eps, 0)[0].episode, 5);
        assert!(Curve::from_episodes(&[], 10).is_empty());
    }
}
