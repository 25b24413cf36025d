//! LinUCB: rank candidates by an optimistic estimate of their reward.

use serde::{Deserialize, Serialize};

use super::learner::LinearLearner;
use super::params::{ModelParams, flat_entry};
use crate::agent::{
    ActContext, Agent, AgentError, CheckpointError, Internals, Mode, Transition, internals_mean,
    top_k,
};
use crate::metrics::Ema;
use crate::sim::FieldError;
use crate::sim::ObsSpec;
use crate::sim::common::check_non_negative;
use crate::sim::rng::SimRng;

/// Parameters of `linucb`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "LinUcbEntry", into = "LinUcbEntry")]
pub struct LinUcbParams {
    /// α ≥ 0, the weight of the confidence width (in reward units per unit of width).
    pub alpha: f64,
    /// The ridge model, its features and credit.
    pub model: ModelParams,
}

impl Default for LinUcbParams {
    fn default() -> Self {
        Self {
            alpha: 1.0,
            model: ModelParams::default(),
        }
    }
}

flat_entry!(LinUcbEntry for LinUcbParams named "LinUcbParams", alpha: f64);

impl LinUcbParams {
    /// Checks the parameters against the scenario; returns the field and what is allowed.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        check_non_negative("alpha", self.alpha)?;
        self.model.validate(spec)
    }
}

/// LinUCB (Li et al. 2010) with one model shared by all candidates: each candidate scores
/// xᵀθ̂ + α·√(xᵀA⁻¹x) and the slate is the top K, best first. Evaluation drops the bonus.
#[derive(Clone, Debug)]
pub struct LinUcb {
    alpha: f64,
    core: LinearLearner,
    widths: Vec<f64>,
    mode: Mode,
    confidence_width: Ema,
}

impl LinUcb {
    /// The name used in scenario files, outputs and checkpoints.
    pub const NAME: &'static str = "linucb";

    /// A LinUCB agent for environments shaped like `spec`. Validate `params` first.
    pub fn new(params: &LinUcbParams, spec: &ObsSpec) -> Self {
        let core = LinearLearner::new(&params.model, false, spec);
        Self {
            alpha: params.alpha,
            widths: vec![0.0; spec.num_candidates],
            core,
            mode: Mode::Train,
            confidence_width: internals_mean(),
        }
    }

    /// θ̂, the current estimate (with one model per cluster, cluster 0's).
    pub fn theta(&self) -> &[f64] {
        self.core.models[0].theta()
    }
}

impl Agent for LinUcb {
    fn act(&mut self, ctx: &ActContext<'_>, _rng: &mut SimRng, slate: &mut Vec<usize>) {
        let core = &mut self.core;
        core.featurize(ctx.obs);
        core.mean_scores();
        let explore = self.mode == Mode::Train && self.alpha > 0.0;
        if explore {
            // Rounding can leave xᵀA⁻¹x a hair below zero; the width of such an x is 0.
            core.squared_widths(&mut self.widths);
            for (s, w) in core.scores.iter_mut().zip(&mut self.widths) {
                *w = self.alpha * w.max(0.0).sqrt();
                *s += *w;
            }
        }
        top_k(&core.scores, ctx.spec.slate_size, slate);
        if explore && !slate.is_empty() {
            let mean = slate.iter().map(|&i| self.widths[i]).sum::<f64>() / slate.len() as f64;
            self.confidence_width.push(mean);
        }
        if self.mode == Mode::Train {
            core.steps += 1;
        }
    }

    fn learn(&mut self, t: &Transition<'_>, _rng: &mut SimRng) -> Result<(), AgentError> {
        self.core.learn(t, |_| {})
    }

    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    fn internals(&self) -> Internals {
        Internals {
            updates: Some(self.core.updates()),
            confidence_width: self.confidence_width.value(),
            ..Internals::default()
        }
    }

    fn save_state(&self) -> Option<serde_json::Value> {
        Some(self.core.save(Self::NAME))
    }

    fn load_state(&mut self, state: serde_json::Value) -> Result<(), CheckpointError> {
        self.core.load(Self::NAME, state)
    }
}
