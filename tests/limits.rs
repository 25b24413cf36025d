//! Inputs at and beyond the documented limits (issue 14): values that validate must run,
//! and what cannot run is refused up front with a clear message and exit status 2.
//!
//! Every run is tiny (a few episodes), so the file takes a few seconds in release.

use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_slatelab");

fn slatelab(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary starts")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("UTF-8 stderr")
}

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
