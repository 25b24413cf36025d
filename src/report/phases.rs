//! A lane's training split at the scenario's population shifts: figures per phase, and how
//! long the agent took to settle after each shift (the re-adaptation figure, defined in
//! docs/scenarios.md "Population shifts" and implemented exactly so here).

use serde::Serialize;

use crate::metrics::episode::EpisodeSummary;
use crate::metrics::ratio::RatioStats;
use crate::metrics::stats::RunningStats;

/// Episodes per window of the windowed return the re-adaptation figure reads.
pub const READAPT_WINDOW: u64 = 100;

/// Fewest complete windows a phase needs for a re-adaptation figure: its last quarter (the
/// plateau) must be a window that is not also the first.
pub const READAPT_MIN_WINDOWS: usize = 4;

/// One phase of one lane, folded: O(1) figures plus one running total per window of
/// [`READAPT_WINDOW`] episodes after a shift.
#[derive(Clone, Debug, Default)]
struct PhaseFold {
    returns: RunningStats,
    engagement: RunningStats,
    satisfaction: RunningStats,
    ctr: RatioStats,
    last_episode: Option<u64>,
    /// Returns per window counted from the phase's first episode (after a shift only).
    windows: Vec<RunningStats>,
}

/// A lane's training episodes, split into phases at the shift episodes.
#[derive(Clone, Debug, Default)]
pub struct ShiftPhases {
    /// The first episode of each phase after the first (the shifts' episodes).
    shifts: Vec<u64>,
    phases: Vec<PhaseFold>,
}

/// One phase's figures in a report (`agents[i].phases[j]`).
#[derive(Clone, Debug, Serialize)]
pub struct PhaseReport {
    /// The phase's first training episode: 0, or the episode of the shift that began it.
    pub first_episode: u64,
    /// The last training episode the lane ran in this phase.
    pub last_episode: u64,
    /// Episodes in the phase.
    pub episodes: u64,
    /// Mean episode return.
    pub mean_return: f64,
    /// Student-t 95% interval of the mean return.
    pub return_ci95: (f64, f64),
    /// Clicks per step (Σ clicks / Σ steps).
    pub ctr: f64,
    /// 95% interval of the CTR (delta method over episodes).
    pub ctr_ci95: (f64, f64),
    /// Mean total engagement per episode.
    pub mean_engagement: f64,
    /// Student-t 95% interval of the mean engagement.
    pub engagement_ci95: (f64, f64),
    /// Mean over episodes of each episode's mean satisfaction.
    pub mean_satisfaction: f64,
    /// Student-t 95% interval of the mean satisfaction.
    pub satisfaction_ci95: (f64, f64),
    /// After a shift: the mean return of the phase's last quarter of complete windows
    /// (null for the first phase, or a phase shorter than 4 windows).
    pub plateau_return: Option<f64>,
    /// After a shift: episodes from the shift to the first window whose 95% interval
    /// contains the plateau return (null for the first phase, a phase too short to tell, or
    /// when no window does).
    pub readapt_episodes: Option<u64>,
}

impl ShiftPhases {
    /// Phases split at `shifts` (training episodes, strictly increasing); no split when empty.
    pub fn new(shifts: Vec<u64>) -> Self {
        Self {
            phases: vec![PhaseFold::default(); shifts.len() + 1],
            shifts,
        }
    }

    /// Whether the run has shifts (else there is nothing to report).
    pub fn is_split(&self) -> bool {
        !self.shifts.is_empty()
    }

    /// Folds in one training episode.
    pub fn push(&mut self, e: &EpisodeSummary) {
        if !self.is_split() {
            return;
        }
        let index = self.shifts.partition_point(|&s| s <= e.episode);
        let phase = &mut self.phases[index];
        phase.returns.push(e.ret);
        phase.engagement.push(e.engagement);
        if e.length > 0 {
            phase.satisfaction.push(e.mean_satisfaction);
        }
        phase.ctr.push(f64::from(e.clicks), f64::from(e.length));
        phase.last_episode = Some(e.episode);
        if index > 0 {
            let window = ((e.episode - self.shifts[index - 1]) / READAPT_WINDOW) as usize;
            if phase.windows.len() <= window {
                phase.windows.resize(window + 1, RunningStats::new());
            }
            phase.windows[window].push(e.ret);
        }
    }

