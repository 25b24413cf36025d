//! A run's results folded in as they arrive, in memory that does not grow with the number of
//! episodes: what `slatelab run` reports from, however long it runs.
//!
//! Each lane keeps running totals ([`AgentTally`]), a learning curve of a bounded number of
//! blocks ([`Curve`]), and, for the paired differences, only the returns that some other lane
//! has not reached yet. Keeping every episode summary (72 bytes each) is opt-in
//! ([`RunTally::keep_episodes`]): tests like them, but a run of hundreds of millions of
//! episodes would fill the machine with them.

use std::collections::VecDeque;

use crossbeam_channel::Receiver;

use crate::agent::Internals;
use crate::engine::{EpisodeReadout, Event, LaneId, LaneProgress, LaneSpec};
use crate::metrics::curve::{Curve, CurveBlocks, LearnerReadout};
use crate::metrics::episode::EpisodeSummary;
use crate::metrics::paired::PairedStats;
use crate::metrics::stats::RunningStats;
use crate::metrics::summary::AgentTally;
use crate::sim::rng::Phase;
use crate::sim::schedule::ShiftInfo;

use super::phases::ShiftPhases;

/// One lane's returns not yet paired with every other lane.
#[derive(Clone, Debug, Default)]
struct PendingReturns {
    /// Returns of episodes `front ..`, in episode order.
    returns: VecDeque<f64>,
    front: u64,
    /// The episode index the lane produces next; `None` before its first episode.
    next: Option<u64>,
    /// No more episodes will come.
    done: bool,
}

impl PendingReturns {
    fn get(&self, episode: u64) -> Option<f64> {
        let next = self.next?;
        if episode < self.front || episode >= next {
            return None;
        }
        self.returns.get((episode - self.front) as usize).copied()
    }
}

/// Which lanes a run compares on the same users (`slatelab run --paired`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Pairs {
    /// Each lane against the baseline lane (the first): n − 1 comparisons.
    #[default]
    Baseline,
    /// Every two lanes: n(n − 1)/2 comparisons, which for thousands of lanes is too many.
    All,
}

/// Paired differences of returns between lanes (each against the baseline lane, or every
/// two), matching episodes by index, folded in as episodes arrive. Each lane's episodes must
/// arrive in ascending, contiguous order (as an engine sends them).
#[derive(Clone, Debug, Default)]
pub struct PairedStream {
    pairs: Pairs,
    /// The lane the others are compared with when `pairs` is [`Pairs::Baseline`].
    baseline: usize,
    lanes: Vec<PendingReturns>,
    /// Differences a − b per pair, indexed by [`Self::pair_index`].
    diffs: Vec<RunningStats>,
}

impl PairedStream {
    /// An empty stream comparing the lanes `pairs` says, lane 0 being the baseline.
    pub fn new(pairs: Pairs) -> Self {
        Self {
            pairs,
            ..Self::default()
        }
    }

    /// Makes `lane` the baseline the others are compared with; call it before any episode.
    pub fn set_baseline(&mut self, lane: usize) {
        debug_assert!(
            self.held() == 0,
            "the baseline is chosen before any episode"
        );
        self.baseline = lane;
    }

    fn ensure(&mut self, lanes: usize) {
        if self.lanes.len() >= lanes {
            return;
        }
        // Pair indices do not depend on the number of lanes, so the table only grows.
        let pairs = match self.pairs {
            Pairs::All => lanes * (lanes - 1) / 2,
            Pairs::Baseline => lanes,
        };
        self.diffs.resize(pairs, RunningStats::new());
        self.lanes.resize_with(lanes, PendingReturns::default);
    }

    /// Whether lanes `a` and `b` (a ≠ b) are compared.
    fn compared(&self, a: usize, b: usize) -> bool {
        self.pairs == Pairs::All || a == self.baseline || b == self.baseline
    }

