//! The conditional choice model SlateQ assumes: choice weights v_i, v_⊥ from what it observes.
//!
//! Default ([`ChoiceSetting::Auto`]): the scenario's own model form where its score is
//! observable (Interest Evolution: proportional on user·document; slot 0 in Long-Term
//! Satisfaction), because then it is exact and needs no data; otherwise (Interest Exploration,
//! whose score depends on hidden affinities) a conditional logit learned online from every
//! served slate and its click. A learned model drives both serving and targets.

use serde::{Deserialize, Serialize};

use super::features::FeatureLayout;
use crate::sim::choice::ChoiceModel;
use crate::sim::observation::ChoiceScore;
use crate::sim::{ObsSpec, Observation};

/// Which choice model the agent assumes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChoiceSetting {
    /// The scenario's model where its score is observable or it is slot 0; otherwise learned.
    #[default]
    Auto,
    /// The scenario's model; an error where its score is hidden.
    Scenario,
    /// A conditional logit fitted by SGD on observed clicks (not for slot-0 scenarios).
    Learned,
}

impl ChoiceSetting {
    /// Checks the setting against the scenario's choice model; returns the reason on error.
    pub fn validate(self, spec: &ObsSpec) -> Result<(), String> {
        let hint = spec.choice;
        let slot0 = matches!(hint.model, ChoiceModel::Slot0);
        match self {
            Self::Scenario if !slot0 && hint.score == ChoiceScore::Hidden => {
                return Err("the scenario's choice score depends on hidden user state; \
                            use Learned or Auto"
                    .into());
            }
            Self::Learned if slot0 => {
                return Err(
                    "the scenario's user always consumes slot 0; a logit cannot \
                            express that: use Scenario or Auto"
                        .into(),
                );
            }
            _ => {}
        }
        match hint.score {
            ChoiceScore::UserDocDot if user_features(spec) != spec.doc_dim => Err(format!(
                "the choice score is user·document, but the user has {} features and documents {}",
                user_features(spec),
                spec.doc_dim
            )),
            ChoiceScore::DocFeature(f) if f >= spec.doc_dim => Err(format!(
                "the choice score is document feature {f}, but documents have {}",
                spec.doc_dim
            )),
            _ => Ok(()),
        }
    }
}

/// User features without the time feature: what the user·document score uses.
fn user_features(spec: &ObsSpec) -> usize {
    spec.user_dim - usize::from(spec.time_feature && spec.user_dim > 0)
}

/// What the choice model scores each candidate from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Score {
    /// The first `user_len` user features · the document features.
    UserDocDot {
        /// User features taken (the time feature is left out).
        user_len: usize,
    },
    /// One document feature.
    DocFeature(usize),
    /// The candidate's base features (document features ⊕ cluster one-hot), for a learned logit.
    BaseFeatures,
}

/// The agent's choice model, resolved from the setting and the scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum AgentChoice {
    /// The user consumes slot 0: slates are valued by their first item.
    Slot0,
    /// The scenario's proportional or logit model on an observable score.
    Fixed {
        /// The scenario's model.
        model: ChoiceModel,
        /// What the score is.
        score: Score,
    },
    /// A conditional logit with logit_i = w·φ_i and a learned null logit.
    Learned(LearnedLogit),
}

/// A conditional logit fitted online: P(i | A) ∝ e^{w·φ_i}, P(⊥ | A) ∝ e^{b}.
#[derive(Clone, Debug, PartialEq)]
pub struct LearnedLogit {
    score: Score,
    /// Scales of the choice features (β when the feature is the user·document score).
    pub w: Vec<f64>,
    /// The no-click logit b.
    pub null_logit: f64,
    lr: f64,
    probs: Vec<f64>,
}

impl AgentChoice {
    /// Resolves `setting` (validated) for `spec`, with `lr` for a learned model.
    pub fn new(setting: ChoiceSetting, spec: &ObsSpec, layout: &FeatureLayout, lr: f64) -> Self {
        let hint = spec.choice;
        let score = match hint.score {
            ChoiceScore::UserDocDot => Score::UserDocDot {
                user_len: user_features(spec),
            },
            ChoiceScore::DocFeature(f) => Score::DocFeature(f),
            ChoiceScore::Hidden => Score::BaseFeatures,
        };
        let slot0 = matches!(hint.model, ChoiceModel::Slot0);
        let learned = match setting {
            ChoiceSetting::Learned => true,
            ChoiceSetting::Scenario => false,
            ChoiceSetting::Auto => !slot0 && score == Score::BaseFeatures,
        };
        if slot0 && !learned {
            return Self::Slot0;
        }
        if !learned {
            return Self::Fixed {
                model: hint.model,
                score,
            };
        }
        let dim = if score == Score::BaseFeatures {
            layout.base_dim
        } else {
            1
        };
        Self::Learned(LearnedLogit {
            score,
            w: vec![0.0; dim],
            null_logit: 0.0,
            lr,
            probs: Vec::with_capacity(spec.slate_size + 1),
        })
    }

