//! The Interest Evolution environment: reset and step in RecSim's order (reference §1.3, §1.4).

use std::sync::Arc;

use super::clicks::no_click_probability;
use super::documents::Candidates;
use super::model::IevModel;
use super::user::{UserParams, UserState};
use crate::sim::common::RewardKind;
use crate::sim::rng::{EnvRngs, Phase, Purpose, StreamKey};
use crate::sim::schedule::PopulationSchedule;
use crate::sim::{Environment, Hidden, ObsSpec, Observation, OracleView, ResponseObs, StepOutcome};

/// An Interest Evolution session: one user, their time budget, and the candidate videos.
///
/// Built by [`super::IevSetup`]; see the module documentation for the model.
#[derive(Debug)]
pub struct IevEnv {
    model: Arc<IevModel>,
    spec: ObsSpec,
    /// The model's schedule with this environment's own choice of the population in force.
    population: PopulationSchedule<UserParams>,
    segment: usize,
    user: UserState,
    candidates: Candidates,
    steps: u32,
    /// u_c of each candidate's topic, refreshed whenever interests or candidates change.
    candidate_scores: Vec<f64>,
    /// Scratch: raw scores of the slate served (capacity K, reused every step).
    scores: Vec<f64>,
    /// Scratch: the myopic optimum (capacity K, reused every step).
    best_slate: Vec<usize>,
}

impl IevEnv {
    /// An environment over `model`; with a fixed corpus, draws it from `seed`'s corpus stream.
    pub(super) fn new(model: Arc<IevModel>, spec: ObsSpec, seed: u64) -> Self {
        let mut candidates = Candidates::new(model.num_candidates);
        if !model.resample_documents {
            let mut rng = StreamKey {
                seed,
                purpose: Purpose::Corpus,
                lane: StreamKey::SHARED_LANE,
                episode: 0,
                phase: Phase::Train,
            }
            .rng();
            model.documents.resample(&mut rng, &mut candidates);
        }
        Self {
            user: UserState::new(model.documents.num_topics()),
            candidate_scores: vec![0.0; model.num_candidates],
            scores: Vec::with_capacity(model.slate_size),
            best_slate: Vec::with_capacity(model.slate_size),
            population: model.population.clone(),
            segment: 0,
            steps: 0,
            candidates,
            spec,
            model,
        }
    }

    fn params(&self) -> &UserParams {
        self.population.params(self.segment)
    }

    /// The reward a click would earn now.
    fn reward_per_click(&self) -> f64 {
        match self.model.reward {
            RewardKind::Engagement => self.user.watch_time(self.model.documents.video_length),
            RewardKind::Clicks => 1.0,
            RewardKind::SatisfyingClicks => unreachable!("refused when the setup is validated"),
        }
    }

    fn write_user(&self, obs: &mut Observation) {
        for (o, &u) in obs.user.iter_mut().zip(&self.user.interests) {
            *o = u;
        }
        if let (true, Some(max)) = (self.model.observe_time, self.model.max_steps) {
            obs.user[self.user.interests.len()] = f64::from(self.steps) / f64::from(max) - 0.5;
        }
    }
}

impl OracleView for IevEnv {
    fn hidden(&self) -> Hidden<'_> {
        Hidden::InterestEvolution {
            interests: &self.user.interests,
            budget: self.user.budget,
            doc_quality: &self.candidates.quality,
        }
    }

    fn expected_reward(&self, slate: &[usize]) -> f64 {
        let scores = slate.iter().map(|&i| self.candidate_scores[i]);
        let p_click = 1.0 - no_click_probability(&self.params().choice, scores);
        p_click * self.reward_per_click()
    }

    /// Top-K by score. Exactly optimal: every stock model's click probability
    /// Σw/(Σw + w⊥) grows with each item weight w, and w grows with the score.
    fn best_myopic_slate(&self, slate: &mut Vec<usize>) -> f64 {
        slate.clear();
        let k = self.model.slate_size;
        let scores = &self.candidate_scores;
        // Score of the K-th best so far; nothing below it can enter a full slate.
        let mut threshold = f64::NEG_INFINITY;
        for (i, &s) in scores.iter().enumerate() {
            if slate.len() < k {
                slate.push(i);
            } else if s > threshold {
                slate[k - 1] = i;
            } else {
                continue;
            }
            // Bubble the newcomer up; strict `>` keeps the lower index first on ties.
            let mut j = slate.len() - 1;
            while j > 0 && s > scores[slate[j - 1]] {
                slate.swap(j, j - 1);
                j -= 1;
            }
            if slate.len() == k {
                threshold = scores[slate[k - 1]];
            }
        }
        self.expected_reward(slate)
    }
}

