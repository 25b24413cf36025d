//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::figure::{Kind, MetricChoice, XAxis};
use crate::report::{Format, Pairs};

/// slatelab: reinforcement learning for recommender systems, in the terminal.
#[derive(Debug, Parser)]
#[command(name = "slatelab", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Commands>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Commands {
    /// Open the dashboard (the default on a terminal): agents side by side, live.
    Tui(TuiArgs),
    /// Run agents headless and write results as JSON or CSV.
    Run(RunArgs),
    /// Draw a run's learning curves (`slatelab run --out r.json`) as SVG or PNG.
    Plot(PlotArgs),
    /// Run again what a JSON report describes (its embedded scenario, agents and settings).
    Rerun(super::rerun_cmd::RerunArgs),
    /// Run every cell of a sweep file (scenarios × agents × seeds), one report per cell.
    Sweep(super::sweep_cmd::SweepArgs),
    /// Pool cell reports into one table per scenario, agent and budget, with seed intervals.
    Merge(super::merge_cmd::MergeArgs),
    /// Compare a trained SlateQ's item values with the optimal ones (Long-Term Satisfaction).
    Qcheck(super::qcheck_cmd::QCheckArgs),
    /// Check scenario files; exit status 2 if any is invalid.
    Validate(ValidateArgs),
    /// List the built-in scenarios.
    Scenarios,
    /// List the agents and their parameters with defaults.
    Agents,
    /// Print a shell completion script (e.g. `slatelab completions bash`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff; e.g. `slatelab man | man -l -`).
    Man,
}

/// Options of `slatelab run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A built-in scenario name (see `slatelab scenarios`) or a path to a .ron file.
    #[arg(long, short = 's', value_name = "NAME|PATH")]
    pub scenario: String,
    /// Agents to run, overriding the scenario's: names (`random,linucb`) or RON entries
    /// (`LinUcb(alpha: 0.5)`).
    #[arg(long, short = 'a', value_name = "a,b,...")]
    pub agents: Option<String>,
    /// Training episodes per agent (default: the scenario's `episodes`).
    #[arg(long, short = 'e', conflicts_with = "steps")]
    pub episodes: Option<u64>,
    /// Train each agent for at least N environment steps, ending at the next episode end.
    #[arg(long, value_name = "N")]
    pub steps: Option<u64>,
    /// After training, evaluate each agent's greedy policy on N episodes of separate users.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub eval_episodes: u64,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: the number of cores). Results do not depend on it.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write the results to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Episodes per learning-curve point (default: about 100 points over --episodes; with
    /// --steps, a power of two giving 100 to 200 points).
    #[arg(long, value_name = "N")]
    pub curve_block: Option<u64>,
    /// Also write the learning curves to FILE (atomically) as long-form CSV: one row per
    /// agent, block and figure.
    #[arg(long, value_name = "FILE.csv")]
    pub curves: Option<PathBuf>,
    /// Write each learning agent's checkpoint to DIR after the run.
    #[arg(long, value_name = "DIR")]
    pub save_agents: Option<PathBuf>,
    /// Start each learning agent from its checkpoint in DIR.
    #[arg(long, value_name = "DIR")]
    pub load_agents: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Paired comparisons in the report: each agent against the first (`baseline`), or every
    /// two agents (`all`: n(n − 1)/2 entries).
    #[arg(long, value_enum, default_value_t = Pairs::Baseline)]
    pub paired: Pairs,
}

/// Options of `slatelab plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A report written by `slatelab run`, a table written by `slatelab merge` (JSON), or a
    /// folder of reports (merged as `slatelab merge` would: seed means with across-seed bands).
    #[arg(value_name = "REPORT.json|MERGED.json|DIR")]
    pub report: PathBuf,
    /// The scenario to draw from a merged sweep of several.
    #[arg(long, value_name = "NAME")]
    pub scenario: Option<String>,
    /// The figure to write (atomically); its extension picks SVG or PNG.
    #[arg(long, short = 'o', value_name = "FIGURE.svg|FIGURE.png")]
    pub out: PathBuf,
    /// Learning curves, or bars of the greedy evaluation means (`--eval-episodes`) with 95 %
    /// whiskers on the return.
    #[arg(long, value_enum, default_value_t = Kind::Curves)]
    pub kind: Kind,
    /// Which curve: one panel, or `all` for the dashboard's four as a 2×2 panel.
    #[arg(long, short = 'm', value_enum, default_value_t = MetricChoice::Return)]
    pub metric: MetricChoice,
    /// The x axis: training episodes or environment steps.
    #[arg(long, short = 'x', value_enum, default_value_t = XAxis::Episodes)]
    pub x: XAxis,
    /// Agents to draw, by name as in the report (default: all).
    #[arg(long, short = 'a', value_name = "a,b,...", value_delimiter = ',')]
    pub agents: Vec<String>,
    /// The figure's title (default: the scenario's name and the seed).
    #[arg(long)]
    pub title: Option<String>,
    /// Width and height in pixels (default: 960x600, or 1280x800 with `--metric all`).
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,
    /// Leave out the scenario's reference lines (its baselines, which are otherwise run for
    /// 1,000 episodes on the report's seed and drawn dashed, as in the dashboard).
    #[arg(long)]
    pub no_references: bool,
}

/// Figure sides outside this range (pixels) are refused: too small to read or too big to draw.
const FIGURE_SIDES: std::ops::RangeInclusive<u32> = 200..=8000;

/// Parses `WxH` (e.g. `1200x800`).
fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`{text}` is not WxH with sides from 200 to 8000 pixels (e.g. 1200x800)");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    if FIGURE_SIDES.contains(&w) && FIGURE_SIDES.contains(&h) {
        Ok((w, h))
    } else {
        Err(bad())
    }
}

/// Options of `slatelab validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files (or built-in names) to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
}

/// Options of `slatelab completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Options of `slatelab tui`.
#[derive(Debug, Args)]
pub struct TuiArgs {
    /// A built-in scenario name (see `slatelab scenarios`) or a path to a .ron file
    /// (default: choc-kale).
    #[arg(long, short = 's', value_name = "NAME|PATH")]
    pub scenario: Option<String>,
    /// Agents to run: names (`random,linucb`) or RON entries (`LinUcb(alpha: 0.5)`). Default:
    /// the scenario's agents if one of them learns, else random, linucb and slateq.
    #[arg(long, short = 'a', value_name = "a,b,...")]
    pub agents: Option<String>,
    /// Seed (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run N seeds per agent (S, S+1, ...) and chart their mean with a min–max band.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seeds: u32,
    /// Worker threads (default: the number of cores).
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
}

impl Default for TuiArgs {
    /// What plain `slatelab` opens: the default scenario and agents, one seed.
    fn default() -> Self {
        Self {
            scenario: None,
            agents: None,
            seed: None,
            seeds: 1,
            threads: None,
        }
    }
}
