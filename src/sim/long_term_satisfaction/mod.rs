//! long_term_satisfaction

pub mod params;