impl Environment for IevEnv {
    fn spec(&self) -> &ObsSpec {
        &self.spec
    }

    fn reset(&mut self, rngs: &mut EnvRngs, obs: &mut Observation) {
        let model = &*self.model;
        self.segment = self.population.sample(&mut rngs.user);
        self.user
            .draw(self.population.params(self.segment), &mut rngs.user);
        self.steps = 0;
        if model.resample_documents {
            model
                .documents
                .resample(&mut rngs.docs, &mut self.candidates);
        }
        self.write_user(obs);
        self.candidates.write(obs);
        self.candidates
            .score(&self.user.interests, &mut self.candidate_scores);
        obs.responses.fill(ResponseObs::PLACEHOLDER);
        obs.step = 0;
    }

    fn step(&mut self, slate: &[usize], rngs: &mut EnvRngs, next: &mut Observation) -> StepOutcome {
        debug_assert!(slate.len() <= self.model.slate_size, "slate longer than K");
        let expected_reward = self.expected_reward(slate);
        let mut best = std::mem::take(&mut self.best_slate);
        let best_expected_reward = self.best_myopic_slate(&mut best);
        self.best_slate = best;

        self.scores.clear();
        self.scores
            .extend(slate.iter().map(|&i| self.candidate_scores[i]));
        let model = &*self.model;
        let params = self.population.params(self.segment);
        let clicked = params.choice.sample(&self.scores, &mut rngs.response);
        let watch_time =
            clicked.map_or(0.0, |_| self.user.watch_time(model.documents.video_length));

        for (j, response) in next.responses.iter_mut().enumerate() {
            *response = match slate.get(j) {
                Some(&i) => ResponseObs {
                    clicked: clicked == Some(j),
                    engagement: if clicked == Some(j) { watch_time } else { 0.0 },
                    quality: self.candidates.quality[i],
                    cluster: self.candidates.topics[i],
                },
                // A short slate has no item here: nothing was shown, so nothing responded.
                None => ResponseObs::PLACEHOLDER,
            };
        }

        match clicked {
            Some(j) => {
                let i = slate[j];
                let topic = self.candidates.topics[i] as usize;
                let quality = self.candidates.quality[i];
                self.user
                    .consume(params, topic, quality, watch_time, &mut rngs.response);
            }
            None => self.user.skip(params),
        }
        self.steps += 1;
        let done = self.user.budget <= 0.0;
        let truncated = !done && model.max_steps.is_some_and(|max| self.steps >= max);

        self.write_user(next);
        // RecSim resamples after the transition, even on the terminal step.
        if model.resample_documents {
            model
                .documents
                .resample(&mut rngs.docs, &mut self.candidates);
        }
        self.candidates.write(next);
        self.candidates
            .score(&self.user.interests, &mut self.candidate_scores);
        next.step = self.steps;

        let reward = match (model.reward, clicked) {
            (_, None) => 0.0,
            (RewardKind::Engagement, Some(_)) => watch_time,
            (RewardKind::Clicks, Some(_)) => 1.0,
            (RewardKind::SatisfyingClicks, Some(_)) => {
                unreachable!("refused when the setup is validated")
            }
        };
        StepOutcome {
            reward,
            clicked,
            engagement: watch_time,
            satisfaction: self.user.satisfaction(),
            expected_reward,
            best_expected_reward,
            done,
            truncated,
        }
    }

    fn segment(&self) -> usize {
        self.segment
    }

    fn select_population(&mut self, index: usize) {
        self.population.select(index);
    }
}
