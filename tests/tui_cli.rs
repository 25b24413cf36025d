//! Without a terminal there is no dashboard: plain `slatelab` prints a hint and the `run`
//! usage (exit status 2), and `slatelab tui` says why it cannot draw.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_slatelab");

#[test]
fn plain_slatelab_off_a_terminal_hints_at_run() {
    // Output captured: stdout is a pipe, not a terminal.
    let out = Command::new(BIN).output().expect("slatelab runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(lines[0].contains("not a terminal") && lines[0].contains("slatelab run"));
    assert!(
        stderr.contains("Usage: slatelab run") && stderr.contains("--scenario"),
        "{stderr}"
    );
}

#[test]
fn tui_off_a_terminal_is_an_input_error() {
    let out = Command::new(BIN)
        .arg("tui")
        .output()
        .expect("slatelab runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
}

#[test]
fn tui_options_appear_in_help() {
    let out = Command::new(BIN)
        .args(["tui", "--help"])
        .output()
        .expect("slatelab runs");
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for option in ["--scenario", "--agents", "--seed ", "--seeds", "--threads"] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
}
