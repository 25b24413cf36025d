//! `slatelab scenarios` and `slatelab agents`.

use std::process::ExitCode;

use ron::extensions::Extensions;

use super::CliError;
use crate::agent::AgentSpec;
use crate::scenario::{self, presets::PRESETS};

/// Lists the built-in scenarios with one-line descriptions.
pub fn scenarios() -> Result<ExitCode, CliError> {
    for preset in PRESETS {
        let s = scenario::from_str(preset.text, preset.name)?;
        println!(
            "{:<24} {:<24} {}",
            preset.name,
            s.kind().name(),
            s.description
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Lists every agent, its flags, where it runs, and its parameters with defaults.
pub fn agents() -> Result<ExitCode, CliError> {
    let options = ron::Options::default()
        .with_default_extension(Extensions::UNWRAP_VARIANT_NEWTYPES | Extensions::IMPLICIT_SOME);
    for spec in AgentSpec::all_defaults() {
        let info = spec.info();
        let mut flags = Vec::new();
        if info.oracle {
            flags.push("oracle");
        }
        if info.learns {
            flags.push("learns");
        }
        let envs = if info.envs.is_empty() {
            "all environments".to_owned()
        } else {
            info.envs
                .iter()
                .map(|e| e.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!("{}  [{}]  ({envs})", info.name, flags.join(", "));
        println!("    {}", info.description);
        let pretty = ron::ser::PrettyConfig::new()
            .indentor("    ".to_owned())
            .new_line("\n        ".to_owned());
        let entry = options
            .to_string_pretty(&spec, pretty)
            .map_err(|e| CliError::Runtime(anyhow::anyhow!("cannot show defaults: {e}")))?;
        println!("    scenario entry with defaults:\n        {entry}");
    }
    Ok(ExitCode::SUCCESS)
}
