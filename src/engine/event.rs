//! Messages between the engine and its front ends.

use crate::agent::{AgentSpec, Internals};
use crate::metrics::episode::EpisodeSummary;
use crate::scenario::EnvironmentConfig;
use crate::scenario::live_shift::PopulationEdit;
use crate::sim::rng::Phase;
use crate::sim::schedule::ShiftInfo;

use super::plan::{LaneId, LaneSpec, Speed};

/// Commands from a front end to the engine.
#[derive(Clone, Debug)]
pub enum Command {
    /// Stop advancing lanes (each finishes its current slice of steps).
    Pause,
    /// Continue after a pause.
    Resume,
    /// While paused: advance every lane by one environment step.
    Step,
    /// Change the speed of every lane.
    SetSpeed(Speed),
    /// Add a lane; it starts at episode 0, on the same users as the others.
    AddLane(LaneSpec),
    /// Remove a lane.
    RemoveLane(LaneId),
    /// Give a lane a new agent; it restarts at episode 0 on the same users.
    SwitchAgent(LaneId, AgentSpec),
    /// Restart every lane with fresh agents.
    ResetAll,
    /// Change the population for every lane from one common training episode that no lane
    /// has begun yet; learners keep their state. Answered by [`Event::ShiftApplied`] or
    /// [`Event::ShiftRejected`].
    ApplyShift(Box<LiveShift>),
    /// Stop everything; the engine sends [`Event::Finished`] once every lane has stopped.
    Stop,
}

/// A population change asked for while the run goes on.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveShift {
    /// The running environment's configuration, with every shift applied so far (the
    /// engine checks it against the setup it runs).
    pub environment: EnvironmentConfig,
    /// The population from the shift on.
    pub population: PopulationEdit,
}

/// A served slate, for the dashboard's "what the agent is doing" panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServedStep {
    /// Episode index.
    pub episode: u64,
    /// Step within the episode (0-based).
    pub step: u32,
    /// The served items, in slate order.
    pub items: Vec<ServedItem>,
    /// The largest value of feature 0 among all candidates (the sweetest available in LTS).
    pub best_feature0: f64,
    /// Slate position consumed, if any.
    pub clicked: Option<usize>,
    /// Engagement produced.
    pub engagement: f64,
    /// The user's satisfaction readout after the step.
    pub satisfaction: f64,
    /// Reward received.
    pub reward: f64,
}

/// One served item of a traced step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServedItem {
    /// Candidate index.
    pub index: usize,
    /// The candidate's observable cluster (the topic), where documents carry one.
    pub cluster: Option<u32>,
    /// Its first observable features (at most a few: the panel shows scalars, not vectors).
    pub features: Vec<f64>,
}

/// A lane's progress, sent after each slice of work.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneProgress {
    /// The lane.
    pub lane: LaneId,
    /// Generation of the lane (increases when its agent is switched or reset).
    pub generation: u32,
    /// Training or evaluation.
    pub phase: Phase,
    /// Environment steps done in training.
    pub env_steps: u64,
    /// Episodes finished in training.
    pub episodes: u64,
    /// Seconds the lane has spent working.
    pub wall_seconds: f64,
    /// The agent's internals.
    pub internals: Internals,
    /// The last served slates, most recent last (empty unless the plan asks for a trace).
    pub trace: Vec<ServedStep>,
}

/// Events from the engine to a front end.
#[derive(Clone, Debug)]
pub enum Event {
    /// A lane exists (sent for every initial lane and every added one).
    LaneAdded {
        /// The lane.
        lane: LaneId,
        /// Its spec (boxed: it is large and rare, and every event is as big as the largest).
        spec: Box<LaneSpec>,
    },
    /// A lane restarted with a (possibly new) agent; its earlier results no longer apply.
    LaneReset {
        /// The lane.
        lane: LaneId,
        /// Its new spec (boxed, as in `LaneAdded`).
        spec: Box<LaneSpec>,
        /// Its new generation.
        generation: u32,
    },
    /// A lane was removed.
    LaneRemoved {
        /// The lane.
        lane: LaneId,
    },
    /// Episodes a lane finished, in episode order.
    Episodes {
        /// The lane.
        lane: LaneId,
        /// The lane's generation when they ran.
        generation: u32,
        /// Training or evaluation.
        phase: Phase,
        /// The episodes.
        summaries: Vec<EpisodeSummary>,
        /// The learner's internals read right after some of them (see
        /// [`RunPlan::learner_readouts`](super::RunPlan::learner_readouts)), in episode order.
        readouts: Vec<EpisodeReadout>,
    },
    /// Progress of a lane.
    Progress(Box<LaneProgress>),
    /// A lane met its budget (and finished its evaluation).
    LaneFinished {
        /// The lane.
        lane: LaneId,
        /// The learned state, when the plan asked for it and the agent has one.
        state: Option<serde_json::Value>,
    },
    /// A lane interrupted by [`Command::Stop`] before its budget, with its learned state
    /// (sent only when the plan asked for states and the agent has one).
    LaneStopped {
        /// The lane.
        lane: LaneId,
        /// The learned state at the interruption.
        state: Option<serde_json::Value>,
    },
    /// A lane stopped on an error (e.g. a diverging learner).
    LaneFailed {
        /// The lane.
        lane: LaneId,
        /// What went wrong.
        message: String,
    },
    /// A live shift was scheduled for every lane.
    ShiftApplied {
        /// The first training episode drawn from the new population, and what changed.
        shift: ShiftInfo,
        /// The environment's configuration with this shift appended (for the next edit and
        /// for exports: it reproduces the session headless).
        environment: Box<EnvironmentConfig>,
    },
    /// A live shift was refused (invalid population, or a stale configuration).
    ShiftRejected {
        /// The offending field, relative to the environment's configuration.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The run is paused or running.
    Paused(bool),
    /// Everything has stopped; no more events follow.
    Finished {
        /// True when stopped by [`Command::Stop`] before every budget was met.
        stopped: bool,
    },
}

/// A learner's internals read right after one of its episodes finished.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeReadout {
    /// The episode's index within its phase.
    pub episode: u64,
    /// The internals then.
    pub internals: Internals,
}
