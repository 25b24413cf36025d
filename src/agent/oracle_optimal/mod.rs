//! `oracle-optimal`: the optimal policy for Long-Term Satisfaction (choc-kale), by dynamic
//! programming over the hidden net positive exposure and the steps left (reference Appendix A).
//!
//! It reads the hidden NPE and steps left, and must be told the user model (its parameters
//! default to the choc-kale preset's) and the reward (engagement, or the tutorial's
//! `SatisfyingClicks`): it is optimal only when they match the scenario's. It assumes slot-0
//! consumption.

mod dp;

use serde::{Deserialize, Serialize};

use super::{ActContext, Agent, top_k};
use crate::sim::FieldError;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::{RewardKind, check_finite, check_range};
use crate::sim::long_term_satisfaction::params::{LtsConfig, LtsDocuments};
use crate::sim::rng::SimRng;
use crate::sim::{Hidden, ObsSpec};

pub use dp::ValueTable;

/// The user and document model the oracle plans with (defaults: the choc-kale preset).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OracleOptimalParams {
    /// β, the AR(1) coefficient of NPE, in [0, 1).
    pub memory_discount: f64,
    /// τ: satisfaction = σ(τ·NPE).
    pub sensitivity: f64,
    /// η, standard deviation of the NPE transition noise.
    pub innovation_stddev: f64,
    /// Mean of log-engagement at c = 1.
    pub choc_mean: f64,
    /// Standard deviation of log-engagement at c = 1.
    pub choc_stddev: f64,
    /// Mean of log-engagement at c = 0.
    pub kale_mean: f64,
    /// Standard deviation of log-engagement at c = 0.
    pub kale_stddev: f64,
    /// Steps per session (the planning horizon).
    pub time_budget: u32,
    /// How candidates' clickbait scores are drawn.
    pub documents: LtsDocuments,
    /// Points of the NPE grid the value function is tabulated on.
    pub npe_grid_points: usize,
    /// Equal-probability cells per clickbait range for the expectation over candidates.
    pub clickbait_cells: usize,
    /// The reward planned for: `Engagement` or `SatisfyingClicks` (`Clicks` pays every policy
    /// 1 per step under slot-0 consumption, so there is nothing to plan). Left out of the
    /// canonical text when it is `Engagement`, so earlier reports' agent specs stay the same.
    #[serde(skip_serializing_if = "is_default")]
    pub reward: RewardKind,
}

/// Whether `value` is its type's default, which the canonical text leaves out.
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Default for OracleOptimalParams {
    fn default() -> Self {
        Self {
            memory_discount: 0.7,
            sensitivity: 0.9,
            innovation_stddev: 1e-5,
            choc_mean: 5.0,
            choc_stddev: 0.0,
            kale_mean: 0.0,
            kale_stddev: 0.0,
            time_budget: 10,
            documents: LtsDocuments::Alternating {
                sweet: (0.8, 1.0),
                bitter: (0.0, 0.2),
            },
            npe_grid_points: 2001,
            clickbait_cells: 100,
            reward: RewardKind::Engagement,
        }
    }
}

impl OracleOptimalParams {
    /// The model of a Long-Term Satisfaction scenario whose users all share one model, with
    /// the default grid; `Err` says why the oracle cannot plan for the scenario exactly.
    pub fn for_scenario(config: &LtsConfig) -> Result<Self, String> {
        let [segment] = config.population.as_slice() else {
            return Err(format!(
                "the population has {} segments; oracle-optimal plans for one user model",
                config.population.len()
            ));
        };
        if !config.shifts.is_empty() {
            return Err("the population shifts during the run".into());
        }
        let u = &segment.user;
        Ok(Self {
            memory_discount: u.memory_discount,
            sensitivity: u.sensitivity,
            innovation_stddev: u.innovation_stddev,
            choc_mean: u.choc_mean,
            choc_stddev: u.choc_stddev,
            kale_mean: u.kale_mean,
            kale_stddev: u.kale_stddev,
            time_budget: u.time_budget,
            documents: config.documents.clone(),
            reward: config.reward,
            ..Self::default()
        })
    }
}

/// Log-engagement means beyond this overflow nothing but make no sense either.
const MAX_LOG_ENGAGEMENT: f64 = 50.0;

