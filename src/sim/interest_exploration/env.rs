//! The Interest Exploration environment: a state machine over the episode's random streams.

use std::cell::RefCell;

use super::documents::DocumentModel;
use super::model::IexModel;
use super::user::{INITIAL_SATISFACTION, SATISFACTION_RATE, UserModel, normalised_affinity};
use crate::sim::common::top_k_by;
use crate::sim::rng::{EnvRngs, Phase, Purpose, StreamKey};
use crate::sim::schedule::PopulationSchedule;
use crate::sim::{Environment, Hidden, ObsSpec, Observation, OracleView, ResponseObs, StepOutcome};

/// Buffers the `&self` oracle methods fill; sized for a slate once, so they never allocate.
#[derive(Clone, Debug, Default)]
struct SlateScratch {
    scores: Vec<f64>,
    probs: Vec<f64>,
}

/// One Interest Exploration world: the current user and the candidates on offer.
#[derive(Clone, Debug)]
pub struct IexEnv {
    spec: ObsSpec,
    population: PopulationSchedule<UserModel>,
    max_steps: u32,
    resample: bool,
    documents: DocumentModel,
    /// Topic of each current candidate.
    topics: Vec<u32>,
    /// Quality of each current candidate.
    quality: Vec<f64>,
    /// The current user's choice score g_t + q of each candidate.
    scores: Vec<f64>,
    segment: usize,
    user_type: usize,
    affinities: Vec<f64>,
    /// Smallest and largest of the current user's affinities.
    affinity_range: (f64, f64),
    satisfaction: f64,
    /// Steps taken in this episode.
    steps: u32,
    /// Scores of the served slate, reused every step.
    slate_scores: Vec<f64>,
    scratch: RefCell<SlateScratch>,
    /// Scratch slate for the best-myopic figure of each step.
    best_slate: Vec<usize>,
}

impl IexEnv {
    /// An environment over a validated model; `seed` draws the corpus when it is not resampled.
    pub(super) fn new(model: &IexModel, seed: u64) -> Self {
        let n = model.spec.num_candidates;
        let k = model.spec.slate_size;
        let num_topics = model.documents.num_topics();
        let mut env = Self {
            spec: model.spec.clone(),
            population: model.population.clone(),
            max_steps: model.max_steps,
            resample: model.resample_documents,
            documents: model.documents.clone(),
            topics: vec![0; n],
            quality: vec![0.0; n],
            scores: vec![0.0; n],
            segment: 0,
            user_type: 0,
            affinities: vec![0.0; num_topics],
            affinity_range: (0.0, 0.0),
            satisfaction: INITIAL_SATISFACTION,
            steps: 0,
            slate_scores: Vec::with_capacity(k),
            scratch: RefCell::new(SlateScratch {
                scores: Vec::with_capacity(k),
                probs: Vec::with_capacity(k + 1),
            }),
            best_slate: Vec::with_capacity(k),
        };
        if !env.resample {
            let mut rng = StreamKey {
                seed,
                purpose: Purpose::Corpus,
                lane: StreamKey::SHARED_LANE,
                episode: 0,
                phase: Phase::Train,
            }
            .rng();
            env.documents
                .fill(&mut rng, &mut env.topics, &mut env.quality);
        }
        env.refresh_scores();
        env
    }

    fn user(&self) -> &UserModel {
        self.population.params(self.segment)
    }

    /// The satisfaction readout: the moving average of the served topics' normalised affinity.
    pub fn satisfaction(&self) -> f64 {
        self.satisfaction
    }

    /// Writes P(slot j clicked) for each slate item into `out[..K]` and P(no click) into `out[K]`.
    pub fn choice_probabilities(&self, slate: &[usize], out: &mut [f64]) {
        let scores = &mut self.scratch.borrow_mut().scores;
        self.probabilities_into(slate, scores, out);
    }

    fn probabilities_into(&self, slate: &[usize], scores: &mut Vec<f64>, out: &mut [f64]) {
        scores.clear();
        scores.extend(slate.iter().map(|&i| self.scores[i]));
        self.user().choice().probabilities(scores, out);
    }

    fn refresh_scores(&mut self) {
        for ((s, &t), &q) in self.scores.iter_mut().zip(&self.topics).zip(&self.quality) {
            *s = self.affinities[t as usize] + q;
        }
    }

