//! The step ceiling (issue 14, items 6 and 7): scenarios whose episodes would never end are
//! either refused by validation, with the file, line, column and field, or run to the ceiling,
//! where the report counts the cut episodes and stderr warns once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_slatelab");

/// The ceiling documented in docs/scenarios.md (`slatelab::sim::common::MAX_EPISODE_STEPS`).
const CEILING: u64 = 100_000;

/// Longer than any run here may take: a run past it is taken for an endless one.
const DEADLINE: Duration = Duration::from_secs(120);

/// Runs the binary with `args`; kills it and fails when it outlives [`DEADLINE`].
fn slatelab(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let started = Instant::now();
    while child.try_wait().expect("waiting for the binary").is_none() {
        if started.elapsed() > DEADLINE {
            child.kill().expect("the runaway run can be killed");
            panic!("`slatelab {}` ran for over {DEADLINE:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output of the binary")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `environment` (an environment entry) into a scenario file in `dir`.
fn scenario(dir: &Path, name: &str, environment: &str) -> PathBuf {
    let path = dir.join(format!("{name}.ron"));
    let text = format!(
        "Scenario(\n    name: \"{name}\",\n    seed: 3,\n    episodes: 5,\n    environment: {environment},\n    agents: [Random],\n)\n"
    );
    std::fs::write(&path, text).expect("scenario written");
    path
}

/// `validate` refuses `path` with exit status 2, naming file:line:col and `field`.
fn assert_refused(path: &Path, line: usize, field: &str) {
    let out = slatelab(&["validate", path.to_str().expect("UTF-8 path")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let name = path.file_name().expect("a file name").to_string_lossy();
    assert!(
        err.contains(&format!("{name}:{line}:")),
        "no file:line:col in {err}"
    );
    assert!(err.contains(field), "no field `{field}` in {err}");
}

fn assert_valid(path: &Path) {
    let out = slatelab(&["validate", path.to_str().expect("UTF-8 path")]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Runs `path` for 5 episodes of `agents` on one thread; returns the report and stderr.
fn run(path: &Path, agents: &str) -> (Value, String) {
    let out = slatelab(&[
        "run",
        "-s",
        path.to_str().expect("UTF-8 path"),
        "-a",
        agents,
        "--episodes",
        "5",
        "-t",
        "1",
        "-q",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (report, stderr(&out))
}

#[test]
fn a_session_that_never_ends_is_cut_at_the_ceiling_reported_and_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    // No step penalty and videos so short that the 200-minute budget outlasts 200,000 clicks.
    let path = scenario(
        dir.path(),
        "endless-iev",
        "InterestEvolution(documents: (video_length: 0.0005), population: [(name: \"all\", share: 1.0, user: (step_penalty: 0.0))])",
    );
    let (report, err) = run(&path, "random,oracle-myopic");
    for agent in report["agents"].as_array().expect("agents") {
        assert_eq!(agent["ceiling_episodes"], 5, "{agent}");
        assert_eq!(agent["episodes"], 5);
        assert_eq!(agent["env_steps"].as_u64(), Some(5 * CEILING));
    }
    let warnings = report["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = warnings[0].as_str().expect("a string");
    assert!(warning.contains("step ceiling of 100000"), "{warning}");
    assert!(warning.contains("random (5)") && warning.contains("oracle-myopic (5)"));
    // One line on stderr, even with -q.
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.trim_end(), format!("warning: {warning}"));
}

#[test]
fn huge_quality_noise_runs_in_bounded_time_and_counts_cut_episodes() {
    let dir = tempfile::tempdir().unwrap();
    // The input: high-quality refunds keep some users' budget up for ever.
    let path = scenario(
        dir.path(),
        "noisy-quality",
        "InterestEvolution(documents: (quality_stddev: 10000.0))",
    );
    let (report, err) = run(&path, "random");
    let agent = &report["agents"][0];
    let cut = agent["ceiling_episodes"].as_u64().expect("a count");
    assert!(cut <= 5);
    assert!(agent["mean_length"].as_f64().expect("a number") <= CEILING as f64);
    let warned = !report["warnings"].as_array().expect("warnings").is_empty();
    assert_eq!(warned, cut > 0, "{report}");
    assert_eq!(err.contains("warning:"), cut > 0, "{err}");
}

#[test]
fn a_clean_run_has_no_warning_and_no_cut_episode() {
    let (report, err) = {
        let out = slatelab(&[
            "run",
            "-s",
            "interest-exploration",
            "-a",
            "random",
            "--episodes",
            "3",
            "-t",
            "1",
            "-q",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        (
            serde_json::from_slice::<Value>(&out.stdout).expect("JSON"),
            stderr(&out),
        )
    };
    // Interest Exploration's 50-step episodes end by its own `max_steps`, not by the ceiling.
    assert_eq!(report["agents"][0]["ceiling_episodes"], 0);
    assert_eq!(report["warnings"], Value::Array(Vec::new()));
    assert_eq!(err, "");
}

#[test]
fn absurd_budgets_and_caps_are_refused_and_the_bounds_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let iev = |budget: &str| {
        format!(
            "InterestEvolution(population: [(name: \"all\", share: 1.0, user: (time_budget: {budget}))])"
        )
    };
    assert_refused(
        &scenario(d, "iev-budget", &iev("1e308")),
        5,
        "population[0].user.time_budget",
    );
    assert_valid(&scenario(d, "iev-budget-ok", &iev("1000000.0")));

    let lts = |budget: &str| {
        format!(
            "LongTermSatisfaction(population: [(name: \"all\", share: 1.0, user: (time_budget: {budget}))])"
        )
    };
    assert_refused(
        &scenario(d, "lts-budget", &lts("4294967295")),
        5,
        "population[0].user.time_budget",
    );
    assert_valid(&scenario(d, "lts-budget-ok", &lts("100000")));

    assert_refused(
        &scenario(d, "lb-steps", "LinearBandit(max_steps: 1000001)"),
        5,
        "max_steps",
    );
    assert_valid(&scenario(
        d,
        "lb-steps-ok",
        "LinearBandit(max_steps: 100000)",
    ));
    assert_refused(
        &scenario(d, "iev-steps", "InterestEvolution(max_steps: 100001)"),
        5,
        "max_steps",
    );
    assert_refused(
        &scenario(d, "iex-steps", "InterestExploration(max_steps: 100001)"),
        5,
        "max_steps",
    );
    assert_refused(
        &scenario(d, "lts-steps", "LongTermSatisfaction(max_steps: 100001)"),
        5,
        "max_steps",
    );
}

#[test]
fn linear_bandit_noise_is_refused_past_its_bound_and_learnable_at_it() {
    let dir = tempfile::tempdir().unwrap();
    let refused = scenario(dir.path(), "lb-noise", "LinearBandit(noise_stddev: 1e308)");
    assert_refused(&refused, 5, "noise_stddev");
    // At the bound every ridge learner still gets finite, accepted rewards.
    let bound = scenario(
        dir.path(),
        "lb-noise-ok",
        "LinearBandit(noise_stddev: 1000000.0, max_steps: 50)",
    );
    let (report, err) = run(&bound, "epsilon-greedy,linucb,lints");
    for agent in report["agents"].as_array().expect("agents") {
        assert_eq!(agent["error"], Value::Null, "{agent}");
        assert_eq!(agent["episodes"], 5);
    }
    assert_eq!(err, "");
}
