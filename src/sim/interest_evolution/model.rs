//! The validated Interest Evolution model: what the setup checks once and every environment
//! it builds reads, shared so that neither needs the other's internals.

use super::documents::DocumentModel;
use super::user::UserParams;
use crate::sim::common::RewardKind;
use crate::sim::schedule::PopulationSchedule;

/// Everything an environment needs, validated; shared by every environment a setup builds.
#[derive(Debug)]
pub(super) struct IevModel {
    /// N.
    pub num_candidates: usize,
    /// K.
    pub slate_size: usize,
    /// Fresh candidates every step, else one corpus per environment.
    pub resample_documents: bool,
    /// Step cap (truncation).
    pub max_steps: Option<u32>,
    /// Append the time feature to the user observation.
    pub observe_time: bool,
    /// What the reward counts.
    pub reward: RewardKind,
    /// The video model.
    pub documents: DocumentModel,
    /// The user segments.
    pub population: PopulationSchedule<UserParams>,
}
