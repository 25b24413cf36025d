//! A reduced-scale learning check on a stock scenario (the full-scale figures are in
//! docs/results.md): SlateQ must find the long-term structure of choc-kale quickly.

use super::SlateQ;
use super::params::SlateQParams;
use super::prioritized::ReplayKind;
use super::test_mdp::{evaluate, rng, train};
use crate::sim::EnvSetup;
use crate::sim::long_term_satisfaction::{InitialNpe, LtsConfig, LtsDocuments, LtsUser, setup};
use crate::sim::population::SegmentConfig;
use crate::sim::rng::Purpose;

/// The choc-kale preset (reference Appendix A), as scenarios/choc-kale.ron writes it.
fn choc_kale() -> LtsConfig {
    LtsConfig {
        num_candidates: 20,
        slate_size: 1,
        observe_time: true,
        documents: LtsDocuments::Alternating {
            sweet: (0.8, 1.0),
            bitter: (0.0, 0.2),
        },
        population: vec![SegmentConfig {
            name: "all".into(),
            share: 1.0,
            user: LtsUser {
                sensitivity: 0.9,
                innovation_stddev: 1e-5,
                choc_stddev: 0.0,
                kale_mean: 0.0,
                kale_stddev: 0.0,
                time_budget: 10,
                initial_npe: InitialNpe::Fixed(1.0),
                ..LtsUser::default()
            },
        }],
        ..LtsConfig::default()
    }
}

/// Small-network settings for a quick run, with `extra` RON fields appended.
fn quick_params(extra: &str) -> SlateQParams {
    let mut params: SlateQParams = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES)
        .from_str(&format!(
            "(network: (hidden: [64, 32]), exploration: (warmup_steps: 1000, decay_steps: 10000),
              learning_starts: 500, target_update: Hard(every_updates: 200){extra})"
        ))
        .unwrap();
    params.replay_capacity = 20_000;
    params
}

/// Greedy return after 1,500 ten-step episodes (15,000 steps, 3,750 updates).
fn greedy_return(params: SlateQParams) -> f64 {
    let mut env = setup(choc_kale()).unwrap().build(1);
    let mut agent = SlateQ::new(params, env.spec(), &mut rng(Purpose::AgentInit, 1, 0));
    train(&mut agent, &mut *env, 1_500, 1).unwrap();
    evaluate(&mut agent, &mut *env, 200, 1)
}

#[test]
fn learns_choc_kale_far_beyond_the_sweetest_policy_with_uniform_replay() {
    let greedy = greedy_return(quick_params(", replay: Uniform"));
    // Always-sweetest earns 56.5, random 99, the optimum 226 (measured here: 133).
    assert!(greedy > 110.0, "greedy return {greedy}");
}

#[test]
fn learns_choc_kale_with_prioritized_replay() {
    let params = quick_params(", replay: Prioritized(alpha: 0.6, beta_updates: 3000)");
    assert!(matches!(params.replay, ReplayKind::Prioritized(_)));
    let greedy = greedy_return(params);
    assert!(greedy > 110.0, "greedy return {greedy}");
}
