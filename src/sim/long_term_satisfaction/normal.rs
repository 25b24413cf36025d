//! The standard normal distribution function, for the chance that a noisy NPE transition
//! raises satisfaction (the expected `SatisfyingClicks` reward).

/// Φ(z), the standard normal distribution function (absolute error below 1e-7).
pub(super) fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The complementary error function by the Chebyshev-fitted rational approximation of
/// Numerical Recipes (`erfcc`, fractional error below 1.2e-7 everywhere).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let tail = t * (-z * z + poly).exp();
    if x >= 0.0 { tail } else { 2.0 - tail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_tabulated_values() {
        // Φ at 0, ±1, ±1.96, 3 and −5 (standard tables, 10 digits).
        for (z, want) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_1),
            (-1.0, 0.158_655_253_9),
            (1.96, 0.975_002_104_9),
            (-1.96, 0.024_997_895_1),
            (3.0, 0.998_650_101_97),
            (-5.0, 2.866_515_719e-7),
        ] {
            assert!(
                (normal_cdf(z) - want).abs() < 1e-7,
                "Φ({z}) = {}",
                normal_cdf(z)
            );
        }
        assert_eq!(normal_cdf(f64::INFINITY), 1.0);
        assert_eq!(normal_cdf(-1e5), 0.0);
    }
}
