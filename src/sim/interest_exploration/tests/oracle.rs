//! The hidden-state view: the reference's click probabilities, optimal slates, consistency.

use super::noiseless;
use crate::agent::random::random_slate;
use crate::sim::choice::ChoiceModel;
use crate::sim::interest_exploration::{IexConfig, IexEnv, setup};
use crate::sim::long_term_satisfaction::tests::{agent_rng, mean_se};
use crate::sim::rng::{EnvRngs, Phase};
use crate::sim::{Environment, Hidden, Observation, OracleView};

fn reset(config: IexConfig, episode: u64) -> (IexEnv, Observation) {
    let mut env = setup(config).expect("valid config").environment(1);
    let mut obs = Observation::new(env.spec());
    env.reset(
        &mut EnvRngs::for_episode(6, Phase::Train, episode),
        &mut obs,
    );
    (env, obs)
}

#[test]
fn reference_click_probability_example() {
    // Reference §10.4: a type-1 user (affinities ≈ (2.01, 1.11)) offered two median topic-0
    // documents (q ≈ 2.23) clicks with P ≈ 0.48; with two topic-1 documents P ≈ 0.12.
    let (env, obs) = reset(noiseless(1, vec![1.0, 0.0]), 0);
    let Hidden::InterestExploration {
        affinities,
        user_type,
    } = env.hidden()
    else {
        panic!("wrong hidden state");
    };
    assert_eq!(user_type, 1);
    assert!((affinities[0] - 2.01).abs() < 0.01 && (affinities[1] - 1.11).abs() < 0.01);
    assert!((obs.docs[[0, 0]] - 2.23).abs() < 0.01 && obs.docs[[0, 1]] == 1.0);
    let logit = 0.7f64.exp() + 0.8f64.exp();
    let exact = 2.0 * logit.exp() / (2.0 * logit.exp() + 5f64.exp());
    let p = env.expected_reward(&[0, 1]);
    assert!((p - exact).abs() < 1e-12 && (p - 0.48).abs() < 0.005, "{p}");

    let (env, _) = reset(noiseless(1, vec![0.0, 1.0]), 0);
    let p = env.expected_reward(&[0, 1]);
    assert!((p - 0.12).abs() < 0.005, "{p}");
}

#[test]
fn expected_reward_matches_the_realised_click_rate() {
    let choices = [
        ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0),
        },
        ChoiceModel::MultinomialProportional {
            min_normalizer: 0.0,
            no_click_mass: 4.0,
        },
    ];
    for choice in choices {
        let mut env = setup(IexConfig {
            choice,
            ..IexConfig::default()
        })
        .unwrap()
        .environment(1);
        let mut obs = Observation::new(env.spec());
        let mut next = obs.clone();
        let mut slate = Vec::new();
        let gaps: Vec<f64> = (0..6000)
            .map(|e| {
                let mut rngs = EnvRngs::for_episode(12, Phase::Train, e);
                env.reset(&mut rngs, &mut obs);
                random_slate(15, 2, &mut agent_rng(12, e), &mut slate);
                let out = env.step(&slate, &mut rngs, &mut next);
                out.reward - out.expected_reward
            })
            .collect();
        let (mean, se) = mean_se(&gaps);
        assert!(mean.abs() < 4.0 * se, "{choice:?}: {mean} ± {se}");
    }
}

#[test]
fn best_myopic_slate_is_top_k_by_score_and_beats_every_slate() {
    for episode in 0..5 {
        let (env, _) = reset(
            IexConfig {
                num_candidates: 7,
                slate_size: 3,
                ..IexConfig::default()
            },
            episode,
        );
        let mut slate = Vec::new();
        let best = env.best_myopic_slate(&mut slate);
        let mut brute = 0.0f64;
        for a in 0..7 {
            for b in a + 1..7 {
                for c in b + 1..7 {
                    brute = brute.max(env.expected_reward(&[a, b, c]));
                }
            }
        }
        assert!((best - brute).abs() < 1e-12, "{best} vs {brute}");
        assert_eq!(slate.len(), 3);
    }
}

#[test]
fn choice_probabilities_sum_to_one() {
    let (env, _) = reset(IexConfig::default(), 3);
    let mut p = [0.0; 3];
    env.choice_probabilities(&[4, 9], &mut p);
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((env.expected_reward(&[4, 9]) - (p[0] + p[1])).abs() < 1e-12);
}
