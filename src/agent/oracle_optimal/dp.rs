//! Backward induction over (steps left, net positive exposure) for Long-Term Satisfaction
//! with slot-0 consumption (reference §3 and Appendix A).
//!
//! V_0 = 0 and V_t(x) = E_candidates[ max_c ( r(x, c) + E_η V_{t−1}(βx − 2(c − ½) + η) ) ],
//! with r(x, c) = exp(SAT(x)·μ(c) + s(c)²/2) the expected engagement (log-normal mean),
//! SAT(x) = σ(τx), μ(c) = c·μ_choc + (1 − c)·μ_kale, s(c) = c·s_choc + (1 − c)·s_kale.
//! Under the tutorial's `SatisfyingClicks` reward r(x, c) is instead the chance that SAT rises,
//! P(σ(τ(βx − 2(c − ½) + η)) > σ(τx)); the NPE transition, and so the recursion, is the same.
//! V is tabulated on a uniform NPE grid (linear interpolation, flat beyond the ends). The
//! expectation over a fresh candidate set is exact for the quantised document distribution:
//! each clickbait range is cut into equal-probability cells represented by their midpoints,
//! and E[max] is summed from the distribution of the maximum of the cells' values.

use super::OracleOptimalParams;
use crate::sim::common::RewardKind;
use crate::sim::long_term_satisfaction::NpeDynamics;
use crate::sim::long_term_satisfaction::params::LtsDocuments;

/// Standard-normal 5-point Gauss–Hermite rule (probabilists' form): nodes and weights.
const GH_NODES: [f64; 5] = [
    -2.856_970_013_872_806,
    -1.355_626_179_974_266,
    0.0,
    1.355_626_179_974_266,
    2.856_970_013_872_806,
];
const GH_WEIGHTS: [f64; 5] = [
    0.011_257_411_327_721,
    0.222_075_922_005_613,
    0.533_333_333_333_333,
    0.222_075_922_005_613,
    0.011_257_411_327_721,
];

/// The optimal value V_t(x) for every steps-left t up to a horizon.
#[derive(Clone, Debug)]
pub struct ValueTable {
    p: OracleOptimalParams,
    lo: f64,
    step: f64,
    points: usize,
    /// γ: how the future term is weighed (1 for the undiscounted session return).
    discount: f64,
    /// Row t holds V_t on the grid.
    values: Vec<Vec<f64>>,
    /// Clickbait cells: (value, is_sweet); all bitter cells are false for uniform documents.
    cells: Vec<(f64, bool)>,
    /// Candidates per step: (sweet, bitter) counts, averaged over these splits.
    splits: Vec<(usize, usize)>,
    scratch: Vec<(f64, bool)>,
}

impl ValueTable {
    /// Builds the table up to `horizon` steps left for `num_candidates` candidates per step.
    pub fn new(p: &OracleOptimalParams, num_candidates: usize, horizon: u32) -> Self {
        Self::discounted(p, num_candidates, horizon, 1.0)
    }

    /// The same table for the discounted return Σ γ^k r_k: V_t(x) = E max_c (r + γ·E V_{t−1}).
    /// What a learner with discount γ estimates, so its values can be checked against it.
    pub fn discounted(
        p: &OracleOptimalParams,
        num_candidates: usize,
        horizon: u32,
        discount: f64,
    ) -> Self {
        let reach = (1.0 + 4.0 * p.innovation_stddev) / (1.0 - p.memory_discount);
        let half = reach + 2.0;
        let points = p.npe_grid_points;
        let m = p.clickbait_cells;
        let cells_of = |lo: f64, hi: f64, sweet: bool| {
            (0..m).map(move |j| (lo + (hi - lo) * (j as f64 + 0.5) / m as f64, sweet))
        };
        let (cells, splits): (Vec<_>, _) = match p.documents {
            LtsDocuments::Uniform { low, high } => (
                cells_of(low, high, false).collect(),
                vec![(0, num_candidates)],
            ),
            LtsDocuments::Alternating { sweet, bitter } => {
                let cells = cells_of(sweet.0, sweet.1, true)
                    .chain(cells_of(bitter.0, bitter.1, false))
                    .collect();
                // Ids alternate sweet/bitter, so an even N sees N/2 of each; an odd N alternates
                // which kind has the extra one from step to step: average both.
                let (a, b) = (num_candidates.div_ceil(2), num_candidates / 2);
                (
                    cells,
                    if a == b {
                        vec![(a, b)]
                    } else {
                        vec![(a, b), (b, a)]
                    },
                )
            }
        };
        let mut table = Self {
            p: p.clone(),
            lo: -half,
            step: 2.0 * half / (points - 1) as f64,
            points,
            discount,
            values: vec![vec![0.0; points]],
            scratch: Vec::with_capacity(cells.len()),
            cells,
            splits,
        };
        table.extend_to(horizon);
        table
    }

