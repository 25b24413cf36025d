//! `slatelab plot`: a run's learning curves as an SVG or PNG figure.

use std::process::ExitCode;

use anyhow::Context;

use super::CliError;
use super::args::PlotArgs;
use crate::figure::input::ReferenceLevel;
use crate::figure::{self, ImageFormat, Kind, MetricChoice, PlotOptions, ReportCurves};
use crate::report::output_file;
use crate::report::reference;
use crate::scenario;

/// Reads the report, draws it and writes the figure atomically: a bad input writes nothing.
pub fn plot(args: &PlotArgs) -> Result<ExitCode, CliError> {
    let input = |e: figure::FigureError| CliError::Input(e.to_string());
    let format = ImageFormat::of_path(&args.out).map_err(input)?;
    let (mut report, merged) = read(args)?;
    // A merged sweep pools seeds whose reference levels differ a little: it draws none.
    if args.kind == Kind::Curves && !args.no_references && !merged {
        report.references = references(&report, &args.report)?;
    }
    let default_size = if args.metric == MetricChoice::All {
        (1280, 800)
    } else {
        (960, 600)
    };
    let options = PlotOptions {
        kind: args.kind,
        metric: args.metric,
        x: args.x,
        agents: args.agents.clone(),
        title: args.title.clone(),
        size: args.size.unwrap_or(default_size),
    };
    let bytes = figure::render(&report, &options, format).map_err(input)?;
    output_file::write_file(&args.out, &bytes)
        .with_context(|| format!("writing {}", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// The scenario's reference levels, measured on the report's seed from the scenario the
/// report embeds (the same lines the dashboard draws). A report without its scenario (from
/// an older slatelab) gets none, with a note.
fn references(
    report: &ReportCurves,
    path: &std::path::Path,
) -> Result<Vec<ReferenceLevel>, CliError> {
    let Some(text) = &report.scenario_ron else {
        eprintln!(
            "note: {} does not embed its scenario (an older report): no reference lines",
            path.display()
        );
        return Ok(Vec::new());
    };
    let origin = format!("{} (scenario_ron)", path.display());
    let scenario = scenario::from_str(text, &origin)
        .map_err(|e| CliError::Input(format!("the report's scenario: {e}")))?;
    let measured =
        reference::measure(&scenario, report.seed).context("measuring the reference lines")?;
    Ok(measured
        .into_iter()
        .map(|r| ReferenceLevel {
            label: r.label,
            mean_return: r.stats.mean_return,
            mean_satisfaction: r.stats.mean_satisfaction,
            mean_engagement: r.stats.mean_engagement,
            ctr: r.stats.ctr,
        })
        .collect())
}

/// The figure's input: a run's report, a merged sweep (`slatelab merge`'s JSON), or a folder
/// of reports, merged here as `slatelab merge DIR` would; and whether it is merged.
fn read(args: &PlotArgs) -> Result<(ReportCurves, bool), CliError> {
    let name = args.report.display();
    let bytes = if args.report.is_dir() {
        super::merge_cmd::merged_json(std::slice::from_ref(&args.report), "random")?
    } else {
        std::fs::read(&args.report)
            .map_err(|e| CliError::Input(format!("cannot read {name}: {e}")))?
    };
    let merged = args.report.is_dir() || figure::merged::is_merged(&bytes);
    let report = figure::merged::parse_any(&bytes, args.scenario.as_deref())
        .map_err(|e| CliError::Input(format!("{name}:{e}")))?;
    Ok((report, merged))
}
