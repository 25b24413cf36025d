//! One lane's simulation loop: an agent and its own copy of the environment.
//!
//! A lane's results depend only on the seed and its agent (never on its position, the
//! other lanes, which worker thread runs it or how its work is sliced), because every
//! random stream is derived from (seed, purpose, agent stream, episode) and the lane runs
//! its steps strictly in order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::agent::{ActContext, Agent, AgentInfo, Mode, Transition};
use crate::metrics::episode::{EpisodeAccumulator, EpisodeSummary};
use crate::sim::common::MAX_EPISODE_STEPS;
use crate::sim::rng::{EnvRngs, Phase, Purpose, SimRng, StreamKey};
use crate::sim::schedule::{ShiftInfo, population_index};
use crate::sim::{EnvSetup, Environment, ObsSpec, Observation, OracleView, StepOutcome};

use super::agent_stream::AgentStream;
use super::event::{EpisodeReadout, LaneProgress};
use super::plan::{Budget, LaneId, LaneSpec, RunPlan};
use super::trace::TraceRing;
use crate::metrics::curve::CurveBlocks;

/// How often (in steps) the loop looks at the clock and the interrupt flag.
const CHECK_EVERY: u64 = 64;

/// Why a lane stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum LaneError {
    /// The agent served an invalid slate: a bug in the agent, reported rather than simulated.
    #[error("agent `{agent}` served an invalid slate {slate:?} (K = {k}, N = {n})")]
    InvalidSlate {
        /// Agent name.
        agent: String,
        /// The slate.
        slate: Vec<usize>,
        /// Slate size.
        k: usize,
        /// Candidates.
        n: usize,
    },
    /// The agent failed while learning.
    #[error(transparent)]
    Agent(#[from] crate::agent::AgentError),
    /// The agent's parameters do not fit the environment.
    #[error("invalid agent parameters: {}: {}", .0.field, .0.message)]
    InvalidAgent(crate::sim::FieldError),
    /// The agent could not load its initial state.
    #[error("cannot load the agent's state: {0}")]
    Checkpoint(#[from] crate::agent::CheckpointError),
}

/// How much work one slice may do.
#[derive(Clone, Copy, Debug)]
pub struct SliceLimit {
    /// Most environment steps.
    pub max_steps: u64,
    /// Stop at the first clock check after this instant.
    pub deadline: Instant,
}

/// Whether a lane has more to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceStatus {
    /// Budget not met yet.
    More,
    /// Training (and evaluation) done.
    Done,
}

/// The state of one lane: everything needed to continue exactly where it stopped.
pub struct LaneRunner {
    id: LaneId,
    generation: u32,
    /// Whose random streams the agent draws from (not the lane's position).
    stream: AgentStream,
    info: AgentInfo,
    env: Box<dyn Environment>,
    agent: Box<dyn Agent>,
    spec: ObsSpec,
    seed: u64,
    budget: Budget,
    eval_episodes: u64,
    phase: Phase,
    obs: Observation,
    next: Observation,
    slate: Vec<usize>,
    env_rngs: EnvRngs,
    act_rng: SimRng,
    learn_rng: SimRng,
    acc: EpisodeAccumulator,
    /// Index of the current episode (or the next one when not in an episode).
    episode: u64,
    in_episode: bool,
    train_steps: u64,
    train_episodes: u64,
    wall: Duration,
    trace: Option<TraceRing>,
    /// Where learner readouts are taken (see [`RunPlan::learner_readouts`]).
    readout_blocks: Option<CurveBlocks>,
    /// Readouts taken since the last [`LaneRunner::take_readouts`].
    readouts: Vec<EpisodeReadout>,
    /// The scenario's scheduled population shifts (training episodes at which they apply).
    shifts: Vec<ShiftInfo>,
    /// An environment built from a setup with a live shift appended, taking over from
    /// [`Self::env`] at the next episode boundary (the current user, if any, stays).
    pending_env: Option<Box<dyn Environment>>,
}

