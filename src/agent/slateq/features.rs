//! The network's input: state features ⊕ candidate features, one row per candidate.
//!
//! State: the user observation (with the time feature when the scenario has one), then
//! optionally the previous step's responses (click, log1p(engagement) per slot) and the
//! features of the slate they respond to, then optionally running totals of the episode's
//! responses. In choc-kale the user observation is empty and the engagement of the last
//! served item, together with that item's sweetness, reveals the latent satisfaction
//! (reference Appendix A); without them no agent beats a fixed policy. In Interest Evolution
//! the session ends when a hidden time budget runs out, and that budget is a linear function
//! of the totals (steps without a click, watch time and quality of what was watched; reference
//! §2.5): with them a state's value can depend on how much session is left.
//!
//! Candidate: the document features, optionally a one-hot of its cluster, and (when the
//! null item's value is learned) a flag that is 1 only on the null item's row.

use crate::sim::choice::ChoiceModel;
use crate::sim::{ObsSpec, Observation};

/// Scale of the history totals: Interest Evolution's sessions reach a few hundred steps and
/// minutes of watch time, so totals stay of order 1.
const HISTORY_SCALE: f32 = 0.01;

/// The parameters that shape the layout (SlateQ's `use_*`, `cluster_one_hot` and
/// `learn_null_value`); `None` picks the scenario's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeatureOptions {
    /// Previous responses in the state.
    pub use_responses: Option<bool>,
    /// Features of the previously served slate in the state.
    pub use_served_features: Option<bool>,
    /// Running totals of the episode's responses in the state.
    pub use_history: Option<bool>,
    /// A one-hot of each candidate's cluster in its features.
    pub cluster_one_hot: Option<bool>,
    /// Candidate rows carry a null-item flag (where the user can decline).
    pub learn_null_value: bool,
}

/// Where each feature goes; fixed for the agent's lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureLayout {
    /// User observation length.
    pub user_dim: usize,
    /// K, slots whose responses and served items enter the state.
    pub slate_size: usize,
    /// Document features per candidate.
    pub doc_dim: usize,
    /// Width of the cluster one-hot (0 = none).
    pub cluster_width: usize,
    /// Previous responses are in the state.
    pub responses: bool,
    /// Previously served items' base features are in the state.
    pub served: bool,
    /// Running totals of the episode's responses at the end of the state (0 = none): steps,
    /// steps without a click, engagement of consumed items, and their quality where revealed.
    pub history_dim: usize,
    /// Candidate rows end with a null-item flag.
    pub null_flag: bool,
    /// Document features ⊕ cluster one-hot.
    pub base_dim: usize,
    /// Base features ⊕ null flag.
    pub cand_dim: usize,
    /// Length of the state part of a row.
    pub state_dim: usize,
}

impl FeatureLayout {
    /// The layout for a scenario shaped like `spec` under `options`.
    pub fn new(spec: &ObsSpec, options: FeatureOptions) -> Self {
        let own_user = spec.user_dim - usize::from(spec.time_feature && spec.user_dim > 0);
        let responses = options.use_responses.unwrap_or(own_user == 0);
        let served = options.use_served_features.unwrap_or(responses);
        // Interest Evolution and Exploration already one-hot the topic in the features.
        let clusters = options
            .cluster_one_hot
            .unwrap_or(spec.num_clusters > 0 && spec.doc_dim < spec.num_clusters);
        let cluster_width = if clusters { spec.num_clusters } else { 0 };
        let base_dim = spec.doc_dim + cluster_width;
        // A user who always consumes slot 0 never declines: there is no null item to value.
        let null_flag =
            options.learn_null_value && !matches!(spec.choice.model, ChoiceModel::Slot0);
        let cand_dim = base_dim + usize::from(null_flag);
        let k = spec.slate_size;
        // Episodes without a step bound end on hidden state (Interest Evolution's budget).
        let history = options.use_history.unwrap_or(spec.max_steps.is_none());
        let history_dim = if history {
            3 + usize::from(spec.response_fields.quality)
        } else {
            0
        };
        let state_dim = spec.user_dim
            + if responses { 2 * k } else { 0 }
            + if served { k * base_dim } else { 0 }
            + history_dim;
        Self {
            user_dim: spec.user_dim,
            slate_size: k,
            doc_dim: spec.doc_dim,
            cluster_width,
            responses,
            served,
            history_dim,
            null_flag,
            base_dim,
            cand_dim,
            state_dim,
        }
    }

    /// Width of one network input row.
    pub fn input_dim(&self) -> usize {
        self.state_dim + self.cand_dim
    }

