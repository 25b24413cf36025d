//! The exceptions the package raises.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    _native,
    ScenarioError,
    PyValueError,
    "A scenario that cannot be loaded: the message is `file:line:col: field: message`."
);

/// Raises a scenario error as `ScenarioError`, keeping slatelab's one-line message.
pub fn scenario_error(e: &slatelab::scenario::ScenarioError) -> PyErr {
    ScenarioError::new_err(e.to_string())
}
