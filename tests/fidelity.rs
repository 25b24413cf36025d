//! Fidelity of the stock presets, run through the public engine exactly as `slatelab run`
//! runs them: `scenario::load` → `engine::spawn` → `RunTally::collect_keeping_episodes` → `AgentStats`.
//!
//! Every preset runs under `random` and its reference baselines, and each mean must land
//! within three combined standard errors, 3·√(se_ours² + se_ref²), of the published number
//! (reference §10 and, for choc-kale, the re-measured Appendix A values). Where a reference
//! number has no standard error, the comment at its check says what stands in for it.
//!
//! Two tiers:
//! - The plain tests are the CI subset. `cargo test --release` runs them in a few seconds on
//!   two cores (choc-kale 10,000 episodes per agent, Long-Term Satisfaction 4,000, Interest
//!   Evolution 3,000, Interest Exploration 4,000, mixed-population 6,000). In the debug
//!   profile they take longer but still pass.
//! - The `#[ignore]`d test repeats every check with ten times as many episodes, where the
//!   tolerance is dominated by the reference's own standard error. Run it with
//!   `cargo test --release --test fidelity -- --ignored` (about half a minute on two cores).
//!
//! Seeds are fixed, so a run is reproducible bit for bit; the tolerances are statistical, not
//! tuned to the seed.

use slatelab::engine::{Budget, RunPlan, lanes_for, spawn};
use slatelab::metrics::{AgentStats, EpisodeSummary, RunningStats, paired_difference};
use slatelab::report::RunTally;
use slatelab::scenario;

/// The seed of every run here (the presets' own seed).
const SEED: u64 = 1;

/// Worker threads: CI has two cores.
const THREADS: usize = 2;

/// One agent lane's finished run.
struct Lane {
    name: String,
    stats: AgentStats,
    episodes: Vec<EpisodeSummary>,
}

/// Runs `agents` (a `--agents` list) on the built-in `preset` for `episodes` episodes each.
fn run(preset: &str, agents: &str, episodes: u64) -> Vec<Lane> {
    let scenario = scenario::load(preset).expect("built-in scenario loads");
    let specs = scenario::parse_agent_list(agents, &scenario).expect("known agents");
    let mut plan = RunPlan::new(
        scenario.env.clone(),
        SEED,
        lanes_for(&specs),
        Budget::Episodes(episodes),
    );
    plan.threads = THREADS;
    let handle = spawn(plan).expect("lanes build");
    let results = RunTally::collect_keeping_episodes(handle.events());
    handle.join();
    assert!(!results.partial(), "{preset}: run did not finish");
    results
        .lanes
        .into_iter()
        .map(|lane| {
            assert_eq!(lane.error, None, "{preset}: a lane failed");
            let train = lane.train_episodes().to_vec();
            let name = lane.spec.expect("every lane has a spec").label;
            assert_eq!(train.len() as u64, episodes, "{preset}/{name}");
            Lane {
                stats: AgentStats::from_episodes(&train),
                name,
                episodes: train,
            }
        })
        .collect()
}

/// The lane labelled `name`.
fn lane<'a>(lanes: &'a [Lane], name: &str) -> &'a Lane {
    lanes
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no lane {name}"))
}

/// Mean and standard error of a per-episode figure.
fn mean_se<'a>(
    episodes: impl IntoIterator<Item = &'a EpisodeSummary>,
    f: impl Fn(&EpisodeSummary) -> f64,
) -> (f64, f64) {
    let mut stats = RunningStats::new();
    episodes.into_iter().for_each(|e| stats.push(f(e)));
    (stats.mean(), stats.standard_error())
}

/// Asserts |ours − reference| ≤ 3·√(se² + reference_se²) + `rounding`, the last covering a
/// reference printed to fewer digits than its precision.
fn assert_agrees(
    label: &str,
    (mean, se): (f64, f64),
    reference: f64,
    reference_se: f64,
    rounding: f64,
) {
    let tolerance = 3.0 * se.hypot(reference_se) + rounding;
    assert!(
        (mean - reference).abs() <= tolerance,
        "{label}: {mean:.4} ± {se:.4} vs reference {reference} ± {reference_se} (tolerance {tolerance:.4})"
    );
}

/// The standard error a reference of `sample` episodes would have if its spread were ours:
/// stands in for references published without one.
fn reference_se_from_spread((_, se): (f64, f64), ours: usize, sample: f64) -> f64 {
    se * (ours as f64 / sample).sqrt()
}

/// Half a unit in the last of three printed decimals.
const ROUNDING_3DP: f64 = 0.0005;

