//! Small dense linear-algebra kernels on row-major slices, written for the bandits' sizes.
//!
//! Symmetric matrices (A, A⁻¹) are kept as their upper triangle only: every kernel here that
//! takes one reads and writes nothing below the diagonal, which halves the work.
//! Hand-written rather than ndarray's `dot` (matrixmultiply) or nalgebra: they never
//! allocate (matrixmultiply allocates a packing buffer per product), they exploit symmetry
//! and skip the zero entries of sparse feature vectors (one-hot topics).
//! docs/performance.md, section "Bandits", has the measurements.

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

/// out ← S x for a symmetric d × d matrix S of which only the upper triangle is read.
///
/// Row k's upper tail serves twice: as a dot product for out_k and, weighted by x_k, as the
/// lower triangle's contribution to out_j for j > k. Both walk contiguous memory. Rows
/// whose x_k is zero contribute only through the dot products of earlier rows.
pub fn sym_upper_mat_vec(s: &[f64], x: &[f64], out: &mut [f64]) {
    let d = x.len();
    out.fill(0.0);
    for k in 0..d {
        let tail = &s[k * d + k..(k + 1) * d];
        out[k] += dot(tail, &x[k..]);
        if x[k] != 0.0 {
            axpy(x[k], &tail[1..], &mut out[k + 1..]);
        }
    }
}

/// S ← S + α v vᵀ on the upper triangle of the d × d matrix S.
pub fn sym_upper_rank_one(s: &mut [f64], alpha: f64, v: &[f64]) {
    let d = v.len();
    for (k, &vk) in v.iter().enumerate() {
        if vk != 0.0 {
            axpy(alpha * vk, &v[k..], &mut s[k * d + k..(k + 1) * d]);
        }
    }
}

