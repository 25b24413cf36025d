//! Invalid parameters are rejected with the field's name; valid ones read from RON.

use super::support::{MNP, spec};
use crate::agent::AgentSpec;
use crate::agent::bandit::{
    Credit, EpsilonGreedyParams, EpsilonSchedule, FeatureParams, Interaction, LinTsParams,
    LinUcbParams, ModelParams,
};
use crate::sim::ObsSpec;
use crate::sim::choice::ChoiceModel;

/// Interest Evolution's shape: 20 interests, 20 one-hot topic features.
fn iev() -> ObsSpec {
    spec(20, 20, false, MNP)
}

fn field(agent: AgentSpec, spec: &ObsSpec) -> String {
    agent.check(spec).expect_err("must be rejected").field
}

#[test]
fn bad_numbers_name_their_field() {
    let s = iev();
    let ucb = |p: LinUcbParams| AgentSpec::LinUcb(p);
    assert_eq!(
        field(
            ucb(LinUcbParams {
                alpha: -0.1,
                ..Default::default()
            }),
            &s
        ),
        "alpha"
    );
    assert_eq!(
        field(
            ucb(LinUcbParams {
                alpha: f64::NAN,
                ..Default::default()
            }),
            &s
        ),
        "alpha"
    );
    assert_eq!(
        field(
            ucb(LinUcbParams {
                model: ModelParams {
                    lambda: 0.0,
                    ..Default::default()
                },
                ..Default::default()
            }),
            &s
        ),
        "lambda"
    );
    assert_eq!(
        field(
            ucb(LinUcbParams {
                model: ModelParams {
                    refactor_every: 0,
                    ..Default::default()
                },
                ..Default::default()
            }),
            &s
        ),
        "refactor_every"
    );
    let ts = |p: LinTsParams| AgentSpec::LinTs(p);
    assert_eq!(
        field(
            ts(LinTsParams {
                v: 0.0,
                ..Default::default()
            }),
            &s
        ),
        "v"
    );
    assert_eq!(
        field(
            ts(LinTsParams {
                model: ModelParams {
                    lambda: -1.0,
                    ..Default::default()
                },
                ..Default::default()
            }),
            &s
        ),
        "lambda"
    );
    let eg = |epsilon| {
        AgentSpec::EpsilonGreedy(EpsilonGreedyParams {
            epsilon,
            ..Default::default()
        })
    };
    assert_eq!(field(eg(EpsilonSchedule::Constant(1.5)), &s), "epsilon");
    assert_eq!(field(eg(EpsilonSchedule::Constant(-0.1)), &s), "epsilon");
    let linear = |start, end, steps| EpsilonSchedule::Linear { start, end, steps };
    assert_eq!(field(eg(linear(2.0, 0.1, 10)), &s), "epsilon.start");
    assert_eq!(field(eg(linear(1.0, -0.1, 10)), &s), "epsilon.end");
    assert_eq!(field(eg(linear(1.0, 0.1, 0)), &s), "epsilon.steps");
    let inverse = |start, half_life| EpsilonSchedule::Inverse { start, half_life };
    assert_eq!(field(eg(inverse(1.0, 0.0)), &s), "epsilon.half_life");
    assert_eq!(field(eg(inverse(1.1, 5.0)), &s), "epsilon.start");
    for agent in AgentSpec::all_defaults()
        .into_iter()
        .filter(|a| a.info().learns)
    {
        assert!(agent.check(&s).is_ok(), "{agent:?}");
    }
}

