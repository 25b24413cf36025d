//! Every invalid field is rejected with its path; the stock configuration passes.

use crate::sim::choice::ChoiceModel;
use crate::sim::interest_exploration::{IexConfig, IexDocuments, IexUser, setup};
use crate::sim::observation::ChoiceScore;
use crate::sim::population::SegmentConfig;
use crate::sim::{EnvKind, EnvSetup};

fn field_of(config: IexConfig) -> String {
    let err = setup(config).expect_err("configuration should be rejected");
    assert!(!err.message.is_empty());
    err.field
}

fn with_docs(edit: impl FnOnce(&mut IexDocuments)) -> IexConfig {
    let mut config = IexConfig::default();
    edit(&mut config.documents);
    config
}

fn with_user(edit: impl FnOnce(&mut IexUser)) -> IexConfig {
    let mut config = IexConfig::default();
    edit(&mut config.population[0].user);
    config
}

#[test]
fn stock_configuration_is_valid() {
    let s = setup(IexConfig::default()).unwrap();
    let spec = s.spec();
    assert_eq!(spec.kind, EnvKind::InterestExploration);
    assert_eq!((spec.user_dim, spec.doc_dim, spec.num_clusters), (0, 3, 2));
    assert_eq!(
        (spec.num_candidates, spec.slate_size, spec.max_steps),
        (15, 2, Some(50))
    );
    assert!(spec.response_fields.quality && spec.response_fields.cluster);
    assert_eq!(spec.choice.score, ChoiceScore::Hidden);
    assert_eq!(
        spec.choice.model,
        ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0)
        }
    );
    assert_eq!(s.segment_names(), vec!["all".to_owned()]);
}

#[test]
fn environment_fields_are_named() {
    let missing_cap = field_of(IexConfig {
        max_steps: None,
        ..IexConfig::default()
    });
    assert_eq!(missing_cap, "max_steps");
    let err = setup(IexConfig {
        max_steps: None,
        ..IexConfig::default()
    })
    .unwrap_err();
    assert!(err.message.contains("never end"), "{}", err.message);
    assert_eq!(
        field_of(IexConfig {
            slate_size: 0,
            ..IexConfig::default()
        }),
        "slate_size"
    );
    assert_eq!(
        field_of(IexConfig {
            choice: ChoiceModel::MultinomialProportional {
                min_normalizer: -1.0,
                no_click_mass: -3.0
            },
            ..IexConfig::default()
        }),
        "choice.no_click_mass"
    );
}

#[test]
fn document_fields_are_named() {
    let cases: [(IexConfig, &str); 7] = [
        (
            with_docs(|d| d.topic_probs = vec![0.3, 0.6]),
            "documents.topic_probs",
        ),
        (
            with_docs(|d| d.topic_probs = vec![-0.2, 1.2]),
            "documents.topic_probs",
        ),
        (
            with_docs(|d| d.topic_probs = Vec::new()),
            "documents.topic_probs",
        ),
        (
            with_docs(|d| d.topic_probs = vec![f64::NAN, 1.0]),
            "documents.topic_probs",
        ),
        (
            with_docs(|d| d.quality_log_means = vec![0.8]),
            "documents.quality_log_means",
        ),
        (
            with_docs(|d| d.quality_log_means[1] = 100.0),
            "documents.quality_log_means",
        ),
        (
            with_docs(|d| d.quality_log_stddev = -0.1),
            "documents.quality_log_stddev",
        ),
    ];
    for (config, field) in cases {
        assert_eq!(field_of(config), field);
    }
}

#[test]
fn user_fields_are_named_with_their_segment() {
    let cases: [(IexConfig, &str); 7] = [
        (with_user(|u| u.type_probs = vec![0.5, 0.4]), "type_probs"),
        (
            with_user(|u| u.affinity_log_means.truncate(1)),
            "affinity_log_means",
        ),
        (
            with_user(|u| u.affinity_log_means[1] = vec![0.1]),
            "affinity_log_means[1]",
        ),
        (
            with_user(|u| u.affinity_log_means[0][1] = f64::INFINITY),
            "affinity_log_means[0]",
        ),
        (
            with_user(|u| u.affinity_log_stddev = f64::NAN),
            "affinity_log_stddev",
        ),
        (
            with_user(|u| u.affinity_log_stddev = 11.0),
            "affinity_log_stddev",
        ),
        (
            with_user(|u| {
                u.choice = Some(ChoiceModel::MultinomialLogit {
                    no_click_mass: Some(f64::NAN),
                });
            }),
            "choice.no_click_mass",
        ),
    ];
    for (config, field) in cases {
        assert_eq!(field_of(config), format!("population[0].user.{field}"));
    }
    // Affinity rows must match the document topics, whatever their own shape.
    let three_topics = IexConfig {
        documents: IexDocuments {
            topic_probs: vec![0.2, 0.3, 0.5],
            quality_log_means: vec![0.8, 0.2, 0.5],
            quality_log_stddev: 0.1,
        },
        ..IexConfig::default()
    };
    assert_eq!(
        field_of(three_topics),
        "population[0].user.affinity_log_means[0]"
    );
}

#[test]
fn segments_and_choice_overrides() {
    let logit1 = ChoiceModel::MultinomialLogit {
        no_click_mass: Some(1.0),
    };
    let segment = |name: &str, share, choice| SegmentConfig {
        name: name.into(),
        share,
        user: IexUser {
            choice,
            ..IexUser::default()
        },
    };
    let config = IexConfig {
        population: vec![
            segment("stock", 0.4, None),
            segment("eager", 0.6, Some(logit1)),
        ],
        ..IexConfig::default()
    };
    let s = setup(config.clone()).unwrap();
    assert_eq!(s.segment_choice(1), logit1);
    assert_eq!(s.segment_choice(0), IexConfig::default().choice);
    let mut bad = config;
    bad.population[1].share = 0.7;
    assert_eq!(field_of(bad), "population");
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
        topics in (any_number(), any_number(), any_number(), any_number(), any_number()),
        users in (any_number(), any_number(), any_number(), any_number(), any_number()),
    ) {
        let (p0, q0, q1, qs, _) = topics;
        let (t0, a00, a11, asd, _) = users;
        let config = IexConfig {
            documents: IexDocuments {
                topic_probs: vec![p0, 1.0 - p0],
                quality_log_means: vec![q0, q1],
                quality_log_stddev: qs,
            },
            population: vec![SegmentConfig {
                name: "all".into(),
                share: 1.0,
                user: IexUser {
                    type_probs: vec![t0, 1.0 - t0],
                    affinity_log_means: vec![vec![a00, 0.7], vec![0.7, a11]],
                    affinity_log_stddev: asd,
                    choice: None,
                },
            }],
            max_steps: Some(5),
            ..IexConfig::default()
        };
        if let Ok(s) = setup(config) {
            let mut env = s.environment(0);
            let agent = &mut crate::agent::random::RandomAgent;
            crate::sim::long_term_satisfaction::tests::run_episode(&mut env, agent, 0, 0, |_, _, _, out, _| {
                assert!((0.0..=1.0).contains(&out.expected_reward));
                assert!((0.0..=1.0).contains(&out.best_expected_reward));
                assert!((0.0..=1.0).contains(&out.satisfaction));
            });
        }
    }
}
