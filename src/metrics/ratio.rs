//! A ratio of two per-episode totals (clicks per step) with a confidence interval.

use super::student_t::t_quantile_975;

/// Running totals for the ratio estimator R = Σ clicks / Σ steps over episodes, with the
/// delta-method variance of R (episodes are the independent units, not steps).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RatioStats {
    count: u64,
    mean_num: f64,
    mean_den: f64,
    /// Co-moments Σ(x − x̄)(y − ȳ), updated as in Welford's algorithm.
    m_num_num: f64,
    m_den_den: f64,
    m_num_den: f64,
}

impl RatioStats {
    /// Adds one episode's numerator (e.g. clicks) and denominator (e.g. steps).
    pub fn push(&mut self, num: f64, den: f64) {
        self.count += 1;
        let n = self.count as f64;
        let (d_num, d_den) = (num - self.mean_num, den - self.mean_den);
        self.mean_num += d_num / n;
        self.mean_den += d_den / n;
        self.m_num_num += d_num * (num - self.mean_num);
        self.m_den_den += d_den * (den - self.mean_den);
        self.m_num_den += d_num * (den - self.mean_den);
    }

    /// Σ num / Σ den; NaN when the denominators sum to 0.
    pub fn ratio(&self) -> f64 {
        if self.mean_den == 0.0 {
            f64::NAN
        } else {
            self.mean_num / self.mean_den
        }
    }

    /// The 95% interval of the ratio: R ± t(0.975, n − 1)·√(Var(num − R·den) / (n·den̄²)),
    /// the delta method; NaNs with fewer than two episodes or a zero denominator.
    pub fn ci95(&self) -> (f64, f64) {
        let r = self.ratio();
        if self.count < 2 || !r.is_finite() {
            return (f64::NAN, f64::NAN);
        }
        let n = self.count as f64;
        let residual_var =
            (self.m_num_num - 2.0 * r * self.m_num_den + r * r * self.m_den_den) / (n - 1.0);
        let se = (residual_var.max(0.0) / n).sqrt() / self.mean_den;
        let half = t_quantile_975(self.count - 1) * se;
        (r - half, r + half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_ratio_has_a_zero_width_interval() {
        let mut r = RatioStats::default();
        for steps in [10.0, 20.0, 30.0] {
            r.push(steps / 2.0, steps);
        }
        assert_eq!(r.ratio(), 0.5);
        let (lo, hi) = r.ci95();
        assert!(
            (lo - 0.5).abs() < 1e-12 && (hi - 0.5).abs() < 1e-12,
            "{lo} {hi}"
        );
    }

    #[test]
    fn the_interval_is_the_delta_method_one() {
        let mut r = RatioStats::default();
        let data = [(1.0, 10.0), (4.0, 10.0), (2.0, 5.0), (6.0, 15.0)];
        for (c, s) in data {
            r.push(c, s);
        }
        let ratio = 13.0 / 40.0;
        assert!((r.ratio() - ratio).abs() < 1e-15);
        // Residuals c − R·s, their sample variance, then the standard error over s̄ = 10.
        let residuals: Vec<f64> = data.iter().map(|(c, s)| c - ratio * s).collect();
        let mean = residuals.iter().sum::<f64>() / 4.0;
        let var = residuals.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / 3.0;
        let half = t_quantile_975(3) * (var / 4.0).sqrt() / 10.0;
        let (lo, hi) = r.ci95();
        assert!((lo - (ratio - half)).abs() < 1e-12, "{lo}");
        assert!((hi - (ratio + half)).abs() < 1e-12, "{hi}");
    }

    #[test]
    fn undefined_cases_are_nan() {
        let mut r = RatioStats::default();
        assert!(r.ratio().is_nan());
        r.push(1.0, 2.0);
        assert!(r.ci95().0.is_nan());
        let mut zero = RatioStats::default();
        zero.push(0.0, 0.0);
        zero.push(0.0, 0.0);
        assert!(zero.ratio().is_nan() && zero.ci95().1.is_nan());
    }
}
