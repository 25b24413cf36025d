//! interest_evolution

pub mod params;
