//! The Interest Exploration user (reference §4.2): a hidden type and static topic affinities.

use rand::RngExt;
use rand_distr::StandardNormal;

use super::documents::categorical;
use super::params::IexUser;
use crate::sim::choice::ChoiceModel;
use crate::sim::rng::SimRng;

/// Rate of the satisfaction readout's moving average.
pub const SATISFACTION_RATE: f64 = 0.1;

/// The satisfaction readout at the start of every episode.
pub const INITIAL_SATISFACTION: f64 = 0.5;

/// A validated segment's user model, with the segment's choice model resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct UserModel {
    params: IexUser,
    choice: ChoiceModel,
}

impl UserModel {
    /// Wraps validated parameters; `choice` is the segment's override or the environment's model.
    pub fn new(params: IexUser, choice: ChoiceModel) -> Self {
        Self { params, choice }
    }

    /// The choice model this segment's users follow.
    pub fn choice(&self) -> &ChoiceModel {
        &self.choice
    }

    /// Draws a user: the type (one draw), then g_t ~ LogNormal(M[type][t], σ_a) per topic,
    /// written into `affinities` (length T). Returns the type.
    pub fn sample(&self, rng: &mut SimRng, affinities: &mut [f64]) -> usize {
        let p = &self.params;
        let user_type = categorical(&p.type_probs, rng);
        for (g, &mean) in affinities.iter_mut().zip(&p.affinity_log_means[user_type]) {
            let z: f64 = rng.sample(StandardNormal);
            *g = (mean + p.affinity_log_stddev * z).exp();
        }
        user_type
    }
}

/// The affinity for `topic` rescaled so the user's least liked topic is 0 and the most liked 1;
/// 0.5 when every topic is liked alike.
pub fn normalised_affinity(affinities: &[f64], (min, max): (f64, f64), topic: usize) -> f64 {
    if max > min {
        (affinities[topic] - min) / (max - min)
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Phase, Purpose, StreamKey};

    #[test]
    fn stock_users_follow_the_type_mix_and_medians() {
        // Reference §4.2: 30 % type 0 with median affinities (e^0.1, e^0.7) ≈ (1.105, 2.014).
        let user = UserModel::new(IexUser::default(), ChoiceModel::Slot0);
        let mut rng = StreamKey {
            seed: 2,
            purpose: Purpose::User,
            lane: StreamKey::SHARED_LANE,
            episode: 0,
            phase: Phase::Train,
        }
        .rng();
        let mut g = [0.0; 2];
        let n = 20_000;
        let mut type0 = Vec::new();
        for _ in 0..n {
            if user.sample(&mut rng, &mut g) == 0 {
                type0.push(g);
            }
        }
        let share = type0.len() as f64 / f64::from(n);
        assert!(
            (share - 0.3).abs() < 5.0 * (0.21f64 / f64::from(n)).sqrt(),
            "{share}"
        );
        for (t, median) in [(0, 0.1f64.exp()), (1, 0.7f64.exp())] {
            let mut xs: Vec<f64> = type0.iter().map(|g| g[t]).collect();
            xs.sort_by(f64::total_cmp);
            assert!((xs[xs.len() / 2] / median - 1.0).abs() < 0.01);
        }
    }

    #[test]
    fn normalised_affinity_spans_zero_to_one() {
        let g = [1.0, 3.0, 2.0];
        assert_eq!(normalised_affinity(&g, (1.0, 3.0), 0), 0.0);
        assert_eq!(normalised_affinity(&g, (1.0, 3.0), 1), 1.0);
        assert_eq!(normalised_affinity(&g, (1.0, 3.0), 2), 0.5);
        assert_eq!(normalised_affinity(&[2.0, 2.0], (2.0, 2.0), 1), 0.5);
    }
}
