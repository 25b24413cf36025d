//! The coordinator thread: owns the lanes, hands slices of work to the worker pool, and
//! turns front-end commands into scheduling decisions.
//!
//! Lanes are boxed [`LaneRunner`]s that travel between the coordinator and the workers:
//! a worker runs one slice (a few milliseconds, or a step budget when throttled) and sends
//! the runner back. Pausing, throttling, removing or switching a lane are therefore just
//! decisions about whether and how to send it out again, and no lock is ever shared.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, select};

use super::agent_stream::AgentStream;
use super::event::{Command, Event, LiveShift};
use super::lane_runner::{LaneError, LaneRunner, SliceLimit, SliceStatus};
use super::pace;
use super::plan::{LaneId, LaneSpec, RunPlan, Speed, unique_label};
use crate::scenario::{self, EnvironmentConfig, live_shift};
use crate::sim::{EnvSetup, FieldError};

/// Wall-clock length of one slice at full speed: short enough that pause and stop feel
/// immediate, long enough that scheduling costs nothing next to the simulation.
const SLICE: Duration = Duration::from_millis(20);
/// How often throttled lanes get new step allowances.
const THROTTLE_TICK: Duration = Duration::from_millis(10);

/// A slice of work for a worker.
pub(super) struct Job {
    runner: Box<LaneRunner>,
    max_steps: u64,
    interrupt: Arc<AtomicBool>,
}

/// A runner coming back from a worker.
pub(super) struct Returned {
    job: Job,
    result: Result<SliceStatus, LaneError>,
}

/// Runs slices until the job channel closes.
pub(super) fn worker(jobs: Receiver<Job>, done: Sender<Returned>, events: Sender<Event>) {
    let mut summaries = Vec::new();
    while let Ok(mut job) = jobs.recv() {
        let limit = SliceLimit {
            max_steps: job.max_steps,
            deadline: Instant::now() + SLICE,
        };
        let phase = job.runner.phase();
        let result = job.runner.run_slice(limit, &job.interrupt, &mut summaries);
        if !summaries.is_empty() {
            let _ = events.send(Event::Episodes {
                lane: job.runner.id(),
                generation: job.runner.generation(),
                phase,
                summaries: std::mem::take(&mut summaries),
                readouts: job.runner.take_readouts(),
            });
        }
        let _ = events.send(Event::Progress(Box::new(job.runner.progress())));
        if done.send(Returned { job, result }).is_err() {
            break;
        }
    }
}

enum SlotState {
    /// On a worker (or queued for one).
    Out,
    /// Waiting here: paused, or throttled until it has step allowance.
    Parked(Box<LaneRunner>),
    /// Budget met.
    Done,
    /// Stopped on an error.
    Failed,
}

struct Slot {
    id: LaneId,
    spec: LaneSpec,
    /// The agent's random streams: unique among live lanes with the same spec and seed.
    stream: AgentStream,
    generation: u32,
    state: SlotState,
    interrupt: Arc<AtomicBool>,
    /// Steps this lane may still take under throttling.
    tokens: f64,
    last_refill: Instant,
    /// Next training episode as of the lane's last return (for pacing).
    position: u64,
    /// Mean training episode length as of the lane's last return (for pacing).
    mean_length: Option<f64>,
}

impl Slot {
    /// Still working (not done, not failed): the lanes pacing waits for.
    fn active(&self) -> bool {
        matches!(self.state, SlotState::Out | SlotState::Parked(_))
    }
}

/// The coordinator's state.
pub(super) struct Coordinator {
    plan: RunPlan,
    slots: Vec<Slot>,
    next_id: LaneId,
    jobs: Sender<Job>,
    done: Receiver<Returned>,
    commands: Receiver<Command>,
    events: Sender<Event>,
    outstanding: usize,
    paused: bool,
    stopping: bool,
    speed: Speed,
    /// A live shift waiting for every lane to come back from its slice.
    pending_shift: Option<LiveShift>,
}

impl Coordinator {
    /// A coordinator over already-built initial runners.
    pub(super) fn new(
        plan: RunPlan,
        runners: Vec<LaneRunner>,
        jobs: Sender<Job>,
        done: Receiver<Returned>,
        commands: Receiver<Command>,
        events: Sender<Event>,
    ) -> Self {
        let now = Instant::now();
        let slots = plan
            .lanes
            .iter()
            .zip(runners)
            .map(|(spec, runner)| Slot {
                id: runner.id(),
                spec: spec.clone(),
                stream: runner.stream(),
                generation: 0,
                state: SlotState::Parked(Box::new(runner)),
                interrupt: Arc::new(AtomicBool::new(false)),
                tokens: 0.0,
                last_refill: now,
                position: 0,
                mean_length: None,
            })
            .collect::<Vec<_>>();
        Self {
            next_id: slots.len() as LaneId,
            paused: plan.paused,
            speed: plan.speed,
            plan,
            slots,
            jobs,
            done,
            commands,
            events,
            outstanding: 0,
            stopping: false,
            pending_shift: None,
        }
    }

