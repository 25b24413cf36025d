//! `slatelab rerun REPORT.json` reproduces a report from what it embeds (issue 10, §1).

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;
use common::slatelab;

fn ok(args: &[&str]) -> Output {
    let out = slatelab(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The report without the fields allowed to differ between a run and its rerun.
fn without_timings(path: &Path) -> Value {
    let mut report: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let top = report.as_object_mut().unwrap();
    for key in ["wall_seconds", "steps_per_second", "command_line"] {
        assert!(top.remove(key).is_some(), "{key}");
    }
    for agent in report["agents"].as_array_mut().unwrap() {
        let agent = agent.as_object_mut().unwrap();
        assert!(agent.remove("wall_seconds").is_some());
        assert!(agent.remove("steps_per_second").is_some());
    }
    report
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

#[test]
fn a_rerun_equals_the_run_but_for_timings() {
    let dir = tempfile::tempdir().unwrap();
    // A scenario file that is gone by the rerun: the report's embedded text is what runs.
    let scenario = dir.path().join("mine.ron");
    let text = std::fs::read_to_string("scenarios/choc-kale.ron").unwrap();
    std::fs::write(&scenario, text.replace("\"choc-kale\"", "\"mine\"")).unwrap();
    let runs: [&[&str]; 2] = [
        &[
            "-a",
            "random,linucb,LinUcb(alpha: 0.5, lambda: 2.0),slateq-myopic,linucb",
            "-e",
            "25",
            "--eval-episodes",
            "4",
            "--paired",
            "all",
            "--curve-block",
            "7",
            "--seed",
            "5",
        ],
        &["-a", "epsilon-greedy,random", "--steps", "700"],
    ];
    for (i, extra) in runs.iter().enumerate() {
        let first = path(dir.path(), &format!("first{i}.json"));
        let again = path(dir.path(), &format!("again{i}.json"));
        let scenario = scenario.display().to_string();
        let mut args = vec!["run", "-q", "-s", &scenario, "-o", &first];
        args.extend_from_slice(extra);
        ok(&args);
        ok(&["rerun", &first, "-q", "-t", "2", "-o", &again]);
        let (first, again) = (Path::new(&first), Path::new(&again));
        assert_eq!(without_timings(first), without_timings(again), "{extra:?}");
        let command: Value = serde_json::from_slice(&std::fs::read(again).unwrap()).unwrap();
        assert!(
            command["command_line"]
                .as_str()
                .unwrap()
                .contains(" rerun ")
        );
    }
    std::fs::remove_file(&scenario).unwrap();
    let csv = ok(&["rerun", &path(dir.path(), "first1.json"), "-q", "-f", "csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.lines().next().unwrap().ends_with(",spec"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "header and two agents");
}

/// Runs `rerun` on `report` (written as given) and returns its stderr, asserting status 2
/// and that nothing was written.
fn refused(report: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let input = path(dir.path(), "report.json");
    std::fs::write(&input, report).unwrap();
    let out_file = dir.path().join("out.json");
    let out = slatelab(&["rerun", &input, "-q", "-o", &out_file.display().to_string()]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!out_file.exists(), "nothing is written");
    assert!(err.contains(&input), "names the report: {err}");
    err
}

#[test]
fn reports_that_cannot_be_rerun_are_refused_with_status_2() {
    let out = ok(&[
        "run",
        "-q",
        "-s",
        "choc-kale",
        "-a",
        "random,linucb",
        "-e",
        "3",
    ]);
    let good: Value = serde_json::from_slice(&out.stdout).unwrap();
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut report = good.clone();
        edit(&mut report);
        serde_json::to_string_pretty(&report).unwrap()
    };

    let older = edited(&|r| {
        let top = r.as_object_mut().unwrap();
        for key in [
            "scenario_ron",
            "scenario_sha256",
            "paired_mode",
            "command_line",
        ] {
            top.remove(key);
        }
    });
    let err = refused(&older);
    assert!(err.contains("missing field"), "{err}");
    assert!(err.contains("do not embed"), "{err}");

    let err = refused("{\"seed\": 1,");
    assert!(err.contains("report.json:1:"), "file:line:col: {err}");

    let err = refused(&edited(&|r| {
        let ron = r["scenario_ron"]
            .as_str()
            .unwrap()
            .replace("seed: 1", "seed: 2");
        r["scenario_ron"] = ron.into();
    }));
    assert!(err.contains("was edited"), "{err}");

    let err = refused(&edited(&|r| {
        r["agents"][1]["spec"] = "LinUcb(alpha: -1.0)".into();
    }));
    assert!(err.contains("agents[1].spec.alpha"), "{err}");
    let err = refused(&edited(&|r| {
        r["agents"][1]["spec"] = "LinUcb(alfa: 1.0)".into();
    }));
    assert!(err.contains("agents[1].spec"), "{err}");

    let err = refused(&edited(&|r| r["episodes"] = Value::Null));
    assert!(err.contains("no training budget"), "{err}");
    let err = refused(&edited(&|r| r["paired_mode"] = "some".into()));
    assert!(err.contains("paired_mode"), "{err}");
}