    /// Makes sure V_t exists for every t ≤ `horizon`.
    pub fn extend_to(&mut self, horizon: u32) {
        while self.values.len() <= horizon as usize {
            let t = self.values.len() as u32;
            let row = (0..self.points)
                .map(|g| self.expected_best(self.lo + g as f64 * self.step, t))
                .collect();
            self.values.push(row);
        }
    }

    /// The NPE range the table covers (values beyond its ends are the ends').
    pub fn npe_range(&self) -> (f64, f64) {
        (self.lo, self.lo + self.step * (self.points - 1) as f64)
    }

    /// V_t(x): the optimal expected return with `t` steps left from NPE `x`, before the
    /// candidates are drawn.
    pub fn value(&self, t: u32, x: f64) -> f64 {
        let row = &self.values[t as usize];
        let pos = ((x - self.lo) / self.step).clamp(0.0, (self.points - 1) as f64);
        let g = (pos.floor() as usize).min(self.points - 2);
        let w = pos - g as f64;
        row[g] * (1.0 - w) + row[g + 1] * w
    }

    /// Expected reward now plus the optimal expected future, for serving clickbait `c` at
    /// NPE `x` with `t` ≥ 1 steps left (this one included).
    pub fn action_value(&self, x: f64, c: f64, t: u32) -> f64 {
        let p = &self.p;
        let now = match p.reward {
            RewardKind::Engagement => {
                let sat = 1.0 / (1.0 + (-p.sensitivity * x).exp());
                let mean = c * p.choc_mean + (1.0 - c) * p.kale_mean;
                let sd = c * p.choc_stddev + (1.0 - c) * p.kale_stddev;
                (sat * mean + 0.5 * sd * sd).exp()
            }
            // Slot 0 is always consumed, so every step is a click.
            RewardKind::Clicks => 1.0,
            RewardKind::SatisfyingClicks => NpeDynamics {
                memory_discount: p.memory_discount,
                sensitivity: p.sensitivity,
                innovation_stddev: p.innovation_stddev,
            }
            .rise_probability(x, c),
        };
        if t <= 1 {
            return now;
        }
        let next = p.memory_discount * x - 2.0 * (c - 0.5);
        let future = if p.innovation_stddev > 0.0 {
            GH_NODES
                .iter()
                .zip(GH_WEIGHTS)
                .map(|(z, w)| w * self.value(t - 1, next + p.innovation_stddev * z))
                .sum()
        } else {
            self.value(t - 1, next)
        };
        now + self.discount * future
    }

    /// E over a fresh candidate set of the best action value at NPE `x` with `t` steps left.
    fn expected_best(&mut self, x: f64, t: u32) -> f64 {
        let mut scored = std::mem::take(&mut self.scratch);
        scored.clear();
        scored.extend(
            self.cells
                .iter()
                .map(|&(c, sweet)| (self.action_value(x, c, t), sweet)),
        );
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        let m = self.p.clickbait_cells as f64;
        let mut total = 0.0;
        for &(n_sweet, n_bitter) in &self.splits {
            // P(max ≤ the j-th smallest value) = F_sweet^{n_sweet} · F_bitter^{n_bitter}.
            let (mut below_sweet, mut below_bitter, mut prev_cdf, mut e) =
                (0usize, 0usize, 0.0, 0.0);
            for &(value, sweet) in &scored {
                if sweet {
                    below_sweet += 1;
                } else {
                    below_bitter += 1;
                }
                let cdf = (below_sweet as f64 / m).powi(n_sweet as i32)
                    * (below_bitter as f64 / m).powi(n_bitter as i32);
                e += value * (cdf - prev_cdf);
                prev_cdf = cdf;
            }
            total += e;
        }
        self.scratch = scored;
        total / self.splits.len() as f64
    }
}