    /// Runs until every lane is done or a stop completes, then sends `Finished`.
    pub(super) fn run(mut self) {
        for slot in &self.slots {
            self.emit(Event::LaneAdded {
                lane: slot.id,
                spec: Box::new(slot.spec.clone()),
            });
        }
        self.emit(Event::Paused(self.paused));
        self.dispatch_parked(None);
        loop {
            if self.stopping && self.outstanding == 0 {
                break;
            }
            if !self.stopping && self.all_finished() {
                break;
            }
            let throttled = matches!(self.speed, Speed::StepsPerSecond(_)) && !self.paused;
            let tick = if throttled {
                crossbeam_channel::after(THROTTLE_TICK)
            } else {
                crossbeam_channel::never()
            };
            select! {
                recv(self.done) -> msg => match msg {
                    Ok(returned) => self.on_returned(returned),
                    Err(_) => break,
                },
                recv(self.commands) -> msg => match msg {
                    Ok(command) => self.on_command(command),
                    // The front end is gone: stop cleanly.
                    Err(_) => self.stop(),
                },
                recv(tick) -> _ => self.dispatch_parked(None),
            }
        }
        let stopped = self.stopping;
        if stopped && self.plan.save_states {
            // Lanes stopped before their budget keep what they learned so far, as the
            // partial report keeps their episodes.
            for slot in &self.slots {
                if let SlotState::Parked(runner) = &slot.state {
                    let state = runner.save_state();
                    if state.is_some() {
                        self.emit(Event::LaneStopped {
                            lane: slot.id,
                            state,
                        });
                    }
                }
            }
        }
        self.emit(Event::Finished { stopped });
    }

    fn emit(&self, event: Event) {
        // A front end that has gone away needs no more events.
        let _ = self.events.send(event);
    }

    /// True when the budget is bounded and every lane is done or failed.
    fn all_finished(&self) -> bool {
        self.plan.budget != super::plan::Budget::Unbounded
            && self
                .slots
                .iter()
                .all(|s| matches!(s.state, SlotState::Done | SlotState::Failed))
    }

    fn on_returned(&mut self, returned: Returned) {
        self.outstanding -= 1;
        self.record_return(returned);
        self.apply_pending_shift();
    }

    fn record_return(&mut self, returned: Returned) {
        let Returned { job, result } = returned;
        let Some(slot) = self.slots.iter_mut().find(|s| s.id == job.runner.id()) else {
            return; // removed while out
        };
        if slot.generation != job.runner.generation() {
            return; // switched or reset while out
        }
        match result {
            Err(err) => {
                slot.state = SlotState::Failed;
                let lane = slot.id;
                self.emit(Event::LaneFailed {
                    lane,
                    message: err.to_string(),
                });
            }
            Ok(SliceStatus::Done) => {
                slot.state = SlotState::Done;
                let state = if self.plan.save_states {
                    job.runner.save_state()
                } else {
                    None
                };
                let lane = slot.id;
                self.emit(Event::LaneFinished { lane, state });
            }
            Ok(SliceStatus::More) => {
                slot.position = job.runner.next_episode();
                slot.mean_length = job.runner.mean_episode_length();
                slot.state = SlotState::Parked(job.runner);
                if !self.paused && !self.stopping {
                    let id = slot.id;
                    // Under a pace, any return may release lanes that were waiting for it.
                    let only = self.plan.pace.is_none().then_some(id);
                    self.dispatch_parked(only);
                }
                return;
            }
        }
        if self.plan.pace.is_some() {
            // A lane that stops for good no longer holds the others back.
            self.dispatch_parked(None);
        }
    }

    /// The slowest active lane's position, optionally leaving one lane out.
    fn slowest_position(&self, except: Option<LaneId>) -> Option<u64> {
        pace::slowest(
            self.slots
                .iter()
                .filter(|s| s.active() && Some(s.id) != except)
                .map(|s| s.position),
        )
    }

