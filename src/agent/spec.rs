//! The agents a scenario can name, their parameters, and how each is built.

use serde::{Deserialize, Serialize};

use super::Agent;
use super::bandit::{EpsilonGreedy, EpsilonGreedyParams, LinTs, LinTsParams, LinUcb, LinUcbParams};
use super::baselines::{
    GreedyQuality, GreedyQualityParams, OracleMyopic, OracleQuality, Sweetness,
};
use super::oracle_optimal::{OracleOptimal, OracleOptimalParams};
use super::random::RandomAgent;
use super::slateq::{SlateQ, SlateQParams};
use crate::sim::rng::SimRng;
use crate::sim::{EnvKind, ObsSpec};

/// An agent entry in a scenario file: the agent kind and its parameters.
///
/// In RON: `Random`, `Sweetest`, `GreedyQuality(prior_affinity: [0.52, 0.28])`, ...
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum AgentSpec {
    /// Uniformly random slate of distinct candidates.
    Random,
    /// Highest clickbait score first (Long-Term Satisfaction).
    Sweetest,
    /// Lowest clickbait score first (Long-Term Satisfaction).
    LeastSweet,
    /// Oracle: the slate with the highest expected immediate reward, from the hidden state.
    OracleMyopic,
    /// Oracle: top-K by hidden document quality (Interest Evolution).
    OracleQuality,
    /// Top-K by predicted click score under a prior user affinity (Interest Exploration).
    GreedyQuality(GreedyQualityParams),
    /// Ridge-regression bandit exploring uniformly at random with probability ε.
    EpsilonGreedy(EpsilonGreedyParams),
    /// LinUCB: top-K by xᵀθ̂ + α·√(xᵀA⁻¹x).
    LinUcb(LinUcbParams),
    /// Linear Thompson sampling: top-K by xᵀθ̃ with θ̃ ~ N(θ̂, v²A⁻¹).
    LinTs(LinTsParams),
    /// Decomposed slate Q-learning; with `gamma: 0.0` it is "myopic SlateQ".
    SlateQ(SlateQParams),
    /// Oracle: the optimal policy by dynamic programming over hidden NPE (Long-Term Satisfaction).
    OracleOptimal(OracleOptimalParams),
}

/// Static facts about an agent kind, for listings, outputs and validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgentInfo {
    /// The name used on the command line and in outputs.
    pub name: &'static str,
    /// One line on what it does.
    pub description: &'static str,
    /// Reads hidden state.
    pub oracle: bool,
    /// Learns from experience.
    pub learns: bool,
    /// The environments it works in (empty = all).
    pub envs: &'static [EnvKind],
}

const LTS: &[EnvKind] = &[EnvKind::LongTermSatisfaction];
const IEV: &[EnvKind] = &[EnvKind::InterestEvolution];
const IEX: &[EnvKind] = &[EnvKind::InterestExploration];

impl AgentSpec {
    /// One spec of every kind, with default parameters (for listings and `--agents` names).
    pub fn all_defaults() -> Vec<Self> {
        vec![
            Self::Random,
            Self::Sweetest,
            Self::LeastSweet,
            Self::OracleMyopic,
            Self::OracleQuality,
            Self::GreedyQuality(GreedyQualityParams::default()),
            Self::EpsilonGreedy(EpsilonGreedyParams::default()),
            Self::LinUcb(LinUcbParams::default()),
            Self::LinTs(LinTsParams::default()),
            Self::SlateQ(SlateQParams::default()),
            Self::SlateQ(SlateQParams::myopic()),
            Self::OracleOptimal(OracleOptimalParams::default()),
        ]
    }

