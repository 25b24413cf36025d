//! The Long-Term Satisfaction environment: a state machine over the episode's random streams.

use rand::RngExt;
use rand_distr::StandardNormal;

use super::documents::DocumentSampler;
use super::model::LtsModel;
use super::slate_search::{best_ratio_slate, ratio_value};
use super::user::UserModel;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::{RewardKind, top_k_by};
use crate::sim::rng::{EnvRngs, Phase, Purpose, StreamKey};
use crate::sim::schedule::PopulationSchedule;
use crate::sim::{Environment, Hidden, ObsSpec, Observation, OracleView, ResponseObs, StepOutcome};

/// One Long-Term Satisfaction world: the current user and the candidates on offer.
#[derive(Clone, Debug)]
pub struct LtsEnv {
    spec: ObsSpec,
    population: PopulationSchedule<UserModel>,
    reward: RewardKind,
    engagement_clip: f64,
    max_steps: Option<u32>,
    resample: bool,
    sampler: DocumentSampler,
    /// Clickbait score of each current candidate.
    clickbait: Vec<f64>,
    segment: usize,
    npe: f64,
    /// Steps taken in this episode.
    steps: u32,
    /// Expected immediate reward of each candidate if consumed now (engagement, 1 per click, or
    /// the chance that consuming it raises satisfaction).
    item_values: Vec<f64>,
    /// Relative choice weights of every candidate, then of "no click" (logit/proportional only).
    choice_weights: Vec<f64>,
    /// Scores of the served slate, reused every step.
    slate_scores: Vec<f64>,
    /// Scratch slate for the best-myopic figure of each step.
    best_slate: Vec<usize>,
}

impl LtsEnv {
    /// An environment over a validated model; `seed` draws the corpus when it is not resampled.
    pub(super) fn new(model: &LtsModel, seed: u64) -> Self {
        let n = model.spec.num_candidates;
        let k = model.spec.slate_size;
        let mut env = Self {
            spec: model.spec.clone(),
            population: model.population.clone(),
            reward: model.reward,
            engagement_clip: model.engagement_clip,
            max_steps: model.max_steps,
            resample: model.resample_documents,
            sampler: DocumentSampler::new(model.documents.clone()),
            clickbait: vec![0.0; n],
            segment: 0,
            npe: 0.0,
            steps: 0,
            item_values: vec![0.0; n],
            choice_weights: vec![0.0; n + 1],
            slate_scores: Vec::with_capacity(k),
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
            env.sampler.fill(&mut rng, &mut env.clickbait);
        }
        env.refresh_item_values();
        env
    }

    fn user(&self) -> &UserModel {
        self.population.params(self.segment)
    }

    /// The current user's satisfaction σ(τ·NPE).
    pub fn satisfaction(&self) -> f64 {
        self.user().satisfaction(self.npe)
    }

    /// The clickbait score of each current candidate.
    pub fn clickbait(&self) -> &[f64] {
        &self.clickbait
    }

    /// Writes P(slot j consumed) for each slate item into `out[..K]` and P(no click) into `out[K]`.
    pub fn choice_probabilities(&self, slate: &[usize], out: &mut [f64]) {
        assert_eq!(
            out.len(),
            slate.len() + 1,
            "out must hold K+1 probabilities"
        );
        out.fill(0.0);
        if let ChoiceModel::Slot0 = self.user().choice() {
            out[0] = 1.0;
            return;
        }
        let n = self.clickbait.len();
        let null = self.choice_weights[n];
        let total: f64 = null + slate.iter().map(|&i| self.choice_weights[i]).sum::<f64>();
        if total > 0.0 {
            for (p, &i) in out.iter_mut().zip(slate) {
                *p = self.choice_weights[i] / total;
            }
            out[slate.len()] = null / total;
        } else {
            out[slate.len()] = 1.0;
        }
    }

    /// Recomputes the per-candidate caches after the user's state or the candidates changed.
    fn refresh_item_values(&mut self) {
        let user = self.population.params(self.segment);
        let sat = user.satisfaction(self.npe);
        for (v, &c) in self.item_values.iter_mut().zip(&self.clickbait) {
            *v = match self.reward {
                RewardKind::Engagement => user.expected_engagement(sat, c),
                RewardKind::Clicks => 1.0,
                RewardKind::SatisfyingClicks => user.rise_probability(self.npe, c),
            };
        }
        if !matches!(user.choice(), ChoiceModel::Slot0) {
            // Normalising over all candidates keeps every weight ratio, which is all a slate
            // needs; clickbait scores lie in [0, 1], so no weight underflows.
            user.choice()
                .probabilities(&self.clickbait, &mut self.choice_weights);
        }
    }

