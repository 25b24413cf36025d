//! Bounded-memory series for live charts that run forever, and exponential smoothing.

use serde::Serialize;

use crate::sim::FieldError;

/// A run of consecutive raw points merged into one: exact x range, y mean and envelope.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SeriesBucket {
    /// Smallest x of the raw points.
    pub x_min: f64,
    /// Largest x of the raw points.
    pub x_max: f64,
    /// Mean y of the raw points.
    pub y_mean: f64,
    /// Smallest y of the raw points.
    pub y_min: f64,
    /// Largest y of the raw points.
    pub y_max: f64,
    /// How many raw points it holds.
    pub count: u64,
}

impl SeriesBucket {
    fn point(x: f64, y: f64) -> Self {
        Self {
            x_min: x,
            x_max: x,
            y_mean: y,
            y_min: y,
            y_max: y,
            count: 1,
        }
    }

    /// The middle of the x range, where a chart plots the bucket.
    pub fn x_mid(&self) -> f64 {
        0.5 * (self.x_min + self.x_max)
    }

    fn absorb(&mut self, other: &Self) {
        let total = self.count + other.count;
        // Weighted mean update: stays exact for equal y and never overflows a sum.
        self.y_mean += (other.y_mean - self.y_mean) * (other.count as f64 / total as f64);
        self.count = total;
        self.x_min = self.x_min.min(other.x_min);
        self.x_max = self.x_max.max(other.x_max);
        self.y_min = self.y_min.min(other.y_min);
        self.y_max = self.y_max.max(other.y_max);
    }
}

/// A series of (x, y) points held in at most `capacity` buckets.
///
/// Every full bucket holds `stride` raw points. When all buckets are full, adjacent pairs
/// merge and the stride doubles, so resolution halves while the whole history stays in view
/// and the mean of everything pushed is preserved.
#[derive(Clone, Debug, PartialEq)]
pub struct DownsampledSeries {
    buckets: Vec<SeriesBucket>,
    capacity: usize,
    stride: u64,
}

impl DownsampledSeries {
    /// A series of at most `capacity` buckets (at least 2, so merging halves it).
    pub fn new(capacity: usize) -> Result<Self, FieldError> {
        if capacity < 2 {
            return Err(FieldError::new(
                "capacity",
                format!("must be at least 2 buckets, got {capacity}"),
            ));
        }
        Ok(Self {
            buckets: Vec::with_capacity(capacity),
            capacity,
            stride: 1,
        })
    }

    /// Appends a point; non-finite points are skipped, since a chart cannot draw them.
    pub fn push(&mut self, x: f64, y: f64) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        if self.buckets.len() == self.capacity && self.last_is_full() {
            self.halve();
        }
        let point = SeriesBucket::point(x, y);
        match self.buckets.last_mut() {
            Some(last) if last.count < self.stride => last.absorb(&point),
            _ => self.buckets.push(point),
        }
    }

    fn last_is_full(&self) -> bool {
        self.buckets.last().is_some_and(|b| b.count >= self.stride)
    }

    /// Merges adjacent pairs in place; an odd last bucket stays, to be filled next.
    fn halve(&mut self) {
        let len = self.buckets.len();
        for i in 0..len / 2 {
            let mut merged = self.buckets[2 * i];
            merged.absorb(&self.buckets[2 * i + 1]);
            self.buckets[i] = merged;
        }
        if len % 2 == 1 {
            self.buckets[len / 2] = self.buckets[len - 1];
        }
        self.buckets.truncate(len.div_ceil(2));
        self.stride = self.stride.saturating_mul(2);
    }

    /// The buckets, oldest first.
    pub fn buckets(&self) -> &[SeriesBucket] {
        &self.buckets
    }

    /// (x, y) pairs to plot: each bucket's x midpoint and y mean.
    pub fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.buckets.iter().map(|b| (b.x_mid(), b.y_mean))
    }

    /// Buckets held.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Whether no point was pushed.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }

    /// The most buckets ever held.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Raw points per full bucket.
    pub fn stride(&self) -> u64 {
        self.stride
    }

    /// Raw points pushed (and kept).
    pub fn total_points(&self) -> u64 {
        self.buckets.iter().map(|b| b.count).sum()
    }

    /// The mean y of every point pushed; NaN when empty.
    pub fn mean(&self) -> f64 {
        let mut buckets = self.buckets.iter();
        let Some(mut total) = buckets.next().copied() else {
            return f64::NAN;
        };
        buckets.for_each(|b| total.absorb(b));
        total.y_mean
    }

    /// Forgets every point, keeping the allocation.
    pub fn clear(&mut self) {
        self.buckets.clear();
        self.stride = 1;
    }
}

/// An exponential moving average, seeded by its first value so it starts unbiased.
///
/// The one running mean of the crate: the dashboard's smoothed returns and the learners'
/// internals (td loss, mean Q, confidence width) all fold values in with it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ema {
    alpha: f64,
    value: Option<f64>,
    /// Skip NaN and infinite values (the default); a learner's internals keep them, so a
    /// diverging figure shows as such instead of a stale mean.
    skip_non_finite: bool,
}

