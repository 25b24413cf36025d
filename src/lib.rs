//! slatelab: reinforcement learning for recommender systems in the terminal.
//!
//! Layers, each using only those below it: front ends (`tui`, `headless`) over the
//! `engine` (threads and channels), over `scenario` (the RON file format), over
//! `agent` and `metrics`, over `sim` (the simulated users and documents).

pub mod agent;
pub mod metrics;
pub mod sim;
