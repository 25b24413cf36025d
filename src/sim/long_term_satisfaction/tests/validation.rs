//! Every invalid field is rejected with its path; the stock and tutorial configurations pass.

use crate::sim::choice::ChoiceModel;
use crate::sim::long_term_satisfaction::tests::fidelity::choc_kale;
use crate::sim::long_term_satisfaction::{InitialNpe, LtsConfig, LtsDocuments, LtsUser, setup};
use crate::sim::observation::ChoiceScore;
use crate::sim::population::SegmentConfig;
use crate::sim::{EnvKind, EnvSetup};

/// A change to the default user that makes it invalid.
type UserEdit = fn(&mut LtsUser);

fn with_user(edit: impl FnOnce(&mut LtsUser)) -> LtsConfig {
    let mut config = LtsConfig::default();
    edit(&mut config.population[0].user);
    config
}

fn field_of(config: LtsConfig) -> String {
    let err = setup(config).expect_err("configuration should be rejected");
    assert!(!err.message.is_empty());
    err.field
}

fn segment(name: &str, share: f64, user: LtsUser) -> SegmentConfig<LtsUser> {
    SegmentConfig {
        name: name.into(),
        share,
        user,
    }
}

#[test]
fn stock_and_tutorial_configurations_are_valid() {
    let stock = setup(LtsConfig::default()).unwrap();
    let spec = stock.spec();
    assert_eq!(spec.kind, EnvKind::LongTermSatisfaction);
    assert_eq!((spec.user_dim, spec.doc_dim, spec.num_clusters), (0, 1, 0));
    assert_eq!((spec.num_candidates, spec.slate_size), (10, 2));
    assert_eq!(spec.max_steps, Some(60));
    assert_eq!(spec.choice.model, ChoiceModel::Slot0);
    assert_eq!(spec.choice.score, ChoiceScore::DocFeature(0));
    assert_eq!(stock.segment_names(), vec!["all".to_owned()]);
    let tutorial = setup(choc_kale()).unwrap();
    assert_eq!(tutorial.spec().user_dim, 1);
    assert!(tutorial.spec().time_feature);
    assert_eq!(tutorial.spec().max_steps, Some(10));
}

#[test]
fn environment_fields_are_named() {
    let cases = [
        (
            LtsConfig {
                num_candidates: 0,
                ..LtsConfig::default()
            },
            "num_candidates",
        ),
        (
            LtsConfig {
                slate_size: 11,
                ..LtsConfig::default()
            },
            "slate_size",
        ),
        (
            LtsConfig {
                max_steps: Some(0),
                ..LtsConfig::default()
            },
            "max_steps",
        ),
        (
            LtsConfig {
                engagement_clip: 0.0,
                ..LtsConfig::default()
            },
            "engagement_clip",
        ),
        (
            LtsConfig {
                engagement_clip: f64::INFINITY,
                ..LtsConfig::default()
            },
            "engagement_clip",
        ),
        (
            LtsConfig {
                choice: ChoiceModel::MultinomialProportional {
                    min_normalizer: 0.5,
                    no_click_mass: 1.0,
                },
                ..LtsConfig::default()
            },
            "choice.min_normalizer",
        ),
    ];
    for (config, field) in cases {
        assert_eq!(field_of(config), field);
    }
}

#[test]
fn document_fields_are_named() {
    let docs = |documents| LtsConfig {
        documents,
        ..LtsConfig::default()
    };
    let cases = [
        (
            docs(LtsDocuments::Uniform {
                low: -0.1,
                high: 1.0,
            }),
            "documents.low",
        ),
        (
            docs(LtsDocuments::Uniform {
                low: 0.0,
                high: 1.5,
            }),
            "documents.high",
        ),
        (
            docs(LtsDocuments::Uniform {
                low: 0.6,
                high: 0.4,
            }),
            "documents.high",
        ),
        (
            docs(LtsDocuments::Uniform {
                low: f64::NAN,
                high: 0.4,
            }),
            "documents.low",
        ),
        (
            docs(LtsDocuments::Alternating {
                sweet: (0.8, 1.2),
                bitter: (0.0, 0.2),
            }),
            "documents.sweet",
        ),
        (
            docs(LtsDocuments::Alternating {
                sweet: (0.8, 1.0),
                bitter: (0.3, 0.1),
            }),
            "documents.bitter",
        ),
    ];
    for (config, field) in cases {
        assert_eq!(field_of(config), field);
    }
}