    /// Where a new or restarted lane starts: beside the others under a pace, else at 0.
    fn start_position(&self, except: Option<LaneId>) -> u64 {
        match self.plan.pace {
            Some(_) => self.slowest_position(except).unwrap_or(0),
            None => 0,
        }
    }

    /// Sends parked lanes (all, or just `only`) out if speed allows.
    fn dispatch_parked(&mut self, only: Option<LaneId>) {
        if self.paused || self.stopping || self.pending_shift.is_some() {
            return;
        }
        let now = Instant::now();
        let slowest = self.slowest_position(None).unwrap_or(0);
        // Under a pace, no more lanes out than workers, slowest first: lanes take turns by
        // position instead of racing to the lead and idling behind a lane stuck in the queue.
        let mut order: Vec<usize> = (0..self.slots.len()).collect();
        let mut free = usize::MAX;
        if self.plan.pace.is_some() {
            order.sort_by_key(|&i| self.slots[i].position);
            free = self.plan.threads.max(1).saturating_sub(self.outstanding);
        }
        for i in order {
            if free == 0 {
                break;
            }
            let slot = &mut self.slots[i];
            if only.is_some_and(|id| id != slot.id) || !matches!(slot.state, SlotState::Parked(_)) {
                continue;
            }
            let paced_steps = match self.plan.pace {
                None => u64::MAX,
                Some(lead) => match pace::slice_episodes(lead, slot.position, slowest) {
                    0 => continue,
                    episodes => pace::steps_for(episodes, slot.mean_length),
                },
            };
            let max_steps = match self.speed {
                Speed::Max => paced_steps,
                Speed::StepsPerSecond(rate) => {
                    let dt = now.duration_since(slot.last_refill).as_secs_f64();
                    slot.last_refill = now;
                    // Cap the allowance so a lane never bursts after waiting.
                    let cap = (rate * SLICE.as_secs_f64() * 2.0).max(1.0);
                    slot.tokens = (slot.tokens + rate * dt).min(cap);
                    if slot.tokens < 1.0 {
                        continue;
                    }
                    let steps = slot.tokens.floor().min(paced_steps as f64);
                    slot.tokens -= steps;
                    steps as u64
                }
            };
            if let Some(runner) = take_parked(slot) {
                send_job(&self.jobs, &mut self.outstanding, slot, runner, max_steps);
                free = free.saturating_sub(1);
            }
        }
    }

    fn on_command(&mut self, command: Command) {
        match command {
            Command::Pause => {
                self.paused = true;
                for slot in &self.slots {
                    slot.interrupt.store(true, Ordering::Relaxed);
                }
                self.emit(Event::Paused(true));
            }
            Command::Resume => {
                self.paused = false;
                self.refill_now();
                self.emit(Event::Paused(false));
                self.dispatch_parked(None);
            }
            Command::Step => {
                if self.paused && !self.stopping && self.pending_shift.is_none() {
                    for slot in &mut self.slots {
                        if let Some(runner) = take_parked(slot) {
                            send_job(&self.jobs, &mut self.outstanding, slot, runner, 1);
                        }
                    }
                }
            }
            Command::SetSpeed(speed) => {
                self.speed = speed;
                self.refill_now();
                self.dispatch_parked(None);
            }
            Command::AddLane(spec) => self.add_lane(spec),
            Command::RemoveLane(id) => {
                if let Some(pos) = self.slots.iter().position(|s| s.id == id) {
                    let slot = self.slots.remove(pos);
                    slot.interrupt.store(true, Ordering::Relaxed);
                    self.emit(Event::LaneRemoved { lane: id });
                    if self.plan.pace.is_some() {
                        self.dispatch_parked(None);
                    }
                }
            }
            Command::SwitchAgent(id, agent) => {
                if let Some(pos) = self.slots.iter().position(|s| s.id == id) {
                    let others = self.slots.iter().filter(|s| s.id != id);
                    let label = unique_label(
                        agent.info().name,
                        others
                            .map(|s| s.spec.label.as_str())
                            .collect::<Vec<_>>()
                            .into_iter(),
                    );
                    let spec = LaneSpec {
                        label,
                        agent,
                        initial_state: None,
                        seed: self.slots[pos].spec.seed,
                    };
                    let start = self.start_position(Some(id));
                    self.restart(pos, spec, start);
                }
            }
            Command::ResetAll => {
                for pos in 0..self.slots.len() {
                    let mut spec = self.slots[pos].spec.clone();
                    spec.initial_state = None;
                    self.restart(pos, spec, 0);
                }
            }
            Command::ApplyShift(shift) => self.request_shift(*shift),
            Command::Stop => self.stop(),
        }
    }