/// Return, its SE, and mean satisfaction of the tutorial's baselines on choc-kale, as
/// re-measured on stock RecSim (reference Appendix A: 10,000 episodes each).
const CHOC_KALE: [(&str, f64, f64, f64); 3] = [
    ("random", 99.01, 0.24, 0.541),
    ("sweetest", 56.535, 0.014, 0.142),
    ("least-sweet", 10.875, 0.003, 0.914),
];

fn check_choc_kale(episodes: u64) {
    let lanes = run("choc-kale", "random,sweetest,least-sweet", episodes);
    for (name, ret, ret_se, sat) in CHOC_KALE {
        let l = lane(&lanes, name);
        assert_eq!(l.stats.mean_length, 10.0, "{name}: 10-step sessions");
        let returns = (l.stats.mean_return, l.stats.return_se);
        assert_agrees(
            &format!("choc-kale {name} return"),
            returns,
            ret,
            ret_se,
            0.0,
        );
        // The satisfaction (mean over an episode's steps, read after each transition) is
        // printed without an SE: take ours scaled to the reference's 10,000 episodes, plus
        // the rounding of its three decimals.
        let sats = mean_se(&l.episodes, |e| e.mean_satisfaction);
        let sat_ref_se = reference_se_from_spread(sats, l.episodes.len(), 10_000.0);
        assert_agrees(
            &format!("choc-kale {name} satisfaction"),
            sats,
            sat,
            sat_ref_se,
            ROUNDING_3DP,
        );
    }
    // The tutorial's point: on the same users, random beats always-sweetest, which beats
    // always-least-sweet.
    for (a, b) in [("random", "sweetest"), ("sweetest", "least-sweet")] {
        let paired = paired_difference(&lane(&lanes, a).episodes, &lane(&lanes, b).episodes)
            .expect("lanes share episodes");
        assert!(
            paired.ci95.0 > 0.0,
            "{a} − {b}: paired 95% CI {:?} does not lie above 0",
            paired.ci95
        );
    }
}

#[test]
fn choc_kale_baselines_match_the_remeasured_tutorial() {
    check_choc_kale(10_000);
}

/// Long-Term Satisfaction at N = 10, K = 2 (reference §10.2, 2,000 episodes each).
const LTS: [(&str, f64, f64); 3] = [
    ("random", 947.3, 3.6),
    // "always max clickbait" and "always min clickbait" in the reference's table.
    ("sweetest", 1115.6, 4.2),
    ("least-sweet", 785.5, 2.9),
];

fn check_long_term_satisfaction(episodes: u64) {
    let lanes = run(
        "long-term-satisfaction",
        "random,sweetest,least-sweet",
        episodes,
    );
    for (name, ret, ret_se) in LTS {
        let l = lane(&lanes, name);
        assert_eq!(
            l.stats.mean_length, 60.0,
            "{name}: exactly 60 steps per session"
        );
        let returns = (l.stats.mean_return, l.stats.return_se);
        assert_agrees(
            &format!("long-term-satisfaction {name}"),
            returns,
            ret,
            ret_se,
            0.0,
        );
        // With τ = 0.01 satisfaction cannot leave σ(±0.01·3.4) ≈ [0.4915, 0.5085] (reference
        // §3.7; measured range [0.4912, 0.5089]).
        for e in &l.episodes {
            for s in [e.mean_satisfaction, e.final_satisfaction] {
                assert!((0.491..=0.509).contains(&s), "{name}: satisfaction {s}");
            }
        }
    }
}

#[test]
fn long_term_satisfaction_baselines_match_recsim() {
    check_long_term_satisfaction(4_000);
}

/// Interest Evolution at N = 10, K = 2 (reference §10.1, 1,500 episodes each): return, its
/// SE, and the mean episode length (published without an SE).
const IEV: [(&str, f64, f64, f64); 3] = [
    ("random", 154.08, 0.29, 84.2),
    // "myopic oracle: top-K by u_c+1" and "quality oracle: top-K by hidden q".
    ("oracle-myopic", 165.36, 0.66, 66.5),
    ("oracle-quality", 281.7, 1.4, 166.6),
];

fn check_interest_evolution(episodes: u64) {
    let lanes = run(
        "interest-evolution",
        "random,oracle-myopic,oracle-quality",
        episodes,
    );
    for (name, ret, ret_se, length) in IEV {
        let l = lane(&lanes, name);
        let returns = (l.stats.mean_return, l.stats.return_se);
        assert_agrees(
            &format!("interest-evolution {name} return"),
            returns,
            ret,
            ret_se,
            0.0,
        );
        // Lengths are printed to one decimal without an SE: ours scaled to 1,500 episodes.
        let lengths = mean_se(&l.episodes, |e| f64::from(e.length));
        let length_se = reference_se_from_spread(lengths, l.episodes.len(), 1_500.0);
        assert_agrees(
            &format!("interest-evolution {name} length"),
            lengths,
            length,
            length_se,
            0.05,
        );
    }
}

