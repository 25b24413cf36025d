//! Validating an [`IevConfig`] once into an [`IevSetup`] that builds environments.

use std::sync::Arc;

use super::env::IevEnv;
use super::model::IevModel;
use super::params::{IevConfig, validate_choice};
use crate::sim::common::validate_slate;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::schedule::{PopulationSchedule, ShiftInfo};
use crate::sim::{EnvKind, EnvSetup, Environment, FieldError, ObsSpec, ResponseFields};

/// A validated Interest Evolution configuration.
#[derive(Debug)]
pub struct IevSetup {
    model: Arc<IevModel>,
    spec: ObsSpec,
}

/// Validates `config` (every number, length and range) into a setup that builds environments.
///
/// Error fields are paths relative to the environment configuration, such as
/// `population[1].user.time_budget` or `documents.topic_quality_means`.
pub fn setup(config: IevConfig) -> Result<IevSetup, FieldError> {
    validate_slate(config.num_candidates, config.slate_size, config.max_steps)?;
    config
        .reward
        .check_without_satisfaction("InterestEvolution")?;
    if config.observe_time && config.max_steps.is_none() {
        return Err(FieldError::new(
            "observe_time",
            "the time feature t / max_steps − 0.5 needs max_steps to be set",
        ));
    }
    validate_choice(&config.choice).map_err(|e| e.within("choice"))?;
    let documents = config
        .documents
        .validate()
        .map_err(|e| e.within("documents"))?;
    let num_topics = documents.num_topics();
    let env_choice = config.choice;
    let population = PopulationSchedule::new(config.population, config.shifts, |user| {
        user.validate(num_topics, env_choice)
    })?;
    population.check_unchanged("choice", |user| user.choice)?;

    let time = usize::from(config.observe_time);
    let spec = ObsSpec {
        kind: EnvKind::InterestEvolution,
        user_dim: num_topics + time,
        doc_dim: num_topics,
        num_candidates: config.num_candidates,
        slate_size: config.slate_size,
        num_clusters: num_topics,
        time_feature: config.observe_time,
        response_fields: ResponseFields {
            quality: true,
            cluster: true,
        },
        choice: ChoiceHint {
            model: population.params(0).choice,
            score: ChoiceScore::UserDocDot,
        },
        max_steps: config.max_steps,
    };
    let model = IevModel {
        num_candidates: config.num_candidates,
        slate_size: config.slate_size,
        resample_documents: config.resample_documents,
        max_steps: config.max_steps,
        observe_time: config.observe_time,
        reward: config.reward,
        documents,
        population,
    };
    Ok(IevSetup {
        model: Arc::new(model),
        spec,
    })
}

impl EnvSetup for IevSetup {
    fn spec(&self) -> &ObsSpec {
        &self.spec
    }

    fn build(&self, seed: u64) -> Box<dyn Environment> {
        Box::new(IevEnv::new(
            Arc::clone(&self.model),
            self.spec.clone(),
            seed,
        ))
    }

    fn segment_names(&self) -> Vec<String> {
        self.model.population.names().to_vec()
    }

    fn shifts(&self) -> &[ShiftInfo] {
        self.model.population.shifts()
    }
}
