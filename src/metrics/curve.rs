//! Learning curves: mean return per block of consecutive episodes, with 95% intervals, and
//! the block's other figures (CTR, engagement, satisfaction, myopic rate, steps so far, and the
//! learner's internals when the block closed).
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
    /// Click-through rate over the block: clicks / steps.
    pub ctr: f64,
    /// Mean total engagement per episode of the block.
    pub mean_engagement: f64,
    /// Mean of the block's episodes' mean satisfaction (episodes with steps only).
    pub mean_satisfaction: f64,
    /// Mean of the block's episodes' final satisfaction (episodes with steps only).
    pub final_satisfaction: f64,
    /// Environment steps of the curve's episodes up to and including the block's last one.
    pub env_steps: u64,
    /// The learner's internals when the block closed (see [`LearnerReadout`]); written
    /// flat: `epsilon`, `td_loss`, `mean_q`, `confidence_width`, each `null` where it does not
    /// apply or no readout came.
    #[serde(flatten)]
    pub learner: LearnerReadout,
}

/// The learner's internals a curve point carries: read by the lane right after the block's
/// last episode (see [`CurveBlocks::closes_block_at`]), so they depend only on the seed and
/// the agent, never on timing or threads. A partial last block of an interrupted run has
/// none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct LearnerReadout {
    /// Exploration rate.
    pub epsilon: Option<f64>,
    /// Running mean of the temporal-difference loss.
    pub td_loss: Option<f64>,
    /// Running mean of the chosen slate's Q-value.
    pub mean_q: Option<f64>,
    /// Running mean of the chosen items' confidence width (bandits).
    pub confidence_width: Option<f64>,
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
    clicks: u64,
    /// Sums over the block's episodes, so merged blocks weigh each episode once.
    engagement: f64,
    mean_satisfaction: f64,
    final_satisfaction: f64,
    /// Episodes with steps: the ones with a satisfaction readout.
    satisfied_episodes: u64,
    /// The curve's steps up to and including this block.
    steps_so_far: u64,
    learner: LearnerReadout,
}

impl Block {
    fn push(&mut self, e: &EpisodeSummary, steps_so_far: u64) {
        self.returns.push(e.ret);
        self.last_episode = e.episode;
        self.steps += u64::from(e.length);
        self.myopic_steps += u64::from(e.myopic_steps);
        self.clicks += u64::from(e.clicks);
        self.engagement += e.engagement;
        if e.length > 0 {
            self.mean_satisfaction += e.mean_satisfaction;
            self.final_satisfaction += e.final_satisfaction;
            self.satisfied_episodes += 1;
        }
        self.steps_so_far = steps_so_far;
    }

    /// Absorbs the block that follows this one: sums add, and the end (last episode, steps
    /// so far, learner readout) is the later block's.
    fn merge(&mut self, later: &Self) {
        self.returns.merge(&later.returns);
        self.last_episode = later.last_episode;
        self.steps += later.steps;
        self.myopic_steps += later.myopic_steps;
        self.clicks += later.clicks;
        self.engagement += later.engagement;
        self.mean_satisfaction += later.mean_satisfaction;
        self.final_satisfaction += later.final_satisfaction;
        self.satisfied_episodes += later.satisfied_episodes;
        self.steps_so_far = later.steps_so_far;
        self.learner = later.learner;
    }

