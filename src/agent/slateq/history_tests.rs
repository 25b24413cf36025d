//! The history totals in SlateQ's state: when they are on, what they hold, and that acting and
//! learning agree on them.

use super::SlateQ;
use super::params::SlateQParams;
use super::test_mdp::rng;
use crate::agent::{ActContext, Agent, Transition};
use crate::sim::choice::ChoiceModel;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::rng::Purpose;
use crate::sim::{EnvKind, ObsSpec, Observation, ResponseFields, ResponseObs};

/// Interest Evolution's shape in small: 3 topics, one-hot documents, quality revealed, no
/// step bound (sessions end when a hidden budget runs out).
fn iev_spec(max_steps: Option<u32>) -> ObsSpec {
    ObsSpec {
        kind: EnvKind::InterestEvolution,
        user_dim: 3,
        doc_dim: 3,
        num_candidates: 4,
        slate_size: 2,
        num_clusters: 3,
        time_feature: false,
        response_fields: ResponseFields {
            quality: true,
            cluster: true,
        },
        choice: ChoiceHint {
            model: ChoiceModel::MultinomialProportional {
                min_normalizer: -1.0,
                no_click_mass: 1.0,
            },
            score: ChoiceScore::UserDocDot,
        },
        max_steps,
    }
}

fn obs(spec: &ObsSpec, step: u32, responses: [(bool, f64, f64); 2]) -> Observation {
    let mut o = Observation::new(spec);
    for i in 0..spec.num_candidates {
        o.docs[[i, i % 3]] = 1.0;
        o.doc_clusters[i] = (i % 3) as u32;
    }
    o.user.fill(0.2);
    o.step = step;
    if step > 0 {
        for (r, (clicked, engagement, quality)) in o.responses.iter_mut().zip(responses) {
            *r = ResponseObs {
                clicked,
                engagement,
                quality,
                cluster: 0,
            };
        }
    }
    o
}

fn history<'a>(a: &SlateQ, state: &'a [f32]) -> &'a [f32] {
    &state[a.layout().state_dim - a.layout().history_dim..]
}

fn close(x: &[f32], y: &[f32]) -> bool {
    x.len() == y.len() && x.iter().zip(y).all(|(a, b)| (a - b).abs() < 1e-6)
}

#[test]
fn history_is_on_where_episodes_have_no_step_bound() {
    let init = || rng(Purpose::AgentInit, 1, 0);
    let unbounded = SlateQ::new(SlateQParams::default(), &iev_spec(None), &mut init());
    assert_eq!(
        unbounded.layout().history_dim,
        4,
        "steps, no-clicks, engagement, quality"
    );
    assert_eq!(unbounded.layout().state_dim, 3 + 4);
    let bounded = SlateQ::new(SlateQParams::default(), &iev_spec(Some(50)), &mut init());
    assert_eq!(bounded.layout().history_dim, 0);
    let forced = SlateQParams {
        use_history: Some(true),
        ..SlateQParams::default()
    };
    let forced = SlateQ::new(forced, &iev_spec(Some(50)), &mut init());
    assert_eq!(forced.layout().history_dim, 4);
    let off = SlateQParams {
        use_history: Some(false),
        ..SlateQParams::default()
    };
    assert_eq!(
        SlateQ::new(off, &iev_spec(None), &mut init())
            .layout()
            .history_dim,
        0
    );
}

#[test]
fn history_totals_accumulate_reset_and_agree_between_acting_and_learning() {
    let spec = iev_spec(None);
    let params = SlateQParams {
        learning_starts: 1_000,
        ..SlateQParams::default()
    };
    let mut a = SlateQ::new(params, &spec, &mut rng(Purpose::AgentInit, 1, 0));
    let none = (false, 0.0, 0.0);
    let o0 = obs(&spec, 0, [none; 2]);
    // Step 1: slot 1 was watched for 4 minutes, quality 2; step 2: no click.
    let o1 = obs(&spec, 1, [(false, 0.0, -1.0), (true, 4.0, 2.0)]);
    let o2 = obs(&spec, 2, [(false, 0.0, 3.0), (false, 0.0, -2.0)]);
    let mut slate = Vec::new();
    let mut step = |a: &mut SlateQ, from: &Observation, to: &Observation, clicked| {
        let ctx = ActContext {
            obs: from,
            spec: &spec,
            oracle: None,
        };
        a.act(&ctx, &mut rng(Purpose::AgentAct, 1, 0), &mut slate);
        let t = Transition {
            obs: from,
            slate: &slate,
            next_obs: to,
            reward: if clicked { 4.0 } else { 0.0 },
            clicked: clicked.then_some(0),
            terminal: false,
            truncated: false,
        };
        a.learn(&t, &mut rng(Purpose::AgentLearn, 1, 0)).unwrap();
    };
    step(&mut a, &o0, &o1, true);
    step(&mut a, &o1, &o2, false);
    step(&mut a, &o0, &o1, true);
    let r = &a.replay;
    assert!(
        close(history(&a, r.state(0)), &[0.0; 4]),
        "nothing before the first step"
    );
    let after_one = [0.01, 0.0, 0.04, 0.02];
    assert!(close(history(&a, r.target_state(0)), &after_one));
    assert!(
        close(history(&a, r.state(1)), history(&a, r.target_state(0))),
        "the state acted on is the next state learned from"
    );
    let after_two = [0.02, 0.01, 0.04, 0.02];
    assert!(
        close(history(&a, r.target_state(1)), &after_two),
        "unclicked items add nothing"
    );
    assert!(
        close(history(&a, r.state(2)), &[0.0; 4]),
        "a new episode starts from zero"
    );
}
