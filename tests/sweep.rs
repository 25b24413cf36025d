//! `slatelab sweep` and `slatelab merge` (issue 10, §2): cells, layouts, shards, resuming,
//! Ctrl-C, strict sweep files and merges that refuse what does not belong together.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

mod common;
use common::{BIN, slatelab, stderr, stdout};

fn ok(args: &[&str]) -> Output {
    let out = slatelab(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    out
}

/// The sweep: choc-kale × {random, linucb, LinUcb(alpha: 0.5)} × seeds 1–4 × 300
/// episodes, with `extra` fields.
fn sweep_file(dir: &Path, name: &str, extra: &str) -> String {
    let path = dir.join(name);
    fs::write(
        &path,
        format!(
            "Sweep(\n    name: \"issue-10\",\n    scenarios: [\"choc-kale\"],\n    \
             agents: [\"random\", \"linucb\", \"LinUcb(alpha: 0.5)\"],\n    \
             seeds: [1, 2, 3, 4],\n    episodes: 300,\n    eval_episodes: 20,\n{extra})\n"
        ),
    )
    .unwrap();
    path.display().to_string()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// The report files (not manifests) in `dir`, sorted.
fn reports(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("manifest")
        })
        .collect();
    files.sort();
    files
}

/// Every agent of every report in `dir`, keyed by (seed, spec), without the fields that may
/// differ between layouts: timings and the lane label.
fn agents_by_spec(dir: &Path) -> std::collections::BTreeMap<(u64, String), Value> {
    let mut agents = std::collections::BTreeMap::new();
    for path in reports(dir) {
        let report = json(&path);
        for agent in report["agents"].as_array().unwrap() {
            let mut agent = agent.clone();
            let fields = agent.as_object_mut().unwrap();
            for key in ["wall_seconds", "steps_per_second", "name"] {
                fields.remove(key);
            }
            let spec = fields["spec"].as_str().unwrap().to_owned();
            agents.insert((report["seed"].as_u64().unwrap(), spec), agent);
        }
    }
    agents
}

fn merged(dirs: &[&Path], format: &str) -> Vec<u8> {
    let mut args = vec!["merge", "-f", format];
    let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    args.extend(dirs.iter().map(String::as_str));
    ok(&args).stdout
}

#[test]
fn whole_sharded_and_per_agent_sweeps_merge_to_identical_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let whole_file = sweep_file(dir, "whole.ron", "");
    let per_agent_file = sweep_file(dir, "per-agent.ron", "    layout: PerAgent,\n");
    let out = |name: &str| dir.join(name).display().to_string();
    ok(&["sweep", &whole_file, "-o", &out("whole"), "-t", "2", "-q"]);
    ok(&[
        "sweep",
        &whole_file,
        "-o",
        &out("s1"),
        "--shard",
        "1/2",
        "-t",
        "1",
        "-q",
    ]);
    ok(&[
        "sweep",
        &whole_file,
        "-o",
        &out("s2"),
        "--shard",
        "2/2",
        "-t",
        "1",
        "-q",
    ]);
    ok(&[
        "sweep",
        &per_agent_file,
        "-o",
        &out("per-agent"),
        "-t",
        "2",
        "-q",
    ]);
    assert_eq!(reports(&dir.join("whole")).len(), 4);
    assert_eq!(reports(&dir.join("per-agent")).len(), 12);
    assert_eq!(
        reports(&dir.join("s1")).len() + reports(&dir.join("s2")).len(),
        4
    );

    // Each agent's figures are the same whichever cell it ran in.
    let whole = agents_by_spec(&dir.join("whole"));
    assert_eq!(whole.len(), 12);
    assert_eq!(whole, agents_by_spec(&dir.join("per-agent")));

    for format in ["json", "csv"] {
        let table = merged(&[&dir.join("whole")], format);
        let sharded = merged(&[&dir.join("s1"), &dir.join("s2")], format);
        let per_agent = merged(&[&dir.join("per-agent")], format);
        assert!(table == sharded, "{format}: sharded differs");
        assert!(table == per_agent, "{format}: per-agent differs");
    }

    // The merged mean of each agent is the mean of its four per-seed means.
    let table: Value = serde_json::from_slice(&merged(&[&dir.join("whole")], "json")).unwrap();
    check_merged_means(&table, &whole);
}

