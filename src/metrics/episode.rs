//! Per-episode figures, accumulated step by step on the simulation's hot path.

use serde::Serialize;

use crate::sim::StepOutcome;

/// Relative gap under which a served slate counts as myopically optimal.
const MYOPIC_TOLERANCE: f64 = 1e-9;

/// What one finished episode amounted to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EpisodeSummary {
    /// The episode's index within its run (shared by lanes, so lanes can be paired).
    pub episode: u64,
    /// The population segment the user came from.
    pub segment: u32,
    /// The sum of rewards (the return, undiscounted).
    pub ret: f64,
    /// Steps taken.
    pub length: u32,
    /// Steps on which the user consumed an item.
    pub clicks: u32,
    /// Total true engagement of consumed items.
    pub engagement: f64,
    /// Mean of the per-step satisfaction readouts; 0 for an episode without steps.
    pub mean_satisfaction: f64,
    /// The last satisfaction readout; 0 for an episode without steps.
    pub final_satisfaction: f64,
    /// Σ (best expected reward − expected reward of the slate served).
    pub regret: f64,
    /// Steps on which the served slate had the best expected immediate reward (a myopic
    /// choice: in choc-kale, serving the sweetest candidate).
    pub myopic_steps: u32,
    /// The engine cut the episode at the step ceiling
    /// ([`crate::sim::common::MAX_EPISODE_STEPS`]): the user had not left and no configured cap
    /// ended it, so it was truncated, not finished (a sign of a scenario whose users never leave).
    pub at_ceiling: bool,
}

/// Running totals of the episode in progress: a handful of adds per step, no allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EpisodeAccumulator {
    ret: f64,
    steps: u32,
    clicks: u32,
    engagement: f64,
    satisfaction_sum: f64,
    last_satisfaction: f64,
    regret: f64,
    myopic_steps: u32,
}

impl EpisodeAccumulator {
    /// An empty episode.
    pub const fn new() -> Self {
        Self {
            ret: 0.0,
            steps: 0,
            clicks: 0,
            engagement: 0.0,
            satisfaction_sum: 0.0,
            last_satisfaction: 0.0,
            regret: 0.0,
            myopic_steps: 0,
        }
    }

    /// Adds one step's outcome.
    #[inline]
    pub fn record(&mut self, step: &StepOutcome) {
        self.ret += step.reward;
        // Saturating so an absurdly long episode degrades a count instead of panicking.
        self.steps = self.steps.saturating_add(1);
        self.clicks = self
            .clicks
            .saturating_add(u32::from(step.clicked.is_some()));
        self.engagement += step.engagement;
        self.satisfaction_sum += step.satisfaction;
        self.last_satisfaction = step.satisfaction;
        let gap = step.best_expected_reward - step.expected_reward;
        self.regret += gap;
        // Relative tolerance: the two expectations come from different float paths.
        let myopic = gap <= MYOPIC_TOLERANCE * step.best_expected_reward.abs().max(1.0);
        self.myopic_steps = self.myopic_steps.saturating_add(u32::from(myopic));
    }

    /// Steps recorded so far.
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// The summary of the episode so far, without ending it (for live displays).
    pub fn snapshot(&self, episode: u64, segment: u32) -> EpisodeSummary {
        let mean_satisfaction = if self.steps == 0 {
            0.0
        } else {
            self.satisfaction_sum / f64::from(self.steps)
        };
        EpisodeSummary {
            episode,
            segment,
            ret: self.ret,
            length: self.steps,
            clicks: self.clicks,
            engagement: self.engagement,
            mean_satisfaction,
            final_satisfaction: self.last_satisfaction,
            regret: self.regret,
            myopic_steps: self.myopic_steps,
            at_ceiling: false,
        }
    }

    /// Ends the episode: returns its summary and clears the accumulator for the next one.
    pub fn finish(&mut self, episode: u64, segment: u32) -> EpisodeSummary {
        let summary = self.snapshot(episode, segment);
        self.reset();
        summary
    }

    /// Discards the episode in progress.
    pub fn reset(&mut self) {
        *self = Self::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(reward: f64, clicked: bool, satisfaction: f64, gap: f64) -> StepOutcome {
        StepOutcome {
            reward,
            clicked: clicked.then_some(1),
            engagement: if clicked { reward * 2.0 } else { 0.0 },
            satisfaction,
            expected_reward: 1.0,
            best_expected_reward: 1.0 + gap,
            done: false,
            truncated: false,
        }
    }

    #[test]
    fn sums_steps_into_a_summary() {
        let mut acc = EpisodeAccumulator::new();
        acc.record(&step(3.0, true, 0.2, 0.5));
        acc.record(&step(0.0, false, 0.4, 0.0));
        acc.record(&step(1.5, true, 0.9, 0.25));
        let s = acc.finish(12, 2);
        assert_eq!((s.episode, s.segment, s.length, s.clicks), (12, 2, 3, 2));
        assert!((s.ret - 4.5).abs() < 1e-12);
        assert!((s.engagement - 9.0).abs() < 1e-12);
        assert!((s.mean_satisfaction - 0.5).abs() < 1e-12);
        assert_eq!(s.final_satisfaction, 0.9);
        assert!((s.regret - 0.75).abs() < 1e-12);
        // Only the step with no gap served the myopically best slate.
        assert_eq!(s.myopic_steps, 1);
    }

    #[test]
    fn finish_clears_and_empty_episode_is_finite() {
        let mut acc = EpisodeAccumulator::new();
        acc.record(&step(3.0, true, 0.2, 0.5));
        acc.finish(0, 0);
        assert_eq!(acc, EpisodeAccumulator::new());
        let empty = acc.finish(1, 0);
        assert_eq!(empty.length, 0);
        assert!(empty.mean_satisfaction.is_finite() && empty.final_satisfaction.is_finite());
    }

    #[test]
    fn snapshot_does_not_end_the_episode() {
        let mut acc = EpisodeAccumulator::new();
        acc.record(&step(1.0, true, 0.5, 0.0));
        assert_eq!(acc.snapshot(0, 0).length, 1);
        acc.record(&step(1.0, true, 0.5, 0.0));
        assert_eq!(acc.finish(0, 0).length, 2);
    }

    #[test]
    fn reset_discards_progress() {
        let mut acc = EpisodeAccumulator::new();
        acc.record(&step(1.0, true, 0.5, 0.3));
        acc.reset();
        assert_eq!(acc.steps(), 0);
        assert_eq!(acc.finish(0, 0).regret, 0.0);
    }
}
