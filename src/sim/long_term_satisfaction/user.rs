//! The Long-Term Satisfaction user model (reference §3.2–3.5): one latent number, the net
//! positive exposure (NPE), read out as satisfaction σ(τ·NPE).

use rand::RngExt;

use super::params::{InitialNpe, LtsUser};
use crate::sim::choice::ChoiceModel;
use crate::sim::rng::SimRng;

/// A validated segment's user model, with the segment's choice model resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct UserModel {
    params: LtsUser,
    choice: ChoiceModel,
}

impl UserModel {
    /// Wraps validated parameters; `choice` is the segment's override or the environment's model.
    pub fn new(params: LtsUser, choice: ChoiceModel) -> Self {
        Self { params, choice }
    }

    /// The choice model this segment's users follow.
    pub fn choice(&self) -> &ChoiceModel {
        &self.choice
    }

    /// Steps per session.
    pub fn time_budget(&self) -> u32 {
        self.params.time_budget
    }

    /// Draws the starting NPE: RecSim's (U[0,1) − 0.5)/(1 − β) takes one draw; a fixed start none.
    pub fn initial_npe(&self, rng: &mut SimRng) -> f64 {
        match self.params.initial_npe {
            InitialNpe::UniformCentered => {
                (rng.random::<f64>() - 0.5) / (1.0 - self.params.memory_discount)
            }
            InitialNpe::Fixed(x) => x,
        }
    }

    /// Satisfaction σ(τ·NPE), in [0, 1].
    pub fn satisfaction(&self, npe: f64) -> f64 {
        sigmoid(self.params.sensitivity * npe)
    }

    /// Location and scale of the log-engagement of consuming clickbait score `c` at satisfaction `sat`.
    pub fn log_engagement(&self, sat: f64, c: f64) -> (f64, f64) {
        let p = &self.params;
        let loc = sat * (c * p.choc_mean + (1.0 - c) * p.kale_mean);
        let scale = c * p.choc_stddev + (1.0 - c) * p.kale_stddev;
        (loc, scale)
    }

    /// The engagement e^{loc + scale·z} for a standard normal draw `z` (exact when the scale is 0).
    pub fn engagement(&self, sat: f64, c: f64, z: f64) -> f64 {
        let (loc, scale) = self.log_engagement(sat, c);
        (loc + scale * z).exp()
    }

    /// E[engagement] = exp(loc + scale²/2), the mean of the log-normal.
    pub fn expected_engagement(&self, sat: f64, c: f64) -> f64 {
        let (loc, scale) = self.log_engagement(sat, c);
        (loc + 0.5 * scale * scale).exp()
    }

    /// NPE after a step: β·NPE − 2(c − 0.5) + η·z when an item with clickbait `c` was consumed,
    /// β·NPE + η·z when nothing was (possible only under a logit or proportional choice model).
    pub fn next_npe(&self, npe: f64, consumed: Option<f64>, z: f64) -> f64 {
        let p = &self.params;
        // The minus sign is RecSim's code (its docstring says plus): clickbait erodes NPE.
        let exposure = consumed.map_or(0.0, |c| -2.0 * (c - 0.5));
        p.memory_discount * npe + exposure + p.innovation_stddev * z
    }
}

/// The logistic function, written so neither branch can overflow.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stock() -> UserModel {
        UserModel::new(LtsUser::default(), ChoiceModel::Slot0)
    }

    #[test]
    fn sigmoid_is_stable_at_the_extremes() {
        assert_eq!(sigmoid(1e6), 1.0);
        assert_eq!(sigmoid(-1e6), 0.0);
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
        assert!((sigmoid(2.0) + sigmoid(-2.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn stationary_satisfaction_matches_the_reference() {
        // Reference §10.4: under always-choc (c = 1) NPE → −1/0.3, SAT → σ(−1/30) = 0.491667;
        // always-kale gives 0.508333. Iterate the noiseless map to its fixed point.
        let user = stock();
        for (c, expected) in [(1.0, 0.491667), (0.0, 0.508333)] {
            let mut npe = 0.0;
            for _ in 0..200 {
                npe = user.next_npe(npe, Some(c), 0.0);
            }
            let sat = user.satisfaction(npe);
            assert!((sat - expected).abs() < 5e-7, "c={c}: {sat}");
            assert!((sat - sigmoid(0.01 * (1.0 - 2.0 * c) / 0.3)).abs() < 1e-12);
        }
    }

    #[test]
    fn zero_spread_engagement_is_deterministic() {
        let user = UserModel::new(
            LtsUser {
                choc_stddev: 0.0,
                kale_stddev: 0.0,
                ..LtsUser::default()
            },
            ChoiceModel::Slot0,
        );
        let e = user.engagement(0.5, 1.0, 3.7);
        assert_eq!(e, (0.5f64 * 5.0).exp());
        assert_eq!(e, user.expected_engagement(0.5, 1.0));
    }

    #[test]
    fn no_click_decays_without_exposure() {
        let user = stock();
        assert!((user.next_npe(2.0, None, 0.0) - 1.4).abs() < 1e-12);
        assert!((user.next_npe(2.0, Some(0.5), 0.0) - 1.4).abs() < 1e-12);
        assert!((user.next_npe(2.0, Some(1.0), 0.0) - 0.4).abs() < 1e-12);
    }
}
