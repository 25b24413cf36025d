//! SlateQ on scenario shapes like the stock ones: features, the learned choice model, the null item.

use ndarray::Array1;

use super::SlateQ;
use super::choice::AgentChoice;
use super::optimize::{SlateOptimizer, SlateSolver};
use super::params::SlateQParams;
use super::test_mdp::rng;
use super::valuation::{SlateInputs, solve_slate, value_of};
use crate::agent::{ActContext, Agent, AgentSpec, Mode, Transition};
use crate::sim::choice::ChoiceModel;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::rng::Purpose;
use crate::sim::{EnvKind, ObsSpec, Observation, ResponseFields, ResponseObs};

/// Interest Exploration's shape: no user features, docs = quality ⊕ topic one-hot, hidden score.
fn iex_spec() -> ObsSpec {
    ObsSpec {
        kind: EnvKind::InterestExploration,
        user_dim: 0,
        doc_dim: 3,
        num_candidates: 5,
        slate_size: 2,
        num_clusters: 2,
        time_feature: false,
        response_fields: ResponseFields {
            quality: true,
            cluster: true,
        },
        choice: ChoiceHint {
            model: ChoiceModel::MultinomialLogit {
                no_click_mass: Some(5.0),
            },
            score: ChoiceScore::Hidden,
        },
        max_steps: Some(50),
    }
}

/// choc-kale's shape: only the time feature, one clickbait feature, slot-0 consumption.
fn choc_kale_spec() -> ObsSpec {
    ObsSpec {
        kind: EnvKind::LongTermSatisfaction,
        user_dim: 1,
        doc_dim: 1,
        num_candidates: 4,
        slate_size: 1,
        num_clusters: 0,
        time_feature: true,
        response_fields: ResponseFields::default(),
        choice: ChoiceHint {
            model: ChoiceModel::Slot0,
            score: ChoiceScore::DocFeature(0),
        },
        max_steps: Some(10),
    }
}

fn iex_obs(spec: &ObsSpec, step: u32) -> Observation {
    let mut obs = Observation::new(spec);
    for i in 0..spec.num_candidates {
        obs.docs[[i, 0]] = 0.3 * i as f64 - 0.5;
        obs.docs[[i, 1 + i % 2]] = 1.0;
        obs.doc_clusters[i] = (i % 2) as u32;
    }
    obs.step = step;
    obs
}

fn agent(params: SlateQParams, spec: &ObsSpec) -> SlateQ {
    SlateQ::new(params, spec, &mut rng(Purpose::AgentInit, 1, 0))
}

fn greedy_value(agent: &mut SlateQ, spec: &ObsSpec, obs: &Observation) -> (Vec<usize>, f64) {
    agent.set_mode(Mode::Eval);
    agent.mean_q.reset();
    let mut slate = Vec::new();
    let ctx = ActContext {
        obs,
        spec,
        oracle: None,
    };
    agent.act(&ctx, &mut rng(Purpose::AgentAct, 1, 0), &mut slate);
    (
        slate,
        agent
            .mean_q
            .value()
            .expect("a greedy act records its value"),
    )
}

#[test]
fn choc_kale_state_carries_time_responses_and_the_served_item() {
    let spec = choc_kale_spec();
    let mut a = agent(SlateQParams::default(), &spec);
    let l = a.layout().clone();
    assert!(
        l.responses && l.served,
        "auto: on when the user observation is otherwise empty"
    );
    assert_eq!(l.state_dim, 1 + 2 + 1);
    let mut obs = Observation::new(&spec);
    obs.user = Array1::from(vec![-0.5]);
    obs.docs
        .column_mut(0)
        .assign(&Array1::from(vec![0.9, 0.1, 0.85, 0.05]));
    let mut next = obs.clone();
    next.step = 1;
    next.user[0] = -0.4;
    next.responses[0] = ResponseObs {
        clicked: true,
        engagement: 30.0,
        ..ResponseObs::default()
    };
    let mut slate = Vec::new();
    a.act(
        &ActContext {
            obs: &obs,
            spec: &spec,
            oracle: None,
        },
        &mut rng(Purpose::AgentAct, 2, 0),
        &mut slate,
    );
    let t = Transition {
        obs: &obs,
        slate: &slate,
        next_obs: &next,
        reward: 30.0,
        clicked: Some(0),
        terminal: false,
        truncated: false,
    };
    a.learn(&t, &mut rng(Purpose::AgentLearn, 2, 0)).unwrap();
    let served = obs.docs[[slate[0], 0]] as f32;
    assert_eq!(
        a.replay.state(0),
        &[-0.5, 0.0, 0.0, 0.0],
        "reset: placeholder responses read as zero"
    );
    let want = [-0.4, 1.0, 31f32.ln(), served];
    assert!(
        a.replay
            .target_state(0)
            .iter()
            .zip(&want)
            .all(|(x, y)| (x - y).abs() < 1e-6)
    );
    assert!(matches!(a.choice(), AgentChoice::Slot0));
}

