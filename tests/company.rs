//! An agent's numbers do not depend on the company it runs in (issue 10, §1): its random
//! streams are keyed by its canonical spec and its occurrence among identical specs, not by
//! its lane's position. The same agent, same seed gives the same figures alone, in any
//! list, at any position and on any thread count.

mod common;

use serde_json::Value;

/// Runs `slatelab run` on choc-kale and returns the report.
fn report(agents: &str, threads: &str) -> Value {
    let out = common::slatelab(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        agents,
        "--steps",
        "3000",
        "--eval-episodes",
        "20",
        "--seed",
        "5",
        "--curve-block",
        "10",
        "--quiet",
        "--threads",
        threads,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The agent entry named `name`, without what legitimately varies between runs: timings
/// and the label (`linucb#2` in company).
fn agent(report: &Value, name: &str) -> Value {
    let mut entry = report["agents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == name)
        .unwrap_or_else(|| panic!("no agent `{name}` in {report}"))
        .clone();
    let fields = entry.as_object_mut().unwrap();
    for varying in ["wall_seconds", "steps_per_second", "name"] {
        fields.remove(varying);
    }
    if let Some(eval) = fields.get_mut("eval").and_then(Value::as_object_mut) {
        eval.remove("wall_seconds");
        eval.remove("steps_per_second");
    }
    entry
}

#[test]
fn learners_give_the_same_figures_alone_and_in_company() {
    let company = report("random,epsilon-greedy,sweetest,linucb,slateq", "2");
    let reordered = report("slateq,linucb,random,epsilon-greedy", "1");
    for name in ["epsilon-greedy", "linucb", "slateq"] {
        let alone = report(name, "1");
        let figures = agent(&alone, name);
        assert!(figures["mean_return"].as_f64().unwrap() > 0.0);
        assert_eq!(figures, agent(&company, name), "{name} alone vs in company");
        assert_eq!(
            figures,
            agent(&reordered, name),
            "{name} alone vs reordered"
        );
    }
}

#[test]
fn a_second_identical_agent_draws_its_own_streams_and_the_first_keeps_its_own() {
    let alone = report("epsilon-greedy", "1");
    let twice = report("epsilon-greedy,epsilon-greedy", "1");
    let first = agent(&twice, "epsilon-greedy");
    let second = agent(&twice, "epsilon-greedy#2");
    assert_eq!(first, agent(&alone, "epsilon-greedy"));
    // Same users, different exploration draws: the returns differ.
    assert_ne!(first["mean_return"], second["mean_return"]);
    // An agent written differently but resolving to the same parameters is the same agent.
    let spelled = report("EpsilonGreedy()", "1");
    assert_eq!(
        agent(&spelled, "epsilon-greedy")["mean_return"],
        first["mean_return"]
    );
}