    /// All pairs: (a, b), a < b, in the order b = 1, 2, … and a < b within. Against the
    /// baseline: the other lane's id.
    fn pair_index(&self, a: usize, b: usize) -> usize {
        match self.pairs {
            Pairs::All => b * (b - 1) / 2 + a,
            Pairs::Baseline if a == self.baseline => b,
            Pairs::Baseline => a,
        }
    }

    /// The lanes compared with lane `lane`'s episodes.
    fn partners(&self, lane: usize) -> std::ops::Range<usize> {
        match self.pairs {
            Pairs::Baseline if lane != self.baseline => {
                self.baseline..(self.baseline + 1).min(self.lanes.len())
            }
            _ => 0..self.lanes.len(),
        }
    }

    /// Announces a lane before its first episode, so other lanes keep their returns for it.
    pub fn add_lane(&mut self, lane: usize) {
        self.ensure(lane + 1);
    }

    /// Forgets a lane's returns and pairings (it restarted with a new agent). Its new episodes
    /// pair only with returns the other lanes still hold (headless runs never restart lanes).
    pub fn reset_lane(&mut self, lane: usize) {
        self.ensure(lane + 1);
        self.lanes[lane] = PendingReturns::default();
        for other in self.partners(lane).filter(|&o| o != lane) {
            let (a, b) = (lane.min(other), lane.max(other));
            let index = self.pair_index(a, b);
            self.diffs[index] = RunningStats::new();
        }
    }

    /// Adds lane `lane`'s episode `episode` with return `ret`, pairing it with every lane it
    /// is compared with that already has that episode.
    pub fn push(&mut self, lane: usize, episode: u64, ret: f64) {
        self.ensure(lane + 1);
        let own = &mut self.lanes[lane];
        match own.next {
            None => own.front = episode,
            Some(next) => debug_assert_eq!(episode, next, "episodes arrive in order"),
        }
        own.next = Some(episode + 1);
        own.returns.push_back(ret);
        for other in self.partners(lane) {
            if other == lane {
                continue;
            }
            if let Some(theirs) = self.lanes[other].get(episode) {
                let (a, b, diff) = if lane < other {
                    (lane, other, ret - theirs)
                } else {
                    (other, lane, theirs - ret)
                };
                let index = self.pair_index(a, b);
                self.diffs[index].push(diff);
            }
        }
    }

    /// Marks a lane as finished: other lanes' returns need not wait for it.
    pub fn finish(&mut self, lane: usize) {
        self.ensure(lane + 1);
        self.lanes[lane].done = true;
    }

    /// Drops every return that every lane it is compared with has passed (or will never
    /// reach). O(lanes), so that thousands of lanes fold quickly.
    pub fn prune(&mut self) {
        // The two smallest next episodes of unfinished lanes, the smallest with its lane:
        // what the others still need, leaving each lane's own out.
        let (mut first, mut second) = ((u64::MAX, usize::MAX), u64::MAX);
        for (o, other) in self.lanes.iter().enumerate().filter(|(_, l)| !l.done) {
            let next = other.next.unwrap_or(0);
            if next < first.0 {
                second = first.0;
                first = (next, o);
            } else if next < second {
                second = next;
            }
        }
        let baseline_next = self
            .lanes
            .get(self.baseline)
            .filter(|l| !l.done)
            .map_or(u64::MAX, |l| l.next.unwrap_or(0));
        for lane in 0..self.lanes.len() {
            // The first episode some unfinished lane compared with it may still produce.
            let needed = match self.pairs {
                Pairs::Baseline if lane != self.baseline => baseline_next,
                _ if first.1 == lane => second,
                _ => first.0,
            };
            let own = &mut self.lanes[lane];
            while own.front < needed && own.returns.pop_front().is_some() {
                own.front += 1;
            }
        }
    }

    /// The lane the others are compared with, when not every two lanes are.
    pub fn baseline(&self) -> Option<usize> {
        (self.pairs == Pairs::Baseline).then_some(self.baseline)
    }

