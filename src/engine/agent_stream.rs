//! Which random streams an agent draws from: keyed by what the agent is, not where it sits.
//!
//! An agent's streams (initialisation, acting, learning) are derived from the run's seed,
//! the agent's canonical spec (its RON with every default written out) and its occurrence
//! among identical specs on the same seed. So `--agents epsilon-greedy` and
//! `--agents random,epsilon-greedy` give ε-greedy the same numbers, and one cell of a sweep
//! split per agent gives what the whole cell gives. Two identical agents in one run still
//! draw differently: the second is occurrence 1.

use sha2::{Digest, Sha256};

use crate::agent::AgentSpec;
use crate::scenario::canonical;
use crate::sim::rng::StreamKey;

/// The identity of one lane's agent streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AgentStream {
    /// A digest of the agent's canonical spec.
    spec_digest: u64,
    /// The seed the lane runs on (lanes of several seeds may share an agent).
    seed: u64,
    /// 0 for the first lane with this spec and seed, 1 for the second, ...
    occurrence: u32,
}

impl AgentStream {
    /// The first free occurrence of `agent` on `seed`, given the streams already in use.
    pub fn assign<'a>(
        agent: &AgentSpec,
        seed: u64,
        in_use: impl IntoIterator<Item = &'a AgentStream>,
    ) -> Self {
        let spec_digest = spec_digest(agent);
        let mut taken: Vec<u32> = in_use
            .into_iter()
            .filter(|s| s.spec_digest == spec_digest && s.seed == seed)
            .map(|s| s.occurrence)
            .collect();
        taken.sort_unstable();
        // The smallest occurrence not taken, so a lane removed and added back in the
        // dashboard gets the streams it had, and two live lanes never share streams.
        let mut occurrence = 0;
        for t in taken {
            if t == occurrence {
                occurrence += 1;
            } else if t > occurrence {
                break;
            }
        }
        Self {
            spec_digest,
            seed,
            occurrence,
        }
    }

    /// The occurrence among identical specs on the same seed (0 for the first).
    pub fn occurrence(&self) -> u32 {
        self.occurrence
    }

    /// The value in the `lane` slot of this agent's [`StreamKey`]s.
    pub fn key_lane(&self) -> u64 {
        let mixed =
            self.spec_digest ^ u64::from(self.occurrence).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // The environment's shared streams own this value; an agent must never draw from them.
        if mixed == StreamKey::SHARED_LANE {
            mixed - 1
        } else {
            mixed
        }
    }
}

/// The first 8 bytes of the SHA-256 of the agent's canonical RON, little-endian.
fn spec_digest(agent: &AgentSpec) -> u64 {
    let digest = Sha256::digest(canonical::agent_ron(agent).as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_specs_get_successive_occurrences() {
        let a = AgentStream::assign(&AgentSpec::Random, 1, []);
        let b = AgentStream::assign(&AgentSpec::Random, 1, [&a]);
        let c = AgentStream::assign(&AgentSpec::Random, 1, [&a, &b]);
        assert_eq!((a.occurrence, b.occurrence, c.occurrence), (0, 1, 2));
        assert_ne!(a.key_lane(), b.key_lane());
        // A freed occurrence is reused, the smallest first.
        let again = AgentStream::assign(&AgentSpec::Random, 1, [&a, &c]);
        assert_eq!(again.occurrence, 1);
    }

    #[test]
    fn other_specs_and_seeds_do_not_count_as_company() {
        let random = AgentStream::assign(&AgentSpec::Random, 1, []);
        let other_seed = AgentStream::assign(&AgentSpec::Random, 2, [&random]);
        assert_eq!(other_seed.occurrence, 0);
        let sweetest = AgentStream::assign(&AgentSpec::Sweetest, 1, [&random]);
        assert_eq!(sweetest.occurrence, 0);
        assert_ne!(sweetest.key_lane(), random.key_lane());
    }
}
