//! Online ridge regression: A = λI + Σ xxᵀ, b = Σ y x, θ̂ = A⁻¹b.
//!
//! Each observation costs O(d²): A⁻¹ by the Sherman–Morrison formula, θ̂ by the matching
//! recursive-least-squares step, and (for Thompson sampling) the Cholesky factor of A by a
//! rank-one update. Sherman–Morrison subtracts ever smaller terms from a shrinking inverse,
//! so rounding errors accumulate; every `refactor_every` updates A⁻¹, θ̂ and the factor are
//! recomputed from A and b, which are exact sums. A and A⁻¹ are symmetric: only their upper
//! triangles are maintained.

use super::cholesky::{factor_upper, inverse_from_upper, rank_one_update, solve_upper};
use super::kernels::{axpy, dot, mirror_upper, sym_upper_mat_vec, sym_upper_rank_one};

/// Largest magnitude accepted in a feature vector or target: keeps every square in A finite.
pub const MAX_MAGNITUDE: f64 = 1e100;

/// Why an observation was refused (the model is left unchanged).
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum RidgeError {
    /// A feature or the target was NaN, infinite or beyond ±1e100.
    #[error("a feature or target is not finite or exceeds 1e100 in magnitude")]
    BadInput,
    /// A and b cannot be refactorised (A is not numerically positive definite).
    #[error("the design matrix is not numerically positive definite")]
    NotPositiveDefinite,
}

/// The state of one ridge regression with d features.
#[derive(Clone, Debug)]
pub struct Ridge {
    dim: usize,
    refactor_every: u64,
    a: Vec<f64>,
    b: Vec<f64>,
    a_inv: Vec<f64>,
    theta: Vec<f64>,
    /// Upper Cholesky factor R of A (A = RᵀR), kept only when asked for.
    factor: Option<Vec<f64>>,
    updates: u64,
    since_refactor: u64,
    work: Vec<f64>,
    work2: Vec<f64>,
    square: Vec<f64>,
    square2: Vec<f64>,
}

impl Ridge {
    /// A = λI, b = 0. `keep_factor` maintains the Cholesky factor of A (for sampling).
    pub fn new(dim: usize, lambda: f64, refactor_every: u64, keep_factor: bool) -> Self {
        let mut a = vec![0.0; dim * dim];
        let mut a_inv = vec![0.0; dim * dim];
        let mut factor = keep_factor.then(|| vec![0.0; dim * dim]);
        for i in 0..dim {
            a[i * dim + i] = lambda;
            a_inv[i * dim + i] = 1.0 / lambda;
            if let Some(r) = &mut factor {
                r[i * dim + i] = lambda.sqrt();
            }
        }
        Self {
            dim,
            refactor_every: refactor_every.max(1),
            a,
            b: vec![0.0; dim],
            a_inv,
            theta: vec![0.0; dim],
            factor,
            updates: 0,
            since_refactor: 0,
            work: vec![0.0; dim],
            work2: vec![0.0; dim],
            square: vec![0.0; dim * dim],
            square2: vec![0.0; dim * dim],
        }
    }

    /// Adds the observation (x, y). Returns xᵀA⁻¹x before the update (the squared width).
    pub fn update(&mut self, x: &[f64], y: f64) -> Result<f64, RidgeError> {
        let ok = |v: f64| v.is_finite() && v.abs() <= MAX_MAGNITUDE;
        if x.len() != self.dim || !ok(y) || !x.iter().all(|&v| ok(v)) {
            return Err(RidgeError::BadInput);
        }
        sym_upper_mat_vec(&self.a_inv, x, &mut self.work);
        let mut q = dot(x, &self.work);
        if !(q.is_finite() && q > -0.5) {
            // Rounding has broken A⁻¹ (it must be positive definite): rebuild before using it.
            self.refactor()?;
            sym_upper_mat_vec(&self.a_inv, x, &mut self.work);
            q = dot(x, &self.work);
        }
        let q = q.max(0.0);
        let s = 1.0 + q;
        let err = y - dot(x, &self.theta);
        axpy(err / s, &self.work, &mut self.theta);
        sym_upper_rank_one(&mut self.a_inv, -1.0 / s, &self.work);
        sym_upper_rank_one(&mut self.a, 1.0, x);
        axpy(y, x, &mut self.b);
        if let Some(r) = &mut self.factor {
            self.work2.copy_from_slice(x);
            rank_one_update(r, &mut self.work2);
        }
        self.updates += 1;
        self.since_refactor += 1;
        if self.since_refactor >= self.refactor_every {
            // A failure keeps the incrementally maintained state, which is still usable.
            let _ = self.refactor();
        }
        Ok(q)
    }

