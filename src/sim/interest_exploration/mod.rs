//! interest_exploration

pub mod params;
