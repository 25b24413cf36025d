//! `slatelab qcheck`: a trained SlateQ's values against the dynamic programme's, as a user
//! runs it (train with `run --save-agents`, then check the checkpoint).

mod common;

use common::{slatelab, stderr, stdout};
use serde_json::Value;

/// A small SlateQ that learns something on choc-kale in a few seconds.
const SMALL: &str = "SlateQ(network: (hidden: [64, 32]), \
    exploration: (warmup_steps: 1000, decay_steps: 10000), learning_starts: 1000, \
    target_update: Hard(every_updates: 200))";

/// Trains `SMALL` on choc-kale into `dir` and returns its report.
fn train(dir: &std::path::Path, steps: &str, seed: &str) -> Value {
    let report = dir.join("run.json");
    let out = slatelab(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        SMALL,
        "--steps",
        steps,
        "--eval-episodes",
        "200",
        "--seed",
        seed,
        "-t",
        "1",
        "-q",
        "--save-agents",
        dir.join("agents").to_str().unwrap(),
        "--out",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap()
}

fn qcheck(args: &[&str]) -> std::process::Output {
    let mut all = vec!["qcheck"];
    all.extend_from_slice(args);
    slatelab(&all)
}

#[test]
fn qcheck_replays_the_evaluation_and_its_regret_accounts_for_the_gap_to_the_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let report = train(dir.path(), "20000", "3");
    let checkpoint = dir.path().join("agents/slateq.json");
    let out = qcheck(&[
        checkpoint.to_str().unwrap(),
        "--seed",
        "3",
        "--episodes",
        "200",
        "-f",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let check: Value = serde_json::from_str(&stdout(&out)).unwrap();

    // The same users and the same greedy policy as the run's evaluation: the same returns.
    let eval = report["agents"][0]["eval"]["mean_return"].as_f64().unwrap();
    let replayed = check["mean_return"].as_f64().unwrap();
    assert!(
        (eval - replayed).abs() < 1e-9,
        "qcheck's greedy return {replayed} differs from the run's evaluation {eval}"
    );

    // Every decision lands in one cell.
    let cells = check["cells"].as_array().unwrap();
    let decisions: u64 = cells.iter().map(|c| c["decisions"].as_u64().unwrap()).sum();
    assert_eq!(decisions, 200 * 10);
    assert_eq!(check["overall"]["decisions"].as_u64(), Some(decisions));

    // Performance difference: summed along the agent's own path, the return each decision
    // gives up against the optimal one is, in expectation, the optimum's return minus the
    // agent's. A wrong value table, wrong state reading or wrong bookkeeping breaks this.
    let optimal = check["optimal_return"].as_f64().unwrap();
    let regret_per_session = check["overall"]["regret"].as_f64().unwrap() * 10.0;
    let gap = optimal - replayed;
    assert!(
        gap > 5.0,
        "a 20,000-step SlateQ should still be short of the optimum, gap {gap}"
    );
    assert!(
        (regret_per_session - gap).abs() < 0.05 * gap + 1.0,
        "summed regret {regret_per_session} per session vs optimum − agent {gap}"
    );

    let wrong_kind = check["overall"]["regret_wrong_kind"].as_f64().unwrap();
    assert!((0.0..=regret_per_session / 10.0 + 1e-12).contains(&wrong_kind));

    // The table names every visited cell.
    let table = qcheck(&[checkpoint.to_str().unwrap(), "--seed", "3", "-e", "20"]);
    assert!(table.status.success(), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("agreement with the optimum"), "{text}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("10 ")),
        "{text}"
    );
}

#[test]
fn qcheck_refuses_what_it_cannot_compare_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing.json");
    let out = qcheck(&[missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nothing.json"), "{}", stderr(&out));

    // A bandit's checkpoint: no item values to compare.
    let saved = dir.path().join("agents");
    let run = slatelab(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        "linucb",
        "--episodes",
        "5",
        "-q",
        "--save-agents",
        saved.to_str().unwrap(),
        "--out",
        dir.path().join("r.json").to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let out = qcheck(&[saved.join("linucb.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("SlateQ"), "{}", stderr(&out));

    // No dynamic programme for interest-evolution (and the checkpoint does not fit it).
    let out = qcheck(&[
        saved.join("linucb.json").to_str().unwrap(),
        "-s",
        "interest-evolution",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("long-term-satisfaction"),
        "{}",
        stderr(&out)
    );

    let out = qcheck(&[
        saved.join("linucb.json").to_str().unwrap(),
        "--npe-bin",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--npe-bin"), "{}", stderr(&out));
}
