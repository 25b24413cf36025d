//! The dashboard: a live, side-by-side view over the threaded engine.
//!
//! Threads: one reads the terminal's keys ([`input`]), the engine runs its lanes on
//! workers, and the UI thread ([`runner`]) blocks on its channels, folds every message into
//! the [`app::App`] with [`app::update`], and redraws at most ~30 times a second with
//! [`render::render`], a pure function of the app state.

pub mod app;
pub mod export;
pub mod input;
pub mod keys;
pub mod lane_choice;
pub mod reference;
pub mod render;
pub mod runner;
pub mod session;
pub mod synthetic;

#[cfg(test)]
mod tests;

pub use runner::{Exit, TuiOptions, run};