    fn write_observation(&self, obs: &mut Observation) {
        if self.spec.time_feature {
            obs.user[0] = f64::from(self.steps) / f64::from(self.max_steps) - 0.5;
        }
        for ((mut row, &t), &q) in obs
            .docs
            .rows_mut()
            .into_iter()
            .zip(&self.topics)
            .zip(&self.quality)
        {
            row.fill(0.0);
            row[0] = q;
            row[1 + t as usize] = 1.0;
        }
        obs.doc_clusters.copy_from_slice(&self.topics);
        obs.step = self.steps;
    }
}

impl OracleView for IexEnv {
    fn hidden(&self) -> Hidden<'_> {
        Hidden::InterestExploration {
            affinities: &self.affinities,
            user_type: self.user_type,
        }
    }

    /// P(click): every click is worth 1 under either reward kind.
    fn expected_reward(&self, slate: &[usize]) -> f64 {
        let mut scratch = self.scratch.borrow_mut();
        let SlateScratch { scores, probs } = &mut *scratch;
        probs.clear();
        probs.resize(slate.len() + 1, 0.0);
        self.probabilities_into(slate, scores, probs);
        1.0 - probs[slate.len()]
    }

    /// Top-K by score g_t + q: P(click) grows with every item's weight under the logit and
    /// proportional models, and is 1 whatever the slate under slot-0 consumption.
    fn best_myopic_slate(&self, slate: &mut Vec<usize>) -> f64 {
        top_k_by(
            self.scores.len(),
            self.spec.slate_size,
            |i| self.scores[i],
            slate,
        );
        self.expected_reward(slate)
    }
}

impl Environment for IexEnv {
    fn spec(&self) -> &ObsSpec {
        &self.spec
    }

    fn reset(&mut self, rngs: &mut EnvRngs, obs: &mut Observation) {
        self.segment = self.population.sample(&mut rngs.user);
        let user = self.population.params(self.segment);
        self.user_type = user.sample(&mut rngs.user, &mut self.affinities);
        self.affinity_range = self
            .affinities
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &g| {
                (lo.min(g), hi.max(g))
            });
        self.satisfaction = INITIAL_SATISFACTION;
        self.steps = 0;
        if self.resample {
            self.documents
                .fill(&mut rngs.docs, &mut self.topics, &mut self.quality);
        }
        self.refresh_scores();
        obs.responses.fill(ResponseObs::PLACEHOLDER);
        self.write_observation(obs);
    }

    fn step(&mut self, slate: &[usize], rngs: &mut EnvRngs, next: &mut Observation) -> StepOutcome {
        let slate = &slate[..slate.len().min(self.spec.slate_size)];
        let expected_reward = self.expected_reward(slate);
        let mut best = std::mem::take(&mut self.best_slate);
        let best_expected_reward = self.best_myopic_slate(&mut best);
        self.best_slate = best;

        let user = self.population.params(self.segment);
        self.slate_scores.clear();
        self.slate_scores
            .extend(slate.iter().map(|&i| self.scores[i]));
        let clicked = user.choice().sample(&self.slate_scores, &mut rngs.response);
        let reward = f64::from(u8::from(clicked.is_some()));
        if !slate.is_empty() {
            let served: f64 = slate
                .iter()
                .map(|&i| {
                    normalised_affinity(
                        &self.affinities,
                        self.affinity_range,
                        self.topics[i] as usize,
                    )
                })
                .sum();
            let m = served / slate.len() as f64;
            self.satisfaction += SATISFACTION_RATE * (m - self.satisfaction);
        }
        self.steps += 1;

        // Responses describe the served documents, so they are written before resampling.
        for (j, r) in next.responses.iter_mut().enumerate() {
            *r = match slate.get(j) {
                Some(&i) => ResponseObs {
                    clicked: clicked == Some(j),
                    engagement: f64::from(u8::from(clicked == Some(j))),
                    quality: self.quality[i],
                    cluster: self.topics[i],
                },
                None => ResponseObs::default(),
            };
        }
        if self.resample {
            self.documents
                .fill(&mut rngs.docs, &mut self.topics, &mut self.quality);
            self.refresh_scores();
        }
        self.write_observation(next);
        StepOutcome {
            reward,
            clicked,
            engagement: reward,
            satisfaction: self.satisfaction,
            expected_reward,
            best_expected_reward,
            done: false,
            truncated: self.steps >= self.max_steps,
        }
    }

    fn segment(&self) -> usize {
        self.segment
    }

    fn select_population(&mut self, index: usize) {
        self.population.select(index);
    }
}
