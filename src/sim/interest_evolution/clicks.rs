//! What the choice model implies beyond sampling: the no-click probability of a slate
//! (for expected rewards, without a scratch buffer) and the "choice score" of one video
//! that enters the utility of a consumed video.

use crate::sim::choice::ChoiceModel;

/// P(no click) for a slate whose items have raw `scores`, exactly as
/// [`ChoiceModel::probabilities`] computes it (weights clamped at 0; all-zero weights mean no click).
pub(super) fn no_click_probability<I>(model: &ChoiceModel, scores: I) -> f64
where
    I: Iterator<Item = f64> + Clone,
{
    let normalised = |items: f64, null: f64| {
        let total = items + null;
        if total > 0.0 && total.is_finite() {
            null / total
        } else {
            1.0
        }
    };
    match *model {
        ChoiceModel::MultinomialProportional {
            min_normalizer,
            no_click_mass,
        } => {
            let items: f64 = scores.map(|s| (s - min_normalizer).max(0.0)).sum();
            normalised(items, no_click_mass - min_normalizer)
        }
        ChoiceModel::MultinomialLogit { no_click_mass } => {
            let max = scores.clone().fold(f64::NEG_INFINITY, f64::max);
            let shift = no_click_mass.map_or(max, |n| max.max(n));
            let items: f64 = scores.map(|s| (s - shift).exp()).sum();
            let null = no_click_mass.map_or(0.0, |n| (n - shift).exp());
            normalised(items, null)
        }
        ChoiceModel::Slot0 => {
            let mut scores = scores;
            if scores.next().is_some() { 0.0 } else { 1.0 }
        }
    }
}

/// The score RecSim's choice model stores for a video scored on its own, which the budget
/// update weighs by `user_quality_factor`.
///
/// RecSim rescores the clicked video alone and reads `choice_model.scores[0]`:
/// - proportional: s − m (the selection weight; u_c + 1 in the stock model),
/// - logit: the softmax of [s, n] at s, i.e. P(click) on a one-video slate (1 without a null option),
/// - slot 0 (not in RecSim's IEv): 1, the probability of consuming a lone video.
///
/// The stock unit test (reference §10.4) fakes this score as 2, which is s − m at u_c = 1.
pub(super) fn choice_score_alone(model: &ChoiceModel, score: f64) -> f64 {
    match *model {
        ChoiceModel::MultinomialProportional { min_normalizer, .. } => score - min_normalizer,
        ChoiceModel::MultinomialLogit {
            no_click_mass: Some(n),
        } => 1.0 / (1.0 + (n - score).exp()),
        ChoiceModel::MultinomialLogit {
            no_click_mass: None,
        }
        | ChoiceModel::Slot0 => 1.0,
    }
}
