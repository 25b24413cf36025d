//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Run again what a JSON report describes (its embedded scenario, agents and settings).
    Rerun(super::rerun_cmd::RerunArgs),
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
