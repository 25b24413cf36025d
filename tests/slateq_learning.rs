//! SlateQ learns, checked through the public engine API as `slatelab run` drives it: training
//! for a step budget, then greedy evaluation on users every lane shares, compared episode by
//! episode (paired differences with 95 % intervals).
//!
//! The fast tests use a smaller network and a shorter exploration schedule so that each runs
//! in a few seconds in release. The full-scale recipes of docs/results.md are `#[ignore]`d
//! (several minutes of CPU); run them with
//!
//! ```text
//! cargo test --release --test slateq_learning -- --ignored --test-threads 1
//! ```

use std::path::Path;

use slatelab::agent::AgentSpec;
use slatelab::engine::{self, Budget, RunPlan, lanes_for};
use slatelab::metrics::{EpisodeSummary, PairedStats, paired_difference_by};
use slatelab::report::RunTally;
use slatelab::scenario::{self, canonical};

/// SlateQ at reduced scale: [64, 32] hidden units, exploration over the first 11,000 steps,
/// target network synced every 200 updates.
const SMALL_SLATEQ: &str = "SlateQ(network: (hidden: [64, 32]), \
    exploration: (warmup_steps: 1000, decay_steps: 10000), learning_starts: 1000, \
    target_update: Hard(every_updates: 200))";

/// The long-term-satisfaction preset with 50 candidates (not built in: a file).
fn lts_n50() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/long-term-satisfaction-n50.ron")
        .display()
        .to_string()
}

/// Trains every agent of `agents` (a `--agents` list) for `steps`, then evaluates it greedily
/// on `eval` episodes, as `slatelab run --steps .. --eval-episodes .. --seed ..` does.
fn run(scenario: &str, agents: &str, steps: u64, eval: u64, seed: u64) -> RunTally {
    let s = scenario::load(scenario).expect("scenario loads");
    let agents = scenario::parse_agent_list(agents, &s).expect("agents parse");
    let mut plan = RunPlan::new(
        s.env.clone(),
        seed,
        lanes_for(&agents),
        Budget::Steps(steps),
    );
    plan.eval_episodes = eval;
    plan.threads = 1;
    let handle = engine::spawn(plan).expect("lanes build");
    let results = RunTally::collect_keeping_episodes(handle.events());
    handle.join();
    for lane in &results.lanes {
        assert_eq!(lane.error, None, "a lane failed");
        assert_eq!(
            lane.eval_episodes().len() as u64,
            eval,
            "every lane evaluated"
        );
    }
    results
}

fn eval<'a>(results: &'a RunTally, label: &str) -> &'a [EpisodeSummary] {
    results
        .lanes
        .iter()
        .find(|l| l.spec.as_ref().is_some_and(|s| s.label == label))
        .map_or_else(
            || panic!("no lane {label}"),
            slatelab::report::LaneTally::eval_episodes,
        )
}

fn eval_mean(results: &RunTally, label: &str) -> f64 {
    let e = eval(results, label);
    e.iter().map(|e| e.ret).sum::<f64>() / e.len() as f64
}

/// Paired evaluation difference a − b of `metric`.
fn paired(
    results: &RunTally,
    a: &str,
    b: &str,
    metric: impl Fn(&EpisodeSummary) -> f64,
) -> PairedStats {
    paired_difference_by(eval(results, a), eval(results, b), metric).expect("shared episodes")
}

/// Asserts that a − b in return has its whole 95 % interval above `margin`.
fn assert_return_above(results: &RunTally, a: &str, b: &str, margin: f64) -> PairedStats {
    let p = paired(results, a, b, |e| e.ret);
    assert!(
        p.ci95.0 > margin,
        "{a} − {b}: {:.2} [{:.2}, {:.2}], lower bound not above {margin}",
        p.mean_diff,
        p.ci95.0,
        p.ci95.1
    );
    p
}

#[test]
fn slateq_learns_choc_kale_beyond_random_sweetest_and_linucb() {
    // 1,500 ten-step episodes. Greedy SlateQ mixes in kale: measured 136.4, 38.8 [35.1, 42.5]
    // above random (99), far above sweetest and LinUCB (56.5); the optimum is 226.
    let agents = format!("{SMALL_SLATEQ},random,sweetest,linucb");
    let r = run("choc-kale", &agents, 15_000, 200, 1);
    assert_return_above(&r, "slateq", "random", 20.0);
    assert_return_above(&r, "slateq", "sweetest", 60.0);
    let sat = paired(&r, "slateq", "linucb", |e| e.mean_satisfaction);
    assert!(
        sat.ci95.0 > 0.2,
        "mean satisfaction, slateq − linucb: {:.3} [{:.3}, {:.3}]",
        sat.mean_diff,
        sat.ci95.0,
        sat.ci95.1
    );
}

/// The built-in choc-kale's own SlateQ entry: its recipe.
fn choc_kale_recipe() -> AgentSpec {
    let s = scenario::load("choc-kale").expect("built-in");
    s.agents
        .into_iter()
        .find(|a| matches!(a, AgentSpec::SlateQ(_)))
        .expect("choc-kale lists its SlateQ recipe")
}

/// The recipe for a run of `steps` steps: exploration over the first 11,000 steps and the
/// learning-rate decay over `steps`.
fn choc_kale_recipe_shortened(steps: u64) -> String {
    let mut spec = choc_kale_recipe();
    let AgentSpec::SlateQ(p) = &mut spec else {
        unreachable!("found as SlateQ")
    };
    p.exploration.warmup_steps = 1_000;
    p.exploration.decay_steps = 10_000;
    p.network
        .adam
        .lr_decay
        .as_mut()
        .expect("the recipe decays its learning rate")
        .steps = steps;
    canonical::agent_ron(&spec)
}