#[test]
fn user_fields_are_named_with_their_segment() {
    let cases: [(UserEdit, &str); 11] = [
        (|u| u.memory_discount = 1.0, "memory_discount"),
        (|u| u.memory_discount = -0.1, "memory_discount"),
        (|u| u.sensitivity = f64::NAN, "sensitivity"),
        (|u| u.innovation_stddev = -1e-3, "innovation_stddev"),
        (|u| u.choc_mean = f64::INFINITY, "choc_mean"),
        (|u| u.choc_stddev = -0.1, "choc_stddev"),
        (|u| u.kale_mean = 1e3, "kale_mean"),
        (|u| u.kale_stddev = f64::NAN, "kale_stddev"),
        (|u| u.time_budget = 0, "time_budget"),
        (
            |u| u.initial_npe = InitialNpe::Fixed(f64::NAN),
            "initial_npe",
        ),
        (
            |u| {
                u.choice = Some(ChoiceModel::MultinomialLogit {
                    no_click_mass: Some(f64::NAN),
                });
            },
            "choice.no_click_mass",
        ),
    ];
    for (edit, field) in cases {
        assert_eq!(
            field_of(with_user(edit)),
            format!("population[0].user.{field}")
        );
    }
    let bad = LtsUser {
        sensitivity: f64::INFINITY,
        ..LtsUser::default()
    };
    let two = LtsConfig {
        population: vec![
            segment("a", 0.5, LtsUser::default()),
            segment("b", 0.5, bad),
        ],
        ..LtsConfig::default()
    };
    assert_eq!(field_of(two), "population[1].user.sensitivity");
}

#[test]
fn population_fields_are_named() {
    let shares = LtsConfig {
        population: vec![
            segment("a", 0.5, LtsUser::default()),
            segment("b", 0.4, LtsUser::default()),
        ],
        ..LtsConfig::default()
    };
    assert_eq!(field_of(shares), "population");
    let share = LtsConfig {
        population: vec![segment("a", 1.5, LtsUser::default())],
        ..LtsConfig::default()
    };
    assert_eq!(field_of(share), "population[0].share");
    let empty = LtsConfig {
        population: Vec::new(),
        ..LtsConfig::default()
    };
    assert_eq!(field_of(empty), "population");
}

#[test]
fn segment_choice_overrides_the_environment_choice() {
    let logit = ChoiceModel::MultinomialLogit {
        no_click_mass: Some(1.0),
    };
    let config = LtsConfig {
        population: vec![
            segment("slot0", 0.5, LtsUser::default()),
            segment(
                "logit",
                0.5,
                LtsUser {
                    choice: Some(logit),
                    ..LtsUser::default()
                },
            ),
        ],
        ..LtsConfig::default()
    };
    let s = setup(config).unwrap();
    assert_eq!(s.segment_choice(0), ChoiceModel::Slot0);
    assert_eq!(s.segment_choice(1), logit);
    assert_eq!(
        s.segment_names(),
        vec!["slot0".to_owned(), "logit".to_owned()]
    );
}

/// Any number, the awkward ones now and then, so that some draws pass validation and run.
fn any_number() -> impl proptest::strategy::Strategy<Value = f64> {
    use proptest::prelude::*;
    prop_oneof![
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        2 => -1e3f64..1e3,
        40 => 0.0f64..1.0,
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn arbitrary_numbers_are_rejected_or_simulate_finitely(
        user in (any_number(), any_number(), any_number(), any_number(), any_number(), any_number()),
        more in (any_number(), any_number(), any_number(), any_number()),
    ) {
        let (beta, tau, eta, choc_mean, choc_std, kale_mean) = user;
        let (kale_std, clip, low, high) = more;
        let config = LtsConfig {
            engagement_clip: clip,
            documents: LtsDocuments::Uniform { low, high },
            population: vec![segment("all", 1.0, LtsUser {
                memory_discount: beta,
                sensitivity: tau,
                innovation_stddev: eta,
                choc_mean,
                choc_stddev: choc_std,
                kale_mean,
                kale_stddev: kale_std,
                time_budget: 20,
                ..LtsUser::default()
            })],
            ..LtsConfig::default()
        };
        if let Ok(s) = setup(config) {
            let mut env = s.environment(0);
            super::run_episode(&mut env, &mut crate::agent::random::RandomAgent, 0, 0, |_, _, _, out, next| {
                assert!(out.reward.is_finite() && out.reward >= 0.0);
                assert!(out.expected_reward.is_finite() && out.best_expected_reward.is_finite());
                assert!(next.responses.iter().all(|r| (0.0..=clip).contains(&r.engagement)));
            });
        }
    }
}

#[test]
fn time_budget_is_bounded_by_the_step_ceiling() {
    use crate::sim::common::MAX_EPISODE_STEPS;
    assert!(setup(with_user(|u| u.time_budget = MAX_EPISODE_STEPS)).is_ok());
    for absurd in [MAX_EPISODE_STEPS + 1, u32::MAX] {
        let err = setup(with_user(|u| u.time_budget = absurd)).unwrap_err();
        assert_eq!(err.field, "population[0].user.time_budget");
        assert!(err.message.contains("1..=100000"), "{}", err.message);
    }
}
