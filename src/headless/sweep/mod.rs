//! `slatelab sweep`: the cells of a sweep run in parallel, each through the same path as
//! `slatelab run` ([`super::execute`]), each writing the `run` JSON report atomically.
//!
//! Threads: up to `threads` cells run at once, and when fewer cells than threads remain to
//! run, each cell's engine gets the spare threads (`threads / cells`). An agent's numbers do
//! not depend on the threads or on its company, so the reports are the same either way.
//! Resuming: a cell whose report exists, is complete and carries the cell's identity is not
//! run again. Ctrl-C stops the running cells, which write nothing, and starts no more.

pub mod manifest;
mod progress;
mod stop;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;

pub use manifest::CellStatus;
pub use stop::Stopper;

use crate::engine::{Budget, lanes_for};
use crate::report::stored::StoredReport;
use crate::report::{Format, Pairs, output, output_file};
use crate::scenario::sweep::{Cell, CellBudget, Sweep};

/// How to run a sweep's cells.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    /// The folder for the reports and the manifest.
    pub out: PathBuf,
    /// Threads in all.
    pub threads: usize,
    /// Show a progress bar (when stderr is a terminal).
    pub progress: bool,
    /// This invocation's shard `(I, N)`, for the manifest's name.
    pub shard: Option<(u32, u32)>,
}

/// The most shards a sweep may be cut into.
pub const MAX_SHARDS: u32 = 1_000_000;

/// Parses a shard `I/N` with 1 ≤ I ≤ N ≤ [`MAX_SHARDS`].
pub fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`{text}` is not I/N with 1 ≤ I ≤ N ≤ {MAX_SHARDS} (e.g. 2/4)");
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if (1..=n).contains(&i) && n <= MAX_SHARDS {
        Ok((i, n))
    } else {
        Err(bad())
    }
}

/// The cells to hand to [`run`]: those of `shard` (`(I, N)`) and, when `only` names any,
/// among those named, to run (`None`); the others marked `OtherShard` or `Skipped`.
pub fn plan(
    cells: Vec<Cell>,
    shard: Option<(u32, u32)>,
    only: &[String],
) -> Vec<(Cell, Option<CellStatus>)> {
    let shards = shard.map_or(1, |(_, n)| n);
    cells
        .into_iter()
        .map(|cell| {
            let status = if shard.is_some_and(|(i, _)| cell.shard(shards) != i) {
                Some(CellStatus::OtherShard)
            } else if !only.is_empty() && !only.contains(&cell.name) {
                Some(CellStatus::Skipped)
            } else {
                None
            };
            (cell, status)
        })
        .collect()
}

/// The report path of `cell` in `out`.
pub fn report_path(out: &Path, cell: &Cell) -> PathBuf {
    out.join(format!("{}.json", cell.name))
}

/// True when `path` holds a complete report of exactly `cell`, made by this slatelab (one
/// made by another version would be refused by `merge` next to this version's reports).
pub fn finished(path: &Path, cell: &Cell) -> bool {
    path.is_file()
        && StoredReport::read(path).is_ok_and(|r| {
            r.complete()
                && r.slatelab_version == env!("CARGO_PKG_VERSION")
                && r.cell_id().as_deref() == Some(cell.id.as_str())
        })
}

/// Runs the cells marked `None` (the others keep their status), writes their reports and the
/// manifest, and returns every cell's status. SIGINT and SIGTERM stop it; a second one
/// exits with status 130.
pub fn run(
    sweep: &Sweep,
    cells: Vec<(Cell, Option<CellStatus>)>,
    options: &SweepOptions,
) -> anyhow::Result<Vec<(Cell, CellStatus)>> {
    let stopper = Arc::new(Stopper::default());
    let signals = stop::on_signals(Arc::clone(&stopper))?;
    let statuses = run_stoppable(sweep, cells, options, &stopper);
    signals.close();
    statuses
}