#[test]
fn interest_evolution_baselines_match_recsim() {
    check_interest_evolution(3_000);
}

/// Interest Exploration at N = 15, K = 2 (reference §10.3): per-step CTR, analytic and measured.
///
/// Judged against the analytic expectations (0.229 / 0.428 / 0.434), not the measured row
/// (0.238 / 0.430 / 0.436). The measured row comes from a single sample of 400 users × 50
/// steps, published without standard errors, whose user mix was 33.75 % type 0 instead of
/// the model's 30 %. Type-0 users click more under random slates (0.266 vs 0.223), so that
/// sample overstates random's CTR. Its per-type rows also sit about three of their own
/// standard errors above what the model's equations give (reference §4; see the note in
/// `src/sim/interest_exploration/tests/fidelity.rs`), and they are inconsistent with the
/// reference's own analytic 30/70 figures (0.7·t1 + 0.3·t0 = 0.428 needs t1 ≈ 0.482, not the
/// measured 0.496). The analytic values are exact population figures for the model we port,
/// so their standard error is 0 and the tolerance is three of ours, plus the rounding of
/// their three decimals. The measured values are still checked, with their SE taken as our
/// per-user spread over √400, the size of the sample they came from.
const IEX: [(&str, f64, f64); 3] = [
    ("random", 0.229, 0.238),
    // "max-quality (= greedy pCTR with prior 0.52/0.28)" and "oracle (true affinity + quality)".
    ("greedy-quality", 0.428, 0.430),
    ("oracle-myopic", 0.434, 0.436),
];

fn check_interest_exploration(episodes: u64) {
    let lanes = run(
        "interest-exploration",
        "random,greedy-quality,oracle-myopic",
        episodes,
    );
    for (name, analytic, measured) in IEX {
        let l = lane(&lanes, name);
        assert_eq!(
            l.stats.mean_length, 50.0,
            "{name}: episodes capped at 50 steps"
        );
        // The reward is one per click, so an episode's CTR is its return over its 50 steps.
        let ctr = mean_se(&l.episodes, |e| f64::from(e.clicks) / f64::from(e.length));
        assert!(
            (ctr.0 - l.stats.ctr).abs() < 1e-12,
            "{name}: per-episode and pooled CTR differ"
        );
        assert_agrees(
            &format!("interest-exploration {name} CTR (analytic)"),
            ctr,
            analytic,
            0.0,
            ROUNDING_3DP,
        );
        let measured_se = reference_se_from_spread(ctr, l.episodes.len(), 400.0);
        assert_agrees(
            &format!("interest-exploration {name} CTR (measured)"),
            ctr,
            measured,
            measured_se,
            ROUNDING_3DP,
        );
    }
}

#[test]
fn interest_exploration_baselines_match_the_analytic_rates() {
    check_interest_exploration(4_000);
}

/// mixed-population has no published numbers of its own, but its clickbait-sensitive
/// segment (30 %) is choc-kale's user in choc-kale's world, so its users' returns must match
/// the choc-kale references; and every lane must meet the same sequence of segments (common
/// random numbers).
fn check_mixed_population(episodes: u64) {
    let lanes = run("mixed-population", "random,sweetest,least-sweet", episodes);
    let segments: Vec<u32> = lanes[0].episodes.iter().map(|e| e.segment).collect();
    for l in &lanes {
        assert!(
            l.episodes
                .iter()
                .map(|e| e.segment)
                .eq(segments.iter().copied()),
            "{}: other users",
            l.name
        );
    }
    let sensitive = segments.iter().filter(|&&s| s == 0).count() as f64 / segments.len() as f64;
    let share_se = (0.3f64 * 0.7 / segments.len() as f64).sqrt();
    assert_agrees(
        "clickbait-sensitive share",
        (sensitive, share_se),
        0.3,
        0.0,
        0.0,
    );
    for (name, ret, ret_se, _) in CHOC_KALE {
        let l = lane(&lanes, name);
        let returns = mean_se(l.episodes.iter().filter(|e| e.segment == 0), |e| e.ret);
        assert_agrees(
            &format!("mixed-population {name}, sensitive segment"),
            returns,
            ret,
            ret_se,
            0.0,
        );
    }
}

#[test]
fn mixed_population_sensitive_segment_matches_choc_kale() {
    check_mixed_population(6_000);
}

#[test]
#[ignore = "ten times the CI sample; run with `cargo test --release --test fidelity -- --ignored`"]
fn every_preset_matches_with_a_large_sample() {
    check_choc_kale(100_000);
    check_long_term_satisfaction(40_000);
    check_interest_evolution(30_000);
    check_interest_exploration(40_000);
    check_mixed_population(60_000);
}
