//! Slate choice and valuation under the agent's choice model, with the null item's value.

use super::choice::AgentChoice;
use super::optimize::{SlateOptimizer, SlateSolver, slate_value};

/// What a slate is optimised or valued against.
pub(super) struct SlateInputs<'a> {
    pub v: &'a [f64],
    pub v_null: f64,
    pub q: &'a [f64],
    /// The null item's value, when learned (otherwise 0).
    pub q_null: Option<f64>,
}

/// Chooses a slate: slot 0 by value, or `method` on Q shifted by the null item's value (which
/// turns Σ v_i Q_i + v_⊥ Q_⊥ over the total weight into the optimisers' form plus a constant).
pub(super) fn solve_slate(
    choice: &AgentChoice,
    solver: &mut SlateSolver,
    method: SlateOptimizer,
    inputs: SlateInputs<'_>,
    k: usize,
    shifted: &mut Vec<f64>,
    slate: &mut Vec<usize>,
) -> f64 {
    if let AgentChoice::Slot0 = choice {
        return solver.slot0(inputs.q, k, slate);
    }
    match inputs.q_null {
        None => solver.solve(method, inputs.v, inputs.v_null, inputs.q, k, slate),
        Some(qn) => {
            shifted.clear();
            shifted.extend(inputs.q.iter().map(|q| q - qn));
            solver.solve(method, inputs.v, inputs.v_null, shifted, k, slate);
            value_of(choice, &inputs, slate)
        }
    }
}

/// The value of `slate` under the choice model: Σ P(i) Q_i, plus P(⊥) Q_⊥ when learned.
pub(super) fn value_of(choice: &AgentChoice, inputs: &SlateInputs<'_>, slate: &[usize]) -> f64 {
    if let AgentChoice::Slot0 = choice {
        return slate.first().map_or(0.0, |&i| inputs.q[i]);
    }
    let qn = inputs.q_null.unwrap_or(0.0);
    let den = inputs.v_null + slate.iter().map(|&i| inputs.v[i]).sum::<f64>();
    if den > 0.0 {
        slate_value(inputs.v, inputs.v_null, inputs.q, slate) + inputs.v_null * qn / den
    } else {
        0.0
    }
}
