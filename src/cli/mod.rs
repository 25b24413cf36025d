//! The command line: argument parsing and the subcommands.
//!
//! Exit statuses: 0 success; 1 a runtime failure; 2 bad input (scenario errors, bad
//! options, unusable checkpoints, or no terminal for the dashboard), with no output file
//! written; 130 after Ctrl-C (partial results are still written); 143 when a termination
//! signal closed the dashboard. A command other than the dashboard whose stdout is closed
//! early (`slatelab agents | head -1`) ends quietly, by SIGPIPE (141 in a shell).

mod args;
mod help_cmd;
mod info;
mod merge_cmd;
mod plot_cmd;
mod qcheck_cmd;
mod rerun_cmd;
mod run_cmd;
mod sweep_cmd;
mod tui_cmd;
mod validate_cmd;

use std::process::ExitCode;

pub use args::{Cli, Commands, TuiArgs};

/// A failure and the exit status it maps to.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: exit status 2.
    Input(String),
    /// Something else went wrong: exit status 1.
    Runtime(anyhow::Error),
}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> Self {
        Self::Runtime(e)
    }
}

impl From<crate::scenario::ScenarioError> for CliError {
    fn from(e: crate::scenario::ScenarioError) -> Self {
        Self::Input(e.to_string())
    }
}

/// The worker threads to start for `--threads` (default: the cores): at most `lanes` (a
/// lane runs on one thread at a time, so more would only wait) and at most
/// [`MAX_THREADS`](crate::engine::MAX_THREADS), which stderr mentions when it caps a request.
fn worker_threads(requested: Option<usize>, lanes: usize) -> usize {
    let max = crate::engine::MAX_THREADS;
    let wanted = requested
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, std::num::NonZero::get));
    let threads = wanted.min(max).min(lanes).max(1);
    if wanted > max {
        eprintln!("note: --threads {wanted} is more than the {max} allowed; using {threads}");
    }
    threads
}

/// Runs the parsed command line and returns the process exit status.
pub fn main(cli: Cli) -> ExitCode {
    // Rust ignores SIGPIPE, so every print to a closed pipe would fail (a panic in
    // `println!`, an error elsewhere). Like other Unix tools, the printing commands end at
    // once instead. The dashboard keeps ignoring it: it must always restore the terminal.
    // `run`, `rerun` and `sweep` keep ignoring it too: their signal thread wakes through a pipe of
    // its own, and a default SIGPIPE there killed finished runs at random; they raise it
    // only when their stdout is found closed (`headless::write_stdout`).
    if !matches!(
        cli.command,
        None | Some(Commands::Tui(_) | Commands::Run(_) | Commands::Rerun(_) | Commands::Sweep(_))
    ) {
        sigpipe::reset();
    }
    // Reports record what made them; lossy, as a report is text and bad input never panics.
    crate::report::command_line::set(
        std::env::args_os().map(|arg| arg.to_string_lossy().into_owned()),
    );
    let result = match cli.command {
        Some(Commands::Run(args)) => run_cmd::run(args),
        Some(Commands::Plot(args)) => plot_cmd::plot(&args),
        Some(Commands::Validate(args)) => validate_cmd::validate(args),
        Some(Commands::Rerun(args)) => rerun_cmd::rerun(args),
        Some(Commands::Sweep(args)) => sweep_cmd::sweep(args),
        Some(Commands::Merge(args)) => merge_cmd::merge(args),
        Some(Commands::Qcheck(args)) => qcheck_cmd::qcheck(&args),
        Some(Commands::Scenarios) => info::scenarios(),
        Some(Commands::Agents) => info::agents(),
        Some(Commands::Tui(args)) => tui_cmd::tui(args),
        Some(Commands::Completions(args)) => help_cmd::completions(args.shell),
        Some(Commands::Man) => help_cmd::man(),
        None => tui_cmd::default(),
    };
    match result {
        Ok(code) => code,
        Err(CliError::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(CliError::Runtime(err)) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
