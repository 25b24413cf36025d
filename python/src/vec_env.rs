//! `_native.VecEnv`: a batch of environments stepped in one call, written into numpy arrays
//! this object allocates once (gymnasium's `VectorEnv` wraps it).
//!
//! Seeds: under seed `s`, sub-environment `i` of `n` plays episodes `i, i + n, i + 2n, …` of
//! `slatelab run --seed s`, so the batch together meets the CLI's users. Under a list of
//! seeds, sub-environment `i` plays episodes `0, 1, 2, …` of its own seed.

use std::sync::{Mutex, MutexGuard, TryLockError};

use numpy::{PyArray1, PyArrayDyn, PyArrayMethods, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use slatelab::engine::MAX_THREADS;

use crate::batch::{self, ObsBuffers, Sub};
use crate::episode::{Episodes, StepReport};
use crate::observation::RESPONSE_WIDTH;
use crate::{scenario_arg, slate};

/// Most sub-environments in one batch: each holds its own environment and observation
/// buffers, and a batch past this size would only exhaust memory (which aborts, not raises).
const MAX_NUM_ENVS: usize = 1 << 16;

/// A field of `infos`: its name and how a step report gives it.
type InfoField<T> = (&'static str, fn(&StepReport) -> T);

/// The float fields of `infos`.
const FLOAT_INFOS: [InfoField<f64>; 4] = [
    ("engagement", |r| r.engagement),
    ("satisfaction", |r| r.satisfaction),
    ("episode_return", |r| r.totals.episode_return),
    ("episode_engagement", |r| r.totals.engagement),
];

/// The integer fields of `infos`.
const INT_INFOS: [InfoField<i64>; 4] = [
    ("clicked", |r| r.clicked),
    ("episode_clicks", |r| i64::from(r.totals.clicks)),
    ("episode_length", |r| i64::from(r.totals.steps)),
    ("episode", |r| r.episode as i64),
];

/// A batch of environments of one scenario with next-step autoreset.
#[pyclass(module = "slatelab._native")]
pub struct VecEnv {
    batch: Mutex<Batch>,
    scenario: slatelab::scenario::Scenario,
    buffers: Buffers,
    pool: Option<rayon::ThreadPool>,
}

/// The sub-environments, the slates being served and what each step reported.
struct Batch {
    subs: Vec<Sub>,
    slates: Vec<usize>,
    reports: Vec<StepReport>,
}

/// The arrays each call writes, leading dimension `num_envs`.
struct Buffers {
    user: Py<PyArrayDyn<f64>>,
    doc: Py<PyArrayDyn<f64>>,
    response: Py<PyArrayDyn<f64>>,
    doc_cluster: Py<PyArrayDyn<i64>>,
    reward: Py<PyArray1<f64>>,
    terminated: Py<PyArray1<bool>>,
    truncated: Py<PyArray1<bool>>,
    /// In [`FLOAT_INFOS`] order.
    float_infos: Vec<Py<PyArray1<f64>>>,
    /// In [`INT_INFOS`] order.
    int_infos: Vec<Py<PyArray1<i64>>>,
}

#[pymethods]
impl VecEnv {
    /// `num_envs` environments of `scenario` (see `Env`), stepped on `threads` threads.
    #[new]
    #[pyo3(signature = (scenario, num_envs, seed=None, overrides_json=None, threads=1))]
    fn new(
        py: Python<'_>,
        scenario: &str,
        num_envs: usize,
        seed: Option<u64>,
        overrides_json: Option<&str>,
        threads: usize,
    ) -> PyResult<Self> {
        if !(1..=MAX_NUM_ENVS).contains(&num_envs) || !(1..=MAX_THREADS).contains(&threads) {
            return Err(PyValueError::new_err(format!(
                "num_envs must be in 1..={MAX_NUM_ENVS} and threads in 1..={MAX_THREADS}, \
                 got {num_envs} and {threads}"
            )));
        }
        let scenario = scenario_arg::load(scenario, overrides_json)?;
        let seed = seed.unwrap_or(scenario.seed);
        let subs = (0..num_envs)
            .map(|i| Sub {
                episodes: Episodes::new(scenario.env.clone(), seed),
                next_episode: i as u64,
                stride: num_envs as u64,
                needs_reset: true,
            })
            .collect();
        let pool = (threads > 1)
            .then(|| rayon::ThreadPoolBuilder::new().num_threads(threads).build())
            .transpose()
            .map_err(|e| PyValueError::new_err(format!("cannot start threads: {e}")))?;
        let spec = scenario.env.spec();
        let slates = vec![0; num_envs * spec.slate_size];
        Ok(Self {
            batch: Mutex::new(Batch {
                subs,
                slates,
                reports: vec![StepReport::default(); num_envs],
            }),
            buffers: Buffers::new(py, spec, num_envs),
            scenario,
            pool,
        })
    }

    /// The observation shape and the scenario's facts, as a dict.
    fn spec<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::spec_info::spec_dict(py, &self.scenario)
    }

    /// The arrays every call writes, by name (the same objects each time).
    fn buffers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let b = &self.buffers;
        let d = PyDict::new(py);
        d.set_item("user", b.user.bind(py))?;
        d.set_item("doc", b.doc.bind(py))?;
        d.set_item("response", b.response.bind(py))?;
        d.set_item("doc_cluster", b.doc_cluster.bind(py))?;
        d.set_item("reward", b.reward.bind(py))?;
        d.set_item("terminated", b.terminated.bind(py))?;
        d.set_item("truncated", b.truncated.bind(py))?;
        for ((name, _), array) in FLOAT_INFOS.iter().zip(&b.float_infos) {
            d.set_item(name, array.bind(py))?;
        }
        for ((name, _), array) in INT_INFOS.iter().zip(&b.int_infos) {
            d.set_item(name, array.bind(py))?;
        }
        Ok(d)
    }

    /// Starts an episode in every sub-environment: under `seed`, sub-environment `i` plays
    /// episodes `i, i + n, …` of that seed; under `seeds` (one per sub-environment), episodes
    /// `0, 1, …` of its own; with neither, each goes on with its next episode.
    #[pyo3(signature = (seed=None, seeds=None))]
    fn reset(&self, py: Python<'_>, seed: Option<u64>, seeds: Option<Vec<u64>>) -> PyResult<()> {
        let mut batch = self.lock(py);
        let n = batch.subs.len();
        if let Some(seeds) = &seeds
            && seeds.len() != n
        {
            return Err(PyValueError::new_err(format!(
                "{} seeds for {n} sub-environments",
                seeds.len()
            )));
        }
        for (i, sub) in batch.subs.iter_mut().enumerate() {
            if let Some(seeds) = &seeds {
                sub.episodes.reseed(seeds[i]);
                (sub.next_episode, sub.stride) = (0, 1);
            } else if let Some(seed) = seed {
                sub.episodes.reseed(seed);
                (sub.next_episode, sub.stride) = (i as u64, n as u64);
            }
            sub.needs_reset = true;
        }
        self.advance(py, &mut batch)
    }

    /// Serves `actions` (num_envs × K) and writes the results into the buffers. A
    /// sub-environment whose episode ended at the last call starts its next one instead and
    /// ignores its action. Every slate is checked before any sub-environment moves.
    fn step(&self, py: Python<'_>, actions: PyReadonlyArray2<'_, i64>) -> PyResult<()> {
        let mut guard = self.lock(py);
        let batch = &mut *guard;
        let spec = self.scenario.env.spec();
        let (k, n) = (spec.slate_size, spec.num_candidates);
        if actions.shape() != [batch.subs.len(), k] {
            return Err(PyValueError::new_err(format!(
                "actions have shape {:?}; expected ({}, {k})",
                actions.shape(),
                batch.subs.len()
            )));
        }
        let actions = actions.as_array();
        let mut row = Vec::with_capacity(k);
        for (i, (sub, out)) in batch
            .subs
            .iter()
            .zip(batch.slates.chunks_mut(k))
            .enumerate()
        {
            if sub.needs_reset {
                continue;
            }
            row.clear();
            row.extend(actions.row(i).iter().copied());
            slate::check(&row, k, n)
                .map_err(|e| PyValueError::new_err(format!("sub-environment {i}: {e}")))?;
            for (o, &a) in out.iter_mut().zip(&row) {
                *o = a as usize;
            }
        }
        self.advance(py, batch)
    }
}

