//! Property tests: invariants that hold for every seed, slate and (valid) parameter.

use proptest::prelude::*;

use super::super::clicks::no_click_probability;
use super::super::{IevConfig, IevUser};
use super::{Policy, Rig, hidden_budget, hidden_interests};
use crate::sim::Hidden;
use crate::sim::choice::ChoiceModel;
use crate::sim::population::SegmentConfig;
use crate::sim::rng::{EnvRngs, Phase};

fn choice_model() -> impl Strategy<Value = ChoiceModel> {
    prop_oneof![
        (-3.0..=-1.0f64, 0.0..3.0f64).prop_map(|(m, extra)| ChoiceModel::MultinomialProportional {
            min_normalizer: m,
            no_click_mass: m + extra,
        }),
        proptest::option::of(-5.0..5.0f64)
            .prop_map(|n| ChoiceModel::MultinomialLogit { no_click_mass: n }),
        Just(ChoiceModel::Slot0),
    ]
}

/// Every subset of `0..n` of size `k`, as index lists.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    (k - 1..n)
        .flat_map(|last| {
            subsets(last, k - 1).into_iter().map(move |mut s| {
                s.push(last);
                s
            })
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn click_probabilities_sum_to_one_and_match_the_choice_model(
        model in choice_model(),
        scores in proptest::collection::vec(-1.0..=1.0f64, 0..6),
    ) {
        let mut p = vec![0.0; scores.len() + 1];
        model.probabilities(&scores, &mut p);
        prop_assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        prop_assert!(p.iter().all(|&x| (0.0..=1.0).contains(&x)));
        let none = no_click_probability(&model, scores.iter().copied());
        prop_assert!((none - p[scores.len()]).abs() < 1e-12, "{} vs {}", none, p[scores.len()]);
    }

    #[test]
    fn stock_episodes_keep_their_invariants(seed in any::<u64>(), k in 1usize..4) {
        let mut rig = Rig::stock(10, k);
        let mut policy = Policy::random(seed ^ 0xA5A5);
        let mut rngs = EnvRngs::for_episode(seed, Phase::Train, 0);
        rig.env.reset(&mut rngs, &mut rig.obs);
        let (mut slate, mut scratch) = (Vec::new(), Vec::new());
        for step in 1..=400u32 {
            policy.act(&rig, &mut slate, &mut scratch);
            let before = hidden_budget(rig.env.as_ref());
            let out = rig.step(&slate, &mut rngs);
            let after = hidden_budget(rig.env.as_ref());
            match out.clicked {
                None => prop_assert_eq!(after, before - 0.5),
                Some(j) => {
                    // B − w + α_B·w·q, with w = min(B, 4) from the budget before the step.
                    let w = before.min(4.0);
                    prop_assert_eq!(out.engagement, w);
                    let q = rig.obs.responses[j].quality;
                    let expected = before - w + (0.9 / 3.4) * w * q;
                    prop_assert!((after - expected).abs() < 1e-9);
                    // Stock qualities stay far below 3.4/0.9, where a click would pay for itself.
                    prop_assert!(q < 3.4 / 0.9);
                }
            }
            prop_assert!(after < before, "budget must shrink every step");
            prop_assert!(out.satisfaction > 0.0 && out.satisfaction < 1.0);
            prop_assert!(hidden_interests(rig.env.as_ref()).iter().all(|u| (-1.0..=1.0).contains(u)));
            prop_assert!(out.reward >= 0.0 && out.reward <= 4.0);
            prop_assert!(out.expected_reward <= out.best_expected_reward + 1e-12);
            prop_assert_eq!(out.done, after <= 0.0);
            prop_assert!(!out.truncated);
            if out.done {
                return Ok(());
            }
            prop_assert!(step < 400, "stock episodes end within 400 steps");
        }
    }

    #[test]
    fn myopic_slate_beats_every_slate(seed in any::<u64>(), k in 1usize..4, model in choice_model()) {
        let user = IevUser { choice: Some(model), time_budget: 3.0, ..IevUser::default() };
        let population = vec![SegmentConfig { name: "u".into(), share: 1.0, user }];
        let mut rig = Rig::new(IevConfig { num_candidates: 7, slate_size: k, population, ..IevConfig::default() }, 0);
        let mut rngs = EnvRngs::for_episode(seed, Phase::Train, 0);
        rig.env.reset(&mut rngs, &mut rig.obs);
        let mut best = Vec::new();
        let value = rig.env.best_myopic_slate(&mut best);
        prop_assert_eq!(best.len(), k);
        prop_assert!((value - rig.env.expected_reward(&best)).abs() < 1e-15);
        for slate in subsets(7, k) {
            prop_assert!(rig.env.expected_reward(&slate) <= value + 1e-12, "{:?} beats {:?}", slate, best);
        }
    }

    #[test]
    fn hidden_state_matches_the_observation(seed in any::<u64>()) {
        let mut rig = Rig::stock(10, 2);
        let mut rngs = EnvRngs::for_episode(seed, Phase::Eval, 3);
        rig.env.reset(&mut rngs, &mut rig.obs);
        for _ in 0..20 {
            rig.step(&[1, 2], &mut rngs);
            let Hidden::InterestEvolution { interests, doc_quality, .. } = rig.env.hidden() else {
                unreachable!()
            };
            prop_assert_eq!(rig.obs.user.as_slice().expect("contiguous"), interests);
            prop_assert_eq!(doc_quality.len(), 10);
        }
    }
}
