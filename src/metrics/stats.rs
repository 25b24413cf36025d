//! Numerically stable running mean and variance (Welford), mergeable across threads (Chan).

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::student_t::t_quantile_975;

/// Count, mean, spread and range of a stream of values, in O(1) memory.
///
/// Welford's update keeps the sum of squared deviations from the running mean, so values
/// with a large common offset (1e9 + noise) keep their variance, where Σx² − (Σx)²/n would
/// cancel catastrophically.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunningStats {
    count: u64,
    mean: f64,
    /// Sum of squared deviations from the mean.
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for RunningStats {
    fn default() -> Self {
        Self::new()
    }
}

impl RunningStats {
    /// No values yet.
    pub const fn new() -> Self {
        Self {
            count: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// Adds one value.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// Combines with statistics of another, disjoint set of values (Chan et al.'s formula).
    pub fn merge(&mut self, other: &Self) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.count as f64, other.count as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * nb / n);
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }

    /// Forgets every value.
    pub fn reset(&mut self) {
        *self = Self::new();
    }

    /// How many values were pushed.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether no value was pushed.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The mean; NaN when empty.
    pub fn mean(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.mean }
    }

    /// The sample variance (divisor n − 1); NaN with fewer than two values.
    pub fn variance(&self) -> f64 {
        if self.count < 2 {
            f64::NAN
        } else {
            self.m2 / (self.count - 1) as f64
        }
    }

    /// The sample standard deviation; NaN with fewer than two values.
    pub fn std(&self) -> f64 {
        self.variance().sqrt()
    }

    /// The standard error of the mean, s/√n; NaN with fewer than two values.
    pub fn standard_error(&self) -> f64 {
        (self.variance() / self.count as f64).sqrt()
    }

    /// Half the width of the 95% interval: t(0.975, n − 1)·SE; NaN with fewer than two values.
    pub fn ci95_half_width(&self) -> f64 {
        if self.count < 2 {
            return f64::NAN;
        }
        t_quantile_975(self.count - 1) * self.standard_error()
    }

    /// The Student-t 95% confidence interval for the mean, (lo, hi); NaNs with fewer than two.
    pub fn ci95(&self) -> (f64, f64) {
        let half = self.ci95_half_width();
        (self.mean() - half, self.mean() + half)
    }

    /// The smallest value; NaN when empty.
    pub fn min(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.min }
    }

    /// The largest value; NaN when empty.
    pub fn max(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.max }
    }
}

impl Extend<f64> for RunningStats {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, values: I) {
        for x in values {
            self.push(x);
        }
    }
}

impl FromIterator<f64> for RunningStats {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut stats = Self::new();
        stats.extend(values);
        stats
    }
}

/// Serialized as the figures a reader wants (count, mean, std, se, ci95, min, max) rather
/// than the internal accumulators.
impl Serialize for RunningStats {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("RunningStats", 7)?;
        s.serialize_field("count", &self.count)?;
        s.serialize_field("mean", &self.mean())?;
        s.serialize_field("std", &self.std())?;
        s.serialize_field("se", &self.standard_error())?;
        s.serialize_field("ci95", &self.ci95())?;
        s.serialize_field("min", &self.min())?;
        s.serialize_field("max", &self.max())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};

    use super::*;
    use crate::sim::rng::SimRng;

    #[test]
    fn small_sample_by_hand() {
        let s: RunningStats = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]
            .into_iter()
            .collect();
        assert_eq!(s.count(), 8);
        assert!((s.mean() - 5.0).abs() < 1e-15);
        assert!((s.variance() - 32.0 / 7.0).abs() < 1e-13);
        assert_eq!((s.min(), s.max()), (2.0, 9.0));
        let (lo, hi) = s.ci95();
        let half = 2.364624 * (32.0f64 / 7.0 / 8.0).sqrt();
        assert!((lo - (5.0 - half)).abs() < 1e-5 && (hi - (5.0 + half)).abs() < 1e-5);
    }

    #[test]
    fn undefined_statistics_are_nan() {
        let empty = RunningStats::new();
        assert!(empty.mean().is_nan() && empty.variance().is_nan() && empty.min().is_nan());
        let one: RunningStats = [3.0].into_iter().collect();
        assert_eq!(one.mean(), 3.0);
        assert!(one.std().is_nan() && one.standard_error().is_nan());
        assert!(one.ci95().0.is_nan() && one.ci95().1.is_nan());
    }

    #[test]
    fn merge_with_empty_is_identity() {
        let s: RunningStats = [1.0, 2.0, 6.0].into_iter().collect();
        let mut a = s;
        a.merge(&RunningStats::new());
        assert_eq!(a, s);
        let mut b = RunningStats::new();
        b.merge(&s);
        assert_eq!(b, s);
    }

    /// 10⁷ values of 1e9 + U(−√3, √3)·σ: the variance must survive the offset. The reference
    /// is a two-pass variance of the exact residuals (x − 1e9 is exact by Sterbenz's lemma).
    #[test]
    fn stable_over_ten_million_values_with_large_offset() {
        const N: usize = 10_000_000;
        const OFFSET: f64 = 1e9;
        let draw = |rng: &mut SimRng| OFFSET + rng.random_range(-1.7320508..1.7320508);
        let mut rng = SimRng::seed_from_u64(7);
        let mut stats = RunningStats::new();
        let mut residual_sum = 0.0;
        for _ in 0..N {
            let x = draw(&mut rng);
            stats.push(x);
            residual_sum += x - OFFSET;
        }
        let residual_mean = residual_sum / N as f64;
        let mut rng = SimRng::seed_from_u64(7);
        let mut squares = 0.0;
        for _ in 0..N {
            let r = draw(&mut rng) - OFFSET - residual_mean;
            squares += r * r;
        }
        let reference = squares / (N - 1) as f64;
        assert!((reference - 1.0).abs() < 0.01, "reference {reference}");
        let relative = (stats.variance() - reference).abs() / reference;
        assert!(
            relative < 1e-6,
            "welford {} vs {reference}",
            stats.variance()
        );
        // Each mean update rounds to the ulp of 1e9 (1.2e-7); a relative 1e-13 allows for it.
        assert!((stats.mean() - OFFSET - residual_mean).abs() < 1e-13 * OFFSET);
    }

    #[test]
    fn serializes_reader_facing_fields() {
        let s: RunningStats = [1.0, 3.0].into_iter().collect();
        let json = serde_json::to_value(s).unwrap();
        assert_eq!(json["count"], 2);
        assert_eq!(json["mean"], 2.0);
        assert_eq!(json["min"], 1.0);
        assert!(json["ci95"].as_array().is_some_and(|a| a.len() == 2));
        assert!(serde_json::to_value(RunningStats::new()).unwrap()["std"].is_null());
    }
}
