//! Population shifts in reports: the top-level `shifts`, each agent's `phases` (JSON and
//! CSV), `validate` on shift files, and `rerun` reproducing a shifted run.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{slatelab, stderr, stdout};

/// audience-shift with its shift at episode 500 of 1,000, written to `dir`.
fn shifted_file(dir: &Path) -> String {
    let text = std::fs::read_to_string("scenarios/audience-shift.ron").unwrap();
    let path = dir.join("shifted.ron");
    std::fs::write(&path, text.replace("at_episode: 2000", "at_episode: 500")).unwrap();
    path.display().to_string()
}

fn run(args: &[&str]) -> String {
    let out = slatelab(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn the_report_marks_shifts_and_splits_each_agent_into_phases() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = shifted_file(dir.path());
    let common = [
        "-q",
        "-t",
        "1",
        "-s",
        &scenario,
        "-a",
        "random,sweetest",
        "-e",
        "1000",
    ];
    let json: Value = serde_json::from_str(&run(&[&["run"][..], &common[..]].concat())).unwrap();
    let shifts = json["shifts"].as_array().unwrap();
    assert_eq!(shifts.len(), 1);
    assert_eq!(shifts[0]["episode"], 500);
    assert_eq!(
        shifts[0]["description"],
        "share clickbait-sensitive 0.3 → 0.7, robust 0.7 → 0.3"
    );
    for agent in json["agents"].as_array().unwrap() {
        let phases = agent["phases"].as_array().unwrap();
        assert_eq!(phases.len(), 2, "{agent}");
        assert_eq!(phases[0]["first_episode"], 0);
        assert_eq!(phases[0]["last_episode"], 499);
        assert_eq!(phases[1]["first_episode"], 500);
        assert_eq!(phases[1]["episodes"], 500);
        assert!(phases[0]["plateau_return"].is_null());
        // A policy that does not learn is settled from the first window on.
        assert_eq!(phases[1]["readapt_episodes"], 0, "{agent}");
        for phase in phases {
            let (lo, hi) = (
                phase["return_ci95"][0].as_f64().unwrap(),
                phase["return_ci95"][1].as_f64().unwrap(),
            );
            let mean = phase["mean_return"].as_f64().unwrap();
            assert!(lo < mean && mean < hi, "{phase}");
            for key in ["ctr_ci95", "engagement_ci95", "satisfaction_ci95"] {
                assert_eq!(phase[key].as_array().unwrap().len(), 2, "{key}");
            }
        }
    }
    // More clickbait-sensitive users: serving chocolate earns less after the shift.
    let sweetest = &json["agents"][1]["phases"];
    assert!(
        sweetest[1]["mean_return"].as_f64().unwrap() < sweetest[0]["mean_return"].as_f64().unwrap()
    );

    let csv = run(&[&["run"][..], &common[..], &["-f", "csv"][..]].concat());
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let phases: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                &r[column("name")],
                &r[column("phase")],
                &r[column("first_episode")],
            )
        })
        .collect();
    assert_eq!(
        phases,
        [
            ("random", "all", "0"),
            ("random", "0", "0"),
            ("random", "1", "500"),
            ("sweetest", "all", "0"),
            ("sweetest", "0", "0"),
            ("sweetest", "1", "500"),
        ]
    );
    assert_eq!(&rows[2][column("readapt_episodes")], "0");
    assert_eq!(&rows[2][column("episodes")], "500");
}

#[test]
fn a_shifted_run_reruns_to_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = shifted_file(dir.path());
    let first = dir.path().join("first.json").display().to_string();
    let again = dir.path().join("again.json").display().to_string();
    run(&[
        "run",
        "-q",
        "-s",
        &scenario,
        "-a",
        "linucb,random",
        "-e",
        "600",
        "-o",
        &first,
    ]);
    std::fs::remove_file(&scenario).unwrap();
    run(&["rerun", &first, "-q", "-t", "2", "-o", &again]);
    let read = |p: &str| -> Value {
        let mut v: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        for key in ["wall_seconds", "steps_per_second", "command_line"] {
            v.as_object_mut().unwrap().remove(key);
        }
        for agent in v["agents"].as_array_mut().unwrap() {
            let agent = agent.as_object_mut().unwrap();
            agent.remove("wall_seconds");
            agent.remove("steps_per_second");
            // Learner readouts in curve points are taken right after each block's last
            // episode, so they are compared too: they must not move with the machine's load.
        }
        v
    };
    let (first, again) = (read(&first), read(&again));
    assert_eq!(first, again);
    assert!(
        first["scenario_ron"]
            .as_str()
            .unwrap()
            .contains("at_episode: 500")
    );
    assert_eq!(first["agents"][0]["phases"].as_array().unwrap().len(), 2);
}

#[test]
fn validate_accepts_shift_files_and_rejects_bad_shifts_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = shifted_file(dir.path());
    let out = slatelab(&[
        "validate",
        &good,
        "scenarios/audience-shift.ron",
        "scenarios/examples/choc-kale-sweetens.ron",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bad = dir.path().join("bad.ron");
    let text = std::fs::read_to_string(&good).unwrap();
    // Only the shift's shares stop summing to 1.
    let (head, tail) = text.split_at(text.find("shifts:").unwrap());
    std::fs::write(
        &bad,
        format!("{head}{}", tail.replacen("share: 0.7,", "share: 0.75,", 1)),
    )
    .unwrap();
    let out = slatelab(&["validate", &bad.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("environment.shifts[0].population: segment shares must sum to 1"),
        "{message}"
    );
}
