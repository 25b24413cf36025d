//! Reference lines: the scenario's baselines, run once in a separate, bounded engine, so the
//! charts can show where random, clickbait-chasing or oracle policies land.

use std::thread::JoinHandle;

use crossbeam_channel::Sender;

use super::app::{Metric, ReferenceLine};
use crate::engine::{self, Budget, Command, RunPlan, lanes_for};
use crate::metrics::curve::CurveBlocks;
use crate::report::RunTally;
use crate::scenario::Scenario;

/// Episodes each baseline runs for its line.
pub const REFERENCE_EPISODES: u64 = 1_000;

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
    if scenario.reference.is_empty() {
        deliver(Vec::new());
        return Ok(None);
    }
    let lanes = lanes_for(&scenario.reference);
    let mut plan = RunPlan::new(
        scenario.env.clone(),
        seed,
        lanes,
        Budget::Episodes(REFERENCE_EPISODES),
    );
    plan.threads = 1;
    let handle = engine::spawn(plan).map_err(|err| anyhow::anyhow!("reference {err}"))?;
    let stop = handle.command_sender();
    let thread = std::thread::Builder::new()
        .name("slatelab-reference".into())
        .spawn(move || {
            // The lines need totals only; the curve is unused, so one block of them all.
            let curve = CurveBlocks::Fixed(REFERENCE_EPISODES);
            let results = RunTally::collect(handle.events(), curve, |_| {});
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
    results
        .lanes
        .iter()
        .filter(|l| l.error.is_none())
        .filter_map(|l| {
            let spec = l.spec.as_ref()?;
            let stats = l.train.tally.stats();
            Some(ReferenceLine {
                label: spec.label.clone(),
                episodes: stats.episodes,
                values: Metric::ALL.map(|m| m.of_stats(&stats)),
            })
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
