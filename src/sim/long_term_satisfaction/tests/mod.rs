//! Tests of the Long-Term Satisfaction environment, and an episode driver the Interest
//! Exploration tests share.

mod fidelity;
mod oracle;
mod properties;
mod satisfying_clicks;
mod validation;

use crate::agent::{ActContext, Agent};
use crate::sim::rng::{EnvRngs, Phase, Purpose, SimRng, StreamKey};
use crate::sim::{Environment, Observation, OracleView, StepOutcome};

/// What one driven episode produced.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct EpisodeLog {
    /// Sum of rewards.
    pub ret: f64,
    /// Steps taken.
    pub steps: u32,
    /// Steps with a click.
    pub clicks: u32,
    /// Mean over steps of the satisfaction readout after each transition.
    pub mean_satisfaction: f64,
    /// Whether the last step ended the session (rather than a cap).
    pub done: bool,
}

/// The agent stream of `episode` for lane 0.
pub(crate) fn agent_rng(seed: u64, episode: u64) -> SimRng {
    StreamKey {
        seed,
        purpose: Purpose::AgentAct,
        lane: 0,
        episode,
        phase: Phase::Train,
    }
    .rng()
}

/// Runs one training episode of `env` with `agent`, calling `check` after every step with the
/// environment, the observation the slate was chosen on, the slate, the outcome and the next
/// observation.
pub(crate) fn run_episode<E: Environment>(
    env: &mut E,
    agent: &mut dyn Agent,
    seed: u64,
    episode: u64,
    mut check: impl FnMut(&E, &Observation, &[usize], &StepOutcome, &Observation),
) -> EpisodeLog {
    let spec = env.spec().clone();
    let mut rngs = EnvRngs::for_episode(seed, Phase::Train, episode);
    let mut act_rng = agent_rng(seed, episode);
    let mut obs = Observation::new(&spec);
    let mut next = obs.clone();
    let mut slate = Vec::with_capacity(spec.slate_size);
    let mut log = EpisodeLog::default();
    let mut satisfaction = 0.0;
    env.reset(&mut rngs, &mut obs);
    loop {
        slate.clear();
        let ctx = ActContext {
            obs: &obs,
            spec: &spec,
            oracle: Some(&*env as &dyn OracleView),
        };
        agent.act(&ctx, &mut act_rng, &mut slate);
        let out = env.step(&slate, &mut rngs, &mut next);
        check(env, &obs, &slate, &out, &next);
        log.ret += out.reward;
        log.steps += 1;
        log.clicks += u32::from(out.clicked.is_some());
        satisfaction += out.satisfaction;
        std::mem::swap(&mut obs, &mut next);
        if out.done || out.truncated {
            log.done = out.done;
            break;
        }
        assert!(log.steps < 1_000_000, "episode never ended");
    }
    log.mean_satisfaction = satisfaction / f64::from(log.steps);
    log
}

/// Sample mean and its standard error.
pub(crate) fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Asserts that a sample's mean agrees with a reference value within three standard errors of
/// the difference (ours and the reference's, combined), plus `allowance` for the reference's
/// rounding.
pub(crate) fn assert_agrees(
    label: &str,
    xs: &[f64],
    reference: f64,
    reference_se: f64,
    allowance: f64,
) {
    let (mean, se) = mean_se(xs);
    let tolerance = 3.0 * (se * se + reference_se * reference_se).sqrt() + allowance;
    assert!(
        (mean - reference).abs() <= tolerance,
        "{label}: {mean:.4} ± {se:.4} vs reference {reference} ± {reference_se} (tolerance {tolerance:.4})"
    );
}
