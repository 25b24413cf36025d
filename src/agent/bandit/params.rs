//! The model parameters the three bandits share: ridge penalty, features, models, credit.

use super::credit::Credit;
use super::features::{FeatureMap, FeatureParams};
use super::models::Models;
use crate::sim::{FieldError, ObsSpec};

/// Smallest ridge penalty accepted. Features that are collinear (one-hot blocks, constant
/// columns) leave A with eigenvalue λ beside entries that grow with every update; below
/// about 1e-10 rounding then breaks A's Cholesky factor within 20,000 steps (Interest
/// Exploration), so 1e-6 keeps a margin of 10⁴ in the number of updates.
pub const MIN_LAMBDA: f64 = 1e-6;

/// Default number of updates between refactorisations of A⁻¹ (and the factor) from A.
pub const DEFAULT_REFACTOR_EVERY: u64 = 1000;

/// How a bandit models the reward: the ridge model, its features and what it learns from.
///
/// In scenario files these fields sit flat in the agent's entry, beside its own parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelParams {
    /// λ ≥ [`MIN_LAMBDA`], the ridge penalty: A starts as λI.
    pub lambda: f64,
    /// Which blocks of the feature map to use.
    pub features: FeatureParams,
    /// One model shared by all candidates, or one per document cluster.
    pub models: Models,
    /// Which items of a step are learned from.
    pub credit: Credit,
    /// Updates between recomputations of A⁻¹ (and the factor) from A (≥ 1).
    pub refactor_every: u64,
}

impl Default for ModelParams {
    fn default() -> Self {
        Self {
            lambda: 1.0,
            features: FeatureParams::default(),
            models: Models::Shared,
            credit: Credit::Auto,
            refactor_every: DEFAULT_REFACTOR_EVERY,
        }
    }
}

impl ModelParams {
    /// Checks the parameters against the scenario; field names are relative to the agent entry.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        if !(self.lambda.is_finite() && self.lambda >= MIN_LAMBDA) {
            return Err(FieldError::new(
                "lambda",
                format!(
                    "must be a finite number ≥ {MIN_LAMBDA:e} (smaller penalties leave the design \
                     matrix numerically singular), got {}",
                    self.lambda
                ),
            ));
        }
        if self.refactor_every == 0 {
            return Err(FieldError::new("refactor_every", "must be at least 1"));
        }
        self.features
            .validate(spec)
            .map_err(|e| e.within("features"))?;
        let dim = FeatureMap::new(&self.features, spec).dim();
        self.models.validate(dim, spec)
    }
}

/// The flat scenario entry of a bandit: its own parameter `$own` and the model fields.
///
/// Scenario files write every bandit parameter flat in the entry (`LinUcb(alpha: 0.5,
/// lambda: 2.0)`), but `#[serde(flatten)]` cannot hold [`ModelParams`] flat there: it does
/// not combine with `deny_unknown_fields`, which rejects misspelt parameters. So this macro
/// repeats the model fields in a private wire struct per bandit, which serde reads and
/// writes in place of the parameters.
macro_rules! flat_entry {
    ($wire:ident for $params:ident named $name:literal, $own:ident: $ty:ty) => {
        #[derive(Clone, serde::Serialize, serde::Deserialize)]
        #[serde(rename = $name, deny_unknown_fields, default)]
        struct $wire {
            $own: $ty,
            lambda: f64,
            features: $crate::agent::bandit::features::FeatureParams,
            models: $crate::agent::bandit::models::Models,
            credit: $crate::agent::bandit::credit::Credit,
            refactor_every: u64,
        }

        impl Default for $wire {
            fn default() -> Self {
                $params::default().into()
            }
        }

        impl From<$wire> for $params {
            fn from(w: $wire) -> Self {
                Self {
                    $own: w.$own,
                    model: $crate::agent::bandit::params::ModelParams {
                        lambda: w.lambda,
                        features: w.features,
                        models: w.models,
                        credit: w.credit,
                        refactor_every: w.refactor_every,
                    },
                }
            }
        }

        impl From<$params> for $wire {
            fn from(p: $params) -> Self {
                Self {
                    $own: p.$own,
                    lambda: p.model.lambda,
                    features: p.model.features,
                    models: p.model.models,
                    credit: p.model.credit,
                    refactor_every: p.model.refactor_every,
                }
            }
        }
    };
}
pub(super) use flat_entry;