impl LaneRunner {
    /// Builds the lane's environment and agent, drawing from `stream`'s agent streams.
    /// Fails if the agent does not fit the environment or its initial state does not load.
    pub fn new(
        id: LaneId,
        generation: u32,
        lane: &LaneSpec,
        stream: AgentStream,
        plan: &RunPlan,
    ) -> Result<Self, LaneError> {
        let setup: &dyn EnvSetup = &*plan.env;
        let (seed, budget, eval_episodes, trace) = (
            lane.seed.unwrap_or(plan.seed),
            plan.budget,
            plan.eval_episodes,
            plan.trace,
        );
        let spec = setup.spec().clone();
        let mut init_rng = key(seed, Purpose::AgentInit, stream, 0, Phase::Train).rng();
        let checked = lane.agent.check(&spec).map_err(LaneError::InvalidAgent)?;
        let mut agent = checked.build(&mut init_rng);
        if let Some(state) = &lane.initial_state {
            agent.load_state(state.clone())?;
        }
        Ok(Self {
            id,
            generation,
            stream,
            info: lane.agent.info(),
            env: setup.build(seed),
            agent,
            obs: Observation::new(&spec),
            next: Observation::new(&spec),
            slate: Vec::with_capacity(spec.slate_size),
            spec,
            seed,
            budget,
            eval_episodes,
            phase: Phase::Train,
            env_rngs: EnvRngs::for_episode(seed, Phase::Train, 0),
            act_rng: key(seed, Purpose::AgentAct, stream, 0, Phase::Train).rng(),
            learn_rng: key(seed, Purpose::AgentLearn, stream, 0, Phase::Train).rng(),
            acc: EpisodeAccumulator::default(),
            episode: 0,
            in_episode: false,
            train_steps: 0,
            train_episodes: 0,
            wall: Duration::ZERO,
            trace: trace.then(TraceRing::new),
            readout_blocks: plan.learner_readouts.filter(|_| lane.agent.info().learns),
            readouts: Vec::new(),
            shifts: setup.shifts().to_vec(),
            pending_env: None,
        })
    }

    /// The first training episode this lane has not begun (`None` once it evaluates): a
    /// live shift from this episode on changes nothing the lane has already run.
    pub fn first_unbegun_episode(&self) -> Option<u64> {
        (self.phase == Phase::Train).then(|| self.episode + u64::from(self.in_episode))
    }

    /// Takes `setup` (the running one with shifts appended after
    /// [`Self::first_unbegun_episode`]) from the next episode boundary on. The environment is
    /// rebuilt from the same seed, and environments keep no state from one episode to the
    /// next, so the lane goes on exactly as if `setup` had been its setup from the start.
    /// Ignored once the lane evaluates (its users then come from its last training episode).
    pub fn adopt_setup(&mut self, setup: &dyn EnvSetup) {
        if self.phase == Phase::Train {
            self.shifts = setup.shifts().to_vec();
            self.pending_env = Some(setup.build(self.seed));
        }
    }

    /// Switches to the environment of an adopted setup (between episodes only).
    fn take_pending_env(&mut self) {
        if let Some(env) = self.pending_env.take() {
            self.env = env;
        }
    }

    /// The learner readouts taken since the last call, in episode order.
    pub fn take_readouts(&mut self) -> Vec<EpisodeReadout> {
        std::mem::take(&mut self.readouts)
    }

    /// The lane id.
    pub fn id(&self) -> LaneId {
        self.id
    }

    /// Whose random streams the agent draws from.
    pub fn stream(&self) -> AgentStream {
        self.stream
    }

    /// The lane's generation.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Index of the next training episode (the users it will meet next).
    pub fn next_episode(&self) -> u64 {
        match self.phase {
            Phase::Train => self.episode,
            Phase::Eval => u64::MAX,
        }
    }

    /// Mean length of this lane's training episodes so far, if it finished any.
    pub fn mean_episode_length(&self) -> Option<f64> {
        (self.train_episodes > 0).then(|| self.train_steps as f64 / self.train_episodes as f64)
    }

    /// Makes a fresh lane start at training episode `episode` instead of 0, so that it meets
    /// the users the other lanes are meeting now. Ignored once the lane has taken a step.
    pub fn start_at(&mut self, episode: u64) {
        if self.train_steps == 0 && !self.in_episode && self.phase == Phase::Train {
            self.episode = episode;
        }
    }

