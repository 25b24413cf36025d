//! The engine: runs agent lanes on worker threads; front ends talk to it only through
//! channels (commands in, events out).
//!
//! ```text
//!  front end ──Command──▶ coordinator ──Job──▶ workers (T threads)
//!      ▲                      ▲                   │
//!      └──────Event───────────┴─────Returned──────┘
//! ```
//!
//! The coordinator owns the lanes and decides when each goes out for another slice of
//! work; workers run slices and report finished episodes and progress directly to the
//! front end. Events are aggregates (episode summaries, progress), never per-step logs.

pub mod agent_stream;
pub mod coordinator;
pub mod event;
pub mod lane_runner;
mod pace;
pub mod plan;
mod trace;

use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender, unbounded};

pub use agent_stream::AgentStream;
pub use event::{Command, EpisodeReadout, Event, LaneProgress, LiveShift, ServedItem, ServedStep};
pub use lane_runner::{LaneError, LaneRunner};
pub use plan::{
    Budget, LaneId, LaneSpec, RunPlan, Speed, lane_label, lane_specs, lanes_for, seed_list,
};

/// Most worker threads an engine starts, whatever is asked: lanes are few and each runs on
/// one thread at a time, so more threads only cost memory (and, by the tens of thousands,
/// exhaust the OS).
pub const MAX_THREADS: usize = 256;

/// Why an engine did not start.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// A lane could not be built (e.g. a bad checkpoint).
    #[error("lane {lane} ({label}): {error}")]
    Lane {
        /// The lane's id.
        lane: LaneId,
        /// The lane's label.
        label: String,
        /// What went wrong.
        error: LaneError,
    },
    /// The OS refused to start a thread (too many threads, or too little memory for stacks).
    #[error("cannot start an engine thread: {0}")]
    Thread(String),
}

/// A running engine: send commands, receive events.
pub struct EngineHandle {
    commands: Sender<Command>,
    events: Receiver<Event>,
    threads: Vec<JoinHandle<()>>,
}

impl EngineHandle {
    /// Sends a command; a finished engine ignores it.
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    /// A sender for commands (e.g. for a Ctrl-C handler).
    pub fn command_sender(&self) -> Sender<Command> {
        self.commands.clone()
    }

    /// The event stream. It ends with [`Event::Finished`].
    pub fn events(&self) -> &Receiver<Event> {
        &self.events
    }

    /// Waits for every engine thread to end (after [`Event::Finished`]).
    pub fn join(mut self) {
        self.join_threads();
    }

    fn join_threads(&mut self) {
        for thread in self.threads.drain(..) {
            // A panicking worker has already reported through the closed channels.
            let _ = thread.join();
        }
    }
}

impl Drop for EngineHandle {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            let _ = self.commands.send(Command::Stop);
            self.join_threads();
        }
    }
}

/// Builds every lane (so a bad checkpoint fails here, before any thread starts) and
/// starts the coordinator and `plan.threads` workers (at most [`MAX_THREADS`]) on named
/// threads. A thread the OS refuses is an error, after the threads already started end.
pub fn spawn(plan: RunPlan) -> Result<EngineHandle, SpawnError> {
    let mut streams: Vec<AgentStream> = Vec::with_capacity(plan.lanes.len());
    let mut runners = Vec::with_capacity(plan.lanes.len());
    for (i, lane) in plan.lanes.iter().enumerate() {
        let stream = AgentStream::assign(&lane.agent, lane.seed.unwrap_or(plan.seed), &streams);
        streams.push(stream);
        let runner = LaneRunner::new(i as LaneId, 0, lane, stream, &plan).map_err(|error| {
            SpawnError::Lane {
                lane: i as LaneId,
                label: lane.label.clone(),
                error,
            }
        })?;
        runners.push(runner);
    }
    let (command_tx, command_rx) = unbounded();
    let (event_tx, event_rx) = unbounded();
    let (job_tx, job_rx) = unbounded();
    let (done_tx, done_rx) = unbounded();
    let mut threads = Vec::new();
    for w in 0..plan.threads.clamp(1, MAX_THREADS) {
        let (jobs, done, events) = (job_rx.clone(), done_tx.clone(), event_tx.clone());
        let started = std::thread::Builder::new()
            .name(format!("slatelab-worker-{w}"))
            .spawn(move || coordinator::worker(jobs, done, events));
        match started {
            Ok(thread) => threads.push(thread),
            // Dropping the job sender ends the workers already started.
            Err(e) => return Err(refused(e, job_tx, threads)),
        }
    }
    drop((job_rx, done_tx));
    // The coordinator owns the job sender; keep one to end the workers if it cannot start.
    let workers_stop = job_tx.clone();
    let coordinator =
        coordinator::Coordinator::new(plan, runners, job_tx, done_rx, command_rx, event_tx);
    let started = std::thread::Builder::new()
        .name("slatelab-engine".into())
        .spawn(move || coordinator.run());
    match started {
        Ok(thread) => threads.insert(0, thread),
        Err(e) => return Err(refused(e, workers_stop, threads)),
    }
    drop(workers_stop);
    Ok(EngineHandle {
        commands: command_tx,
        events: event_rx,
        threads,
    })
}

/// Ends the workers started so far (closing their job channel) and reports the refusal.
fn refused<T>(error: std::io::Error, jobs: Sender<T>, started: Vec<JoinHandle<()>>) -> SpawnError {
    drop(jobs);
    for thread in started {
        let _ = thread.join();
    }
    SpawnError::Thread(error.to_string())
}
