//! The feature map φ(obs, i): what a linear bandit knows about recommending candidate i now.
//!
//! Built only from what an agent may observe, in this order (each block switchable):
//!
//! 1. `bias`: the constant 1.
//! 2. `user` (off by default): the user observation u itself (U values, time feature
//!    included).
//! 3. `doc`: the candidate's features x_i (D values).
//! 4. `interaction`, how u meets x_i:
//!    - `Elementwise`: u_j · x_ij for j < D, over the user features without the time feature,
//!      which must number D. In Interest Evolution, interests ⊙ one-hot topic = the interest in
//!      the candidate's topic, in that topic's coordinate.
//!    - `Outer`: u_a · x_ij for every user feature a (time feature included) and every j,
//!      a-major (U·D values).
//!    - `Auto` (default): over the user features without the time feature, `Elementwise`
//!      when there are D of them, else `Outer` when there are 1 to 4, else none.
//! 5. `responses`: the previous step's responses summarised as r = (any click,
//!    log1p(total observed engagement, negatives and the reset placeholder counted as 0)),
//!    then r crossed with x_i: r_m · x_ij, m-major (2 + 2·D values). In choc-kale the last
//!    engagement reveals the user's satisfaction.
//!
//! Why `Auto` never crosses the time feature: the reward's dependence on time is not a
//! property of the candidate but of the user's state, which the agent's own policy drives.
//! In choc-kale, time × sweetness lets a linear model extrapolate the satisfaction that
//! serving chocolate wears down: fitted on "sweet early, bitter late" it predicts that sweet
//! items are worth less than bitter ones late in a session, never tries them there, and
//! serves the sweetest item in only 30 % of steps (myopic regret worse than random). Without
//! the crossing LinUCB serves the sweetest item in every step, its myopic optimum.
//!
//! The user main effects (`user`) never change the ranking under a given θ but can absorb a
//! per-user reward level that would otherwise bias the other coefficients. They are off by
//! default: on Interest Evolution they add 20 dimensions and doubled LinUCB's myopic regret
//! over 50,000 steps.
//!
//! The candidate's own features (`doc`) stay on by default: they are all a bandit has on
//! Interest Exploration, choc-kale and linear-bandit. On Interest Evolution, though, they are
//! one intercept per topic beside each topic's interest slope, while clicks depend on a topic
//! only through the user's interest in it; fitted on data the bandit's own choices select, a
//! topic that starts low is rarely served again. Over 50,000 steps on seeds 1–13, `doc: false`
//! cut LinUCB's myopic regret 3.4–13-fold and LinTS's 1.7–5.5-fold and kept their return
//! within ±4.5 of the myopic oracle's, where with the intercepts it drifts by up to ±11 with the hidden quality of
//! the topics they happen to favour (docs/results.md, "Bandits").

use serde::{Deserialize, Serialize};

use crate::sim::FieldError;
use crate::sim::{ObsSpec, Observation};

/// The largest model dimension d a bandit may use (A is d × d and each update costs O(d²)).
pub const MAX_DIM: usize = 512;

/// Non-time user features up to this many are crossed with every document feature by `Auto`.
pub const AUTO_OUTER_MAX_USER_DIM: usize = 4;

/// How the user observation is combined with each candidate's features.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Interaction {
    /// Over the non-time user features: `Elementwise` when they match the doc features, else
    /// `Outer` for 1 to 4 of them, else none.
    #[default]
    Auto,
    /// No user-document terms.
    None,
    /// u ⊙ x over the user features without the time feature (needs as many as doc features).
    Elementwise,
    /// u ⊗ x over all user features, time feature included.
    Outer,
}

/// Which blocks of the feature map a bandit uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeatureParams {
    /// A constant 1.
    pub bias: bool,
    /// The user observation as is (main effects).
    pub user: bool,
    /// The candidate's own features.
    pub doc: bool,
    /// User × document terms.
    pub interaction: Interaction,
    /// The previous step's (click, log1p engagement), alone and crossed with the candidate's features.
    pub responses: bool,
}

