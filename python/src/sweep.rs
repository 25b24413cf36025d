//! `_native.sweep` and `_native.merge`: `slatelab sweep FILE --out DIR` and `slatelab merge
//! DIR...`, through the crate's own sweep runner and merge, returning their JSON text.

use std::path::PathBuf;
use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use slatelab::engine::MAX_THREADS;
use slatelab::headless::sweep::{self as runner, CellStatus, Stopper, SweepOptions};
use slatelab::report::merge::{self as merging, inputs, render};
use slatelab::report::output_file;
use slatelab::scenario::sweep::{self as sweep_file, Cell, Sweep};

use crate::errors::scenario_error;

/// How often the waiting thread looks for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(20);

/// Runs the cells of the sweep file `path` (those of `shard` `"I/N"`, if given) into `out`,
/// as `slatelab sweep` does: same reports, same manifest, finished cells skipped. Returns the
/// manifest's JSON text. The GIL is released while the cells run; Ctrl-C stops the running
/// cells (finished ones stay) and raises `KeyboardInterrupt` once the manifest is written.
#[pyfunction]
#[pyo3(signature = (path, out, threads=1, shard=None))]
pub fn sweep(
    py: Python<'_>,
    path: PathBuf,
    out: PathBuf,
    threads: usize,
    shard: Option<&str>,
) -> PyResult<String> {
    let sweep = sweep_file::load(&path).map_err(|e| scenario_error(&e))?;
    if threads == 0 {
        return Err(PyValueError::new_err("threads must be at least 1"));
    }
    let shard = shard
        .map(runner::parse_shard)
        .transpose()
        .map_err(|e| PyValueError::new_err(format!("shard {e}")))?;
    output_file::check_folder(&out).map_err(|e| PyValueError::new_err(format!("out {e}")))?;
    let options = SweepOptions {
        out,
        threads: threads.min(MAX_THREADS),
        progress: false,
        shard,
    };
    let planned = runner::plan(sweep.cells(), shard, &[]);
    let statuses = run_interruptibly(py, &sweep, planned, &options)?;
    let failed: Vec<String> = statuses
        .iter()
        .filter_map(|(cell, status)| match status {
            CellStatus::Failed(why) => Some(format!("cell {}: {why}", cell.name)),
            _ => None,
        })
        .collect();
    if !failed.is_empty() {
        return Err(PyRuntimeError::new_err(failed.join("\n")));
    }
    let bytes = runner::manifest::render(&sweep, &statuses, options.shard)
        .map_err(|e| PyRuntimeError::new_err(format!("cannot render the manifest: {e:#}")))?;
    String::from_utf8(bytes).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Runs the sweep on a worker thread while this one, without the GIL but for a moment every
/// [`SIGNAL_POLL`], waits and looks for Ctrl-C, which stops every running cell.
fn run_interruptibly(
    py: Python<'_>,
    sweep: &Sweep,
    planned: Vec<(Cell, Option<CellStatus>)>,
    options: &SweepOptions,
) -> PyResult<Vec<(Cell, CellStatus)>> {
    let stopper = Stopper::default();
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| runner::run_stoppable(sweep, planned, options, &stopper));
        let mut interrupted = None;
        while !worker.is_finished() {
            py.detach(|| std::thread::sleep(SIGNAL_POLL));
            if interrupted.is_none()
                && let Err(e) = py.check_signals()
            {
                stopper.stop();
                interrupted = Some(e);
            }
        }
        // The cells stop within a slice of work and the manifest is written; wait for both.
        let result = py.detach(|| worker.join());
        if let Some(e) = interrupted {
            return Err(e);
        }
        match result {
            Ok(Ok(statuses)) => Ok(statuses),
            Ok(Err(e)) => Err(PyRuntimeError::new_err(format!("{e:#}"))),
            Err(_) => Err(PyRuntimeError::new_err(
                "the sweep failed unexpectedly (a panic)",
            )),
        }
    })
}

/// Merges the reports in `inputs` (folders or report files) as `slatelab merge` does and
/// returns its JSON text; paired differences are taken against `against`.
#[pyfunction]
#[pyo3(signature = (inputs, against="random"))]
pub fn merge(py: Python<'_>, inputs: Vec<PathBuf>, against: &str) -> PyResult<String> {
    let bytes = py.detach(|| -> Result<Vec<u8>, String> {
        let reports = inputs::read_all(&inputs)?;
        let merged = merging::merge(&reports, against)?;
        render::json(&merged).map_err(|e| format!("{e:#}"))
    });
    let bytes = bytes.map_err(PyValueError::new_err)?;
    String::from_utf8(bytes).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}