#[test]
fn every_seeds_curves_in_long_form_are_the_run_rows_with_the_spec() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let whole_file = sweep_file(dir, "whole.ron", "");
    let out = |name: &str| dir.join(name).display().to_string();
    ok(&["sweep", &whole_file, "-o", &out("whole"), "-t", "2", "-q"]);
    for shard in ["1/2", "2/2"] {
        let name = format!("s{}", &shard[..1]);
        ok(&[
            "sweep",
            &whole_file,
            "-o",
            &out(&name),
            "--shard",
            shard,
            "-q",
        ]);
    }
    // The same from the whole sweep and from its shards, and each cell's rows are
    // `slatelab run --curves`' rows of that cell, with the spec.
    let seed_curves = |dirs: &[&str]| {
        let file = out(&format!("{}.csv", dirs.join("+")));
        let mut args = vec!["merge", "-o", "/dev/null", "--seed-curves", &file];
        let dirs: Vec<String> = dirs.iter().map(|d| out(d)).collect();
        args.extend(dirs.iter().map(String::as_str));
        ok(&args);
        fs::read_to_string(&file).unwrap()
    };
    let all = seed_curves(&["whole"]);
    assert_eq!(all, seed_curves(&["s1", "s2"]));
    let header = all.lines().next().unwrap();
    assert_eq!(
        header,
        "scenario,seed,agent,spec,block,episode,env_steps,metric,value,ci95_lo,ci95_hi"
    );
    let seed2: Vec<&str> = all
        .lines()
        .filter(|l| l.starts_with("choc-kale,2,"))
        .collect();
    let cell = reports(&dir.join("whole"))
        .into_iter()
        .find(|p| p.to_string_lossy().contains("seed2"))
        .unwrap();
    let run_curves = out("run-curves.csv");
    let cell_json = json(&cell);
    ok(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        "random,linucb,LinUcb(alpha: 0.5)",
        "-e",
        "300",
        "--eval-episodes",
        "20",
        "--seed",
        "2",
        "-q",
        "-o",
        "/dev/null",
        "--curves",
        &run_curves,
    ]);
    let run_rows = fs::read_to_string(&run_curves).unwrap();
    let run_rows: Vec<&str> = run_rows.lines().skip(1).collect();
    assert_eq!(seed2.len(), run_rows.len());
    assert_eq!(cell_json["agents"].as_array().unwrap().len(), 3);
    for (merged_row, run_row) in seed2.iter().zip(&run_rows) {
        // Drop `spec` (merged) and `kind` (run): the rest is the same row.
        let mut m = csv_fields(merged_row);
        let mut r = csv_fields(run_row);
        m.remove(3);
        r.remove(3);
        assert_eq!(m, r);
    }
}

/// The fields of one CSV line (quoted fields may hold commas).
fn csv_fields(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    reader
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect()
}

/// The merged table's means are the means of the per-seed means; its paired differences
/// against random the means of the per-seed differences.
fn check_merged_means(table: &Value, whole: &std::collections::BTreeMap<(u64, String), Value>) {
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for row in rows {
        let spec = row["spec"].as_str().unwrap();
        let per_seed: Vec<f64> = (1..=4)
            .map(|seed| {
                whole[&(seed, spec.to_owned())]["mean_return"]
                    .as_f64()
                    .unwrap()
            })
            .collect();
        let mean = per_seed.iter().sum::<f64>() / 4.0;
        assert_eq!(row["mean_return"]["mean"].as_f64().unwrap(), mean, "{spec}");
        assert_eq!(row["mean_return"]["n"], 4);
        assert_eq!(row["seeds"], serde_json::json!([1, 2, 3, 4]));
        // Paired against random: the mean of the per-seed differences.
        let diff = &row["diff_vs_against"];
        if spec == "Random" {
            assert!(diff.is_null());
        } else {
            let random: Vec<f64> = (1..=4)
                .map(|seed| {
                    whole[&(seed, "Random".to_owned())]["mean_return"]
                        .as_f64()
                        .unwrap()
                })
                .collect();
            let expected = per_seed
                .iter()
                .zip(&random)
                .map(|(a, b)| a - b)
                .sum::<f64>()
                / 4.0;
            assert!(
                (diff["mean"].as_f64().unwrap() - expected).abs() < 1e-9,
                "{spec}"
            );
            let (lo, hi) = (
                diff["ci95"][0].as_f64().unwrap(),
                diff["ci95"][1].as_f64().unwrap(),
            );
            assert!(lo < expected && expected < hi);
        }
        assert_eq!(row["eval_mean_return"]["n"], 4);
    }
    let curves = table["curves"].as_array().unwrap();
    assert_eq!(curves.len(), 3);
    let point = &curves[0]["points"][0];
    assert_eq!(point["return"]["n"], 4);
    assert!(point["return"]["min"].as_f64() <= point["return"]["mean"].as_f64());
}