    /// The default spec of the agent named `name` on the command line.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::all_defaults()
            .into_iter()
            .find(|s| s.info().name == name)
    }

    /// Static facts about this kind.
    pub fn info(&self) -> AgentInfo {
        let (name, description, oracle, learns, envs): (_, _, _, _, &'static [EnvKind]) = match self
        {
            Self::Random => (
                "random",
                "uniformly random slate of distinct candidates",
                false,
                false,
                &[],
            ),
            Self::Sweetest => (
                "sweetest",
                "highest clickbait score first",
                false,
                false,
                LTS,
            ),
            Self::LeastSweet => (
                "least-sweet",
                "lowest clickbait score first",
                false,
                false,
                LTS,
            ),
            Self::OracleMyopic => (
                "oracle-myopic",
                "oracle: slate with the highest expected immediate reward (reads hidden state)",
                true,
                false,
                &[],
            ),
            Self::OracleQuality => (
                "oracle-quality",
                "oracle: top-K by hidden document quality",
                true,
                false,
                IEV,
            ),
            Self::GreedyQuality(_) => (
                "greedy-quality",
                "top-K by predicted click score under a prior user affinity (RecSim's greedy pCTR agent)",
                false,
                false,
                IEX,
            ),
            Self::EpsilonGreedy(_) => (
                EpsilonGreedy::NAME,
                "linear bandit: ridge regression, random slate with probability ε (scheduled)",
                false,
                true,
                &[],
            ),
            Self::LinUcb(_) => (
                LinUcb::NAME,
                "linear bandit: top-K by upper confidence bound xᵀθ̂ + α·√(xᵀA⁻¹x)",
                false,
                true,
                &[],
            ),
            Self::LinTs(_) => (
                LinTs::NAME,
                "linear bandit: Thompson sampling, top-K under θ̃ ~ N(θ̂, v²A⁻¹)",
                false,
                true,
                &[],
            ),
            Self::SlateQ(p) if p.gamma == 0.0 => (
                "slateq-myopic",
                "SlateQ with γ = 0: learns immediate item values only (the myopic baseline)",
                false,
                true,
                &[],
            ),
            Self::SlateQ(_) => (
                "slateq",
                "decomposed slate Q-learning over a shared item-value network (Ie et al. 2019)",
                false,
                true,
                &[],
            ),
            Self::OracleOptimal(_) => (
                "oracle-optimal",
                "oracle: optimal policy by dynamic programming over hidden NPE and steps left",
                true,
                false,
                LTS,
            ),
        };
        AgentInfo {
            name,
            description,
            oracle,
            learns,
            envs,
        }
    }

    /// Checks the parameters against the environment; returns `(field, message)` on error.
    ///
    /// `field` is relative to the agent entry (e.g. `"alpha"`); empty for the entry as a whole.
    pub fn validate(&self, spec: &ObsSpec) -> Result<(), (String, String)> {
        let info = self.info();
        if !info.envs.is_empty() && !info.envs.contains(&spec.kind) {
            let allowed: Vec<&str> = info.envs.iter().map(|e| e.name()).collect();
            return Err((
                String::new(),
                format!(
                    "agent `{}` works only in {} environments, not {}",
                    info.name,
                    allowed.join(" or "),
                    spec.kind.name()
                ),
            ));
        }
        match self {
            Self::GreedyQuality(p) => p.validate(spec),
            Self::EpsilonGreedy(p) => p.validate(spec),
            Self::LinUcb(p) => p.validate(spec),
            Self::LinTs(p) => p.validate(spec),
            Self::SlateQ(p) => p.validate(spec),
            Self::OracleOptimal(p) => p.validate(spec),
            _ => Ok(()),
        }
    }

    /// Builds the agent for an environment of shape `spec`. Call [`Self::validate`] first.
    pub fn build(&self, spec: &ObsSpec, init_rng: &mut SimRng) -> Box<dyn Agent> {
        match self {
            Self::Random => Box::new(RandomAgent),
            Self::Sweetest => Box::new(Sweetness::new(true)),
            Self::LeastSweet => Box::new(Sweetness::new(false)),
            Self::OracleMyopic => Box::new(OracleMyopic),
            Self::OracleQuality => Box::new(OracleQuality::default()),
            Self::GreedyQuality(p) => Box::new(GreedyQuality::new(p.clone(), spec)),
            Self::EpsilonGreedy(p) => Box::new(EpsilonGreedy::new(p, spec)),
            Self::LinUcb(p) => Box::new(LinUcb::new(p, spec)),
            Self::LinTs(p) => Box::new(LinTs::new(p, spec)),
            Self::SlateQ(p) => Box::new(SlateQ::new(p.clone(), spec, init_rng)),
            Self::OracleOptimal(p) => Box::new(OracleOptimal::new(p, spec)),
        }
    }
}