    /// Length of the served-items memory (K × base_dim, or 0 when unused).
    pub fn served_dim(&self) -> usize {
        if self.served {
            self.slate_size * self.base_dim
        } else {
            0
        }
    }

    /// Length of the state memory an agent carries between steps: the served items' base
    /// features, then the history totals.
    pub fn memory_dim(&self) -> usize {
        self.served_dim() + self.history_dim
    }

    /// Adds the responses in `obs` to the history totals in `memory` (nothing at a reset
    /// observation, whose responses are placeholders).
    pub fn add_responses(&self, obs: &Observation, memory: &mut [f32]) {
        if self.history_dim == 0 || obs.step == 0 {
            return;
        }
        let h = &mut memory[self.served_dim()..self.memory_dim()];
        h[0] = obs.step as f32 * HISTORY_SCALE;
        if !obs.responses.iter().any(|r| r.clicked) {
            h[1] += HISTORY_SCALE;
        }
        for r in obs.responses.iter().filter(|r| r.clicked) {
            h[2] += r.engagement.max(0.0) as f32 * HISTORY_SCALE;
            if self.history_dim > 3 {
                h[3] += r.quality as f32 * HISTORY_SCALE;
            }
        }
    }

    /// Writes the state features of `obs`; `memory` holds the base features of the slate the
    /// responses in `obs` refer to (zeros at an episode's start), then the history totals.
    pub fn write_state(&self, obs: &Observation, memory: &[f32], out: &mut [f32]) {
        debug_assert_eq!(out.len(), self.state_dim);
        let (user, rest) = out.split_at_mut(self.user_dim);
        user.iter_mut()
            .zip(obs.user.iter())
            .for_each(|(o, &x)| *o = x as f32);
        let rest = if self.responses {
            let (resp, rest) = rest.split_at_mut(2 * self.slate_size);
            for (pair, r) in resp.chunks_exact_mut(2).zip(&obs.responses) {
                pair[0] = f32::from(u8::from(r.clicked));
                // Reset's placeholder engagement is −1: read it as "nothing yet", not log(0).
                pair[1] = r.engagement.max(0.0).ln_1p() as f32;
            }
            rest
        } else {
            rest
        };
        rest.copy_from_slice(&memory[..self.memory_dim()]);
    }

    /// Writes candidate `i`'s base features (document features ⊕ cluster one-hot).
    pub fn write_base(&self, obs: &Observation, i: usize, out: &mut [f32]) {
        let (doc, clusters) = out[..self.base_dim].split_at_mut(self.doc_dim);
        doc.iter_mut()
            .zip(obs.doc(i).iter())
            .for_each(|(o, &x)| *o = x as f32);
        if self.cluster_width > 0 {
            clusters.fill(0.0);
            // An id beyond the declared clusters gets no indicator rather than a panic.
            if let Some(c) = obs.doc_clusters.get(i).map(|&c| c as usize)
                && c < self.cluster_width
            {
                clusters[c] = 1.0;
            }
        }
    }

    /// Writes candidate `i`'s full features (base ⊕ null flag 0).
    pub fn write_candidate(&self, obs: &Observation, i: usize, out: &mut [f32]) {
        self.write_base(obs, i, out);
        if self.null_flag {
            out[self.base_dim] = 0.0;
        }
    }

    /// Writes the null item's features: zeros and a set null flag.
    pub fn write_null(&self, out: &mut [f32]) {
        out[..self.cand_dim].fill(0.0);
        if self.null_flag {
            out[self.base_dim] = 1.0;
        }
    }
}

/// Writes `rows` candidate rows of `obs` (the null row last when learned), no state part.
pub(super) fn fill_candidate_rows(
    layout: &FeatureLayout,
    obs: &Observation,
    out: &mut Vec<f32>,
    rows: usize,
) {
    let w = layout.cand_dim;
    out.resize(rows * w, 0.0);
    for (i, row) in out.chunks_exact_mut(w).enumerate() {
        if i < obs.num_candidates() {
            layout.write_candidate(obs, i, row);
        } else {
            layout.write_null(row);
        }
    }
}

/// Writes the network input for one state: `rows` rows of state ⊕ candidate features.
pub(super) fn fill_rows(
    layout: &FeatureLayout,
    state: &[f32],
    obs: &Observation,
    out: &mut Vec<f32>,
    rows: usize,
) {
    let width = layout.input_dim();
    out.resize(rows * width, 0.0);
    for (i, row) in out.chunks_exact_mut(width).take(rows).enumerate() {
        let (s, c) = row.split_at_mut(layout.state_dim);
        s.copy_from_slice(state);
        if i < obs.num_candidates() {
            layout.write_candidate(obs, i, c);
        } else {
            layout.write_null(c);
        }
    }
}
