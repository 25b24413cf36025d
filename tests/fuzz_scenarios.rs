//! A fuzz harness of our own: scenario files and `--agents` lists mutated the ways a hostile or
//! careless user would (extreme numbers, deleted and repeated lines, stray bytes), driven by
//! proptest so a failure shrinks to a small mutation and is replayed from its seed.
//!
//! What must hold for every input: loading never panics; a scenario that loads runs 5 episodes
//! of each of its agents without a runtime error, within a bounded number of steps and a
//! watchdog's time. CI runs a modest number of cases; the campaign recorded in
//! docs/robustness.md runs the ignored test with `FUZZ_CASES` set.

use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use slatelab::engine::{self, Budget, Command, RunPlan, lanes_for};
use slatelab::metrics::curve::CurveBlocks;
use slatelab::report::RunTally;
use slatelab::scenario;

/// The scenario texts mutations start from: every built-in and every valid fixture.
fn seeds() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut texts = Vec::new();
    for dir in ["scenarios", "tests/scenarios/valid"] {
        let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
            .expect("fixture folder")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("readable fixture");
            texts.push((path.display().to_string(), text));
        }
    }
    texts
}

/// Numbers a careless or hostile user writes: limits, zeros, signs, denormals, huge counts.
const EXTREMES: &[&str] = &[
    "0",
    "-1",
    "1",
    "0.0",
    "-0.0",
    "1e308",
    "-1e308",
    "5e-324",
    "1e-320",
    "4294967295",
    "18446744073709551615",
    "1000001",
    "65536",
    "10000",
    "0.5",
    "2.0",
    "-3.5",
    "100",
];

/// Text dropped in at random places.
const FRAGMENTS: &[&str] = &[
    ",", "(", ")", "[", "]", ":", "\"", "true", "false", "None", "Some(", "//", "\u{0}", "é", "x",
];

/// One edit of a scenario text; positions are reduced modulo what they index.
#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the n-th number with an extreme value.
    Number(usize, usize),
    /// Delete the n-th line.
    DeleteLine(usize),
    /// Repeat the n-th line.
    RepeatLine(usize),
    /// Insert a fragment at a byte position.
    Insert(usize, usize),
    /// Flip the n-th boolean.
    FlipBool(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), 0..EXTREMES.len()).prop_map(|(n, v)| Mutation::Number(n, v)),
        1 => any::<usize>().prop_map(Mutation::DeleteLine),
        1 => any::<usize>().prop_map(Mutation::RepeatLine),
        1 => (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(at, f)| Mutation::Insert(at, f)),
        1 => any::<usize>().prop_map(Mutation::FlipBool),
    ]
}

/// Byte ranges of the number literals in `text` (digits with sign, point and exponent).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if !starts {
            i += 1;
            continue;
        }
        let start = if i > 0 && bytes[i - 1] == b'-' {
            i - 1
        } else {
            i
        };
        let mut end = i;
        while end < bytes.len()
            && (bytes[end].is_ascii_digit()
                || matches!(bytes[end], b'.' | b'e' | b'E' | b'_')
                || (matches!(bytes[end], b'-' | b'+') && matches!(bytes[end - 1], b'e' | b'E')))
        {
            end += 1;
        }
        spans.push((start, end));
        i = end;
    }
    spans
}

fn apply(text: &str, mutation: &Mutation) -> String {
    match *mutation {
        Mutation::Number(n, v) => {
            let spans = numbers(text);
            if spans.is_empty() {
                return text.to_owned();
            }
            let (start, end) = spans[n % spans.len()];
            format!("{}{}{}", &text[..start], EXTREMES[v], &text[end..])
        }
        Mutation::DeleteLine(n) | Mutation::RepeatLine(n) => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return text.to_owned();
            }
            let i = n % lines.len();
            if matches!(mutation, Mutation::DeleteLine(_)) {
                lines.remove(i);
            } else {
                lines.insert(i, lines[i]);
            }
            lines.join("\n")
        }
        Mutation::Insert(at, f) => {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            format!("{}{}{}", &text[..at], FRAGMENTS[f], &text[at..])
        }
        Mutation::FlipBool(n) => {
            let spots: Vec<(usize, &str)> = text
                .match_indices("true")
                .chain(text.match_indices("false"))
                .collect();
            if spots.is_empty() {
                return text.to_owned();
            }
            let (at, word) = spots[n % spots.len()];
            let flipped = if word == "true" { "false" } else { "true" };
            format!("{}{}{}", &text[..at], flipped, &text[at + word.len()..])
        }
    }
}

/// A runner of `cases` cases: the same cases on every CI run, fresh ones in a campaign.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        // A hang costs the watchdog's time per try: shrink a little, not for hours.
        max_shrink_iters: 16,
        ..Config::default()
    };
    if std::env::var_os("FUZZ_CASES").is_some() {
        TestRunner::new(config)
    } else {
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    }
}

/// How long a 5-episode run may take before the watchdog calls it a hang.
const WATCHDOG: Duration = Duration::from_secs(20);

