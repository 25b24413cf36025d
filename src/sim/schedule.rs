//! Scheduled population shifts: at a training episode, the users are drawn from a new list of
//! segments (new shares and/or new user parameters).
//!
//! A [`PopulationSchedule`] holds the scenario's population and one population per shift;
//! the engine selects which one is in force before each episode's reset
//! ([`crate::sim::Environment::select_population`]). The per-episode random streams do not
//! change, so every lane still meets the same users, drawn from the population in force.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::FieldError;
use super::common::population_error;
use super::population::{Population, SegmentConfig};
use super::rng::SimRng;

/// One scheduled shift as written in a scenario file:
/// `Shift(at_episode: 2000, population: [...])`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    deny_unknown_fields,
    rename = "Shift",
    bound(deserialize = "R: Deserialize<'de> + Default")
)]
pub struct ShiftConfig<R> {
    /// The first training episode (counted from 0) whose user is drawn from the new population.
    pub at_episode: u64,
    /// The population from then on: the same segments, by name and in order, with new shares
    /// and/or new user parameters.
    pub population: Vec<SegmentConfig<R>>,
}

/// A validated shift as the engine and the reports see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ShiftInfo {
    /// The first training episode drawn from the new population.
    pub episode: u64,
    /// What changed, e.g. `share clickbait-sensitive 0.3 → 0.7, robust 0.7 → 0.3`.
    pub description: String,
}

/// The index of the population in force at training episode `episode`: 0 before the first
/// shift, `i + 1` from `shifts[i].episode` on.
pub fn population_index(shifts: &[ShiftInfo], episode: u64) -> usize {
    shifts.partition_point(|s| s.episode <= episode)
}

/// The scenario's population, then one per shift, and which one is in force.
///
/// Cloning is cheap (the populations are shared), so every lane's environment holds its own
/// copy and selects independently.
#[derive(Clone, Debug)]
pub struct PopulationSchedule<P> {
    populations: Arc<[Population<P>]>,
    shifts: Arc<[ShiftInfo]>,
    active: usize,
}

impl<P> PopulationSchedule<P> {
    /// Validates the scenario's `base` segments and every shift with `check` (whose error
    /// fields are relative to a segment's `user`). Errors are relative to the environment
    /// configuration: `population[1].user.sensitivity`, `shifts[0].at_episode`,
    /// `shifts[0].population[1].share`.
    pub fn new<R: Serialize>(
        base: Vec<SegmentConfig<R>>,
        shifts: Vec<ShiftConfig<R>>,
        mut check: impl FnMut(R) -> Result<P, FieldError>,
    ) -> Result<Self, FieldError> {
        let base_names: Vec<String> = base.iter().map(|s| s.name.clone()).collect();
        let mut previous = describe_input(&base);
        let mut populations = vec![Population::new(base, &mut check).map_err(population_error)?];
        let mut infos = Vec::with_capacity(shifts.len());
        let mut last_episode = 0u64;
        for (j, shift) in shifts.into_iter().enumerate() {
            let at = |field: &str| format!("shifts[{j}].{field}");
            if shift.at_episode == 0 {
                return Err(FieldError::new(
                    at("at_episode"),
                    "must be at least 1 (the population at episode 0 is `population`)",
                ));
            }
            if shift.at_episode <= last_episode {
                return Err(FieldError::new(
                    at("at_episode"),
                    format!(
                        "shift episodes must be strictly increasing: {} follows {last_episode}",
                        shift.at_episode
                    ),
                ));
            }
            last_episode = shift.at_episode;
            let names: Vec<&String> = shift.population.iter().map(|s| &s.name).collect();
            if names.len() != base_names.len()
                || names.iter().zip(&base_names).any(|(a, b)| *a != b)
            {
                return Err(FieldError::new(
                    at("population"),
                    format!(
                        "must list the same segments, by name and in order, as `population` ({}); \
                         give a segment share 0 to leave it out",
                        base_names.join(", ")
                    ),
                ));
            }
            let next = describe_input(&shift.population);
            let description = describe_change(&previous, &next);
            let population = Population::new(shift.population, &mut check)
                .map_err(|e| population_error(e).within(&format!("shifts[{j}]")))?;
            populations.push(population);
            infos.push(ShiftInfo {
                episode: shift.at_episode,
                description,
            });
            previous = next;
        }
        Ok(Self {
            populations: populations.into(),
            shifts: infos.into(),
            active: 0,
        })
    }

