//! `_native.run`: the engine's headless run, as `slatelab run` does it, returning the report.

use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use slatelab::engine::{Budget, Command, MAX_THREADS, lanes_for};
use slatelab::headless::{self, RunOptions};
use slatelab::report::{Format, Pairs, output};
use slatelab::scenario;

use crate::errors::scenario_error;
use crate::scenario_arg;

/// How often the waiting thread looks for Ctrl-C.
const SIGNAL_POLL: Duration = Duration::from_millis(20);

/// Runs `agents` (names or RON entries, as `--agents` takes them; the scenario's own when
/// `None`) and returns the report as the JSON text `slatelab run` writes. The GIL is released
/// while the engine works; Ctrl-C stops the run and raises `KeyboardInterrupt`.
#[pyfunction]
#[pyo3(signature = (scenario, agents=None, episodes=None, steps=None, seed=None,
    eval_episodes=0, threads=None, curve_block=None, paired_all=false, overrides_json=None))]
#[allow(clippy::too_many_arguments)]
pub fn run(
    py: Python<'_>,
    scenario: &str,
    agents: Option<Vec<String>>,
    episodes: Option<u64>,
    steps: Option<u64>,
    seed: Option<u64>,
    eval_episodes: u64,
    threads: Option<usize>,
    curve_block: Option<u64>,
    paired_all: bool,
    overrides_json: Option<&str>,
) -> PyResult<String> {
    let scenario = scenario_arg::load(scenario, overrides_json)?;
    let agents = match agents {
        Some(list) => scenario::parse_agent_list(&list.join(","), &scenario)
            .map_err(|e| scenario_error(&e))?,
        None => scenario.agents.clone(),
    };
    let budget = match (episodes, steps) {
        (Some(_), Some(_)) => {
            return Err(PyValueError::new_err("give episodes or steps, not both"));
        }
        (Some(0), _) | (_, Some(0)) => {
            return Err(PyValueError::new_err(
                "episodes and steps must be at least 1",
            ));
        }
        (None, Some(steps)) => Budget::Steps(steps),
        (Some(episodes), None) => Budget::Episodes(episodes),
        (None, None) => Budget::Episodes(scenario.episodes),
    };
    if threads == Some(0) || curve_block == Some(0) {
        return Err(PyValueError::new_err(
            "threads and curve_block must be at least 1",
        ));
    }
    let lanes = lanes_for(&agents);
    // As the CLI: a lane runs on one thread at a time, so threads beyond the lanes only wait.
    let wanted = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let options = RunOptions {
        threads: wanted.min(MAX_THREADS).min(lanes.len()).max(1),
        lanes,
        seed: seed.unwrap_or(scenario.seed),
        budget,
        eval_episodes,
        format: Format::Json,
        out: None,
        curves: None,
        curve_block,
        save_agents: None,
        progress: false,
        paired: if paired_all {
            Pairs::All
        } else {
            Pairs::Baseline
        },
    };
    let report = run_interruptibly(py, &scenario, &options)?;
    let bytes = output::render(&report, Format::Json)
        .map_err(|e| PyRuntimeError::new_err(format!("cannot render the report: {e}")))?;
    String::from_utf8(bytes).map_err(|e| PyRuntimeError::new_err(e.to_string()))
}

/// Runs on a worker thread while this one, without the GIL but for a moment every
/// [`SIGNAL_POLL`], waits and looks for Ctrl-C, which stops the engine.
fn run_interruptibly(
    py: Python<'_>,
    scenario: &scenario::Scenario,
    options: &RunOptions,
) -> PyResult<slatelab::report::Report> {
    let (stop_tx, stop_rx) = crossbeam_channel::bounded(1);
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            headless::collect(scenario, options, |stop| {
                let _ = stop_tx.send(stop);
                Ok(())
            })
        });
        let mut interrupted = None;
        while !worker.is_finished() {
            py.detach(|| std::thread::sleep(SIGNAL_POLL));
            if interrupted.is_none()
                && let Err(e) = py.check_signals()
            {
                if let Ok(stop) = stop_rx.try_recv() {
                    let _ = stop.send(Command::Stop);
                }
                interrupted = Some(e);
            }
        }
        // The engine stops within a slice of work; wait for it so no thread outlives the call.
        let result = py.detach(|| worker.join());
        if let Some(e) = interrupted {
            return Err(e);
        }
        match result {
            Ok(Ok((report, _results))) => Ok(report),
            Ok(Err(e)) => Err(PyRuntimeError::new_err(format!("{e:#}"))),
            Err(_) => Err(PyRuntimeError::new_err(
                "the run failed unexpectedly (a panic)",
            )),
        }
    })
}