    fn write_observation(&self, obs: &mut Observation) {
        if self.spec.time_feature {
            obs.user[0] = f64::from(self.steps) / f64::from(self.user().time_budget()) - 0.5;
        }
        for (x, &c) in obs.docs.column_mut(0).iter_mut().zip(&self.clickbait) {
            *x = c;
        }
        obs.step = self.steps;
    }
}

impl OracleView for LtsEnv {
    fn hidden(&self) -> Hidden<'_> {
        Hidden::LongTermSatisfaction {
            npe: self.npe,
            satisfaction: self.satisfaction(),
            steps_left: self.user().time_budget().saturating_sub(self.steps),
        }
    }

    fn expected_reward(&self, slate: &[usize]) -> f64 {
        if self.user().choice() == &ChoiceModel::Slot0 {
            slate.first().map_or(0.0, |&i| self.item_values[i])
        } else {
            let n = self.clickbait.len();
            let (weights, null) = (&self.choice_weights[..n], self.choice_weights[n]);
            ratio_value(weights, null, &self.item_values, slate)
        }
    }

    fn best_myopic_slate(&self, slate: &mut Vec<usize>) -> f64 {
        let n = self.clickbait.len();
        let k = self.spec.slate_size;
        if self.user().choice() == &ChoiceModel::Slot0 {
            // Only slot 0 counts; the rest are the next best so the slate stays sensible.
            top_k_by(n, k, |i| self.item_values[i], slate);
            slate.first().map_or(0.0, |&i| self.item_values[i])
        } else {
            let (weights, null) = (&self.choice_weights[..n], self.choice_weights[n]);
            best_ratio_slate(weights, null, &self.item_values, k, slate)
        }
    }
}

impl Environment for LtsEnv {
    fn spec(&self) -> &ObsSpec {
        &self.spec
    }

    fn reset(&mut self, rngs: &mut EnvRngs, obs: &mut Observation) {
        self.segment = self.population.sample(&mut rngs.user);
        self.npe = self.user().initial_npe(&mut rngs.user);
        self.steps = 0;
        if self.resample {
            self.sampler.restart();
            self.sampler.fill(&mut rngs.docs, &mut self.clickbait);
        }
        self.refresh_item_values();
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
            .extend(slate.iter().map(|&i| self.clickbait[i]));
        let clicked = user.choice().sample(&self.slate_scores, &mut rngs.response);
        // Both normals are drawn every step, clicked or not, so the response stream stays
        // aligned across agents (common random numbers).
        let z_engagement: f64 = rngs.response.sample(StandardNormal);
        let z_innovation: f64 = rngs.response.sample(StandardNormal);
        let sat_before = user.satisfaction(self.npe);
        let consumed = clicked.map(|j| self.clickbait[slate[j]]);
        let engagement = consumed.map_or(0.0, |c| user.engagement(sat_before, c, z_engagement));
        self.npe = user.next_npe(self.npe, consumed, z_innovation);
        self.steps += 1;
        let done = self.steps >= user.time_budget();
        let truncated = !done && self.max_steps == Some(self.steps);
        let satisfaction = user.satisfaction(self.npe);
        let reward = match self.reward {
            RewardKind::Engagement => engagement,
            RewardKind::Clicks => f64::from(u8::from(clicked.is_some())),
            RewardKind::SatisfyingClicks => {
                f64::from(u8::from(clicked.is_some() && satisfaction > sat_before))
            }
        };

        if self.resample {
            self.sampler.fill(&mut rngs.docs, &mut self.clickbait);
        }
        self.refresh_item_values();
        let observed = engagement.clamp(0.0, self.engagement_clip);
        for (j, r) in next.responses.iter_mut().enumerate() {
            let hit = clicked == Some(j);
            *r = ResponseObs {
                clicked: hit,
                engagement: if hit { observed } else { 0.0 },
                ..ResponseObs::default()
            };
        }
        self.write_observation(next);
        StepOutcome {
            reward,
            clicked,
            engagement,
            satisfaction,
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
