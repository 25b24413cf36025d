//! Headless runs: the engine driven from scripts and CI, writing JSON or CSV.
//!
//! Data goes to stdout (or atomically to `--out`); a progress bar goes to stderr only
//! when stderr is a terminal. Ctrl-C stops the run and still writes the finished
//! episodes, marked `partial: true`. Results are folded as they arrive
//! ([`crate::report::tally`]), so a run of any length fits in memory and its report is ready
//! the moment it stops.

pub mod checkpoint;
pub mod progress;
pub mod q_check;
pub mod signals;
pub mod sweep;

use std::path::PathBuf;

use anyhow::Context;

use crate::engine::{self, Budget, Command, LaneSpec, RunPlan};
use crate::report::{Format, Pairs, Report, Requested, RunTally, output, output_file};
use crate::scenario::Scenario;

/// What `slatelab run` was asked to do.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Lanes to run.
    pub lanes: Vec<LaneSpec>,
    /// Seed.
    pub seed: u64,
    /// Training budget.
    pub budget: Budget,
    /// Greedy evaluation episodes after training.
    pub eval_episodes: u64,
    /// Worker threads.
    pub threads: usize,
    /// Output format.
    pub format: Format,
    /// Output file (stdout when `None`).
    pub out: Option<PathBuf>,
    /// Where to write the learning curves as long-form CSV, if anywhere.
    pub curves: Option<PathBuf>,
    /// Episodes per learning-curve point (`None`: about 100 points).
    pub curve_block: Option<u64>,
    /// Folder to write each learning lane's checkpoint to.
    pub save_agents: Option<PathBuf>,
    /// Show a progress bar (when stderr is a terminal).
    pub progress: bool,
    /// Which agents the report compares: each with the first, or every two.
    pub paired: Pairs,
}

/// Turns SIGINT and SIGTERM into a [`Command::Stop`] of the engine (see [`signals`]).
fn stop_on_signals(
    stop: crossbeam_channel::Sender<Command>,
) -> anyhow::Result<signal_hook::iterator::Handle> {
    signals::on_signals(move || {
        let _ = stop.send(Command::Stop);
    })
}

/// Runs the engine to the end of the budget (or until stopped) and builds the report,
/// writing nothing: `slatelab run` and each cell of `slatelab sweep` go through here.
/// `on_start` receives the engine's command channel (to stop it); `on_update` sees the
/// results folded so far after each event.
pub fn execute(
    scenario: &Scenario,
    options: &RunOptions,
    on_start: impl FnOnce(crossbeam_channel::Sender<Command>) -> anyhow::Result<()>,
    on_update: impl FnMut(&RunTally),
) -> anyhow::Result<(Report, RunTally)> {
    let mut plan = RunPlan::new(
        scenario.env.clone(),
        options.seed,
        options.lanes.clone(),
        options.budget,
    );
    plan.threads = options.threads;
    plan.eval_episodes = options.eval_episodes;
    plan.save_states = options.save_agents.is_some();
    let requested = Requested {
        episodes: match options.budget {
            Budget::Episodes(n) => Some(n),
            _ => None,
        },
        steps: match options.budget {
            Budget::Steps(n) => Some(n),
            _ => None,
        },
        eval_episodes: options.eval_episodes,
        curve_block: options.curve_block,
    };
    plan.learner_readouts = Some(requested.curve_blocks());
    let started = std::time::Instant::now();
    let handle = engine::spawn(plan)?;
    on_start(handle.command_sender())?;
    // Folded as the events arrive: memory does not grow with the episodes run.
    let results = RunTally::new(requested.curve_blocks())
        .with_pairs(options.paired)
        .with_shifts(scenario.env.shifts())
        .fold(handle.events(), on_update);
    handle.join();
    let wall_seconds = started.elapsed().as_secs_f64();
    let report = Report::new(scenario, options.seed, requested, &results, wall_seconds);
    Ok((report, results))
}

/// Runs the scenario to completion (or Ctrl-C) and writes the report.
pub fn run(scenario: &Scenario, options: RunOptions) -> anyhow::Result<Report> {
    let mut signals = None;
    let mut bar = progress::Progress::new(options.progress, &options.lanes, options.budget);
    let (report, results) = execute(
        scenario,
        &options,
        |stop| {
            signals = Some(stop_on_signals(stop)?);
            Ok(())
        },
        |r| bar.update(r),
    )?;
    bar.finish();
    if let Some(signals) = signals {
        signals.close();
    }
    let bytes = output::render(&report, options.format)?;
    if let Some(path) = &options.curves {
        output_file::write_file(path, &output::curves_csv(&report)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &options.out {
        output_file::write_file(path, &bytes)
            .with_context(|| format!("writing {}", path.display()))?;
    } else {
        write_stdout(&bytes)?;
    }
    // On stderr even with -q: the report holds the same lines, but nobody reads it unprompted.
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if let Some(dir) = &options.save_agents {
        checkpoint::save_all(dir, scenario, &results)?;
        if results.stopped {
            eprintln!(
                "note: the checkpoints in {} hold the agents' state when the run was interrupted",
                dir.display()
            );
        }
    }
    Ok(report)
}

/// Runs the scenario until every lane meets its budget or a [`Command::Stop`] arrives, with
/// the progress bar `options` asks for, and returns the report and the folded results,
/// writing nothing: the Python package's entry point ([`execute`] without an update hook).
pub fn collect(
    scenario: &Scenario,
    options: &RunOptions,
    on_start: impl FnOnce(crossbeam_channel::Sender<Command>) -> anyhow::Result<()>,
) -> anyhow::Result<(Report, RunTally)> {
    let mut bar = progress::Progress::new(options.progress, &options.lanes, options.budget);
    let collected = execute(scenario, options, on_start, |r| bar.update(r));
    bar.finish();
    collected
}

/// Writes the report to stdout. A closed stdout (`slatelab run | head -1`) ends the process
/// by SIGPIPE, as other Unix tools end: the default action is restored only now, so nothing
/// else in the run (the signal thread's own pipe) can be killed by it.
pub fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            sigpipe::reset();
            // The write fails again, and this time the kernel's SIGPIPE ends the process.
            stdout.write_all(bytes)?;
            stdout.flush()
        }
        other => other,
    }
}
