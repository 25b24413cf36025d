//! The hidden-state view: closed-form expectations, optimal myopic slates, initial states.

use super::{agent_rng, mean_se};
use crate::agent::random::random_slate;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::RewardKind;
use crate::sim::long_term_satisfaction::{LtsConfig, LtsEnv, setup};
use crate::sim::rng::{EnvRngs, Phase};
use crate::sim::{Environment, Hidden, Observation, OracleView};

fn env(config: LtsConfig) -> (LtsEnv, Observation) {
    let env = setup(config).expect("valid config").environment(1);
    let obs = Observation::new(env.spec());
    (env, obs)
}

fn hidden_npe(env: &LtsEnv) -> (f64, f64, u32) {
    match env.hidden() {
        Hidden::LongTermSatisfaction {
            npe,
            satisfaction,
            steps_left,
        } => (npe, satisfaction, steps_left),
        other => panic!("wrong hidden state {other:?}"),
    }
}

/// One choice model of each kind, with a no-click option where the kind has one.
pub(super) const CHOICES: [ChoiceModel; 3] = [
    ChoiceModel::Slot0,
    ChoiceModel::MultinomialLogit {
        no_click_mass: Some(0.5),
    },
    ChoiceModel::MultinomialProportional {
        min_normalizer: -0.5,
        no_click_mass: 0.0,
    },
];

#[test]
fn initial_npe_spans_the_reference_range() {
    // Reference §10.4: NPE_0 = (U[0,1) − 0.5)/(1 − 0.7) ∈ [−5/3, 5/3).
    let (mut env, mut obs) = env(LtsConfig::default());
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for e in 0..5000 {
        env.reset(&mut EnvRngs::for_episode(3, Phase::Train, e), &mut obs);
        let (npe, sat, steps_left) = hidden_npe(&env);
        assert!((-5.0 / 3.0..5.0 / 3.0).contains(&npe), "{npe}");
        assert!((sat - 1.0 / (1.0 + (-0.01 * npe).exp())).abs() < 1e-15);
        assert_eq!(steps_left, 60);
        (lo, hi) = (lo.min(npe), hi.max(npe));
    }
    assert!(lo < -1.66 && hi > 1.66, "range [{lo}, {hi}] not covered");
}

#[test]
fn slot0_expected_reward_is_the_lognormal_mean() {
    let (mut env, mut obs) = env(LtsConfig::default());
    env.reset(&mut EnvRngs::for_episode(5, Phase::Train, 0), &mut obs);
    let (_, sat, _) = hidden_npe(&env);
    for i in 0..10 {
        let c = obs.docs[[i, 0]];
        let want = (sat * (4.0 + c) + 0.5).exp();
        let got = env.expected_reward(&[i, (i + 1) % 10]);
        assert!(
            (got - want).abs() < 1e-9 * want,
            "candidate {i}: {got} vs {want}"
        );
    }
}

#[test]
fn expected_reward_matches_the_realised_mean() {
    // First steps of many episodes with a random slate: the reward minus its predicted
    // expectation has mean zero under every choice model and reward kind.
    for choice in CHOICES {
        for reward in [RewardKind::Engagement, RewardKind::Clicks] {
            let (mut env, mut obs) = env(LtsConfig {
                num_candidates: 5,
                choice,
                reward,
                ..LtsConfig::default()
            });
            let mut next = obs.clone();
            let mut slate = Vec::new();
            let gaps: Vec<f64> = (0..6000)
                .map(|e| {
                    let mut rngs = EnvRngs::for_episode(11, Phase::Train, e);
                    env.reset(&mut rngs, &mut obs);
                    random_slate(5, 2, &mut agent_rng(11, e), &mut slate);
                    let out = env.step(&slate, &mut rngs, &mut next);
                    out.reward - out.expected_reward
                })
                .collect();
            let (mean, se) = mean_se(&gaps);
            assert!(
                mean.abs() < 4.0 * se.max(1e-12),
                "{choice:?} {reward:?}: {mean} ± {se}"
            );
        }
    }
}

#[test]
fn best_myopic_slate_beats_every_other_slate() {
    for choice in CHOICES {
        let (mut env, mut obs) = env(LtsConfig {
            num_candidates: 6,
            slate_size: 3,
            choice,
            ..LtsConfig::default()
        });
        env.reset(&mut EnvRngs::for_episode(2, Phase::Train, 0), &mut obs);
        let mut slate = Vec::new();
        let best = env.best_myopic_slate(&mut slate);
        assert_eq!(slate.len(), 3);
        assert!((env.expected_reward(&slate) - best).abs() < 1e-9 * best);
        let mut brute = f64::NEG_INFINITY;
        for a in 0..6 {
            for b in (0..6).filter(|&b| b != a) {
                for c in (0..6).filter(|&c| c != a && c != b) {
                    brute = brute.max(env.expected_reward(&[a, b, c]));
                }
            }
        }
        assert!(
            (best - brute).abs() < 1e-9 * brute,
            "{choice:?}: {best} vs {brute}"
        );
    }
}

#[test]
fn choice_probabilities_follow_the_model() {
    let (mut env, mut obs) = env(LtsConfig {
        choice: CHOICES[1],
        ..LtsConfig::default()
    });
    env.reset(&mut EnvRngs::for_episode(4, Phase::Train, 0), &mut obs);
    let mut p = [0.0; 3];
    env.choice_probabilities(&[3, 7], &mut p);
    let (c3, c7) = (obs.docs[[3, 0]], obs.docs[[7, 0]]);
    let total = c3.exp() + c7.exp() + 0.5f64.exp();
    assert!((p[0] - c3.exp() / total).abs() < 1e-12);
    assert!((p[1] - c7.exp() / total).abs() < 1e-12);
    assert!((p[2] - 0.5f64.exp() / total).abs() < 1e-12);
}