/// Copies the upper triangle of the d × d matrix `s` onto its lower triangle.
pub fn mirror_upper(s: &mut [f64], d: usize) {
    for i in 0..d {
        for j in 0..i {
            s[i * d + j] = s[j * d + i];
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

/// (Σ t_i u_i, Σ t_i v_i): two dot products sharing the loads of `t`.
#[inline]
fn dot2(t: &[f64], u: &[f64], v: &[f64]) -> (f64, f64) {
    let mut acc = [0.0; 4];
    let (ct, cu, cv) = (t.chunks_exact(2), u.chunks_exact(2), v.chunks_exact(2));
    let (rt, ru, rv) = (ct.remainder(), cu.remainder(), cv.remainder());
    for ((t, u), v) in ct.zip(cu).zip(cv) {
        acc[0] += t[0] * u[0];
        acc[1] += t[1] * u[1];
        acc[2] += t[0] * v[0];
        acc[3] += t[1] * v[1];
    }
    let (mut du, mut dv) = (acc[0] + acc[1], acc[2] + acc[3]);
    for ((t, u), v) in rt.iter().zip(ru).zip(rv) {
        du += t * u;
        dv += t * v;
    }
    (du, dv)
}

/// out_i ← x_iᵀ S x_i for every row x_i of the N × d matrix X; S symmetric d × d, of
/// which only the upper triangle is read.
///
/// The diagonal of X S Xᵀ, as Σ_k x_k (S_kk x_k + 2 Σ_{j>k} S_kj x_j): half the
/// multiplications of the full product and no stores. Rows are taken in pairs so each
/// load of S serves two candidates, and rows of S where the candidates' x_k are zero are
/// skipped (one-hot features touch a handful of rows).
pub fn quad_forms(x: &[f64], s: &[f64], d: usize, out: &mut [f64]) {
    let mut pairs = x.chunks_exact(2 * d);
    let mut outs = out.chunks_exact_mut(2);
    for (o, pair) in (&mut outs).zip(&mut pairs) {
        let (a, b) = pair.split_at(d);
        let (mut qa, mut qb) = (0.0, 0.0);
        for k in 0..d {
            let (ak, bk) = (a[k], b[k]);
            if ak == 0.0 && bk == 0.0 {
                continue;
            }
            let tail = &s[k * d + k..(k + 1) * d];
            let (da, db) = dot2(&tail[1..], &a[k + 1..], &b[k + 1..]);
            qa += ak * (tail[0] * ak + 2.0 * da);
            qb += bk * (tail[0] * bk + 2.0 * db);
        }
        o[0] = qa;
        o[1] = qb;
    }
    if let (Some(o), row) = (outs.into_remainder().first_mut(), pairs.remainder()) {
        let mut q = 0.0;
        for (k, &xk) in row.iter().enumerate() {
            if xk != 0.0 {
                let tail = &s[k * d + k..(k + 1) * d];
                q += xk * (tail[0] * xk + 2.0 * dot(&tail[1..], &row[k + 1..]));
            }
        }
        *o = q;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_handles_every_remainder() {
        for n in 0..11 {
            let a: Vec<f64> = (0..n).map(|i| f64::from(i) + 1.0).collect();
            let b: Vec<f64> = (0..n).map(|i| 2.0 - f64::from(i)).collect();
            let naive: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() < 1e-12, "n = {n}");
        }
    }

    #[test]
    fn quad_forms_pair_rows_and_skip_zeros() {
        let d = 5;
        let s: Vec<f64> = (0..d * d)
            .map(|i| {
                let (r, c) = (i / d, i % d);
                if r == c { 3.0 } else { 0.1 * (r + c) as f64 }
            })
            .collect();
        // Seven rows (three pairs and one left over), some sparse, one all zero.
        let mut x: Vec<f64> = (0..7 * d)
            .map(|i| {
                if (i * 7) % 3 == 0 {
                    0.0
                } else {
                    (i as f64 * 0.37).sin()
                }
            })
            .collect();
        x[2 * d..3 * d].fill(0.0);
        let mut out = vec![f64::NAN; 7];
        quad_forms(&x, &s, d, &mut out);
        for (i, row) in x.chunks_exact(d).enumerate() {
            let naive: f64 = (0..d)
                .flat_map(|j| (0..d).map(move |k| (j, k)))
                .map(|(j, k)| row[j] * s[j * d + k] * row[k])
                .sum();
            assert!(
                (out[i] - naive).abs() < 1e-12,
                "row {i}: {} vs {naive}",
                out[i]
            );
        }
        assert_eq!(out[2], 0.0);
    }

    #[test]
    fn quad_forms_match_the_naive_product() {
        // S = [[2, 1, 0], [1, 3, 1], [0, 1, 4]]; rows x = (1, 0, 2) and (0, -1, 1).
        let s = [2.0, 1.0, 0.0, 1.0, 3.0, 1.0, 0.0, 1.0, 4.0];
        let x = [1.0, 0.0, 2.0, 0.0, -1.0, 1.0];
        // Only the upper triangle may be read: poison the lower one.
        let mut upper = s;
        for i in [3, 6, 7] {
            upper[i] = f64::NAN;
        }
        let mut out = [0.0; 2];
        quad_forms(&x, &upper, 3, &mut out);
        // (1,0,2)·S·(1,0,2) = 2 + 0 + 16 + 2·(0 + 0 + 0) = 18; (0,−1,1): 3 + 4 − 2 = 5.
        assert_eq!(out, [18.0, 5.0]);
        let mut sx = [0.0; 3];
        sym_upper_mat_vec(&upper, &x[..3], &mut sx);
        assert_eq!(sx, [2.0, 3.0, 8.0]);
        sym_upper_rank_one(&mut upper, 2.0, &[1.0, 0.0, -1.0]);
        mirror_upper(&mut upper, 3);
        assert_eq!(upper, [4.0, 1.0, -2.0, 1.0, 3.0, 1.0, -2.0, 1.0, 6.0]);
        let mut mv = [0.0; 2];
        mat_vec(&x, &[1.0, 1.0, 1.0], &mut mv);
        assert_eq!(mv, [3.0, 0.0]);
    }
}