    /// Choice features per candidate (φ_i), stored in replay so weights can be recomputed.
    pub fn feature_dim(&self) -> usize {
        match self {
            Self::Slot0 => 0,
            Self::Fixed { .. } => 1,
            Self::Learned(l) => l.w.len(),
        }
    }

    /// A short name for internals and checkpoints.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Slot0 => "slot0",
            Self::Fixed { .. } => "scenario",
            Self::Learned(_) => "learned-logit",
        }
    }

    /// Writes φ for every candidate of `obs` into `out` (N × feature_dim, row-major).
    pub fn write_features(&self, obs: &Observation, layout: &FeatureLayout, out: &mut [f32]) {
        let score = match self {
            Self::Slot0 => return,
            Self::Fixed { score, .. } => *score,
            Self::Learned(l) => l.score,
        };
        let dim = self.feature_dim();
        for (i, phi) in out
            .chunks_exact_mut(dim.max(1))
            .take(obs.num_candidates())
            .enumerate()
        {
            match score {
                Score::UserDocDot { user_len } => {
                    let u = obs.user.iter().take(user_len);
                    phi[0] = u.zip(obs.doc(i).iter()).map(|(a, b)| a * b).sum::<f64>() as f32;
                }
                Score::DocFeature(f) => phi[0] = obs.docs[[i, f]] as f32,
                Score::BaseFeatures => layout.write_base(obs, i, phi),
            }
        }
    }

    /// Writes the choice weight of each candidate from its features φ (N × feature_dim) into
    /// `v` and returns the null weight. Weights are only meaningful relative to each other.
    pub fn weights(&self, phi: &[f32], v: &mut [f64]) -> f64 {
        match self {
            Self::Slot0 => {
                v.fill(0.0);
                0.0
            }
            Self::Fixed { model, .. } => fixed_weights(model, phi, v),
            Self::Learned(l) => {
                let dim = l.w.len();
                let mut shift = l.null_logit;
                for (vi, p) in v.iter_mut().zip(phi.chunks_exact(dim)) {
                    *vi = l.logit(p);
                    shift = shift.max(*vi);
                }
                for x in v.iter_mut() {
                    *x = (*x - shift).exp();
                }
                (l.null_logit - shift).exp()
            }
        }
    }

    /// One SGD step of the learned model's log-likelihood of the observed choice (no-op for
    /// fixed models). `phi` holds the features of all candidates the slate indexes into.
    pub fn observe(&mut self, phi: &[f32], slate: &[usize], clicked: Option<usize>) {
        let Self::Learned(l) = self else { return };
        let dim = l.w.len();
        l.probs.clear();
        let mut shift = l.null_logit;
        for &i in slate {
            let z = l.logit(&phi[i * dim..(i + 1) * dim]);
            shift = shift.max(z);
            l.probs.push(z);
        }
        l.probs.push(l.null_logit);
        l.probs.iter_mut().for_each(|z| *z = (*z - shift).exp());
        let total: f64 = l.probs.iter().sum();
        l.probs.iter_mut().for_each(|p| *p /= total);
        // ∂ log P(c) / ∂w = φ_c − Σ_j P(j) φ_j; ∂ / ∂b = [c = ⊥] − P(⊥).
        let lr = l.lr;
        for (slot, &i) in slate.iter().enumerate() {
            let g = f64::from(u8::from(clicked == Some(slot))) - l.probs[slot];
            let row = &phi[i * dim..(i + 1) * dim];
            l.w.iter_mut()
                .zip(row)
                .for_each(|(w, &x)| *w += lr * g * f64::from(x));
        }
        let k = slate.len();
        l.null_logit += lr * (f64::from(u8::from(clicked.is_none())) - l.probs[k]);
    }
}

impl LearnedLogit {
    fn logit(&self, phi: &[f32]) -> f64 {
        self.w.iter().zip(phi).map(|(w, &x)| w * f64::from(x)).sum()
    }
}

fn fixed_weights(model: &ChoiceModel, scores: &[f32], v: &mut [f64]) -> f64 {
    match *model {
        ChoiceModel::MultinomialProportional {
            min_normalizer,
            no_click_mass,
        } => {
            for (vi, &s) in v.iter_mut().zip(scores) {
                *vi = (f64::from(s) - min_normalizer).max(0.0);
            }
            no_click_mass - min_normalizer
        }
        ChoiceModel::MultinomialLogit { no_click_mass } => {
            let top = scores
                .iter()
                .map(|&s| f64::from(s))
                .fold(f64::NEG_INFINITY, f64::max);
            let shift = no_click_mass.map_or(top, |n| top.max(n));
            for (vi, &s) in v.iter_mut().zip(scores) {
                *vi = (f64::from(s) - shift).exp();
            }
            no_click_mass.map_or(0.0, |n| (n - shift).exp())
        }
        ChoiceModel::Slot0 => {
            v.fill(0.0);
            0.0
        }
    }
}

#[cfg(test)]
#[path = "choice_tests.rs"]
mod tests;
