//! What the dashboard knows about one lane, built from the engine's events.

use crate::engine::{LaneId, LaneProgress, LaneSpec};
use crate::metrics::{AgentStats, EpisodeSummary, PairedStats, RecentWindow, paired_difference};

use super::history::LaneHistory;

/// Episodes per lane kept for the `e` export (a bounded window: the dashboard runs forever).
pub const EXPORT_EPISODES: usize = 10_000;

/// Where a lane is in its life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LaneState {
    /// Working (or waiting for its turn).
    Running,
    /// Met its budget.
    Finished,
    /// Stopped on an error.
    Failed(String),
}

/// One lane's figures since its (re)start.
#[derive(Clone, Debug)]
pub struct LaneView {
    /// The engine's lane id.
    pub id: LaneId,
    /// Label, agent and seed.
    pub spec: LaneSpec,
    /// Results of older generations (before a switch or reset) are ignored.
    pub generation: u32,
    /// Running, finished or failed.
    pub state: LaneState,
    /// The last W episodes: the table's figures.
    pub recent: RecentWindow,
    /// The last [`EXPORT_EPISODES`] episodes: what `e` exports.
    pub kept: RecentWindow,
    /// Chart series.
    pub history: LaneHistory,
    /// The latest progress report of this generation.
    pub progress: LaneProgress,
    /// Palette slot, stable for the lane's life.
    pub color: usize,
}

impl LaneView {
    /// A new lane with a table window of `window` episodes.
    pub fn new(id: LaneId, spec: LaneSpec, window: usize, color: usize) -> Self {
        Self {
            id,
            spec,
            generation: 0,
            state: LaneState::Running,
            recent: RecentWindow::new(window.max(1)).expect("a positive window"),
            kept: RecentWindow::new(EXPORT_EPISODES.max(window)).expect("a positive window"),
            history: LaneHistory::new(),
            progress: LaneProgress {
                lane: id,
                ..LaneProgress::default()
            },
            color,
        }
    }

    /// The lane restarted with `spec` (a switched agent, or a reset): forget its results.
    pub fn restart(&mut self, spec: LaneSpec, generation: u32) {
        self.spec = spec;
        self.generation = generation;
        self.state = LaneState::Running;
        self.recent.clear();
        self.kept.clear();
        self.history.clear();
        self.progress = LaneProgress {
            lane: self.id,
            generation,
            ..LaneProgress::default()
        };
    }

    /// Adds finished training episodes of generation `generation`.
    pub fn add_episodes(&mut self, generation: u32, summaries: &[EpisodeSummary]) {
        if generation != self.generation {
            return;
        }
        for e in summaries {
            self.recent.push(*e);
            self.kept.push(*e);
            self.history.push(e);
        }
    }

    /// Takes a progress report, if it is of the current generation.
    pub fn set_progress(&mut self, progress: LaneProgress) {
        if progress.generation == self.generation {
            self.progress = progress;
        }
    }

    /// The agent's name (`random`, `linucb`, ...).
    pub fn agent_name(&self) -> &'static str {
        self.spec.agent.info().name
    }

    /// Whether the agent learns.
    pub fn learns(&self) -> bool {
        self.spec.agent.info().learns
    }

    /// Figures over the table's window.
    pub fn recent_stats(&self) -> AgentStats {
        self.recent.stats()
    }

    /// Paired difference of returns against `baseline` over the last W episodes both lanes
    /// have finished (the same users). Lanes run side by side, but not in lockstep: the kept
    /// episodes reach far enough back that the common ones are always there.
    pub fn paired_with(&self, baseline: &Self) -> Option<PairedStats> {
        let newest = self
            .kept
            .newest()?
            .episode
            .min(baseline.kept.newest()?.episode);
        let oldest = newest.saturating_sub(self.recent.capacity() as u64 - 1);
        let common = |lane: &Self| -> Vec<EpisodeSummary> {
            let mut tail: Vec<EpisodeSummary> = lane
                .kept
                .iter()
                .rev()
                .skip_while(|e| e.episode > newest)
                .take_while(|e| e.episode >= oldest)
                .copied()
                .collect();
            tail.reverse();
            tail
        };
        paired_difference(&common(self), &common(baseline))
    }

    /// Environment steps per second of the lane's working time (its speed, not its pace).
    pub fn steps_per_second(&self) -> Option<f64> {
        let p = &self.progress;
        (p.wall_seconds > 0.0 && p.env_steps > 0).then(|| p.env_steps as f64 / p.wall_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::AgentSpec;
    use crate::engine::lanes_for;

    fn episode(i: u64, ret: f64) -> EpisodeSummary {
        EpisodeSummary {
            episode: i,
            segment: 0,
            ret,
            length: 10,
            clicks: 10,
            engagement: ret,
            mean_satisfaction: 0.5,
            final_satisfaction: 0.5,
            regret: 0.0,
            myopic_steps: 0,
            at_ceiling: false,
        }
    }

    fn lane(agent: AgentSpec) -> LaneView {
        LaneView::new(0, lanes_for(&[agent]).remove(0), 4, 0)
    }

    #[test]
    fn the_window_holds_the_last_w_and_old_generations_are_ignored() {
        let mut l = lane(AgentSpec::Random);
        l.add_episodes(
            0,
            &(0..10).map(|i| episode(i, i as f64)).collect::<Vec<_>>(),
        );
        assert_eq!(l.recent_stats().episodes, 4);
        assert_eq!(l.kept.len(), 10);
        l.restart(lanes_for(&[AgentSpec::Sweetest]).remove(0), 1);
        l.add_episodes(0, &[episode(10, 1.0)]);
        assert!(l.recent.is_empty() && l.history.episodes() == 0);
        assert_eq!(l.agent_name(), "sweetest");
    }

    #[test]
    fn pairs_the_last_w_common_episodes() {
        let (mut a, mut b) = (lane(AgentSpec::Sweetest), lane(AgentSpec::Random));
        a.add_episodes(
            0,
            &(0..60)
                .map(|i| episode(i, 10.0 + i as f64))
                .collect::<Vec<_>>(),
        );
        b.add_episodes(
            0,
            &(0..50)
                .map(|i| episode(i, 2.0 * i as f64))
                .collect::<Vec<_>>(),
        );
        // The window is 4: the last four episodes both ran are 46..=49, although a's own
        // window (56..=59) has none in common with b's.
        let p = a.paired_with(&b).unwrap();
        assert_eq!(p.episodes, 4);
        let expected = (46..50).map(|i| 10.0 - f64::from(i)).sum::<f64>() / 4.0;
        assert!((p.mean_diff - expected).abs() < 1e-12);
        assert_eq!(b.paired_with(&a).unwrap().episodes, 4);
        let (mut c, d) = (lane(AgentSpec::Sweetest), lane(AgentSpec::Random));
        c.add_episodes(0, &[episode(0, 1.0)]);
        assert!(c.paired_with(&d).is_none(), "nothing in common yet");
    }

    #[test]
    fn speed_needs_work_done() {
        let mut l = lane(AgentSpec::Random);
        assert_eq!(l.steps_per_second(), None);
        l.set_progress(LaneProgress {
            env_steps: 1000,
            wall_seconds: 0.5,
            ..LaneProgress::default()
        });
        assert_eq!(l.steps_per_second(), Some(2000.0));
        l.set_progress(LaneProgress {
            generation: 3,
            env_steps: 5,
            wall_seconds: 1.0,
            ..LaneProgress::default()
        });
        assert_eq!(l.progress.env_steps, 1000, "a stale generation is ignored");
    }
}
