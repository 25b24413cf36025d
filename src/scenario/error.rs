//! Scenario errors that name the file, the position, the field and what is allowed.

use std::fmt;

/// What kind of mistake a scenario error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be read.
    Io,
    /// The text is not valid RON.
    Syntax,
    /// A field or variant name that does not exist.
    Unknown,
    /// A value of the wrong type, or a missing required field.
    Type,
    /// A value outside its allowed range, or values that do not fit together.
    Invalid,
}

/// An error in a scenario file or scenario option. Displayed as
/// `file:line:column: field: message`, leaving out the parts that are unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file path, or `builtin:NAME` for an embedded scenario, or `--agents` etc. for options.
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The field path, e.g. `environment.population[0].user.sensitivity`.
    pub field: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
    /// The kind of mistake.
    pub kind: ErrorKind,
}

impl ScenarioError {
    /// An error with no position.
    pub fn new(origin: impl Into<String>, kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            kind,
        }
    }

    /// Sets the field path.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = (!field.is_empty()).then_some(field);
        self
    }

    /// Sets the position.
    #[must_use]
    pub fn at(mut self, position: Option<(usize, usize)>) -> Self {
        if let Some((line, column)) = position {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}