/// [`run`] without signal handlers: `stopper.stop()`, from another thread, stops it as
/// Ctrl-C would (for hosts with signal handling of their own, such as Python).
pub fn run_stoppable(
    sweep: &Sweep,
    cells: Vec<(Cell, Option<CellStatus>)>,
    options: &SweepOptions,
    stopper: &Stopper,
) -> anyhow::Result<Vec<(Cell, CellStatus)>> {
    std::fs::create_dir_all(&options.out)
        .with_context(|| format!("creating {}", options.out.display()))?;
    let mut statuses: Vec<(Cell, Option<CellStatus>)> = cells
        .into_iter()
        .map(|(cell, status)| {
            let status = status.or_else(|| {
                finished(&report_path(&options.out, &cell), &cell).then_some(CellStatus::Resumed)
            });
            (cell, status)
        })
        .collect();
    let todo: Vec<usize> = (0..statuses.len())
        .filter(|&i| statuses[i].1.is_none())
        .collect();
    let lanes: u64 = todo
        .iter()
        .map(|&i| statuses[i].0.agents.len() as u64)
        .sum();
    let bar = progress::SweepProgress::new(options.progress, todo.len(), lanes, sweep.budget);
    let workers = options.threads.min(todo.len()).max(1);
    let engine_threads = (options.threads / workers).max(1);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Vec<(usize, CellStatus)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut finished = Vec::new();
                    loop {
                        let at = next.fetch_add(1, Ordering::SeqCst);
                        let Some(&index) = todo.get(at) else { break };
                        let cell = &statuses[index].0;
                        let status = if stopper.stopped() {
                            CellStatus::Interrupted
                        } else {
                            run_cell(sweep, cell, engine_threads, options, stopper, &bar)
                        };
                        bar.cells_done(done.fetch_add(1, Ordering::SeqCst) + 1);
                        finished.push((index, status));
                    }
                    finished
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    bar.finish();
    for (index, status) in results {
        statuses[index].1 = Some(status);
    }
    let statuses: Vec<(Cell, CellStatus)> = statuses
        .into_iter()
        .map(|(cell, status)| (cell, status.unwrap_or(CellStatus::Interrupted)))
        .collect();
    let bytes = manifest::render(sweep, &statuses, options.shard)?;
    let path = manifest::path(&options.out, options.shard);
    output_file::write_file(&path, &bytes)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(statuses)
}

/// Runs one cell and writes its report if it finished.
fn run_cell(
    sweep: &Sweep,
    cell: &Cell,
    threads: usize,
    options: &SweepOptions,
    stopper: &Stopper,
    bar: &progress::SweepProgress,
) -> CellStatus {
    let scenario = &sweep.scenarios[cell.scenario].scenario;
    let run = super::RunOptions {
        lanes: lanes_for(&cell.agents),
        seed: cell.seed,
        budget: match cell.budget {
            CellBudget::Episodes(n) => Budget::Episodes(n),
            CellBudget::Steps(n) => Budget::Steps(n),
        },
        eval_episodes: cell.eval_episodes,
        threads: threads.min(cell.agents.len()).max(1),
        format: Format::Json,
        out: None,
        curves: None,
        curve_block: cell.curve_block,
        save_agents: None,
        progress: false,
        paired: Pairs::Baseline,
    };
    let mut engine = None;
    let mut reported = 0;
    let executed = super::execute(
        scenario,
        &run,
        |sender| {
            stopper.register(sender.clone());
            engine = Some(sender);
            Ok(())
        },
        |results| {
            let work = bar.work(results);
            bar.advance(work.saturating_sub(reported));
            reported = reported.max(work);
        },
    );
    if let Some(engine) = &engine {
        stopper.unregister(engine);
    }
    let report = match executed {
        Ok((report, _)) => report,
        Err(e) => return CellStatus::Failed(format!("{e:#}")),
    };
    if let Some(agent) = report.agents.iter().find(|a| a.error.is_some()) {
        let why = agent.error.as_deref().unwrap_or_default();
        return CellStatus::Failed(format!("lane `{}`: {why}", agent.name));
    }
    if report.partial {
        return CellStatus::Interrupted;
    }
    let path = report_path(&options.out, cell);
    match output::render(&report, Format::Json)
        .and_then(|bytes| Ok(output_file::write_file(&path, &bytes)?))
    {
        Ok(()) => CellStatus::Done,
        Err(e) => CellStatus::Failed(format!("writing {}: {e:#}", path.display())),
    }
}
