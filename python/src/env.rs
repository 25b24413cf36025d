//! `_native.Env`: one environment, stepped one slate at a time (gymnasium's `Env` wraps it).

use std::sync::{Mutex, MutexGuard};

use numpy::ndarray::{Array1, Array2};
use numpy::{IntoPyArray, ToPyArray};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::{IntoPyObjectExt, intern};

use slatelab::sim::Observation;

use crate::episode::{Episodes, StepReport};
use crate::observation::{self, RESPONSE_WIDTH};
use crate::{scenario_arg, slate};

/// One environment of a scenario, playing the episodes of `slatelab run --seed SEED`.
#[pyclass(module = "slatelab._native")]
pub struct Env {
    state: Mutex<State>,
    scenario: slatelab::scenario::Scenario,
}

struct State {
    episodes: Episodes,
    slate: Vec<usize>,
    /// Index of the episode the next seedless reset starts.
    next_episode: u64,
    /// An episode is running (reset called, not yet ended).
    running: bool,
}

#[pymethods]
impl Env {
    /// Loads `scenario` (a built-in name or a `.ron` path) with its environment fields
    /// replaced by `overrides_json`; `seed` replaces the scenario's seed.
    #[new]
    #[pyo3(signature = (scenario, seed=None, overrides_json=None))]
    fn new(scenario: &str, seed: Option<u64>, overrides_json: Option<&str>) -> PyResult<Self> {
        let scenario = scenario_arg::load(scenario, overrides_json)?;
        let seed = seed.unwrap_or(scenario.seed);
        let episodes = Episodes::new(scenario.env.clone(), seed);
        Ok(Self {
            state: Mutex::new(State {
                slate: Vec::with_capacity(episodes.spec().slate_size),
                episodes,
                next_episode: 0,
                running: false,
            }),
            scenario,
        })
    }

    /// The observation shape and the scenario's facts, as a dict.
    fn spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::spec_info::spec_dict(py, &self.scenario)
    }

    /// The seed whose episodes are played.
    #[getter]
    fn seed(&self) -> u64 {
        self.lock().episodes.seed()
    }

    /// Starts an episode: episode 0 of `seed` when given, else the episode after the last
    /// one started. Returns `(observation, info)`.
    #[pyo3(signature = (seed=None))]
    fn reset<'py>(&self, py: Python<'py>, seed: Option<u64>) -> PyResult<Bound<'py, PyAny>> {
        let mut state = self.lock();
        if let Some(seed) = seed {
            state.episodes.reseed(seed);
            state.next_episode = 0;
        }
        let index = state.next_episode;
        state.episodes.start(index);
        state.next_episode = index + 1;
        state.running = true;
        let obs = observation_dict(py, state.episodes.observation())?;
        let info = PyDict::new(py);
        info.set_item(intern!(py, "episode"), index)?;
        info.set_item(intern!(py, "segment"), state.episodes.segment())?;
        (obs, info).into_bound_py_any(py)
    }

    /// Serves `action` (K distinct candidate indices) and returns
    /// `(observation, reward, terminated, truncated, info)`.
    fn step<'py>(
        &self,
        py: Python<'py>,
        action: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut guard = self.lock();
        let state = &mut *guard;
        if !state.running {
            return Err(PyRuntimeError::new_err(
                "step() before reset() or after the episode ended: call reset()",
            ));
        }
        let spec = state.episodes.spec();
        let (k, n) = (spec.slate_size, spec.num_candidates);
        slate::read(action, k, n, &mut state.slate)?;
        let report = state.episodes.step(&state.slate);
        state.running = !(report.terminated || report.truncated);
        let obs = observation_dict(py, state.episodes.observation())?;
        let info = info_dict(py, &report)?;
        (
            obs,
            report.reward,
            report.terminated,
            report.truncated,
            info,
        )
            .into_bound_py_any(py)
    }
}

impl Env {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while the lock was held left no half-written state worth refusing.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// An observation as a dict of fresh arrays (callers may keep them).
fn observation_dict<'py>(py: Python<'py>, obs: &Observation) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item(intern!(py, "user"), obs.user.to_pyarray(py))?;
    dict.set_item(intern!(py, "doc"), obs.docs.to_pyarray(py))?;
    let mut response = vec![0.0; obs.responses.len() * RESPONSE_WIDTH];
    observation::write_responses(&obs.responses, &mut response);
    let response = Array2::from_shape_vec((obs.responses.len(), RESPONSE_WIDTH), response)
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    dict.set_item(intern!(py, "response"), response.into_pyarray(py))?;
    if !obs.doc_clusters.is_empty() {
        let clusters: Array1<i64> = obs.doc_clusters.iter().map(|&c| i64::from(c)).collect();
        dict.set_item(intern!(py, "doc_cluster"), clusters.into_pyarray(py))?;
    }
    Ok(dict)
}

/// `info` of a step: this step's click, engagement and satisfaction, and the running totals.
fn info_dict<'py>(py: Python<'py>, r: &StepReport) -> PyResult<Bound<'py, PyDict>> {
    let info = PyDict::new(py);
    info.set_item(intern!(py, "clicked"), r.clicked)?;
    info.set_item(intern!(py, "engagement"), r.engagement)?;
    info.set_item(intern!(py, "satisfaction"), r.satisfaction)?;
    info.set_item(intern!(py, "episode_return"), r.totals.episode_return)?;
    info.set_item(intern!(py, "episode_clicks"), r.totals.clicks)?;
    info.set_item(intern!(py, "episode_engagement"), r.totals.engagement)?;
    info.set_item(intern!(py, "episode_length"), r.totals.steps)?;
    info.set_item(intern!(py, "episode"), r.episode)?;
    Ok(info)
}
