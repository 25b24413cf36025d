//! Figures of a run's report: learning curves drawn as SVG or PNG (`slatelab plot`).
//!
//! A front end beside `headless/` and `tui/`, importing neither: it reads a report file
//! written by `slatelab run` ([`input`]), draws it with plotters ([`draw`]) and hands back the
//! encoded bytes, which the caller writes atomically. Text is laid out with an embedded font
//! (DejaVu Sans, [`font`]), so a PNG renders its labels on a machine without system fonts
//! and an SVG's layout does not depend on the machine either.

pub mod bars;
pub mod draw;
pub mod font;
pub mod input;
pub mod merged;
pub mod panel;
pub mod segments;

use std::path::Path;

use clap::ValueEnum;

pub use input::{CurveFigures, ReportCurves};

/// Why a figure could not be made: every case is bad input (exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FigureError(pub String);

/// The image format, from the output file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable vector graphics (text as text, in the `sans-serif` family).
    Svg,
    /// A bitmap, with the embedded font rasterised.
    Png,
}

impl ImageFormat {
    /// The format a file name asks for (`.svg` or `.png`, any case).
    pub fn of_path(path: &Path) -> Result<Self, FigureError> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("svg") => Ok(Self::Svg),
            Some("png") => Ok(Self::Png),
            _ => Err(FigureError(format!(
                "{}: the figure's file name must end in .svg or .png",
                path.display()
            ))),
        }
    }
}

/// Which figure a panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum MetricChoice {
    /// Mean return per block, with its 95 % interval band.
    Return,
    /// Mean satisfaction per block.
    Satisfaction,
    /// Mean engagement per episode per block.
    Engagement,
    /// Click-through rate per block.
    Ctr,
    /// The four, as the dashboard's 2×2 charts.
    All,
}

/// What a figure draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Learning curves over training.
    #[default]
    Curves,
    /// Greedy evaluation means per agent, with 95 % whiskers for the return.
    Bars,
    /// Greedy evaluation return per segment of a mixed population: one group of bars per
    /// segment, one bar per agent, with 95 % whiskers.
    Segments,
}

/// What the x axis counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum XAxis {
    /// Training episodes.
    #[default]
    Episodes,
    /// Training environment steps.
    Steps,
}

/// How to draw.
#[derive(Clone, Debug)]
pub struct PlotOptions {
    /// Curves or evaluation bars.
    pub kind: Kind,
    /// Which panel(s).
    pub metric: MetricChoice,
    /// The x axis.
    pub x: XAxis,
    /// Agents to draw, by name (all when empty).
    pub agents: Vec<String>,
    /// The figure's title (default: scenario and seed).
    pub title: Option<String>,
    /// Width and height in pixels.
    pub size: (u32, u32),
}

/// Draws `report` as `format` and returns the file's bytes.
pub fn render(
    report: &ReportCurves,
    options: &PlotOptions,
    format: ImageFormat,
) -> Result<Vec<u8>, FigureError> {
    let figure = draw::Figure::new(report, options)?;
    match format {
        ImageFormat::Svg => figure.svg().map(String::into_bytes),
        ImageFormat::Png => figure.png(),
    }
}

#[cfg(test)]
mod tests;
