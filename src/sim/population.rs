//! User populations made of segments, each with a share and its own user-model parameters.

use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::FieldError;
use super::rng::SimRng;

/// Tolerance on the sum of segment shares.
pub const SHARE_TOLERANCE: f64 = 1e-9;

/// One segment as written in a scenario file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentConfig<P> {
    /// A short name shown in outputs (e.g. "clickbait-sensitive").
    pub name: String,
    /// The fraction of users drawn from this segment, in [0, 1]; shares sum to 1.
    pub share: f64,
    /// The user-model parameters of this segment (defaults: RecSim's).
    #[serde(default)]
    pub user: P,
}

/// Why a population is invalid: the segment index (if any), the field and the reason.
#[derive(Clone, Debug, PartialEq)]
pub struct PopulationError {
    /// Index of the offending segment, or `None` for the population as a whole.
    pub segment: Option<usize>,
    /// Field within the segment (or "population").
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// A validated mixture of segments.
#[derive(Clone, Debug, PartialEq)]
pub struct Population<P> {
    names: Vec<String>,
    shares: Vec<f64>,
    params: Vec<P>,
}

impl<P> Population<P> {
    /// Validates shares (each in \[0, 1\], summing to 1 within 1e-9) and each segment's
    /// parameters with `check`, whose error fields are relative to the segment's `user`.
    pub fn new<R>(
        segments: Vec<SegmentConfig<R>>,
        mut check: impl FnMut(R) -> Result<P, FieldError>,
    ) -> Result<Self, PopulationError> {
        if segments.is_empty() {
            return Err(PopulationError {
                segment: None,
                field: "population".into(),
                message: "needs at least one segment".into(),
            });
        }
        let total: f64 = segments.iter().map(|s| s.share).sum();
        let mut names = Vec::with_capacity(segments.len());
        let mut shares = Vec::with_capacity(segments.len());
        let mut params = Vec::with_capacity(segments.len());
        for (i, seg) in segments.into_iter().enumerate() {
            if !(seg.share.is_finite() && (0.0..=1.0).contains(&seg.share)) {
                return Err(PopulationError {
                    segment: Some(i),
                    field: "share".into(),
                    message: format!("must be in [0, 1], got {}", seg.share),
                });
            }
            if names.contains(&seg.name) {
                return Err(PopulationError {
                    segment: Some(i),
                    field: "name".into(),
                    message: format!("segment name {:?} is used twice", seg.name),
                });
            }
            let p = check(seg.user).map_err(|e| {
                let FieldError { field, message } = e.within("user");
                PopulationError {
                    segment: Some(i),
                    field,
                    message,
                }
            })?;
            names.push(seg.name);
            shares.push(seg.share);
            params.push(p);
        }
        if (total - 1.0).abs() > SHARE_TOLERANCE {
            return Err(PopulationError {
                segment: None,
                field: "population".into(),
                message: format!("segment shares must sum to 1 (within 1e-9), they sum to {total}"),
            });
        }
        Ok(Self {
            names,
            shares,
            params,
        })
    }

    /// A one-segment population.
    pub fn single(name: &str, params: P) -> Self {
        Self {
            names: vec![name.to_owned()],
            shares: vec![1.0],
            params: vec![params],
        }
    }

    /// Draws a segment index. A one-segment population draws nothing from `rng`.
    pub fn sample(&self, rng: &mut SimRng) -> usize {
        if self.shares.len() == 1 {
            return 0;
        }
        let u: f64 = rng.random();
        let mut acc = 0.0;
        for (i, &s) in self.shares.iter().enumerate() {
            acc += s;
            if u < acc {
                return i;
            }
        }
        // Rounding can leave u just above the last cumulative share: take the last
        // segment with a positive share.
        self.shares.iter().rposition(|&s| s > 0.0).unwrap_or(0)
    }

    /// The parameters of segment `i`.
    pub fn params(&self, i: usize) -> &P {
        &self.params[i]
    }

    /// Segment names in order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Segment shares in order.
    pub fn shares(&self) -> &[f64] {
        &self.shares
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Always false: a population has at least one segment.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Phase, Purpose, StreamKey};

    fn seg(name: &str, share: f64, user: f64) -> SegmentConfig<f64> {
        SegmentConfig {
            name: name.into(),
            share,
            user,
        }
    }

    fn ok(x: f64) -> Result<f64, FieldError> {
        if x >= 0.0 {
            Ok(x)
        } else {
            Err(FieldError::new("x", "must be ≥ 0"))
        }
    }

    #[test]
    fn shares_must_sum_to_one() {
        let err = Population::new(vec![seg("a", 0.3, 1.0), seg("b", 0.6, 1.0)], ok).unwrap_err();
        assert_eq!(err.field, "population");
        assert!(Population::new(vec![seg("a", 0.3, 1.0), seg("b", 0.7, 1.0)], ok).is_ok());
    }

    #[test]
    fn segment_errors_name_the_segment_and_field() {
        let err = Population::new(vec![seg("a", 0.5, 1.0), seg("b", 0.5, -1.0)], ok).unwrap_err();
        assert_eq!(err.segment, Some(1));
        assert_eq!(err.field, "user.x");
    }

    #[test]
    fn sampling_follows_shares() {
        let pop = Population::new(vec![seg("a", 0.3, 1.0), seg("b", 0.7, 2.0)], ok).unwrap();
        let mut rng = StreamKey {
            seed: 1,
            purpose: Purpose::User,
            lane: 0,
            episode: 0,
            phase: Phase::Train,
        }
        .rng();
        let n = 100_000;
        let a = (0..n).filter(|_| pop.sample(&mut rng) == 0).count() as f64 / f64::from(n);
        assert!(
            (a - 0.3).abs() < 5.0 * (0.21f64 / f64::from(n)).sqrt(),
            "{a}"
        );
    }
}