    /// A schedule with one population and no shift.
    pub fn fixed(population: Population<P>) -> Self {
        Self {
            populations: vec![population].into(),
            shifts: Vec::new().into(),
            active: 0,
        }
    }

    /// Makes population `index` (0: the scenario's, `i + 1`: after shift `i`) the one users are
    /// drawn from; an index past the last shift selects the last population.
    pub fn select(&mut self, index: usize) {
        self.active = index.min(self.populations.len() - 1);
    }

    /// The population in force.
    pub fn active(&self) -> &Population<P> {
        &self.populations[self.active]
    }

    /// Every population: the scenario's, then one per shift.
    pub fn all(&self) -> &[Population<P>] {
        &self.populations
    }

    /// The shifts, in episode order.
    pub fn shifts(&self) -> &[ShiftInfo] {
        &self.shifts
    }

    /// Draws a segment index from the population in force.
    pub fn sample(&self, rng: &mut SimRng) -> usize {
        self.active().sample(rng)
    }

    /// The parameters of segment `i` in the population in force.
    pub fn params(&self, i: usize) -> &P {
        self.active().params(i)
    }

    /// Segment names in order (the same in every population of the schedule).
    pub fn names(&self) -> &[String] {
        self.populations[0].names()
    }

    /// Number of segments (the same in every population of the schedule).
    pub fn len(&self) -> usize {
        self.populations[0].len()
    }

    /// Always false: a population has at least one segment.
    pub fn is_empty(&self) -> bool {
        self.populations[0].is_empty()
    }
}

