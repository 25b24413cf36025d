//! Configuration errors name the offending field relative to the environment config.

use super::super::{IevConfig, IevDocuments, IevUser, setup};
use crate::sim::EnvSetup;
use crate::sim::choice::ChoiceModel;
use crate::sim::population::SegmentConfig;

fn two_segments(second: IevUser) -> Vec<SegmentConfig<IevUser>> {
    vec![
        SegmentConfig {
            name: "a".into(),
            share: 0.5,
            user: IevUser::default(),
        },
        SegmentConfig {
            name: "b".into(),
            share: 0.5,
            user: second,
        },
    ]
}

fn field_of(config: IevConfig) -> String {
    match setup(config) {
        Ok(_) => panic!("config should be rejected"),
        Err(e) => {
            assert!(!e.message.is_empty());
            e.field
        }
    }
}

fn docs(documents: IevDocuments) -> IevConfig {
    IevConfig {
        documents,
        ..IevConfig::default()
    }
}

fn user(user: IevUser) -> IevConfig {
    IevConfig {
        population: two_segments(user),
        ..IevConfig::default()
    }
}

#[test]
fn stock_config_is_valid() {
    let s = setup(IevConfig::default()).expect("stock config");
    let spec = s.spec();
    assert_eq!(
        (spec.user_dim, spec.doc_dim, spec.num_clusters),
        (20, 20, 20)
    );
    assert_eq!(
        (spec.num_candidates, spec.slate_size, spec.max_steps),
        (10, 2, None)
    );
    assert!(spec.response_fields.quality && spec.response_fields.cluster);
    assert_eq!(s.segment_names(), vec!["all".to_owned()]);
}

#[test]
fn slate_shape_and_time_feature() {
    let base = IevConfig::default;
    assert_eq!(
        field_of(IevConfig {
            num_candidates: 0,
            ..base()
        }),
        "num_candidates"
    );
    assert_eq!(
        field_of(IevConfig {
            slate_size: 11,
            ..base()
        }),
        "slate_size"
    );
    assert_eq!(
        field_of(IevConfig {
            max_steps: Some(0),
            ..base()
        }),
        "max_steps"
    );
    assert_eq!(
        field_of(IevConfig {
            observe_time: true,
            ..base()
        }),
        "observe_time"
    );
    let timed = setup(IevConfig {
        observe_time: true,
        max_steps: Some(50),
        ..base()
    });
    assert_eq!(timed.expect("valid").spec().user_dim, 21);
}

#[test]
fn choice_model_needs_normaliser_below_minus_one() {
    let mnp = |m, n| ChoiceModel::MultinomialProportional {
        min_normalizer: m,
        no_click_mass: n,
    };
    let env = |choice| IevConfig {
        choice,
        ..IevConfig::default()
    };
    assert_eq!(field_of(env(mnp(-0.5, 1.0))), "choice.min_normalizer");
    assert_eq!(field_of(env(mnp(f64::NAN, 1.0))), "choice.min_normalizer");
    assert_eq!(field_of(env(mnp(-1.0, -2.0))), "choice.no_click_mass");
    assert!(setup(env(mnp(-2.0, 0.0))).is_ok());
    let logit = ChoiceModel::MultinomialLogit {
        no_click_mass: Some(f64::INFINITY),
    };
    assert_eq!(field_of(env(logit)), "choice.no_click_mass");
    let seg = IevUser {
        choice: Some(mnp(0.0, 1.0)),
        ..IevUser::default()
    };
    assert_eq!(
        field_of(user(seg)),
        "population[1].user.choice.min_normalizer"
    );
}

