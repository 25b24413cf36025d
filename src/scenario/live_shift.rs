//! Live population edits: the population in force in an environment configuration, and the
//! same configuration with one more shift appended (what the dashboard applies while agents
//! run, and what its export writes back as an ordinary scheduled shift).

use std::sync::Arc;

use crate::sim::interest_evolution::IevUser;
use crate::sim::interest_exploration::IexUser;
use crate::sim::linear_bandit::LinearBanditUser;
use crate::sim::long_term_satisfaction::LtsUser;
use crate::sim::population::SegmentConfig;
use crate::sim::schedule::ShiftConfig;
use crate::sim::{EnvSetup, FieldError};

use super::file::EnvironmentConfig;

/// A whole population (every segment, in order) in the terms of one environment model.
#[derive(Clone, Debug, PartialEq)]
pub enum PopulationEdit {
    /// Interest Evolution segments.
    InterestEvolution(Vec<SegmentConfig<IevUser>>),
    /// Long-Term Satisfaction segments.
    LongTermSatisfaction(Vec<SegmentConfig<LtsUser>>),
    /// Interest Exploration segments.
    InterestExploration(Vec<SegmentConfig<IexUser>>),
    /// Linear bandit segments.
    LinearBandit(Vec<SegmentConfig<LinearBanditUser>>),
}

/// The population in force after every shift of `config` (its last shift's, or the base one).
pub fn current_population(config: &EnvironmentConfig) -> PopulationEdit {
    fn last<R: Clone>(
        base: &[SegmentConfig<R>],
        shifts: &[ShiftConfig<R>],
    ) -> Vec<SegmentConfig<R>> {
        shifts
            .last()
            .map_or(base, |s| s.population.as_slice())
            .to_vec()
    }
    match config {
        EnvironmentConfig::InterestEvolution(c) => {
            PopulationEdit::InterestEvolution(last(&c.population, &c.shifts))
        }
        EnvironmentConfig::LongTermSatisfaction(c) => {
            PopulationEdit::LongTermSatisfaction(last(&c.population, &c.shifts))
        }
        EnvironmentConfig::InterestExploration(c) => {
            PopulationEdit::InterestExploration(last(&c.population, &c.shifts))
        }
        EnvironmentConfig::LinearBandit(c) => {
            PopulationEdit::LinearBandit(last(&c.population, &c.shifts))
        }
    }
}

/// `config` with one more shift: from training episode `at_episode` on, users come from
/// `population`. Only the model is checked here (a population of another environment is an
/// error); validate the result with [`super::build_env`], whose errors then name
/// `shifts[i]...` of the appended shift.
pub fn with_shift(
    config: &EnvironmentConfig,
    at_episode: u64,
    population: PopulationEdit,
) -> Result<EnvironmentConfig, FieldError> {
    fn push<R>(
        shifts: &mut Vec<ShiftConfig<R>>,
        at_episode: u64,
        population: Vec<SegmentConfig<R>>,
    ) {
        shifts.push(ShiftConfig {
            at_episode,
            population,
        });
    }
    let mut out = config.clone();
    match (&mut out, population) {
        (EnvironmentConfig::InterestEvolution(c), PopulationEdit::InterestEvolution(p)) => {
            push(&mut c.shifts, at_episode, p);
        }
        (EnvironmentConfig::LongTermSatisfaction(c), PopulationEdit::LongTermSatisfaction(p)) => {
            push(&mut c.shifts, at_episode, p);
        }
        (EnvironmentConfig::InterestExploration(c), PopulationEdit::InterestExploration(p)) => {
            push(&mut c.shifts, at_episode, p);
        }
        (EnvironmentConfig::LinearBandit(c), PopulationEdit::LinearBandit(p)) => {
            push(&mut c.shifts, at_episode, p);
        }
        _ => {
            return Err(FieldError::new(
                "population",
                "is written for another environment model than the running one",
            ));
        }
    }
    Ok(out)
}

/// `config` with `population` appended as a shift at `at_episode`, validated, and its setup.
/// Besides the scenario's own validation, refuses a population that would change what agents
/// were built for (their observation spec, e.g. the longest session, which caps episodes).
pub fn shifted(
    config: &EnvironmentConfig,
    at_episode: u64,
    population: PopulationEdit,
) -> Result<(EnvironmentConfig, Arc<dyn EnvSetup>), FieldError> {
    let before = super::build_env(config)?;
    let environment = with_shift(config, at_episode, population)?;
    let setup = super::build_env(&environment)?;
    if setup.spec() != before.spec() {
        return Err(FieldError::new(
            format!("shifts[{}].population", shift_count(config)),
            "would change what agents observe (e.g. the longest session, which caps episodes); \
             keep time budgets within the scenario's",
        ));
    }
    Ok((environment, setup))
}

/// The first training episode a new shift of `config` may take: after its last shift.
pub fn first_free_episode(config: &EnvironmentConfig) -> u64 {
    let last = |shifts: &[u64]| shifts.last().map_or(1, |e| e + 1);
    match config {
        EnvironmentConfig::InterestEvolution(c) => last(&episodes(&c.shifts)),
        EnvironmentConfig::LongTermSatisfaction(c) => last(&episodes(&c.shifts)),
        EnvironmentConfig::InterestExploration(c) => last(&episodes(&c.shifts)),
        EnvironmentConfig::LinearBandit(c) => last(&episodes(&c.shifts)),
    }
}

fn episodes<R>(shifts: &[ShiftConfig<R>]) -> Vec<u64> {
    shifts.iter().map(|s| s.at_episode).collect()
}

/// The number of shifts `config` schedules.
pub fn shift_count(config: &EnvironmentConfig) -> usize {
    match config {
        EnvironmentConfig::InterestEvolution(c) => c.shifts.len(),
        EnvironmentConfig::LongTermSatisfaction(c) => c.shifts.len(),
        EnvironmentConfig::InterestExploration(c) => c.shifts.len(),
        EnvironmentConfig::LinearBandit(c) => c.shifts.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    #[test]
    fn an_appended_shift_is_validated_like_a_written_one() {
        let s = scenario::load("mixed-population").unwrap();
        let PopulationEdit::LongTermSatisfaction(mut segments) =
            current_population(&s.file.environment)
        else {
            panic!("mixed-population is a long-term-satisfaction scenario");
        };
        segments[0].share = 0.7;
        segments[1].share = 0.3;
        let shifted = with_shift(
            &s.file.environment,
            50,
            PopulationEdit::LongTermSatisfaction(segments.clone()),
        )
        .unwrap();
        assert_eq!(shift_count(&shifted), 1);
        let setup = scenario::build_env(&shifted).unwrap();
        assert_eq!(setup.shifts()[0].episode, 50);
        assert_eq!(
            current_population(&shifted),
            PopulationEdit::LongTermSatisfaction(segments.clone())
        );
        segments[1].share = 0.9;
        let bad = with_shift(&shifted, 60, PopulationEdit::LongTermSatisfaction(segments)).unwrap();
        let err = scenario::build_env(&bad).unwrap_err();
        assert_eq!(err.field, "shifts[1].population");
        let wrong_model = with_shift(&shifted, 70, PopulationEdit::LinearBandit(Vec::new()));
        assert_eq!(wrong_model.unwrap_err().field, "population");
    }
}