impl OracleOptimalParams {
    /// Checks the parameters and that the scenario is one the oracle can plan for.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        if !matches!(spec.choice.model, ChoiceModel::Slot0) {
            return Err(FieldError::new(
                String::new(),
                "oracle-optimal plans for users who consume slot 0 (RecSim's model)",
            ));
        }
        if spec.doc_dim == 0 {
            return Err(FieldError::new(
                String::new(),
                "documents carry no clickbait feature",
            ));
        }
        if self.reward == RewardKind::Clicks {
            return Err(FieldError::new(
                "reward",
                "Clicks pays every policy 1 per step when users consume slot 0, so there is \
                 nothing to plan; oracle-optimal plans for Engagement or SatisfyingClicks",
            ));
        }
        check_range("memory_discount", self.memory_discount, 0.0, 1.0 - 1e-9)?;
        check_finite("sensitivity", self.sensitivity)?;
        check_range("innovation_stddev", self.innovation_stddev, 0.0, 10.0)?;
        let m = MAX_LOG_ENGAGEMENT;
        check_range("choc_mean", self.choc_mean, -m, m)?;
        check_range("kale_mean", self.kale_mean, -m, m)?;
        check_range("choc_stddev", self.choc_stddev, 0.0, 10.0)?;
        check_range("kale_stddev", self.kale_stddev, 0.0, 10.0)?;
        if self.time_budget == 0 || self.time_budget > 100_000 {
            return Err(FieldError::new(
                "time_budget",
                format!("must be in 1..=100000, got {}", self.time_budget),
            ));
        }
        if !(11..=1_000_001).contains(&self.npe_grid_points) {
            return Err(FieldError::new(
                "npe_grid_points",
                format!("must be in 11..=1000001, got {}", self.npe_grid_points),
            ));
        }
        if !(1..=10_000).contains(&self.clickbait_cells) {
            return Err(FieldError::new(
                "clickbait_cells",
                format!("must be in 1..=10000, got {}", self.clickbait_cells),
            ));
        }
        let range = |field: &str, (lo, hi): (f64, f64)| -> Result<(), FieldError> {
            if lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi && hi <= 1.0 {
                Ok(())
            } else {
                Err(FieldError::new(
                    field,
                    format!("must satisfy 0 ≤ low ≤ high ≤ 1, got ({lo}, {hi})"),
                ))
            }
        };
        match self.documents {
            LtsDocuments::Uniform { low, high } => range("documents", (low, high)),
            LtsDocuments::Alternating { sweet, bitter } => {
                range("documents.sweet", sweet)?;
                range("documents.bitter", bitter)
            }
        }
    }
}

/// The optimal policy for the planned-for user model.
#[derive(Clone, Debug)]
pub struct OracleOptimal {
    table: ValueTable,
    scores: Vec<f64>,
}

impl OracleOptimal {
    /// Plans for scenarios shaped like `spec`; `params` must have passed `validate`.
    pub fn new(params: &OracleOptimalParams, spec: &ObsSpec) -> Self {
        // Planned to the session length; `act` plans further if the hidden state asks for it.
        Self {
            table: ValueTable::new(params, spec.num_candidates, params.time_budget),
            scores: Vec::with_capacity(spec.num_candidates),
        }
    }

    /// The value table (V_t(NPE)).
    pub fn table(&self) -> &ValueTable {
        &self.table
    }
}

impl Agent for OracleOptimal {
    fn act(&mut self, ctx: &ActContext<'_>, _rng: &mut SimRng, slate: &mut Vec<usize>) {
        let oracle = ctx
            .oracle
            .expect("the engine gives oracle agents the hidden state");
        let Hidden::LongTermSatisfaction {
            npe, steps_left, ..
        } = oracle.hidden()
        else {
            unreachable!("oracle-optimal runs only in long-term-satisfaction")
        };
        let steps_left = steps_left.max(1);
        // A longer session than planned for: plan further (once; the table keeps it).
        self.table.extend_to(steps_left);
        self.scores.clear();
        let clickbait = ctx.obs.docs.column(0);
        self.scores.extend(
            clickbait
                .iter()
                .map(|&c| self.table.action_value(npe, c, steps_left)),
        );
        top_k(&self.scores, ctx.spec.slate_size, slate);
    }
}

#[cfg(test)]
mod tests;
