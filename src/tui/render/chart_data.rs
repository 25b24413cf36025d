//! What a chart draws, computed from the lanes' bounded histories: about two points per
//! column, bounds from the data in view, multi-seed means with min–max bands.

use ratatui::style::Color;

use super::format::compact;
use super::theme;
use crate::metrics::DownsampledSeries;
use crate::tui::app::{App, LaneView, Metric, XAxis};

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// A line (the main curve).
    Line,
    /// Loose points (raw values under a smoothed line).
    Faint,
    /// Filled points between a group's lowest and highest seed.
    Band,
}

/// One series of points.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Colour.
    pub color: Color,
    /// How it is drawn.
    pub look: Look,
    /// (x, y) points in x order.
    pub points: Vec<(f64, f64)>,
}

/// A chart's content.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// Series, in drawing order (bands first, lines last).
    pub series: Vec<Series>,
    /// Reference lines: label and value.
    pub references: Vec<(String, f64)>,
    /// Scheduled population shifts inside the x range: x and label.
    pub markers: Vec<(f64, String)>,
    /// The right end of the x-axis.
    pub x_max: f64,
    /// The y-axis range.
    pub y_bounds: [f64; 2],
}

/// Per-bin weighted means of a series over [0, x_max): `(x, y)` or `None` for empty bins.
pub fn resample(series: &DownsampledSeries, x_max: f64, bins: usize) -> Vec<Option<(f64, f64)>> {
    let mut acc = vec![(0.0, 0.0, 0.0); bins];
    if bins == 0 || x_max <= 0.0 {
        return vec![None; bins];
    }
    for b in series.buckets() {
        let i = ((b.x_mid() / x_max) * bins as f64) as usize;
        let slot = &mut acc[i.min(bins - 1)];
        let w = b.count as f64;
        slot.0 += w * b.x_mid();
        slot.1 += w * b.y_mean;
        slot.2 += w;
    }
    acc.into_iter()
        .map(|(x, y, w)| (w > 0.0).then(|| (x / w, y / w)))
        .collect()
}

fn points(bins: &[Option<(f64, f64)>]) -> Vec<(f64, f64)> {
    bins.iter().flatten().copied().collect()
}

/// The chart of `metric` with `bins` points across and `rows` rows of graph height.
pub fn plot(app: &App, metric: Metric, bins: usize, rows: u16) -> Plot {
    let axis = app.charts.axis(metric);
    let x_max = app
        .lanes
        .iter()
        .map(|l| l.history.x_max(axis))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bins = bins.max(2);
    let mut bands = Vec::new();
    let mut faint = Vec::new();
    let mut lines = Vec::new();
    if app.multi_seed() {
        for group in groups(app) {
            let color = theme::lane_color(app, group[0]);
            let per_lane: Vec<_> = group
                .iter()
                .map(|l| resample(main_series(l, metric, axis), x_max, bins))
                .collect();
            let (mean, band) = aggregate(&per_lane, x_max, bins);
            bands.push(Series {
                color,
                look: Look::Band,
                points: fill_band(&band, rows),
            });
            lines.push(Series {
                color,
                look: Look::Line,
                points: mean,
            });
        }
    } else {
        for lane in &app.lanes {
            let color = theme::lane_color(app, lane);
            if metric == Metric::Return {
                faint.push(Series {
                    color,
                    look: Look::Faint,
                    points: points(&resample(lane.history.series(metric, axis), x_max, bins)),
                });
            }
            lines.push(Series {
                color,
                look: Look::Line,
                points: points(&resample(main_series(lane, metric, axis), x_max, bins)),
            });
        }
    }
    let references: Vec<(String, f64)> = app
        .reference_lines()
        .iter()
        .map(|r| (r.label.clone(), r.value(metric)))
        .filter(|(_, v)| v.is_finite())
        .collect();
    let mut series = bands;
    series.extend(faint);
    series.extend(lines);
    let y_bounds = bounds(&series, &references);
    Plot {
        markers: markers(app, axis, x_max),
        series,
        references,
        x_max,
        y_bounds,
    }
}

/// Where the scheduled shifts fall on the x axis: at their episode, or with steps on x at
/// the episode times the first lane's mean episode length (lanes whose episodes differ in
/// length meet the shift at other step counts). Shifts past `x_max` are not drawn yet.
fn markers(app: &App, axis: XAxis, x_max: f64) -> Vec<(f64, String)> {
    let steps_per_episode = app.lanes.first().map_or(0.0, |l| {
        let p = &l.progress;
        if p.episodes == 0 {
            0.0
        } else {
            p.env_steps as f64 / p.episodes as f64
        }
    });
    app.session
        .shifts
        .iter()
        .map(|s| {
            let x = match axis {
                XAxis::Episodes => s.episode as f64,
                XAxis::Steps => s.episode as f64 * steps_per_episode,
            };
            (x, format!("shift@{}", compact(s.episode as f64)))
        })
        .filter(|&(x, _)| x > 0.0 && x <= x_max)
        .collect()
}

