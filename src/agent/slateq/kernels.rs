//! Small numeric loops and buffer views for the hand-written network, written so they vectorise.

use ndarray::{ArrayView2, ArrayViewMut2};

use super::real::Real;

/// `acc += x`, elementwise.
pub(super) fn add_assign<F: Real>(acc: &mut [F], x: &[F]) {
    let n = acc.len().min(x.len());
    let (acc, x) = (&mut acc[..n], &x[..n]);
    for i in 0..n {
        acc[i] = acc[i] + x[i];
    }
}

/// Σ x², with eight independent partial sums so the loop is not one long latency chain.
pub(super) fn sum_of_squares<F: Real>(x: &[F]) -> f64 {
    let mut lanes = [F::zero(); 8];
    let mut chunks = x.chunks_exact(8);
    for c in &mut chunks {
        for (l, &v) in lanes.iter_mut().zip(c) {
            *l = *l + v * v;
        }
    }
    let tail: f64 = chunks
        .remainder()
        .iter()
        .map(|v| v.to_f64() * v.to_f64())
        .sum();
    lanes.iter().map(|l| l.to_f64()).sum::<f64>() + tail
}

pub(super) fn grow<F: Real>(buf: &mut Vec<F>, n: usize) {
    if buf.len() < n {
        buf.resize(n, F::zero());
    }
}

pub(super) fn view<F>(data: &[F], rows: usize, cols: usize) -> ArrayView2<'_, F> {
    ArrayView2::from_shape((rows, cols), &data[..rows * cols]).expect("buffer sized for the shape")
}

pub(super) fn view_mut<F>(data: &mut [F], rows: usize, cols: usize) -> ArrayViewMut2<'_, F> {
    ArrayViewMut2::from_shape((rows, cols), &mut data[..rows * cols])
        .expect("buffer sized for the shape")
}
