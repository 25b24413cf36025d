//! The last served slates of a lane, for the dashboard's "what the agent is doing" panel.
//!
//! Recording runs on every step of a traced lane, so it reuses its buffers: a fixed ring of
//! entries whose item vectors are cleared and refilled, never reallocated once warm.

use crate::sim::{Observation, StepOutcome};

use super::event::{ServedItem, ServedStep};

/// How many served slates the trace keeps.
pub(super) const TRACE_LEN: usize = 12;
/// Features of each served item kept (the panel shows the first few).
const FEATURES: usize = 4;

/// A ring of the last [`TRACE_LEN`] served slates.
#[derive(Debug, Default)]
pub(super) struct TraceRing {
    entries: Vec<ServedStep>,
    /// Where the next step is written; once full, also the oldest entry.
    next: usize,
}

impl TraceRing {
    /// An empty ring with room for every entry.
    pub(super) fn new() -> Self {
        Self {
            entries: Vec::with_capacity(TRACE_LEN),
            next: 0,
        }
    }

    /// Records one step, overwriting the oldest entry when full.
    pub(super) fn record(
        &mut self,
        episode: u64,
        obs: &Observation,
        slate: &[usize],
        outcome: &StepOutcome,
    ) {
        if self.entries.len() < TRACE_LEN {
            self.entries.push(ServedStep::default());
        }
        let entry = &mut self.entries[self.next];
        self.next = (self.next + 1) % TRACE_LEN;
        entry.episode = episode;
        entry.step = obs.step;
        entry.items.truncate(slate.len());
        while entry.items.len() < slate.len() {
            entry.items.push(ServedItem {
                features: Vec::with_capacity(FEATURES),
                ..ServedItem::default()
            });
        }
        for (item, &i) in entry.items.iter_mut().zip(slate) {
            item.index = i;
            item.cluster = obs.doc_clusters.get(i).copied();
            item.features.clear();
            item.features
                .extend(obs.doc(i).iter().take(FEATURES).copied());
        }
        entry.best_feature0 = if obs.docs.ncols() > 0 {
            obs.docs
                .column(0)
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max)
        } else {
            0.0
        };
        entry.clicked = outcome.clicked;
        entry.engagement = outcome.engagement;
        entry.satisfaction = outcome.satisfaction;
        entry.reward = outcome.reward;
    }

    /// The entries, oldest first.
    pub(super) fn ordered(&self) -> Vec<ServedStep> {
        let (newer, older) = self.entries.split_at(self.next.min(self.entries.len()));
        older.iter().chain(newer).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{ObsSpec, long_term_satisfaction};

    fn spec() -> ObsSpec {
        let setup = long_term_satisfaction::setup(long_term_satisfaction::LtsConfig::default())
            .expect("defaults are valid");
        crate::sim::EnvSetup::spec(&setup).clone()
    }

    fn outcome(reward: f64) -> StepOutcome {
        StepOutcome {
            reward,
            clicked: Some(0),
            engagement: reward,
            satisfaction: 0.5,
            expected_reward: reward,
            best_expected_reward: reward,
            done: false,
            truncated: false,
        }
    }

    #[test]
    fn keeps_the_last_steps_in_order_and_reuses_buffers() {
        let spec = spec();
        let mut obs = Observation::new(&spec);
        obs.docs
            .column_mut(0)
            .iter_mut()
            .enumerate()
            .for_each(|(i, v)| *v = i as f64 / 100.0);
        let mut ring = TraceRing::new();
        for step in 0..(TRACE_LEN as u32 + 5) {
            obs.step = step;
            ring.record(3, &obs, &[1], &outcome(f64::from(step)));
        }
        let steps: Vec<u32> = ring.ordered().iter().map(|s| s.step).collect();
        let expected: Vec<u32> = (5..TRACE_LEN as u32 + 5).collect();
        assert_eq!(steps, expected);
        let last = ring.ordered().pop().unwrap();
        let served = ServedItem {
            index: 1,
            cluster: obs.doc_clusters.get(1).copied(),
            features: vec![0.01],
        };
        assert_eq!(last.items, vec![served]);
        assert_eq!(last.reward, f64::from(TRACE_LEN as u32 + 4));
        let max = (spec.num_candidates - 1) as f64 / 100.0;
        assert!((last.best_feature0 - max).abs() < 1e-12);
        let buffer = ring.entries[0].items[0].features.as_ptr();
        ring.record(4, &obs, &[2], &outcome(0.0));
        ring.record(4, &obs, &[2], &outcome(0.0));
        assert_eq!(
            ring.entries
                .iter()
                .filter(|e| e.items[0].features.as_ptr() == buffer)
                .count(),
            1
        );
    }

    #[test]
    fn a_partly_filled_ring_is_in_order() {
        let spec = spec();
        let mut obs = Observation::new(&spec);
        let mut ring = TraceRing::new();
        for step in 0..3 {
            obs.step = step;
            ring.record(0, &obs, &[0], &outcome(0.0));
        }
        let steps: Vec<u32> = ring.ordered().iter().map(|s| s.step).collect();
        assert_eq!(steps, [0, 1, 2]);
        assert!(TraceRing::new().ordered().is_empty());
    }
}