    /// Holds every lane at its next slice boundary so that the shift can be placed after
    /// everything any lane has begun.
    fn request_shift(&mut self, shift: LiveShift) {
        if self.stopping || self.pending_shift.is_some() {
            self.emit(Event::ShiftRejected {
                field: String::new(),
                message: "another change is still being applied, or the run is stopping".into(),
            });
            return;
        }
        for slot in &self.slots {
            slot.interrupt.store(true, Ordering::Relaxed);
        }
        self.pending_shift = Some(shift);
        self.apply_pending_shift();
    }

    /// Once no lane is out, appends the pending shift at the first training episode no lane
    /// has begun, gives every lane the new setup, and lets the lanes go on.
    fn apply_pending_shift(&mut self) {
        if self.outstanding > 0 {
            return;
        }
        let Some(shift) = self.pending_shift.take() else {
            return;
        };
        let reached = self
            .slots
            .iter()
            .filter_map(|slot| match &slot.state {
                SlotState::Parked(runner) => runner.first_unbegun_episode(),
                _ => None,
            })
            .max();
        let after_last = self.plan.env.shifts().last().map_or(1, |s| s.episode + 1);
        let built = match reached {
            Some(reached) => live_setup(&*self.plan.env, &shift, reached.max(after_last)),
            None => Err(FieldError::new("", "no lane is training any more")),
        };
        match built {
            Ok((setup, environment)) => {
                for slot in &mut self.slots {
                    if let SlotState::Parked(runner) = &mut slot.state {
                        runner.adopt_setup(&*setup);
                    }
                }
                let info = setup
                    .shifts()
                    .last()
                    .cloned()
                    .expect("a shift was appended");
                self.plan.env = setup;
                self.emit(Event::ShiftApplied {
                    shift: info,
                    environment: Box::new(environment),
                });
            }
            Err(error) => self.emit(Event::ShiftRejected {
                field: error.field,
                message: error.message,
            }),
        }
        self.dispatch_parked(None);
    }

    fn stop(&mut self) {
        self.stopping = true;
        for slot in &self.slots {
            slot.interrupt.store(true, Ordering::Relaxed);
        }
    }

    /// Lets every lane start its throttled allowance from now.
    fn refill_now(&mut self) {
        let now = Instant::now();
        for slot in &mut self.slots {
            slot.last_refill = now;
            slot.tokens = slot.tokens.max(1.0);
        }
    }

    fn add_lane(&mut self, mut spec: LaneSpec) {
        let id = self.next_id;
        self.next_id += 1;
        spec.label = unique_label(
            &spec.label,
            self.slots
                .iter()
                .map(|s| s.spec.label.as_str())
                .collect::<Vec<_>>()
                .into_iter(),
        );
        self.emit(Event::LaneAdded {
            lane: id,
            spec: Box::new(spec.clone()),
        });
        let start = self.start_position(None);
        let stream = self.free_stream(&spec, None);
        let state = match LaneRunner::new(id, 0, &spec, stream, &self.plan) {
            Ok(mut runner) => {
                runner.start_at(start);
                SlotState::Parked(Box::new(runner))
            }
            Err(err) => {
                self.emit(Event::LaneFailed {
                    lane: id,
                    message: err.to_string(),
                });
                SlotState::Failed
            }
        };
        self.slots.push(Slot {
            id,
            spec,
            stream,
            generation: 0,
            state,
            interrupt: Arc::new(AtomicBool::new(false)),
            tokens: 1.0,
            last_refill: Instant::now(),
            position: start,
            mean_length: None,
        });
        self.dispatch_parked(Some(id));
    }

    /// The streams a lane of `spec` gets: its agent's first occurrence not used by another
    /// live lane (`replacing` is the slot being rebuilt, whose own streams are free).
    fn free_stream(&self, spec: &LaneSpec, replacing: Option<usize>) -> AgentStream {
        let others = self
            .slots
            .iter()
            .enumerate()
            .filter(|&(pos, _)| Some(pos) != replacing)
            .map(|(_, slot)| &slot.stream);
        AgentStream::assign(&spec.agent, spec.seed.unwrap_or(self.plan.seed), others)
    }

