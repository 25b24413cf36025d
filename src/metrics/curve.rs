//! Learning curves: mean return per block of consecutive episodes, with 95% intervals.
//!
//! A curve is built online in memory bounded by its number of blocks: with a fixed block it
//! has one point per block; with an adaptive block it never holds more than
//! [`MAX_CURVE_POINTS`] blocks, merging neighbours (and doubling the block) when it would.

use serde::Serialize;

use super::episode::EpisodeSummary;
use super::stats::RunningStats;

/// A curve with an adaptive block never holds more blocks than this.
pub const MAX_CURVE_POINTS: usize = 200;

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

/// How a curve is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveBlocks {
    /// Exactly this many episodes per point (0 is taken as 1).
    Fixed(u64),
    /// Start with this many episodes per point and double it (merging neighbours) whenever
    /// the curve would exceed [`MAX_CURVE_POINTS`].
    Adaptive(u64),
}

/// One block of a learning curve.
#[derive(Clone, Debug, Default, PartialEq)]
struct Block {
    returns: RunningStats,
    last_episode: u64,
    steps: u64,
    myopic_steps: u64,
}

impl Block {
    fn push(&mut self, e: &EpisodeSummary) {
        self.returns.push(e.ret);
        self.last_episode = e.episode;
        self.steps += u64::from(e.length);
        self.myopic_steps += u64::from(e.myopic_steps);
    }

    fn merge(&mut self, later: &Self) {
        self.returns.merge(&later.returns);
        self.last_episode = later.last_episode;
        self.steps += later.steps;
        self.myopic_steps += later.myopic_steps;
    }

    fn point(&self) -> CurvePoint {
        CurvePoint {
            episode: self.last_episode.saturating_add(1),
            mean_return: self.returns.mean(),
            ci95: self.returns.ci95(),
            myopic_rate: if self.steps == 0 {
                f64::NAN
            } else {
                self.myopic_steps as f64 / self.steps as f64
            },
        }
    }
}

/// A learning curve built online, one episode at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    block: u64,
    adaptive: bool,
    /// Closed blocks, then the open one (fewer than `block` episodes) if any.
    blocks: Vec<Block>,
}

impl Curve {
    /// An empty curve.
    pub fn new(blocks: CurveBlocks) -> Self {
        let (block, adaptive) = match blocks {
            CurveBlocks::Fixed(b) => (b, false),
            CurveBlocks::Adaptive(b) => (b, true),
        };
        Self {
            block: block.max(1),
            adaptive,
            blocks: Vec::new(),
        }
    }

    /// Adds the next episode.
    pub fn push(&mut self, e: &EpisodeSummary) {
        match self.blocks.last_mut() {
            Some(open) if open.returns.count() < self.block => open.push(e),
            _ => {
                if self.adaptive && self.blocks.len() == MAX_CURVE_POINTS {
                    self.double();
                }
                let mut block = Block::default();
                block.push(e);
                self.blocks.push(block);
            }
        }
    }

    /// Merges neighbouring blocks, doubling the block size. Called only when every block is
    /// full, so merged blocks are full too.
    fn double(&mut self) {
        let merged = self
            .blocks
            .chunks(2)
            .map(|pair| {
                let mut block = pair[0].clone();
                if let Some(later) = pair.get(1) {
                    block.merge(later);
                }
                block
            })
            .collect();
        self.blocks = merged;
        self.block *= 2;
    }

    /// Episodes per point.
    pub fn block(&self) -> u64 {
        self.block
    }

    /// The points, the last one from a partial block when the episodes do not fill it, so
    /// the latest episodes always show.
    pub fn points(&self) -> Vec<CurvePoint> {
        self.blocks.iter().map(Block::point).collect()
    }

    /// The curve of `episodes` (in episode order) with `block` episodes per point.
    pub fn from_episodes(episodes: &[EpisodeSummary], block: usize) -> Vec<CurvePoint> {
        let mut curve = Self::new(CurveBlocks::Fixed(block as u64));
        for e in episodes {
            curve.push(e);
        }
        curve.points()
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
    fn an_adaptive_curve_doubles_its_block_and_keeps_every_episode() {
        let eps: Vec<_> = (0..10_000)
            .map(|i| summary(i, 0, (i * 7 % 11) as f64, 1 + (i % 5) as u32))
            .collect();
        let mut curve = Curve::new(CurveBlocks::Adaptive(1));
        for e in &eps {
            curve.push(e);
        }
        let points = curve.points();
        // 10,000 episodes in at most 200 blocks: the block doubles from 1 to 64.
        assert_eq!(curve.block(), 64);
        assert_eq!(points.len(), 10_000usize.div_ceil(64));
        assert_eq!(points.last().unwrap().episode, 10_000);
        // Each point is its block's, as a fixed curve of that block gives it.
        for (p, q) in points.iter().zip(&Curve::from_episodes(&eps, 64)) {
            assert_eq!(p.episode, q.episode);
            assert!((p.mean_return - q.mean_return).abs() < 1e-9);
            assert!((p.ci95.0 - q.ci95.0).abs() < 1e-9);
            assert_eq!(p.myopic_rate, q.myopic_rate);
        }
    }

    #[test]
    fn an_adaptive_curve_that_fits_keeps_its_block() {
        let eps: Vec<_> = (0..1000).map(|i| summary(i, 0, i as f64, 1)).collect();
        let mut curve = Curve::new(CurveBlocks::Adaptive(10));
        for e in &eps {
            curve.push(e);
        }
        assert_eq!(curve.block(), 10);
        assert_eq!(curve.points(), Curve::from_episodes(&eps, 10));
    }

    #[test]
    fn zero_block_and_empty_input_do_not_panic() {
        let eps = [summary(4, 0, 2.0, 1)];
        assert_eq!(Curve::from_episodes(&eps, 0)[0].episode, 5);
        assert!(Curve::from_episodes(&[], 10).is_empty());
    }
}
