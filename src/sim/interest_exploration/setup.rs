//! Validation of an Interest Exploration configuration into a setup that builds environments.

use super::documents::DocumentModel;
use super::env::IexEnv;
use super::model::IexModel;
use super::params::IexConfig;
use super::user::UserModel;
use crate::sim::choice::ChoiceModel;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::schedule::{PopulationSchedule, ShiftInfo};
use crate::sim::{EnvKind, EnvSetup, Environment, FieldError, ObsSpec, ResponseFields};

/// A validated Interest Exploration configuration.
#[derive(Clone, Debug)]
pub struct IexSetup {
    model: IexModel,
}

/// Checks every field of `config` once; errors name the field relative to the configuration.
pub fn setup(config: IexConfig) -> Result<IexSetup, FieldError> {
    let max_steps = config.validate_top_level()?;
    config
        .documents
        .validate()
        .map_err(|e| e.within("documents"))?;
    let num_topics = config.documents.topic_probs.len();
    let env_choice = config.choice;
    let population = PopulationSchedule::new(config.population, config.shifts, |user| {
        user.validate(num_topics)?;
        let choice = user.choice.unwrap_or(env_choice);
        Ok(UserModel::new(user, choice))
    })?;
    population.check_unchanged("choice", |user| *user.choice())?;

    // The reward kind needs no storage: a click's engagement is 1, so both kinds pay 1 per click.
    let spec = ObsSpec {
        kind: EnvKind::InterestExploration,
        user_dim: usize::from(config.observe_time),
        doc_dim: 1 + num_topics,
        num_candidates: config.num_candidates,
        slate_size: config.slate_size,
        num_clusters: num_topics,
        time_feature: config.observe_time,
        response_fields: ResponseFields {
            quality: true,
            cluster: true,
        },
        choice: ChoiceHint {
            model: *population.params(0).choice(),
            score: ChoiceScore::Hidden,
        },
        max_steps: Some(max_steps),
    };
    let model = IexModel {
        spec,
        population,
        max_steps,
        resample_documents: config.resample_documents,
        documents: DocumentModel::new(config.documents),
    };
    Ok(IexSetup { model })
}

impl IexSetup {
    /// Builds the concrete environment (the boxed form is [`EnvSetup::build`]).
    pub fn environment(&self, seed: u64) -> IexEnv {
        IexEnv::new(&self.model, seed)
    }

    /// The choice model of segment `i` after overrides.
    pub fn segment_choice(&self, i: usize) -> ChoiceModel {
        *self.model.population.params(i).choice()
    }
}

impl EnvSetup for IexSetup {
    fn spec(&self) -> &ObsSpec {
        &self.model.spec
    }

    fn build(&self, seed: u64) -> Box<dyn Environment> {
        Box::new(self.environment(seed))
    }

    fn segment_names(&self) -> Vec<String> {
        self.model.population.names().to_vec()
    }

    fn shifts(&self) -> &[ShiftInfo] {
        self.model.population.shifts()
    }
}
