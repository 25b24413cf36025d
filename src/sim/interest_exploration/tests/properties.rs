//! Invariants over random configurations, the satisfaction readout, determinism and common
//! random numbers.

use proptest::prelude::*;

use super::noiseless;
use crate::agent::baselines::OracleMyopic;
use crate::agent::random::RandomAgent;
use crate::agent::{ActContext, Agent};
use crate::sim::choice::ChoiceModel;
use crate::sim::interest_exploration::{IexConfig, IexDocuments, IexUser, setup};
use crate::sim::long_term_satisfaction::tests::{EpisodeLog, run_episode};
use crate::sim::population::SegmentConfig;
use crate::sim::rng::{EnvRngs, Phase, SimRng};
use crate::sim::{Environment, Observation, ResponseObs};

fn config_strategy() -> impl Strategy<Value = IexConfig> {
    let probs = |n: usize| {
        prop::collection::vec(0.01f64..1.0, n).prop_map(|w| {
            let total: f64 = w.iter().sum();
            w.into_iter().map(|x| x / total).collect::<Vec<f64>>()
        })
    };
    (1usize..5, 1usize..4)
        .prop_flat_map(move |(topics, types)| {
            (
                (
                    1usize..12,
                    1usize..4,
                    any::<bool>(),
                    1u32..30,
                    any::<bool>(),
                ),
                (
                    probs(topics),
                    prop::collection::vec(-2.0f64..2.0, topics),
                    0.0f64..1.0,
                ),
                (
                    probs(types),
                    prop::collection::vec(prop::collection::vec(-2.0f64..2.0, topics), types),
                    0.0f64..1.0,
                ),
                prop_oneof![
                    (-2.0f64..8.0).prop_map(|n| ChoiceModel::MultinomialLogit {
                        no_click_mass: Some(n)
                    }),
                    Just(ChoiceModel::MultinomialLogit {
                        no_click_mass: None
                    }),
                    (0.0f64..5.0).prop_map(|n| ChoiceModel::MultinomialProportional {
                        min_normalizer: 0.0,
                        no_click_mass: n,
                    }),
                    Just(ChoiceModel::Slot0),
                ],
            )
        })
        .prop_map(
            |((n, k, resample, cap, time), (tp, qm, qs), (up, am, asd), choice)| IexConfig {
                num_candidates: n,
                slate_size: k.min(n),
                resample_documents: resample,
                max_steps: Some(cap),
                observe_time: time,
                choice,
                documents: IexDocuments {
                    topic_probs: tp,
                    quality_log_means: qm,
                    quality_log_stddev: qs,
                },
                population: vec![SegmentConfig {
                    name: "all".into(),
                    share: 1.0,
                    user: IexUser {
                        type_probs: up,
                        affinity_log_means: am,
                        affinity_log_stddev: asd,
                        choice: None,
                    },
                }],
                ..IexConfig::default()
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn episodes_respect_every_invariant(config in config_strategy(), seed in any::<u64>()) {
        let cap = config.max_steps.unwrap();
        let topics = config.documents.topic_probs.len();
        let mut env = setup(config).expect("generated configs are valid").environment(seed);
        let k = env.spec().slate_size;
        let mut probs = vec![0.0; k + 1];
        let log = run_episode(&mut env, &mut RandomAgent, seed, 0, |env, obs, slate, out, next| {
            env.choice_probabilities(slate, &mut probs);
            assert!(probs.iter().all(|&p| (0.0..=1.0).contains(&p)));
            assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            assert!((0.0..=1.0).contains(&out.satisfaction));
            assert!(out.expected_reward <= out.best_expected_reward + 1e-12);
            assert_eq!(out.engagement, out.reward);
            assert!(!out.done);
            for (j, r) in next.responses.iter().enumerate() {
                let i = slate[j];
                assert_eq!(r.quality, obs.docs[[i, 0]]);
                assert_eq!(r.cluster, obs.doc_clusters[i]);
                assert_eq!(obs.docs[[i, 1 + r.cluster as usize]], 1.0);
                assert_eq!(r.engagement, f64::from(u8::from(r.clicked)));
            }
            assert!(obs.doc_clusters.iter().all(|&t| (t as usize) < topics));
        });
        prop_assert_eq!(log.steps, cap);
        prop_assert!(!log.done);
    }
}

#[test]
fn satisfaction_tracks_the_preferred_topic() {
    // Noiseless type-1 users prefer topic 0: serving only topic 0 drives the average up from
    // 0.5 towards 1 as 1 − 0.5·0.9^t, serving only topic 1 drives it down as 0.5·0.9^t.
    for (topic_probs, target) in [(vec![1.0, 0.0], 1.0), (vec![0.0, 1.0], 0.0)] {
        let mut env = setup(noiseless(1, topic_probs)).unwrap().environment(0);
        let mut t = 0;
        run_episode(&mut env, &mut RandomAgent, 0, 0, |_, _, _, out, _| {
            t += 1;
            let want = target + (0.5 - target) * 0.9f64.powi(t);
            assert!((out.satisfaction - want).abs() < 1e-12, "step {t}");
        });
    }
}

/// Serves the first K candidates whatever they are.
struct FirstK;

impl Agent for FirstK {
    fn act(&mut self, ctx: &ActContext<'_>, _rng: &mut SimRng, slate: &mut Vec<usize>) {
        slate.extend(0..ctx.spec.slate_size);
    }
}

fn trace(agent: &mut dyn Agent, episodes: u64) -> (Vec<EpisodeLog>, Vec<Vec<f64>>) {
    let mut env = setup(IexConfig::default()).unwrap().environment(5);
    let mut docs = Vec::new();
    let logs = (0..episodes)
        .map(|e| {
            run_episode(&mut env, agent, 5, e, |_, obs: &Observation, _, _, _| {
                docs.push(obs.docs.iter().copied().collect());
            })
        })
        .collect();
    (logs, docs)
}

#[test]
fn same_seed_same_episodes_and_candidates_do_not_depend_on_the_policy() {
    assert_eq!(trace(&mut RandomAgent, 3), trace(&mut RandomAgent, 3));
    let (first_logs, first_docs) = trace(&mut FirstK, 3);
    let (oracle_logs, oracle_docs) = trace(&mut OracleMyopic, 3);
    assert_eq!(first_docs, oracle_docs);
    assert_ne!(first_logs, oracle_logs);
}

#[test]
fn reset_writes_placeholders_and_a_fixed_corpus_stays_put() {
    let config = IexConfig {
        resample_documents: false,
        observe_time: true,
        ..IexConfig::default()
    };
    let mut env = setup(config).unwrap().environment(3);
    let mut obs = Observation::new(env.spec());
    let mut next = obs.clone();
    let mut rngs = EnvRngs::for_episode(3, Phase::Train, 0);
    env.reset(&mut rngs, &mut obs);
    assert!(obs.responses.iter().all(|r| *r == ResponseObs::PLACEHOLDER));
    assert_eq!(obs.user[0], -0.5);
    env.step(&[0, 1], &mut rngs, &mut next);
    assert_eq!(next.docs, obs.docs);
    assert_eq!(next.user[0], 1.0 / 50.0 - 0.5);
    env.reset(&mut EnvRngs::for_episode(3, Phase::Train, 1), &mut next);
    assert_eq!(next.docs, obs.docs);
}
