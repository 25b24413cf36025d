//! Reports say what ran: each agent's canonical spec, the scenario's canonical text and its
//! hash, the paired mode, the curve block asked for and the command line (issue 10, §1).

use std::process::Command;

use serde_json::Value;
use slatelab::scenario::{self, canonical};

fn run(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_slatelab"))
        .arg("run")
        .args(args)
        .args(["--quiet", "--threads", "1"])
        .output()
        .expect("slatelab runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

const AGENTS: &str = "random,LinUcb(alpha: 0.5, models: PerCluster),slateq-myopic";

#[test]
fn the_json_report_carries_specs_scenario_text_hash_and_command_line() {
    let text = run(&[
        "-s",
        "interest-evolution",
        "-a",
        AGENTS,
        "-e",
        "3",
        "--paired",
        "all",
    ]);
    let report: Value = serde_json::from_slice(&text).unwrap();
    let specs: Vec<&str> = report["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["spec"].as_str().unwrap())
        .collect();
    assert_eq!(specs[0], "Random");
    assert!(specs[1].starts_with("LinUcb(alpha: 0.5, lambda: 1.0, features: ("));
    assert!(specs[1].contains("models: PerCluster"), "{}", specs[1]);
    assert!(specs[2].starts_with("SlateQ(gamma: 0.0, network: (hidden: [256, 32]"));
    for spec in &specs {
        let parsed = canonical::parse_agent(spec).unwrap();
        assert_eq!(canonical::agent_ron(&parsed), *spec);
    }

    let ron = report["scenario_ron"].as_str().unwrap();
    let embedded = scenario::from_str(ron, "embedded").unwrap();
    assert_eq!(
        embedded.file,
        scenario::load("interest-evolution").unwrap().file
    );
    assert_eq!(report["scenario_sha256"], canonical::sha256_hex(ron));
    assert_eq!(report["paired_mode"], "all");
    assert_eq!(report["curve_block_requested"], Value::Null);
    let command = report["command_line"].as_str().unwrap();
    assert!(
        command.ends_with(&format!(
            " run -s interest-evolution -a '{AGENTS}' -e 3 --paired all --quiet --threads 1"
        )),
        "{command}"
    );

    // Appended: the fields the report had before keep their places, the new ones follow.
    let text = String::from_utf8(text).unwrap();
    let at = |key: &str| text.find(&format!("\n  \"{key}\":")).unwrap();
    let order = [
        "warnings",
        "paired_mode",
        "curve_block_requested",
        "scenario_ron",
        "scenario_sha256",
        "command_line",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{order:?}");
    let agent = &text[text.find("\"agents\"").unwrap()..];
    assert!(agent.find("\"ceiling_episodes\"").unwrap() < agent.find("\"spec\"").unwrap());
}

#[test]
fn the_csv_ends_with_a_spec_column() {
    let out = run(&[
        "-s",
        "choc-kale",
        "-a",
        "random,linucb",
        "-e",
        "2",
        "-f",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().next_back(), Some("spec"));
    let rows: Vec<_> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][header.len() - 1], "Random");
    let linucb = &rows[1][header.len() - 1];
    assert!(
        linucb.starts_with("LinUcb(alpha: 1.0, lambda: 1.0,"),
        "{linucb}"
    );
}
