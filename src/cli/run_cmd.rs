//! `slatelab run`: a headless run of the engine.

use std::process::ExitCode;

use super::CliError;
use super::args::RunArgs;
use crate::engine::{Budget, lanes_for};
use crate::headless::{self, RunOptions, checkpoint};
use crate::report::output_file;
use crate::scenario;

/// Loads the scenario, applies the command-line overrides, runs, and writes the report.
pub fn run(args: RunArgs) -> Result<ExitCode, CliError> {
    let scenario = scenario::load(&args.scenario)?;
    let agents = match &args.agents {
        Some(list) => scenario::parse_agent_list(list, &scenario)?,
        None => scenario.agents.clone(),
    };
    let mut lanes = lanes_for(&agents);
    if let Some(dir) = &args.load_agents {
        checkpoint::load_all(dir, &scenario, &mut lanes)
            .map_err(|e| CliError::Input(e.to_string()))?;
    }
    let budget = match (args.steps, args.episodes) {
        (Some(0), _) | (_, Some(0)) => {
            return Err(CliError::Input(
                "--steps and --episodes must be at least 1".into(),
            ));
        }
        (Some(steps), _) => Budget::Steps(steps),
        (None, Some(episodes)) => Budget::Episodes(episodes),
        (None, None) => Budget::Episodes(scenario.episodes),
    };
    if args.threads == Some(0) {
        return Err(CliError::Input("--threads must be at least 1".into()));
    }
    if args.curve_block == Some(0) {
        return Err(CliError::Input("--curve-block must be at least 1".into()));
    }
    // Checked now, not after a long run whose results would then be lost.
    if let Some(out) = &args.out {
        output_file::check_output(out).map_err(|e| CliError::Input(format!("--out {e}")))?;
    }
    if let Some(curves) = &args.curves {
        output_file::check_output(curves).map_err(|e| CliError::Input(format!("--curves {e}")))?;
    }
    if let Some(dir) = &args.save_agents {
        output_file::check_folder(dir)
            .map_err(|e| CliError::Input(format!("--save-agents {e}")))?;
    }
    // A lane runs on one thread at a time: threads beyond the lanes would only wait.
    let threads = super::worker_threads(args.threads, lanes.len());
    let options = RunOptions {
        lanes,
        seed: args.seed.unwrap_or(scenario.seed),
        budget,
        eval_episodes: args.eval_episodes,
        threads,
        format: args.format,
        out: args.out,
        curves: args.curves,
        curve_block: args.curve_block,
        save_agents: args.save_agents,
        progress: !args.quiet,
        paired: args.paired,
    };
    let report = headless::run(&scenario, options)?;
    for agent in report.agents.iter().filter(|a| a.error.is_some()) {
        eprintln!(
            "error: lane `{}` stopped: {}",
            agent.name,
            agent.error.as_deref().unwrap_or_default()
        );
    }
    Ok(if report.agents.iter().any(|a| a.error.is_some()) {
        ExitCode::from(1)
    } else if report.partial {
        // Interrupted (Ctrl-C): the partial results were written.
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}