    /// The paired statistics of lanes `a` < `b` (a − b); `None` when no episode matched or
    /// the two are not compared.
    pub fn paired(&self, a: usize, b: usize) -> Option<PairedStats> {
        debug_assert!(a < b, "pairs are asked for in lane order");
        if !self.compared(a, b) {
            return None;
        }
        PairedStats::from_differences(self.diffs.get(self.pair_index(a, b))?)
    }

    /// Returns held for pairing, over all lanes (for tests of the memory bound).
    pub fn held(&self) -> usize {
        self.lanes.iter().map(|l| l.returns.len()).sum()
    }
}

/// One phase (training or evaluation) of a lane, folded.
#[derive(Clone, Debug)]
pub struct PhaseTally {
    /// Totals behind the agent's figures.
    pub tally: AgentTally,
    /// Its learning curve.
    pub curve: Curve,
    /// Episodes the engine cut at the step ceiling ([`EpisodeSummary::at_ceiling`]).
    pub ceiling_episodes: u64,
    /// Every episode in episode order, when the tally keeps them.
    kept: Option<Vec<EpisodeSummary>>,
}

impl PhaseTally {
    fn new(curve: CurveBlocks, keep: bool) -> Self {
        Self {
            tally: AgentTally::new(),
            curve: Curve::new(curve),
            ceiling_episodes: 0,
            kept: keep.then(Vec::new),
        }
    }

    fn push(&mut self, e: &EpisodeSummary) {
        self.tally.push(e);
        self.curve.push(e);
        self.ceiling_episodes += u64::from(e.at_ceiling);
        if let Some(kept) = &mut self.kept {
            kept.push(*e);
        }
    }

    /// Episodes folded in.
    pub fn episodes(&self) -> u64 {
        self.tally.episodes()
    }

    /// Every episode folded in, in episode order; `None` unless the tally keeps episodes
    /// ([`RunTally::keep_episodes`]).
    pub fn kept(&self) -> Option<&[EpisodeSummary]> {
        self.kept.as_deref()
    }
}

/// Everything one lane produced, folded.
#[derive(Clone, Debug)]
pub struct LaneTally {
    /// The lane's spec (label, agent).
    pub spec: Option<LaneSpec>,
    /// Training episodes.
    pub train: PhaseTally,
    /// Evaluation episodes.
    pub eval: PhaseTally,
    /// The last progress report.
    pub progress: LaneProgress,
    /// The learned state, when asked for.
    pub state: Option<serde_json::Value>,
    /// Set when the lane stopped on an error.
    pub error: Option<String>,
    /// Whether the lane met its budget.
    pub finished: bool,
    /// Training split at the scenario's population shifts (empty without shifts).
    pub phases: ShiftPhases,
}

impl LaneTally {
    fn new(curve: CurveBlocks, keep: bool, shifts: &[u64]) -> Self {
        Self {
            phases: ShiftPhases::new(shifts.to_vec()),
            spec: None,
            train: PhaseTally::new(curve, keep),
            eval: PhaseTally::new(curve, keep),
            progress: LaneProgress::default(),
            state: None,
            error: None,
            finished: false,
        }
    }

    /// The training episodes, in episode order.
    ///
    /// # Panics
    /// Unless the tally keeps episodes ([`RunTally::keep_episodes`]).
    pub fn train_episodes(&self) -> &[EpisodeSummary] {
        self.train.kept().expect(KEEP_EPISODES)
    }

    /// The evaluation episodes, in episode order.
    ///
    /// # Panics
    /// Unless the tally keeps episodes ([`RunTally::keep_episodes`]).
    pub fn eval_episodes(&self) -> &[EpisodeSummary] {
        self.eval.kept().expect(KEEP_EPISODES)
    }
}