impl<P> PopulationSchedule<P> {
    /// Rejects a shift that changes `key` of any segment's parameters (e.g. the choice model,
    /// which agents were told about when they were built). `field` names the parameter
    /// under the segment's `user`.
    pub fn check_unchanged<T: PartialEq + std::fmt::Debug>(
        &self,
        field: &str,
        key: impl Fn(&P) -> T,
    ) -> Result<(), FieldError> {
        let base = &self.populations[0];
        for (j, population) in self.populations.iter().enumerate().skip(1) {
            for i in 0..base.len() {
                let (before, after) = (key(base.params(i)), key(population.params(i)));
                if before != after {
                    return Err(FieldError::new(
                        format!("shifts[{}].population[{i}].user.{field}", j - 1),
                        format!(
                            "a shift cannot change `{field}` ({before:?} before, {after:?} after): \
                             agents are built for the scenario's"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// A segment as compared between populations: its name, share and user parameters as JSON.
struct SegmentView {
    name: String,
    share: f64,
    user: serde_json::Value,
}

fn describe_input<R: Serialize>(segments: &[SegmentConfig<R>]) -> Vec<SegmentView> {
    segments
        .iter()
        .map(|s| SegmentView {
            name: s.name.clone(),
            share: s.share,
            // User parameters are plain numbers and enums; serde_json writes them all.
            user: serde_json::to_value(&s.user).unwrap_or(serde_json::Value::Null),
        })
        .collect()
}

/// One line saying what differs from `before` to `after` (same segments, in order): the
/// shares that changed, then each changed user parameter.
fn describe_change(before: &[SegmentView], after: &[SegmentView]) -> String {
    let mut parts = Vec::new();
    let shares: Vec<String> = before
        .iter()
        .zip(after)
        .filter(|(b, a)| b.share != a.share)
        .map(|(b, a)| format!("{} {} → {}", a.name, b.share, a.share))
        .collect();
    if !shares.is_empty() {
        parts.push(format!("share {}", shares.join(", ")));
    }
    for (b, a) in before.iter().zip(after) {
        match (&b.user, &a.user) {
            (serde_json::Value::Object(old), serde_json::Value::Object(new)) => {
                for (field, value) in new {
                    let old_value = old.get(field).unwrap_or(&serde_json::Value::Null);
                    if old_value != value {
                        parts.push(format!("{}.{field} {old_value} → {value}", a.name));
                    }
                }
            }
            (old, new) if old != new => parts.push(format!("{} user {old} → {new}", a.name)),
            _ => {}
        }
    }
    if parts.is_empty() {
        "no change".to_owned()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize)]
    struct User {
        x: f64,
    }

    fn seg(name: &str, share: f64, x: f64) -> SegmentConfig<User> {
        SegmentConfig {
            name: name.into(),
            share,
            user: User { x },
        }
    }

    fn check(user: User) -> Result<f64, FieldError> {
        if user.x >= 0.0 {
            Ok(user.x)
        } else {
            Err(FieldError::new("x", "must be ≥ 0"))
        }
    }

    fn shift(at_episode: u64, population: Vec<SegmentConfig<User>>) -> ShiftConfig<User> {
        ShiftConfig {
            at_episode,
            population,
        }
    }

    fn base() -> Vec<SegmentConfig<User>> {
        vec![seg("a", 0.3, 1.0), seg("b", 0.7, 2.0)]
    }

    #[test]
    fn shifts_are_selected_by_episode() {
        let shifts = vec![
            shift(10, vec![seg("a", 0.7, 1.0), seg("b", 0.3, 2.0)]),
            shift(20, vec![seg("a", 0.7, 1.0), seg("b", 0.3, 5.0)]),
        ];
        let mut schedule = PopulationSchedule::new(base(), shifts, check).unwrap();
        let infos = schedule.shifts().to_vec();
        assert_eq!(population_index(&infos, 0), 0);
        assert_eq!(population_index(&infos, 9), 0);
        assert_eq!(population_index(&infos, 10), 1);
        assert_eq!(population_index(&infos, 19), 1);
        assert_eq!(population_index(&infos, 20), 2);
        assert_eq!(infos[0].description, "share a 0.3 → 0.7, b 0.7 → 0.3");
        assert_eq!(infos[1].description, "b.x 2.0 → 5.0");
        schedule.select(2);
        assert_eq!(*schedule.params(1), 5.0);
        schedule.select(99);
        assert_eq!(*schedule.params(1), 5.0);
        schedule.select(0);
        assert_eq!(*schedule.params(1), 2.0);
        assert_eq!(schedule.active().shares(), &[0.3, 0.7]);
    }

    #[test]
    fn episodes_must_be_positive_and_strictly_increasing() {
        let ok = || vec![seg("a", 0.5, 1.0), seg("b", 0.5, 1.0)];
        let err = PopulationSchedule::new(base(), vec![shift(0, ok())], check).unwrap_err();
        assert_eq!(err.field, "shifts[0].at_episode");
        let err = PopulationSchedule::new(base(), vec![shift(5, ok()), shift(5, ok())], check)
            .unwrap_err();
        assert_eq!(err.field, "shifts[1].at_episode");
        assert!(
            err.message.contains("strictly increasing"),
            "{}",
            err.message
        );
    }

    #[test]
    fn shifted_segments_are_validated_where_they_are_written() {
        let bad_user = vec![seg("a", 0.5, 1.0), seg("b", 0.5, -1.0)];
        let err = PopulationSchedule::new(base(), vec![shift(5, bad_user)], check).unwrap_err();
        assert_eq!(err.field, "shifts[0].population[1].user.x");
        let bad_sum = vec![seg("a", 0.5, 1.0), seg("b", 0.6, 1.0)];
        let err = PopulationSchedule::new(base(), vec![shift(5, bad_sum)], check).unwrap_err();
        assert_eq!(err.field, "shifts[0].population");
        let renamed = vec![seg("a", 0.5, 1.0), seg("c", 0.5, 1.0)];
        let err = PopulationSchedule::new(base(), vec![shift(5, renamed)], check).unwrap_err();
        assert_eq!(err.field, "shifts[0].population");
        assert!(err.message.contains("same segments"), "{}", err.message);
    }
}
