//! Scenario files: RON text → checked [`Scenario`], with errors that point at the mistake.
//!
//! Parsing (serde, `deny_unknown_fields` everywhere) is followed by one validation step
//! in which each model checks its own parameters (see `sim::*::setup`), so everything
//! downstream works with valid values only.

pub mod canonical;
pub mod error;
mod excerpt;
pub mod file;
pub mod live_shift;
pub mod locate;
pub mod presets;
pub mod sweep;

use std::path::Path;
use std::sync::Arc;

use ron::extensions::Extensions;

pub use error::{ErrorKind, ScenarioError};
pub use file::{EnvironmentConfig, ScenarioFile};

use crate::agent::AgentSpec;
use crate::sim::{EnvKind, EnvSetup, FieldError};

/// A checked scenario, ready for the engine.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short name shown in outputs.
    pub name: String,
    /// One-line description.
    pub description: String,
    /// Where it came from: a file path or `builtin:NAME`.
    pub origin: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Episodes per agent for `slatelab run`.
    pub episodes: u64,
    /// The environment factory (validated parameters).
    pub env: Arc<dyn EnvSetup>,
    /// The agents to run.
    pub agents: Vec<AgentSpec>,
    /// Baselines for reference lines.
    pub reference: Vec<AgentSpec>,
    /// The file as parsed (for display and export).
    pub file: ScenarioFile,
}

impl Scenario {
    /// The environment model.
    pub fn kind(&self) -> EnvKind {
        self.env.spec().kind
    }
}

/// RON options: `Some(x)` may be written `x`, and `LinUcb((alpha: 1.0))` as `LinUcb(alpha: 1.0)`.
fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
}

/// Loads a built-in scenario by name, or a file by path.
pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
    if let Some(preset) = presets::preset(name_or_path) {
        return from_str(preset.text, &format!("builtin:{}", preset.name));
    }
    let path = Path::new(name_or_path);
    if path.exists() {
        return load_file(path);
    }
    let names: Vec<&str> = presets::PRESETS.iter().map(|p| p.name).collect();
    Err(ScenarioError::new(
        name_or_path,
        ErrorKind::Io,
        format!(
            "no such file, and not a built-in scenario (built-ins: {})",
            names.join(", ")
        ),
    ))
}

/// Loads and checks a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::new(&origin, ErrorKind::Io, format!("cannot read: {e}")))?;
    from_str(&text, &origin)
}

/// Parses and checks scenario text; `origin` names it in errors.
pub fn from_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let file = parse(text, origin)?;
    validate(file, text, origin)
}

/// Parses scenario text into the file type, reporting syntax, unknown-field and type errors
/// with their line, column and field path.
pub fn parse(text: &str, origin: &str) -> Result<ScenarioFile, ScenarioError> {
    parse_ron(text, origin)
}

/// Parses RON text into any strict serde type (scenario and sweep files), with the errors of
/// [`parse`]: line, column and field path.
pub(crate) fn parse_ron<T: serde::de::DeserializeOwned>(
    text: &str,
    origin: &str,
) -> Result<T, ScenarioError> {
    let options = ron_options();
    let mut de = ron::de::Deserializer::from_str_with_options(text, &options)
        .map_err(|e| spanned(origin, e, None))?;
    let file: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(file) => file,
        Err(err) => {
            let path = err.path().to_string();
            let spanned_err = de.span_error(err.into_inner());
            // serde_path_to_error writes `?` for a position it cannot name (e.g. inside a
            // value that failed to parse): keep only the part of the path that is known.
            let path = path.split(".?").next().unwrap_or_default().to_owned();
            let path = (!path.is_empty() && path != "?" && path != ".").then_some(path);
            return Err(spanned(origin, spanned_err, path));
        }
    };
    de.end()
        .map_err(|e| spanned(origin, de.span_error(e), None))?;
    Ok(file)
}

/// Converts a ron error into ours, classifying it.
fn spanned(origin: &str, err: ron::error::SpannedError, field: Option<String>) -> ScenarioError {
    use ron::error::Error as E;
    let kind = match &err.code {
        E::NoSuchStructField { .. } | E::NoSuchEnumVariant { .. } => ErrorKind::Unknown,
        E::MissingStructField { .. }
        | E::InvalidValueForType { .. }
        | E::ExpectedDifferentLength { .. }
        | E::ExpectedFloat
        | E::ExpectedInteger
        | E::ExpectedBoolean
        | E::ExpectedString
        | E::ExpectedStringEnd
        | E::IntegerOutOfBounds
        | E::ExpectedArray
        | E::ExpectedMap
        | E::ExpectedOption
        | E::ExpectedStructLike
        | E::ExpectedNamedStructLike(_)
        | E::ExpectedUnit
        | E::ExpectedIdentifier
        | E::Message(_) => ErrorKind::Type,
        _ => ErrorKind::Syntax,
    };
    let mut out = ScenarioError::new(origin, kind, err.code.to_string())
        .at(Some((err.span.start.line, err.span.start.col)));
    if let Some(field) = field {
        out = out.with_field(field);
    }
    out
}

