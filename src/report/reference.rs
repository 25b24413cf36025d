//! Reference figures: the scenario's baselines (random, sweetest, oracles, ...) run on their
//! own for a fixed number of episodes, so charts and figures can show where they land. The
//! dashboard runs them in the background; `slatelab plot` runs them before drawing.

use crate::engine::{self, Budget, RunPlan, lanes_for};
use crate::metrics::AgentStats;
use crate::metrics::curve::CurveBlocks;
use crate::scenario::Scenario;

use super::RunTally;

/// Episodes each baseline runs for its line.
pub const REFERENCE_EPISODES: u64 = 1_000;

/// One baseline's figures over its reference episodes.
#[derive(Clone, Debug)]
pub struct ReferenceFigures {
    /// The baseline's lane label (its agent name).
    pub label: String,
    /// Its figures.
    pub stats: AgentStats,
}

/// The plan that measures `scenario`'s reference agents on `seed`, on one thread; `None`
/// when the scenario names none.
pub fn plan(scenario: &Scenario, seed: u64) -> Option<RunPlan> {
    if scenario.reference.is_empty() {
        return None;
    }
    let mut plan = RunPlan::new(
        scenario.env.clone(),
        seed,
        lanes_for(&scenario.reference),
        Budget::Episodes(REFERENCE_EPISODES),
    );
    plan.threads = 1;
    Some(plan)
}

/// The curve blocks a reference tally uses: the lines need totals only, so one block.
pub const CURVE: CurveBlocks = CurveBlocks::Fixed(REFERENCE_EPISODES);

/// One entry per reference lane that finished without error, in the scenario's order.
pub fn figures(results: &RunTally) -> Vec<ReferenceFigures> {
    results
        .lanes
        .iter()
        .filter(|l| l.error.is_none() && l.finished)
        .filter_map(|l| {
            Some(ReferenceFigures {
                label: l.spec.as_ref()?.label.clone(),
                stats: l.train.tally.stats(),
            })
        })
        .collect()
}

/// Measures `scenario`'s reference agents on `seed`, waiting for them (milliseconds to a
/// second: 1,000 episodes each).
pub fn measure(scenario: &Scenario, seed: u64) -> anyhow::Result<Vec<ReferenceFigures>> {
    let Some(plan) = plan(scenario, seed) else {
        return Ok(Vec::new());
    };
    let handle = engine::spawn(plan).map_err(|err| anyhow::anyhow!("reference {err}"))?;
    let results = RunTally::collect(handle.events(), CURVE, |_| {});
    handle.join();
    Ok(figures(&results))
}
