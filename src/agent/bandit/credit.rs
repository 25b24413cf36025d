//! Credit assignment: which (candidate, target) pairs a bandit learns from after a step.
//!
//! The bandits model the expected reward an item brings when it is shown, r(x) = E[reward
//! credited to x | x shown]. What is statistically sound depends on how the user chooses:
//!
//! - **Click choice models** (multinomial proportional or logit: Interest Evolution,
//!   Interest Exploration): every shown item is a Bernoulli trial of being chosen. The
//!   clicked item's target is the reward, every unclicked shown item's target is 0, so the
//!   regression estimates P(click | x) · E[reward | click x], the item's expected
//!   contribution. Learning only from clicked items would estimate E[reward | click] and
//!   ignore how rarely an item is clicked (selection bias); unclicked items are real
//!   evidence that the user passed them over.
//! - **Slot 0** (Long-Term Satisfaction, linear-bandit): the user consumes slot 0 whatever
//!   the other slots hold. Only slot 0's item is an observation, with the reward as target.
//!   The other slots earn nothing because of their position, not their features; teaching
//!   the model that they are worth 0 would drag every estimate towards zero.
//!
//! `Auto` picks from the scenario's choice model (its first segment's, which is what the
//! observation spec reports).

use serde::{Deserialize, Serialize};

use crate::agent::Transition;
use crate::sim::ObsSpec;
use crate::sim::choice::ChoiceModel;

/// Which observations a step yields, as written in a scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Credit {
    /// `Slot0` when the scenario's choice model consumes slot 0, else `ShownItems`.
    #[default]
    Auto,
    /// Every shown item: the clicked one with the reward, the others with 0.
    ShownItems,
    /// Only slot 0's item, with the reward (0 if the user clicked another slot).
    Slot0,
}

impl Credit {
    /// Resolves `Auto` against the scenario's choice model.
    #[must_use]
    pub fn resolve(self, spec: &ObsSpec) -> Self {
        match self {
            Self::Auto => match spec.choice.model {
                ChoiceModel::Slot0 => Self::Slot0,
                ChoiceModel::MultinomialProportional { .. }
                | ChoiceModel::MultinomialLogit { .. } => Self::ShownItems,
            },
            other => other,
        }
    }

    /// Calls `learn(candidate, target)` for each observation of the step `t`.
    ///
    /// `Auto` must have been resolved; it is treated as `ShownItems`.
    pub fn for_each_target(self, t: &Transition<'_>, mut learn: impl FnMut(usize, f64)) {
        let target = |slot: usize| {
            if t.clicked == Some(slot) {
                t.reward
            } else {
                0.0
            }
        };
        match self {
            Self::Slot0 => {
                if let Some(&item) = t.slate.first() {
                    // Under Slot0 choice the user clicks slot 0 (or nothing: then the
                    // reward belongs to no item). A click elsewhere, possible only when a
                    // segment overrides the choice model, earns slot 0 nothing.
                    let y = if t.clicked.is_none_or(|c| c == 0) {
                        t.reward
                    } else {
                        0.0
                    };
                    learn(item, y);
                }
            }
            Self::ShownItems | Self::Auto => {
                for (slot, &item) in t.slate.iter().enumerate() {
                    learn(item, target(slot));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::EnvSetup;
    use crate::sim::Observation;
    use crate::sim::linear_bandit::{LinearBanditConfig, setup};

    fn collect(
        credit: Credit,
        slate: &[usize],
        clicked: Option<usize>,
        reward: f64,
    ) -> Vec<(usize, f64)> {
        let spec = setup(LinearBanditConfig::default()).unwrap().spec().clone();
        let obs = Observation::new(&spec);
        let t = Transition {
            obs: &obs,
            slate,
            next_obs: &obs,
            reward,
            clicked,
            terminal: false,
            truncated: false,
        };
        let mut out = Vec::new();
        credit.for_each_target(&t, |i, y| out.push((i, y)));
        out
    }

    #[test]
    fn shown_items_credit_the_click_and_zero_the_rest() {
        assert_eq!(
            collect(Credit::ShownItems, &[4, 2, 7], Some(1), 3.5),
            vec![(4, 0.0), (2, 3.5), (7, 0.0)]
        );
        assert_eq!(
            collect(Credit::ShownItems, &[4, 2], None, 0.0),
            vec![(4, 0.0), (2, 0.0)]
        );
    }

    #[test]
    fn slot0_credits_only_the_first_item() {
        assert_eq!(
            collect(Credit::Slot0, &[5, 1], Some(0), -0.25),
            vec![(5, -0.25)]
        );
        assert_eq!(
            collect(Credit::Slot0, &[5, 1], Some(1), 2.0),
            vec![(5, 0.0)]
        );
        assert_eq!(collect(Credit::Slot0, &[], None, 0.0), vec![]);
    }

    #[test]
    fn auto_follows_the_choice_model() {
        let mut spec = setup(LinearBanditConfig::default()).unwrap().spec().clone();
        assert_eq!(Credit::Auto.resolve(&spec), Credit::Slot0);
        spec.choice.model = ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0),
        };
        assert_eq!(Credit::Auto.resolve(&spec), Credit::ShownItems);
        spec.choice.model = ChoiceModel::MultinomialProportional {
            min_normalizer: -1.0,
            no_click_mass: 1.0,
        };
        assert_eq!(Credit::Auto.resolve(&spec), Credit::ShownItems);
        assert_eq!(Credit::Slot0.resolve(&spec), Credit::Slot0);
    }
}
