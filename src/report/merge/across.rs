//! Statistics across seeds: each seed's figure is one observation, so the spread and the
//! interval say how much the result moves from seed to seed (not within a run).

use serde::Serialize;

use crate::metrics::student_t::t_quantile_975;

/// Count, mean, sample standard deviation, 95 % t-interval and range of per-seed values.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Across {
    /// Seeds (observations).
    pub n: usize,
    /// Mean of the values (summed in seed order, so every merge gives the same bits).
    pub mean: f64,
    /// Sample standard deviation (n − 1; NaN, written null, for one seed).
    pub sd: f64,
    /// 95 % Student-t interval of the mean (n − 1 degrees of freedom; null for one seed).
    pub ci95: (f64, f64),
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

impl Across {
    /// The statistics of `values` (in seed order); `None` for no values.
    pub fn of(values: &[f64]) -> Option<Self> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let (sd, half) = if n > 1 {
            let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
            let sd = (ss / (n - 1) as f64).sqrt();
            (sd, t_quantile_975(n as u64 - 1) * sd / (n as f64).sqrt())
        } else {
            (f64::NAN, f64::NAN)
        };
        Some(Self {
            n,
            mean,
            sd,
            ci95: (mean - half, mean + half),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_the_t_interval_of_the_seed_means() {
        let a = Across::of(&[1.0, 2.0, 3.0, 6.0]).unwrap();
        assert_eq!(a.mean, 3.0);
        let sd = (14.0f64 / 3.0).sqrt();
        assert!((a.sd - sd).abs() < 1e-12);
        // t(0.975, 3) = 3.182446305284263
        let half = 3.182_446_305_284_263 * sd / 2.0;
        assert!((a.ci95.0 - (3.0 - half)).abs() < 1e-9);
        assert!((a.ci95.1 - (3.0 + half)).abs() < 1e-9);
        assert_eq!((a.min, a.max), (1.0, 6.0));
        let one = Across::of(&[4.0]).unwrap();
        assert!(one.sd.is_nan() && one.ci95.0.is_nan());
        assert!(Across::of(&[]).is_none());
    }
}
