//! Linear Thompson sampling: rank candidates under one plausible draw of the model.

use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::kernels::{dot, mat_vec};
use super::learner::LinearLearner;
use super::params::{ModelParams, flat_entry};
use super::ridge::Ridge;
use crate::agent::{
    ActContext, Agent, AgentError, CheckpointError, Internals, Mode, Transition, internals_mean,
    top_k,
};
use crate::metrics::Ema;
use crate::sim::FieldError;
use crate::sim::ObsSpec;
use crate::sim::common::check_positive;
use crate::sim::rng::SimRng;

/// Parameters of `lints`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "LinTsEntry", into = "LinTsEntry")]
pub struct LinTsParams {
    /// v > 0, the posterior scale: θ is drawn from N(θ̂, v²A⁻¹) (about the reward noise's σ).
    pub v: f64,
    /// The ridge model, its features and credit.
    pub model: ModelParams,
}

impl Default for LinTsParams {
    fn default() -> Self {
        Self {
            v: 1.0,
            model: ModelParams::default(),
        }
    }
}

flat_entry!(LinTsEntry for LinTsParams named "LinTsParams", v: f64);

impl LinTsParams {
    /// Checks the parameters against the scenario; returns the field and what is allowed.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        check_positive("v", self.v)?;
        self.model.validate(spec)
    }
}

/// Linear Thompson sampling (Agrawal & Goyal 2013): each step draws θ̃ = θ̂ + v·R⁻¹z with
/// z ~ N(0, I) and A = RᵀR, so θ̃ ~ N(θ̂, v²A⁻¹), and serves the top K by xᵀθ̃.
///
/// The d normal draws come from the step's `SimRng` in a fixed order and the solve uses only
/// correctly rounded arithmetic, so a seed gives the same draws on every platform.
/// Evaluation ranks by xᵀθ̂ without drawing. With one model per cluster, each step draws a θ̃
/// for every cluster among the candidates, in the order the candidates first show it.
#[derive(Clone, Debug)]
pub struct LinTs {
    v: f64,
    core: LinearLearner,
    noise: Vec<f64>,
    /// θ̃ of every model, d values each.
    draws: Vec<f64>,
    /// Which models' θ̃ this step has drawn.
    drawn: Vec<bool>,
    mode: Mode,
    confidence_width: Ema,
}

impl LinTs {
    /// The name used in scenario files, outputs and checkpoints.
    pub const NAME: &'static str = "lints";

    /// A LinTS agent for environments shaped like `spec`. Validate `params` first.
    pub fn new(params: &LinTsParams, spec: &ObsSpec) -> Self {
        let core = LinearLearner::new(&params.model, true, spec);
        let (d, count) = (core.features.dim(), core.models.len());
        Self {
            v: params.v,
            core,
            noise: vec![0.0; d],
            draws: vec![0.0; count * d],
            drawn: vec![false; count],
            mode: Mode::Train,
            confidence_width: internals_mean(),
        }
    }

    /// θ̂, the posterior mean (with one model per cluster, cluster 0's).
    pub fn theta(&self) -> &[f64] {
        self.core.models[0].theta()
    }
}

impl Agent for LinTs {
    fn act(&mut self, ctx: &ActContext<'_>, rng: &mut SimRng, slate: &mut Vec<usize>) {
        let core = &mut self.core;
        core.featurize(ctx.obs);
        if self.mode == Mode::Train {
            let (v, d) = (self.v, core.features.dim());
            if core.per_cluster() {
                self.drawn.fill(false);
                for i in 0..core.scores.len() {
                    let m = core.model_of[i];
                    let draw = &mut self.draws[m * d..(m + 1) * d];
                    if !self.drawn[m] {
                        draw_theta(&core.models[m], v, &mut self.noise, rng, draw);
                        self.drawn[m] = true;
                    }
                    core.scores[i] = dot(&core.phi[i * d..(i + 1) * d], draw);
                }
            } else {
                let draw = &mut self.draws[..d];
                draw_theta(&core.models[0], v, &mut self.noise, rng, draw);
                mat_vec(&core.phi, draw, &mut core.scores);
            }
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

/// θ̃ = θ̂ + v·R⁻¹z for `model`, with z's d standard normals drawn from `rng` in order.
fn draw_theta(model: &Ridge, v: f64, noise: &mut [f64], rng: &mut SimRng, out: &mut [f64]) {
    for z in noise.iter_mut() {
        *z = StandardNormal.sample(rng);
    }
    model.sample(noise, v, out);
}
