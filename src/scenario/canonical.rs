//! Canonical RON of agents and scenarios: every parameter written out (defaults filled in),
//! so a report says exactly what ran, and parsing the text back gives an equal value, so
//! `slatelab rerun` can run it again.

use ron::ser::PrettyConfig;
use sha2::{Digest, Sha256};

use super::ScenarioFile;
use crate::agent::AgentSpec;

/// Struct names are left out (the scenario syntax does not need them); enum variants and
/// field names are what a scenario file writes.
fn pretty() -> PrettyConfig {
    PrettyConfig::new()
        .struct_names(false)
        .extensions(super::ron_options().default_extensions)
}

/// One agent entry on one line, e.g. `LinUcb(alpha: 0.5, lambda: 1.0, …)`.
pub fn agent_ron(spec: &AgentSpec) -> String {
    let one_line = pretty()
        .compact_structs(true)
        .compact_arrays(true)
        .compact_maps(true)
        .new_line("")
        .indentor("")
        .separator(" ");
    super::ron_options()
        .to_string_pretty(spec, one_line)
        // Agent parameters are plain numbers, strings, lists and enums: RON writes them all.
        .expect("agent specs serialize to RON")
}

/// The whole scenario, indented over several lines, every default written out.
pub fn scenario_ron(file: &ScenarioFile) -> String {
    super::ron_options()
        .to_string_pretty(file, pretty())
        .expect("scenario files serialize to RON")
}

/// Parses one agent entry as [`agent_ron`] writes it (or as a scenario file writes it).
pub fn parse_agent(text: &str) -> Result<AgentSpec, ron::error::SpannedError> {
    super::ron_options().from_str(text)
}

/// The SHA-256 of `text` as 64 lowercase hex digits: the scenario's content hash.
pub fn sha256_hex(text: &str) -> String {
    use std::fmt::Write;
    Sha256::digest(text.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
#[path = "canonical_tests.rs"]
mod tests;
