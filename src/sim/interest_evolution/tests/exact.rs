//! Exact formula checks (reference §10.4) and RecSim's constants.

use super::super::IevUser;
use super::super::clicks::{choice_score_alone, no_click_probability};
use super::super::params::recsim_topic_quality_means;
use super::super::user::{UserParams, UserState};
use super::{Rig, hidden_budget, hidden_interests};
use crate::sim::Hidden;
use crate::sim::choice::ChoiceModel;
use crate::sim::rng::{EnvRngs, Phase, Purpose, SimRng, StreamKey};

const STOCK_CHOICE: ChoiceModel = ChoiceModel::MultinomialProportional {
    min_normalizer: -1.0,
    no_click_mass: 1.0,
};

fn params(user: IevUser) -> UserParams {
    user.validate(20, STOCK_CHOICE).expect("valid user")
}

fn response_rng(seed: u64) -> SimRng {
    StreamKey {
        seed,
        purpose: Purpose::Response,
        lane: 0,
        episode: 0,
        phase: Phase::Train,
    }
    .rng()
}

#[test]
fn choice_worked_example() {
    // u_c1 = 0.5, u_c2 = −0.5 → 1.5/4 and 0.5/4, no click 0.5.
    let mut p = [0.0; 3];
    STOCK_CHOICE.probabilities(&[0.5, -0.5], &mut p);
    assert!((p[0] - 0.375).abs() < 1e-15 && (p[1] - 0.125).abs() < 1e-15);
    let none = no_click_probability(&STOCK_CHOICE, [0.5, -0.5].into_iter());
    assert!((none - 0.5).abs() < 1e-15, "{none}");
}

#[test]
fn expected_reward_is_the_mnp_click_probability_times_watch_time() {
    let mut rig = Rig::stock(10, 2);
    let mut rngs = EnvRngs::for_episode(5, Phase::Train, 0);
    rig.env.reset(&mut rngs, &mut rig.obs);
    let u = hidden_interests(rig.env.as_ref());
    let topic = |i: usize| rig.obs.doc_clusters[i] as usize;
    for a in 0..10 {
        for b in (a + 1)..10 {
            let (wa, wb) = (u[topic(a)] + 1.0, u[topic(b)] + 1.0);
            let expected = (wa + wb) / (wa + wb + 2.0) * 4.0;
            let got = rig.env.expected_reward(&[a, b]);
            assert!(
                (got - expected).abs() < 1e-12,
                "{a},{b}: {got} vs {expected}"
            );
        }
    }
}

#[test]
fn budget_unit_example_gives_1_01() {
    // RecSim's test: choice score 2 (s − m at u_c = 1), watch time 0.3, q = 3, α_B = 1.
    let p = params(IevUser {
        user_quality_factor: 0.3,
        document_quality_factor: 0.7,
        user_update_alpha: 1.0,
        ..IevUser::default()
    });
    assert_eq!(choice_score_alone(&p.choice, 1.0), 2.0);
    let mut state = UserState::new(20);
    state.interests[4] = 1.0;
    state.budget = 0.5;
    let watch_time = state.watch_time(0.3);
    assert_eq!(watch_time, 0.3);
    state.consume(&p, 4, 3.0, watch_time, &mut response_rng(1));
    assert!((state.budget - 1.01).abs() < 1e-12, "{}", state.budget);
}

#[test]
fn stock_click_costs_four_minus_1_0588_q() {
    let p = params(IevUser::default());
    for q in [-3.0, -0.5, 0.0, 1.2, 3.0] {
        let mut state = UserState::new(20);
        state.budget = 200.0;
        state.consume(&p, 0, q, state.watch_time(4.0), &mut response_rng(2));
        let expected = 200.0 - 4.0 + 4.0 * (0.9 / 3.4) * q;
        assert!(
            (state.budget - expected).abs() < 1e-12,
            "q={q}: {}",
            state.budget
        );
    }
    let mut state = UserState::new(20);
    state.budget = 200.0;
    state.skip(&p);
    assert_eq!(state.budget, 199.5);
}

