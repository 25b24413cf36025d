//! The real `slatelab` binary, driven as a script would drive it: output shapes, exit
//! statuses, error messages, determinism across thread counts, and Ctrl-C.
//!
//! Runs are small (tens of episodes), so the whole file takes a second or two in release.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use slatelab::agent::AgentSpec;
use slatelab::scenario::presets::PRESETS;

mod common;
use common::{BIN, slatelab, stderr, stdout};

/// Runs `slatelab run` with `args`, requires success, and parses the JSON on stdout.
fn run_json(args: &[&str]) -> Value {
    let out = slatelab(&[&["run"], args].concat());
    assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn f64_at(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number: {}", v[key]))
}

/// The documented agent fields (issue 2, §7); the report may carry more.
const AGENT_KEYS: [&str; 15] = [
    "name",
    "oracle",
    "episodes",
    "mean_return",
    "return_std",
    "return_ci95",
    "mean_length",
    "ctr",
    "mean_clicks",
    "mean_engagement",
    "mean_satisfaction",
    "final_satisfaction",
    "env_steps",
    "wall_seconds",
    "steps_per_second",
];

#[test]
fn run_writes_the_documented_json() {
    let out = slatelab(&[
        "run",
        "--scenario",
        "choc-kale",
        "--agents",
        "random,sweetest,least-sweet",
        "--episodes",
        "50",
        "--seed",
        "3",
        "--threads",
        "1",
        // Every pair, so that each entry's difference is checked below.
        "--paired",
        "all",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    // stderr is not a terminal here: no progress bar, and no errors.
    assert_eq!(stderr(&out), "");
    let report: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    let top = keys(&report);
    for key in [
        "slatelab_version",
        "scenario",
        "seed",
        "episodes",
        "partial",
        "agents",
        "paired",
    ] {
        assert!(top.contains(&key), "missing top-level {key}");
    }
    assert_eq!(report["slatelab_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(report["scenario"], "choc-kale");
    assert_eq!(report["seed"], 3);
    assert_eq!(report["episodes"], 50);
    assert_eq!(report["partial"], false);

    let agents = report["agents"].as_array().expect("agents is an array");
    let names: Vec<&str> = agents.iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["random", "sweetest", "least-sweet"]);
    for agent in agents {
        let present = keys(agent);
        for key in AGENT_KEYS {
            assert!(present.contains(&key), "agent lacks {key}");
        }
        assert_eq!(agent["oracle"], false);
        assert_eq!(agent["episodes"], 50);
        let mean = f64_at(agent, "mean_return");
        let ci = agent["return_ci95"].as_array().expect("[lo, hi]");
        assert_eq!(ci.len(), 2);
        let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
        assert!(lo <= mean && mean <= hi, "{lo} ≤ {mean} ≤ {hi}");
        assert!(f64_at(agent, "return_std") > 0.0);
        assert_eq!(f64_at(agent, "mean_length"), 10.0);
        assert_eq!(agent["env_steps"], 500);
        for key in ["ctr", "mean_satisfaction", "final_satisfaction"] {
            let x = f64_at(agent, key);
            assert!((0.0..=1.0).contains(&x), "{key} = {x}");
        }
    }

    let paired = report["paired"].as_array().expect("paired is an array");
    assert_eq!(paired.len(), 3, "one entry per pair of agents");
    let mean_of = |name: &str| {
        f64_at(
            agents.iter().find(|a| a["name"] == name).expect("agent"),
            "mean_return",
        )
    };
    for pair in paired {
        for key in ["a", "b", "mean_diff", "ci95"] {
            assert!(keys(pair).contains(&key), "paired entry lacks {key}");
        }
        let (a, b) = (pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap());
        let diff = f64_at(pair, "mean_diff");
        assert!((diff - (mean_of(a) - mean_of(b))).abs() < 1e-9, "{a} − {b}");
        assert_eq!(pair["ci95"].as_array().map(Vec::len), Some(2));
    }
}

/// A curve point's keys, in the report's order: the original four, then the added figures.
const CURVE_POINT_KEYS: &[&str] = &[
    "episode",
    "mean_return",
    "ci95",
    "myopic_rate",
    "ctr",
    "mean_engagement",
    "mean_satisfaction",
    "final_satisfaction",
    "env_steps",
    "epsilon",
    "td_loss",
    "mean_q",
    "confidence_width",
];

#[test]
fn curve_points_carry_the_block_figures_and_the_learner_internals() {
    let text = stdout(&slatelab(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        "slateq,linucb",
        "--episodes",
        "40",
        "--curve-block",
        "10",
        "--seed",
        "2",
        "--threads",
        "1",
    ]));
    // Key order as written (serde_json's Value would sort it).
    let first_point = &text[text.find("\"curve\": [").expect("a curve")..];
    let mut at = 0;
    for key in CURVE_POINT_KEYS {
        let found = first_point[at..]
            .find(&format!("\"{key}\":"))
            .unwrap_or_else(|| panic!("{key} missing or out of order"));
        at += found;
    }
    let report: Value = serde_json::from_str(&text).expect("JSON");
    let (slateq, linucb) = (&report["agents"][0], &report["agents"][1]);
    for agent in [slateq, linucb] {
        let curve = agent["curve"].as_array().expect("curve");
        assert_eq!(curve.len(), 4);
        // Steps so far: 10 steps an episode in choc-kale.
        let steps: Vec<u64> = curve
            .iter()
            .map(|p| p["env_steps"].as_u64().unwrap())
            .collect();
        assert_eq!(steps, [100, 200, 300, 400]);
        for p in curve {
            for key in ["ctr", "mean_satisfaction", "final_satisfaction"] {
                let x = f64_at(p, key);
                assert!((0.0..=1.0).contains(&x), "{key} = {x}");
            }
            assert!(f64_at(p, "mean_engagement") >= 0.0);
        }
        // The last point's internals are the lane's final ones.
        let last = &curve[3];
        for key in ["epsilon", "td_loss", "mean_q", "confidence_width"] {
            assert_eq!(last[key], agent["internals"][key], "{key}");
        }
    }
    assert!(slateq["curve"][3]["epsilon"].is_f64());
    assert!(slateq["curve"][3]["confidence_width"].is_null());
    assert!(linucb["curve"][3]["confidence_width"].is_f64());
    assert!(linucb["curve"][3]["epsilon"].is_null());
}

#[test]
fn curves_are_written_in_long_form_beside_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let (report_path, curves_path) = (dir.path().join("r.json"), dir.path().join("c.csv"));
    let out = slatelab(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        "random,linucb",
        "--episodes",
        "30",
        "--curve-block",
        "10",
        "--seed",
        "4",
        "--threads",
        "1",
        "--out",
        report_path.to_str().unwrap(),
        "--curves",
        curves_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&std::fs::read(&report_path).unwrap()).unwrap();
    let mut csv = csv::Reader::from_path(&curves_path).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "scenario",
            "seed",
            "agent",
            "kind",
            "block",
            "episode",
            "env_steps",
            "metric",
            "value",
            "ci95_lo",
            "ci95_hi"
        ]
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    // random: six block figures, no internals; linucb: the six and its confidence width.
    assert_eq!(rows.len(), 3 * 6 + 3 * 7);
    let linucb: Vec<_> = rows.iter().filter(|r| &r[2] == "linucb").collect();
    assert!(
        linucb
            .iter()
            .all(|r| &r[0] == "choc-kale" && &r[1] == "4" && &r[3] == "linucb")
    );
    let metrics: Vec<&str> = linucb.iter().take(7).map(|r| &r[7]).collect();
    assert_eq!(
        metrics,
        [
            "mean_return",
            "ctr",
            "mean_engagement",
            "mean_satisfaction",
            "final_satisfaction",
            "myopic_rate",
            "confidence_width"
        ]
    );
    // Each row's value is the report's, block by block.
    for row in &linucb {
        let block: usize = row[4].parse().unwrap();
        let point = &report["agents"][1]["curve"][block];
        assert_eq!(
            row[5].parse::<u64>().unwrap(),
            point["episode"].as_u64().unwrap()
        );
        assert_eq!(
            row[6].parse::<u64>().unwrap(),
            point["env_steps"].as_u64().unwrap()
        );
        // serde_json's default float parsing may miss the last bit.
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        let value: f64 = row[8].parse().unwrap();
        assert!(close(value, f64_at(point, &row[7])), "{}", &row[7]);
        if &row[7] == "mean_return" {
            let lo: f64 = row[9].parse().unwrap();
            assert!(close(lo, point["ci95"][0].as_f64().unwrap()));
        } else {
            assert_eq!((&row[9], &row[10]), ("", ""));
        }
    }
}

#[test]
fn oracle_agents_are_flagged() {
    let report = run_json(&[
        "--scenario",
        "interest-evolution",
        "--agents",
        "random,oracle-myopic,oracle-quality",
        "--episodes",
        "4",
    ]);
    for agent in report["agents"].as_array().unwrap() {
        let name = agent["name"].as_str().unwrap();
        assert_eq!(agent["oracle"], name.starts_with("oracle-"), "{name}");
    }
}

#[test]
fn csv_has_a_header_and_one_row_per_agent() {
    let out = slatelab(&[
        "run",
        "--scenario",
        "long-term-satisfaction",
        "--agents",
        "random,sweetest,random",
        "--episodes",
        "5",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(str::to_owned)
        .collect();
    for key in AGENT_KEYS.iter().filter(|&&k| k != "return_ci95") {
        assert!(header.iter().any(|h| h == key), "CSV lacks {key}");
    }
    for key in ["return_ci95_lo", "return_ci95_hi"] {
        assert!(header.iter().any(|h| h == key), "CSV lacks {key}");
    }
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let names: Vec<&str> = rows.iter().map(|r| &r[column("name")]).collect();
    assert_eq!(names, ["random", "sweetest", "random#2"]);
    for row in &rows {
        assert_eq!(&row[column("episodes")], "5");
        assert_eq!(&row[column("oracle")], "false");
        assert_eq!(&row[column("env_steps")], "300");
        let mean: f64 = row[column("mean_return")].parse().expect("a number");
        assert!(mean > 0.0);
    }
}

#[test]
fn out_writes_the_file_and_nothing_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    for (format, file) in [("json", "report.json"), ("csv", "report.csv")] {
        let path = dir.path().join(file);
        let out = slatelab(&[
            "run",
            "--scenario",
            "choc-kale",
            "--episodes",
            "3",
            "--format",
            format,
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(out.stdout.is_empty(), "{format}: stdout not empty");
        let text = std::fs::read_to_string(&path).expect("the output file exists");
        match format {
            "json" => {
                let report: Value = serde_json::from_str(&text).expect("JSON");
                assert_eq!(report["episodes"], 3);
            }
            _ => assert_eq!(
                text.lines().count(),
                1 + 3,
                "header + the preset's 3 agents"
            ),
        }
    }
}

/// A copy of a built-in scenario in `dir` with `from` replaced by `to`; returns the path and
/// the 1-based line and column at which `to` starts.
fn edited_copy(dir: &Path, preset: &str, from: &str, to: &str) -> (PathBuf, usize, usize) {
    let text = PRESETS
        .iter()
        .find(|p| p.name == preset)
        .expect("a built-in")
        .text;
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    let edited = text.replace(from, to);
    let (line, column) = edited
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(to).map(|c| (i + 1, l[..c].chars().count() + 1)))
        .expect("the edit is in the text");
    let path = dir.join(format!("{preset}-edited.ron"));
    std::fs::write(&path, edited).unwrap();
    (path, line, column)
}

#[test]
fn a_scenario_error_exits_2_with_position_and_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // An unknown field (a typo): the parser's position and the field's name.
        ("sensitivity: 0.9", "sensitivty: 0.9", "sensitivty"),
        // A value out of range: the validator's position and the full field path.
        (
            "memory_discount: 0.7",
            "memory_discount: 1.5",
            "environment.population[0].user.memory_discount",
        ),
    ];
    for (from, to, field) in cases {
        assert_refused_at(dir.path(), "choc-kale", from, to, field);
    }
}

/// Runs a copy of built-in `preset` with `from` edited into `to` and asserts that it exits 2
/// naming `file:line:column` of the edit and `field` (returning the error text), with no
/// output, no panic and no output file.
fn assert_refused_at(dir: &Path, preset: &str, from: &str, to: &str, field: &str) -> String {
    let (path, line, column) = edited_copy(dir, preset, from, to);
    let out_file = dir.join("never.json");
    let out = slatelab(&[
        "run",
        "--scenario",
        path.to_str().unwrap(),
        "--out",
        out_file.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let position = format!("{}:{line}:{column}:", path.display());
    assert!(err.contains(&position), "`{err}` lacks `{position}`");
    assert!(err.contains(field), "`{err}` lacks `{field}`");
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.stdout.is_empty());
    assert!(!out_file.exists(), "an output file was written");
    err
}

#[test]
fn satisfying_clicks_outside_long_term_satisfaction_exits_2_naming_the_reward() {
    // Interest Evolution's users have no satisfaction that a step raises: the tutorial's
    // reward is refused at validation, at the `reward` field, saying where it is offered.
    let dir = tempfile::tempdir().unwrap();
    let err = assert_refused_at(
        dir.path(),
        "interest-evolution",
        "reward: Engagement",
        "reward: SatisfyingClicks",
        "environment.reward",
    );
    assert!(err.contains("only LongTermSatisfaction offers"), "{err}");
}

#[test]
fn validate_exits_0_when_all_are_valid_and_2_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let valid_file = fixtures.join("valid/minimal-interest-evolution.ron");
    let valid_file = valid_file.to_str().unwrap();
    let (typo, _, _) = edited_copy(dir.path(), "interest-evolution", "slate_size", "slate_sise");
    let typo = typo.to_str().unwrap();
    let range = fixtures.join("invalid/slate-larger-than-candidates.ron");
    let range = range.to_str().unwrap();

    let ok = slatelab(&["validate", valid_file, "choc-kale", "interest-exploration"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(
        stdout(&ok).lines().filter(|l| l.contains(": ok")).count(),
        3
    );

    let bad = slatelab(&["validate", valid_file, typo, "choc-kale", range]);
    assert_eq!(bad.status.code(), Some(2));
    let err = stderr(&bad);
    for (file, field) in [(typo, "slate_sise"), (range, "environment.slate_size")] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(file) && l.contains(field)),
            "no error line for {file} naming {field}: {err}"
        );
    }
    assert!(err.contains("2 of 4"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn scenarios_and_agents_list_everything() {
    let out = slatelab(&["scenarios"]);
    assert!(out.status.success());
    let listing = stdout(&out);
    for preset in PRESETS {
        assert!(
            listing.lines().any(|l| l.starts_with(preset.name)),
            "{} missing",
            preset.name
        );
    }
    let out = slatelab(&["agents"]);
    assert!(out.status.success());
    let listing = stdout(&out);
    for spec in AgentSpec::all_defaults() {
        let info = spec.info();
        assert!(
            listing.lines().any(|l| l.starts_with(info.name)),
            "{} missing",
            info.name
        );
    }
    // Parameters are shown with their defaults.
    assert!(listing.contains("prior_affinity: [\n"), "{listing}");
    assert!(listing.contains("alpha: 1.0,"), "{listing}");
    assert!(listing.contains("[oracle]"));
}

#[test]
fn an_unknown_agent_exits_2() {
    let out = slatelab(&[
        "run",
        "--scenario",
        "choc-kale",
        "--agents",
        "random,nosuch",
        "--episodes",
        "2",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown agent `nosuch`"), "{err}");
    assert!(
        err.contains("least-sweet"),
        "the known agents are listed: {err}"
    );
    assert!(out.stdout.is_empty());
}

/// The report without its timings and the command line that asked for it, which are the
/// only fields allowed to differ.
fn without_timings(mut report: Value) -> Value {
    let top = report.as_object_mut().expect("a report object");
    assert!(top.remove("wall_seconds").is_some());
    assert!(top.remove("steps_per_second").is_some());
    assert!(top.remove("command_line").is_some());
    for agent in report["agents"].as_array_mut().expect("agents") {
        let agent = agent.as_object_mut().expect("an agent object");
        assert!(agent.remove("wall_seconds").is_some());
        assert!(agent.remove("steps_per_second").is_some());
    }
    report
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    for (scenario, agents) in [
        (
            "interest-evolution",
            "random,oracle-myopic,oracle-quality,random",
        ),
        ("choc-kale", "random,sweetest,least-sweet,random"),
    ] {
        let run = |threads: &str| {
            without_timings(run_json(&[
                "--scenario",
                scenario,
                "--agents",
                agents,
                "--episodes",
                "30",
                "--seed",
                "11",
                "--threads",
                threads,
            ]))
        };
        let (one, two) = (run("1"), run("2"));
        assert_eq!(one["agents"].as_array().map(Vec::len), Some(4));
        assert_eq!(one, two, "{scenario}: --threads 1 and 2 differ");
    }
}

#[test]
fn the_seed_changes_results_and_is_reported() {
    let run = |seed: &str| {
        run_json(&[
            "--scenario",
            "long-term-satisfaction",
            "--agents",
            "random",
            "--episodes",
            "5",
            "--seed",
            seed,
        ])
    };
    let (a, again, b) = (run("1"), run("1"), run("2"));
    assert_eq!(b["seed"], 2);
    let mean = |r: &Value| f64_at(&r["agents"][0], "mean_return");
    assert_eq!(mean(&a), mean(&again));
    assert_ne!(mean(&a), mean(&b));
}

#[test]
fn the_episode_count_is_respected() {
    for n in [1u64, 7] {
        let report = run_json(&["--scenario", "choc-kale", "--episodes", &n.to_string()]);
        assert_eq!(report["episodes"], n);
        for agent in report["agents"].as_array().unwrap() {
            assert_eq!(agent["episodes"], n);
            assert_eq!(agent["env_steps"], 10 * n, "10-step sessions");
        }
    }
}

#[cfg(unix)]
mod interrupt {
    use super::*;
    use std::time::{Duration, Instant};

    /// Whether signal `signal` is set in the hexadecimal mask `field` of /proc/`pid`/status.
    /// `None` where /proc is not available (not Linux).
    fn signal_bit(pid: &str, field: &str, signal: u32) -> Option<bool> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let mask = status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .map(|v| u64::from_str_radix(v.trim(), 16).expect("a hex mask"))?;
        Some(mask >> (signal - 1) & 1 == 1)
    }

    const SIGINT: u32 = 2;

    #[test]
    fn ctrl_c_writes_the_finished_episodes_as_partial() {
        // A process started with SIGINT ignored (e.g. a background job of a script) passes
        // that on; slatelab then keeps it ignored, as Unix programs should, and there is
        // nothing to test.
        if signal_bit("self", "SigIgn:", SIGINT) == Some(true) {
            eprintln!("SIGINT is ignored in this test process: skipping the Ctrl-C test");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let out_file = dir.path().join("partial.json");
        let requested: u64 = 1_000_000_000;
        let mut child = Command::new(BIN)
            .args([
                "run",
                "--scenario",
                "choc-kale",
                "--agents",
                "random,sweetest",
                "--episodes",
                &requested.to_string(),
                "--threads",
                "1",
                "--out",
                out_file.to_str().unwrap(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let pid = child.id().to_string();

        // Wait until the Ctrl-C handler is installed (visible in /proc on Linux), then let
        // some episodes finish.
        let start = Instant::now();
        while signal_bit(&pid, "SigCgt:", SIGINT) == Some(false) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "no SIGINT handler"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(500));
        let kill = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill runs");
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
        let text = std::fs::read_to_string(&out_file).expect("partial results were written");
        let report: Value = serde_json::from_str(&text).expect("complete JSON");
        assert_eq!(report["partial"], true);
        assert_eq!(report["episodes"], requested);
        for agent in report["agents"].as_array().unwrap() {
            let done = agent["episodes"].as_u64().unwrap();
            assert!(0 < done && done < requested, "{done} episodes");
            assert_eq!(agent["env_steps"].as_u64(), Some(10 * done));
        }
    }
}

#[test]
fn evaluation_reports_paired_differences_on_the_shared_evaluation_users() {
    let report = run_json(&[
        "-s",
        "choc-kale",
        "-a",
        "random,sweetest",
        "--episodes",
        "5",
        "--eval-episodes",
        "20",
        "--seed",
        "4",
    ]);
    let eval_mean = |i: usize| f64_at(&report["agents"][i]["eval"], "mean_return");
    let pairs = report["eval_paired"]
        .as_array()
        .expect("eval_paired is an array");
    assert_eq!(pairs.len(), 1);
    let pair = &pairs[0];
    assert_eq!(
        (pair["a"].as_str(), pair["b"].as_str()),
        (Some("random"), Some("sweetest"))
    );
    assert_eq!(pair["episodes"], 20);
    let diff = f64_at(pair, "mean_diff");
    assert!((diff - (eval_mean(0) - eval_mean(1))).abs() < 1e-9);
    let ci: Vec<f64> = pair["ci95"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!(ci[0] < diff && diff < ci[1], "{ci:?} around {diff}");

    let untested = run_json(&[
        "-s",
        "choc-kale",
        "-a",
        "random,sweetest",
        "--episodes",
        "5",
    ]);
    assert_eq!(untested["eval_paired"].as_array().map(Vec::len), Some(0));
}

#[test]
fn completions_cover_the_subcommands() {
    let out = slatelab(&["completions", "bash"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let script = stdout(&out);
    assert!(script.contains("slatelab"));
    for sub in [
        "run",
        "rerun",
        "sweep",
        "merge",
        "plot",
        "validate",
        "scenarios",
        "agents",
        "tui",
        "completions",
        "man",
    ] {
        assert!(script.contains(sub), "no `{sub}` in the bash completions");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = slatelab(&["completions", shell]);
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    assert_eq!(slatelab(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_prints_a_roff_page_naming_the_subcommands() {
    let out = slatelab(&["man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    // The title line follows only roff's own string definitions.
    let first = page
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"));
    assert!(
        first.is_some_and(|l| l.starts_with(".TH slatelab 1")),
        "{}",
        &page[..page.len().min(200)]
    );
    assert!(page.contains("slatelab") && page.contains("run"));
}

/// Every command that prints ends quietly when its reader goes away (`... | head -1`): a
/// success, or SIGPIPE as other Unix tools do, never a panic or an error message.
#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_commands_quietly() {
    use std::os::unix::process::ExitStatusExt;
    use std::process::Stdio;

    let commands: [&[&str]; 7] = [
        &["agents"],
        &["sweep", "examples/sweeps/bandits-vs-slateq.ron", "--list"],
        &["scenarios"],
        &["validate", "choc-kale"],
        &["run", "-s", "choc-kale", "-e", "5", "-q"],
        &["completions", "bash"],
        &["man"],
    ];
    for args in commands {
        // The reading end is closed before the command starts, so its first write fails.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(BIN)
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("the binary starts");
        let sigpipe = out.status.signal() == Some(13);
        assert!(
            out.status.success() || sigpipe,
            "{args:?} ended with {:?}: {}",
            out.status,
            stderr(&out)
        );
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
}
