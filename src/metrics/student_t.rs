//! The 0.975 quantile of Student's t distribution, for two-sided 95% confidence intervals.
//!
//! Small degrees of freedom are solved exactly: the t CDF of integer order has a finite
//! closed form (Abramowitz & Stegun 26.7.3–4), which Newton's method inverts from a
//! Cornish–Fisher start. Large degrees of freedom use the Cornish–Fisher expansion alone
//! (A&S 26.7.5), whose truncation error there is far below f64 display precision, so the
//! cost stays constant however many episodes a run has.

/// The standard normal 0.975 quantile, the limit of the t quantile as df → ∞.
pub const Z_975: f64 = 1.959_963_984_540_054;

/// Above this many degrees of freedom the expansion alone is accurate to ~1e-12.
const EXPANSION_ONLY_ABOVE: u64 = 200;

/// The 0.975 quantile of Student's t with `df` degrees of freedom; `df == 0` gives +∞.
pub fn t_quantile_975(df: u64) -> f64 {
    match df {
        0 => f64::INFINITY,
        // Closed forms: t = tan(π(p − ½)) and t = (2p − 1)·√(2 / (4p(1 − p))).
        1 => (0.475 * std::f64::consts::PI).tan(),
        2 => 0.95 * (2.0 / (4.0 * 0.975 * 0.025_f64)).sqrt(),
        d if d > EXPANSION_ONLY_ABOVE => cornish_fisher_975(d as f64),
        d => newton_975(d),
    }
}

/// A&S 26.7.5: t ≈ z + g1/ν + g2/ν² + g3/ν³ + g4/ν⁴.
fn cornish_fisher_975(nu: f64) -> f64 {
    let z = Z_975;
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu
}

/// Inverts the exact CDF. The CDF is concave for t > 0, so Newton converges monotonically
/// after at most one overshoot, from any positive start.
fn newton_975(df: u64) -> f64 {
    let nu = df as f64;
    let density_scale = density_constant(df);
    let mut t = cornish_fisher_975(nu);
    for _ in 0..50 {
        let step = (central_probability(t, df) - 0.95) / (2.0 * density_scale)
            * (1.0 + t * t / nu).powf(f64::midpoint(nu, 1.0));
        t -= step;
        if step.abs() < 1e-14 * t {
            break;
        }
    }
    t
}

/// P(|T| ≤ t) for integer `df` ≥ 1, from the finite trigonometric series.
fn central_probability(t: f64, df: u64) -> f64 {
    let nu = df as f64;
    let cos2 = nu / (nu + t * t);
    let sin = t / (nu + t * t).sqrt();
    if df.is_multiple_of(2) {
        // sinθ · (1 + ½c + (1·3)/(2·4)c² + … up to c^((ν−2)/2)).
        let (mut term, mut sum) = (1.0, 1.0);
        for k in 1..df / 2 {
            let k = k as f64;
            term *= cos2 * (2.0 * k - 1.0) / (2.0 * k);
            sum += term;
        }
        sin * sum
    } else {
        // (2/π)·(θ + sinθ cosθ · (1 + (2/3)c + (2·4)/(3·5)c² + … up to c^((ν−3)/2))).
        let theta = (t / nu.sqrt()).atan();
        let mut series = 0.0;
        if df > 1 {
            let (mut term, mut sum) = (1.0, 1.0);
            for k in 1..(df - 1) / 2 {
                let k = k as f64;
                term *= cos2 * (2.0 * k) / (2.0 * k + 1.0);
                sum += term;
            }
            series = sin * cos2.sqrt() * sum;
        }
        std::f64::consts::FRAC_2_PI * (theta + series)
    }
}

/// Γ((ν+1)/2) / (√(νπ) Γ(ν/2)), the density at zero, by the recurrence on the gamma ratio
/// r(ν + 2) = r(ν)·(ν + 1)/ν so no log-gamma is needed.
fn density_constant(df: u64) -> f64 {
    let pi = std::f64::consts::PI;
    let (mut nu, mut ratio) = if df % 2 == 1 {
        (1u64, 1.0 / pi.sqrt())
    } else {
        (2u64, pi.sqrt() / 2.0)
    };
    while nu < df {
        ratio *= (nu as f64 + 1.0) / nu as f64;
        nu += 2;
    }
    ratio / (df as f64 * pi).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published two-sided 95% critical values (six decimals), df = 1..30.
    const TABLE: [f64; 30] = [
        12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
        2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
        2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831,
        2.048407, 2.045230, 2.042272,
    ];

    #[test]
    fn matches_table_for_small_df() {
        for (i, &expected) in TABLE.iter().enumerate() {
            let df = i as u64 + 1;
            let got = t_quantile_975(df);
            assert!(
                (got - expected).abs() < 1e-6,
                "df {df}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn matches_table_for_large_df_and_limit() {
        assert!((t_quantile_975(60) - 2.000298).abs() < 1e-6);
        assert!((t_quantile_975(120) - 1.979930).abs() < 1e-6);
        assert!((t_quantile_975(1_000) - 1.962339).abs() < 1e-6);
        assert!((t_quantile_975(u64::MAX) - Z_975).abs() < 1e-12);
        assert_eq!(t_quantile_975(0), f64::INFINITY);
    }

    /// The two independent methods differ by exactly the expansion's O(ν⁻⁵) truncation
    /// error, which is negligible where the solver hands over.
    #[test]
    fn exact_and_expansion_agree_where_they_meet() {
        let scaled_gap =
            |df: u64| (newton_975(df) - cornish_fisher_975(df as f64)) * (df as f64).powi(5);
        let reference = scaled_gap(50);
        for df in [30, 40, 60, 80, 100, 120] {
            let ratio = scaled_gap(df) / reference;
            assert!((0.5..2.0).contains(&ratio), "df {df}: gap ratio {ratio}");
        }
        let at_handover =
            newton_975(EXPANSION_ONLY_ABOVE) - t_quantile_975(EXPANSION_ONLY_ABOVE + 1);
        assert!(at_handover > 0.0 && at_handover < 1e-4, "{at_handover}");
        let gap = (newton_975(EXPANSION_ONLY_ABOVE)
            - cornish_fisher_975(EXPANSION_ONLY_ABOVE as f64))
        .abs();
        assert!(gap < 1e-11, "{gap}");
    }

    #[test]
    fn decreases_with_df() {
        let mut previous = f64::INFINITY;
        for df in 1..400 {
            let t = t_quantile_975(df);
            assert!(t < previous && t > Z_975, "df {df}: {t}");
            previous = t;
        }
    }

    #[test]
    fn cdf_series_is_exact_at_closed_forms() {
        // df 1 and 2 have closed-form quantiles; the series must reproduce 0.95 there.
        assert!((central_probability(t_quantile_975(1), 1) - 0.95).abs() < 1e-12);
        assert!((central_probability(t_quantile_975(2), 2) - 0.95).abs() < 1e-12);
    }
}