/// Checks a parsed scenario into a [`Scenario`]; `text` is used to locate range errors.
pub fn validate(file: ScenarioFile, text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let invalid = |field: String, message: String| {
        let position = locate::locate(text, &field);
        ScenarioError::new(origin, ErrorKind::Invalid, message)
            .with_field(field)
            .at(position)
    };
    if file.name.trim().is_empty() {
        let what = if file.name.is_empty() {
            "empty"
        } else {
            "blank"
        };
        return Err(invalid("name".into(), format!("must not be {what}")));
    }
    if file.episodes == 0 {
        return Err(invalid("episodes".into(), "must be at least 1".into()));
    }
    let env = build_env(&file.environment).map_err(|e| {
        let e = e.within("environment");
        invalid(e.field, e.message)
    })?;
    if file.agents.is_empty() {
        return Err(invalid(
            "agents".into(),
            "needs at least one agent, e.g. `agents: [Random]`".into(),
        ));
    }
    for (list, specs) in [("agents", &file.agents), ("reference", &file.reference)] {
        if specs.len() > MAX_AGENTS {
            return Err(invalid(
                list.into(),
                format!("lists {} agents; at most {MAX_AGENTS}", specs.len()),
            ));
        }
        for (i, spec) in specs.iter().enumerate() {
            spec.check(env.spec()).map_err(|e| {
                let e = e.within(&format!("{list}[{i}]"));
                invalid(e.field, e.message)
            })?;
        }
    }
    Ok(Scenario {
        name: file.name.clone(),
        description: file.description.clone(),
        origin: origin.to_owned(),
        seed: file.seed,
        episodes: file.episodes,
        agents: file.agents.clone(),
        reference: file.reference.clone(),
        env,
        file,
    })
}

/// The most agents one list may name: every agent is a lane with its own environment and
/// learner, and a thousand already make a table nobody reads; more only exhausts memory.
pub const MAX_AGENTS: usize = 1_000;

/// Validates the environment part and builds its factory; errors name fields relative to
/// the environment's configuration.
pub fn build_env(config: &EnvironmentConfig) -> Result<Arc<dyn EnvSetup>, FieldError> {
    use crate::sim::{
        interest_evolution, interest_exploration, linear_bandit, long_term_satisfaction,
    };
    Ok(match config {
        EnvironmentConfig::InterestEvolution(c) => Arc::new(interest_evolution::setup(c.clone())?),
        EnvironmentConfig::LongTermSatisfaction(c) => {
            Arc::new(long_term_satisfaction::setup(c.clone())?)
        }
        EnvironmentConfig::InterestExploration(c) => {
            Arc::new(interest_exploration::setup(c.clone())?)
        }
        EnvironmentConfig::LinearBandit(c) => Arc::new(linear_bandit::setup(c.clone())?),
    })
}

/// Parses a command-line agent list (`--agents random,linucb,...`) against a scenario.
///
/// Each entry is a kebab-case agent name, taking the scenario's parameters for that kind
/// when the scenario lists it, or a RON agent entry such as `LinUcb(alpha: 0.5)`.
pub fn parse_agent_list(list: &str, scenario: &Scenario) -> Result<Vec<AgentSpec>, ScenarioError> {
    let origin = "--agents";
    let mut specs = Vec::new();
    for (i, entry) in split_top_level(list).into_iter().enumerate() {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        // Errors point into the whole list (line and column) and quote only a short excerpt
        // of the entry around the mistake: entries can be thousands of characters long.
        let start = entry.as_ptr() as usize - list.as_ptr() as usize;
        let error = |kind: ErrorKind, at: usize, message: String| {
            let at = at.min(entry.len());
            ScenarioError::new(
                origin,
                kind,
                format!("`{}`: {message}", excerpt::excerpt(entry, at)),
            )
            .at(Some(excerpt::position(list, start + at)))
        };
        let spec = if let Some(default) = AgentSpec::from_name(entry) {
            let kind = default.info().name;
            scenario
                .agents
                .iter()
                .chain(&scenario.reference)
                .find(|s| s.info().name == kind)
                .cloned()
                .unwrap_or(default)
        } else if entry.starts_with(|c: char| c.is_ascii_uppercase()) {
            ron_options().from_str::<AgentSpec>(entry).map_err(|e| {
                let at = excerpt::byte_offset(entry, e.span.start.line, e.span.start.col);
                error(ErrorKind::Type, at, e.code.to_string())
            })?
        } else {
            let names: Vec<&str> = AgentSpec::all_defaults()
                .iter()
                .map(|s| s.info().name)
                .collect();
            let message = format!(
                "unknown agent `{}`; known agents: {}",
                excerpt::excerpt(entry, 0),
                names.join(", ")
            );
            return Err(ScenarioError::new(origin, ErrorKind::Unknown, message)
                .at(Some(excerpt::position(list, start))));
        };
        spec.check(scenario.env.spec()).map_err(|e| {
            // The entry is one agent: its fields sit at the top level of the entry's text.
            let at = locate::locate(entry, &e.field).map_or(0, |(line, column)| {
                excerpt::byte_offset(entry, line, column)
            });
            error(ErrorKind::Invalid, at, e.message).with_field(if e.field.is_empty() {
                format!("[{i}]")
            } else {
                format!("[{i}].{}", e.field)
            })
        })?;
        specs.push(spec);
        if specs.len() > MAX_AGENTS {
            return Err(ScenarioError::new(
                origin,
                ErrorKind::Invalid,
                format!("names more than {MAX_AGENTS} agents"),
            ));
        }
    }
    if specs.is_empty() {
        return Err(ScenarioError::new(
            origin,
            ErrorKind::Invalid,
            "needs at least one agent",
        ));
    }
    Ok(specs)
}

/// Splits on commas that are not inside brackets, so RON entries may contain commas.
fn split_top_level(list: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in list.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&list[start..]);
    parts
}
