//! The Long-Term Satisfaction user model (reference §3.2–3.5): one latent number, the net
//! positive exposure (NPE), read out as satisfaction σ(τ·NPE).

use rand::RngExt;

use super::normal::normal_cdf;
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

    /// P(satisfaction rises) when clickbait `c` is consumed at NPE `npe`: a `SatisfyingClicks`
    /// click's expected reward.
    pub fn rise_probability(&self, npe: f64, c: f64) -> f64 {
        let p = &self.params;
        NpeDynamics {
            memory_discount: p.memory_discount,
            sensitivity: p.sensitivity,
            innovation_stddev: p.innovation_stddev,
        }
        .rise_probability(npe, c)
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

/// The parameters of one user's NPE transition NPE' = β·NPE − 2(c − ½) + η·z, z ~ N(0, 1): all
/// that the tutorial's `SatisfyingClicks` reward depends on, so that the environment and
/// `oracle-optimal` compute its expectation with the same code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NpeDynamics {
    /// β, the AR(1) coefficient of NPE.
    pub memory_discount: f64,
    /// τ: satisfaction = σ(τ·NPE).
    pub sensitivity: f64,
    /// η, standard deviation of the transition noise.
    pub innovation_stddev: f64,
}

impl NpeDynamics {
    /// P(σ(τ·NPE') > σ(τ·x)) when clickbait `c` is consumed at NPE `x`: with η > 0 and τ > 0 it
    /// is Φ((βx − 2(c − ½) − x)/η) (τ < 0 mirrors it); with η = 0 it is the indicator, computed
    /// with the same arithmetic as the environment's step so both agree to the last bit.
    pub fn rise_probability(&self, x: f64, c: f64) -> f64 {
        let Self {
            memory_discount: beta,
            sensitivity: tau,
            innovation_stddev: eta,
        } = *self;
        let before = sigmoid(tau * x);
        // A flat σ (τ = 0) never rises, nor does one already saturated at 1 in f64 (τx ≳ 37).
        if tau == 0.0 || before >= 1.0 {
            return 0.0;
        }
        let noiseless = beta * x + -2.0 * (c - 0.5);
        if eta == 0.0 {
            return f64::from(u8::from(sigmoid(tau * noiseless) > before));
        }
        let margin = (noiseless - x) / eta;
        normal_cdf(if tau > 0.0 { margin } else { -margin })
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

    const CHOC_KALE: NpeDynamics = NpeDynamics {
        memory_discount: 0.7,
        sensitivity: 0.9,
        innovation_stddev: 0.0,
    };

    #[test]
    fn noiseless_rise_is_the_sign_of_the_npe_change() {
        // NPE' − x = 1 − 2c − 0.3x: kale (c = 0.1) at x = 1 rises by 0.5, chocolate (c = 0.9)
        // falls by 1.1; chocolate rises only below x = −8/3.
        assert_eq!(CHOC_KALE.rise_probability(1.0, 0.1), 1.0);
        assert_eq!(CHOC_KALE.rise_probability(1.0, 0.9), 0.0);
        assert_eq!(CHOC_KALE.rise_probability(-3.0, 0.9), 1.0);
        // Exactly at the fixed point nothing rises: the inequality is strict.
        assert_eq!(CHOC_KALE.rise_probability(0.0, 0.5), 0.0);
    }

    #[test]
    fn noisy_rise_is_the_normal_tail_and_flat_satisfaction_never_rises() {
        let noisy = NpeDynamics {
            innovation_stddev: 0.5,
            ..CHOC_KALE
        };
        // Margin (0.7 − 0.2 − 1)/0.5 = −1 at x = 1, c = 0.6.
        assert!((noisy.rise_probability(1.0, 0.6) - 0.158_655_25).abs() < 1e-7);
        let falling = NpeDynamics {
            sensitivity: -0.9,
            ..noisy
        };
        assert!((falling.rise_probability(1.0, 0.6) - 0.841_344_75).abs() < 1e-7);
        let flat = NpeDynamics {
            sensitivity: 0.0,
            ..noisy
        };
        assert_eq!(flat.rise_probability(1.0, 0.0), 0.0);
    }
}
