//! Checking slates that come from Python: K distinct candidate indices in 0..N.

use numpy::PyReadonlyArray1;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Why a slate was refused, in words that name it.
pub fn check(slate: &[i64], k: usize, n: usize) -> Result<(), String> {
    if slate.len() != k {
        return Err(format!(
            "slate {slate:?} has {} items; this environment's slates have K = {k}",
            slate.len()
        ));
    }
    if let Some(bad) = slate.iter().find(|&&i| i < 0 || i as u64 >= n as u64) {
        return Err(format!(
            "slate {slate:?}: index {bad} is out of range (candidates are 0..{n})"
        ));
    }
    for (j, i) in slate.iter().enumerate() {
        if slate[..j].contains(i) {
            return Err(format!("slate {slate:?} repeats index {i}"));
        }
    }
    Ok(())
}

/// Reads an action (a 1-D integer array, a sequence of ints, or an int when K = 1) into
/// `out` as a checked slate.
pub fn read(action: &Bound<'_, PyAny>, k: usize, n: usize, out: &mut Vec<usize>) -> PyResult<()> {
    if let Ok(array) = action.extract::<PyReadonlyArray1<'_, i64>>() {
        return match array.as_slice() {
            Ok(values) => accept(values, k, n, out),
            Err(_) => accept(&array.as_array().to_vec(), k, n, out),
        };
    }
    if let Ok(single) = action.extract::<i64>() {
        return accept(&[single], k, n, out);
    }
    let values: Vec<i64> = action.extract().map_err(|_| {
        let shown = action.repr().map_or_else(|_| "?".into(), |r| r.to_string());
        PyValueError::new_err(format!(
            "a slate is {k} distinct integers in 0..{n}, got {shown}"
        ))
    })?;
    accept(&values, k, n, out)
}

fn accept(values: &[i64], k: usize, n: usize, out: &mut Vec<usize>) -> PyResult<()> {
    check(values, k, n).map_err(PyValueError::new_err)?;
    out.clear();
    out.extend(values.iter().map(|&i| i as usize));
    Ok(())
}