    /// The agent's learned state, for checkpoints.
    pub fn save_state(&self) -> Option<serde_json::Value> {
        self.agent.save_state()
    }

    /// A progress report for front ends.
    pub fn progress(&self) -> LaneProgress {
        LaneProgress {
            lane: self.id,
            generation: self.generation,
            phase: self.phase,
            env_steps: self.train_steps,
            episodes: self.train_episodes,
            wall_seconds: self.wall.as_secs_f64(),
            internals: self.agent.internals(),
            trace: self
                .trace
                .as_ref()
                .map(TraceRing::ordered)
                .unwrap_or_default(),
        }
    }

    /// Whether the training budget is met (checked only between episodes).
    fn training_done(&self) -> bool {
        match self.budget {
            Budget::Episodes(n) => self.train_episodes >= n,
            Budget::Steps(n) => self.train_steps >= n,
            Budget::Unbounded => false,
        }
    }

    /// Runs steps until the limit, the interrupt flag, or the end of the budget.
    /// Finished episodes are appended to `out` (one phase per slice: a slice stops
    /// when training turns into evaluation).
    pub fn run_slice(
        &mut self,
        limit: SliceLimit,
        interrupt: &AtomicBool,
        out: &mut Vec<EpisodeSummary>,
    ) -> Result<SliceStatus, LaneError> {
        let started = Instant::now();
        let result = self.run_steps(limit, interrupt, out);
        self.wall += started.elapsed();
        result
    }

    fn run_steps(
        &mut self,
        limit: SliceLimit,
        interrupt: &AtomicBool,
        out: &mut Vec<EpisodeSummary>,
    ) -> Result<SliceStatus, LaneError> {
        let phase_at_start = self.phase;
        let mut steps = 0u64;
        loop {
            if !self.in_episode {
                if self.phase == Phase::Train && self.training_done() {
                    if self.eval_episodes == 0 {
                        return Ok(SliceStatus::Done);
                    }
                    self.take_pending_env();
                    self.phase = Phase::Eval;
                    // Evaluation users come from the population in force at the end of
                    // training: the one of the last training episode.
                    let last = self.episode.saturating_sub(1);
                    self.env
                        .select_population(population_index(&self.shifts, last));
                    self.episode = 0;
                    self.agent.set_mode(Mode::Eval);
                }
                if self.phase == Phase::Eval && self.episode >= self.eval_episodes {
                    return Ok(SliceStatus::Done);
                }
                if self.phase != phase_at_start {
                    // Keep each slice's summaries in one phase.
                    return Ok(SliceStatus::More);
                }
                self.begin_episode();
            }
            if steps >= limit.max_steps {
                return Ok(SliceStatus::More);
            }
            if steps > 0
                && steps.is_multiple_of(CHECK_EVERY)
                && (interrupt.load(Ordering::Relaxed) || Instant::now() >= limit.deadline)
            {
                return Ok(SliceStatus::More);
            }
            self.step(out)?;
            steps += 1;
        }
    }

    fn begin_episode(&mut self) {
        let (seed, phase, e) = (self.seed, self.phase, self.episode);
        self.env_rngs = EnvRngs::for_episode(seed, phase, e);
        self.act_rng = key(seed, Purpose::AgentAct, self.stream, e, phase).rng();
        // Learning draws (e.g. replay sampling) continue one stream per training episode.
        if phase == Phase::Train {
            self.take_pending_env();
            self.learn_rng = key(seed, Purpose::AgentLearn, self.stream, e, phase).rng();
            // The same streams as without shifts; only the population they draw from changes.
            self.env
                .select_population(population_index(&self.shifts, e));
        }
        self.env.reset(&mut self.env_rngs, &mut self.obs);
        self.acc.reset();
        self.in_episode = true;
    }

