//! `slatelab tui`, and plain `slatelab`: the dashboard on a terminal, a hint elsewhere.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::CommandFactory;

use super::CliError;
use super::args::{Cli, TuiArgs};
use crate::scenario::{self, presets::DEFAULT_PRESET};
use crate::tui::{self, Exit, TuiOptions, lane_choice};

/// `slatelab` with no subcommand: the dashboard on a terminal; otherwise a one-line hint
/// and the `run` usage on stderr, exit status 2.
pub fn default() -> Result<ExitCode, CliError> {
    if std::io::stdout().is_terminal() {
        return tui(TuiArgs::default());
    }
    let mut cli = Cli::command();
    // Building fills in the subcommand's full name (`slatelab run`) for its usage line.
    cli.build();
    let usage = cli
        .find_subcommand_mut("run")
        .map(|run| run.render_usage().to_string())
        .unwrap_or_default();
    eprintln!(
        "slatelab: stdout is not a terminal, so no dashboard; for results, use `slatelab run`:"
    );
    eprintln!("{usage}");
    Ok(ExitCode::from(2))
}

/// Loads the scenario and agents (errors are exit status 2), then runs the dashboard.
pub fn tui(args: TuiArgs) -> Result<ExitCode, CliError> {
    if !std::io::stdout().is_terminal() {
        return Err(CliError::Input(
            "the dashboard needs a terminal; use `slatelab run` for results".into(),
        ));
    }
    if args.seeds == 0 {
        return Err(CliError::Input("--seeds must be at least 1".into()));
    }
    if args.threads == Some(0) {
        return Err(CliError::Input("--threads must be at least 1".into()));
    }
    let name = args.scenario.as_deref().unwrap_or(DEFAULT_PRESET);
    let scenario = scenario::load(name)?;
    let agents = match &args.agents {
        Some(list) => scenario::parse_agent_list(list, &scenario)?,
        None => lane_choice::dashboard_agents(&scenario),
    };
    // Lanes can be added on the dashboard, so their number does not cap the threads.
    let threads = super::worker_threads(args.threads, crate::engine::MAX_THREADS);
    let options = TuiOptions {
        scenario,
        agents,
        seed: args.seed,
        seeds: args.seeds,
        threads,
    };
    Ok(match tui::run(options)? {
        Exit::Quit => ExitCode::SUCCESS,
        Exit::Terminated => ExitCode::from(143),
    })
}
