//! Agreement with the click-through rates measured on stock RecSim (reference §10.3).
//!
//! The reference's rates come from one sample of 400 users × 50 steps with no standard
//! errors, and that sample held 33.75 % type-0 users rather than 30 %. Each rate is therefore
//! checked twice, both within three standard errors of the difference plus 0.0005 for the
//! reference's rounding to three decimals:
//! - against the measured value, taking the reference's SE to be our per-user spread over
//!   √400 (the reference sample's size);
//! - against the analytic expectation for an exact 30/70 mix, which has no sampling error.
//!
//! The main test runs 1,500 users per policy; the `#[ignore]`d one runs 10,000 and also checks
//! the per-type rates and the share of clicks on topic 0 (run with `cargo test -- --ignored`).
//!
//! Per-type rates: the reference's measured type-1 rates (random 0.223, max-quality and oracle
//! 0.496) sit about three of their standard errors above what reference §4's equations give,
//! and above what its own analytic 30/70 figures imply (0.7·t1 + 0.3·t0 = 0.428 needs
//! t1 ≈ 0.482). The per-type targets below are therefore model values from an independent
//! Monte-Carlo of §4's equations (Python's `random`, 300,000 single steps per type, SE < 0.0002),
//! which reproduce the analytic overall figures: type 0 random 0.2655, max-quality 0.3003,
//! oracle 0.3228; type 1 random 0.2132, max-quality and oracle 0.4826. The reference's
//! measured per-type values are 0.266/0.301/0.318 and 0.223/0.496/0.496.

use crate::agent::Agent;
use crate::agent::baselines::{GreedyQuality, GreedyQualityParams, OracleMyopic};
use crate::agent::random::RandomAgent;
use crate::sim::interest_exploration::{IexConfig, setup};
use crate::sim::long_term_satisfaction::tests::{assert_agrees, mean_se, run_episode};
use crate::sim::{EnvSetup, Hidden, OracleView};

const SEED: u64 = 77;
const ROUNDING: f64 = 0.0005;
const REFERENCE_USERS: f64 = 400.0;

/// Per user: CTR, user type, clicks on topic 0, clicks.
struct UserLog {
    ctr: f64,
    user_type: usize,
    topic0_clicks: f64,
    clicks: f64,
}

fn run(agent: &mut dyn Agent, users: u64) -> Vec<UserLog> {
    let mut env = setup(IexConfig::default()).unwrap().environment(SEED);
    (0..users)
        .map(|e| {
            let mut user_type = 0;
            let mut topic0_clicks = 0.0;
            let log = run_episode(&mut env, agent, SEED, e, |env, _, _, out, next| {
                if let Hidden::InterestExploration { user_type: t, .. } = env.hidden() {
                    user_type = t;
                }
                if let Some(j) = out.clicked {
                    topic0_clicks += f64::from(u8::from(next.responses[j].cluster == 0));
                }
            });
            assert_eq!(log.steps, 50);
            UserLog {
                ctr: f64::from(log.clicks) / 50.0,
                user_type,
                topic0_clicks,
                clicks: f64::from(log.clicks),
            }
        })
        .collect()
}

fn check_ctr(label: &str, ctrs: &[f64], measured: f64, analytic: Option<f64>) {
    let (_, se) = mean_se(ctrs);
    let spread = se * (ctrs.len() as f64).sqrt();
    assert_agrees(
        label,
        ctrs,
        measured,
        spread / REFERENCE_USERS.sqrt(),
        ROUNDING,
    );
    if let Some(exact) = analytic {
        assert_agrees(label, ctrs, exact, 0.0, ROUNDING);
    }
}

fn greedy() -> GreedyQuality {
    let spec = setup(IexConfig::default()).unwrap().spec().clone();
    GreedyQuality::new(GreedyQualityParams::default(), &spec)
}

#[test]
fn click_through_rates_match_recsim() {
    let policies: [(&str, Box<dyn Agent>, f64, f64); 3] = [
        ("random", Box::new(RandomAgent), 0.238, 0.229),
        ("max-quality", Box::new(greedy()), 0.430, 0.428),
        ("oracle", Box::new(OracleMyopic), 0.436, 0.434),
    ];
    for (label, mut agent, measured, analytic) in policies {
        let logs = run(agent.as_mut(), 1500);
        let ctrs: Vec<f64> = logs.iter().map(|l| l.ctr).collect();
        check_ctr(label, &ctrs, measured, Some(analytic));
    }
}

#[test]
#[ignore = "large sample (several seconds in debug); run with --ignored"]
fn click_through_rates_by_type_and_topic() {
    // Measured overall rate and analytic overall rate (reference), per-type model rates (see
    // the module comment), measured share of clicks on topic 0 (reference).
    let policies: [(&str, Box<dyn Agent>, Targets); 3] = [
        (
            "random",
            Box::new(RandomAgent),
            ((0.238, 0.229), (0.2655, 0.2132), 0.426),
        ),
        (
            "max-quality",
            Box::new(greedy()),
            ((0.430, 0.428), (0.3003, 0.4826), 0.958),
        ),
        (
            "oracle",
            Box::new(OracleMyopic),
            ((0.436, 0.434), (0.3228, 0.4826), 0.859),
        ),
    ];
    for (label, mut agent, ((all, analytic), (type0, type1), topic0)) in policies {
        let logs = run(agent.as_mut(), 10_000);
        let ctrs: Vec<f64> = logs.iter().map(|l| l.ctr).collect();
        check_ctr(label, &ctrs, all, Some(analytic));
        for (t, model) in [(0, type0), (1, type1)] {
            let of_type: Vec<f64> = logs
                .iter()
                .filter(|l| l.user_type == t)
                .map(|l| l.ctr)
                .collect();
            assert_agrees(label, &of_type, model, 0.0002, 0.0);
        }
        // Share of clicks on topic 0, a ratio of sums: its SE by linearisation per user.
        let clicks: f64 = logs.iter().map(|l| l.clicks).sum();
        let share = logs.iter().map(|l| l.topic0_clicks).sum::<f64>() / clicks;
        let residual_sq: f64 = logs
            .iter()
            .map(|l| (l.topic0_clicks - share * l.clicks).powi(2))
            .sum();
        let se = residual_sq.sqrt() / clicks;
        let reference_se = se * (logs.len() as f64 / REFERENCE_USERS).sqrt();
        let tolerance = 3.0 * (se * se + reference_se * reference_se).sqrt() + ROUNDING;
        assert!(
            (share - topic0).abs() <= tolerance,
            "{label}: topic-0 share {share} vs {topic0}"
        );
    }
}

/// ((measured overall, analytic overall), (type-0 model, type-1 model), topic-0 click share).
type Targets = ((f64, f64), (f64, f64), f64);
