//! `slatelab qcheck CHECKPOINT`: a trained SlateQ's item values against the optimal ones
//! (dynamic programming over the hidden NPE) on a Long-Term Satisfaction scenario.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::CliError;
use crate::headless::q_check::{self, QCheckOptions};
use crate::headless::write_stdout;
use crate::report::output_file;
use crate::scenario;

/// Options of `slatelab qcheck`.
#[derive(Debug, Args)]
pub struct QCheckArgs {
    /// A SlateQ checkpoint written by `slatelab run --save-agents DIR` (e.g. DIR/slateq.json).
    #[arg(value_name = "CHECKPOINT.json")]
    pub checkpoint: PathBuf,
    /// The scenario it was trained on: a built-in name or a .ron path.
    #[arg(
        long,
        short = 's',
        value_name = "NAME|PATH",
        default_value = "choc-kale"
    )]
    pub scenario: String,
    /// Greedy episodes to play (the evaluation users of `run --seed` with this seed).
    #[arg(long, short = 'e', default_value_t = 500)]
    pub episodes: u64,
    /// Seed of the evaluation users (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Width of the NPE bins.
    #[arg(long, default_value_t = 0.5, value_name = "WIDTH")]
    pub npe_bin: f64,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = QCheckFormat::Table)]
    pub format: QCheckFormat,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// How `qcheck` writes its comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QCheckFormat {
    /// A text table, one row per (steps left, NPE bin).
    Table,
    /// JSON with the same figures.
    Json,
}

/// Plays the checkpoint greedily and writes the comparison.
pub fn qcheck(args: &QCheckArgs) -> Result<ExitCode, CliError> {
    if !(args.npe_bin.is_finite() && args.npe_bin > 0.01) {
        return Err(CliError::Input(format!(
            "--npe-bin must be a number above 0.01, got {}",
            args.npe_bin
        )));
    }
    if args.episodes == 0 || args.episodes > 1_000_000 {
        return Err(CliError::Input(format!(
            "--episodes must be in 1..=1000000, got {}",
            args.episodes
        )));
    }
    let scenario = scenario::load(&args.scenario)?;
    let options = QCheckOptions {
        episodes: args.episodes,
        seed: args.seed.unwrap_or(scenario.seed),
        npe_bin: args.npe_bin,
    };
    let check = q_check::q_check(&scenario, &args.checkpoint, options)
        .map_err(|e| CliError::Input(e.to_string()))?;
    let bytes = match args.format {
        QCheckFormat::Table => q_check::render_table(&check).into_bytes(),
        QCheckFormat::Json => {
            let mut v = serde_json::to_vec_pretty(&check).context("encoding the comparison")?;
            v.push(b'\n');
            v
        }
    };
    match &args.out {
        Some(path) => output_file::write_file(path, &bytes)
            .with_context(|| format!("writing {}", path.display()))?,
        None => write_stdout(&bytes).context("writing to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}
