//! `slatelab plot` end to end: a real run's report drawn as PNG and SVG, and bad input refused
//! with exit status 2 and no image left behind.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{slatelab, stderr};

/// A short run's report in `dir`.
fn report(dir: &Path) -> PathBuf {
    let path = dir.join("r.json");
    let out = slatelab(&[
        "run",
        "-s",
        "choc-kale",
        "-a",
        "random,linucb",
        "--episodes",
        "60",
        "--seed",
        "1",
        "--threads",
        "1",
        "-q",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    path
}

fn plot(report: &Path, figure: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "plot",
        report.to_str().unwrap(),
        "-o",
        figure.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    slatelab(&args)
}

/// The files in `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_png_of_a_run_decodes_to_its_size_with_content() {
    let dir = tempfile::tempdir().unwrap();
    let r = report(dir.path());
    let figure = dir.path().join("f.png");
    let out = plot(
        &r,
        &figure,
        &["--metric", "all", "--size", "800x500", "--x", "steps"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&figure).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (800, 500));
    let pixels = &buf[..info.buffer_size()];
    let white = pixels.chunks(3).filter(|p| p == &[255, 255, 255]).count();
    let total = pixels.len() / 3;
    assert!(
        white < total * 98 / 100,
        "not blank: {white} of {total} white"
    );
    // The first agent's colour (the dashboard's yellow) is drawn.
    assert!(pixels.chunks(3).any(|p| p == [0xd4, 0xa0, 0x00]));
}

#[test]
fn an_svg_names_the_agents_and_selects_them() {
    let dir = tempfile::tempdir().unwrap();
    let r = report(dir.path());
    let figure = dir.path().join("f.svg");
    let out = plot(
        &r,
        &figure,
        &[
            "--agents",
            "linucb",
            "--title",
            "Bandit only",
            "--no-references",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&figure).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("Bandit only") && svg.contains("linucb"));
    assert!(!svg.contains("random"));
}

#[test]
fn the_scenarios_reference_lines_are_drawn_unless_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let r = report(dir.path());
    let figure = dir.path().join("f.svg");
    let out = plot(&r, &figure, &["--agents", "linucb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&figure).unwrap();
    // choc-kale's baselines, as the dashboard draws them: grey, named at their right end.
    for name in ["random", "least-sweet", "oracle-optimal"] {
        assert!(svg.contains(name), "{name}");
    }
    assert!(svg.contains("#707070"), "the reference grey");
    // linucb serves the sweetest item: the two levels share a line and a label.
    assert!(svg.contains("sweetest"));
    let again = dir.path().join("g.svg");
    assert!(plot(&r, &again, &["--agents", "linucb"]).status.success());
    assert_eq!(
        svg,
        std::fs::read_to_string(&again).unwrap(),
        "deterministic"
    );
    assert!(plot(&r, &again, &["--no-references"]).status.success());
    let bare = std::fs::read_to_string(&again).unwrap();
    assert!(!bare.contains("oracle-optimal") && !bare.contains("#707070"));
}

#[test]
fn bad_input_exits_2_and_leaves_no_image() {
    let dir = tempfile::tempdir().unwrap();
    let r = report(dir.path());
    let text = std::fs::read_to_string(&r).unwrap();
    let truncated = dir.path().join("cut.json");
    std::fs::write(&truncated, &text[..text.len() / 2]).unwrap();
    let not_a_report = dir.path().join("scenario.json");
    std::fs::write(&not_a_report, "{\"name\": \"x\",\n \"episodes\": 3}").unwrap();
    // An older figure stays as it was: the new one is written atomically or not at all.
    let figure = dir.path().join("f.png");
    std::fs::write(&figure, b"old").unwrap();
    let before = files(dir.path());

    let cases: [(&Path, &Path, &[&str], &str); 7] = [
        (&r, &figure, &["--kind", "bars"], "--eval-episodes"),
        (
            &r,
            &figure,
            &["--kind", "segments"],
            "needs a mixed population",
        ),
        (&truncated, &figure, &[], "cut.json:"),
        (&not_a_report, &figure, &[], "scenario.json:2:"),
        (&r, &figure, &["--agents", "dqn"], "no agent `dqn`"),
        (&r, &dir.path().join("f.gif"), &[], ".svg or .png"),
        (dir.path(), &figure, &[], "cut.json"),
    ];
    for (input, output, extra, message) in cases {
        let out = plot(input, output, extra);
        assert_eq!(out.status.code(), Some(2), "{message}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(message),
            "{message}: {}",
            stderr(&out)
        );
        assert_eq!(files(dir.path()), before, "nothing written for {message}");
        assert_eq!(std::fs::read(&figure).unwrap(), b"old");
    }
    let out = plot(&r, &figure, &["--size", "10x10"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Two seeds' reports of `scenario` (evaluated) in `dir`.
fn seed_reports(dir: &Path, scenario: &str) {
    for seed in ["1", "2"] {
        let path = dir.join(format!("{scenario}-{seed}.json"));
        let out = slatelab(&[
            "run",
            "-s",
            scenario,
            "-a",
            "random,linucb",
            "--episodes",
            "60",
            "--eval-episodes",
            "20",
            "--seed",
            seed,
            "-q",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

#[test]
fn a_folder_or_a_merged_table_draws_seed_means_with_across_seed_bands() {
    let dir = tempfile::tempdir().unwrap();
    let cells = dir.path().join("cells");
    std::fs::create_dir(&cells).unwrap();
    seed_reports(&cells, "choc-kale");
    let from_dir = dir.path().join("dir.svg");
    let out = plot(&cells, &from_dir, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&from_dir).unwrap();
    assert!(
        svg.contains("seeds 1–2") && svg.contains("across-seed"),
        "title"
    );
    assert!(svg.contains("linucb") && svg.contains("random"));
    assert!(
        !svg.contains("oracle-optimal"),
        "no reference lines for pooled seeds"
    );
    // `slatelab merge`'s JSON draws the same figure as the folder it was made of.
    let merged = dir.path().join("merged.json");
    let out = slatelab(&[
        "merge",
        cells.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let from_table = dir.path().join("table.svg");
    assert!(plot(&merged, &from_table, &[]).status.success());
    assert_eq!(svg, std::fs::read_to_string(&from_table).unwrap());
    // Bars: evaluation means across seeds with their intervals.
    let bars = dir.path().join("bars.svg");
    let out = plot(&merged, &bars, &["--kind", "bars"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&bars)
            .unwrap()
            .contains("(evaluation)")
    );
    // Merged curves hold returns only.
    let out = plot(&merged, &bars, &["--metric", "ctr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`ctr`"), "{}", stderr(&out));
}

#[test]
fn a_merged_table_of_several_scenarios_needs_one_picked() {
    let dir = tempfile::tempdir().unwrap();
    seed_reports(dir.path(), "choc-kale");
    seed_reports(dir.path(), "mixed-population");
    let figure = dir.path().join("f.svg");
    let out = plot(dir.path(), &figure, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("2 scenarios (choc-kale, mixed-population): pick one with --scenario"),
        "{}",
        stderr(&out)
    );
    assert!(!figure.exists());
    let out = plot(dir.path(), &figure, &["--scenario", "mixed-population"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(&figure)
            .unwrap()
            .contains("mixed-population, seeds 1–2")
    );
    let out = plot(dir.path(), &figure, &["--scenario", "nope"]);
    assert!(
        stderr(&out).contains("no scenario `nope`"),
        "{}",
        stderr(&out)
    );
}