    /// Replaces the lane at `pos` with a fresh runner of `spec` (a new generation) that
    /// starts at training episode `start`.
    fn restart(&mut self, pos: usize, spec: LaneSpec, start: u64) {
        let stream = self.free_stream(&spec, Some(pos));
        let slot = &mut self.slots[pos];
        slot.stream = stream;
        slot.interrupt.store(true, Ordering::Relaxed);
        slot.interrupt = Arc::new(AtomicBool::new(false));
        slot.generation += 1;
        slot.spec = spec.clone();
        let (id, generation) = (slot.id, slot.generation);
        let built = LaneRunner::new(id, generation, &spec, stream, &self.plan);
        self.slots[pos].position = start;
        self.slots[pos].mean_length = None;
        // The reset comes first: front ends clear a lane on `LaneReset`, so a failure sent
        // before it would be wiped and the lane shown as running.
        self.emit(Event::LaneReset {
            lane: id,
            spec: Box::new(spec),
            generation,
        });
        self.slots[pos].state = match built {
            Ok(mut runner) => {
                runner.start_at(start);
                SlotState::Parked(Box::new(runner))
            }
            Err(err) => {
                self.emit(Event::LaneFailed {
                    lane: id,
                    message: err.to_string(),
                });
                SlotState::Failed
            }
        };
        self.dispatch_parked(Some(id));
    }
}

/// The running setup `current` with `shift` appended at `at_episode`, and its configuration.
/// Refused when the configuration the front end sent is not the running one, when the new
/// population is invalid, or when it would change what agents were built for.
fn live_setup(
    current: &dyn EnvSetup,
    shift: &LiveShift,
    at_episode: u64,
) -> Result<(Arc<dyn EnvSetup>, EnvironmentConfig), FieldError> {
    let base = scenario::build_env(&shift.environment)?;
    if base.shifts() != current.shifts() || base.spec() != current.spec() {
        return Err(FieldError::new(
            "",
            "the configuration sent is not the running one (a change was applied meanwhile)",
        ));
    }
    let (environment, setup) =
        live_shift::shifted(&shift.environment, at_episode, shift.population.clone())?;
    Ok((setup, environment))
}

fn take_parked(slot: &mut Slot) -> Option<Box<LaneRunner>> {
    match std::mem::replace(&mut slot.state, SlotState::Out) {
        SlotState::Parked(runner) => Some(runner),
        other => {
            slot.state = other;
            None
        }
    }
}

fn send_job(
    jobs: &Sender<Job>,
    outstanding: &mut usize,
    slot: &mut Slot,
    runner: Box<LaneRunner>,
    max_steps: u64,
) {
    slot.interrupt.store(false, Ordering::Relaxed);
    let job = Job {
        runner,
        max_steps,
        interrupt: Arc::clone(&slot.interrupt),
    };
    match jobs.send(job) {
        Ok(()) => *outstanding += 1,
        // Workers only stop after the coordinator drops the sender, so this cannot
        // happen while we run; keep the lane rather than lose it if it ever does.
        Err(err) => slot.state = SlotState::Parked(err.into_inner().runner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agent::AgentSpec;
    use crate::engine::plan::{Budget, lanes_for};
    use crate::scenario;
    use crossbeam_channel::unbounded;

    #[test]
    fn a_failing_restart_is_reported_after_its_reset() {
        let s = scenario::load("choc-kale").unwrap();
        let plan = RunPlan::new(
            s.env.clone(),
            7,
            lanes_for(&[AgentSpec::Random]),
            Budget::Unbounded,
        );
        let stream = AgentStream::assign(&plan.lanes[0].agent, plan.seed, []);
        let runner = LaneRunner::new(0, 0, &plan.lanes[0], stream, &plan).unwrap();
        // No workers: the test drives the coordinator by hand and reads its events.
        let (job_tx, _job_rx) = unbounded();
        let (_done_tx, done_rx) = unbounded();
        let (_command_tx, command_rx) = unbounded();
        let (event_tx, event_rx) = unbounded();
        let mut coordinator =
            Coordinator::new(plan, vec![runner], job_tx, done_rx, command_rx, event_tx);
        // `random` keeps no learned state, so loading one fails while the lane is built.
        let mut spec = coordinator.slots[0].spec.clone();
        spec.initial_state = Some(serde_json::Value::Null);
        coordinator.restart(0, spec, 0);
        let events: Vec<Event> = event_rx.try_iter().collect();
        assert!(
            matches!(
                events.as_slice(),
                [
                    Event::LaneReset {
                        lane: 0,
                        generation: 1,
                        ..
                    },
                    Event::LaneFailed { lane: 0, .. }
                ]
            ),
            "{events:?}"
        );
        assert!(matches!(coordinator.slots[0].state, SlotState::Failed));
    }
}