/// Runs 5 episodes of each of the scenario's agents; `Ok(false)` when it does not load,
/// `Err` says what went wrong.
fn five_episodes(text: &str) -> Result<bool, String> {
    let Ok(scenario) = scenario::from_str(text, "fuzz.ron") else {
        return Ok(false);
    };
    let mut plan = RunPlan::new(
        scenario.env.clone(),
        scenario.seed,
        lanes_for(&scenario.agents),
        Budget::Episodes(5),
    );
    plan.threads = 1;
    let handle =
        engine::spawn(plan).map_err(|e| format!("a validated scenario did not start: {e}"))?;
    let stop = handle.command_sender();
    let (done, finished) = crossbeam_channel::bounded::<()>(1);
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(WATCHDOG).is_err() {
            let _ = stop.send(Command::Stop);
            return true;
        }
        false
    });
    let tally = RunTally::collect(handle.events(), CurveBlocks::Adaptive(1), |_| {});
    handle.join();
    let _ = done.send(());
    if watchdog.join().expect("watchdog thread") {
        return Err(format!("5 episodes did not finish within {WATCHDOG:?}"));
    }
    for lane in &tally.lanes {
        if let Some(error) = &lane.error {
            let label = lane.spec.as_ref().map_or("?", |s| s.label.as_str());
            return Err(format!("lane {label} failed: {error}"));
        }
        if lane.train.episodes() != 5 {
            return Err(format!(
                "a lane ran {} episodes, not 5",
                lane.train.episodes()
            ));
        }
    }
    Ok(true)
}

/// Mutated scenario texts: loading never panics (a panic fails the case).
fn check_loading(cases: u32) {
    let seeds = seeds();
    let strategy = (0..seeds.len(), prop::collection::vec(mutation(), 1..4));
    let mut runner = runner(cases);
    runner
        .run(&strategy, |(seed, mutations)| {
            let text = mutations
                .iter()
                .fold(seeds[seed].1.clone(), |t, m| apply(&t, m));
            let _ = scenario::from_str(&text, "fuzz.ron");
            Ok(())
        })
        .unwrap();
}

/// Mutated scenario texts that load must run: 5 episodes, no runtime error, no hang.
/// Returns how many of the cases loaded and ran.
fn check_running(cases: u32) -> u32 {
    let ran = std::sync::atomic::AtomicU32::new(0);
    let seeds = seeds();
    // Number mutations: they keep the file parseable, so most cases reach the engine.
    let numbers = prop::collection::vec(
        (any::<usize>(), 0..EXTREMES.len()).prop_map(|(n, v)| Mutation::Number(n, v)),
        1..3,
    );
    let mut runner = runner(cases);
    runner
        .run(&(0..seeds.len(), numbers), |(seed, mutations)| {
            let text = mutations
                .iter()
                .fold(seeds[seed].1.clone(), |t, m| apply(&t, m));
            let loaded = five_episodes(&text).map_err(|e| {
                TestCaseError::fail(format!("{e}\nfrom {}:\n{text}", seeds[seed].0))
            })?;
            ran.fetch_add(u32::from(loaded), std::sync::atomic::Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
    ran.into_inner()
}

/// Mutated `--agents` lists: parsing never panics, and a long bad list gets a short message.
fn check_agent_lists(cases: u32) {
    let scenario = scenario::load("choc-kale").expect("built-in");
    let base = "random,LinUcb(alpha: 0.5, lambda: 1.0),EpsilonGreedy(epsilon: Linear(start: 1.0, end: 0.05, steps: 1000)),SlateQ(gamma: 0.9, network: (hidden: [32, 16]))";
    let mut runner = runner(cases);
    runner
        .run(&prop::collection::vec(mutation(), 1..4), |mutations| {
            let list = mutations.iter().fold(base.to_owned(), |t, m| apply(&t, m));
            let _ = scenario::parse_agent_list(&list, &scenario);
            Ok(())
        })
        .unwrap();
}

#[test]
fn mutated_scenarios_never_panic_on_load() {
    check_loading(400);
}

#[test]
fn mutated_agent_lists_never_panic() {
    check_agent_lists(200);
}

#[test]
fn mutated_scenarios_that_load_run_five_episodes() {
    let ran = check_running(60);
    // Most number mutations keep a file valid: the engine must really be exercised.
    assert!(ran >= 20, "only {ran} of 60 mutated scenarios loaded");
}

#[test]
fn mutations_change_what_they_say() {
    let text = "A(x: 12, y: -3.5e2, on: true)\nB(z: 4)";
    assert_eq!(numbers(text).len(), 3);
    assert_eq!(
        apply(text, &Mutation::Number(1, 5)),
        "A(x: 12, y: 1e308, on: true)\nB(z: 4)"
    );
    assert_eq!(
        apply(text, &Mutation::FlipBool(0)),
        "A(x: 12, y: -3.5e2, on: false)\nB(z: 4)"
    );
    assert_eq!(
        apply(text, &Mutation::DeleteLine(1)),
        "A(x: 12, y: -3.5e2, on: true)"
    );
    assert_eq!(apply(text, &Mutation::Insert(0, 1)), format!("({text}"));
}

/// The campaign behind docs/robustness.md: `FUZZ_CASES=20000 cargo test --release --test
/// fuzz_scenarios -- --ignored --nocapture` (runs get a tenth of the cases).
#[test]
#[ignore = "a long campaign; set FUZZ_CASES"]
fn campaign() {
    let cases: u32 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let started = std::time::Instant::now();
    check_loading(cases);
    check_agent_lists(cases / 2);
    let ran = check_running(cases / 10);
    println!(
        "campaign: {cases} mutated scenarios loaded, {} agent lists parsed, {ran} of {} \
         mutated scenarios valid and run for 5 episodes, in {:.0} s",
        cases / 2,
        cases / 10,
        started.elapsed().as_secs_f64()
    );
}