    fn step(&mut self, out: &mut Vec<EpisodeSummary>) -> Result<(), LaneError> {
        self.slate.clear();
        let oracle: &dyn OracleView = &*self.env;
        let ctx = ActContext {
            obs: &self.obs,
            spec: &self.spec,
            oracle: self.info.oracle.then_some(oracle),
        };
        self.agent.act(&ctx, &mut self.act_rng, &mut self.slate);
        self.agent.health()?;
        self.check_slate()?;
        let outcome = self
            .env
            .step(&self.slate, &mut self.env_rngs, &mut self.next);
        self.acc.record(&outcome);
        let (truncated, at_ceiling) = truncation(&outcome, self.acc.steps());
        if let Some(trace) = &mut self.trace {
            trace.record(self.episode, &self.obs, &self.slate, &outcome);
        }
        let training = self.phase == Phase::Train;
        if training && self.info.learns {
            let t = Transition {
                obs: &self.obs,
                slate: &self.slate,
                next_obs: &self.next,
                reward: outcome.reward,
                clicked: outcome.clicked,
                terminal: outcome.done,
                truncated,
            };
            self.agent.learn(&t, &mut self.learn_rng)?;
        }
        std::mem::swap(&mut self.obs, &mut self.next);
        if training {
            self.train_steps += 1;
        }
        if outcome.done || truncated {
            let mut summary = self.acc.finish(self.episode, self.env.segment() as u32);
            summary.at_ceiling = at_ceiling;
            out.push(summary);
            self.episode += 1;
            if training {
                self.train_episodes += 1;
            }
            self.in_episode = false;
            self.read_learner_if_due(training);
        }
        Ok(())
    }

    /// Reads the learner's internals after an episode that closes a curve block, or ends
    /// the phase (so the last, partial block has its readout too).
    fn read_learner_if_due(&mut self, training: bool) {
        let Some(blocks) = self.readout_blocks else {
            return;
        };
        let phase_ends = if training {
            self.training_done()
        } else {
            self.episode >= self.eval_episodes
        };
        if phase_ends || blocks.closes_block_at(self.episode) {
            self.readouts.push(EpisodeReadout {
                episode: self.episode - 1,
                internals: self.agent.internals(),
            });
        }
    }

    /// Rejects slates of the wrong size, out of range, or with repeats.
    fn check_slate(&self) -> Result<(), LaneError> {
        let (k, n) = (self.spec.slate_size, self.spec.num_candidates);
        let ok = self.slate.len() == k
            && self.slate.iter().all(|&i| i < n)
            && self
                .slate
                .iter()
                .enumerate()
                .all(|(j, i)| !self.slate[..j].contains(i));
        if ok {
            Ok(())
        } else {
            Err(LaneError::InvalidSlate {
                agent: self.info.name.to_owned(),
                slate: self.slate.clone(),
                k,
                n,
            })
        }
    }
}

/// Whether a step truncates the episode (ends it without a terminal state, so learners
/// bootstrap), and whether the engine's step ceiling did so: the backstop for an episode that
/// neither the user nor a configured cap ends. `steps` counts this step.
fn truncation(outcome: &StepOutcome, steps: u32) -> (bool, bool) {
    let at_ceiling = !outcome.done && !outcome.truncated && steps >= MAX_EPISODE_STEPS;
    (
        (outcome.truncated || at_ceiling) && !outcome.done,
        at_ceiling,
    )
}

fn key(seed: u64, purpose: Purpose, agent: AgentStream, episode: u64, phase: Phase) -> StreamKey {
    StreamKey {
        seed,
        purpose,
        lane: agent.key_lane(),
        episode,
        phase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(done: bool, truncated: bool) -> StepOutcome {
        StepOutcome {
            done,
            truncated,
            ..StepOutcome::default()
        }
    }

    #[test]
    fn the_ceiling_truncates_only_what_nothing_else_ended() {
        let open = outcome(false, false);
        assert_eq!(truncation(&open, MAX_EPISODE_STEPS - 1), (false, false));
        // Cut at the ceiling: truncated for learners, not terminal, and flagged.
        assert_eq!(truncation(&open, MAX_EPISODE_STEPS), (true, true));
        // A configured cap or the user ending the episode at the same step is not the ceiling.
        assert_eq!(
            truncation(&outcome(false, true), MAX_EPISODE_STEPS),
            (true, false)
        );
        assert_eq!(
            truncation(&outcome(true, false), MAX_EPISODE_STEPS),
            (false, false)
        );
        assert_eq!(truncation(&outcome(true, true), 3), (false, false));
    }
}
