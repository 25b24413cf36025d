//! The dashboard end to end: the real binary in a tmux pane. Start it, wait for the agent
//! table, pause, add a lane, quit; check the screen, the exit status, and that the terminal
//! is back in canonical mode on the normal screen. Another applies a live population change
//! (`w`) and exports it; others close the dashboard with SIGTERM or a vanished terminal.
//!
//! Skipped (with a notice, not a failure) when tmux is not installed; `.ci/run` installs it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_slatelab");
const ARGS: &str = "tui --scenario choc-kale --agents random --threads 1";

fn tmux_available() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok();
    if !found {
        eprintln!("notice: tmux is not installed; skipping the dashboard end-to-end test");
    }
    found
}

/// A private tmux server with one 160×48 pane, killed on drop.
struct Pane {
    socket: String,
}

impl Pane {
    /// Runs `script` (a shell command line) in a new pane whose working directory is `dir`.
    fn start(name: &str, dir: &Path, script: &str) -> Self {
        let socket = format!("slatelab-e2e-{name}-{}", std::process::id());
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "160", "-y", "48", "-c"])
            .arg(dir)
            .arg(script)
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux could not start a session");
        Self { socket }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys"])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Waits until the screen passes `test`; panics with the screen after `secs`.
    fn wait_for(&self, what: &str, secs: u64, test: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if test(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

/// Runs `launch`, then prints its exit status and the tty's canonical-mode flag.
fn script(launch: &str) -> String {
    format!(
        "{launch}; echo slatelab-exit=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon; sleep 60"
    )
}

fn agent_table(screen: &str) -> bool {
    screen.contains("Agents ·")
        && screen
            .lines()
            .any(|l| l.contains("random") && l.contains("running"))
}

/// The script has printed the exit status and the tty mode after it.
fn exited(screen: &str) -> bool {
    screen.contains("slatelab-exit=") && screen.lines().any(|l| l.trim().ends_with("icanon"))
}

fn assert_restored(screen: &str, status: &str) {
    assert!(
        screen.contains(&format!("slatelab-exit={status}")),
        "exit status {status} expected:\n{screen}"
    );
    assert!(
        screen.lines().any(|l| l.trim() == "icanon"),
        "the terminal should be back in canonical mode:\n{screen}"
    );
    assert!(
        !screen.contains("Agents ·"),
        "the dashboard should be gone (alternate screen left):\n{screen}"
    );
}

#[test]
fn pause_add_a_lane_and_quit() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let pane = Pane::start("keys", dir.path(), &script(&format!("{BIN} {ARGS}")));
    pane.wait_for("the agent table", 30, agent_table);
    pane.keys(&["Space"]);
    pane.wait_for("the paused state", 10, |s| s.contains("⏸ paused"));
    pane.keys(&["a"]);
    pane.wait_for("the agent picker", 10, |s| s.contains("Add a lane"));
    // The picker lists random first, then sweetest.
    pane.keys(&["Down", "Enter"]);
    let screen = pane.wait_for("the new lane", 10, |s| {
        !s.contains("Add a lane")
            && s.lines()
                .any(|l| l.contains("sweetest") && l.contains("paused"))
    });
    assert!(screen.contains("⏸ paused"), "still paused:\n{screen}");
    // `e` writes the report and its charts beside it, in the working directory (resumed
    // first, so every lane has episodes to draw).
    pane.keys(&["Space"]);
    pane.wait_for("the run resumed", 10, |s| !s.contains("⏸ paused"));
    std::thread::sleep(Duration::from_millis(500));
    pane.keys(&["e"]);
    pane.wait_for("the export", 20, |s| s.contains("charts to"));
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written.len(), 2, "{written:?}");
    let (json, svg) = (Path::new(&written[0]), Path::new(&written[1]));
    assert_eq!(
        json.with_extension("svg"),
        svg,
        "the charts beside the report"
    );
    assert_eq!(json.extension().unwrap(), "json");
    let svg = std::fs::read_to_string(dir.path().join(&written[1])).unwrap();
    assert!(svg.contains("Return per episode") && svg.contains("sweetest"));
    pane.keys(&["q"]);
    let screen = pane.wait_for("the exit", 20, exited);
    assert_restored(&screen, "0");
}

#[test]
fn a_live_population_change_is_marked_and_exported() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let launch =
        format!("{BIN} tui --scenario mixed-population --agents random,sweetest --threads 1");
    let pane = Pane::start("what-if", dir.path(), &script(&launch));
    pane.wait_for("the agent table", 30, agent_table);
    pane.keys(&["w"]);
    pane.wait_for("the what-if panel", 10, |s| s.contains("What if:"));
    // Eight steps of 0.05 take clickbait-sensitive from 0.3 to 0.7 (robust follows to 0.3).
    for _ in 0..8 {
        pane.keys(&["Right"]);
    }
    pane.wait_for("the edited share", 10, |s| {
        s.lines()
            .any(|l| l.contains("▸ share") && l.contains("0.7"))
    });
    pane.keys(&["Enter"]);
    let screen = pane.wait_for("the applied change", 20, |s| {
        s.contains("population changed from episode")
            && s.contains("shift@")
            && s.contains("population 2/2")
    });
    assert!(!screen.contains("What if:"), "the panel closed:\n{screen}");
    pane.keys(&["e"]);
    pane.wait_for("the export", 20, |s| s.contains("charts to"));
    let json = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("the exported report");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    let ron = report["scenario_ron"].as_str().unwrap();
    assert!(
        ron.contains("at_episode"),
        "the live shift is in the scenario:\n{ron}"
    );
    assert_eq!(report["shifts"].as_array().map(Vec::len), Some(1));
    pane.keys(&["q"]);
    let screen = pane.wait_for("the exit", 20, exited);
    assert_restored(&screen, "0");
}

#[test]
fn sigterm_restores_the_terminal() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let pid_file = dir.path().join("pid");
    // `exec` keeps the shell's pid, so the file names the dashboard itself.
    let launch = format!(
        "sh -c 'echo $$ > {}; exec {BIN} {ARGS}'",
        pid_file.display()
    );
    let pane = Pane::start("term", dir.path(), &script(&launch));
    pane.wait_for("the agent table", 30, agent_table);
    let pid = std::fs::read_to_string(&pid_file).expect("pid file");
    let status = Command::new("kill")
        .args(["-TERM", pid.trim()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let screen = pane.wait_for("the exit", 20, exited);
    assert_restored(&screen, "143");
}

#[test]
fn a_vanished_terminal_ends_the_dashboard() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let pid_file = dir.path().join("pid");
    let launch = format!(
        "sh -c 'echo $$ > {}; exec {BIN} {ARGS}'",
        pid_file.display()
    );
    let pane = Pane::start("hangup", dir.path(), &script(&launch));
    pane.wait_for("the agent table", 30, agent_table);
    let pid = std::fs::read_to_string(&pid_file).expect("pid file");
    // Closing the terminal (the whole tmux server) hangs up on the dashboard.
    drop(pane);
    let deadline = Instant::now() + Duration::from_secs(10);
    let alive = || {
        Command::new("kill")
            .args(["-0", pid.trim()])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    while alive() {
        assert!(
            Instant::now() < deadline,
            "the dashboard (pid {}) outlived its terminal",
            pid.trim()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
