//! The facts about a scenario's environment that Python builds its spaces from.

use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The scenario's observation shape and facts, shared by `Env` and `VecEnv`.
pub fn spec_dict<'py>(
    py: Python<'py>,
    scenario: &slatelab::scenario::Scenario,
) -> PyResult<Bound<'py, PyDict>> {
    let spec = scenario.env.spec();
    let d = PyDict::new(py);
    d.set_item("scenario", &scenario.name)?;
    d.set_item("environment", spec.kind.name())?;
    d.set_item("default_seed", scenario.seed)?;
    d.set_item("user_dim", spec.user_dim)?;
    d.set_item("doc_dim", spec.doc_dim)?;
    d.set_item("num_candidates", spec.num_candidates)?;
    d.set_item("slate_size", spec.slate_size)?;
    d.set_item("num_clusters", spec.num_clusters)?;
    d.set_item("time_feature", spec.time_feature)?;
    d.set_item("max_steps", spec.max_steps)?;
    d.set_item("segments", scenario.env.segment_names())?;
    Ok(d)
}