#[test]
fn the_learned_choice_model_drives_serving_and_targets() {
    let spec = iex_spec();
    let mut a = agent(
        SlateQParams {
            learning_starts: 1_000,
            ..SlateQParams::default()
        },
        &spec,
    );
    assert_eq!(a.choice().name(), "learned-logit");
    let obs = iex_obs(&spec, 3);
    let (_, before) = greedy_value(&mut a, &spec, &obs);
    let AgentChoice::Learned(l) = &mut a.choice else {
        panic!("learned")
    };
    // Clicks strongly favour quality: the model now weighs candidates very differently.
    l.w = vec![6.0, 0.0, 0.0];
    l.null_logit = 2.0;
    let (_, after) = greedy_value(&mut a, &spec, &obs);
    assert!(
        (before - after).abs() > 1e-6,
        "serving value {before} vs {after}"
    );

    a.set_mode(Mode::Train);
    let next = iex_obs(&spec, 4);
    let t = Transition {
        obs: &obs,
        slate: &[4, 1],
        next_obs: &next,
        reward: 1.0,
        clicked: Some(0),
        terminal: false,
        truncated: false,
    };
    a.learn(&t, &mut rng(Purpose::AgentLearn, 1, 0)).unwrap();
    a.scratch.batch = vec![0];
    a.compute_targets().unwrap();
    let y1 = a.scratch.y[0];
    let AgentChoice::Learned(l) = &mut a.choice else {
        panic!("learned")
    };
    l.w = vec![-6.0, 1.0, 0.0];
    a.compute_targets().unwrap();
    assert_ne!(y1, a.scratch.y[0], "targets must use the learned weights");
}

#[test]
fn learning_the_null_value_stores_no_click_steps_and_values_the_null_item() {
    let spec = iex_spec();
    let (obs, next) = (iex_obs(&spec, 1), iex_obs(&spec, 2));
    let no_click = Transition {
        obs: &obs,
        slate: &[0, 1],
        next_obs: &next,
        reward: 0.0,
        clicked: None,
        terminal: false,
        truncated: false,
    };
    let mut recsim = agent(
        SlateQParams {
            learn_null_value: false,
            ..SlateQParams::default()
        },
        &spec,
    );
    recsim
        .learn(&no_click, &mut rng(Purpose::AgentLearn, 1, 0))
        .unwrap();
    assert_eq!(
        recsim.replay.len(),
        0,
        "RecSim: no-click steps are not trained on"
    );

    let mut null = agent(
        SlateQParams {
            learn_null_value: true,
            ..SlateQParams::default()
        },
        &spec,
    );
    assert_eq!(null.layout().cand_dim, 4, "base features ⊕ null flag");
    null.learn(&no_click, &mut rng(Purpose::AgentLearn, 1, 0))
        .unwrap();
    assert_eq!(null.replay.len(), 1);
    assert_eq!(
        null.replay.item(0),
        &[0.0, 0.0, 0.0, 1.0],
        "the consumed item is the null item"
    );
    let mut q = Vec::new();
    null.item_values(&next, &mut q);
    assert_eq!(
        q.len(),
        spec.num_candidates + 1,
        "the null item's value comes last"
    );
}

