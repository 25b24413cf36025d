//! Small dense linear-algebra kernels on row-major slices, written for the bandits' sizes.
//!
//! Hand-written rather than ndarray's `dot` (matrixmultiply) or nalgebra: at d ≤ 64 and
//! N ≤ 100 these loops are faster, they never allocate (matrixmultiply allocates a packing
//! buffer per product), and they skip the zero entries of sparse feature vectors (one-hot
//! topics). docs/performance.md, section "Bandits", has the measurements.

/// Σ a_i b_i.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    // Four partial sums let the compiler vectorise without reassociating a single sum.
    let mut acc = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// y ← y + α x.
#[inline]
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// out ← S x for a symmetric d × d matrix S, as a sum of S's rows weighted by x, skipping
/// the zero entries of x.
pub fn sym_mat_vec(s: &[f64], x: &[f64], out: &mut [f64]) {
    let d = x.len();
    out.fill(0.0);
    for (k, &xk) in x.iter().enumerate() {
        if xk != 0.0 {
            axpy(xk, &s[k * d..(k + 1) * d], out);
        }
    }
}

/// out ← X v for an N × d row-major matrix X.
pub fn mat_vec(x: &[f64], v: &[f64], out: &mut [f64]) {
    let d = v.len();
    for (o, row) in out.iter_mut().zip(x.chunks_exact(d)) {
        *o = dot(row, v);
    }
}

/// out_i ← x_iᵀ S x_i for every row x_i of the N × d matrix X (S symmetric d × d).
///
/// This is the diagonal of X S Xᵀ, computed as the product M = X S one row at a time
/// (`scratch`, length d, holds the row) so nothing is allocated.
pub fn quad_forms(x: &[f64], s: &[f64], scratch: &mut [f64], out: &mut [f64]) {
    let d = scratch.len();
    for (o, row) in out.iter_mut().zip(x.chunks_exact(d)) {
        sym_mat_vec(s, row, scratch);
        *o = dot(row, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_handles_every_remainder() {
        for n in 0..11 {
            let a: Vec<f64> = (0..n).map(|i| i as f64 + 1.0).collect();
            let b: Vec<f64> = (0..n).map(|i| 2.0 - i as f64).collect();
            let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() < 1e-12, "n = {n}");
        }
    }

    #[test]
    fn quad_forms_match_the_naive_product() {
        // S = [[2, 1, 0], [1, 3, 1], [0, 1, 4]]; rows x = (1, 0, 2) and (0, -1, 1).
        let s = [2.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 4.0];
        let x = [1.0, 0.0, 2.0, 0.0, -1.0, 1.0];
        let mut out = [0.0; 2];
        quad_forms(&x, &s, &mut [0.0; 3], &mut out);
        // (1,0,2)·S·(1,0,2) = 2 + 0 + 16 + 2·(0 + 0 + 0) = 18; (0,−1,1): 3 + 4 − 2 = 5.
        assert_eq!(out, [18.0, 5.0]);
        let mut mv = [0.0; 2];
        mat_vec(&x, &[1.0, 1.0, 1.0], &mut mv);
        assert_eq!(mv, [3.0, 0.0]);
    }
}