#[test]
fn shards_cover_every_cell_once_and_list_prints_them() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "s.ron", "    layout: PerAgent,\n");
    let all: Vec<Value> = serde_json::from_str(&stdout(&ok(&[
        "sweep", &file, "--list", "--format", "json",
    ])))
    .unwrap();
    assert_eq!(all.len(), 12);
    let mut seen = Vec::new();
    for i in 1..=3 {
        let shard = format!("{i}/3");
        let listed: Vec<Value> = serde_json::from_str(&stdout(&ok(&[
            "sweep", &file, "--list", "--format", "json", "--shard", &shard,
        ])))
        .unwrap();
        assert_eq!(listed.len(), 12, "--list shows every cell with its shard");
        seen.extend(
            listed
                .iter()
                .filter(|c| c["shard"] == i)
                .map(|c| c["name"].as_str().unwrap().to_owned()),
        );
    }
    seen.sort();
    let mut names: Vec<String> = all
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(seen, names);
    let text = stdout(&ok(&["sweep", &file, "--list"]));
    assert_eq!(text.lines().count(), 12);
    assert!(
        text.lines().all(|l| l.starts_with("1/1\tchoc-kale_seed")),
        "{text}"
    );
}

#[test]
fn a_second_run_skips_finished_cells_and_reruns_missing_or_broken_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let file = sweep_file(tmp.path(), "s.ron", "");
    let out = tmp.path().join("out");
    let out_arg = out.display().to_string();
    ok(&["sweep", &file, "-o", &out_arg, "-q"]);
    let files = reports(&out);
    let kept = fs::read(&files[0]).unwrap();
    let kept_time = fs::metadata(&files[0]).unwrap().modified().unwrap();
    fs::remove_file(&files[1]).unwrap();
    fs::write(&files[2], b"{\"truncated").unwrap();
    // A report of another cell under this cell's name is not this cell's.
    fs::copy(&files[0], &files[3]).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let again = ok(&["sweep", &file, "-o", &out_arg]);
    assert!(
        stderr(&again).contains("3 cells run, 1 already done"),
        "{}",
        stderr(&again)
    );
    assert_eq!(fs::read(&files[0]).unwrap(), kept);
    assert_eq!(
        fs::metadata(&files[0]).unwrap().modified().unwrap(),
        kept_time
    );
    for path in &files[1..] {
        assert_eq!(json(path)["partial"], false);
    }
    let manifest = json(&out.join("manifest.json"));
    let statuses: Vec<&str> = manifest["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "resumed").count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == "done").count(), 3);
    // A report by another slatelab version is run again.
    let mut report = json(&files[1]);
    report["slatelab_version"] = "0.0.1".into();
    fs::write(&files[1], serde_json::to_vec(&report).unwrap()).unwrap();
    let third = ok(&["sweep", &file, "-o", &out_arg]);
    assert!(
        stderr(&third).contains("1 cells run, 3 already done"),
        "{}",
        stderr(&third)
    );
    assert_eq!(
        json(&files[1])["slatelab_version"],
        env!("CARGO_PKG_VERSION")
    );
}

