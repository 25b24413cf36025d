//! How many linear models a bandit keeps: one shared by every candidate, or one per document
//! cluster (the "disjoint" models of Li et al. 2010, with clusters as arms).
//!
//! Documents are resampled every step, so a model per document would never be revisited; a
//! cluster (Interest Evolution's and Interest Exploration's topic) recurs, so a model per
//! cluster can learn how a topic's reward depends on the user, where a shared model with
//! topic one-hots learns only a per-topic intercept beside slopes common to all topics.

use serde::{Deserialize, Serialize};

use crate::sim::FieldError;
use crate::sim::ObsSpec;

/// Largest number of model entries (clusters × d²) accepted: each model keeps several d × d
/// matrices, so this bounds the memory of a per-cluster bandit to tens of megabytes.
pub const MAX_MODEL_ENTRIES: usize = 1 << 20;

/// One model for all candidates, or one per document cluster.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Models {
    /// One θ for every candidate.
    #[default]
    Shared,
    /// One θ per cluster id; a candidate is scored and learned by its cluster's model.
    PerCluster,
}

impl Models {
    /// How many models this choice needs in environments shaped like `spec`.
    pub fn count(self, spec: &ObsSpec) -> usize {
        match self {
            Self::Shared => 1,
            Self::PerCluster => spec.num_clusters,
        }
    }

    /// Checks that the environment's documents carry cluster ids and that `dim`-feature
    /// models for all of them fit in memory; the field is `models`.
    pub fn validate(self, dim: usize, spec: &ObsSpec) -> Result<(), FieldError> {
        if self == Self::Shared {
            return Ok(());
        }
        let error = |message: String| Err(FieldError::new("models".to_owned(), message));
        if spec.num_clusters == 0 {
            return error(
                "PerCluster needs documents with cluster ids (Interest Evolution, Interest \
                 Exploration); this environment's documents have none"
                    .into(),
            );
        }
        let entries = spec.num_clusters.saturating_mul(dim.saturating_mul(dim));
        if entries > MAX_MODEL_ENTRIES {
            return error(format!(
                "PerCluster with {} clusters and d = {dim} needs {entries} model entries, more \
                 than {MAX_MODEL_ENTRIES}; use fewer features or Shared",
                spec.num_clusters
            ));
        }
        Ok(())
    }
}
