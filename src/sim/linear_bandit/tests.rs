use super::*;
use crate::sim::population::SegmentConfig;
use crate::sim::rng::{EnvRngs, Phase};
use crate::sim::{EnvSetup, Hidden, Observation, OracleView};

fn built(config: LinearBanditConfig, seed: u64) -> (Box<dyn crate::sim::Environment>, Observation) {
    let setup = setup(config).expect("valid config");
    let env = setup.build(seed);
    let obs = Observation::new(setup.spec());
    (env, obs)
}

fn theta_of(env: &dyn OracleView) -> Vec<f64> {
    match env.hidden() {
        Hidden::LinearBandit { theta, .. } => theta.to_vec(),
        other => panic!("unexpected hidden state {other:?}"),
    }
}

fn dot(a: &[f64], b: ndarray::ArrayView1<'_, f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn spec_matches_the_configuration() {
    let config = LinearBanditConfig {
        dimension: 5,
        num_candidates: 7,
        slate_size: 2,
        ..Default::default()
    };
    let s = setup(config).unwrap();
    let spec = s.spec();
    assert_eq!(
        (
            spec.user_dim,
            spec.doc_dim,
            spec.num_candidates,
            spec.slate_size
        ),
        (0, 5, 7, 2)
    );
    assert_eq!(spec.max_steps, Some(100));
    assert_eq!(spec.choice.model, crate::sim::choice::ChoiceModel::Slot0);
    assert_eq!(s.segment_names(), vec!["all".to_string()]);
}

