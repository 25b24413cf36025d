//! Linear Thompson sampling: rank candidates under one plausible draw of the model.

use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::credit::Credit;
use super::features::FeatureParams;
use super::kernels::mat_vec;
use super::learner::{DEFAULT_REFACTOR_EVERY, LinearLearner, RunningMean, validate_model};
use crate::agent::{
    ActContext, Agent, AgentError, CheckpointError, Internals, Mode, Transition, top_k,
};
use crate::sim::ObsSpec;
use crate::sim::common::check_positive;
use crate::sim::rng::SimRng;

/// Parameters of `lints`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinTsParams {
    /// v > 0, the posterior scale: θ is drawn from N(θ̂, v²A⁻¹) (about the reward noise's σ).
    pub v: f64,
    /// λ > 0, the ridge penalty: A starts as λI.
    pub lambda: f64,
    /// Which blocks of the feature map to use.
    pub features: FeatureParams,
    /// Which items of a step are learned from.
    pub credit: Credit,
    /// Updates between recomputations of A⁻¹ and its factor from A (≥ 1).
    pub refactor_every: u64,
}

impl Default for LinTsParams {
    fn default() -> Self {
        Self {
            v: 1.0,
            lambda: 1.0,
            features: FeatureParams::default(),
            credit: Credit::Auto,
            refactor_every: DEFAULT_REFACTOR_EVERY,
        }
    }
}

impl LinTsParams {
    /// Checks the parameters against the scenario; returns the field and what is allowed.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), (String, String)> {
        check_positive("v", self.v)?;
        validate_model(self.lambda, &self.features, self.refactor_every, spec)
    }
}

/// Linear Thompson sampling (Agrawal & Goyal 2013): each step draws θ̃ = θ̂ + v·R⁻¹z with
/// z ~ N(0, I) and A = RᵀR, so θ̃ ~ N(θ̂, v²A⁻¹), and serves the top K by xᵀθ̃.
///
/// The d normal draws come from the step's `SimRng` in a fixed order and the solve uses only
/// correctly rounded arithmetic, so a seed gives the same draws on every platform.
/// Evaluation ranks by xᵀθ̂ without drawing.
#[derive(Clone, Debug)]
pub struct LinTs {
    v: f64,
    core: LinearLearner,
    noise: Vec<f64>,
    draw: Vec<f64>,
    mode: Mode,
    confidence_width: RunningMean,
}

impl LinTs {
    /// The name used in scenario files, outputs and checkpoints.
    pub const NAME: &'static str = "lints";

    /// A LinTS agent for environments shaped like `spec`. Validate `params` first.
    pub fn new(params: &LinTsParams, spec: &ObsSpec) -> Self {
        let core = LinearLearner::new(
            params.lambda,
            &params.features,
            params.credit,
            params.refactor_every,
            true,
            spec,
        );
        let d = core.features.dim();
        Self {
            v: params.v,
            core,
            noise: vec![0.0; d],
            draw: vec![0.0; d],
            mode: Mode::Train,
            confidence_width: RunningMean::default(),
        }
    }

    /// θ̂, the posterior mean.
    pub fn theta(&self) -> &[f64] {
        self.core.ridge.theta()
    }
}

impl Agent for LinTs {
    fn act(&mut self, ctx: &ActContext<'_>, rng: &mut SimRng, slate: &mut Vec<usize>) {
        let core = &mut self.core;
        core.featurize(ctx.obs);
        if self.mode == Mode::Train {
            for z in &mut self.noise {
                *z = StandardNormal.sample(rng);
            }
            core.ridge.sample(&mut self.noise, self.v, &mut self.draw);
            mat_vec(&core.phi, &self.draw, &mut core.scores);
            core.steps += 1;
        } else {
            core.mean_scores();
        }
        top_k(&core.scores, ctx.spec.slate_size, slate);
    }

    fn learn(&mut self, t: &Transition<'_>, _rng: &mut SimRng) -> Result<(), AgentError> {
        // The width of a learned item, v·√(xᵀA⁻¹x), is the posterior standard deviation of
        // its score: what the sampling explores with.
        let (v, width) = (self.v, &mut self.confidence_width);
        self.core.learn(t, |q| width.push(v * q.sqrt()))
    }

    fn set_mode(&mut self, mode: Mode) {
        self.mode = mode;
    }

    fn internals(&self) -> Internals {
        Internals {
            updates: Some(self.core.ridge.updates()),
            confidence_width: self.confidence_width.get(),
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
