//! Number formats for the screen: thousands separators, compact rates, fixed decimals, and a
//! dash for figures that are undefined.

/// What an undefined figure shows.
pub const DASH: &str = "—";

/// `12,480`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `412k`, `1.2M`, `950`: short enough for a narrow column.
pub fn compact(v: f64) -> String {
    if !v.is_finite() {
        return DASH.into();
    }
    let a = v.abs();
    let (scaled, unit) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    if unit.is_empty() {
        format!("{v:.0}")
    } else if scaled.abs() < 10.0 {
        format!("{scaled:.1}{unit}")
    } else {
        format!("{scaled:.0}{unit}")
    }
}

/// `v` with `decimals` decimals, or a dash when undefined.
pub fn fixed(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        DASH.into()
    }
}

/// Decimals that keep about three significant digits for values of `scale`'s size.
pub fn decimals_for(scale: f64) -> usize {
    let a = scale.abs();
    if !a.is_finite() || a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    }
}

/// `98.7 ± 0.7`: a mean and the half-width of its 95% interval.
pub fn mean_ci(mean: f64, ci: (f64, f64)) -> String {
    if !mean.is_finite() {
        return DASH.into();
    }
    let d = decimals_for(mean);
    let half = 0.5 * (ci.1 - ci.0);
    if half.is_finite() {
        format!("{mean:.d$} ± {half:.d$}")
    } else {
        format!("{mean:.d$}")
    }
}

/// `+72.6 ± 1.4`: a signed difference and its interval's half-width.
pub fn signed_ci(mean: f64, ci: (f64, f64), scale: f64) -> String {
    if !mean.is_finite() {
        return DASH.into();
    }
    let d = decimals_for(scale);
    let half = 0.5 * (ci.1 - ci.0);
    let sign = if mean < 0.0 { "−" } else { "+" };
    let body = format!("{:.d$}", mean.abs());
    if half.is_finite() {
        format!("{sign}{body} ± {half:.d$}")
    } else {
        format!("{sign}{body}")
    }
}

/// An axis label with about three significant digits.
pub fn axis(v: f64) -> String {
    let a = v.abs();
    if a >= 10_000.0 {
        compact(v)
    } else if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.prec$}", prec = decimals_for(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12_480), "12,480");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(compact(412_345.0), "412k");
        assert_eq!(compact(1_234_567.0), "1.2M");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(f64::NAN), DASH);
        assert_eq!(mean_ci(98.73, (98.0, 99.4)), "98.7 ± 0.7");
        assert_eq!(mean_ci(0.5412, (0.5, 0.58)), "0.541 ± 0.040");
        assert_eq!(mean_ci(5.0, (f64::NAN, f64::NAN)), "5.00");
        assert_eq!(signed_ci(-41.83, (-42.6, -41.0), 98.0), "−41.8 ± 0.8");
        assert_eq!(signed_ci(72.6, (71.2, 74.0), 98.0), "+72.6 ± 1.4");
        assert_eq!(fixed(f64::INFINITY, 2), DASH);
        assert_eq!(axis(226.0), "226");
        assert_eq!(axis(0.5), "0.500");
        assert_eq!(axis(41_600.0), "42k");
    }
}

/// Axis ticks: `lo'`, `hi'` and a round step (1, 2, 2.5 or 5 times a power of ten) with
/// `lo' ≤ lo`, `hi' ≥ hi` and at most `max_intervals` steps between them.
pub fn nice_ticks(lo: f64, hi: f64, max_intervals: u32) -> (f64, f64, f64) {
    let max_intervals = f64::from(max_intervals.max(1));
    let span = (hi - lo).abs().max(f64::MIN_POSITIVE);
    let mut exponent = (span / max_intervals).log10().floor() as i32;
    loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * 10f64.powi(exponent);
            let (a, b) = ((lo / step).floor(), (hi / step).ceil());
            if b - a <= max_intervals {
                return (a * step, b * step, step);
            }
        }
        exponent += 1;
    }
}

/// Tick labels from `lo` to `hi` by `step`, with the decimals the step needs.
pub fn tick_labels(lo: f64, hi: f64, step: f64) -> Vec<String> {
    let n = ((hi - lo) / step).round() as usize;
    let magnitude = lo.abs().max(hi.abs());
    let decimals = if step >= 1.0 {
        usize::from(step.fract() != 0.0)
    } else {
        let base = (-step.log10().floor()) as usize;
        base + usize::from(((step * 10f64.powi(base as i32)) - 2.5).abs() < 1e-9)
    };
    (0..=n)
        .map(|i| {
            let v = lo + step * i as f64;
            if magnitude >= 10_000.0 {
                compact(v)
            } else {
                format!("{v:.decimals$}")
            }
        })
        .collect()
}

/// An x-axis label: a whole count with separators, or compact when long.
pub fn count_label(v: f64) -> String {
    if v >= 1e6 {
        compact(v)
    } else {
        thousands(v.max(0.0).round() as u64)
    }
}

#[cfg(test)]
mod tick_tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(2.83, 183.0, 4), (0.0, 200.0, 50.0));
        assert_eq!(nice_ticks(0.09, 0.97, 2), (0.0, 1.0, 0.5));
        let (lo, hi, step) = nice_ticks(0.915, 1.0, 4);
        assert!((lo - 0.9).abs() < 1e-12 && (hi - 1.0).abs() < 1e-12 && step == 0.025);
        let (lo, hi, step) = nice_ticks(-3.0, 7.0, 4);
        assert!(lo <= -3.0 && hi >= 7.0 && (hi - lo) / step <= 4.0 + 1e-9);
        assert_eq!(
            tick_labels(0.0, 200.0, 50.0),
            ["0", "50", "100", "150", "200"]
        );
        assert_eq!(
            tick_labels(0.0, 1.0, 0.25),
            ["0.00", "0.25", "0.50", "0.75", "1.00"]
        );
        assert_eq!(tick_labels(0.0, 1.0, 0.5), ["0.0", "0.5", "1.0"]);
        assert_eq!(tick_labels(0.0, 20_000.0, 10_000.0), ["0", "10k", "20k"]);
        assert_eq!(count_label(4160.0), "4,160");
        assert_eq!(count_label(2_500_000.0), "2.5M");
    }
}