    /// The figures of every phase the lane reached, in episode order.
    pub fn reports(&self) -> Vec<PhaseReport> {
        self.phases
            .iter()
            .enumerate()
            .filter_map(|(i, phase)| {
                let last_episode = phase.last_episode?;
                let first_episode = if i == 0 { 0 } else { self.shifts[i - 1] };
                let (plateau_return, readapt_episodes) = if i == 0 {
                    (None, None)
                } else {
                    readaptation(&phase.windows)
                };
                Some(PhaseReport {
                    first_episode,
                    last_episode,
                    episodes: phase.returns.count(),
                    mean_return: phase.returns.mean(),
                    return_ci95: phase.returns.ci95(),
                    ctr: phase.ctr.ratio(),
                    ctr_ci95: phase.ctr.ci95(),
                    mean_engagement: phase.engagement.mean(),
                    engagement_ci95: phase.engagement.ci95(),
                    mean_satisfaction: phase.satisfaction.mean(),
                    satisfaction_ci95: phase.satisfaction.ci95(),
                    plateau_return,
                    readapt_episodes,
                })
            })
            .collect()
    }
}

/// The plateau return and the re-adaptation figure of the windows after a shift.
///
/// Only complete windows count (the leading run of windows holding [`READAPT_WINDOW`]
/// episodes each). With n of them, n ≥ [`READAPT_MIN_WINDOWS`], the plateau is the mean return
/// of the last ⌈n/4⌉ windows' episodes, and the figure is k·[`READAPT_WINDOW`] for the first
/// window k whose Student-t 95% interval of the mean return contains the plateau.
fn readaptation(windows: &[RunningStats]) -> (Option<f64>, Option<u64>) {
    let complete = windows
        .iter()
        .take_while(|w| w.count() == READAPT_WINDOW)
        .count();
    if complete < READAPT_MIN_WINDOWS {
        return (None, None);
    }
    let windows = &windows[..complete];
    let mut plateau = RunningStats::new();
    for w in &windows[complete - complete.div_ceil(4)..] {
        plateau.merge(w);
    }
    let level = plateau.mean();
    let settled = windows.iter().position(|w| {
        let (lo, hi) = w.ci95();
        lo <= level && level <= hi
    });
    (Some(level), settled.map(|k| k as u64 * READAPT_WINDOW))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn episode(episode: u64, ret: f64) -> EpisodeSummary {
        EpisodeSummary {
            episode,
            segment: 0,
            ret,
            length: 10,
            clicks: 5,
            engagement: ret,
            mean_satisfaction: 0.5,
            final_satisfaction: 0.5,
            regret: 0.0,
            myopic_steps: 0,
            at_ceiling: false,
        }
    }

    /// Returns alternate ±1 around `level(e)`, so every window's interval is narrow and known.
    fn run(shift: u64, end: u64, level: impl Fn(u64) -> f64) -> Vec<PhaseReport> {
        let mut phases = ShiftPhases::new(vec![shift]);
        for e in 0..end {
            let noise = if e % 2 == 0 { 1.0 } else { -1.0 };
            phases.push(&episode(e, level(e) + noise));
        }
        phases.reports()
    }

    #[test]
    fn phases_split_at_the_shift_with_their_own_figures() {
        let reports = run(300, 1000, |e| if e < 300 { 10.0 } else { 20.0 });
        assert_eq!(reports.len(), 2);
        let (before, after) = (&reports[0], &reports[1]);
        assert_eq!((before.first_episode, before.last_episode), (0, 299));
        assert_eq!((after.first_episode, after.last_episode), (300, 999));
        assert_eq!((before.episodes, after.episodes), (300, 700));
        assert!((before.mean_return - 10.0).abs() < 1e-9);
        assert!((after.mean_return - 20.0).abs() < 1e-9);
        assert_eq!(after.ctr, 0.5);
        assert!(before.plateau_return.is_none() && before.readapt_episodes.is_none());
        // Flat after the shift: the first window already holds the plateau.
        assert_eq!(after.readapt_episodes, Some(0));
    }

    #[test]
    fn readaptation_counts_windows_until_one_holds_the_plateau() {
        // A ramp from 0 to 20 over 350 episodes after the shift, then flat at 20.
        let level = |e: u64| {
            if e < 1000 {
                5.0
            } else {
                (e - 1000).min(350) as f64 / 17.5
            }
        };
        let reports = run(1000, 3000, level);
        let after = &reports[1];
        assert!((after.plateau_return.unwrap() - 20.0).abs() < 1e-9);
        // Windows 0..3 (episodes 1000..1399) still ramp; window 4 (from 1400) is flat.
        assert_eq!(after.readapt_episodes, Some(400));
    }

    #[test]
    fn short_or_never_settling_phases_have_no_figure() {
        let short = run(100, 100 + 3 * READAPT_WINDOW + 50, |_| 1.0);
        assert_eq!(short[1].readapt_episodes, None);
        assert_eq!(short[1].plateau_return, None);
        // A steady climb: every window sits below the last quarter's mean but the last ones.
        let climbing = run(100, 2100, |e| e as f64);
        let after = &climbing[1];
        assert!(after.readapt_episodes.unwrap() >= 1500, "{after:?}");
        let mut unsplit = ShiftPhases::new(Vec::new());
        unsplit.push(&episode(0, 1.0));
        assert!(unsplit.reports().is_empty() && !unsplit.is_split());
    }
}
