//! Runs act + learn of one bandit for a number of steps on pre-drawn linear-bandit
//! observations, for measuring CPU time per step on a shared machine:
//!
//! `perf stat -e task-clock target/release/examples/bandit_steps linucb 32 10 1000000`
//!
//! (arguments: agent name, feature dimension d = bias + document features, candidates N,
//! steps). Criterion's wall-clock figures (`cargo bench --bench bandit`) include time the
//! process spends descheduled; task-clock does not.

use slatelab::agent::{ActContext, AgentSpec, Transition};
use slatelab::sim::linear_bandit::{LinearBanditConfig, setup};
use slatelab::sim::rng::{EnvRngs, Phase, Purpose, StreamKey};
use slatelab::sim::{EnvSetup, Observation};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: bandit_steps AGENT D N STEPS";
    let [_, name, d, n, steps] = args.as_slice() else {
        panic!("{usage}")
    };
    let (d, n, steps): (usize, usize, usize) = (
        d.parse().expect(usage),
        n.parse().expect(usage),
        steps.parse().expect(usage),
    );
    let config = LinearBanditConfig {
        dimension: d - 1,
        num_candidates: n,
        ..Default::default()
    };
    let env_setup = setup(config).expect("valid dimensions");
    let spec = env_setup.spec().clone();
    let mut env = env_setup.build(1);
    let observations: Vec<Observation> = (0..64)
        .map(|e| {
            let mut obs = Observation::new(&spec);
            env.reset(&mut EnvRngs::for_episode(1, Phase::Train, e), &mut obs);
            obs
        })
        .collect();
    let key = StreamKey {
        seed: 1,
        purpose: Purpose::AgentAct,
        lane: 0,
        episode: 0,
        phase: Phase::Train,
    };
    let mut rng = key.rng();
    let agent_spec = AgentSpec::from_name(name).expect("an agent name");
    let checked = agent_spec.check(&spec).expect("parameters fit");
    let mut agent = checked.build(&mut rng);
    let mut slate = Vec::with_capacity(spec.slate_size);
    let mut total = 0.0;
    for obs in observations.iter().cycle().take(steps) {
        slate.clear();
        agent.act(
            &ActContext {
                obs,
                spec: &spec,
                oracle: None,
            },
            &mut rng,
            &mut slate,
        );
        let reward = obs.docs[[slate[0], 0]];
        total += reward;
        let t = Transition {
            obs,
            slate: &slate,
            next_obs: obs,
            reward,
            clicked: Some(0),
            terminal: false,
            truncated: false,
        };
        agent.learn(&t, &mut rng).expect("finite rewards");
    }
    println!("{name} d={d} N={n}: {steps} steps, total reward {total:.3}");
}
