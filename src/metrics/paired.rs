//! Paired comparison of two agents that met the same users (common random numbers).
//!
//! Episode `i` of every lane draws its user from the same stream, so the per-episode
//! difference removes the user-to-user variance both agents share: a paired interval is far
//! narrower than the difference of two independent intervals.

use serde::Serialize;

use super::episode::EpisodeSummary;
use super::stats::RunningStats;

/// The mean of per-episode differences (a − b) over the episodes both agents ran.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PairedStats {
    /// Episodes present in both inputs.
    pub episodes: u64,
    /// Mean of a − b.
    pub mean_diff: f64,
    /// Student-t 95% interval for the mean difference, (lo, hi); `[lo, hi]` in JSON.
    pub ci95: (f64, f64),
    /// Standard error of the mean difference (NaN with one episode).
    pub se: f64,
}

impl PairedStats {
    /// From running statistics of the differences; `None` when there are none.
    pub fn from_differences(diffs: &RunningStats) -> Option<Self> {
        (!diffs.is_empty()).then(|| Self {
            episodes: diffs.count(),
            mean_diff: diffs.mean(),
            ci95: diffs.ci95(),
            se: diffs.standard_error(),
        })
    }

    /// Whether the 95% interval excludes zero (false while it is undefined).
    pub fn is_significant(&self) -> bool {
        self.ci95.0 > 0.0 || self.ci95.1 < 0.0
    }
}

/// Paired difference of returns, a − b, matching episodes by index; `None` if none match.
pub fn paired_difference(a: &[EpisodeSummary], b: &[EpisodeSummary]) -> Option<PairedStats> {
    paired_difference_by(a, b, |e| e.ret)
}

/// Paired difference of any per-episode figure, a − b, matching episodes by index.
pub fn paired_difference_by(
    a: &[EpisodeSummary],
    b: &[EpisodeSummary],
    metric: impl Fn(&EpisodeSummary) -> f64,
) -> Option<PairedStats> {
    paired_over(a.iter(), b.iter(), metric)
}

/// Pairs two sequences of summaries by episode index. Sequences in ascending episode order
/// (what an engine produces) are merge-joined without allocating; others are sorted first.
pub(crate) fn paired_over<'a, A, B>(
    a: A,
    b: B,
    metric: impl Fn(&EpisodeSummary) -> f64,
) -> Option<PairedStats>
where
    A: Iterator<Item = &'a EpisodeSummary> + Clone,
    B: Iterator<Item = &'a EpisodeSummary> + Clone,
{
    let mut diffs = RunningStats::new();
    if is_ascending(a.clone()) && is_ascending(b.clone()) {
        join_ascending(a, b, &metric, &mut diffs);
    } else {
        let mut a: Vec<&EpisodeSummary> = a.collect();
        let mut b: Vec<&EpisodeSummary> = b.collect();
        a.sort_by_key(|e| e.episode);
        b.sort_by_key(|e| e.episode);
        join_ascending(a.into_iter(), b.into_iter(), &metric, &mut diffs);
    }
    PairedStats::from_differences(&diffs)
}

fn is_ascending<'a>(mut it: impl Iterator<Item = &'a EpisodeSummary>) -> bool {
    let Some(mut previous) = it.next().map(|e| e.episode) else {
        return true;
    };
    it.all(|e| {
        let ok = e.episode >= previous;
        previous = e.episode;
        ok
    })
}

/// Merge join: each episode of `a` pairs with at most one of `b`, in order.
fn join_ascending<'a>(
    a: impl Iterator<Item = &'a EpisodeSummary>,
    b: impl Iterator<Item = &'a EpisodeSummary>,
    metric: &impl Fn(&EpisodeSummary) -> f64,
    diffs: &mut RunningStats,
) {
    let mut b = b.peekable();
    for x in a {
        while b.next_if(|y| y.episode < x.episode).is_some() {}
        if let Some(y) = b.next_if(|y| y.episode == x.episode) {
            diffs.push(metric(x) - metric(y));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::fixtures::summary;

    #[test]
    fn only_common_episodes_are_paired() {
        let a = [
            summary(0, 0, 5.0, 1),
            summary(1, 0, 7.0, 1),
            summary(3, 0, 9.0, 1),
        ];
        let b = [
            summary(1, 0, 4.0, 1),
            summary(2, 0, 0.0, 1),
            summary(3, 0, 4.0, 1),
        ];
        let p = paired_difference(&a, &b).unwrap();
        assert_eq!(p.episodes, 2);
        assert!((p.mean_diff - 4.0).abs() < 1e-12);
        // Differences 3 and 5: s = √2, se = 1, t(0.975, 1) = 12.7062.
        assert!((p.se - 1.0).abs() < 1e-12);
        assert!((p.ci95.0 - (4.0 - 12.706205)).abs() < 1e-5);
        assert!(!p.is_significant());
    }

    #[test]
    fn no_common_episode_is_none() {
        let a = [summary(0, 0, 1.0, 1)];
        let b = [summary(1, 0, 1.0, 1)];
        assert_eq!(paired_difference(&a, &b), None);
        assert_eq!(paired_difference(&[], &b), None);
    }

    #[test]
    fn unordered_input_pairs_the_same_as_ordered() {
        let a: Vec<_> = (0..30)
            .map(|i| summary(i, 0, (i % 5) as f64 + 1.0, 1))
            .collect();
        let b: Vec<_> = (0..30).map(|i| summary(i, 0, (i % 3) as f64, 1)).collect();
        let ordered = paired_difference(&a, &b).unwrap();
        let mut shuffled = b.clone();
        shuffled.reverse();
        shuffled.swap(3, 17);
        let unordered = paired_difference(&a, &shuffled).unwrap();
        assert_eq!(ordered.episodes, unordered.episodes);
        assert!((ordered.mean_diff - unordered.mean_diff).abs() < 1e-12);
        assert!((ordered.se - unordered.se).abs() < 1e-12);
        assert!(ordered.is_significant());
    }

    #[test]
    fn other_figures_can_be_paired() {
        let a = [summary(0, 0, 2.0, 8), summary(1, 0, 2.0, 6)];
        let b = [summary(0, 0, 2.0, 4), summary(1, 0, 2.0, 4)];
        let p = paired_difference_by(&a, &b, |e| f64::from(e.clicks)).unwrap();
        assert!((p.mean_diff - 1.5).abs() < 1e-12);
    }
}
