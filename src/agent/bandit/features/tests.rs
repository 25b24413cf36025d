use super::*;
use crate::agent::bandit::tests::support::{MNP, spec};
use crate::sim::ResponseObs;
use crate::sim::choice::ChoiceModel;
use ndarray::array;

fn phi(map: &FeatureMap, obs: &Observation, i: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; map.dim()];
    map.write(obs, i, &mut out);
    out
}

fn params(interaction: Interaction, responses: bool) -> FeatureParams {
    FeatureParams {
        interaction,
        responses,
        ..Default::default()
    }
}

#[test]
fn interest_evolution_crosses_interests_with_the_topic() {
    // Three interests, one-hot topics; candidate 1 is topic 2.
    let s = spec(3, 3, false, MNP);
    let map = FeatureMap::new(&FeatureParams::default(), &s);
    assert_eq!(map.dim(), 7);
    assert_eq!(map.describe(), "bias+doc(3)+elementwise(3)");
    let mut obs = Observation::new(&s);
    obs.user = array![0.5, -0.25, 0.75];
    obs.docs.row_mut(1).assign(&array![0.0, 0.0, 1.0]);
    assert_eq!(phi(&map, &obs, 1), vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.75]);
    // The time feature is left out of the elementwise product.
    let timed = spec(4, 3, true, MNP);
    let map = FeatureMap::new(&FeatureParams::default(), &timed);
    assert_eq!(map.describe(), "bias+doc(3)+elementwise(3)");
    let mut obs = Observation::new(&timed);
    obs.user = array![0.5, -0.25, 0.75, -0.4];
    obs.docs.row_mut(0).assign(&array![0.0, 1.0, 0.0]);
    assert_eq!(
        phi(&map, &obs, 0),
        vec![1.0, 0.0, 1.0, 0.0, 0.0, -0.25, 0.0]
    );
}

#[test]
fn choc_kale_keeps_time_out_of_products_and_crosses_responses() {
    // One user feature (the time feature), one document feature (the clickbait score).
    let s = spec(1, 1, true, ChoiceModel::Slot0);
    let map = FeatureMap::new(&params(Interaction::Auto, true), &s);
    assert_eq!(map.describe(), "bias+doc(1)+responses(2+2x1)");
    let mut obs = Observation::new(&s);
    obs.user = array![-0.3];
    obs.docs.row_mut(2).assign(&array![0.9]);
    // After reset the responses are placeholders (engagement −1): no click, no engagement.
    assert_eq!(phi(&map, &obs, 2), vec![1.0, 0.9, 0.0, 0.0, 0.0, 0.0]);
    obs.responses[0] = ResponseObs {
        clicked: true,
        engagement: 20.0,
        ..ResponseObs::default()
    };
    obs.responses[1] = ResponseObs {
        clicked: false,
        engagement: 0.0,
        ..ResponseObs::default()
    };
    let got = phi(&map, &obs, 2);
    assert_eq!(got[..4], [1.0, 0.9, 1.0, 21f64.ln()]);
    assert_eq!(got[4], 0.9);
    assert!((got[5] - 0.9 * 21f64.ln()).abs() < 1e-12);
}

#[test]
fn time_enters_as_a_main_effect_or_an_explicit_outer_product() {
    let s = spec(1, 1, true, ChoiceModel::Slot0);
    let mut obs = Observation::new(&s);
    obs.user = array![-0.3];
    obs.docs.row_mut(0).assign(&array![0.9]);
    let with_user = FeatureParams {
        user: true,
        ..FeatureParams::default()
    };
    let map = FeatureMap::new(&with_user, &s);
    assert_eq!(map.describe(), "bias+user(1)+doc(1)");
    assert_eq!(phi(&map, &obs, 0), vec![1.0, -0.3, 0.9]);
    let outer = FeatureParams {
        user: true,
        ..params(Interaction::Outer, false)
    };
    let map = FeatureMap::new(&outer, &s);
    assert_eq!(map.describe(), "bias+user(1)+doc(1)+outer(1x1)");
    assert_eq!(phi(&map, &obs, 0), vec![1.0, -0.3, 0.9, -0.3 * 0.9]);
    // A short non-time user vector is crossed by Auto, the time feature is not.
    let two_plus_time = spec(3, 3, true, MNP);
    let map = FeatureMap::new(&FeatureParams::default(), &two_plus_time);
    assert_eq!(map.describe(), "bias+doc(3)+outer(2x3)");
}

