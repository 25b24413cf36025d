//! `slatelab sweep SWEEP.ron --out DIR`: every cell of a sweep file, one report per cell.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::CliError;
use crate::headless::{self, sweep as runner};
use crate::report::output_file;
use crate::scenario::sweep::{self, Cell, Sweep};

/// Options of `slatelab sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The sweep file (RON; see docs/scaling.md).
    #[arg(value_name = "SWEEP.ron")]
    pub file: PathBuf,
    /// Folder for the cell reports and the manifest (created if missing). With --list, each
    /// cell's status there is shown.
    #[arg(
        long,
        short = 'o',
        value_name = "DIR",
        required_unless_present = "list"
    )]
    pub out: Option<PathBuf>,
    /// Threads in all (default: the number of cores): up to this many cells run at once.
    /// Results do not depend on it.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// Run only shard I of N (1-based): the cells whose identity falls in it, so N machines
    /// given I = 1..N run every cell exactly once.
    #[arg(long, value_name = "I/N", value_parser = runner::parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// Run only the cell with this name (as --list prints it); may be repeated.
    #[arg(long = "cell", value_name = "NAME")]
    pub cells: Vec<String>,
    /// Print the cells and their shard (of N, with --shard I/N) instead of running them.
    #[arg(long)]
    pub list: bool,
    /// The --list format: one line per cell, or a JSON array (for drivers such as Ray's).
    #[arg(long, value_enum, default_value_t = ListFormat::Text, requires = "list")]
    pub format: ListFormat,
    /// No progress bar and no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// How `slatelab sweep --list` prints the cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One line per cell: shard, name, scenario, seed, agents.
    Text,
    /// A JSON array of cells.
    Json,
}

/// A cell as `--list --format json` prints it.
#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    id: &'a str,
    shard: u32,
    shards: u32,
    scenario: &'a str,
    seed: u64,
    agents: &'a [String],
    file: String,
    /// `done` or `pending` in the --out folder (null without --out).
    status: Option<&'static str>,
}

/// Loads the sweep and lists or runs its cells.
pub fn sweep(args: SweepArgs) -> Result<ExitCode, CliError> {
    let sweep = sweep::load(&args.file)?;
    if args.threads == Some(0) {
        return Err(CliError::Input("--threads must be at least 1".into()));
    }
    let cells = sweep.cells();
    for name in &args.cells {
        if !cells.iter().any(|c| &c.name == name) {
            return Err(CliError::Input(format!(
                "--cell {name}: no such cell in {} (see --list)",
                args.file.display()
            )));
        }
    }
    if args.list {
        return list(&cells, &args);
    }
    let Some(out) = args.out.clone() else {
        return Err(CliError::Input("--out DIR is required".into()));
    };
    output_file::check_folder(&out).map_err(|e| CliError::Input(format!("--out {e}")))?;
    let planned = runner::plan(cells, args.shard, &args.cells);
    let options = runner::SweepOptions {
        out,
        threads: super::worker_threads(args.threads, usize::MAX),
        progress: !args.quiet,
        shard: args.shard,
    };
    let statuses = runner::run(&sweep, planned, &options)?;
    Ok(summarise(&sweep, &statuses, &options, args.quiet))
}

/// Prints the cells (text or JSON) to stdout.
fn list(cells: &[Cell], args: &SweepArgs) -> Result<ExitCode, CliError> {
    let shards = args.shard.map_or(1, |(_, n)| n);
    let status = |cell: &Cell| {
        args.out.as_ref().map(|out| {
            if runner::finished(&runner::report_path(out, cell), cell) {
                "done"
            } else {
                "pending"
            }
        })
    };
    let bytes = match args.format {
        ListFormat::Json => {
            let listed: Vec<Listed> = cells
                .iter()
                .map(|cell| Listed {
                    name: &cell.name,
                    id: &cell.id,
                    shard: cell.shard(shards),
                    shards,
                    scenario: &cell.scenario_name,
                    seed: cell.seed,
                    agents: &cell.specs,
                    file: format!("{}.json", cell.name),
                    status: status(cell),
                })
                .collect();
            let mut bytes = serde_json::to_vec_pretty(&listed).map_err(anyhow::Error::from)?;
            bytes.push(b'\n');
            bytes
        }
        ListFormat::Text => {
            let mut text = String::new();
            for cell in cells {
                let _ = write!(
                    text,
                    "{}/{shards}\t{}\t{}\tseed {}\t{} agents",
                    cell.shard(shards),
                    cell.name,
                    cell.scenario_name,
                    cell.seed,
                    cell.agents.len()
                );
                if let Some(status) = status(cell) {
                    let _ = write!(text, "\t{status}");
                }
                text.push('\n');
            }
            text.into_bytes()
        }
    };
    headless::write_stdout(&bytes).map_err(anyhow::Error::from)?;
    Ok(ExitCode::SUCCESS)
}

/// Says on stderr what ran; the exit status: 1 if a cell failed, 130 if interrupted, else 0.
fn summarise(
    sweep: &Sweep,
    statuses: &[(Cell, runner::CellStatus)],
    options: &runner::SweepOptions,
    quiet: bool,
) -> ExitCode {
    use runner::CellStatus as S;
    let count = |f: fn(&S) -> bool| statuses.iter().filter(|(_, s)| f(s)).count();
    for (cell, status) in statuses {
        if let S::Failed(why) = status {
            eprintln!("error: cell {}: {why}", cell.name);
        }
    }
    let (failed, interrupted) = (
        count(|s| matches!(s, S::Failed(_))),
        count(|s| *s == S::Interrupted),
    );
    if !quiet || failed > 0 || interrupted > 0 {
        eprintln!(
            "sweep `{}`: {} cells run, {} already done, {failed} failed, {interrupted} \
             interrupted, {} left to other shards or not asked for; reports in {}",
            sweep.name,
            count(|s| *s == S::Done),
            count(|s| *s == S::Resumed),
            count(|s| matches!(s, S::OtherShard | S::Skipped)),
            options.out.display()
        );
    }
    if failed > 0 {
        ExitCode::from(1)
    } else if interrupted > 0 {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    }
}
