//! A scenario named from Python: a built-in name or a `.ron` path, with environment overrides.

use pyo3::prelude::*;
use slatelab::scenario::{self, ErrorKind, Scenario, ScenarioError, presets};

use crate::errors::scenario_error;

/// Where override errors point: the keyword arguments, not a file.
const OVERRIDES_ORIGIN: &str = "overrides";

/// Names of the built-in scenarios, in `slatelab scenarios` order.
#[pyfunction]
pub fn builtin_scenarios() -> Vec<&'static str> {
    presets::PRESETS.iter().map(|p| p.name).collect()
}

/// Loads `name_or_path` and applies `overrides_json` (a JSON object of environment fields,
/// e.g. `{"num_candidates": 10}`), checking the result as a scenario file is checked.
pub fn load(name_or_path: &str, overrides_json: Option<&str>) -> PyResult<Scenario> {
    let loaded = scenario::load(name_or_path).map_err(|e| scenario_error(&e))?;
    match overrides_json {
        None => Ok(loaded),
        Some(json) => with_overrides(&loaded, json).map_err(|e| scenario_error(&e)),
    }
}

/// The scenario with some of its environment's fields replaced. Field names and values are
/// those of the scenario file's `environment: Kind(...)` entry.
fn with_overrides(loaded: &Scenario, json: &str) -> Result<Scenario, ScenarioError> {
    let error = |kind, message: String| ScenarioError::new(OVERRIDES_ORIGIN, kind, message);
    let overrides: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| error(ErrorKind::Type, format!("not a JSON object: {e}")))?;
    let mut file = serde_json::to_value(&loaded.file).map_err(|e| {
        error(
            ErrorKind::Type,
            format!("cannot represent the scenario: {e}"),
        )
    })?;
    // The environment is one externally tagged variant: {"LongTermSatisfaction": {...}}.
    let env = file["environment"]
        .as_object_mut()
        .and_then(|tagged| tagged.values_mut().next())
        .and_then(serde_json::Value::as_object_mut)
        .ok_or_else(|| error(ErrorKind::Type, "the environment has no fields".into()))?;
    for (key, value) in overrides {
        if let Some(slot) = env.get_mut(&key) {
            *slot = value;
        } else {
            let known: Vec<&str> = env.keys().map(String::as_str).collect();
            return Err(error(
                ErrorKind::Unknown,
                format!("unknown environment field; known: {}", known.join(", ")),
            )
            .with_field(key));
        }
    }
    let patched = serde_json::from_value(file).map_err(|e| {
        let message = e.to_string();
        error(ErrorKind::Type, message)
    })?;
    // No text to point into: errors name the field only.
    scenario::validate(patched, "", OVERRIDES_ORIGIN)
}