#[test]
fn outer_products_are_user_major() {
    let s = spec(2, 2, false, MNP);
    // Two user and two doc features match, so Auto would pick elementwise; ask for outer.
    let map = FeatureMap::new(&params(Interaction::Outer, false), &s);
    assert_eq!(map.dim(), 1 + 2 + 4);
    let mut obs = Observation::new(&s);
    obs.user = array![2.0, 3.0];
    obs.docs.row_mut(0).assign(&array![5.0, 7.0]);
    assert_eq!(
        phi(&map, &obs, 0),
        vec![1.0, 5.0, 7.0, 10.0, 14.0, 15.0, 21.0]
    );
    let auto = FeatureMap::new(&FeatureParams::default(), &s);
    assert_eq!(auto.describe(), "bias+doc(2)+elementwise(2)");
}

#[test]
fn interest_exploration_uses_the_documents_alone() {
    // No user features; quality and a one-hot topic per document.
    let s = spec(
        0,
        3,
        false,
        ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0),
        },
    );
    let map = FeatureMap::new(&FeatureParams::default(), &s);
    assert_eq!((map.dim(), map.describe()), (4, "bias+doc(3)".to_string()));
    let mut obs = Observation::new(&s);
    obs.docs.row_mut(3).assign(&array![2.2, 1.0, 0.0]);
    assert_eq!(phi(&map, &obs, 3), vec![1.0, 2.2, 1.0, 0.0]);
    let bare = FeatureParams {
        bias: false,
        ..params(Interaction::None, false)
    };
    assert_eq!(FeatureMap::new(&bare, &s).dim(), 3);
}

#[test]
fn long_user_vectors_are_not_crossed_by_auto() {
    // Five user features and three document features: no product fits automatically.
    let s = spec(5, 3, false, MNP);
    let map = FeatureMap::new(&FeatureParams::default(), &s);
    assert_eq!(map.describe(), "bias+doc(3)");
    assert!(FeatureParams::default().validate(&s).is_ok());
}

#[test]
fn write_all_fills_one_row_per_candidate() {
    let s = spec(3, 3, false, MNP);
    let map = FeatureMap::new(&FeatureParams::default(), &s);
    let mut obs = Observation::new(&s);
    obs.user = array![0.1, 0.2, 0.3];
    for i in 0..4 {
        obs.docs[[i, i % 3]] = 1.0;
    }
    let mut all = vec![0.0; 4 * map.dim()];
    map.write_all(&obs, &mut all);
    for i in 0..4 {
        assert_eq!(&all[i * 7..(i + 1) * 7], phi(&map, &obs, i).as_slice());
    }
}

#[test]
fn negative_or_missing_engagement_keeps_features_finite() {
    let s = spec(0, 1, false, ChoiceModel::Slot0);
    let map = FeatureMap::new(&params(Interaction::None, true), &s);
    let mut obs = Observation::new(&s);
    obs.docs[[0, 0]] = 1.0;
    obs.responses[0] = ResponseObs {
        clicked: true,
        engagement: -7.0,
        ..ResponseObs::default()
    };
    obs.responses[1] = ResponseObs {
        clicked: false,
        engagement: f64::NAN,
        ..ResponseObs::default()
    };
    assert_eq!(phi(&map, &obs, 0), vec![1.0, 1.0, 1.0, 0.0, 1.0, 0.0]);
}