/// Why asking a tally for its episodes panicked.
const KEEP_EPISODES: &str = "episodes are kept only by a tally made with `keep_episodes`";

/// The results of a whole run, folded as they arrive.
#[derive(Clone, Debug)]
pub struct RunTally {
    /// Per lane, indexed by lane id.
    pub lanes: Vec<LaneTally>,
    /// Paired training returns.
    pub paired_train: PairedStream,
    /// Paired evaluation returns.
    pub paired_eval: PairedStream,
    /// True when the run was stopped before every budget was met.
    pub stopped: bool,
    curve: CurveBlocks,
    /// Whether lanes keep every episode summary besides their totals.
    keep: bool,
    /// The training episodes at which the population shifts (lanes' phases split there).
    shifts: Vec<u64>,
}

impl RunTally {
    /// An empty tally whose lanes' curves are blocked as `curve` says.
    pub fn new(curve: CurveBlocks) -> Self {
        Self {
            lanes: Vec::new(),
            paired_train: PairedStream::default(),
            paired_eval: PairedStream::default(),
            stopped: false,
            curve,
            keep: false,
            shifts: Vec::new(),
        }
    }

    /// The same tally, splitting each lane's training into phases at the population
    /// `shifts` (reported per agent as `phases`). Call it before any lane is added.
    #[must_use]
    pub fn with_shifts(mut self, shifts: &[ShiftInfo]) -> Self {
        debug_assert!(self.lanes.is_empty(), "phases are split from the start");
        self.shifts = shifts.iter().map(|s| s.episode).collect();
        self
    }

    /// The same tally, comparing the lanes `pairs` says (by default each with lane 0). Call
    /// it before any lane is added.
    #[must_use]
    pub fn with_pairs(mut self, pairs: Pairs) -> Self {
        debug_assert!(self.lanes.is_empty(), "pairs are chosen from the start");
        self.paired_train = PairedStream::new(pairs);
        self.paired_eval = PairedStream::new(pairs);
        self
    }

    /// Compares the other lanes with lane `lane` rather than lane 0 (unless every two lanes
    /// are compared). Call it before any episode arrives.
    pub fn set_baseline(&mut self, lane: LaneId) {
        self.paired_train.set_baseline(lane as usize);
        self.paired_eval.set_baseline(lane as usize);
    }

    /// The same tally, also keeping every episode summary (memory grows with the run: for
    /// tests and short measurements). Call it before any lane is added.
    #[must_use]
    pub fn keep_episodes(mut self) -> Self {
        debug_assert!(self.lanes.is_empty(), "episodes are kept from the start");
        self.keep = true;
        self
    }

    fn lane(&mut self, id: LaneId) -> &mut LaneTally {
        let i = id as usize;
        if self.lanes.len() <= i {
            let (curve, keep, shifts) = (self.curve, self.keep, &self.shifts);
            self.lanes
                .resize_with(i + 1, || LaneTally::new(curve, keep, shifts));
        }
        &mut self.lanes[i]
    }

    /// Starts lane `id` afresh with `spec` (a lane added, or restarted with a new agent).
    pub fn add_lane(&mut self, id: LaneId, spec: LaneSpec) {
        let lane = LaneTally::new(self.curve, self.keep, &self.shifts);
        *self.lane(id) = LaneTally {
            spec: Some(spec),
            ..lane
        };
        self.paired_train.reset_lane(id as usize);
        self.paired_eval.reset_lane(id as usize);
    }

    /// Folds in one batch of a lane's episodes (in episode order).
    pub fn add_episodes(&mut self, lane: LaneId, phase: Phase, summaries: &[EpisodeSummary]) {
        self.add_episodes_read(lane, phase, summaries, &[]);
    }

