//! Inputs at and beyond the documented limits (issue 14): values that validate must run,
//! and what cannot run is refused up front with a clear message and exit status 2.
//!
//! Every run is tiny (a few episodes), so the file takes a few seconds in release.

use std::process::Command;

use serde_json::Value;

mod common;
use common::{BIN, slatelab, stderr};

/// Requires exit status 2 and returns stderr.
fn refused(args: &[&str]) -> String {
    let out = slatelab(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing on stdout when refused");
    stderr(&out)
}

/// Runs `slatelab run -q` with `args`, requires success, and parses the JSON on stdout.
fn run_json(args: &[&str]) -> Value {
    let out = slatelab(&[&["run", "-q"], args].concat());
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn curve_block_zero_is_refused() {
    let err = refused(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        "random",
        "--episodes",
        "5",
        "--curve-block",
        "0",
    ]);
    assert!(err.contains("--curve-block must be at least 1"), "{err}");
    let report = run_json(&[
        "-s",
        "choc-kale",
        "-a",
        "random",
        "--episodes",
        "5",
        "--curve-block",
        "1",
    ]);
    assert_eq!(report["agents"][0]["curve_block"], 1);
}

#[test]
fn huge_thread_counts_are_capped_with_a_note() {
    // Used to abort (exit 134) trying to start 100,000 threads for 3 lanes.
    let out = slatelab(&[
        "run",
        "-q",
        "-s",
        "choc-kale",
        "-a",
        "random,sweetest,random",
        "--episodes",
        "5",
        "-t",
        "100000",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("--threads 100000 is more than the 256 allowed; using 3"),
        "{err}"
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(report["agents"].as_array().unwrap().len(), 3);
}

#[test]
fn a_thread_the_os_refuses_is_an_error_not_a_panic() {
    // 256 threads of 2 MiB stacks do not fit in 200 MB of address space.
    let agents = vec!["random"; 300].join(",");
    let out = Command::new("sh")
        .args(["-c", "ulimit -v 200000 && exec \"$0\" \"$@\"", BIN])
        .args([
            "run",
            "-q",
            "-s",
            "choc-kale",
            "-a",
            &agents,
            "--episodes",
            "1",
            "-t",
            "256",
        ])
        .output()
        .expect("sh starts");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: cannot start an engine thread"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Writes a scenario file into a fresh temporary folder (kept per test name).
fn scenario_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("slatelab-limits-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.ron"));
    std::fs::write(&path, text).expect("write scenario");
    path
}

/// An Interest Evolution scenario with `agent` as its only agent, on line 4.
fn one_agent(agent: &str) -> String {
    format!(
        "Scenario(\n    name: \"limits\",\n    environment: InterestEvolution(),\n    agents: [{agent}],\n    episodes: 2,\n)\n"
    )
}

#[test]
fn a_ridge_penalty_too_small_to_run_is_refused_by_validate() {
    for (i, agent) in [
        "EpsilonGreedy(lambda: 5e-324)",
        "LinUcb(lambda: 1e-320)",
        "LinTs(lambda: 1e-7)",
    ]
    .into_iter()
    .enumerate()
    {
        let path = scenario_file(&format!("lambda{i}"), &one_agent(agent));
        let p = path.to_str().unwrap();
        let err = refused(&["validate", p]);
        assert!(
            err.contains(&format!("{p}:4:")),
            "names file:line:col: {err}"
        );
        assert!(
            err.contains("agents[0].lambda: must be a finite number ≥ 1e-6"),
            "{err}"
        );
    }
    // The floor itself runs, on the collinear topic one-hots that broke smaller penalties.
    for agent in ["EpsilonGreedy", "LinUcb", "LinTs"] {
        let report = run_json(&[
            "-s",
            "interest-evolution",
            "-a",
            &format!("{agent}(lambda: 1e-6)"),
            "--steps",
            "3000",
        ]);
        assert!(report["agents"][0]["error"].is_null(), "{agent}: {report}");
    }
}

#[test]
fn a_network_that_cannot_be_allocated_is_refused_by_validate() {
    let cases = [
        (
            "SlateQ(network: (hidden: [65536, 65536]))",
            "agents[0].network.hidden",
        ),
        ("SlateQ(batch_size: 100000000)", "agents[0].batch_size"),
        (
            "SlateQ(network: (adam: (lr: 1e20)))",
            "agents[0].network.adam.lr",
        ),
        (
            "SlateQ(network: (adam: (epsilon: 5e-324)))",
            "agents[0].network.adam.epsilon",
        ),
    ];
    for (i, (agent, field)) in cases.into_iter().enumerate() {
        let path = scenario_file(&format!("net{i}"), &one_agent(agent));
        let p = path.to_str().unwrap();
        let err = refused(&["validate", p]);
        assert!(
            err.contains(&format!("{p}:4:")),
            "names file:line:col: {err}"
        );
        assert!(err.contains(field), "{err}");
    }
}

/// The `paired` entries of a report, as (a, b) names.
fn pair_names(report: &Value) -> Vec<(String, String)> {
    report["paired"]
        .as_array()
        .expect("paired is an array")
        .iter()
        .map(|p| {
            (
                p["a"].as_str().unwrap().into(),
                p["b"].as_str().unwrap().into(),
            )
        })
        .collect()
}

#[test]
fn paired_compares_each_agent_with_the_first_unless_all_pairs_are_asked_for() {
    let args = [
        "-s",
        "choc-kale",
        "-a",
        "random,sweetest,least-sweet,random",
        "--episodes",
        "20",
        "--seed",
        "5",
    ];
    let baseline = run_json(&args);
    let all = run_json(&[&args[..], &["--paired", "all"]].concat());
    let named = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect()
    };
    assert_eq!(
        pair_names(&baseline),
        named(&[
            ("random", "sweetest"),
            ("random", "least-sweet"),
            ("random", "random#2")
        ])
    );
    assert_eq!(pair_names(&all).len(), 6);
    // The entries both report are the same, figure for figure.
    for entry in baseline["paired"].as_array().unwrap() {
        assert!(all["paired"].as_array().unwrap().contains(entry), "{entry}");
    }
}

#[test]
fn a_thousand_agents_report_a_linear_number_of_pairs() {
    // Every pair of 2,000 agents made 410 MB of JSON in 18.6 s; a thousand, the most a list
    // may name, now give one pair per agent after the first.
    let agents = vec!["random"; 1_000].join(",");
    let report = run_json(&[
        "-s",
        "choc-kale",
        "-a",
        &agents,
        "--episodes",
        "2",
        "-t",
        "2",
    ]);
    assert_eq!(report["paired"].as_array().unwrap().len(), 999);
}

#[test]
fn more_agents_than_a_list_may_name_are_refused() {
    let agents = vec!["random"; 1_001].join(",");
    let err = refused(&["run", "-s", "choc-kale", "-a", &agents]);
    assert!(err.contains("more than 1000 agents"), "{err}");
    let path = scenario_file("too-many", &one_agent(&vec!["Random"; 1_001].join(", ")));
    let err = refused(&["validate", path.to_str().unwrap()]);
    assert!(
        err.contains(":4:") && err.contains("agents") && err.contains("at most 1000"),
        "{err}"
    );
}

#[test]
fn agents_errors_quote_an_excerpt_and_keep_the_column() {
    // The whole 20,000-character entry used to be repeated in the message.
    let entry = format!("LinUcb(features: ({}x: 1))", " ".repeat(20_000));
    let list = format!("random,{entry}");
    let err = refused(&["run", "-s", "choc-kale", "-a", &list]);
    assert!(err.len() < 400, "{} bytes: {err}", err.len());
    let column = list.find("x: 1").unwrap() + 1;
    assert!(
        err.contains(&format!("error: --agents:1:{column}: `…")),
        "{err}"
    );
    assert!(err.contains("x: 1))`: Unexpected field named `x`"), "{err}");
    let quoted = err.split('`').nth(1).unwrap();
    assert!(quoted.chars().count() <= 80, "{quoted}");

    // A range error points at its field, and a short entry is quoted whole.
    let err = refused(&["run", "-s", "choc-kale", "-a", "random, LinUcb(alpha: -1)"]);
    assert!(
        err.contains("error: --agents:1:16: [1].alpha: `LinUcb(alpha: -1)`: must be"),
        "{err}"
    );
}
