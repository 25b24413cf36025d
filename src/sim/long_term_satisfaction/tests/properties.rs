//! Invariants over random configurations, determinism and common random numbers.

use proptest::prelude::*;

use super::{EpisodeLog, run_episode};
use crate::agent::baselines::Sweetness;
use crate::agent::random::RandomAgent;
use crate::sim::choice::ChoiceModel;
use crate::sim::common::RewardKind;
use crate::sim::long_term_satisfaction::tests::fidelity::choc_kale;
use crate::sim::long_term_satisfaction::{InitialNpe, LtsConfig, LtsDocuments, LtsUser, setup};
use crate::sim::population::SegmentConfig;
use crate::sim::rng::{EnvRngs, Phase};
use crate::sim::{Environment, Hidden, Observation, OracleView, ResponseObs};

fn choice_strategy() -> impl Strategy<Value = ChoiceModel> {
    prop_oneof![
        Just(ChoiceModel::Slot0),
        (-3.0f64..3.0).prop_map(|n| ChoiceModel::MultinomialLogit {
            no_click_mass: Some(n)
        }),
        Just(ChoiceModel::MultinomialLogit {
            no_click_mass: None
        }),
        (-1.0f64..=0.0, 0.0f64..2.0).prop_map(|(m, n)| ChoiceModel::MultinomialProportional {
            min_normalizer: m,
            no_click_mass: n + m,
        }),
    ]
}

fn user_strategy() -> impl Strategy<Value = LtsUser> {
    (
        (0.0f64..0.99, -2.0f64..2.0, 0.0f64..1.0),
        (-5.0f64..5.0, 0.0f64..2.0, -5.0f64..5.0, 0.0f64..2.0),
        (1u32..25, prop::option::of(-3.0f64..3.0)),
    )
        .prop_map(
            |((beta, tau, eta), (cm, cs, km, ks), (budget, fixed))| LtsUser {
                memory_discount: beta,
                sensitivity: tau,
                innovation_stddev: eta,
                choc_mean: cm,
                choc_stddev: cs,
                kale_mean: km,
                kale_stddev: ks,
                time_budget: budget,
                initial_npe: fixed.map_or(InitialNpe::UniformCentered, InitialNpe::Fixed),
                choice: None,
            },
        )
}

