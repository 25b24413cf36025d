//! What `--out` and `--save-agents` do to what is already at their path: a symlink is
//! written through, a FIFO or device is written into, a directory or a missing folder is
//! refused before the run, modes follow the umask or are kept, and temporary files left by
//! a killed run are cleaned up.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_slatelab");

/// `slatelab run` with `extra` arguments (3 episodes unless they say `-e`), under umask 022.
fn run(extra: &[&str]) -> Output {
    run_in(Path::new("."), extra)
}

fn run_in(dir: &Path, extra: &[&str]) -> Output {
    command_in(dir, extra).output().expect("sh starts")
}

/// Runs a command that must be refused before its run starts: one still running after
/// 30 seconds (it would run for hours) is killed and fails the test.
fn run_refused(dir: &Path, extra: &[&str]) -> Output {
    let mut child = command_in(dir, extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh starts");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{extra:?} started the run instead of refusing it");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn command_in(dir: &Path, extra: &[&str]) -> Command {
    let mut args = vec![
        "-c",
        r#"umask 022; exec "$@""#,
        "sh",
        BIN,
        "run",
        "-q",
        "-s",
        "choc-kale",
        "-a",
        "random,linucb",
    ];
    if !extra.contains(&"-e") {
        args.extend_from_slice(&["-e", "3"]);
    }
    args.extend_from_slice(extra);
    let mut command = Command::new("sh");
    command.args(&args).current_dir(dir);
    command
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn is_report(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Value>(bytes).is_ok_and(|v| v["scenario"] == "choc-kale")
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn out_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("results.json");
    fs::write(&target, "old").unwrap();
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(&["-o", link.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(is_report(&fs::read(&target).unwrap()));
    assert_eq!(listing(dir.path()), ["link.json"]);
    assert_eq!(listing(elsewhere.path()), ["results.json"]);
}

#[test]
fn out_into_a_fifo_is_read_by_its_reader() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let (sent, received) = std::sync::mpsc::channel();
    let reading = fifo.clone();
    // Blocks until a writer opens the FIFO; a run that replaced it would leave it blocked.
    std::thread::spawn(move || sent.send(fs::read(reading).unwrap()));
    let out = run(&["-o", fifo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = received
        .recv_timeout(Duration::from_secs(20))
        .expect("the FIFO's reader got the report");
    assert!(is_report(&bytes));
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

/// The issue's report: run as root, `--out /dev/null` replaced the system's /dev/null by a
/// regular file. Not as root, the rename into /dev failed instead (exit 1).
#[test]
fn out_to_dev_null_leaves_it_a_character_device() {
    let before = fs::symlink_metadata("/dev/null").unwrap();
    assert!(before.file_type().is_char_device());
    let out = run(&["-o", "/dev/null"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = fs::symlink_metadata("/dev/null").unwrap();
    assert!(after.file_type().is_char_device(), "/dev/null was replaced");
}

#[test]
fn out_to_a_directory_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_refused(
        Path::new("."),
        &["-e", "100000000", "-o", dir.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(dir.path().to_str().unwrap()));
    assert!(stderr(&out).contains("directory"), "{}", stderr(&out));
    assert!(listing(dir.path()).is_empty());
}

/// A run of 10⁸ episodes would take hours: only a check before it ends quickly.
#[test]
fn out_in_a_missing_folder_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_refused(dir.path(), &["-e", "100000000", "-o", "no-such-dir/x.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("no-such-dir/x.json") && err.contains("does not exist"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn save_agents_onto_a_file_is_refused_before_the_run_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("afile");
    fs::write(&file, "mine").unwrap();
    for dest in [file.clone(), file.join("sub")] {
        let out = run_refused(
            Path::new("."),
            &["-e", "100000000", "--save-agents", dest.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(file.to_str().unwrap()), "{err}");
        assert!(err.contains("not a folder"), "{err}");
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn new_outputs_follow_the_umask_and_replaced_ones_keep_their_mode() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let agents = dir.path().join("agents");
    let out = run(&[
        "-o",
        report.to_str().unwrap(),
        "--save-agents",
        agents.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&report), 0o644, "0666 less umask 022");
    assert_eq!(mode(&agents.join("linucb.json")), 0o644);

    fs::set_permissions(&report, fs::Permissions::from_mode(0o604)).unwrap();
    let out = run(&["-o", report.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&report), 0o604, "the replaced file's mode is kept");
}

#[test]
fn stale_temporary_files_of_the_same_target_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    // No process has an id this large (Linux caps them at 2²²), so its writer is gone.
    let stale = ".slatelab-out.json.999999999.AbC123.tmp";
    let other_target = ".slatelab-other.json.999999999.AbC123.tmp";
    let not_ours = ".tmpAbC123";
    for name in [stale, other_target, not_ours] {
        fs::write(dir.path().join(name), "left by a killed run").unwrap();
    }
    let out = run_in(dir.path(), &["-o", "out.json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(listing(dir.path()), [other_target, not_ours, "out.json"]);
}
