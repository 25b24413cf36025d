//! Validation of a Long-Term Satisfaction configuration into a setup that builds environments.

use super::env::LtsEnv;
use super::model::LtsModel;
use super::params::LtsConfig;
use super::user::UserModel;
use crate::sim::choice::ChoiceModel;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::schedule::{PopulationSchedule, ShiftInfo};
use crate::sim::{EnvKind, EnvSetup, Environment, FieldError, ObsSpec, ResponseFields};

/// A validated Long-Term Satisfaction configuration.
#[derive(Clone, Debug)]
pub struct LtsSetup {
    model: LtsModel,
}

/// Checks every field of `config` once; errors name the field relative to the configuration.
pub fn setup(config: LtsConfig) -> Result<LtsSetup, FieldError> {
    config.validate_top_level()?;
    config
        .documents
        .validate()
        .map_err(|e| e.within("documents"))?;
    let env_choice = config.choice;
    let population = PopulationSchedule::new(config.population, config.shifts, |user| {
        user.validate()?;
        let choice = user.choice.unwrap_or(env_choice);
        Ok(UserModel::new(user, choice))
    })?;
    population.check_unchanged("choice", |user| *user.choice())?;

    // Over every population of the schedule: the step cap must hold after a shift too.
    let longest_session = population
        .all()
        .iter()
        .flat_map(|p| (0..p.len()).map(|i| p.params(i).time_budget()))
        .max()
        .unwrap_or(1);
    let spec = ObsSpec {
        kind: EnvKind::LongTermSatisfaction,
        user_dim: usize::from(config.observe_time),
        doc_dim: 1,
        num_candidates: config.num_candidates,
        slate_size: config.slate_size,
        num_clusters: 0,
        time_feature: config.observe_time,
        response_fields: ResponseFields::default(),
        choice: ChoiceHint {
            model: *population.params(0).choice(),
            score: ChoiceScore::DocFeature(0),
        },
        max_steps: Some(
            config
                .max_steps
                .map_or(longest_session, |m| m.min(longest_session)),
        ),
    };
    let model = LtsModel {
        spec,
        population,
        reward: config.reward,
        engagement_clip: config.engagement_clip,
        max_steps: config.max_steps,
        resample_documents: config.resample_documents,
        documents: config.documents,
    };
    Ok(LtsSetup { model })
}

impl LtsSetup {
    /// Builds the concrete environment (the boxed form is [`EnvSetup::build`]).
    pub fn environment(&self, seed: u64) -> LtsEnv {
        LtsEnv::new(&self.model, seed)
    }

    /// The choice model of segment `i` after overrides.
    pub fn segment_choice(&self, i: usize) -> ChoiceModel {
        *self.model.population.params(i).choice()
    }
}

impl EnvSetup for LtsSetup {
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
