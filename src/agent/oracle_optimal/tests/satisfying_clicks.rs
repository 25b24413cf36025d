//! `oracle-optimal` planning for the tutorial's `SatisfyingClicks` reward on choc-kale's users.

use super::super::*;
use super::choc_kale_spec;
use crate::agent::Agent;
use crate::agent::AgentSpec;
use crate::sim::Environment;
use crate::sim::long_term_satisfaction::tests::{agent_rng, mean_se, run_episode};
use crate::sim::long_term_satisfaction::{InitialNpe, LtsConfig, LtsUser, setup};
use crate::sim::population::SegmentConfig;

fn params() -> OracleOptimalParams {
    OracleOptimalParams {
        reward: RewardKind::SatisfyingClicks,
        ..OracleOptimalParams::default()
    }
}

/// The environment `p` plans for, with the tutorial's reward and every user starting at NPE
/// `npe` (with `params()` and NPE 1: the choc-kale-tutorial built-in).
fn environment_of(p: &OracleOptimalParams, npe: f64) -> LtsConfig {
    LtsConfig {
        num_candidates: 20,
        slate_size: 1,
        observe_time: true,
        reward: RewardKind::SatisfyingClicks,
        documents: p.documents.clone(),
        population: vec![SegmentConfig {
            name: "all".into(),
            share: 1.0,
            user: LtsUser {
                memory_discount: p.memory_discount,
                sensitivity: p.sensitivity,
                innovation_stddev: p.innovation_stddev,
                choc_mean: p.choc_mean,
                choc_stddev: p.choc_stddev,
                kale_mean: p.kale_mean,
                kale_stddev: p.kale_stddev,
                time_budget: p.time_budget,
                initial_npe: InitialNpe::Fixed(npe),
                choice: None,
            },
        }],
        ..LtsConfig::default()
    }
}

#[test]
fn the_value_counts_at_most_one_per_step_left() {
    let table = ValueTable::new(&params(), 20, 10);
    for t in 0..=10u32 {
        for i in 0..=80 {
            let x = -8.0 + 0.2 * f64::from(i);
            let v = table.value(t, x);
            assert!(
                (0.0..=f64::from(t) + 1e-9).contains(&v),
                "V_{t}({x}) = {v} outside [0, {t}]"
            );
        }
    }
    // From choc-kale's start, serving kale raises satisfaction at nearly every step.
    assert!(table.value(10, 1.0) > 9.0, "{}", table.value(10, 1.0));
}

/// Mean and standard error of `agent`'s return over 2,000 episodes of `env`.
fn returns(
    env: &mut crate::sim::long_term_satisfaction::LtsEnv,
    agent: &mut dyn Agent,
) -> (f64, f64) {
    let returns: Vec<f64> = (0..2000)
        .map(|e| run_episode(env, agent, 5, e, |_, _, _, _, _| {}).ret)
        .collect();
    mean_se(&returns)
}

#[test]
fn the_table_value_is_what_the_policy_earns_in_the_environment() {
    // choc-kale-tutorial itself (the oracle rises every step: 10), a start at the kale fixed
    // point where rises must be bought with chocolate, and noisy transitions where the DP's
    // expectations over η matter.
    let noisy = OracleOptimalParams {
        innovation_stddev: 0.3,
        ..params()
    };
    for (p, npe) in [(params(), 1.0), (params(), 3.0), (noisy, 2.0)] {
        let mut env = setup(environment_of(&p, npe))
            .expect("valid config")
            .environment(1);
        let spec = env.spec().clone();
        let mut oracle = OracleOptimal::new(&p, &spec);
        let (mean, se) = returns(&mut env, &mut oracle);
        let v = oracle.table().value(10, npe);
        // The table interpolates a value that jumps where a rise becomes (im)possible; a
        // twentieth of a reward of the grid's smoothing is allowed beside the sampling error.
        assert!(
            (mean - v).abs() < 4.0 * se + 0.05,
            "η {} NPE {npe}: simulated {mean} ± {se}, table {v}",
            p.innovation_stddev
        );
        // And it is at least as good as always serving the least sweet candidate.
        let mut least_sweet = AgentSpec::LeastSweet
            .check(&spec)
            .expect("least-sweet runs in long-term-satisfaction")
            .build(&mut agent_rng(5, 0));
        let (kale, kale_se) = returns(&mut env, least_sweet.as_mut());
        assert!(
            mean >= kale - 3.0 * (se * se + kale_se * kale_se).sqrt(),
            "η {} NPE {npe}: oracle {mean} ± {se} below least-sweet {kale} ± {kale_se}",
            p.innovation_stddev
        );
    }
}

#[test]
fn clicks_are_refused_as_nothing_to_plan() {
    let spec = choc_kale_spec();
    assert!(params().validate(&spec).is_ok());
    let clicks = OracleOptimalParams {
        reward: RewardKind::Clicks,
        ..OracleOptimalParams::default()
    };
    let err = clicks.validate(&spec).unwrap_err();
    assert_eq!(err.field, "reward");
    assert!(err.message.contains("nothing to plan"), "{}", err.message);
}

#[test]
fn the_written_params_name_the_reward_only_when_it_is_not_engagement() {
    // Earlier reports' specs (and the agent streams derived from them) stay byte-identical.
    let engagement = ron::to_string(&OracleOptimalParams::default()).unwrap();
    assert!(!engagement.contains("reward"), "{engagement}");
    let tutorial = ron::to_string(&params()).unwrap();
    assert!(tutorial.contains("reward:SatisfyingClicks"), "{tutorial}");
    let back: OracleOptimalParams = ron::from_str(&tutorial).unwrap();
    assert_eq!(back, params());
}
