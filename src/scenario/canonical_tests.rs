use super::{agent_ron, parse_agent, scenario_ron, sha256_hex};
use crate::agent::AgentSpec;
use crate::scenario::{self, presets};

/// Written the short way, as users do; the canonical text must spell out every default.
const NON_DEFAULT: &[&str] = &[
    "LinUcb(alpha: 0.5)",
    "LinUcb(alpha: 0.30000000000000004, lambda: 2.5, models: PerCluster, credit: ShownItems)",
    "LinTs(v: 0.3, models: PerCluster, features: (interaction: Outer, user: true))",
    "EpsilonGreedy(epsilon: Linear(start: 1.0, end: 0.05, steps: 500), refactor_every: 7)",
    "EpsilonGreedy(epsilon: Inverse(start: 0.5, half_life: 1e-3))",
    "GreedyQuality(prior_affinity: [0.1, 0.9])",
    "SlateQ(gamma: 0.0)",
    "SlateQ(target: Sarsa, target_update: Soft(tau: 0.01), replay: Uniform, use_responses: true)",
    "SlateQ(network: (hidden: [64]), serve: TopK, target: QLearning(Greedy), choice: Learned)",
];

fn round_trips(spec: &AgentSpec) {
    let text = agent_ron(spec);
    assert!(!text.contains('\n'), "one line: {text}");
    let back = parse_agent(&text).unwrap_or_else(|e| panic!("`{text}` does not parse: {e}"));
    assert_eq!(&back, spec, "{text}");
    assert_eq!(agent_ron(&back), text, "a fixed point");
}

#[test]
fn every_agent_kind_round_trips_with_its_defaults() {
    for spec in AgentSpec::all_defaults() {
        round_trips(&spec);
    }
    let linucb = agent_ron(&AgentSpec::from_name("linucb").unwrap());
    assert!(
        linucb.starts_with("LinUcb(alpha: 1.0, lambda: 1.0, features: ("),
        "{linucb}"
    );
    assert!(
        linucb.ends_with("models: Shared, credit: Auto, refactor_every: 1000)"),
        "{linucb}"
    );
}

#[test]
fn non_default_specs_round_trip_with_every_parameter_written() {
    for written in NON_DEFAULT {
        let spec = parse_agent(written).unwrap();
        round_trips(&spec);
        assert!(agent_ron(&spec).len() >= written.len(), "{written}");
    }
    let per_cluster = agent_ron(&parse_agent(NON_DEFAULT[1]).unwrap());
    assert!(
        per_cluster.contains("alpha: 0.30000000000000004"),
        "{per_cluster}"
    );
    assert!(per_cluster.contains("models: PerCluster"), "{per_cluster}");
    let myopic = agent_ron(&parse_agent("SlateQ(gamma: 0.0)").unwrap());
    assert!(
        myopic.contains("replay: Prioritized(alpha: 0.6"),
        "{myopic}"
    );
}

#[test]
fn every_builtin_scenario_round_trips_through_its_canonical_text() {
    for preset in presets::PRESETS {
        let original = scenario::load(preset.name).unwrap();
        let text = scenario_ron(&original.file);
        let again = scenario::from_str(&text, "canonical")
            .unwrap_or_else(|e| panic!("{}: {e}\n{text}", preset.name));
        assert_eq!(again.file, original.file, "{}", preset.name);
        assert_eq!(
            scenario_ron(&again.file),
            text,
            "{}: a fixed point",
            preset.name
        );
    }
}

#[test]
fn the_canonical_scenario_writes_defaults_the_file_left_out() {
    let text = "Scenario(name: \"tiny\", environment: LinearBandit(), agents: [LinUcb()])";
    let canonical = scenario_ron(&scenario::from_str(text, "t").unwrap().file);
    for field in [
        "seed: 0",
        "episodes: 1000",
        "refactor_every: 1000",
        "reference: []",
    ] {
        assert!(canonical.contains(field), "{field} missing in\n{canonical}");
    }
}

#[test]
fn sha256_is_the_standard_digest_in_lowercase_hex() {
    assert_eq!(
        sha256_hex("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}