#[test]
fn a_valuable_null_item_changes_the_best_slate() {
    // Two items, K = 1, v = (1, 0.1), Q = (2, 1), v_⊥ = 1. With Q̄(⊥) = 0 item 0 is best
    // (1.0 vs 0.09); with Q̄(⊥) = 3 the rarely clicked item 1 is, as it leaves the valuable
    // no-click outcome likely: (2 + 3)/2 = 2.5 vs (0.1 + 3)/1.1 ≈ 2.82.
    let choice = AgentChoice::Fixed {
        model: ChoiceModel::MultinomialProportional {
            min_normalizer: 0.0,
            no_click_mass: 1.0,
        },
        score: super::choice::Score::DocFeature(0),
    };
    let (v, q) = ([1.0, 0.1], [2.0, 1.0]);
    let mut solver = SlateSolver::default();
    let (mut shifted, mut slate) = (Vec::new(), Vec::new());
    let inputs = |q_null| SlateInputs {
        v: &v,
        v_null: 1.0,
        q: &q,
        q_null,
    };
    let zero = solve_slate(
        &choice,
        &mut solver,
        SlateOptimizer::Exact,
        inputs(None),
        1,
        &mut shifted,
        &mut slate,
    );
    assert_eq!((slate.clone(), zero), (vec![0], 1.0));
    let three = solve_slate(
        &choice,
        &mut solver,
        SlateOptimizer::Exact,
        inputs(Some(3.0)),
        1,
        &mut shifted,
        &mut slate,
    );
    assert_eq!(slate, vec![1]);
    assert!((three - 3.1 / 1.1).abs() < 1e-12);
    assert!((value_of(&choice, &inputs(Some(3.0)), &[0]) - 2.5).abs() < 1e-12);
}

#[test]
fn named_specs_exist_and_myopic_is_listed() {
    let slateq = AgentSpec::from_name("slateq").unwrap();
    assert!(slateq.info().learns && !slateq.info().oracle);
    let AgentSpec::SlateQ(p) = AgentSpec::from_name("slateq-myopic").unwrap() else {
        panic!()
    };
    assert_eq!(p.gamma, 0.0);
    let oracle = AgentSpec::from_name("oracle-optimal").unwrap();
    assert!(oracle.info().oracle);
    assert!(
        oracle.check(&iex_spec()).is_err(),
        "long-term-satisfaction only"
    );
    assert!(oracle.check(&choc_kale_spec()).is_ok());
    for spec in [iex_spec(), choc_kale_spec()] {
        let checked = slateq.check(&spec).expect("slateq fits both scenarios");
        let mut built = checked.build(&mut rng(Purpose::AgentInit, 1, 0));
        let mut slate = Vec::new();
        let obs = Observation::new(&spec);
        built.act(
            &ActContext {
                obs: &obs,
                spec: &spec,
                oracle: None,
            },
            &mut rng(Purpose::AgentAct, 1, 0),
            &mut slate,
        );
        assert_eq!(slate.len(), spec.slate_size);
    }
}

#[test]
fn parameters_read_from_ron_with_defaults_and_reject_unknown_fields() {
    // Scenario files write `SlateQ(gamma: 0.5)`: RON's unwrap-variant-newtypes extension.
    let ron = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);
    let text = "SlateQ(gamma: 0.5, target: Sarsa, network: (hidden: [64], loss: Squared))";
    let AgentSpec::SlateQ(p) = ron.from_str::<AgentSpec>(text).unwrap() else {
        panic!("slateq")
    };
    assert_eq!(p.gamma, 0.5);
    assert_eq!(p.target, super::params::TargetKind::Sarsa);
    assert_eq!(p.network.hidden, vec![64]);
    assert_eq!(p.batch_size, SlateQParams::default().batch_size);
    assert!(ron.from_str::<AgentSpec>("SlateQ(gama: 0.5)").is_err());
    let spec: AgentSpec = ron.from_str("OracleOptimal(time_budget: 12)").unwrap();
    assert!(matches!(spec, AgentSpec::OracleOptimal(p) if p.time_budget == 12));
}

#[test]
fn networks_and_batches_that_cannot_fit_in_memory_are_refused() {
    use super::params::MAX_NETWORK_PARAMETERS;
    let spec = iex_spec();
    let with_hidden = |hidden: Vec<usize>, batch_size: usize| {
        let mut p = SlateQParams {
            batch_size,
            ..SlateQParams::default()
        };
        p.network.hidden = hidden;
        p.validate(&spec)
    };
    // Validated, then aborted allocating 17 GB.
    let err = with_hidden(vec![65_536, 65_536], 32).unwrap_err();
    assert_eq!(err.field, "network.hidden");
    assert!(
        err.message.contains(&MAX_NETWORK_PARAMETERS.to_string()),
        "{}",
        err.message
    );
    assert!(with_hidden(vec![2048, 2048], 32).is_ok());
    // Validated, then aborted allocating 198 GB on the first update.
    assert_eq!(
        with_hidden(vec![256, 32], 100_000_000).unwrap_err().field,
        "batch_size"
    );
    assert!(with_hidden(vec![256, 32], 65_536).is_ok());
}