fn config_strategy() -> impl Strategy<Value = LtsConfig> {
    (
        (
            1usize..12,
            1usize..4,
            any::<bool>(),
            prop::option::of(1u32..30),
        ),
        (
            choice_strategy(),
            any::<bool>(),
            0.5f64..200.0,
            any::<bool>(),
        ),
        user_strategy(),
    )
        .prop_map(
            |((n, k, resample, max_steps), (choice, clicks, clip, alternating), user)| LtsConfig {
                num_candidates: n,
                slate_size: k.min(n),
                resample_documents: resample,
                max_steps,
                observe_time: true,
                reward: if clicks {
                    RewardKind::Clicks
                } else {
                    RewardKind::Engagement
                },
                choice,
                engagement_clip: clip,
                documents: if alternating {
                    LtsDocuments::Alternating {
                        sweet: (0.7, 1.0),
                        bitter: (0.0, 0.3),
                    }
                } else {
                    LtsDocuments::default()
                },
                population: vec![SegmentConfig {
                    name: "all".into(),
                    share: 1.0,
                    user,
                }],
                shifts: Vec::new(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn episodes_respect_every_invariant(config in config_strategy(), seed in any::<u64>()) {
        let clip = config.engagement_clip;
        let budget = config.population[0].user.time_budget;
        let cap = config.max_steps;
        let mut env = setup(config).expect("generated configs are valid").environment(seed);
        let k = env.spec().slate_size;
        let mut probs = vec![0.0; k + 1];
        let log = run_episode(&mut env, &mut RandomAgent, seed, 0, |env, obs, slate, out, next| {
            env.choice_probabilities(slate, &mut probs);
            assert!(probs.iter().all(|&p| p >= 0.0));
            assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            assert!((0.0..=1.0).contains(&out.satisfaction));
            assert!(out.engagement >= 0.0 && out.engagement.is_finite());
            assert!(out.expected_reward <= out.best_expected_reward * (1.0 + 1e-9) + 1e-12);
            for r in &next.responses {
                assert!((0.0..=clip).contains(&r.engagement));
            }
            assert_eq!(next.step, obs.step + 1);
            let t = f64::from(next.step) / f64::from(budget) - 0.5;
            assert!((next.user[0] - t).abs() < 1e-12);
            let Hidden::LongTermSatisfaction { satisfaction, steps_left, .. } = env.hidden() else {
                panic!("wrong hidden state");
            };
            assert_eq!(satisfaction, out.satisfaction);
            assert_eq!(steps_left, budget - next.step);
        });
        let expected_steps = cap.map_or(budget, |c| c.min(budget));
        prop_assert_eq!(log.steps, expected_steps);
        prop_assert_eq!(log.done, expected_steps == budget);
    }
}

/// Every observation of `episodes` episodes under a policy, flattened for comparison.
fn trace(config: LtsConfig, sweetest: bool, episodes: u64) -> (Vec<EpisodeLog>, Vec<Vec<f64>>) {
    let mut env = setup(config).unwrap().environment(7);
    let mut agent = Sweetness::new(sweetest);
    let mut docs = Vec::new();
    let logs = (0..episodes)
        .map(|e| {
            run_episode(
                &mut env,
                &mut agent,
                7,
                e,
                |_, obs: &Observation, _, _, _| {
                    docs.push(obs.docs.iter().copied().collect());
                },
            )
        })
        .collect();
    (logs, docs)
}

#[test]
fn same_seed_same_episodes() {
    let a = trace(LtsConfig::default(), true, 5);
    let b = trace(LtsConfig::default(), true, 5);
    assert_eq!(a, b);
}

#[test]
fn candidates_do_not_depend_on_the_policy() {
    for config in [
        LtsConfig::default(),
        choc_kale(),
        LtsConfig {
            choice: ChoiceModel::MultinomialLogit {
                no_click_mass: Some(1.0),
            },
            ..LtsConfig::default()
        },
    ] {
        let (sweet_logs, sweet_docs) = trace(config.clone(), true, 4);
        let (bitter_logs, bitter_docs) = trace(config, false, 4);
        assert_eq!(sweet_docs, bitter_docs);
        assert_ne!(sweet_logs, bitter_logs);
    }
}

#[test]
fn a_fixed_corpus_is_shared_by_every_lane_and_episode() {
    let config = LtsConfig {
        resample_documents: false,
        ..LtsConfig::default()
    };
    let (_, docs) = trace(config.clone(), true, 3);
    assert!(docs.windows(2).all(|w| w[0] == w[1]));
    // `trace` builds with seed 7; another run seed draws another corpus.
    let mut env = setup(config).unwrap().environment(8);
    let mut obs = Observation::new(env.spec());
    env.reset(&mut EnvRngs::for_episode(7, Phase::Train, 0), &mut obs);
    assert_ne!(obs.docs.iter().copied().collect::<Vec<_>>(), docs[0]);
}

#[test]
fn reset_writes_placeholders_time_and_an_alternating_corpus() {
    let mut env = setup(choc_kale()).unwrap().environment(0);
    let mut obs = Observation::new(env.spec());
    obs.responses[0].engagement = 3.0;
    obs.step = 9;
    env.reset(&mut EnvRngs::for_episode(0, Phase::Train, 0), &mut obs);
    assert_eq!(obs.responses[0], ResponseObs::PLACEHOLDER);
    assert_eq!(obs.step, 0);
    assert_eq!(obs.user[0], -0.5);
    let c = obs.docs.column(0);
    assert!(c.iter().step_by(2).all(|&c| c >= 0.8));
    assert!(c.iter().skip(1).step_by(2).all(|&c| c < 0.2));
    // Deterministic engagement e^{5·c·σ(0.9)}: the myopic best is the sweetest candidate.
    let sweetest = c.iter().copied().fold(0.0, f64::max);
    let mut slate = Vec::new();
    let best = env.best_myopic_slate(&mut slate);
    assert_eq!(obs.docs[[slate[0], 0]], sweetest);
    let want = (5.0 * sweetest / (1.0 + (-0.9f64).exp())).exp();
    assert!((best - want).abs() < 1e-12 * want);
}
