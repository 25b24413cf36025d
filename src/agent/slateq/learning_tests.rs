//! A reduced-scale learning check on a stock scenario (the full-scale figures are in
//! docs/results.md): SlateQ must find the long-term structure of choc-kale quickly.

use super::SlateQ;
use super::params::SlateQParams;
use super::test_mdp::{evaluate, rng, train};
use crate::scenario;
use crate::sim::rng::Purpose;

#[test]
fn learns_choc_kale_far_beyond_the_sweetest_policy() {
    let s = scenario::load("choc-kale").unwrap();
    let mut env = s.env.build(s.seed);
    let mut params: SlateQParams = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(
            "(network: (hidden: [64, 32]), exploration: (warmup_steps: 1000, decay_steps: 10000),
              learning_starts: 500, target_update: Hard(every_updates: 200))",
        )
        .unwrap();
    params.replay_capacity = 20_000;
    let mut agent = SlateQ::new(params, env.spec(), &mut rng(Purpose::AgentInit, 1, 0));
    // 1,500 ten-step episodes = 15,000 steps, 3,750 updates.
    train(&mut agent, &mut *env, 1_500, 1).unwrap();
    let greedy = evaluate(&mut agent, &mut *env, 200, 1);
    // Always-sweetest earns 56.5, random 99, the optimum 226 (measured here: 133).
    assert!(greedy > 110.0, "greedy return {greedy}");
}