impl Ema {
    /// Weight `alpha` in (0, 1] on each new value.
    pub fn new(alpha: f64) -> Result<Self, FieldError> {
        if !(alpha > 0.0 && alpha <= 1.0) {
            return Err(FieldError::new(
                "alpha",
                format!("must be in (0, 1], got {alpha}"),
            ));
        }
        Ok(Self {
            alpha,
            value: None,
            skip_non_finite: true,
        })
    }

    /// This average, but folding in non-finite values too (which then stay in the mean).
    #[must_use]
    pub fn keeping_non_finite(self) -> Self {
        Self {
            skip_non_finite: false,
            ..self
        }
    }

    /// The usual span parameterisation, alpha = 2 / (span + 1), for a span of at least 1.
    pub fn with_span(span: u32) -> Result<Self, FieldError> {
        if span == 0 {
            return Err(FieldError::new("span", "must be at least 1, got 0"));
        }
        Self::new(2.0 / (f64::from(span) + 1.0))
    }

    /// Folds in a value; non-finite values are skipped (unless kept) so one bad reading
    /// cannot poison it.
    pub fn push(&mut self, x: f64) {
        if self.skip_non_finite && !x.is_finite() {
            return;
        }
        self.value = Some(match self.value {
            None => x,
            Some(v) => v + self.alpha * (x - v),
        });
    }

    /// The smoothed value, once any value was pushed.
    pub fn value(&self) -> Option<f64> {
        self.value
    }

    /// The weight on each new value.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Forgets the history.
    pub fn reset(&mut self) {
        self.value = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_stays_bounded_over_a_million_points() {
        let mut series = DownsampledSeries::new(100).unwrap();
        let allocated = series.buckets.capacity();
        let mut raw_sum = 0.0;
        for i in 0..1_000_000u64 {
            let y = ((i * 7919) % 1000) as f64 * 0.01;
            raw_sum += y;
            series.push(i as f64, y);
            assert!(series.len() <= 100);
        }
        assert_eq!(
            series.buckets.capacity(),
            allocated,
            "the buffer never grew"
        );
        assert_eq!(series.total_points(), 1_000_000);
        assert!(series.len() >= 50, "resolution halves, never worse");
        let raw_mean = raw_sum / 1e6;
        assert!((series.mean() - raw_mean).abs() < 1e-9 * raw_mean.abs().max(1.0));
    }

    #[test]
    fn merging_keeps_exact_ranges_and_mean() {
        let mut series = DownsampledSeries::new(4).unwrap();
        for i in 0..9 {
            series.push(f64::from(i), f64::from(i * i));
        }
        // Stride 2 after one halving: buckets [0,1] [2,3] [4,5] [6,7], then 8 forces another.
        assert_eq!(series.stride(), 4);
        let b = series.buckets();
        assert_eq!(b.len(), 3);
        assert_eq!((b[0].x_min, b[0].x_max, b[0].count), (0.0, 3.0, 4));
        assert_eq!((b[1].x_min, b[1].x_max, b[1].count), (4.0, 7.0, 4));
        assert_eq!((b[2].x_min, b[2].x_max, b[2].count), (8.0, 8.0, 1));
        assert!((b[0].y_mean - 14.0 / 4.0).abs() < 1e-12);
        assert_eq!((b[1].y_min, b[1].y_max), (16.0, 49.0));
        assert!((series.mean() - 204.0 / 9.0).abs() < 1e-12);
    }

    #[test]
    fn odd_capacity_keeps_strides_uniform() {
        let mut series = DownsampledSeries::new(5).unwrap();
        for i in 0..1000 {
            series.push(f64::from(i), 1.0);
        }
        let b = series.buckets();
        assert!(b[..b.len() - 1].iter().all(|b| b.count == series.stride()));
        assert!(b.windows(2).all(|w| w[0].x_max < w[1].x_min));
        assert_eq!(series.total_points(), 1000);
    }

    #[test]
    fn rejects_bad_parameters_and_points() {
        assert_eq!(DownsampledSeries::new(1).unwrap_err().field, "capacity");
        assert_eq!(Ema::new(0.0).unwrap_err().field, "alpha");
        assert!(Ema::new(f64::NAN).is_err() && Ema::new(1.5).is_err());
        assert_eq!(Ema::with_span(0).unwrap_err().field, "span");
        let mut series = DownsampledSeries::new(2).unwrap();
        series.push(f64::NAN, 1.0);
        series.push(1.0, f64::INFINITY);
        assert!(series.is_empty() && series.mean().is_nan());
    }

    #[test]
    fn ema_seeds_then_smooths() {
        let mut ema = Ema::new(0.5).unwrap();
        assert_eq!(ema.value(), None);
        ema.push(4.0);
        ema.push(f64::NAN);
        assert_eq!(ema.value(), Some(4.0));
        ema.push(0.0);
        ema.push(2.0);
        assert_eq!(ema.value(), Some(2.0));
        assert!((Ema::with_span(9).unwrap().alpha() - 0.2).abs() < 1e-15);
    }

    #[test]
    fn an_ema_keeping_non_finite_values_shows_them() {
        let mut ema = Ema::new(0.01).unwrap().keeping_non_finite();
        ema.push(3.0);
        ema.push(5.0);
        // The learners' former running mean: m + 0.01 (x − m), seeded by the first value.
        assert_eq!(ema.value(), Some(3.0 + 0.01 * (5.0 - 3.0)));
        ema.push(f64::NAN);
        assert!(ema.value().is_some_and(f64::is_nan));
    }
}
