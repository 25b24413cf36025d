use ndarray::Array1;
use rand::RngExt;

use super::*;
use crate::agent::slateq::params::SlateQParams;
use crate::sim::observation::ChoiceHint;
use crate::sim::rng::{Phase, Purpose, StreamKey};
use crate::sim::{EnvKind, ResponseFields};

fn spec(model: ChoiceModel, score: ChoiceScore) -> ObsSpec {
    ObsSpec {
        kind: EnvKind::InterestEvolution,
        user_dim: 2,
        doc_dim: 2,
        num_candidates: 3,
        slate_size: 2,
        num_clusters: 0,
        time_feature: false,
        response_fields: ResponseFields::default(),
        choice: ChoiceHint { model, score },
        max_steps: None,
    }
}

const IEV: ChoiceModel = ChoiceModel::MultinomialProportional {
    min_normalizer: -1.0,
    no_click_mass: 1.0,
};

fn build(setting: ChoiceSetting, spec: &ObsSpec) -> (AgentChoice, FeatureLayout) {
    let layout = FeatureLayout::new(spec, SlateQParams::default().feature_options());
    (AgentChoice::new(setting, spec, &layout, 0.05), layout)
}

#[test]
fn auto_uses_the_scenario_model_where_the_score_is_observable() {
    let s = spec(IEV, ChoiceScore::UserDocDot);
    let (choice, layout) = build(ChoiceSetting::Auto, &s);
    assert_eq!(choice.name(), "scenario");
    let mut obs = Observation::new(&s);
    obs.user = Array1::from(vec![0.5, -0.5]);
    obs.docs[[0, 0]] = 1.0;
    obs.docs[[1, 1]] = 1.0;
    let mut phi = vec![0.0; 3];
    choice.write_features(&obs, &layout, &mut phi);
    assert_eq!(phi, vec![0.5, -0.5, 0.0]);
    let mut v = vec![0.0; 3];
    let v_null = choice.weights(&phi, &mut v);
    // Reference §10.4: weights u_c + 1 against a null weight of 2 → P = 0.375, 0.125, 0.5.
    assert_eq!(v, vec![1.5, 0.5, 1.0]);
    assert_eq!(v_null, 2.0);
}

#[test]
fn auto_learns_where_the_score_is_hidden_and_keeps_slot0() {
    let mnl = ChoiceModel::MultinomialLogit {
        no_click_mass: Some(5.0),
    };
    let (choice, _) = build(ChoiceSetting::Auto, &spec(mnl, ChoiceScore::Hidden));
    assert_eq!(choice.name(), "learned-logit");
    let (choice, _) = build(
        ChoiceSetting::Auto,
        &spec(ChoiceModel::Slot0, ChoiceScore::DocFeature(0)),
    );
    assert_eq!(choice, AgentChoice::Slot0);
}

#[test]
fn settings_that_cannot_work_are_rejected() {
    let hidden = spec(
        ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0),
        },
        ChoiceScore::Hidden,
    );
    assert!(ChoiceSetting::Scenario.validate(&hidden).is_err());
    assert!(ChoiceSetting::Learned.validate(&hidden).is_ok());
    let slot0 = spec(ChoiceModel::Slot0, ChoiceScore::DocFeature(0));
    assert!(ChoiceSetting::Learned.validate(&slot0).is_err());
    let mut bad_dims = spec(IEV, ChoiceScore::UserDocDot);
    bad_dims.doc_dim = 3;
    assert!(
        ChoiceSetting::Auto
            .validate(&bad_dims)
            .unwrap_err()
            .contains("user·document")
    );
}

#[test]
fn logit_weights_are_shift_safe() {
    let s = spec(
        ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0),
        },
        ChoiceScore::DocFeature(0),
    );
    let (choice, _) = build(ChoiceSetting::Scenario, &s);
    let mut v = vec![0.0; 3];
    let v_null = choice.weights(&[800.0, 799.0, 5.0], &mut v);
    assert!(v.iter().all(|x| x.is_finite()) && v_null.is_finite());
    assert!((v[1] / v[0] - (-1.0f64).exp()).abs() < 1e-12);
}

#[test]
fn learned_logit_recovers_scale_and_null_score_from_clicks() {
    // Truth: P(i) ∝ e^{2 s_i}, P(⊥) ∝ e^{1}, with s the observable user·doc score.
    let s = spec(IEV, ChoiceScore::UserDocDot);
    let (mut choice, _) = build(ChoiceSetting::Learned, &s);
    let mut rng = StreamKey {
        seed: 4,
        purpose: Purpose::AgentLearn,
        lane: 0,
        episode: 0,
        phase: Phase::Train,
    }
    .rng();
    let truth = ChoiceModel::MultinomialLogit {
        no_click_mass: Some(1.0),
    };
    for _ in 0..30_000 {
        let phi: Vec<f32> = (0..3).map(|_| rng.random_range(-1.0f32..1.0)).collect();
        let scores = [2.0 * f64::from(phi[0]), 2.0 * f64::from(phi[2])];
        let clicked = truth.sample(&scores, &mut rng);
        choice.observe(&phi, &[0, 2], clicked);
    }
    let AgentChoice::Learned(l) = &choice else {
        panic!("learned")
    };
    assert!((l.w[0] - 2.0).abs() < 0.25, "β = {}", l.w[0]);
    assert!((l.null_logit - 1.0).abs() < 0.25, "null = {}", l.null_logit);
}
