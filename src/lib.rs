//! slatelab: reinforcement learning for recommender systems in the terminal.
//!
//! Layers, each using only those below it: front ends (`cli`, `headless`, `tui`) over
//! `report` (a run's folded results and its JSON/CSV report, shared by the front ends), over
//! the `engine` (threads and channels), over `scenario` (the RON file format), over `agent`
//! and `metrics`, over `sim` (the simulated users and documents).

pub mod agent;
pub mod cli;
pub mod engine;
pub mod figure;
pub mod headless;
pub mod metrics;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod tui;