/// Starting from u_c = `start`, the interest moves to exactly `start ± step`, upward with
/// probability `p_up` (checked to 5 standard errors).
fn assert_interest_step(start: f64, step: f64, p_up: f64) {
    let p = params(IevUser::default());
    assert!((p.interest_step(start) - step).abs() < 1e-12);
    let mut rng = response_rng(3);
    let draws = 20_000;
    let mut ups = 0;
    for _ in 0..draws {
        let mut state = UserState::new(20);
        state.interests[7] = start;
        state.budget = 200.0;
        state.consume(&p, 7, 0.0, 4.0, &mut rng);
        let moved = state.interests[7];
        if (moved - (start + step)).abs() < 1e-12 {
            ups += 1;
        } else {
            assert!((moved - (start - step)).abs() < 1e-12, "moved to {moved}");
        }
        assert!(
            state
                .interests
                .iter()
                .enumerate()
                .all(|(c, &x)| c == 7 || x == 0.0)
        );
    }
    let freq = f64::from(ups) / f64::from(draws);
    let se = (p_up * (1.0 - p_up) / f64::from(draws)).sqrt();
    assert!(
        (freq - p_up).abs() < 5.0 * se,
        "from {start}: up {freq} vs {p_up}"
    );
}

#[test]
fn interest_steps_match_reference() {
    assert_interest_step(0.0, 0.3, 0.5);
    assert_interest_step(0.9, 0.003, 0.95);
    assert_interest_step(-0.9, 0.057, 0.05);
}

#[test]
fn recsim_topic_means_table() {
    let table = [
        -3.0, -2.7692, -2.5385, -2.3077, -2.0769, -1.8462, -1.6154, -1.3846, -1.1538, -0.9231,
        -0.6923, -0.4615, -0.2308, 0.0, 0.0, 0.6, 1.2, 1.8, 2.4, 3.0,
    ];
    let means = recsim_topic_quality_means();
    assert_eq!(means.len(), 20);
    for (c, (m, t)) in means.iter().zip(table).enumerate() {
        assert!((m - t).abs() < 5e-5, "topic {c}: {m} vs {t}");
    }
    assert!((means.iter().sum::<f64>() / 20.0 + 0.6).abs() < 1e-12);
}

#[test]
fn satisfaction_tracks_clicked_quality() {
    let p = params(IevUser::default());
    let mut state = UserState::new(20);
    state.budget = 200.0;
    assert_eq!(state.satisfaction(), 0.5);
    let mut rng = response_rng(4);
    state.consume(&p, 0, 3.0, 4.0, &mut rng);
    let m1: f64 = 0.1 * 3.0;
    assert!((state.satisfaction() - 1.0 / (1.0 + (-m1).exp())).abs() < 1e-15);
    state.skip(&p);
    assert!((state.satisfaction() - 1.0 / (1.0 + (-m1).exp())).abs() < 1e-15);
    state.consume(&p, 0, -2.0, 4.0, &mut rng);
    let m2: f64 = 0.9 * m1 + 0.1 * -2.0;
    assert!((state.satisfaction() - 1.0 / (1.0 + (-m2).exp())).abs() < 1e-15);
}

#[test]
fn first_step_outcome_reports_the_pre_transition_optimum() {
    let mut rig = Rig::stock(10, 2);
    let mut rngs = EnvRngs::for_episode(6, Phase::Train, 0);
    rig.env.reset(&mut rngs, &mut rig.obs);
    let (mut best, slate) = (Vec::new(), [3, 8]);
    let best_value = rig.env.best_myopic_slate(&mut best);
    let served_value = rig.env.expected_reward(&slate);
    let budget = hidden_budget(rig.env.as_ref());
    let out = rig.step(&slate, &mut rngs);
    assert_eq!(out.expected_reward, served_value);
    assert_eq!(out.best_expected_reward, best_value);
    assert_eq!(budget, 200.0);
    let Hidden::InterestEvolution { doc_quality, .. } = rig.env.hidden() else {
        unreachable!()
    };
    assert_eq!(doc_quality.len(), 10);
}