    /// Recomputes A⁻¹, θ̂ and the factor from A and b. On failure nothing changes.
    pub fn refactor(&mut self) -> Result<(), RidgeError> {
        self.since_refactor = 0;
        if !factor_upper(&self.a, &mut self.square2, self.dim) {
            return Err(RidgeError::NotPositiveDefinite);
        }
        inverse_from_upper(
            &self.square2,
            &mut self.square,
            &mut self.work,
            &mut self.a_inv,
        );
        sym_upper_mat_vec(&self.a_inv, &self.b, &mut self.theta);
        if let Some(r) = &mut self.factor {
            r.copy_from_slice(&self.square2);
        }
        Ok(())
    }

    /// Replaces A and b (e.g. from a checkpoint) and refactorises.
    pub fn load(&mut self, a: &[f64], b: &[f64], updates: u64) -> Result<(), RidgeError> {
        let d = self.dim;
        if a.len() != d * d || b.len() != d || !a.iter().chain(b).all(|v| v.is_finite()) {
            return Err(RidgeError::BadInput);
        }
        if !(0..d).all(|i| (0..i).all(|j| a[i * d + j] == a[j * d + i])) {
            return Err(RidgeError::BadInput);
        }
        if !factor_upper(a, &mut self.square2, d) {
            return Err(RidgeError::NotPositiveDefinite);
        }
        self.a.copy_from_slice(a);
        self.b.copy_from_slice(b);
        self.updates = updates;
        self.refactor()
    }

    /// θ̂ + v·R⁻¹z, a draw from N(θ̂, v²A⁻¹) given standard normals `z` (overwritten).
    ///
    /// # Panics
    /// If the ridge was built without `keep_factor`.
    pub fn sample(&self, z: &mut [f64], v: f64, out: &mut [f64]) {
        let r = self
            .factor
            .as_ref()
            .expect("sampling needs the Cholesky factor");
        solve_upper(r, z);
        for ((o, t), zi) in out.iter_mut().zip(&self.theta).zip(z.iter()) {
            *o = t + v * zi;
        }
    }

    /// d, the number of features.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// θ̂ = A⁻¹b.
    pub fn theta(&self) -> &[f64] {
        &self.theta
    }

    /// A⁻¹ (d × d, row-major); only its upper triangle is up to date.
    pub fn a_inv(&self) -> &[f64] {
        &self.a_inv
    }

    /// A = λI + Σ xxᵀ (d × d, row-major); only its upper triangle is up to date.
    pub fn a(&self) -> &[f64] {
        &self.a
    }

    /// A in full (both triangles), for checkpoints.
    pub fn design_matrix(&self) -> Vec<f64> {
        let mut a = self.a.clone();
        mirror_upper(&mut a, self.dim);
        a
    }

    /// b = Σ y x.
    pub fn b(&self) -> &[f64] {
        &self.b
    }

    /// The upper Cholesky factor R of A, when kept.
    pub fn factor(&self) -> Option<&[f64]> {
        self.factor.as_deref()
    }

    /// Observations learned from.
    pub fn updates(&self) -> u64 {
        self.updates
    }
}

#[cfg(test)]
mod tests;
