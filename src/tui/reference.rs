//! Reference lines: the scenario's baselines ([`crate::report::reference`]), run once in the
//! background, so the charts can show where random, clickbait-chasing or oracle policies land.

use std::thread::JoinHandle;

use crossbeam_channel::Sender;

use super::app::{Metric, ReferenceLine};
use crate::engine::{self, Command};
use crate::report::RunTally;
use crate::report::reference;
use crate::scenario::Scenario;

/// A measurement in progress; dropping it stops it.
pub struct ReferenceRun {
    stop: Sender<Command>,
    thread: Option<JoinHandle<()>>,
}

/// Starts measuring `scenario`'s reference agents with `seed` on one worker thread; the
/// lines arrive through `deliver` (empty when the scenario names none).
pub fn start(
    scenario: &Scenario,
    seed: u64,
    deliver: impl FnOnce(Vec<ReferenceLine>) + Send + 'static,
) -> anyhow::Result<Option<ReferenceRun>> {
    let Some(plan) = reference::plan(scenario, seed) else {
        deliver(Vec::new());
        return Ok(None);
    };
    let handle = engine::spawn(plan).map_err(|err| anyhow::anyhow!("reference {err}"))?;
    let stop = handle.command_sender();
    let thread = std::thread::Builder::new()
        .name("slatelab-reference".into())
        .spawn(move || {
            let results = RunTally::collect(handle.events(), reference::CURVE, |_| {});
            let stopped = results.stopped;
            handle.join();
            if !stopped {
                deliver(lines(&results));
            }
        })?;
    Ok(Some(ReferenceRun {
        stop,
        thread: Some(thread),
    }))
}

/// One line per reference lane that finished without error.
fn lines(results: &RunTally) -> Vec<ReferenceLine> {
    reference::figures(results)
        .into_iter()
        .map(|r| ReferenceLine {
            label: r.label,
            episodes: r.stats.episodes,
            values: Metric::ALL.map(|m| m.of_stats(&r.stats)),
        })
        .collect()
}

impl Drop for ReferenceRun {
    fn drop(&mut self) {
        let _ = self.stop.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
