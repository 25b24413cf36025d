//! `slatelab rerun REPORT.json`: runs again exactly what a report describes, from the
//! scenario text, agent specs and settings it embeds (not from a file or a built-in name,
//! which may have changed since), so the new report equals the old one but for its timings.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Deserialize;

use super::CliError;
use crate::agent::AgentSpec;
use crate::engine::{Budget, lanes_for};
use crate::headless::{self, RunOptions};
use crate::report::{Format, Pairs, Report, output_file};
use crate::scenario::{self, MAX_AGENTS, Scenario, canonical};

/// Options of `slatelab rerun`.
#[derive(Debug, Args)]
pub struct RerunArgs {
    /// A JSON report written by `slatelab run`.
    #[arg(value_name = "REPORT.json")]
    pub report: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write the results to FILE (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: the number of cores). Results do not depend on it.
    #[arg(long, short = 't')]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// The fields of a report that say what ran; the results in it are not read.
#[derive(Deserialize)]
struct Recorded {
    slatelab_version: String,
    seed: u64,
    episodes: Option<u64>,
    steps: Option<u64>,
    eval_episodes: u64,
    partial: bool,
    agents: Vec<RecordedAgent>,
    paired_mode: String,
    curve_block_requested: Option<u64>,
    scenario_ron: String,
    scenario_sha256: String,
    command_line: String,
}

#[derive(Deserialize)]
struct RecordedAgent {
    name: String,
    spec: String,
}

/// Reads the report, rebuilds its run and writes the new report.
pub fn rerun(args: RerunArgs) -> Result<ExitCode, CliError> {
    let origin = args.report.display().to_string();
    let bad = |message: String| CliError::Input(format!("{origin}: {message}"));
    let text =
        std::fs::read_to_string(&args.report).map_err(|e| bad(format!("cannot read: {e}")))?;
    let recorded: Recorded = serde_json::from_str(&text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let position = format!(" at line {line} column {column}");
        let e = e.to_string().replace(&position, "");
        CliError::Input(format!(
            "{origin}:{line}:{column}: not a report `rerun` can read: {e} (reports from \
             slatelab before `rerun` existed do not embed their scenario and agent specs)"
        ))
    })?;
    if canonical::sha256_hex(&recorded.scenario_ron) != recorded.scenario_sha256 {
        return Err(bad(
            "scenario_ron does not match scenario_sha256: the embedded scenario was edited".into(),
        ));
    }
    let scenario = scenario::from_str(&recorded.scenario_ron, &format!("{origin}: scenario_ron"))?;
    let agents = recorded_agents(&recorded.agents, &scenario).map_err(bad)?;
    let budget = match (recorded.episodes, recorded.steps) {
        (Some(n), None) if n > 0 => Budget::Episodes(n),
        (None, Some(n)) if n > 0 => Budget::Steps(n),
        _ => {
            return Err(bad(
                "the report names no training budget of at least 1 (`episodes` or `steps`): \
                 a dashboard export cannot be rerun"
                    .into(),
            ));
        }
    };
    let paired = Pairs::from_str(&recorded.paired_mode, false)
        .map_err(|_| bad(format!("unknown paired_mode `{}`", recorded.paired_mode)))?;
    if recorded.curve_block_requested == Some(0) {
        return Err(bad("curve_block_requested must be at least 1".into()));
    }
    if args.threads == Some(0) {
        return Err(CliError::Input("--threads must be at least 1".into()));
    }
    if let Some(out) = &args.out {
        output_file::check_output(out).map_err(|e| CliError::Input(format!("--out {e}")))?;
    }
    warn_about_differences(&recorded);
    let lanes = lanes_for(&agents);
    for (lane, agent) in lanes.iter().zip(&recorded.agents) {
        if lane.label != agent.name {
            eprintln!(
                "note: the agent named `{}` in the report is labelled `{}` now",
                agent.name, lane.label
            );
        }
    }
    let options = RunOptions {
        threads: super::worker_threads(args.threads, lanes.len()),
        lanes,
        seed: recorded.seed,
        budget,
        eval_episodes: recorded.eval_episodes,
        format: args.format,
        out: args.out,
        curves: None,
        curve_block: recorded.curve_block_requested,
        save_agents: None,
        progress: !args.quiet,
        paired,
    };
    let report = headless::run(&scenario, options)?;
    Ok(exit_status(&report))
}

/// The report's agent specs, parsed and checked against its scenario.
fn recorded_agents(
    agents: &[RecordedAgent],
    scenario: &Scenario,
) -> Result<Vec<AgentSpec>, String> {
    if agents.is_empty() || agents.len() > MAX_AGENTS {
        return Err(format!(
            "lists {} agents; a report names 1 to {MAX_AGENTS}",
            agents.len()
        ));
    }
    agents
        .iter()
        .enumerate()
        .map(|(i, agent)| {
            let spec = canonical::parse_agent(&agent.spec)
                .map_err(|e| format!("agents[{i}].spec: {e}"))?;
            spec.check(scenario.env.spec()).map_err(|e| {
                let e = e.within(&format!("agents[{i}].spec"));
                format!("{}: {}", e.field, e.message)
            })?;
            Ok(spec)
        })
        .collect()
}

/// Says on stderr why the new report may not equal the old one.
fn warn_about_differences(recorded: &Recorded) {
    let version = env!("CARGO_PKG_VERSION");
    if recorded.slatelab_version != version {
        eprintln!(
            "warning: the report was made by slatelab {}, this is {version}: figures may differ",
            recorded.slatelab_version
        );
    }
    if recorded.partial {
        eprintln!(
            "warning: the report's run was interrupted (partial); this one runs the whole budget"
        );
    }
    if recorded.command_line.contains("--load-agents") {
        eprintln!(
            "warning: the report's run started from checkpoints (--load-agents); this one starts \
             its learners afresh"
        );
    }
}

/// As `slatelab run`: 1 when a lane failed, 130 when interrupted, else 0.
fn exit_status(report: &Report) -> ExitCode {
    for agent in report.agents.iter().filter(|a| a.error.is_some()) {
        eprintln!(
            "error: lane `{}` stopped: {}",
            agent.name,
            agent.error.as_deref().unwrap_or_default()
        );
    }
    if report.agents.iter().any(|a| a.error.is_some()) {
        ExitCode::from(1)
    } else if report.partial {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    }
}