#[test]
fn choc_kales_slateq_recipe_beats_the_defaults_at_reduced_scale() {
    // 40,000 steps, exploration shortened alike for both. Measured on seed 1: recipe 210.5
    // (93 % of the optimum already), defaults 154.5, paired +56.0 [+55.1, +57.0]: the defaults'
    // 10,000 updates leave their values far from precise enough to choose kale well.
    let default = "SlateQ(exploration: (warmup_steps: 1000, decay_steps: 10000))";
    let agents = format!("{},{default}", choc_kale_recipe_shortened(40_000));
    let r = run("choc-kale", &agents, 40_000, 300, 1);
    let p = assert_return_above(&r, "slateq", "slateq#2", 30.0);
    let recipe = eval_mean(&r, "slateq");
    println!("recipe {recipe:.2}, paired recipe − defaults {p:?}");
    assert!(recipe >= 195.0, "recipe eval {recipe:.2}");
}

#[test]
fn slateq_learns_interest_evolution_beyond_random() {
    // 30,000 steps; measured 9.2 [6.7, 11.8] above random. At this scale the edge over the
    // myopic oracle is not yet reliable across seeds and settings (probes at 60,000 to 90,000
    // steps ranged from −3.6 to +23); at full scale it is (full_scale_interest_evolution).
    let agents = format!("{SMALL_SLATEQ},random");
    let r = run("interest-evolution", &agents, 30_000, 300, 1);
    assert_return_above(&r, "slateq", "random", 0.0);
}

#[test]
fn slateq_serves_the_sweetest_item_in_long_term_satisfaction_n50() {
    // With the stock parameters always-sweetest is optimal (reference §3.7); SlateQ finds it.
    let agents = format!("{SMALL_SLATEQ},sweetest,random");
    let r = run(&lts_n50(), &agents, 6_000, 200, 1);
    assert!(eval_mean(&r, "slateq") >= 1_100.0);
    let gap = paired(&r, "slateq", "sweetest", |e| e.ret);
    assert!(gap.mean_diff.abs() < 1.0, "slateq − sweetest {gap:?}");
    assert_return_above(&r, "slateq", "random", 100.0);
}

// Full scale: the recipes of docs/results.md, with default SlateQ parameters.

#[test]
#[ignore = "full scale, about 4 minutes of CPU: cargo test --release --test slateq_learning -- --ignored"]
fn full_scale_interest_evolution() {
    for seed in 1..=3 {
        let r = run(
            "interest-evolution",
            "slateq,oracle-myopic,random",
            120_000,
            500,
            seed,
        );
        assert!(eval_mean(&r, "slateq") >= 160.0, "seed {seed}");
        let r = run(
            "interest-evolution",
            "slateq,oracle-myopic,random",
            300_000,
            500,
            seed,
        );
        assert_return_above(&r, "slateq", "oracle-myopic", 0.0);
    }
}

#[test]
#[ignore = "full scale, about 1.5 minutes of CPU: cargo test --release --test slateq_learning -- --ignored"]
fn full_scale_choc_kale() {
    for seed in 1..=3 {
        let r = run("choc-kale", "slateq,linucb,random", 200_000, 500, seed);
        assert!(eval_mean(&r, "slateq") >= 150.0, "seed {seed}");
        let sat = paired(&r, "slateq", "linucb", |e| e.mean_satisfaction);
        assert!(sat.ci95.0 > 0.0, "seed {seed}: {sat:?}");
    }
}

#[test]
#[ignore = "full scale, about 12 minutes of CPU (700 s measured): cargo test --release --test slateq_learning -- --ignored"]
fn full_scale_choc_kale_recipe_reaches_95_percent_of_the_optimum_on_every_seed() {
    // docs/results.md, "choc-kale: SlateQ to 95 % of the optimum": ≥ 215 = 95 % of 226.
    let agents = format!(
        "{},oracle-optimal",
        canonical::agent_ron(&choc_kale_recipe())
    );
    let mut worst: Option<(u64, PairedStats)> = None;
    for seed in 1..=10 {
        let r = run("choc-kale", &agents, 200_000, 500, seed);
        let score = eval_mean(&r, "slateq");
        let gap = paired(&r, "slateq", "oracle-optimal", |e| e.ret);
        println!("seed {seed}: slateq {score:.2}, paired − oracle-optimal {gap:?}");
        assert!(score >= 215.0, "seed {seed}: {score:.2}");
        if worst
            .as_ref()
            .is_none_or(|(_, w)| gap.mean_diff < w.mean_diff)
        {
            worst = Some((seed, gap));
        }
    }
    println!("worst seed's paired gap to oracle-optimal: {worst:?}");
}

#[test]
#[ignore = "full scale, about 2.5 minutes of CPU: cargo test --release --test slateq_learning -- --ignored"]
fn full_scale_long_term_satisfaction_n50() {
    for seed in 1..=3 {
        let r = run(&lts_n50(), "slateq,sweetest,random", 200_000, 500, seed);
        assert!(eval_mean(&r, "slateq") >= 1_100.0, "seed {seed}");
        assert_return_above(&r, "slateq", "random", 0.0);
    }
}