#[test]
fn bad_sweep_files_name_file_line_column_and_field_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        ("    colour: 3,\n", "8:5: colour: "),
        ("    layout: Diagonal,\n", "8:13: layout: "),
        (
            "    grid: {\"LinUcb\": {\"alpah\": [1.0]}},\n",
            "8:5: grid.LinUcb.alpah: not a parameter",
        ),
        (
            "    curve_block: 0,\n",
            "8:5: curve_block: must be at least 1",
        ),
    ];
    for (i, (extra, expected)) in cases.iter().enumerate() {
        let file = sweep_file(tmp.path(), &format!("bad{i}.ron"), extra);
        let out = tmp.path().join(format!("out{i}"));
        let run = slatelab(&["sweep", &file, "-o", &out.display().to_string()]);
        assert_eq!(run.status.code(), Some(2), "{extra}");
        let err = stderr(&run);
        assert!(
            err.starts_with(&format!("error: {file}:{expected}")),
            "{expected} <- {err}"
        );
        assert!(!out.exists(), "{extra}: nothing is written");
    }
    // A bad agent entry points at the entry's string.
    let file = sweep_file(tmp.path(), "agent.ron", "");
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("\"linucb\"", "\"LinUcb(alpha: -2.0)\"");
    fs::write(&file, text).unwrap();
    let err = stderr(&slatelab(&["sweep", &file, "--list"]));
    assert!(
        err.starts_with(&format!("error: {file}:4:24: agents[1].alpha: ")),
        "{err}"
    );
    // So does a missing scenario file, relative to the sweep file.
    let text = fs::read_to_string(&file)
        .unwrap()
        .replace("\"choc-kale\"", "\"gone.ron\"");
    fs::write(&file, text).unwrap();
    let run = slatelab(&["sweep", &file, "--list"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains(":3:17: scenarios[0]: "),
        "{}",
        stderr(&run)
    );
    assert!(stderr(&run).contains("gone.ron"), "{}", stderr(&run));
}

/// Runs `merge` expecting a refusal (status 2) and returns its stderr.
fn refused(args: &[&str]) -> String {
    let out = slatelab(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(out.stdout.is_empty());
    stderr(&out)
}

#[test]
fn merge_refuses_duplicates_mismatched_scenarios_versions_and_partial_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let file = sweep_file(dir, "s.ron", "");
    let out = dir.join("out");
    ok(&["sweep", &file, "-o", &out.display().to_string(), "-q"]);
    let first = reports(&out)[0].clone();
    let copy = |name: &str, edit: &dyn Fn(&mut Value)| {
        let other = dir.join(name);
        fs::create_dir_all(&other).unwrap();
        let mut report = json(&first);
        edit(&mut report);
        fs::write(other.join("r.json"), serde_json::to_vec(&report).unwrap()).unwrap();
        other.display().to_string()
    };
    let out = out.display().to_string();
    let dup = copy("dup", &|_| {});
    assert!(refused(&["merge", &out, &dup]).contains("the same cell twice"));
    let version = copy("version", &|r| r["slatelab_version"] = "0.0.1".into());
    assert!(refused(&["merge", &out, &version]).contains("different slatelab version"));
    let partial = copy("partial", &|r| r["partial"] = true.into());
    assert!(refused(&["merge", &partial]).contains("incomplete"));
    // The same scenario name with other contents.
    let scenario = dir.join("choc.ron");
    let text = fs::read_to_string("scenarios/choc-kale.ron").unwrap();
    fs::write(
        &scenario,
        text.replace("seed: ", "seed: 1")
            .replace("seed: 1", "seed: 7"),
    )
    .unwrap();
    let other = dir.join("other.json").display().to_string();
    ok(&[
        "run",
        "-q",
        "-s",
        &scenario.display().to_string(),
        "-a",
        "random",
        "-e",
        "5",
        "-o",
        &other,
    ]);
    assert!(refused(&["merge", &out, &other]).contains("different scenario"));
    assert!(refused(&["merge", &dir.join("nothing").display().to_string()]).contains("no such"));
    fs::write(dir.join("version/r.json"), b"{}").unwrap();
    assert!(refused(&["merge", &version]).contains("not a slatelab report"));
}

