//! `slatelab plot`: a run's learning curves as an SVG or PNG figure.

use std::process::ExitCode;

use anyhow::Context;

use super::CliError;
use super::args::PlotArgs;
use crate::figure::{self, ImageFormat, MetricChoice, PlotOptions, ReportCurves};
use crate::report::output_file;

/// Reads the report, draws it and writes the figure atomically: a bad input writes nothing.
pub fn plot(args: &PlotArgs) -> Result<ExitCode, CliError> {
    let input = |e: figure::FigureError| CliError::Input(e.to_string());
    let format = ImageFormat::of_path(&args.out).map_err(input)?;
    let report = ReportCurves::read(&args.report).map_err(input)?;
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
