//! Collects an engine's events into per-lane results.

use crossbeam_channel::Receiver;

use crate::engine::{Event, LaneId, LaneProgress, LaneSpec};
use crate::metrics::episode::EpisodeSummary;
use crate::sim::rng::Phase;

/// Everything one lane produced.
#[derive(Clone, Debug, Default)]
pub struct LaneResult {
    /// The lane's spec (label, agent).
    pub spec: Option<LaneSpec>,
    /// Training episodes in episode order.
    pub train: Vec<EpisodeSummary>,
    /// Evaluation episodes in episode order.
    pub eval: Vec<EpisodeSummary>,
    /// The last progress report.
    pub progress: LaneProgress,
    /// The learned state, when asked for.
    pub state: Option<serde_json::Value>,
    /// Set when the lane stopped on an error.
    pub error: Option<String>,
    /// Whether the lane met its budget.
    pub finished: bool,
}

/// The results of a whole run.
#[derive(Clone, Debug, Default)]
pub struct RunResults {
    /// Per lane, indexed by lane id.
    pub lanes: Vec<LaneResult>,
    /// True when the run was stopped before every budget was met.
    pub stopped: bool,
}

impl RunResults {
    fn lane(&mut self, id: LaneId) -> &mut LaneResult {
        let i = id as usize;
        if self.lanes.len() <= i {
            self.lanes.resize_with(i + 1, LaneResult::default);
        }
        &mut self.lanes[i]
    }

    /// Applies one event.
    pub fn apply(&mut self, event: Event) {
        match event {
            Event::LaneAdded { lane, spec } | Event::LaneReset { lane, spec, .. } => {
                let l = self.lane(lane);
                *l = LaneResult {
                    spec: Some(*spec),
                    ..LaneResult::default()
                };
            }
            Event::Episodes {
                lane,
                phase,
                summaries,
                ..
            } => {
                let l = self.lane(lane);
                match phase {
                    Phase::Train => l.train.extend(summaries),
                    Phase::Eval => l.eval.extend(summaries),
                }
            }
            Event::Progress(p) => {
                let lane = p.lane;
                self.lane(lane).progress = *p;
            }
            Event::LaneFinished { lane, state } => {
                let l = self.lane(lane);
                l.finished = true;
                l.state = state;
            }
            Event::LaneFailed { lane, message } => self.lane(lane).error = Some(message),
            Event::LaneRemoved { .. } | Event::Paused(_) => {}
            Event::Finished { stopped } => self.stopped = stopped,
        }
    }

    /// Consumes events until `Finished`, calling `on_event` on each (e.g. to draw progress).
    pub fn collect(events: &Receiver<Event>, mut on_event: impl FnMut(&Self)) -> Self {
        let mut results = Self::default();
        while let Ok(event) = events.recv() {
            let finished = matches!(event, Event::Finished { .. });
            results.apply(event);
            on_event(&results);
            if finished {
                break;
            }
        }
        results
    }

    /// True when any lane has not met its budget (stopped early or failed).
    pub fn partial(&self) -> bool {
        self.stopped || self.lanes.iter().any(|l| !l.finished)
    }
}
