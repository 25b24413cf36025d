//! A progress bar on stderr, shown only when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::{Budget, LaneSpec};
use crate::report::RunTally;

/// Draws overall progress over all lanes.
pub struct Progress {
    bar: Option<ProgressBar>,
    by_steps: bool,
}

impl Progress {
    /// A bar when `enabled` and stderr is a terminal and the budget is bounded.
    pub fn new(enabled: bool, lanes: &[LaneSpec], budget: Budget) -> Self {
        let (total, by_steps) = match budget {
            Budget::Episodes(n) => (n, false),
            Budget::Steps(n) => (n, true),
            Budget::Unbounded => (0, false),
        };
        let show = enabled && total > 0 && std::io::stderr().is_terminal();
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total * lanes.len() as u64),
                ProgressDrawTarget::stderr(),
            );
            let unit = if by_steps { "steps" } else { "episodes" };
            if let Ok(style) = ProgressStyle::with_template(&format!(
                "{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{human_pos}}/{{human_len}} {unit} ({{eta}} left)"
            )) {
                bar.set_style(style);
            }
            bar
        });
        Self { bar, by_steps }
    }

    /// Updates the bar from the results so far.
    pub fn update(&mut self, results: &RunTally) {
        if let Some(bar) = &self.bar {
            let done: u64 = results
                .lanes
                .iter()
                .map(|l| {
                    if self.by_steps {
                        l.progress.env_steps
                    } else {
                        l.train.episodes()
                    }
                })
                .sum();
            bar.set_position(done);
        }
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
