//! One environment playing the episodes of one seed, exactly as a lane of `slatelab run` meets
//! them: episode `e` of seed `s` draws its user, documents and responses from
//! `EnvRngs::for_episode(s, Train, e)`, and a fixed corpus comes from `EnvSetup::build(s)`.

use std::sync::Arc;

use slatelab::sim::common::MAX_EPISODE_STEPS;
use slatelab::sim::rng::{EnvRngs, Phase};
use slatelab::sim::schedule::population_index;
use slatelab::sim::{EnvSetup, Environment, ObsSpec, Observation};

/// What one step did, with the episode's running totals after it.
#[derive(Clone, Copy, Debug, Default)]
pub struct StepReport {
    /// The reward.
    pub reward: f64,
    /// The slate position consumed, or −1.
    pub clicked: i64,
    /// The consumed item's engagement (0 without a click).
    pub engagement: f64,
    /// The user's satisfaction readout after the step.
    pub satisfaction: f64,
    /// The user ended the episode (a terminal state).
    pub terminated: bool,
    /// A step cap ended it (not terminal: learners should bootstrap).
    pub truncated: bool,
    /// Running totals of the episode, this step included.
    pub totals: Totals,
    /// Index of the episode within its seed's stream.
    pub episode: u64,
}

/// An episode's running totals.
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    /// Sum of rewards.
    pub episode_return: f64,
    /// Clicks.
    pub clicks: u32,
    /// Sum of engagement.
    pub engagement: f64,
    /// Steps taken.
    pub steps: u32,
}

/// An environment, its random streams and its observation buffers.
pub struct Episodes {
    setup: Arc<dyn EnvSetup>,
    env: Box<dyn Environment>,
    seed: u64,
    rngs: EnvRngs,
    obs: Observation,
    next: Observation,
    /// Index of the current episode within the seed's stream.
    index: u64,
    totals: Totals,
}

impl Episodes {
    /// An environment for `seed`, before its first reset.
    pub fn new(setup: Arc<dyn EnvSetup>, seed: u64) -> Self {
        let spec = setup.spec().clone();
        Self {
            env: setup.build(seed),
            setup,
            seed,
            rngs: EnvRngs::for_episode(seed, Phase::Train, 0),
            obs: Observation::new(&spec),
            next: Observation::new(&spec),
            index: 0,
            totals: Totals::default(),
        }
    }

    /// The observation shape.
    pub fn spec(&self) -> &ObsSpec {
        self.env.spec()
    }

    /// The current observation.
    pub fn observation(&self) -> &Observation {
        &self.obs
    }

    /// The seed whose episodes are played.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The population segment of the current user.
    pub fn segment(&self) -> usize {
        self.env.segment()
    }

    /// Switches to `seed`'s episodes (rebuilding the environment, whose fixed corpus, if any,
    /// the seed draws).
    pub fn reseed(&mut self, seed: u64) {
        if seed != self.seed {
            self.env = self.setup.build(seed);
            self.seed = seed;
        }
    }

    /// What a step of the episode just started reports: no reward, no click, no totals yet.
    pub fn started(&self) -> StepReport {
        StepReport {
            clicked: -1,
            episode: self.index,
            ..StepReport::default()
        }
    }

    /// Starts episode `index` of the current seed, with the users of the population the
    /// scenario's schedule has in force then (as the engine's training episode `index`).
    pub fn start(&mut self, index: u64) {
        self.index = index;
        self.rngs = EnvRngs::for_episode(self.seed, Phase::Train, index);
        self.env
            .select_population(population_index(self.setup.shifts(), index));
        self.env.reset(&mut self.rngs, &mut self.obs);
        self.totals = Totals::default();
    }

    /// Serves a checked slate (K distinct indices below N).
    pub fn step(&mut self, slate: &[usize]) -> StepReport {
        let outcome = self.env.step(slate, &mut self.rngs, &mut self.next);
        std::mem::swap(&mut self.obs, &mut self.next);
        let t = &mut self.totals;
        t.episode_return += outcome.reward;
        t.engagement += outcome.engagement;
        t.clicks += u32::from(outcome.clicked.is_some());
        t.steps += 1;
        // The engine's rule: its step ceiling cuts an episode nothing else ended.
        let at_ceiling = !outcome.done && !outcome.truncated && t.steps >= MAX_EPISODE_STEPS;
        StepReport {
            reward: outcome.reward,
            clicked: outcome.clicked.map_or(-1, |c| c as i64),
            engagement: outcome.engagement,
            satisfaction: outcome.satisfaction,
            terminated: outcome.done,
            truncated: (outcome.truncated || at_ceiling) && !outcome.done,
            totals: *t,
            episode: self.index,
        }
    }
}
