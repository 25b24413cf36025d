//! The last W episodes of a lane, for "recent" figures on the dashboard.

use std::iter::Chain;
use std::slice::Iter;

use super::episode::EpisodeSummary;
use super::summary::AgentStats;
use crate::sim::FieldError;

/// A ring buffer of the most recent episode summaries; memory fixed at creation.
#[derive(Clone, Debug, PartialEq)]
pub struct RecentWindow {
    buf: Vec<EpisodeSummary>,
    capacity: usize,
    /// Where the oldest summary sits once the buffer is full.
    head: usize,
}

impl RecentWindow {
    /// A window over the last `capacity` episodes (at least 1).
    pub fn new(capacity: usize) -> Result<Self, FieldError> {
        if capacity == 0 {
            return Err(FieldError::new(
                "window",
                "must hold at least 1 episode, got 0",
            ));
        }
        Ok(Self {
            buf: Vec::with_capacity(capacity),
            capacity,
            head: 0,
        })
    }

    /// Adds the newest episode, evicting the oldest when full.
    pub fn push(&mut self, summary: EpisodeSummary) {
        if self.buf.len() < self.capacity {
            self.buf.push(summary);
        } else {
            self.buf[self.head] = summary;
            self.head = (self.head + 1) % self.capacity;
        }
    }

    /// The summaries held, oldest first.
    pub fn iter(&self) -> Chain<Iter<'_, EpisodeSummary>, Iter<'_, EpisodeSummary>> {
        let (newer, older) = self.buf.split_at(self.head);
        older.iter().chain(newer.iter())
    }

    /// The most recent summary.
    pub fn newest(&self) -> Option<&EpisodeSummary> {
        self.iter().last()
    }

    /// The summary of episode `episode`, if still held (a scan: windows are small).
    pub fn get(&self, episode: u64) -> Option<&EpisodeSummary> {
        self.buf.iter().find(|e| e.episode == episode)
    }

    /// Summaries held.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The most summaries held.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Forgets every summary, keeping the allocation.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.head = 0;
    }

    /// Agent figures over the window.
    pub fn stats(&self) -> AgentStats {
        let mut tally = super::summary::AgentTally::new();
        self.iter().for_each(|e| tally.push(e));
        tally.stats()
    }
}

impl<'a> IntoIterator for &'a RecentWindow {
    type Item = &'a EpisodeSummary;
    type IntoIter = Chain<Iter<'a, EpisodeSummary>, Iter<'a, EpisodeSummary>>;

    /// The summaries held, oldest first.
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::summary;

    fn filled(
        capacity: usize,
        episodes: std::ops::Range<u64>,
        ret: impl Fn(u64) -> f64,
    ) -> RecentWindow {
        let mut window = RecentWindow::new(capacity).unwrap();
        episodes.for_each(|i| window.push(summary(i, (i % 2) as u32, ret(i), 3)));
        window
    }

    #[test]
    fn keeps_the_last_w_in_order() {
        let window = filled(4, 0..10, |i| i as f64);
        let held: Vec<u64> = window.iter().map(|e| e.episode).collect();
        assert_eq!(held, [6, 7, 8, 9]);
        assert_eq!(window.newest().map(|e| e.episode), Some(9));
        assert!(window.get(5).is_none() && window.get(7).is_some());
        assert_eq!(window.buf.capacity(), 4);
    }

    #[test]
    fn stats_cover_only_the_window() {
        let window = filled(4, 0..10, |i| i as f64);
        let stats = window.stats();
        assert_eq!(stats.episodes, 4);
        assert!((stats.mean_return - 7.5).abs() < 1e-12);
        assert_eq!(stats.env_steps, 12);
        let direct = AgentStats::from_episodes(&window.iter().copied().collect::<Vec<_>>());
        assert_eq!(stats, direct);
    }

    #[test]
    fn empty_and_cleared_windows() {
        assert_eq!(RecentWindow::new(0).unwrap_err().field, "window");
        let empty = RecentWindow::new(3).unwrap();
        assert_eq!(empty.stats().episodes, 0);
        let mut window = filled(3, 0..5, |_| 1.0);
        window.clear();
        assert!(window.is_empty() && window.iter().next().is_none());
    }
}
