//! `slatelab merge DIR...`: cell reports (of `slatelab sweep` or `slatelab run`) pooled into
//! one table per (scenario, agent spec, budget), with across-seed intervals.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::CliError;
use crate::headless;
use crate::report::merge::{self, inputs, render};
use crate::report::output_file;

/// Options of `slatelab merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Folders of reports (every `*.json` but `manifest*.json`) or report files.
    #[arg(required = true, value_name = "DIR|REPORT.json")]
    pub inputs: Vec<PathBuf>,
    /// Write the table to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = MergeFormat::Json)]
    pub format: MergeFormat,
    /// The agent paired differences are taken against: a name (`random`, when one agent of
    /// that kind is in the cells) or a RON spec.
    #[arg(long, value_name = "AGENT", default_value = "random")]
    pub against: String,
    /// Also write the averaged learning curves to FILE (atomically) as long-form CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub curves: Option<PathBuf>,
    /// Also write every seed's learning curves to FILE (atomically) in the long form of
    /// `slatelab run --curves`, with each agent's spec: one row per (scenario, seed, agent,
    /// block, metric).
    #[arg(long, value_name = "FILE.csv")]
    pub seed_curves: Option<PathBuf>,
}

/// What `slatelab merge` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// The table and the averaged learning curves as one JSON object.
    Json,
    /// The table only, one row per agent spec.
    Csv,
}

/// The merged JSON of the reports among `inputs` (folders or files), as `slatelab merge`
/// writes it: `slatelab plot DIR` draws a folder of reports through this.
pub(super) fn merged_json(inputs: &[PathBuf], against: &str) -> Result<Vec<u8>, CliError> {
    let inputs = inputs::read_all(inputs).map_err(CliError::Input)?;
    let merged = merge::merge(&inputs, against).map_err(CliError::Input)?;
    Ok(render::json(&merged)?)
}

/// Reads the reports, merges them and writes the table.
pub fn merge(args: MergeArgs) -> Result<ExitCode, CliError> {
    for (option, path) in [
        ("--out", &args.out),
        ("--curves", &args.curves),
        ("--seed-curves", &args.seed_curves),
    ] {
        if let Some(path) = path {
            output_file::check_output(path)
                .map_err(|e| CliError::Input(format!("{option} {e}")))?;
        }
    }
    let inputs = inputs::read_all(&args.inputs).map_err(CliError::Input)?;
    let merged = merge::merge(&inputs, &args.against).map_err(CliError::Input)?;
    if merged.rows.iter().all(|r| r.diff_vs_against.is_none()) && merged.rows.len() > 1 {
        eprintln!(
            "note: no paired differences: no cell holds exactly one agent `{}` (see --against)",
            args.against
        );
    }
    let bytes = match args.format {
        MergeFormat::Json => render::json(&merged)?,
        MergeFormat::Csv => render::table_csv(&merged)?,
    };
    if let Some(path) = &args.curves {
        output_file::write_file(path, &render::curves_csv(&merged)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.seed_curves {
        output_file::write_file(path, &render::seed_curves_csv(&inputs)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    match &args.out {
        Some(path) => output_file::write_file(path, &bytes)
            .with_context(|| format!("writing {}", path.display()))?,
        None => headless::write_stdout(&bytes).context("writing to stdout")?,
    }
    Ok(ExitCode::SUCCESS)
}