    fn point(&self) -> CurvePoint {
        let per = |total: f64, n: u64| if n == 0 { f64::NAN } else { total / n as f64 };
        CurvePoint {
            episode: self.last_episode.saturating_add(1),
            mean_return: self.returns.mean(),
            ci95: self.returns.ci95(),
            myopic_rate: per(self.myopic_steps as f64, self.steps),
            ctr: per(self.clicks as f64, self.steps),
            mean_engagement: per(self.engagement, self.returns.count()),
            mean_satisfaction: per(self.mean_satisfaction, self.satisfied_episodes),
            final_satisfaction: per(self.final_satisfaction, self.satisfied_episodes),
            env_steps: self.steps_so_far,
            learner: self.learner,
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
    /// Steps of every episode pushed.
    steps: u64,
    /// The first block that received an episode since the last learner readout: it and the
    /// blocks after it take the next readout.
    unread_from: Option<usize>,
}

impl CurveBlocks {
    /// Whether the `episodes`-th episode (counting from 1) closes a block of a curve with
    /// these blocks, at the block size the curve has then. A block closed at the current size
    /// ends at a multiple of every later (doubled) size's half, so reading the learner at
    /// these episodes covers every point's end, whatever the curve's final size.
    pub fn closes_block_at(self, episodes: u64) -> bool {
        let (mut block, adaptive) = match self {
            Self::Fixed(b) => (b.max(1), false),
            Self::Adaptive(b) => (b.max(1), true),
        };
        if adaptive {
            // The size after `episodes` pushes: doubled until they fit in the most points.
            while episodes.div_ceil(block) > MAX_CURVE_POINTS as u64 {
                block *= 2;
            }
        }
        episodes > 0 && episodes.is_multiple_of(block)
    }
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
            steps: 0,
            unread_from: None,
        }
    }

    /// Adds the next episode.
    pub fn push(&mut self, e: &EpisodeSummary) {
        self.steps += u64::from(e.length);
        match self.blocks.last_mut() {
            Some(open) if open.returns.count() < self.block => open.push(e, self.steps),
            _ => {
                if self.adaptive && self.blocks.len() == MAX_CURVE_POINTS {
                    self.double();
                }
                let mut block = Block::default();
                block.push(e, self.steps);
                self.blocks.push(block);
            }
        }
        let last = self.blocks.len() - 1;
        self.unread_from.get_or_insert(last);
    }

