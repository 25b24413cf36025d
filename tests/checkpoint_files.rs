//! `--load-agents` errors and `--save-agents` after Ctrl-C, through the real binary: every
//! unusable checkpoint exits 2 naming its file, what it holds and what was expected, in
//! words; an interrupted run still saves the agents' state, marked `interrupted`.
#![cfg(unix)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_slatelab");

fn run(extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["run", "-q", "-s", "choc-kale", "-a", "linucb,slateq"])
        .args(extra)
        .output()
        .expect("the binary starts")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Checkpoints of a 3-episode run, in a fresh folder.
fn saved() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["-e", "3", "--save-agents", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// Edits the checkpoint `file` in `dir`, loads the folder, and returns the error message
/// after requiring exit status 2 and the file's path in it.
fn load_error(dir: &Path, file: &str, edit: impl FnOnce(&mut Value)) -> String {
    let path = dir.join(file);
    let mut json: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    edit(&mut json);
    fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();
    let out = run(&["-e", "3", "--load-agents", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(path.to_str().unwrap()),
        "the file is named: {err}"
    );
    assert!(!err.contains(" { "), "no Rust debug structs: {err}");
    err
}

#[test]
fn a_bad_state_in_a_well_formed_checkpoint_is_an_input_error_naming_the_file() {
    let dir = saved();
    let err = load_error(dir.path(), "linucb.json", |j| {
        j["state"]["steps"] = "many".into();
    });
    assert!(err.contains("corrupt checkpoint"), "{err}");
}

#[test]
fn a_models_count_mismatch_says_both_counts() {
    let dir = saved();
    let err = load_error(dir.path(), "linucb.json", |j| {
        let model = j["state"]["models"][0].clone();
        j["state"]["models"].as_array_mut().unwrap().push(model);
    });
    assert!(
        err.contains("the checkpoint has 2 shared models where this agent has one shared model"),
        "{err}"
    );
}

#[test]
fn dimension_mismatches_are_told_in_words() {
    let dir = saved();
    let err = load_error(dir.path(), "linucb.json", |j| {
        j["dimensions"]["user_dim"] = 5.into();
    });
    assert!(
        err.contains("user observation length 5 in the checkpoint, 1 here"),
        "{err}"
    );
    let dir = saved();
    let err = load_error(dir.path(), "slateq.json", |j| {
        j["state"]["dims"]["state_dim"] = 7.into();
    });
    assert!(
        err.contains("user state length 7 in the checkpoint, 4 here"),
        "{err}"
    );
}

/// Whether SIGINT is set in the hexadecimal mask `field` of /proc/`pid`/status (`None`
/// without /proc).
fn sigint_bit(pid: &str, field: &str) -> Option<bool> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .map(|v| u64::from_str_radix(v.trim(), 16).expect("a hex mask"))?;
    Some(mask >> 1 & 1 == 1)
}

#[test]
fn ctrl_c_saves_the_agents_state_marked_interrupted() {
    if sigint_bit("self", "SigIgn:") == Some(true) {
        eprintln!("SIGINT is ignored in this test process: skipping the Ctrl-C test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let agents = dir.path().join("agents");
    let mut child = Command::new(BIN)
        .args(["run", "-q", "-s", "choc-kale", "-a", "random,linucb,slateq"])
        .args(["-e", "1000000000", "-t", "1", "--save-agents"])
        .arg(&agents)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let pid = child.id().to_string();
    let start = Instant::now();
    while sigint_bit(&pid, "SigCgt:") == Some(false) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no SIGINT handler"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(500));
    let kill = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("slatelab did not stop after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let mut names: Vec<_> = fs::read_dir(&agents)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["linucb.json", "slateq.json"],
        "the learners' states"
    );
    for name in &names {
        let json: Value = serde_json::from_slice(&fs::read(agents.join(name)).unwrap()).unwrap();
        assert_eq!(json["interrupted"], true, "{name}");
    }
    // The saved state loads.
    let out = run(&["-e", "2", "--load-agents", agents.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}
