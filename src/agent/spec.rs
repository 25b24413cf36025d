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
use crate::sim::FieldError;
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
        match self {
            Self::Random => AgentInfo {
                name: "random",
                description: "uniformly random slate of distinct candidates",
                oracle: false,
                learns: false,
                envs: &[],
            },
            Self::Sweetest => AgentInfo {
                name: "sweetest",
                description: "highest clickbait score first",
                oracle: false,
                learns: false,
                envs: LTS,
            },
            Self::LeastSweet => AgentInfo {
                name: "least-sweet",
                description: "lowest clickbait score first",
                oracle: false,
                learns: false,
                envs: LTS,
            },
            Self::OracleMyopic => AgentInfo {
                name: "oracle-myopic",
                description: "oracle: slate with the highest expected immediate reward (reads hidden state)",
                oracle: true,
                learns: false,
                envs: &[],
            },
            Self::OracleQuality => AgentInfo {
                name: "oracle-quality",
                description: "oracle: top-K by hidden document quality",
                oracle: true,
                learns: false,
                envs: IEV,
            },
            Self::GreedyQuality(_) => AgentInfo {
                name: "greedy-quality",
                description: "top-K by predicted click score under a prior user affinity (RecSim's greedy pCTR agent)",
                oracle: false,
                learns: false,
                envs: IEX,
            },
            Self::EpsilonGreedy(_) => AgentInfo {
                name: EpsilonGreedy::NAME,
                description: "linear bandit: ridge regression, random slate with probability ε (scheduled)",
                oracle: false,
                learns: true,
                envs: &[],
            },
            Self::LinUcb(_) => AgentInfo {
                name: LinUcb::NAME,
                description: "linear bandit: top-K by upper confidence bound xᵀθ̂ + α·√(xᵀA⁻¹x)",
                oracle: false,
                learns: true,
                envs: &[],
            },
            Self::LinTs(_) => AgentInfo {
                name: LinTs::NAME,
                description: "linear bandit: Thompson sampling, top-K under θ̃ ~ N(θ̂, v²A⁻¹)",
                oracle: false,
                learns: true,
                envs: &[],
            },
            Self::SlateQ(p) if p.gamma == 0.0 => AgentInfo {
                name: "slateq-myopic",
                description: "SlateQ with γ = 0: learns immediate item values only (the myopic baseline)",
                oracle: false,
                learns: true,
                envs: &[],
            },
            Self::SlateQ(_) => AgentInfo {
                name: "slateq",
                description: "decomposed slate Q-learning over a shared item-value network (Ie et al. 2019)",
                oracle: false,
                learns: true,
                envs: &[],
            },
            Self::OracleOptimal(_) => AgentInfo {
                name: "oracle-optimal",
                description: "oracle: optimal policy by dynamic programming over hidden NPE and steps left",
                oracle: true,
                learns: false,
                envs: LTS,
            },
        }
    }

    /// Checks the parameters against an environment of shape `spec`: the only way to an
    /// agent that can be built.
    ///
    /// The error's field is relative to the agent entry (e.g. `"alpha"`); empty for the
    /// entry as a whole.
    pub fn check(&self, spec: &ObsSpec) -> Result<CheckedAgent, FieldError> {
        let info = self.info();
        if !info.envs.is_empty() && !info.envs.contains(&spec.kind) {
            let allowed: Vec<&str> = info.envs.iter().map(|e| e.name()).collect();
            return Err(FieldError::new(
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
            Self::GreedyQuality(p) => p.validate(spec)?,
            Self::EpsilonGreedy(p) => p.validate(spec)?,
            Self::LinUcb(p) => p.validate(spec)?,
            Self::LinTs(p) => p.validate(spec)?,
            Self::SlateQ(p) => p.validate(spec)?,
            Self::OracleOptimal(p) => p.validate(spec)?,
            Self::Random
            | Self::Sweetest
            | Self::LeastSweet
            | Self::OracleMyopic
            | Self::OracleQuality => {}
        }
        Ok(CheckedAgent {
            agent: self.clone(),
            obs: spec.clone(),
        })
    }
}

/// An agent spec that passed [`AgentSpec::check`] for one environment shape; only it builds
/// agents, so no unchecked parameters reach a constructor.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedAgent {
    agent: AgentSpec,
    /// The shape it was checked against, and the one it builds for.
    obs: ObsSpec,
}

impl CheckedAgent {
    /// The checked spec.
    pub fn spec(&self) -> &AgentSpec {
        &self.agent
    }

    /// Static facts about the agent's kind.
    pub fn info(&self) -> AgentInfo {
        self.agent.info()
    }

    /// Builds the agent for the environment shape it was checked against.
    pub fn build(&self, init_rng: &mut SimRng) -> Box<dyn Agent> {
        let spec = &self.obs;
        match &self.agent {
            AgentSpec::Random => Box::new(RandomAgent),
            AgentSpec::Sweetest => Box::new(Sweetness::new(true)),
            AgentSpec::LeastSweet => Box::new(Sweetness::new(false)),
            AgentSpec::OracleMyopic => Box::new(OracleMyopic),
            AgentSpec::OracleQuality => Box::new(OracleQuality::default()),
            AgentSpec::GreedyQuality(p) => Box::new(GreedyQuality::new(p.clone(), spec)),
            AgentSpec::EpsilonGreedy(p) => Box::new(EpsilonGreedy::new(p, spec)),
            AgentSpec::LinUcb(p) => Box::new(LinUcb::new(p, spec)),
            AgentSpec::LinTs(p) => Box::new(LinTs::new(p, spec)),
            AgentSpec::SlateQ(p) => Box::new(SlateQ::new(p.clone(), spec, init_rng)),
            AgentSpec::OracleOptimal(p) => Box::new(OracleOptimal::new(p, spec)),
        }
    }
}
