//! A run's results and the report made of them, shared by both front ends: `slatelab run`
//! (`headless`) and the dashboard's export and reference lines (`tui`).
//!
//! Engine events are folded as they arrive ([`tally`]), in memory that does not grow with
//! the episodes run; the report ([`model`]) is built from that fold and written as JSON or
//! CSV ([`output`]). There is one fold: whoever needs every episode summary (tests, short
//! measurements) asks the same tally to keep them.

pub mod command_line;
pub mod merge;
pub mod model;
pub mod output;
pub mod output_file;
pub mod palette;
pub mod phases;
pub mod reference;
pub mod stored;
pub mod tally;

pub use model::{AgentReport, PairedReport, Report, Requested};
pub use output::Format;
pub use tally::{LaneTally, PairedStream, Pairs, PhaseTally, RunTally};
