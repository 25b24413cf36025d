use std::path::Path;

use super::*;

fn sweep(text: &str) -> Result<Sweep, ScenarioError> {
    from_str(text, "s.ron", Path::new("."))
}

const BASE: &str = r#"Sweep(
    name: "t",
    scenarios: ["choc-kale"],
    agents: ["random", "linucb", "LinUcb(alpha: 0.5)"],
    seeds: [1, 2],
    episodes: 10,
)"#;

#[test]
fn a_sweep_is_one_cell_per_scenario_and_seed_or_per_agent_too() {
    let s = sweep(BASE).unwrap();
    let cells = s.cells();
    assert_eq!(cells.len(), 2);
    assert_eq!(cells[0].agents.len(), 3);
    assert_ne!(cells[0].id, cells[1].id);
    let per_agent = sweep(&BASE.replace("episodes: 10,", "episodes: 10, layout: PerAgent,"))
        .unwrap()
        .cells();
    assert_eq!(per_agent.len(), 6);
    assert!(
        per_agent[1].name.contains("_seed1_linucb_"),
        "{}",
        per_agent[1].name
    );
    // Shards cover every cell once.
    for n in 1..5 {
        let covered: usize = (1..=n)
            .map(|i| per_agent.iter().filter(|c| c.shard(n) == i).count())
            .sum();
        assert_eq!(covered, 6);
    }
}

#[test]
fn a_grid_makes_one_agent_per_value_and_an_agent_listed_twice_is_one() {
    let text = BASE.replace(
        "seeds:",
        r#"grid: {"LinUcb": {"alpha": [0.25, 0.5, 1, 2.0]}}, seeds:"#,
    );
    let s = sweep(&text).unwrap();
    let specs: Vec<String> = s.scenarios[0]
        .agents
        .iter()
        .map(super::super::canonical::agent_ron)
        .collect();
    // random, then the four alphas once each (the listed 0.5 is the grid's 0.5).
    assert_eq!(specs.len(), 5, "{specs:#?}");
    for (spec, alpha) in specs[1..].iter().zip(["0.25", "0.5", "1.0", "2.0"]) {
        assert!(spec.contains(&format!("alpha: {alpha},")), "{spec}");
    }
}

#[test]
fn mistakes_name_line_column_and_field() {
    let cases = [
        (
            BASE.replace("seeds:", "colour: 1, seeds:"),
            "s.ron:5:5: colour: ",
        ),
        (
            BASE.replace("[1, 2]", "[1, 2, 1]"),
            "s.ron:5:19: seeds[2]: repeats seeds[0]",
        ),
        (
            BASE.replace("\"linucb\"", "\"linucbb\""),
            "s.ron:4:24: agents[1]: unknown agent",
        ),
        (
            BASE.replace("LinUcb(alpha: 0.5)", "LinUcb(alpha: -1.0)"),
            "s.ron:4:34: agents[2].alpha: `LinUcb(alpha: -1.0)`: must be",
        ),
        (
            BASE.replace("seeds:", r#"grid: {"LinUcb": {"alpah": [1.0]}}, seeds:"#),
            "s.ron:5:5: grid.LinUcb.alpah: not a parameter of LinUcb",
        ),
        (
            BASE.replace("seeds:", r#"grid: {"LinUcb": {"alpha": ["x"]}}, seeds:"#),
            "s.ron:5:12: grid.LinUcb.alpha[0]: invalid type",
        ),
        (
            BASE.replace("seeds:", r#"grid: {"SlateQ": {"gamma": [0.5]}}, seeds:"#),
            "s.ron:5:5: grid.SlateQ: no entry of `agents` is a SlateQ",
        ),
        (
            BASE.replace("episodes: 10,", "episodes: 0,"),
            "s.ron:6:5: episodes: must be",
        ),
        (
            BASE.replace("episodes: 10,", "episodes: 1, steps: 3,"),
            "steps: give",
        ),
        (
            BASE.replace("\"choc-kale\"", "\"nowhere.ron\""),
            "s.ron:3:17: scenarios[0]: ",
        ),
        (
            BASE.replace("\"choc-kale\"", "\"choc-kale\", \"choc-kale\""),
            "scenarios[1]: is the same",
        ),
    ];
    let mut wrong = Vec::new();
    for (text, expected) in cases {
        let e = sweep(&text).map(|_| ()).unwrap_err().to_string();
        let ok =
            e.starts_with(expected) || (!expected.starts_with("s.ron") && e.contains(expected));
        if !ok {
            wrong.push(format!("{expected} <- {e}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