    /// Records the learner's internals as read now: every block that received an episode
    /// since the previous readout takes them (a closed block keeps the first readout after
    /// its last episode; the open one, the latest).
    pub fn read_learner(&mut self, readout: LearnerReadout) {
        if let Some(from) = self.unread_from.take() {
            for block in &mut self.blocks[from..] {
                block.learner = readout;
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
        // Block i is now half of block i / 2, which ends with the later half's readout.
        self.unread_from = self.unread_from.map(|i| i / 2);
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
    fn readouts_where_blocks_close_give_every_point_its_end_readout() {
        for blocks in [
            CurveBlocks::Fixed(3),
            CurveBlocks::Adaptive(1),
            CurveBlocks::Adaptive(5),
        ] {
            let mut curve = Curve::new(blocks);
            let mut reads = 0;
            for i in 0..5_000u64 {
                curve.push(&summary(i, 0, 1.0, 1));
                // As the engine does: at every block's close, and after the last episode.
                if blocks.closes_block_at(i + 1) || i + 1 == 5_000 {
                    reads += 1;
                    curve.read_learner(LearnerReadout {
                        epsilon: Some((i + 1) as f64),
                        ..LearnerReadout::default()
                    });
                }
            }
            // Each point carries the readout taken right after its own last episode.
            for p in curve.points() {
                assert_eq!(p.learner.epsilon, Some(p.episode as f64), "{blocks:?}");
            }
            if let CurveBlocks::Adaptive(_) = blocks {
                // Bounded by the points of each size the curve went through, not the episodes.
                assert!(reads < 2 * MAX_CURVE_POINTS * 6, "{reads} readouts");
            }
        }
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
            assert_eq!(p.ctr, q.ctr);
            assert!((p.mean_engagement - q.mean_engagement).abs() < 1e-9);
            assert!((p.mean_satisfaction - q.mean_satisfaction).abs() < 1e-12);
            assert!((p.final_satisfaction - q.final_satisfaction).abs() < 1e-12);
            assert_eq!(p.env_steps, q.env_steps);
        }
    }

    #[test]
    fn merged_blocks_weigh_each_episode_once() {
        // Blocks of unequal weight: episodes without steps carry no satisfaction readout.
        let eps: Vec<_> = (0..401)
            .map(|i| {
                let mut e = summary(i, (i % 3) as u32, i as f64, (i % 4) as u32);
                e.clicks = (i % 2) as u32 * e.length;
                e.engagement = (i * i) as f64;
                e.mean_satisfaction = (i % 7) as f64;
                e
            })
            .collect();
        let mut curve = Curve::new(CurveBlocks::Adaptive(1));
        for e in &eps {
            curve.push(e);
        }
        assert_eq!(curve.block(), 4);
        let points = curve.points();
        for (p, chunk) in points.iter().zip(eps.chunks(4)).take(100) {
            let steps: u32 = chunk.iter().map(|e| e.length).sum();
            let clicks: u32 = chunk.iter().map(|e| e.clicks).sum();
            let with_steps: Vec<_> = chunk.iter().filter(|e| e.length > 0).collect();
            let sat = with_steps.iter().map(|e| e.mean_satisfaction).sum::<f64>()
                / with_steps.len() as f64;
            let fin = with_steps.iter().map(|e| e.final_satisfaction).sum::<f64>()
                / with_steps.len() as f64;
            let eng = chunk.iter().map(|e| e.engagement).sum::<f64>() / chunk.len() as f64;
            assert_eq!(p.ctr, f64::from(clicks) / f64::from(steps));
            assert!((p.mean_engagement - eng).abs() < 1e-9);
            assert!((p.mean_satisfaction - sat).abs() < 1e-12);
            assert!((p.final_satisfaction - fin).abs() < 1e-12);
            let so_far: u64 = eps[..p.episode as usize]
                .iter()
                .map(|e| u64::from(e.length))
                .sum();
            assert_eq!(p.env_steps, so_far);
        }
        // The partial tail: one episode of length 0 (400 % 4), so no satisfaction readout.
        assert_eq!(points.len(), 101);
        assert!(points[100].mean_satisfaction.is_nan());
    }

    fn readout(x: f64) -> LearnerReadout {
        LearnerReadout {
            epsilon: Some(x),
            ..LearnerReadout::default()
        }
    }

    #[test]
    fn a_block_keeps_the_first_readout_after_its_last_episode() {
        let mut curve = Curve::new(CurveBlocks::Fixed(2));
        for i in 0..3 {
            curve.push(&summary(i, 0, 0.0, 1));
        }
        curve.read_learner(readout(1.0));
        curve.read_learner(readout(2.0));
        curve.push(&summary(3, 0, 0.0, 1));
        curve.read_learner(readout(3.0));
        let eps: Vec<_> = curve.points().iter().map(|p| p.learner.epsilon).collect();
        // Block 0 closed before the first readout; block 1's last episode came before the third.
        assert_eq!(eps, [Some(1.0), Some(3.0)]);
    }

    #[test]
    fn doubling_keeps_each_merged_block_s_last_readout() {
        let mut curve = Curve::new(CurveBlocks::Adaptive(1));
        for i in 0..MAX_CURVE_POINTS as u64 - 1 {
            curve.push(&summary(i, 0, 0.0, 1));
            curve.read_learner(readout(i as f64));
        }
        // Episode 199 fills the last block with no readout yet; episode 200 doubles the block,
        // so 198 and 199 merge into block 99, which still waits for a readout.
        curve.push(&summary(199, 0, 0.0, 1));
        curve.push(&summary(200, 0, 0.0, 1));
        curve.read_learner(readout(500.0));
        let points = curve.points();
        assert_eq!(curve.block(), 2);
        assert_eq!(points.len(), 101);
        assert_eq!(points[0].learner.epsilon, Some(1.0));
        assert_eq!(points[98].learner.epsilon, Some(197.0));
        assert_eq!(points[99].learner.epsilon, Some(500.0));
        assert_eq!(points[100].learner.epsilon, Some(500.0));
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