#[test]
fn feature_maps_must_fit_the_scenario() {
    let with = |features: FeatureParams| {
        AgentSpec::LinUcb(LinUcbParams {
            model: ModelParams {
                features,
                ..Default::default()
            },
            ..Default::default()
        })
    };
    let interaction = |i| FeatureParams {
        interaction: i,
        ..Default::default()
    };
    // Interest Exploration: no user features, three document features.
    let iex = spec(
        0,
        3,
        false,
        ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0),
        },
    );
    assert_eq!(
        field(with(interaction(Interaction::Elementwise)), &iex),
        "features.interaction"
    );
    assert_eq!(
        field(with(interaction(Interaction::Outer)), &iex),
        "features.interaction"
    );
    // choc-kale: one user feature (time), one document feature: elementwise needs interests.
    let choc = spec(1, 1, true, ChoiceModel::Slot0);
    assert_eq!(
        field(with(interaction(Interaction::Elementwise)), &choc),
        "features.interaction"
    );
    assert!(with(interaction(Interaction::Outer)).check(&choc).is_ok());
    // Outer on Interest Evolution would need 1 + 20 + 400 = 421 ≤ 512 dimensions: allowed;
    // with responses crossed too it still fits, but 30 × 20 topics would not.
    assert!(with(interaction(Interaction::Outer)).check(&iev()).is_ok());
    let big = spec(30, 20, false, MNP);
    assert_eq!(
        field(with(interaction(Interaction::Outer)), &big),
        "features.interaction"
    );
    let wide = spec(0, 600, false, MNP);
    assert_eq!(field(with(FeatureParams::default()), &wide), "features.doc");
    let nothing = FeatureParams {
        bias: false,
        user: false,
        doc: false,
        interaction: Interaction::None,
        responses: false,
    };
    assert_eq!(field(with(nothing), &iev()), "features.bias");
    let responses = FeatureParams {
        responses: true,
        ..Default::default()
    };
    assert_eq!(
        field(with(responses), &spec(2, 0, false, MNP)),
        "features.responses"
    );
}

/// Reads RON as scenario files are written: `LinUcb(alpha: 0.5)`, no double parentheses.
fn parse(text: &str) -> Result<AgentSpec, ron::error::SpannedError> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES)
        .from_str(text)
}

#[test]
fn parameters_read_from_ron() {
    let agent = parse(
        "LinUcb(alpha: 0.5, features: (interaction: Outer, responses: true), credit: ShownItems)",
    )
    .unwrap();
    let AgentSpec::LinUcb(p) = &agent else {
        panic!("{agent:?}")
    };
    assert_eq!(
        (p.alpha, p.model.lambda, p.model.credit),
        (0.5, 1.0, Credit::ShownItems)
    );
    assert!(p.model.features.bias && p.model.features.responses);
    let agent =
        parse("EpsilonGreedy(epsilon: Linear(start: 1.0, end: 0.05, steps: 1000))").unwrap();
    let AgentSpec::EpsilonGreedy(p) = agent else {
        panic!()
    };
    assert_eq!(p.epsilon.at(500), 0.525);
    assert_eq!(p.epsilon.at(5000), 0.05);
    assert!(parse("LinTs(v: 0.5, lambda: 2.0)").is_ok());
    assert!(parse("LinTs(alpha: 0.5)").is_err());
    assert!(parse("LinUcb(features: (cross: true))").is_err());
}

#[test]
fn registered_by_name_as_learners_for_every_environment() {
    for name in ["epsilon-greedy", "linucb", "lints"] {
        let agent = AgentSpec::from_name(name).expect(name);
        let info = agent.info();
        assert!(
            info.learns && !info.oracle && info.envs.is_empty(),
            "{name}"
        );
        assert_eq!(info.name, name);
    }
}

#[test]
fn schedules_follow_their_formulas() {
    let inverse = EpsilonSchedule::Inverse {
        start: 0.8,
        half_life: 100.0,
    };
    assert_eq!(inverse.at(0), 0.8);
    assert_eq!(inverse.at(100), 0.4);
    assert!((inverse.at(900) - 0.08).abs() < 1e-15);
    assert_eq!(EpsilonSchedule::Constant(0.3).at(1_000_000), 0.3);
    let linear = EpsilonSchedule::Linear {
        start: 0.0,
        end: 1.0,
        steps: 4,
    };
    assert_eq!([0, 1, 4, 9].map(|t| linear.at(t)), [0.0, 0.25, 1.0, 1.0]);
}

#[test]
fn lambda_below_the_floor_is_refused() {
    use crate::agent::bandit::params::MIN_LAMBDA;
    let s = iev();
    let with_lambda = |lambda: f64| {
        AgentSpec::EpsilonGreedy(EpsilonGreedyParams {
            model: ModelParams {
                lambda,
                ..Default::default()
            },
            ..Default::default()
        })
    };
    // These validated, then the first refactorisation failed at run time.
    for lambda in [5e-324, 1e-320, 1e-12, MIN_LAMBDA * 0.99, f64::INFINITY] {
        assert_eq!(field(with_lambda(lambda), &s), "lambda", "{lambda}");
    }
    for lambda in [MIN_LAMBDA, 1.0, 1e300] {
        assert!(with_lambda(lambda).check(&s).is_ok(), "{lambda}");
    }
}
