//! User choice models: which slate item (if any) a user consumes.
//!
//! Each model turns the raw scores of the K slate items (what "score" means is the
//! environment's business) into K+1 selection probabilities, the last being "no click",
//! exactly as RecSim's `recsim/choice_model.py` does (reference §1.7).

use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::FieldError;
use super::rng::SimRng;

/// A conditional choice model over one slate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ChoiceModel {
    /// Multinomial proportional: P(i) = (s_i − m) / (Σ_j (s_j − m) + (n − m)).
    MultinomialProportional {
        /// m ≤ 0, subtracted from every score so weights are non-negative.
        min_normalizer: f64,
        /// n ≥ m, the score of the no-click option.
        no_click_mass: f64,
    },
    /// Multinomial logit: P(i) = e^{s_i} / (Σ_j e^{s_j} + e^{n}); `no_click_mass: None` removes the null option.
    MultinomialLogit {
        /// n, the logit of the no-click option; `None` means there is none.
        no_click_mass: Option<f64>,
    },
    /// The user always consumes the item in slot 0 (RecSim's Long-Term Satisfaction).
    Slot0,
}

impl ChoiceModel {
    /// Checks the parameters; fields are relative to the model.
    pub fn validate(&self) -> Result<(), FieldError> {
        match *self {
            Self::MultinomialProportional {
                min_normalizer,
                no_click_mass,
            } => {
                if !min_normalizer.is_finite() || min_normalizer > 0.0 {
                    return Err(FieldError::new(
                        "min_normalizer",
                        format!("must be a finite number ≤ 0, got {min_normalizer}"),
                    ));
                }
                if !no_click_mass.is_finite() || no_click_mass < min_normalizer {
                    return Err(FieldError::new(
                        "no_click_mass",
                        format!(
                            "must be a finite number ≥ min_normalizer ({min_normalizer}), got {no_click_mass}"
                        ),
                    ));
                }
            }
            Self::MultinomialLogit {
                no_click_mass: Some(n),
            } if !n.is_finite() => {
                return Err(FieldError::new(
                    "no_click_mass",
                    format!("must be a finite number or None, got {n}"),
                ));
            }
            Self::MultinomialLogit { .. } | Self::Slot0 => {}
        }
        Ok(())
    }

    /// The non-negative selection weight of an item with raw score `score`.
    ///
    /// For the logit model this is e^{score − shift}; callers pass the same `shift` for all
    /// items of a slate (the max score) so the exponentials cannot overflow.
    #[inline]
    fn weight(&self, score: f64, shift: f64) -> f64 {
        match *self {
            // RecSim asserts non-negative weights; we clamp so bad scores cannot make
            // probabilities negative (the environments' validation keeps them in range).
            Self::MultinomialProportional { min_normalizer, .. } => {
                (score - min_normalizer).max(0.0)
            }
            Self::MultinomialLogit { .. } => (score - shift).exp(),
            Self::Slot0 => 0.0,
        }
    }

    /// Weight of the no-click option, under the same shift as [`Self::weight`].
    #[inline]
    fn null_weight(&self, shift: f64) -> f64 {
        match *self {
            Self::MultinomialProportional {
                min_normalizer,
                no_click_mass,
            } => no_click_mass - min_normalizer,
            Self::MultinomialLogit {
                no_click_mass: Some(n),
            } => (n - shift).exp(),
            Self::MultinomialLogit {
                no_click_mass: None,
            }
            | Self::Slot0 => 0.0,
        }
    }

    /// The max-shift used for numerically safe softmax (0 for other models).
    #[inline]
    fn shift(&self, scores: &[f64]) -> f64 {
        match *self {
            Self::MultinomialLogit { no_click_mass } => {
                let m = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                no_click_mass.map_or(m, |n| m.max(n))
            }
            _ => 0.0,
        }
    }

    /// Writes P(item j) for each slate item into `out[..K]` and P(no click) into `out[K]`.
    ///
    /// `out` must have length `scores.len() + 1`. An empty slate gives P(no click) = 1.
    pub fn probabilities(&self, scores: &[f64], out: &mut [f64]) {
        assert_eq!(
            out.len(),
            scores.len() + 1,
            "out must hold K+1 probabilities"
        );
        let k = scores.len();
        if let Self::Slot0 = self {
            // Slot 0 is consumed; with an empty slate out[0] is the no-click entry. Either way 1.
            out.fill(0.0);
            out[0] = 1.0;
            return;
        }
        let shift = self.shift(scores);
        let mut total = 0.0;
        for (o, &s) in out.iter_mut().zip(scores) {
            *o = self.weight(s, shift);
            total += *o;
        }
        out[k] = self.null_weight(shift);
        total += out[k];
        if total > 0.0 && total.is_finite() {
            for p in out.iter_mut() {
                *p /= total;
            }
        } else {
            // Every weight is zero (e.g. all scores at the normaliser and no null mass):
            // RecSim would divide by zero; we treat it as "no click".
            out.fill(0.0);
            out[k] = 1.0;
        }
    }