impl VecEnv {
    /// The batch, waiting without the GIL: a call holds the lock while it steps without the
    /// GIL, and would otherwise wait forever for the GIL a second caller held while waiting.
    fn lock(&self, py: Python<'_>) -> MutexGuard<'_, Batch> {
        loop {
            match self.batch.try_lock() {
                Ok(guard) => return guard,
                Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => py.detach(std::thread::yield_now),
            }
        }
    }

    /// Moves every sub-environment (without the GIL) and writes the buffers.
    fn advance(&self, py: Python<'_>, batch: &mut Batch) -> PyResult<()> {
        let b = &self.buffers;
        let contiguous = |e| PyValueError::new_err(format!("a buffer is not contiguous: {e}"));
        let (mut user, mut doc) = (b.user.bind(py).readwrite(), b.doc.bind(py).readwrite());
        let mut response = b.response.bind(py).readwrite();
        let mut cluster = b.doc_cluster.bind(py).readwrite();
        let out = ObsBuffers {
            user: user.as_slice_mut().map_err(contiguous)?,
            doc: doc.as_slice_mut().map_err(contiguous)?,
            response: response.as_slice_mut().map_err(contiguous)?,
            cluster: cluster.as_slice_mut().map_err(contiguous)?,
        };
        let Batch {
            subs,
            slates,
            reports,
        } = batch;
        let pool = self.pool.as_ref();
        py.detach(|| batch::advance_all(subs, slates, out, reports, pool));
        let reports = &batch.reports;
        fill(b.reward.bind(py), reports, |r| r.reward)?;
        fill(b.terminated.bind(py), reports, |r| r.terminated)?;
        fill(b.truncated.bind(py), reports, |r| r.truncated)?;
        for ((_, get), array) in FLOAT_INFOS.iter().zip(&b.float_infos) {
            fill(array.bind(py), reports, get)?;
        }
        for ((_, get), array) in INT_INFOS.iter().zip(&b.int_infos) {
            fill(array.bind(py), reports, get)?;
        }
        Ok(())
    }
}

/// Writes one field of every step report into `array`.
fn fill<T: numpy::Element + Copy>(
    array: &Bound<'_, PyArray1<T>>,
    reports: &[StepReport],
    get: impl Fn(&StepReport) -> T,
) -> PyResult<()> {
    let mut array = array.readwrite();
    let slice = array
        .as_slice_mut()
        .map_err(|e| PyValueError::new_err(format!("a buffer is not contiguous: {e}")))?;
    for (out, report) in slice.iter_mut().zip(reports) {
        *out = get(report);
    }
    Ok(())
}

impl Buffers {
    fn new(py: Python<'_>, spec: &slatelab::sim::ObsSpec, num_envs: usize) -> Self {
        let (n, k) = (spec.num_candidates, spec.slate_size);
        let floats = |shape: &[usize]| PyArrayDyn::<f64>::zeros(py, shape, false).unbind();
        // Cluster ids where documents carry one; a zero-width array elsewhere.
        let clusters = if spec.num_clusters > 0 { n } else { 0 };
        Self {
            user: floats(&[num_envs, spec.user_dim]),
            doc: floats(&[num_envs, n, spec.doc_dim]),
            response: floats(&[num_envs, k, RESPONSE_WIDTH]),
            doc_cluster: PyArrayDyn::zeros(py, &[num_envs, clusters][..], false).unbind(),
            reward: PyArray1::zeros(py, num_envs, false).unbind(),
            terminated: PyArray1::zeros(py, num_envs, false).unbind(),
            truncated: PyArray1::zeros(py, num_envs, false).unbind(),
            float_infos: FLOAT_INFOS
                .iter()
                .map(|_| PyArray1::zeros(py, num_envs, false).unbind())
                .collect(),
            int_infos: INT_INFOS
                .iter()
                .map(|_| PyArray1::zeros(py, num_envs, false).unbind())
                .collect(),
        }
    }
}
