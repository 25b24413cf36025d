//! Named, portable random streams.
//!
//! Every draw in slatelab comes from a [`SimRng`] (Xoshiro256++, whose output is
//! specified bit for bit and does not change between `rand` releases, unlike `StdRng`).
//! A stream is identified by a [`StreamKey`]: the scenario seed, what the stream is
//! for, the lane, and the episode. The environment's streams leave the lane out, so
//! every lane of a run meets the same users and the same candidate documents
//! (common random numbers), whatever its agent recommends.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The one random number generator type used throughout the simulation.
pub type SimRng = Xoshiro256PlusPlus;

/// What a random stream is used for; part of every stream's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u64)]
pub enum Purpose {
    /// Drawing the user who starts an episode (segment, initial state).
    User = 1,
    /// Drawing candidate documents.
    Documents = 2,
    /// The user's responses: choices, engagement noise, state-transition noise.
    Response = 3,
    /// An agent's decisions within an episode (exploration, sampling).
    AgentAct = 4,
    /// An agent's one-off initialisation (network weights, ...).
    AgentInit = 5,
    /// An agent's learning (replay sampling, ...).
    AgentLearn = 6,
    /// A fixed corpus sampled once per run when documents are not resampled.
    Corpus = 7,
}

/// Which population of episodes a stream belongs to: training users or held-out evaluation users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Phase {
    /// The episodes an agent runs (and learns from).
    #[default]
    Train,
    /// Separate users used only to evaluate a frozen, greedy policy.
    Eval,
}

/// The identity of one random stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StreamKey {
    /// The scenario (or command-line) seed.
    pub seed: u64,
    /// What the stream is used for.
    pub purpose: Purpose,
    /// The lane (agent slot); environment streams use [`StreamKey::SHARED_LANE`].
    pub lane: u64,
    /// The episode index within the phase.
    pub episode: u64,
    /// Training or evaluation.
    pub phase: Phase,
}

impl StreamKey {
    /// Lane value used by streams that all lanes share (the environment's).
    pub const SHARED_LANE: u64 = u64::MAX;

    /// Builds the generator for this key.
    pub fn rng(self) -> SimRng {
        let mut state = splitmix64(self.seed ^ 0x5EED_5EED_5EED_5EED);
        for word in [
            self.purpose as u64,
            self.lane,
            self.episode,
            match self.phase {
                Phase::Train => 0,
                Phase::Eval => 1,
            },
        ] {
            state = splitmix64(state ^ splitmix64(word.wrapping_add(0x9E37_79B9_7F4A_7C15)));
        }
        let mut seed = [0u8; 32];
        for chunk in seed.chunks_exact_mut(8) {
            state = splitmix64(state);
            chunk.copy_from_slice(&state.to_le_bytes());
        }
        SimRng::from_seed(seed)
    }
}

/// SplitMix64's finaliser: a fast, well-mixed bijection on u64 used to derive seeds.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The environment's three streams for one episode.
#[derive(Clone, Debug)]
pub struct EnvRngs {
    /// Draws the episode's user.
    pub user: SimRng,
    /// Draws candidate documents.
    pub docs: SimRng,
    /// Draws the user's responses and state noise.
    pub response: SimRng,
}

impl EnvRngs {
    /// The streams of `episode` in `phase`, shared by every lane of a run seeded with `seed`.
    pub fn for_episode(seed: u64, phase: Phase, episode: u64) -> Self {
        let key = |purpose| StreamKey {
            seed,
            purpose,
            lane: StreamKey::SHARED_LANE,
            episode,
            phase,
        };
        Self {
            user: key(Purpose::User).rng(),
            docs: key(Purpose::Documents).rng(),
            response: key(Purpose::Response).rng(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    fn key(seed: u64, purpose: Purpose, lane: u64, episode: u64) -> StreamKey {
        StreamKey {
            seed,
            purpose,
            lane,
            episode,
            phase: Phase::Train,
        }
    }

    #[test]
    fn same_key_gives_same_stream() {
        let mut a = key(7, Purpose::User, 0, 3).rng();
        let mut b = key(7, Purpose::User, 0, 3).rng();
        for _ in 0..10 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn every_component_of_the_key_changes_the_stream() {
        let base = key(7, Purpose::User, 0, 3);
        let first = base.rng().next_u64();
        let variants = [
            key(8, Purpose::User, 0, 3),
            key(7, Purpose::Documents, 0, 3),
            key(7, Purpose::User, 1, 3),
            key(7, Purpose::User, 0, 4),
            StreamKey {
                phase: Phase::Eval,
                ..base
            },
        ];
        for v in variants {
            assert_ne!(v.rng().next_u64(), first, "{v:?}");
        }
    }

    #[test]
    fn streams_are_portable() {
        // Pinned output: if this changes, every published result changes with it.
        let mut rng = key(1, Purpose::User, StreamKey::SHARED_LANE, 0).rng();
        let got = rng.next_u64();
        let mut again = key(1, Purpose::User, StreamKey::SHARED_LANE, 0).rng();
        assert_eq!(got, again.next_u64());
        assert_eq!(
            got, PINNED_FIRST_DRAW,
            "stream derivation changed: {got:#x}"
        );
    }

    const PINNED_FIRST_DRAW: u64 = 0x9035_2899_8af8_9d24;
}
