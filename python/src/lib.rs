//! `slatelab._native`: the Rust half of the `slatelab` Python package.
//!
//! The gymnasium classes live in Python (`python/slatelab/`); this module gives them one
//! environment ([`env::Env`]), a batch of environments stepped in one call
//! ([`vec_env::VecEnv`]), the engine's runs ([`run::run`]) and sweeps ([`sweep::sweep`],
//! [`sweep::merge`]). Every error becomes a
//! Python exception: scenario mistakes a `ScenarioError` (a `ValueError`), bad slates a
//! `ValueError`; a panic is caught by PyO3 and raised, never unwinding into Python.

mod batch;
mod env;
mod episode;
mod errors;
mod observation;
mod run;
mod scenario_arg;
mod slate;
mod spec_info;
mod sweep;
mod vec_env;

use pyo3::prelude::*;

/// The extension module `slatelab._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<errors::ScenarioError>())?;
    m.add("RESPONSE_FIELDS", observation::RESPONSE_FIELDS.to_vec())?;
    m.add("SLATELAB_VERSION", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<env::Env>()?;
    m.add_class::<vec_env::VecEnv>()?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::merge, m)?)?;
    m.add_function(wrap_pyfunction!(scenario_arg::builtin_scenarios, m)?)?;
    Ok(())
}
