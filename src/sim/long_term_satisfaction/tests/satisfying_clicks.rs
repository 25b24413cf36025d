//! The tutorial's `SatisfyingClicks` reward: what one step earns, and that the expected reward
//! the environment predicts is what it pays on average.

use super::{agent_rng, fidelity, mean_se, oracle};
use crate::agent::random::random_slate;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::RewardKind;
use crate::sim::long_term_satisfaction::{InitialNpe, LtsConfig, LtsEnv, setup};
use crate::sim::rng::{EnvRngs, Phase};
use crate::sim::{Environment, Observation, OracleView};

/// choc-kale's users (N = 20, K = 1, sweet even ids, bitter odd ids) starting at NPE `npe`,
/// rewarded with `SatisfyingClicks`, under `choice`.
fn choc_kale(npe: f64, innovation_stddev: f64, choice: ChoiceModel) -> (LtsEnv, Observation) {
    let mut config = LtsConfig {
        reward: RewardKind::SatisfyingClicks,
        choice,
        ..fidelity::choc_kale()
    };
    let user = &mut config.population[0].user;
    user.innovation_stddev = innovation_stddev;
    user.initial_npe = InitialNpe::Fixed(npe);
    let env = setup(config).expect("valid config").environment(1);
    let obs = Observation::new(env.spec());
    (env, obs)
}

#[test]
fn kale_at_low_npe_earns_one() {
    // NPE' − NPE = 1 − 2c − 0.3·NPE > 0.3 for kale (c < 0.2) at NPE = 1: satisfaction rises.
    let (mut env, mut obs) = choc_kale(1.0, 1e-5, ChoiceModel::Slot0);
    let mut rngs = EnvRngs::for_episode(1, Phase::Train, 0);
    env.reset(&mut rngs, &mut obs);
    let before = env.satisfaction();
    assert!(obs.docs[[1, 0]] < 0.2, "odd ids are kale");
    assert_eq!(env.expected_reward(&[1]), 1.0);
    let mut next = obs.clone();
    let out = env.step(&[1], &mut rngs, &mut next);
    assert_eq!(out.clicked, Some(0));
    assert!(out.satisfaction > before);
    assert_eq!(out.reward, 1.0);
    // The engagement is still reported beside the reward: e^{SAT·5c} for choc-kale's users.
    let c = obs.docs[[1, 0]];
    assert!((out.engagement - (before * 5.0 * c).exp()).abs() < 1e-12);
}

#[test]
fn chocolate_at_npe_zero_earns_nothing() {
    // Chocolate (c ≥ 0.8) at NPE 0 moves NPE by 1 − 2c ≤ −0.6: satisfaction falls.
    let (mut env, mut obs) = choc_kale(0.0, 1e-5, ChoiceModel::Slot0);
    let mut rngs = EnvRngs::for_episode(1, Phase::Train, 0);
    env.reset(&mut rngs, &mut obs);
    let before = env.satisfaction();
    assert!(obs.docs[[0, 0]] >= 0.8, "even ids are chocolate");
    assert_eq!(env.expected_reward(&[0]), 0.0);
    let mut next = obs.clone();
    let out = env.step(&[0], &mut rngs, &mut next);
    assert_eq!(out.clicked, Some(0));
    assert!(out.satisfaction < before);
    assert_eq!(out.reward, 0.0);
    assert!(out.engagement > 1.0, "chocolate still engages");
}

#[test]
fn a_step_without_a_click_earns_nothing_even_when_satisfaction_rises() {
    // At NPE −2 an unclicked step decays NPE towards 0 (β·NPE = −1.4): satisfaction rises,
    // but there was no click to reward.
    let logit = ChoiceModel::MultinomialLogit {
        no_click_mass: Some(5.0),
    };
    let (mut env, mut obs) = choc_kale(-2.0, 1e-5, logit);
    let mut next = obs.clone();
    let mut unclicked = 0;
    for e in 0..200 {
        let mut rngs = EnvRngs::for_episode(7, Phase::Train, e);
        env.reset(&mut rngs, &mut obs);
        let before = env.satisfaction();
        let out = env.step(&[1], &mut rngs, &mut next);
        assert!(
            out.satisfaction > before,
            "kale and no click both raise NPE −2"
        );
        if out.clicked.is_none() {
            unclicked += 1;
            assert_eq!(out.reward, 0.0);
        } else {
            assert_eq!(out.reward, 1.0);
        }
    }
    assert!(
        unclicked > 50,
        "the no-click mass dominates: {unclicked} of 200"
    );
}

#[test]
fn expected_reward_matches_the_realised_mean() {
    // Noise large enough that rises are neither sure nor impossible, over every choice model,
    // from a spread of starting NPEs and random slates.
    for choice in oracle::CHOICES {
        for npe in [-2.0, 0.0, 1.0, 2.5] {
            let (mut env, mut obs) = choc_kale(npe, 0.4, choice);
            let mut next = obs.clone();
            let mut slate = Vec::new();
            let (mut predicted, mut paid) = (0.0, Vec::with_capacity(4000));
            for e in 0..4000 {
                let mut rngs = EnvRngs::for_episode(11, Phase::Train, e);
                env.reset(&mut rngs, &mut obs);
                random_slate(20, 1, &mut agent_rng(11, e), &mut slate);
                let out = env.step(&slate, &mut rngs, &mut next);
                assert!((0.0..=1.0).contains(&out.expected_reward));
                predicted += out.expected_reward;
                paid.push(out.reward);
            }
            let predicted = predicted / 4000.0;
            let (mean, se) = mean_se(&paid);
            assert!(
                (mean - predicted).abs() < 4.0 * se.max(1e-3),
                "{choice:?} NPE {npe}: paid {mean} ± {se}, predicted {predicted}"
            );
        }
    }
}