#[test]
fn document_fields() {
    let d = IevDocuments::default;
    assert_eq!(
        field_of(docs(IevDocuments {
            num_topics: 0,
            ..d()
        })),
        "documents.num_topics"
    );
    // RecSim's table has 20 topics: other counts must bring their own means.
    assert_eq!(
        field_of(docs(IevDocuments {
            num_topics: 5,
            ..d()
        })),
        "documents.topic_quality_means"
    );
    let means = Some(vec![0.0; 19]);
    assert_eq!(
        field_of(docs(IevDocuments {
            topic_quality_means: means,
            ..d()
        })),
        "documents.topic_quality_means"
    );
    let means = Some(vec![f64::NAN; 20]);
    assert_eq!(
        field_of(docs(IevDocuments {
            topic_quality_means: means,
            ..d()
        })),
        "documents.topic_quality_means"
    );
    assert_eq!(
        field_of(docs(IevDocuments {
            quality_stddev: -0.1,
            ..d()
        })),
        "documents.quality_stddev"
    );
    assert_eq!(
        field_of(docs(IevDocuments {
            video_length: 0.0,
            ..d()
        })),
        "documents.video_length"
    );
    for weights in [vec![1.0; 3], vec![0.0; 20], vec![-1.0; 20]] {
        let bad = IevDocuments {
            topic_weights: Some(weights),
            ..d()
        };
        assert_eq!(field_of(docs(bad)), "documents.topic_weights");
    }
    let five = IevDocuments {
        num_topics: 5,
        topic_quality_means: Some(vec![1.0; 5]),
        ..d()
    };
    let s = setup(docs(five)).expect("five topics with their means");
    assert_eq!((s.spec().doc_dim, s.spec().user_dim), (5, 5));
}

#[test]
fn user_fields_carry_the_segment_index() {
    let u = IevUser::default;
    let cases = [
        (
            IevUser {
                interest_low: -1.5,
                ..u()
            },
            "interest_low",
        ),
        (
            IevUser {
                interest_low: 0.5,
                interest_high: 0.2,
                ..u()
            },
            "interest_high",
        ),
        (
            IevUser {
                interest_high: f64::NAN,
                ..u()
            },
            "interest_high",
        ),
        (
            IevUser {
                interest_bias: Some(vec![0.0; 3]),
                ..u()
            },
            "interest_bias",
        ),
        (
            IevUser {
                time_budget: 0.0,
                ..u()
            },
            "time_budget",
        ),
        (
            IevUser {
                step_penalty: -0.5,
                ..u()
            },
            "step_penalty",
        ),
        (
            IevUser {
                user_quality_factor: f64::INFINITY,
                ..u()
            },
            "user_quality_factor",
        ),
        (
            IevUser {
                document_quality_factor: f64::NAN,
                ..u()
            },
            "document_quality_factor",
        ),
        (
            IevUser {
                user_update_alpha: -0.1,
                ..u()
            },
            "user_update_alpha",
        ),
        (
            IevUser {
                interest_step_x_intercept: 0.0,
                ..u()
            },
            "interest_step_x_intercept",
        ),
        (
            IevUser {
                interest_step_y_intercept: -0.3,
                ..u()
            },
            "interest_step_y_intercept",
        ),
    ];
    for (bad, field) in cases {
        assert_eq!(field_of(user(bad)), format!("population[1].user.{field}"));
    }
}

#[test]
fn population_errors() {
    let mut population = two_segments(IevUser::default());
    population[1].share = 0.4;
    assert_eq!(
        field_of(IevConfig {
            population,
            ..IevConfig::default()
        }),
        "population"
    );
    let mut population = two_segments(IevUser::default());
    population[0].share = -0.5;
    assert_eq!(
        field_of(IevConfig {
            population,
            ..IevConfig::default()
        }),
        "population[0].share"
    );
    let population = Vec::new();
    assert_eq!(
        field_of(IevConfig {
            population,
            ..IevConfig::default()
        }),
        "population"
    );
}

#[test]
fn time_budget_is_bounded_where_a_session_could_never_end() {
    let with_budget = |time_budget| IevConfig {
        population: two_segments(IevUser {
            time_budget,
            ..IevUser::default()
        }),
        ..IevConfig::default()
    };
    assert!(setup(with_budget(super::super::params::TIME_BUDGET_LIMIT)).is_ok());
    for absurd in [1.000_001e6, 1e308] {
        let err = setup(with_budget(absurd)).unwrap_err();
        assert_eq!(err.field, "population[1].user.time_budget");
        assert!(
            err.message.contains("at most 1000000 minutes"),
            "{}",
            err.message
        );
    }
}

#[test]
fn max_steps_is_bounded_by_the_step_ceiling() {
    let with_cap = |max_steps| IevConfig {
        max_steps: Some(max_steps),
        ..IevConfig::default()
    };
    assert!(setup(with_cap(crate::sim::common::MAX_EPISODE_STEPS)).is_ok());
    let err = setup(with_cap(crate::sim::common::MAX_EPISODE_STEPS + 1)).unwrap_err();
    assert_eq!(err.field, "max_steps");
}
