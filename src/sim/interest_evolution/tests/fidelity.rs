//! Monte-Carlo agreement with the stock RecSim numbers (reference §10.1, N = 10, K = 2).
//!
//! Episode counts keep each test well under a second in the debug profile while giving
//! standard errors comparable to RecSim's. The `#[ignore]`d variant runs 20 000 episodes
//! per policy (tolerance dominated by RecSim's own SE); run it in release.

use super::{Episode, Policy, Rig, hidden_budget, mean_se, run_episode};
use crate::sim::rng::{EnvRngs, Phase};

const SEED: u64 = 20_200_630;

/// Runs `episodes` episodes of `policy` on stock N=10, K=2.
fn episodes(mut policy: Policy, episodes: u64) -> Vec<Episode> {
    let mut rig = Rig::stock(10, 2);
    (0..episodes)
        .map(|e| run_episode(&mut rig, &mut policy, SEED, e, 10_000))
        .collect()
}

/// Asserts that the mean return is within 3 combined standard errors of RecSim's.
fn assert_return(runs: &[Episode], target: f64, target_se: f64, what: &str) {
    let returns: Vec<f64> = runs.iter().map(|r| r.total_reward).collect();
    let (mean, se) = mean_se(&returns);
    let tolerance = 3.0 * (se * se + target_se * target_se).sqrt();
    assert!(
        (mean - target).abs() < tolerance,
        "{what}: mean return {mean:.2} ± {se:.2}, RecSim {target} ± {target_se} (tolerance {tolerance:.2})"
    );
}

/// Asserts a per-step figure (steps, CTR) to a relative tolerance: these have no published SE.
fn assert_close(value: f64, target: f64, relative: f64, what: &str) {
    assert!(
        (value - target).abs() < relative * target.abs(),
        "{what}: {value:.3} vs RecSim {target}"
    );
}

fn summary(runs: &[Episode]) -> (f64, f64, f64) {
    let steps: f64 = runs.iter().map(|r| f64::from(r.steps)).sum();
    let clicks: f64 = runs.iter().map(|r| f64::from(r.clicks)).sum();
    let quality: f64 = runs.iter().map(|r| r.clicked_quality).sum();
    (steps / runs.len() as f64, clicks / steps, quality / clicks)
}

#[test]
fn random_policy_matches_recsim() {
    let runs = episodes(Policy::random(1), 3000);
    assert_return(&runs, 154.08, 0.29, "random");
    let (length, ctr, quality) = summary(&runs);
    assert_close(length, 84.2, 0.03, "random episode length");
    assert_close(ctr, 0.463, 0.03, "random CTR");
    assert_close(quality, -0.59, 0.1, "random quality per click");
}

#[test]
fn myopic_oracle_matches_recsim() {
    let runs = episodes(Policy::Myopic, 3000);
    assert_return(&runs, 165.36, 0.66, "myopic oracle");
    let (length, ctr, _) = summary(&runs);
    assert_close(length, 66.5, 0.05, "myopic episode length");
    assert_close(ctr, 0.629, 0.03, "myopic CTR");
}

#[test]
fn quality_oracle_matches_recsim() {
    let runs = episodes(Policy::Quality, 2000);
    assert_return(&runs, 281.7, 1.4, "quality oracle");
    let (length, _, quality) = summary(&runs);
    assert_close(length, 166.6, 0.05, "quality-oracle episode length");
    assert_close(quality, 1.73, 0.05, "quality-oracle quality per click");
}

#[test]
#[ignore = "large fidelity run (20 000 episodes per policy); run with --ignored in release"]
fn all_policies_match_recsim_at_large_scale() {
    assert_return(&episodes(Policy::random(1), 20_000), 154.08, 0.29, "random");
    assert_return(
        &episodes(Policy::Myopic, 20_000),
        165.36,
        0.66,
        "myopic oracle",
    );
    assert_return(
        &episodes(Policy::Quality, 20_000),
        281.7,
        1.4,
        "quality oracle",
    );
}

/// First step of fresh episodes: exact click probabilities from the oracle view, averaged
/// over users, against the analytic values; realised clicks and budgets against RecSim's.
#[test]
fn first_step_matches_analytic_values() {
    let users = 20_000;
    let mut rig = Rig::stock(10, 2);
    let mut random = Policy::random(2);
    let (mut slate, mut scratch) = (Vec::new(), Vec::new());
    let (mut p_random, mut p_myopic, mut clicks, mut budgets) = (vec![], vec![], 0.0, vec![]);
    for e in 0..users {
        let mut rngs = EnvRngs::for_episode(SEED + 1, Phase::Train, e);
        rig.env.reset(&mut rngs, &mut rig.obs);
        p_myopic.push(rig.env.best_myopic_slate(&mut slate) / 4.0);
        random.act(&rig, &mut slate, &mut scratch);
        p_random.push(rig.env.expected_reward(&slate) / 4.0);
        let out = rig.step(&slate, &mut rngs);
        clicks += f64::from(u8::from(out.clicked.is_some()));
        budgets.push(hidden_budget(rig.env.as_ref()));
    }
    let within = |xs: &[f64], target: f64, what: &str| {
        let (mean, se) = mean_se(xs);
        assert!(
            (mean - target).abs() < 4.0 * se,
            "{what}: {mean:.4} ± {se:.4} vs {target}"
        );
    };
    within(&p_random, 0.4769, "random first-step click probability");
    within(&p_myopic, 0.6255, "myopic first-step click probability");
    within(&budgets, 197.49, "budget after a random first step");
    let ctr = clicks / users as f64;
    let se = (0.4769f64 * 0.5231 / users as f64).sqrt();
    assert!(
        (ctr - 0.4769).abs() < 4.0 * se,
        "realised random CTR {ctr:.4}"
    );
}

#[test]
fn myopic_first_step_budget_matches_recsim() {
    let mut rig = Rig::stock(10, 2);
    let mut slate = Vec::new();
    let budgets: Vec<f64> = (0..20_000)
        .map(|e| {
            let mut rngs = EnvRngs::for_episode(SEED + 2, Phase::Train, e);
            rig.env.reset(&mut rngs, &mut rig.obs);
            rig.env.best_myopic_slate(&mut slate);
            let slate = slate.clone();
            rig.step(&slate, &mut rngs);
            hidden_budget(rig.env.as_ref())
        })
        .collect();
    let (mean, se) = mean_se(&budgets);
    assert!((mean - 196.93).abs() < 4.0 * se, "{mean:.3} ± {se:.3}");
}
