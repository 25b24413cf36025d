//! Validating a linear-bandit configuration and building its environments.

use std::sync::Arc;

use ndarray::Array2;
use rand_distr::{Distribution, StandardNormal};

use super::env::{LinearBanditEnv, draw_documents};
use super::params::{LinearBanditConfig, LinearBanditUser};
use crate::sim::choice::ChoiceModel;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::rng::{Phase, Purpose, SimRng, StreamKey};
use crate::sim::schedule::{PopulationSchedule, ShiftInfo};
use crate::sim::{EnvKind, EnvSetup, Environment, FieldError, ObsSpec, ResponseFields};

/// A validated linear-bandit configuration.
#[derive(Debug)]
pub struct LinearBanditSetup {
    spec: Arc<ObsSpec>,
    theta: Option<Arc<[f64]>>,
    population: PopulationSchedule<LinearBanditUser>,
    noise_stddev: f64,
    resample_documents: bool,
}

/// Validates `config` into a setup; errors name the field (e.g. `population[0].user.scale`).
pub fn setup(config: LinearBanditConfig) -> Result<LinearBanditSetup, FieldError> {
    config.validate()?;
    let population = PopulationSchedule::new(
        config.population,
        config.shifts,
        |user: LinearBanditUser| user.validate().map(|()| user),
    )?;
    let spec = ObsSpec {
        kind: EnvKind::LinearBandit,
        user_dim: 0,
        doc_dim: config.dimension,
        num_candidates: config.num_candidates,
        slate_size: config.slate_size,
        num_clusters: 0,
        time_feature: false,
        response_fields: ResponseFields::default(),
        choice: ChoiceHint {
            model: ChoiceModel::Slot0,
            score: ChoiceScore::Hidden,
        },
        max_steps: Some(config.max_steps),
    };
    Ok(LinearBanditSetup {
        spec: Arc::new(spec),
        theta: config.theta.map(Arc::from),
        population,
        noise_stddev: config.noise_stddev,
        resample_documents: config.resample_documents,
    })
}

impl LinearBanditSetup {
    /// The θ that environments built with `seed` use: the configured one, or a random unit
    /// vector drawn first from the seed's corpus stream.
    pub fn theta(&self, seed: u64) -> Arc<[f64]> {
        match &self.theta {
            Some(theta) => theta.clone(),
            None => random_unit_vector(self.spec.doc_dim, &mut corpus_rng(seed)),
        }
    }
}

/// The stream that draws θ (when not configured) and then the fixed corpus.
fn corpus_rng(seed: u64) -> SimRng {
    StreamKey {
        seed,
        purpose: Purpose::Corpus,
        lane: StreamKey::SHARED_LANE,
        episode: 0,
        phase: Phase::Train,
    }
    .rng()
}

/// A direction uniform on the unit sphere (a normalised Gaussian vector).
fn random_unit_vector(d: usize, rng: &mut SimRng) -> Arc<[f64]> {
    let mut v: Vec<f64> = (0..d).map(|_| StandardNormal.sample(rng)).collect();
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in &mut v {
            *x /= norm;
        }
    } else {
        // A zero Gaussian vector has probability zero; keep θ a unit vector regardless.
        v[0] = 1.0;
    }
    v.into()
}

impl EnvSetup for LinearBanditSetup {
    fn spec(&self) -> &ObsSpec {
        &self.spec
    }

    fn build(&self, seed: u64) -> Box<dyn Environment> {
        let mut rng = corpus_rng(seed);
        let theta = match &self.theta {
            Some(theta) => theta.clone(),
            None => random_unit_vector(self.spec.doc_dim, &mut rng),
        };
        let corpus = (!self.resample_documents).then(|| {
            let mut docs = Array2::zeros((self.spec.num_candidates, self.spec.doc_dim));
            draw_documents(&mut docs, &mut rng);
            Arc::new(docs)
        });
        Box::new(LinearBanditEnv::new(
            self.spec.clone(),
            theta,
            self.population.clone(),
            self.noise_stddev,
            corpus,
        ))
    }

    fn segment_names(&self) -> Vec<String> {
        self.population.names().to_vec()
    }

    fn shifts(&self) -> &[ShiftInfo] {
        self.population.shifts()
    }
}
