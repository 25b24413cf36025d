//! Saving and restoring a bandit's learned state.

use super::support::{MNP, agent_rng, spec, train, train_on};
use crate::agent::bandit::{
    EpsilonGreedy, EpsilonGreedyParams, FeatureParams, Interaction, LinTs, LinTsParams, LinUcb,
    LinUcbParams, ModelParams, Models,
};
use crate::agent::{ActContext, Agent, CheckpointError, Mode};
use crate::sim::linear_bandit::{LinearBanditConfig, setup};
use crate::sim::rng::{EnvRngs, Phase, Purpose};
use crate::sim::{EnvSetup, ObsSpec, Observation};

#[test]
fn a_restored_agent_acts_like_the_original() {
    let config = LinearBanditConfig::default();
    let s = setup(config.clone()).unwrap().spec().clone();
    let mut trained = LinTs::new(&LinTsParams::default(), &s);
    train(&mut trained, config.clone(), 3, 5);
    let state = trained.save_state().unwrap();
    let mut restored = LinTs::new(&LinTsParams::default(), &s);
    restored.load_state(state).unwrap();
    for (a, b) in trained.theta().iter().zip(restored.theta()) {
        assert!((a - b).abs() < 1e-9);
    }
    assert_eq!(restored.internals().updates, Some(500));
    let mut env = setup(config).unwrap().build(3);
    let mut obs = Observation::new(&s);
    env.reset(&mut EnvRngs::for_episode(3, Phase::Train, 99), &mut obs);
    let ctx = ActContext {
        obs: &obs,
        spec: &s,
        oracle: None,
    };
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for agent in [&mut trained, &mut restored] {
        agent.set_mode(Mode::Eval);
    }
    trained.act(&ctx, &mut agent_rng(3, Purpose::AgentAct, 0), &mut x);
    restored.act(&ctx, &mut agent_rng(3, Purpose::AgentAct, 0), &mut y);
    assert_eq!(x, y);
}

#[test]
fn states_that_do_not_fit_are_rejected() {
    let iev = ObsSpec {
        num_clusters: 20,
        ..spec(20, 20, false, MNP)
    };
    let ucb = LinUcb::new(&LinUcbParams::default(), &iev);
    let state = ucb.save_state().unwrap();
    // Another feature layout of the same scenario.
    let no_cross = FeatureParams {
        interaction: Interaction::None,
        ..Default::default()
    };
    let mut other = LinUcb::new(
        &LinUcbParams {
            model: ModelParams {
                features: no_cross,
                ..Default::default()
            },
            ..Default::default()
        },
        &iev,
    );
    assert!(matches!(
        other.load_state(state.clone()),
        Err(CheckpointError::Mismatch(_))
    ));
    // Another scenario shape.
    let mut small = LinUcb::new(&LinUcbParams::default(), &spec(3, 3, false, MNP));
    assert!(matches!(
        small.load_state(state.clone()),
        Err(CheckpointError::Mismatch(_))
    ));
    // Another agent kind.
    let mut greedy = EpsilonGreedy::new(&EpsilonGreedyParams::default(), &iev);
    assert!(matches!(
        greedy.load_state(state.clone()),
        Err(CheckpointError::Mismatch(_))
    ));
    // Damaged states.
    let mut same = LinUcb::new(&LinUcbParams::default(), &iev);
    assert!(matches!(
        same.load_state(serde_json::json!({"a": 1})),
        Err(CheckpointError::Corrupt(_))
    ));
    let mut truncated = state.clone();
    truncated["models"][0]["a"].as_array_mut().unwrap().pop();
    assert!(matches!(
        same.load_state(truncated),
        Err(CheckpointError::Corrupt(_))
    ));
    let mut indefinite = state.clone();
    indefinite["models"][0]["a"][0] = serde_json::json!(-5.0);
    assert!(matches!(
        same.load_state(indefinite),
        Err(CheckpointError::Corrupt(_))
    ));
    same.load_state(state.clone()).unwrap();
    // One model per cluster where the state has one shared model, and back.
    let per_cluster = LinUcbParams {
        model: ModelParams {
            models: Models::PerCluster,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut clustered = LinUcb::new(&per_cluster, &iev);
    assert!(matches!(
        clustered.load_state(state.clone()),
        Err(CheckpointError::Mismatch(_))
    ));
    let clustered_state = clustered.save_state().unwrap();
    assert!(matches!(
        same.load_state(clustered_state.clone()),
        Err(CheckpointError::Mismatch(_))
    ));
    // A damaged model of many leaves every model as it was.
    let mut trained = LinUcb::new(&per_cluster, &iev);
    train_on(&mut trained, &iev);
    let before = trained.save_state().unwrap();
    let mut broken = before.clone();
    broken["models"][3]["a"][0] = serde_json::json!(-5.0);
    assert!(matches!(
        trained.load_state(broken),
        Err(CheckpointError::Corrupt(_))
    ));
    assert_eq!(trained.save_state().unwrap(), before);
    clustered.load_state(before).unwrap();
    assert_eq!(clustered.save_state(), trained.save_state());
}