/// The smoothed series a lane's line follows: the EMA for returns, the raw series otherwise.
fn main_series(lane: &LaneView, metric: Metric, axis: XAxis) -> &DownsampledSeries {
    match metric {
        Metric::Return => lane.history.ema(axis),
        _ => lane.history.series(metric, axis),
    }
}

/// Lanes grouped by agent (multi-seed mode), in the order of their first lane.
fn groups(app: &App) -> Vec<Vec<&LaneView>> {
    let mut groups: Vec<Vec<&LaneView>> = Vec::new();
    for lane in &app.lanes {
        match groups
            .iter_mut()
            .find(|g| g[0].spec.agent == lane.spec.agent)
        {
            Some(g) => g.push(lane),
            None => groups.push(vec![lane]),
        }
    }
    groups
}

/// Mean line and (x, min, max) band over lanes, bin by bin.
type Band = Vec<(f64, f64, f64)>;

fn aggregate(
    per_lane: &[Vec<Option<(f64, f64)>>],
    x_max: f64,
    bins: usize,
) -> (Vec<(f64, f64)>, Band) {
    let mut mean = Vec::new();
    let mut band = Vec::new();
    for i in 0..bins {
        let ys: Vec<f64> = per_lane.iter().filter_map(|l| l[i].map(|p| p.1)).collect();
        if ys.is_empty() {
            continue;
        }
        let x = (i as f64 + 0.5) / bins as f64 * x_max;
        let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        mean.push((x, ys.iter().sum::<f64>() / ys.len() as f64));
        band.push((x, lo, hi));
    }
    (mean, band)
}

/// Points filling each bin's [min, max] at the Braille grid's vertical resolution.
fn fill_band(band: &[(f64, f64, f64)], rows: u16) -> Vec<(f64, f64)> {
    let (lo, hi) = band
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &(_, l, h)| {
            (a.min(l), b.max(h))
        });
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return Vec::new();
    }
    let dy = (hi - lo) / (f64::from(rows.max(1)) * 4.0);
    let mut out = Vec::new();
    for &(x, l, h) in band {
        let mut y = l;
        while y <= h {
            out.push((x, y));
            y += dy;
        }
        out.push((x, h));
    }
    out
}

/// y range over everything drawn, padded by 3%, never empty.
fn bounds(series: &[Series], references: &[(String, f64)]) -> [f64; 2] {
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(references.iter().map(|r| r.1))
        .filter(|y| y.is_finite());
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
        (a.min(y), b.max(y))
    });
    if !lo.is_finite() {
        return [0.0, 1.0];
    }
    let range = hi - lo;
    let pad = if range > 0.0 {
        0.03 * range
    } else {
        (0.1 * lo.abs()).max(0.5)
    };
    // Figures that cannot be negative keep a zero floor rather than a padded negative one.
    let floor = if lo >= 0.0 {
        0.0f64.max(lo - pad)
    } else {
        lo - pad
    };
    [floor, hi + pad]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resampling_weights_buckets_and_keeps_empty_bins_empty() {
        let mut s = DownsampledSeries::new(16).unwrap();
        for i in 1..=4 {
            s.push(f64::from(i), f64::from(i) * 10.0);
        }
        let bins = resample(&s, 4.0, 2);
        // Bin 0 holds x = 1 (x/4·2 = 0.5 → 0); bin 1 holds 2, 3 and 4.
        assert_eq!(bins[0], Some((1.0, 10.0)));
        assert_eq!(bins[1], Some((3.0, 30.0)));
        assert_eq!(resample(&s, 4.0, 8)[0], None);
    }

    #[test]
    fn bands_span_min_to_max_and_means_average() {
        let lanes = vec![
            vec![Some((0.5, 1.0)), None],
            vec![Some((0.5, 3.0)), Some((1.5, 2.0))],
        ];
        let (mean, band) = aggregate(&lanes, 2.0, 2);
        assert_eq!(mean, [(0.5, 2.0), (1.5, 2.0)]);
        assert_eq!(band, [(0.5, 1.0, 3.0), (1.5, 2.0, 2.0)]);
        let fill = fill_band(&band, 2);
        assert!(fill.iter().all(|&(_, y)| (1.0..=3.0).contains(&y)));
        assert!(
            fill.len() >= 9,
            "a 2-row band is filled at 8 dots per unit range"
        );
    }

    #[test]
    fn bounds_pad_and_never_collapse() {
        let line = |ys: &[f64]| Series {
            color: Color::Reset,
            look: Look::Line,
            points: ys.iter().map(|&y| (0.0, y)).collect(),
        };
        assert_eq!(bounds(&[], &[]), [0.0, 1.0]);
        let [lo, hi] = bounds(&[line(&[10.0, 20.0])], &[("r".into(), 30.0)]);
        assert!((lo - 9.4).abs() < 1e-9 && (hi - 30.6).abs() < 1e-9);
        let [lo, hi] = bounds(&[line(&[0.5, 0.5])], &[]);
        assert!(lo < 0.5 && hi > 0.5 && lo >= 0.0);
    }
}
