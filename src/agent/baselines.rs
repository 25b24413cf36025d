//! Reference baselines: fixed rules and oracles the learners are judged against.

use serde::{Deserialize, Serialize};

use super::{ActContext, Agent, top_k};
use crate::sim::FieldError;
use crate::sim::rng::SimRng;
use crate::sim::{Hidden, ObsSpec};

/// Ranks candidates by their clickbait score (document feature 0): sweetest or least sweet first.
#[derive(Clone, Debug)]
pub struct Sweetness {
    sweetest_first: bool,
    scores: Vec<f64>,
}

impl Sweetness {
    /// `sweetest` when `sweetest_first`, else `least-sweet`.
    pub fn new(sweetest_first: bool) -> Self {
        Self {
            sweetest_first,
            scores: Vec::new(),
        }
    }
}

impl Agent for Sweetness {
    fn act(&mut self, ctx: &ActContext<'_>, _rng: &mut SimRng, slate: &mut Vec<usize>) {
        let sign = if self.sweetest_first { 1.0 } else { -1.0 };
        self.scores.clear();
        self.scores
            .extend(ctx.obs.docs.column(0).iter().map(|c| sign * c));
        top_k(&self.scores, ctx.spec.slate_size, slate);
    }
}

/// Oracle: serves the slate with the highest expected immediate reward under the hidden state.
#[derive(Clone, Copy, Debug, Default)]
pub struct OracleMyopic;

impl Agent for OracleMyopic {
    fn act(&mut self, ctx: &ActContext<'_>, _rng: &mut SimRng, slate: &mut Vec<usize>) {
        let oracle = ctx
            .oracle
            .expect("the engine gives oracle agents the hidden state");
        oracle.best_myopic_slate(slate);
    }
}

/// Oracle: top-K by the hidden quality of each candidate (Interest Evolution).
#[derive(Clone, Debug, Default)]
pub struct OracleQuality {
    scores: Vec<f64>,
}

impl Agent for OracleQuality {
    fn act(&mut self, ctx: &ActContext<'_>, _rng: &mut SimRng, slate: &mut Vec<usize>) {
        let oracle = ctx
            .oracle
            .expect("the engine gives oracle agents the hidden state");
        match oracle.hidden() {
            Hidden::InterestEvolution { doc_quality, .. } => {
                self.scores.clear();
                self.scores.extend_from_slice(doc_quality);
            }
            // Validation restricts this agent to Interest Evolution.
            _ => unreachable!("oracle-quality runs only in interest-evolution"),
        }
        top_k(&self.scores, ctx.spec.slate_size, slate);
    }
}

/// Parameters of `greedy-quality`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GreedyQualityParams {
    /// Assumed affinity of the average user for each topic (RecSim's `avg_user_state`).
    pub prior_affinity: Vec<f64>,
}

impl Default for GreedyQualityParams {
    fn default() -> Self {
        Self {
            prior_affinity: vec![0.52, 0.28],
        }
    }
}

impl GreedyQualityParams {
    /// Checks the prior against the environment's topics.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        if self.prior_affinity.len() != spec.num_clusters {
            return Err(FieldError::new(
                "prior_affinity",
                format!(
                    "needs one value per topic ({}), got {}",
                    spec.num_clusters,
                    self.prior_affinity.len()
                ),
            ));
        }
        if let Some(x) = self.prior_affinity.iter().find(|x| !x.is_finite()) {
            return Err(FieldError::new(
                "prior_affinity",
                format!("values must be finite, got {x}"),
            ));
        }
        Ok(())
    }
}

/// RecSim's greedy pCTR agent: top-K by prior affinity of the topic plus the observed quality,
/// which orders candidates exactly as the logit click probability does.
#[derive(Clone, Debug)]
pub struct GreedyQuality {
    params: GreedyQualityParams,
    scores: Vec<f64>,
}

impl GreedyQuality {
    /// A greedy agent for environments shaped like `spec`.
    pub fn new(params: GreedyQualityParams, spec: &ObsSpec) -> Self {
        Self {
            params,
            scores: Vec::with_capacity(spec.num_candidates),
        }
    }
}

impl Agent for GreedyQuality {
    fn act(&mut self, ctx: &ActContext<'_>, _rng: &mut SimRng, slate: &mut Vec<usize>) {
        self.scores.clear();
        let quality = ctx.obs.docs.column(0);
        for (q, &topic) in quality.iter().zip(&ctx.obs.doc_clusters) {
            self.scores
                .push(self.params.prior_affinity[topic as usize] + q);
        }
        top_k(&self.scores, ctx.spec.slate_size, slate);
    }
}
