//! The validated Interest Exploration model: what the setup checks once and every environment it
//! builds reads, shared so that neither needs the other's internals.

use super::documents::DocumentModel;
use super::user::UserModel;
use crate::sim::ObsSpec;
use crate::sim::schedule::PopulationSchedule;

/// Everything an environment needs, validated; each environment a setup builds takes a copy.
#[derive(Clone, Debug)]
pub(super) struct IexModel {
    /// The observation shape of every environment built.
    pub spec: ObsSpec,
    /// The user segments, with choice overrides resolved.
    pub population: PopulationSchedule<UserModel>,
    /// Step cap (truncation).
    pub max_steps: u32,
    /// Fresh candidates every step, else one corpus per environment.
    pub resample_documents: bool,
    /// The document model.
    pub documents: DocumentModel,
}
