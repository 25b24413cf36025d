//! Parameter grids: `grid: {"LinUcb": {"alpha": [0.25, 0.5]}}` turns each listed agent of
//! kind `LinUcb` into one agent per combination of the listed values.
//!
//! An agent is edited through its serde form (`{"LinUcb": {"alpha": 1.0, ...}}`): the value
//! replaces the parameter and the result is read back as an agent, so a grid can set exactly
//! what an agent entry can, with the same type errors.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::agent::AgentSpec;

/// Agent kind → parameter → values, as the sweep file writes it.
pub type Grid = BTreeMap<String, BTreeMap<String, Vec<Value>>>;

/// A grid mistake: the field path under `grid` and what is wrong.
pub type GridError = (String, String);

/// The agent's kind as RON writes it (`LinUcb`, `Random`).
pub fn kind(spec: &AgentSpec) -> String {
    match serde_json::to_value(spec) {
        Ok(Value::String(name)) => name,
        Ok(Value::Object(map)) => map.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// Checks the grid's shape against the listed agents: known kinds with parameters, listed
/// in `agents`, known parameters, at least one value each, values of the right type.
pub fn check(grid: &Grid, agents: &[AgentSpec]) -> Result<(), GridError> {
    let kinds: Vec<String> = AgentSpec::all_defaults().iter().map(kind).collect();
    for (agent_kind, params) in grid {
        let field = format!("grid.{agent_kind}");
        let Some(base) = agents.iter().find(|a| kind(a) == *agent_kind) else {
            let message = if kinds.contains(agent_kind) {
                format!(
                    "no entry of `agents` is a {agent_kind}: the grid varies the agents listed \
                     there"
                )
            } else {
                let mut unique = kinds.clone();
                unique.dedup();
                format!(
                    "unknown agent kind `{agent_kind}`; kinds: {}",
                    unique.join(", ")
                )
            };
            return Err((field, message));
        };
        if params.is_empty() {
            return Err((field, "names no parameter".into()));
        }
        let fields = parameters(base);
        for (param, values) in params {
            let field = format!("{field}.{param}");
            if !fields.contains(param) {
                let known = if fields.is_empty() {
                    "it has none".to_owned()
                } else {
                    format!("its parameters: {}", fields.join(", "))
                };
                return Err((field, format!("not a parameter of {agent_kind}; {known}")));
            }
            if values.is_empty() {
                return Err((field, "lists no value".into()));
            }
            for (i, value) in values.iter().enumerate() {
                with(base, param, value).map_err(|e| (format!("{field}[{i}]"), e))?;
            }
        }
    }
    Ok(())
}

/// The parameter names of an agent (empty for a kind without parameters).
fn parameters(spec: &AgentSpec) -> Vec<String> {
    match serde_json::to_value(spec) {
        Ok(Value::Object(map)) => map
            .values()
            .next()
            .and_then(Value::as_object)
            .map(|params| params.keys().cloned().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `spec` with `param` set to `value`.
fn with(spec: &AgentSpec, param: &str, value: &Value) -> Result<AgentSpec, String> {
    let mut json = serde_json::to_value(spec).map_err(|e| e.to_string())?;
    if let Some(params) = json
        .as_object_mut()
        .and_then(|m| m.values_mut().next())
        .and_then(Value::as_object_mut)
    {
        params.insert(param.to_owned(), value.clone());
    }
    serde_json::from_value(json).map_err(|e| e.to_string())
}

/// The agents with the grid applied (each agent of a grid kind replaced by one agent per
/// combination, parameters in name order, values in listed order), identical agents once.
/// Call [`check`] first: values it accepted always apply.
pub fn expand(grid: &Grid, agents: &[AgentSpec]) -> Vec<AgentSpec> {
    let mut out: Vec<AgentSpec> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for agent in agents {
        let variants = match grid.get(&kind(agent)) {
            None => vec![agent.clone()],
            Some(params) => params
                .iter()
                .fold(vec![agent.clone()], |specs, (p, values)| {
                    specs
                        .iter()
                        .flat_map(|s| values.iter().filter_map(move |v| with(s, p, v).ok()))
                        .collect()
                }),
        };
        for spec in variants {
            if seen.insert(crate::scenario::canonical::agent_ron(&spec)) {
                out.push(spec);
            }
        }
    }
    out
}