/// Whether SIGINT is caught (`SigCgt:`) or ignored (`SigIgn:`) by process `pid`.
fn sigint_bit(pid: &str, field: &str) -> Option<bool> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .map(|v| u64::from_str_radix(v.trim(), 16).expect("a hex mask"))?;
    Some(mask >> 1 & 1 == 1)
}

#[test]
fn ctrl_c_keeps_finished_cells_and_leaves_no_partial_file() {
    if sigint_bit("self", "SigIgn:") == Some(true) {
        eprintln!("SIGINT is ignored in this test process: skipping the Ctrl-C test");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.ron");
    // random's cell ends in a fraction of a second, slateq's would take about half a minute.
    fs::write(
        &file,
        "Sweep(name: \"c\", scenarios: [\"choc-kale\"], agents: [\"random\", \"slateq\"], \
         seeds: [1], episodes: 20000, layout: PerAgent)",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let mut child = Command::new(BIN)
        .args(["sweep", "-q", "-t", "2", "-o"])
        .arg(&out)
        .arg(&file)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let pid = child.id().to_string();
    let start = Instant::now();
    let random_done = || {
        out.is_dir()
            && fs::read_dir(&out).unwrap().any(|e| {
                e.unwrap()
                    .file_name()
                    .to_str()
                    .unwrap()
                    .contains("_random_")
            })
    };
    while !(random_done() && sigint_bit(&pid, "SigCgt:") == Some(true)) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "random's cell never finished"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("slatelab sweep did not stop after SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("1 interrupted"), "{err}");
    let names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "random's report and the manifest only: {names:?}"
    );
    let report = reports(&out).pop().unwrap();
    assert_eq!(json(&report)["partial"], false);
    let manifest = json(&out.join("manifest.json"));
    let statuses: Vec<&str> = manifest["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["done", "interrupted"]);
}

#[test]
fn a_steps_budget_sweep_of_learners_gives_each_agent_the_same_figures_in_both_layouts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let text = |layout: &str| {
        format!(
            "Sweep(name: \"steps\", scenarios: [\"choc-kale\"], \
             agents: [\"epsilon-greedy\", \"linucb\", \"random\"], \
             grid: {{\"EpsilonGreedy\": {{\"lambda\": [1.0, 4.0]}}}}, seeds: [5, 6], \
             steps: 3000, eval_episodes: 5, curve_block: 3, layout: {layout})"
        )
    };
    fs::write(dir.join("cell.ron"), text("Cell")).unwrap();
    fs::write(dir.join("agent.ron"), text("PerAgent")).unwrap();
    let run = |file: &str, out: &str, threads: &str| {
        let (file, out) = (dir.join(file), dir.join(out));
        ok(&[
            "sweep",
            &file.display().to_string(),
            "-o",
            &out.display().to_string(),
            "-q",
            "-t",
            threads,
        ]);
        out
    };
    let cells = run("cell.ron", "cells", "1");
    let per_agent = run("agent.ron", "per-agent", "2");
    assert_eq!(
        reports(&per_agent).len(),
        8,
        "4 agents (2 from the grid) x 2 seeds"
    );
    assert_eq!(agents_by_spec(&cells), agents_by_spec(&per_agent));
    for format in ["json", "csv"] {
        assert!(
            merged(&[&cells], format) == merged(&[&per_agent], format),
            "{format}"
        );
    }
    // Against a RON spec, and the curves in long form.
    let curves = dir.join("curves.csv");
    let table = ok(&[
        "merge",
        &cells.display().to_string(),
        "--against",
        "LinUcb()",
        "--curves",
        &curves.display().to_string(),
    ]);
    let table: Value = serde_json::from_slice(&table.stdout).unwrap();
    let rows = table["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for row in rows {
        assert_eq!(row["steps"], 3000);
        let paired = !row["diff_vs_against"].is_null();
        assert_eq!(paired, row["agent"] != "linucb", "{row}");
    }
    let curves = fs::read_to_string(curves).unwrap();
    assert!(curves.starts_with("scenario,episodes,steps,"), "{curves}");
    assert!(curves.lines().count() > 4);
}