    /// Folds in one batch of a lane's episodes with the learner readouts taken after some
    /// of them (both in episode order): each readout goes to the curve block its episode
    /// closed.
    pub fn add_episodes_read(
        &mut self,
        lane: LaneId,
        phase: Phase,
        summaries: &[EpisodeSummary],
        readouts: &[EpisodeReadout],
    ) {
        self.lane(lane);
        let l = &mut self.lanes[lane as usize];
        let (tally, paired) = match phase {
            Phase::Train => (&mut l.train, &mut self.paired_train),
            Phase::Eval => (&mut l.eval, &mut self.paired_eval),
        };
        let mut readouts = readouts.iter().peekable();
        for e in summaries {
            tally.push(e);
            paired.push(lane as usize, e.episode, e.ret);
            if let Some(read) = readouts.next_if(|r| r.episode == e.episode) {
                tally.curve.read_learner(learner_readout(&read.internals));
            }
            if phase == Phase::Train {
                l.phases.push(e);
            }
        }
        paired.prune();
    }

    /// Marks lane `lane` as done (finished, failed or removed): no episode of it will come,
    /// so the other lanes' returns need not wait for it.
    pub fn lane_done(&mut self, lane: LaneId) {
        for paired in [&mut self.paired_train, &mut self.paired_eval] {
            paired.finish(lane as usize);
            paired.prune();
        }
    }

    /// Applies one event.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::LaneAdded { lane, spec } | Event::LaneReset { lane, spec, .. } => {
                self.add_lane(lane, *spec);
            }
            Event::Episodes {
                lane,
                phase,
                summaries,
                readouts,
                ..
            } => self.add_episodes_read(lane, phase, &summaries, &readouts),
            Event::Progress(p) => {
                let lane = p.lane;
                self.lane(lane).progress = *p;
            }
            Event::LaneFinished { lane, state } => {
                let l = self.lane(lane);
                l.finished = true;
                l.state = state;
                self.lane_done(lane);
            }
            Event::LaneStopped { lane, state } => self.lane(lane).state = state,
            Event::LaneFailed { lane, message } => {
                self.lane(lane).error = Some(message);
                self.lane_done(lane);
            }
            Event::LaneRemoved { lane } => self.lane_done(lane),
            // Headless front ends send no live shifts; a live shift's episodes arrive as usual.
            Event::Paused(_) | Event::ShiftApplied { .. } | Event::ShiftRejected { .. } => {}
            Event::Finished { stopped } => self.stopped = stopped,
        }
    }

    /// Consumes events until `Finished`, calling `on_event` on each (e.g. to draw progress).
    pub fn collect(
        events: &Receiver<Event>,
        curve: CurveBlocks,
        on_event: impl FnMut(&Self),
    ) -> Self {
        Self::new(curve).fold(events, on_event)
    }

    /// Consumes events until `Finished`, keeping every episode summary (for tests and short
    /// measurements; curves are blocked adaptively).
    pub fn collect_keeping_episodes(events: &Receiver<Event>) -> Self {
        Self::new(CurveBlocks::Adaptive(1))
            .keep_episodes()
            .fold(events, |_| {})
    }

    /// Folds events into this tally until `Finished`, calling `on_event` after each.
    #[must_use]
    pub fn fold(mut self, events: &Receiver<Event>, mut on_event: impl FnMut(&Self)) -> Self {
        while let Ok(event) = events.recv() {
            let finished = matches!(event, Event::Finished { .. });
            self.apply(event);
            on_event(&self);
            if finished {
                break;
            }
        }
        self
    }

    /// True when any lane has not met its budget (stopped early or failed).
    pub fn partial(&self) -> bool {
        self.stopped || self.lanes.iter().any(|l| !l.finished)
    }
}

/// The internals a curve point carries, from a lane's readout.
fn learner_readout(i: &Internals) -> LearnerReadout {
    LearnerReadout {
        epsilon: i.epsilon,
        td_loss: i.td_loss,
        mean_q: i.mean_q,
        confidence_width: i.confidence_width,
    }
}

#[cfg(test)]
mod tests;