impl Default for FeatureParams {
    fn default() -> Self {
        Self {
            bias: true,
            user: false,
            doc: true,
            interaction: Interaction::Auto,
            responses: false,
        }
    }
}

impl FeatureParams {
    /// Checks that the chosen blocks fit the scenario; field names are relative to `features`.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), FieldError> {
        let (u, d) = (spec.user_dim, spec.doc_dim);
        let interests = interest_dim(spec);
        match self.interaction {
            Interaction::Elementwise if interests == 0 || interests != d => {
                return Err(FieldError::new(
                    "interaction",
                    format!(
                        "Elementwise needs as many user features (without the time feature) as \
                         document features and at least one; this scenario has {interests} and {d}"
                    ),
                ));
            }
            Interaction::Outer if u == 0 || d == 0 => {
                return Err(FieldError::new(
                    "interaction",
                    format!(
                        "Outer needs user and document features; this scenario has {u} and {d} \
                         (use Auto or None)"
                    ),
                ));
            }
            _ => {}
        }
        if self.responses && d == 0 {
            return Err(FieldError::new(
                "responses",
                "needs document features to cross with; this scenario has none",
            ));
        }
        let map = FeatureMap::new(self, spec);
        if map.dim() == 0 {
            return Err(FieldError::new(
                "bias",
                "the feature map is empty: enable at least one of bias, user, doc, interaction, \
                 responses",
            ));
        }
        if map.dim() > MAX_DIM {
            // Name the block most likely to blame: the products, else the largest left.
            let field = match (map.cross, self.responses) {
                (Cross::Elementwise(_) | Cross::Outer(_), _) => "interaction",
                (Cross::None, true) => "responses",
                (Cross::None, false) => "doc",
            };
            return Err(FieldError::new(
                field,
                format!(
                    "the feature map ({}) would have {} dimensions, more than {MAX_DIM}: \
                     turn off or shrink blocks",
                    map.describe(),
                    map.dim()
                ),
            ));
        }
        Ok(())
    }
}

/// The user features before the time feature.
fn interest_dim(spec: &ObsSpec) -> usize {
    spec.user_dim - usize::from(spec.time_feature && spec.user_dim > 0)
}

/// The interaction block once `Auto` is resolved against a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cross {
    None,
    /// Products of the first `n` user features with the `n` doc features.
    Elementwise(usize),
    /// All `n` user features times every doc feature.
    Outer(usize),
}

/// A feature map resolved for one scenario shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureMap {
    bias: bool,
    user_dim: usize,
    doc: bool,
    cross: Cross,
    responses: bool,
    doc_dim: usize,
    dim: usize,
}

impl FeatureMap {
    /// Resolves `params` for `spec`. Call [`FeatureParams::validate`] first.
    pub fn new(params: &FeatureParams, spec: &ObsSpec) -> Self {
        let d = spec.doc_dim;
        let interests = interest_dim(spec);
        let cross = match params.interaction {
            Interaction::None => Cross::None,
            Interaction::Elementwise => Cross::Elementwise(interests.min(d)),
            Interaction::Outer => Cross::Outer(spec.user_dim),
            Interaction::Auto if interests > 0 && interests == d => Cross::Elementwise(d),
            // The time feature is last, so the first `interests` user features are the others.
            Interaction::Auto if (1..=AUTO_OUTER_MAX_USER_DIM).contains(&interests) => {
                Cross::Outer(interests)
            }
            Interaction::Auto => Cross::None,
        };
        let cross_dim = match cross {
            Cross::None => 0,
            Cross::Elementwise(n) => n,
            Cross::Outer(n) => n * d,
        };
        let user_dim = if params.user { spec.user_dim } else { 0 };
        let dim = usize::from(params.bias)
            + user_dim
            + if params.doc { d } else { 0 }
            + cross_dim
            + if params.responses { 2 + 2 * d } else { 0 };
        Self {
            bias: params.bias,
            user_dim,
            doc: params.doc,
            cross,
            responses: params.responses,
            doc_dim: d,
            dim,
        }
    }

