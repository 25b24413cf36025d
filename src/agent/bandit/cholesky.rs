//! Cholesky factors A = RᵀR (R upper triangular, row-major) and what the bandits do with them.
//!
//! The upper factor is stored rather than the lower one so that the rank-one update and
//! back substitution both walk rows, which are contiguous.

use super::kernels::dot;

/// Writes the upper Cholesky factor of the symmetric d × d matrix `a` into `r`.
///
/// Returns false, leaving `r` partly written, when `a` is not numerically positive definite.
pub fn factor_upper(a: &[f64], r: &mut [f64], d: usize) -> bool {
    r.fill(0.0);
    for j in 0..d {
        let diag = a[j * d + j] - (0..j).map(|k| r[k * d + j] * r[k * d + j]).sum::<f64>();
        if !(diag > 0.0 && diag.is_finite()) {
            return false;
        }
        let rjj = diag.sqrt();
        r[j * d + j] = rjj;
        for i in j + 1..d {
            let s = a[j * d + i] - (0..j).map(|k| r[k * d + j] * r[k * d + i]).sum::<f64>();
            r[j * d + i] = s / rjj;
        }
    }
    true
}

/// Replaces R by the factor of RᵀR + wwᵀ in O(d²) (rotations; stable for updates).
/// `w` is used as scratch and left overwritten.
pub fn rank_one_update(r: &mut [f64], w: &mut [f64]) {
    let d = w.len();
    for k in 0..d {
        let wk = w[k];
        if wk == 0.0 {
            // The rotation would be the identity.
            continue;
        }
        let row = &mut r[k * d..(k + 1) * d];
        let rkk = row[k];
        // sqrt is correctly rounded everywhere (hypot is not), keeping results portable.
        let new = (rkk * rkk + wk * wk).sqrt();
        let (c, s, inv_c) = (new / rkk, wk / rkk, rkk / new);
        row[k] = new;
        let (row_tail, w_tail) = (&mut row[k + 1..], &mut w[k + 1..]);
        for (rki, wi) in row_tail.iter_mut().zip(w_tail.iter_mut()) {
            *rki = (*rki + s * *wi) * inv_c;
            *wi = c * *wi - s * *rki;
        }
    }
}

/// Solves R y = z in place (back substitution).
pub fn solve_upper(r: &[f64], z: &mut [f64]) {
    let d = z.len();
    for i in (0..d).rev() {
        let row = &r[i * d..(i + 1) * d];
        let s = dot(&row[i + 1..], &z[i + 1..]);
        z[i] = (z[i] - s) / row[i];
    }
}

/// Writes A⁻¹ = R⁻¹R⁻ᵀ into `out`, using `rinv` (d × d) and `col` (d) as scratch.
pub fn inverse_from_upper(r: &[f64], rinv: &mut [f64], col: &mut [f64], out: &mut [f64]) {
    let d = col.len();
    rinv.fill(0.0);
    for j in 0..d {
        col.fill(0.0);
        col[j] = 1.0;
        // R⁻¹ is upper triangular too: only the first j+1 entries of column j are nonzero.
        solve_upper_prefix(r, &mut col[..=j], d);
        for i in 0..=j {
            rinv[i * d + j] = col[i];
        }
    }
    for i in 0..d {
        for j in i..d {
            let v = dot(&rinv[i * d + j..(i + 1) * d], &rinv[j * d + j..(j + 1) * d]);
            out[i * d + j] = v;
            out[j * d + i] = v;
        }
    }
}

/// Back substitution on the leading (len × len) block of a d × d upper factor.
fn solve_upper_prefix(r: &[f64], z: &mut [f64], d: usize) {
    let n = z.len();
    for i in (0..n).rev() {
        let row = &r[i * d..i * d + n];
        let s = dot(&row[i + 1..], &z[i + 1..]);
        z[i] = (z[i] - s) / row[i];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]] is positive definite.
    const A: [f64; 9] = [4.0, 2.0, 0.0, 2.0, 5.0, 1.0, 0.0, 1.0, 3.0];

    fn gram(r: &[f64], d: usize) -> Vec<f64> {
        let mut g = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                g[i * d + j] = (0..d).map(|k| r[k * d + i] * r[k * d + j]).sum();
            }
        }
        g
    }

    #[test]
    fn factor_reproduces_the_matrix() {
        let mut r = [0.0; 9];
        assert!(factor_upper(&A, &mut r, 3));
        assert_eq!((r[3], r[6], r[7]), (0.0, 0.0, 0.0));
        for (g, a) in gram(&r, 3).iter().zip(A) {
            assert!((g - a).abs() < 1e-12);
        }
    }

    #[test]
    fn factor_rejects_indefinite_matrices() {
        let mut r = [0.0; 4];
        assert!(!factor_upper(&[1.0, 2.0, 2.0, 1.0], &mut r, 2));
        assert!(!factor_upper(&[f64::NAN, 0.0, 0.0, 1.0], &mut r, 2));
    }

    #[test]
    fn rank_one_update_matches_refactoring() {
        let mut r = [0.0; 9];
        factor_upper(&A, &mut r, 3);
        let w = [0.5, -1.0, 2.0];
        rank_one_update(&mut r, &mut w.clone());
        let mut updated = A;
        for i in 0..3 {
            for j in 0..3 {
                updated[i * 3 + j] += w[i] * w[j];
            }
        }
        let mut fresh = [0.0; 9];
        factor_upper(&updated, &mut fresh, 3);
        for (x, y) in r.iter().zip(fresh) {
            assert!((x - y).abs() < 1e-12, "{r:?} vs {fresh:?}");
        }
    }

    #[test]
    fn inverse_and_solve_agree_with_the_matrix() {
        let mut r = [0.0; 9];
        factor_upper(&A, &mut r, 3);
        let mut inv = [0.0; 9];
        inverse_from_upper(&r, &mut [0.0; 9], &mut [0.0; 3], &mut inv);
        for i in 0..3 {
            for j in 0..3 {
                let p: f64 = (0..3).map(|k| A[i * 3 + k] * inv[k * 3 + j]).sum();
                assert!((p - f64::from(u8::from(i == j))).abs() < 1e-12);
            }
        }
        // R y = z, checked by multiplying back.
        let z = [1.0, 2.0, 3.0];
        let mut y = z;
        solve_upper(&r, &mut y);
        for i in 0..3 {
            let back: f64 = (i..3).map(|k| r[i * 3 + k] * y[k]).sum();
            assert!((back - z[i]).abs() < 1e-12);
        }
    }
}