    /// Samples the consumed slate position, or `None` for no click. Allocation-free.
    pub fn sample(&self, scores: &[f64], rng: &mut SimRng) -> Option<usize> {
        let k = scores.len();
        if let Self::Slot0 = self {
            return (k > 0).then_some(0);
        }
        let shift = self.shift(scores);
        let total: f64 =
            scores.iter().map(|&s| self.weight(s, shift)).sum::<f64>() + self.null_weight(shift);
        if !(total > 0.0 && total.is_finite()) {
            return None;
        }
        let mut u = rng.random::<f64>() * total;
        for (j, &s) in scores.iter().enumerate() {
            let w = self.weight(s, shift);
            if u < w {
                return Some(j);
            }
            u -= w;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Phase, Purpose, StreamKey};

    const IEV: ChoiceModel = ChoiceModel::MultinomialProportional {
        min_normalizer: -1.0,
        no_click_mass: 1.0,
    };

    fn rng() -> SimRng {
        StreamKey {
            seed: 3,
            purpose: Purpose::Response,
            lane: 0,
            episode: 0,
            phase: Phase::Train,
        }
        .rng()
    }

    #[test]
    fn interest_evolution_worked_example() {
        // Reference §10.4: u_c1 = 0.5, u_c2 = −0.5 → 0.375, 0.125, no click 0.5.
        let mut p = [0.0; 3];
        IEV.probabilities(&[0.5, -0.5], &mut p);
        assert!((p[0] - 0.375).abs() < 1e-12);
        assert!((p[1] - 0.125).abs() < 1e-12);
        assert!((p[2] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn interest_exploration_logit_example() {
        // Reference §10.4: two documents with logit 4.24 against a null logit of 5 → ≈ 0.48.
        let mnl = ChoiceModel::MultinomialLogit {
            no_click_mass: Some(5.0),
        };
        let mut p = [0.0; 3];
        mnl.probabilities(&[4.24, 4.24], &mut p);
        let click = p[0] + p[1];
        let expected = 2.0 * 4.24f64.exp() / (2.0 * 4.24f64.exp() + 5f64.exp());
        assert!((click - expected).abs() < 1e-12);
        assert!((click - 0.48).abs() < 0.01);
    }

    #[test]
    fn logit_survives_huge_scores() {
        let mnl = ChoiceModel::MultinomialLogit {
            no_click_mass: None,
        };
        let mut p = [0.0; 3];
        mnl.probabilities(&[1000.0, 999.0], &mut p);
        assert!(p.iter().all(|x| x.is_finite()));
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(p[2], 0.0);
    }

    #[test]
    fn slot0_always_consumes_the_first_item() {
        let mut r = rng();
        for _ in 0..100 {
            assert_eq!(ChoiceModel::Slot0.sample(&[0.1, 0.9], &mut r), Some(0));
        }
        let mut p = [0.0; 3];
        ChoiceModel::Slot0.probabilities(&[0.1, 0.9], &mut p);
        assert_eq!(p, [1.0, 0.0, 0.0]);
    }

    #[test]
    fn sampling_matches_probabilities() {
        let mut r = rng();
        let scores = [0.9, -0.2];
        let mut p = [0.0; 3];
        IEV.probabilities(&scores, &mut p);
        let n = 200_000;
        let mut counts = [0usize; 3];
        for _ in 0..n {
            counts[IEV.sample(&scores, &mut r).unwrap_or(2)] += 1;
        }
        for j in 0..3 {
            let freq = counts[j] as f64 / f64::from(n);
            let se = (p[j] * (1.0 - p[j]) / f64::from(n)).sqrt();
            assert!(
                (freq - p[j]).abs() < 5.0 * se,
                "item {j}: {freq} vs {}",
                p[j]
            );
        }
    }

    #[test]
    fn validation_rejects_bad_parameters() {
        let bad = ChoiceModel::MultinomialProportional {
            min_normalizer: 0.5,
            no_click_mass: 1.0,
        };
        assert_eq!(bad.validate().unwrap_err().field, "min_normalizer");
        let bad = ChoiceModel::MultinomialProportional {
            min_normalizer: -1.0,
            no_click_mass: -2.0,
        };
        assert_eq!(bad.validate().unwrap_err().field, "no_click_mass");
        let bad = ChoiceModel::MultinomialLogit {
            no_click_mass: Some(f64::NAN),
        };
        assert!(bad.validate().is_err());
        assert!(IEV.validate().is_ok());
    }
}
