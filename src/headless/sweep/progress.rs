//! The sweep's progress bar on stderr: cells finished and training work done over all cells.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::RunTally;
use crate::scenario::sweep::CellBudget;

/// One bar for the whole sweep, shared by the worker threads.
pub struct SweepProgress {
    bar: Option<ProgressBar>,
    by_steps: bool,
    cells: usize,
}

impl SweepProgress {
    /// A bar when `enabled` and stderr is a terminal; `lanes` counts every lane of every
    /// cell to run.
    pub fn new(enabled: bool, cells: usize, lanes: u64, budget: CellBudget) -> Self {
        let (per_lane, by_steps) = match budget {
            CellBudget::Episodes(n) => (n, false),
            CellBudget::Steps(n) => (n, true),
        };
        let show = enabled && cells > 0 && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(per_lane.saturating_mul(lanes)),
                ProgressDrawTarget::stderr(),
            );
            let unit = if by_steps { "steps" } else { "episodes" };
            if let Ok(style) = ProgressStyle::with_template(&format!(
                "{{spinner}} [{{elapsed_precise}}] {{msg}} cells {{wide_bar}} {{human_pos}}/{{human_len}} {unit} ({{eta}} left)"
            )) {
                bar.set_style(style);
            }
            bar.set_message(format!("0/{cells}"));
            bar
        });
        Self {
            bar,
            by_steps,
            cells,
        }
    }

    /// The work a cell's results so far stand for (episodes or steps over its lanes).
    pub fn work(&self, results: &RunTally) -> u64 {
        results
            .lanes
            .iter()
            .map(|l| {
                if self.by_steps {
                    l.progress.env_steps
                } else {
                    l.train.episodes()
                }
            })
            .sum()
    }

    /// Adds work done.
    pub fn advance(&self, work: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(work);
        }
    }

    /// Shows `done` cells finished.
    pub fn cells_done(&self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{done}/{}", self.cells));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