#[test]
fn default_theta_is_a_seeded_unit_vector() {
    let (a, _) = built(LinearBanditConfig::default(), 4);
    let (b, _) = built(LinearBanditConfig::default(), 4);
    let (c, _) = built(LinearBanditConfig::default(), 5);
    let ta = theta_of(a.as_ref());
    assert_eq!(ta.len(), 8);
    assert!((ta.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(ta, theta_of(b.as_ref()));
    assert_ne!(ta, theta_of(c.as_ref()));
}

#[test]
fn reward_is_theta_dot_slot0_plus_noise() {
    let theta = vec![1.0, -2.0, 0.5];
    let config = LinearBanditConfig {
        dimension: 3,
        num_candidates: 6,
        slate_size: 2,
        noise_stddev: 0.0,
        theta: Some(theta.clone()),
        max_steps: 3,
        ..Default::default()
    };
    let (mut env, mut obs) = built(config, 1);
    let mut rngs = EnvRngs::for_episode(1, Phase::Train, 0);
    env.reset(&mut rngs, &mut obs);
    let values: Vec<f64> = (0..6).map(|i| dot(&theta, obs.doc(i))).collect();
    let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let worst = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut oracle_slate = Vec::new();
    assert!((env.best_myopic_slate(&mut oracle_slate) - best).abs() < 1e-12);
    assert_eq!(oracle_slate.len(), 2);
    assert_eq!(values[oracle_slate[0]], best);
    assert!(values[oracle_slate[1]] <= best);
    let mut next = obs.clone();
    let out = env.step(&[3, 1], &mut rngs, &mut next);
    assert!((out.reward - values[3]).abs() < 1e-12);
    assert!((out.expected_reward - values[3]).abs() < 1e-12);
    assert!((out.best_expected_reward - best).abs() < 1e-12);
    assert!((out.satisfaction - (values[3] - worst) / (best - worst)).abs() < 1e-12);
    assert_eq!(out.clicked, Some(0));
    assert!(next.responses[0].clicked && !next.responses[1].clicked);
    assert_eq!(next.responses[0].engagement, out.reward);
    assert_eq!(next.step, 1);
    assert!(!out.truncated && !out.done);
    env.step(&[0, 1], &mut rngs, &mut obs);
    assert!(env.step(&[0, 1], &mut rngs, &mut next).truncated);
}

#[test]
fn noise_has_the_configured_spread() {
    let config = LinearBanditConfig {
        noise_stddev: 0.5,
        max_steps: 1000,
        ..Default::default()
    };
    let (mut env, mut obs) = built(config, 2);
    let mut rngs = EnvRngs::for_episode(2, Phase::Train, 0);
    env.reset(&mut rngs, &mut obs);
    let mut next = obs.clone();
    let n = 2000;
    let mut sum_sq = 0.0;
    for _ in 0..n {
        let out = env.step(&[0], &mut rngs, &mut next);
        sum_sq += (out.reward - out.expected_reward).powi(2);
        std::mem::swap(&mut obs, &mut next);
    }
    let var = sum_sq / f64::from(n);
    // Var of a sample variance of normals: 2σ⁴/n → standard error ≈ 0.0079 here.
    assert!(
        (var - 0.25).abs() < 5.0 * (2.0 * 0.5f64.powi(4) / f64::from(n)).sqrt(),
        "{var}"
    );
}

#[test]
fn documents_have_unit_expected_squared_norm() {
    let (mut env, mut obs) = built(
        LinearBanditConfig {
            num_candidates: 500,
            ..Default::default()
        },
        3,
    );
    env.reset(&mut EnvRngs::for_episode(3, Phase::Train, 0), &mut obs);
    let mean_sq = obs.docs.iter().map(|x| x * x).sum::<f64>() / 500.0;
    // ‖x‖² is χ²_8 / 8: mean 1, standard error √(2/8)/√500 ≈ 0.022.
    assert!((mean_sq - 1.0).abs() < 0.11, "{mean_sq}");
}

#[test]
fn fixed_corpus_is_the_same_every_step_and_episode() {
    let config = LinearBanditConfig {
        resample_documents: false,
        ..Default::default()
    };
    let (mut env, mut obs) = built(config.clone(), 9);
    env.reset(&mut EnvRngs::for_episode(9, Phase::Train, 0), &mut obs);
    let first = obs.docs.clone();
    let mut next = obs.clone();
    env.step(
        &[0],
        &mut EnvRngs::for_episode(9, Phase::Train, 0),
        &mut next,
    );
    assert_eq!(next.docs, first);
    env.reset(&mut EnvRngs::for_episode(9, Phase::Train, 7), &mut obs);
    assert_eq!(obs.docs, first);
    let (mut other, mut obs2) = built(config, 9);
    other.reset(&mut EnvRngs::for_episode(9, Phase::Train, 3), &mut obs2);
    assert_eq!(obs2.docs, first);
}

#[test]
fn episodes_are_deterministic_and_differ_by_episode() {
    let run = |episode| {
        let (mut env, mut obs) = built(LinearBanditConfig::default(), 11);
        let mut rngs = EnvRngs::for_episode(11, Phase::Train, episode);
        env.reset(&mut rngs, &mut obs);
        let mut next = obs.clone();
        (0..5)
            .map(|_| env.step(&[1], &mut rngs, &mut next).reward)
            .collect::<Vec<_>>()
    };
    assert_eq!(run(0), run(0));
    assert_ne!(run(0), run(1));
}

#[test]
fn segments_scale_the_reward() {
    let config = LinearBanditConfig {
        noise_stddev: 0.0,
        population: vec![SegmentConfig {
            name: "contrarian".into(),
            share: 1.0,
            user: LinearBanditUser { scale: -2.0 },
        }],
        ..Default::default()
    };
    let (mut env, mut obs) = built(config, 5);
    let mut rngs = EnvRngs::for_episode(5, Phase::Train, 0);
    env.reset(&mut rngs, &mut obs);
    let theta = theta_of(env.as_ref());
    let v0 = dot(&theta, obs.doc(0));
    let mut next = obs.clone();
    let out = env.step(&[0], &mut rngs, &mut next);
    assert!((out.reward + 2.0 * v0).abs() < 1e-12);
    assert!(out.best_expected_reward >= out.expected_reward);
}

#[test]
fn invalid_configurations_name_the_field() {
    let cases: Vec<(LinearBanditConfig, &str)> = vec![
        (
            LinearBanditConfig {
                dimension: 0,
                ..Default::default()
            },
            "dimension",
        ),
        (
            LinearBanditConfig {
                num_candidates: 0,
                ..Default::default()
            },
            "num_candidates",
        ),
        (
            LinearBanditConfig {
                slate_size: 11,
                ..Default::default()
            },
            "slate_size",
        ),
        (
            LinearBanditConfig {
                noise_stddev: -1.0,
                ..Default::default()
            },
            "noise_stddev",
        ),
        (
            LinearBanditConfig {
                theta: Some(vec![1.0; 3]),
                ..Default::default()
            },
            "theta",
        ),
        (
            LinearBanditConfig {
                theta: Some(vec![f64::NAN; 8]),
                ..Default::default()
            },
            "theta",
        ),
        (
            LinearBanditConfig {
                max_steps: 0,
                ..Default::default()
            },
            "max_steps",
        ),
        (
            LinearBanditConfig {
                population: vec![SegmentConfig {
                    name: "a".into(),
                    share: 1.0,
                    user: LinearBanditUser {
                        scale: f64::INFINITY,
                    },
                }],
                ..Default::default()
            },
            "population[0].user.scale",
        ),
        (
            LinearBanditConfig {
                population: vec![],
                ..Default::default()
            },
            "population",
        ),
    ];
    for (config, field) in cases {
        assert_eq!(setup(config).unwrap_err().field, field);
    }
}

#[test]
fn configuration_reads_from_ron_with_defaults() {
    let config: LinearBanditConfig =
        ron::from_str("(dimension: 4, theta: Some([1.0, 0.0, 0.0, 0.0]), population: [(name: \"x\", share: 1.0, user: (scale: 2.0))])")
            .unwrap();
    assert_eq!(config.dimension, 4);
    assert_eq!(config.num_candidates, 10);
    assert_eq!(config.population[0].user.scale, 2.0);
    assert!(ron::from_str::<LinearBanditConfig>("(dimensions: 4)").is_err());
}

#[test]
fn reward_scales_are_bounded_on_both_sides_of_the_limit() {
    use crate::sim::linear_bandit::params::REWARD_LIMIT;
    let noise = |noise_stddev| LinearBanditConfig {
        noise_stddev,
        ..Default::default()
    };
    assert!(setup(noise(REWARD_LIMIT)).is_ok());
    for absurd in [REWARD_LIMIT * 1.000_001, 1e308, f64::INFINITY] {
        assert_eq!(setup(noise(absurd)).unwrap_err().field, "noise_stddev");
    }
    let scale = |scale| LinearBanditConfig {
        population: vec![SegmentConfig {
            name: "a".into(),
            share: 1.0,
            user: LinearBanditUser { scale },
        }],
        ..Default::default()
    };
    assert!(setup(scale(-REWARD_LIMIT)).is_ok());
    let err = setup(scale(-1e300)).unwrap_err();
    assert_eq!(err.field, "population[0].user.scale");
    let theta = |x| LinearBanditConfig {
        dimension: 2,
        theta: Some(vec![0.0, x]),
        ..Default::default()
    };
    assert!(setup(theta(REWARD_LIMIT)).is_ok());
    let err = setup(theta(1e200)).unwrap_err();
    assert_eq!(err.field, "theta");
    assert!(err.message.ends_with("got 1e200"), "{}", err.message);
}

#[test]
fn max_steps_is_bounded_by_the_step_ceiling() {
    use crate::sim::common::MAX_EPISODE_STEPS;
    let steps = |max_steps| LinearBanditConfig {
        max_steps,
        ..Default::default()
    };
    assert!(setup(steps(MAX_EPISODE_STEPS)).is_ok());
    for absurd in [MAX_EPISODE_STEPS + 1, 1_000_001] {
        assert_eq!(setup(steps(absurd)).unwrap_err().field, "max_steps");
    }
}

/// The largest noise the limit allows, on the largest reward scale, still gives rewards the ridge
/// learners accept (|r| ≤ 1e100) and whose squares stay finite.
#[test]
fn rewards_at_the_limits_stay_far_from_overflow() {
    use crate::sim::linear_bandit::params::REWARD_LIMIT;
    let config = LinearBanditConfig {
        noise_stddev: REWARD_LIMIT,
        population: vec![SegmentConfig {
            name: "a".into(),
            share: 1.0,
            user: LinearBanditUser {
                scale: REWARD_LIMIT,
            },
        }],
        theta: Some(vec![REWARD_LIMIT; 8]),
        ..Default::default()
    };
    let (mut env, mut obs) = built(config, 5);
    let mut rngs = EnvRngs::for_episode(5, Phase::Train, 0);
    let mut next = obs.clone();
    env.reset(&mut rngs, &mut obs);
    for _ in 0..200 {
        let out = env.step(&[0], &mut rngs, &mut next);
        assert!(out.reward.abs() < 1e30 && (out.reward * out.reward).is_finite());
    }
}