    /// d, the length of φ.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// A short description of the blocks and their sizes, e.g. `bias+doc(20)+elementwise(20)`.
    pub fn describe(&self) -> String {
        let d = self.doc_dim;
        let mut parts = Vec::new();
        if self.bias {
            parts.push("bias".to_string());
        }
        if self.user_dim > 0 {
            parts.push(format!("user({})", self.user_dim));
        }
        if self.doc {
            parts.push(format!("doc({d})"));
        }
        match self.cross {
            Cross::None => {}
            Cross::Elementwise(n) => parts.push(format!("elementwise({n})")),
            Cross::Outer(n) => parts.push(format!("outer({n}x{d})")),
        }
        if self.responses {
            parts.push(format!("responses(2+2x{d})"));
        }
        parts.join("+")
    }

    /// Writes φ(obs, i) for every candidate i into the rows of `out` (N × d, row-major).
    pub fn write_all(&self, obs: &Observation, out: &mut [f64]) {
        let r = response_summary(obs);
        for (i, row) in out.chunks_exact_mut(self.dim).enumerate() {
            self.write_with(obs, i, r, row);
        }
    }

    /// Writes φ(obs, i) into `out` (length d).
    pub fn write(&self, obs: &Observation, i: usize, out: &mut [f64]) {
        self.write_with(obs, i, response_summary(obs), out);
    }

    fn write_with(&self, obs: &Observation, i: usize, r: [f64; 2], out: &mut [f64]) {
        let (x, u) = (obs.docs.row(i), &obs.user);
        let d = self.doc_dim;
        let mut at = 0;
        // Each block is a zip of output slice and ndarray iterators, which walk contiguous
        // rows as plain slices.
        let mut block = |len: usize, fill: &mut dyn FnMut(&mut [f64])| {
            fill(&mut out[at..at + len]);
            at += len;
        };
        if self.bias {
            block(1, &mut |o| o[0] = 1.0);
        }
        if self.user_dim > 0 {
            block(self.user_dim, &mut |o| {
                o.iter_mut().zip(u).for_each(|(o, v)| *o = *v);
            });
        }
        if self.doc {
            block(d, &mut |o| o.iter_mut().zip(&x).for_each(|(o, v)| *o = *v));
        }
        match self.cross {
            Cross::None => {}
            Cross::Elementwise(n) => block(n, &mut |o| {
                o.iter_mut()
                    .zip(u.iter().zip(&x))
                    .for_each(|(o, (a, b))| *o = a * b);
            }),
            Cross::Outer(n) => {
                for &ua in u.iter().take(n) {
                    block(d, &mut |o| {
                        o.iter_mut().zip(&x).for_each(|(o, v)| *o = ua * v);
                    });
                }
            }
        }
        if self.responses {
            block(2, &mut |o| o.copy_from_slice(&r));
            for rm in r {
                block(d, &mut |o| {
                    o.iter_mut().zip(&x).for_each(|(o, v)| *o = rm * v);
                });
            }
        }
    }
}

/// (any click, log1p(total engagement ≥ 0)) of the previous step's responses.
fn response_summary(obs: &Observation) -> [f64; 2] {
    let clicked = obs.responses.iter().any(|r| r.clicked);
    // The reset placeholder is −1 and some environments report negative rewards as
    // engagement; both count as no engagement so log1p stays finite.
    let engagement: f64 = obs.responses.iter().map(|r| r.engagement.max(0.0)).sum();
    [f64::from(u8::from(clicked)), engagement.ln_1p()]
}

#[cfg(test)]
mod tests;
