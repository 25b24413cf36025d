use serde_json::json;

use super::*;

/// A stored report of `agents` (spec, mean return per seed) on `seed`.
fn report(seed: u64, agents: &[(&str, f64)]) -> Input {
    let agents: Vec<_> = agents
        .iter()
        .map(|(spec, mean)| {
            json!({"name": spec, "spec": spec, "episodes": 10, "mean_return": mean, "ctr": 0.5,
                   "curve": [{"episode": 5, "mean_return": mean}], "eval": null, "error": null})
        })
        .collect();
    let report = json!({"slatelab_version": "1", "scenario": "s", "seed": seed, "episodes": 10,
        "steps": null, "eval_episodes": 0, "partial": false, "agents": agents,
        "curve_block_requested": null, "scenario_sha256": "h"});
    Input {
        origin: format!("seed{seed}.json"),
        report: serde_json::from_value(report).unwrap(),
    }
}

/// Two LinUCB specs in canonical form, as reports carry them.
fn specs() -> (String, String) {
    let canonical = |text: &str| canonical::agent_ron(&canonical::parse_agent(text).unwrap());
    (
        canonical("LinUcb(alpha: 0.5)"),
        canonical("LinUcb(alpha: 1.0)"),
    )
}

#[test]
fn rows_do_not_depend_on_the_order_reports_come_in() {
    let (a, _) = specs();
    let a = a.as_str();
    let inputs = [
        report(1, &[("Random", 1.0), (a, 3.0)]),
        report(2, &[("Random", 2.0), (a, 7.0)]),
        report(3, &[("Random", 0.5), (a, 2.0)]),
    ];
    let forward = render::json(&merge(&inputs, "random").unwrap()).unwrap();
    let mut reversed: Vec<Input> = inputs.into_iter().rev().collect();
    reversed.rotate_left(1);
    assert_eq!(
        forward,
        render::json(&merge(&reversed, "random").unwrap()).unwrap()
    );
    let merged = merge(&reversed, "random").unwrap();
    let linucb = &merged.rows[0];
    assert_eq!(linucb.spec, a);
    assert_eq!(linucb.seeds, [1, 2, 3]);
    assert_eq!(linucb.mean_return.mean, 4.0);
    // Per-seed differences 2, 5, 1.5.
    assert_eq!(linucb.diff_vs_against.unwrap().mean, 8.5 / 3.0);
    assert!(
        merged.rows[1].diff_vs_against.is_none(),
        "random against itself"
    );
}

#[test]
fn an_ambiguous_kind_pairs_nothing_and_a_spec_pairs_exactly() {
    let (a, b) = specs();
    let (a, b) = (a.as_str(), b.as_str());
    let inputs = [
        report(1, &[(a, 1.0), (b, 3.0)]),
        report(2, &[(a, 2.0), (b, 5.0)]),
    ];
    let by_kind = merge(&inputs, "linucb").unwrap();
    assert!(by_kind.rows.iter().all(|r| r.diff_vs_against.is_none()));
    let by_spec = merge(&inputs, "LinUcb(alpha: 0.5)").unwrap();
    let b = by_spec.rows.iter().find(|r| r.spec == b).unwrap();
    assert_eq!(b.diff_vs_against.unwrap().mean, 2.5);
}

#[test]
fn a_spec_listed_twice_in_a_run_is_two_rows_and_a_cell_twice_is_refused() {
    let (a, _) = specs();
    let a = a.as_str();
    let twice = merge(&[report(1, &[(a, 1.0), (a, 2.0)])], "random").unwrap();
    let occurrences: Vec<u32> = twice.rows.iter().map(|r| r.occurrence).collect();
    assert_eq!(occurrences, [0, 1]);
    let error = merge(&[report(1, &[(a, 1.0)]), report(1, &[(a, 1.0)])], "random").unwrap_err();
    assert!(error.contains("the same cell twice"), "{error}");
}
