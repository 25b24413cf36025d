//! Bandit act + learn per step, and the dense kernels against ndarray's and nalgebra's.
//!
//! Run: `cargo bench --bench bandit` (figures in docs/performance.md, section "Bandits").

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use nalgebra::{DMatrix, DVector};
use ndarray::{Array2, linalg::general_mat_mul};
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use slatelab::agent::bandit::kernels::quad_forms;
use slatelab::agent::bandit::ridge::Ridge;
use slatelab::agent::{ActContext, Agent, AgentSpec, Transition};
use slatelab::sim::choice::ChoiceModel;
use slatelab::sim::linear_bandit::{LinearBanditConfig, setup};
use slatelab::sim::observation::{ChoiceHint, ChoiceScore};
use slatelab::sim::rng::{EnvRngs, Phase, Purpose, SimRng, StreamKey};
use slatelab::sim::{EnvKind, EnvSetup, ObsSpec, Observation, ResponseFields};

const DIMS: [usize; 3] = [16, 32, 64];
const CANDIDATES: [usize; 2] = [10, 100];
/// Distinct observations cycled through, so caches and branch predictors see variety.
const OBSERVATIONS: usize = 64;

fn rng(seed: u64) -> SimRng {
    StreamKey {
        seed,
        purpose: Purpose::AgentAct,
        lane: 0,
        episode: 0,
        phase: Phase::Train,
    }
    .rng()
}

fn normals(n: usize, rng: &mut SimRng) -> Vec<f64> {
    (0..n).map(|_| StandardNormal.sample(rng)).collect()
}

/// Linear-bandit observations whose feature map (bias + doc) has exactly `d` dimensions.
fn linear_observations(d: usize, n: usize) -> (ObsSpec, Vec<Observation>) {
    let config = LinearBanditConfig {
        dimension: d - 1,
        num_candidates: n,
        ..Default::default()
    };
    let s = setup(config).unwrap();
    let mut env = s.build(1);
    let spec = s.spec().clone();
    let obs = (0..OBSERVATIONS as u64)
        .map(|e| {
            let mut o = Observation::new(&spec);
            env.reset(&mut EnvRngs::for_episode(1, Phase::Train, e), &mut o);
            o
        })
        .collect();
    (spec, obs)
}

/// Interest Evolution's shape: 20 interests, one-hot topics, N = 10, K = 2, click choice
/// (d = 41 with the default features, two observations learned per step).
fn iev_observations() -> (ObsSpec, Vec<Observation>) {
    let spec = ObsSpec {
        kind: EnvKind::InterestEvolution,
        user_dim: 20,
        doc_dim: 20,
        num_candidates: 10,
        slate_size: 2,
        num_clusters: 20,
        time_feature: false,
        response_fields: ResponseFields {
            quality: true,
            cluster: true,
        },
        choice: ChoiceHint {
            model: ChoiceModel::MultinomialProportional {
                min_normalizer: -1.0,
                no_click_mass: 1.0,
            },
            score: ChoiceScore::UserDocDot,
        },
        max_steps: None,
    };
    let mut r = rng(2);
    let obs = (0..OBSERVATIONS)
        .map(|_| {
            let mut o = Observation::new(&spec);
            o.user
                .iter_mut()
                .for_each(|u| *u = StandardNormal.sample(&mut r));
            for i in 0..10 {
                o.docs[[i, r.random_range(0..20)]] = 1.0;
            }
            o
        })
        .collect();
    (spec, obs)
}

/// One step: act on `obs`, then learn a reward that depends on the slate served.
fn step(
    agent: &mut dyn Agent,
    spec: &ObsSpec,
    obs: &Observation,
    r: &mut SimRng,
    slate: &mut Vec<usize>,
) {
    slate.clear();
    agent.act(
        &ActContext {
            obs,
            spec,
            oracle: None,
        },
        r,
        slate,
    );
    let reward = obs.docs[[slate[0], 0]];
    let t = Transition {
        obs,
        slate,
        next_obs: obs,
        reward,
        clicked: Some(0),
        terminal: false,
        truncated: false,
    };
    agent.learn(&t, r).unwrap();
}

fn bench_agents_on(
    c: &mut Criterion,
    group: &str,
    label: String,
    spec: &ObsSpec,
    obs: &[Observation],
) {
    let mut g = c.benchmark_group(group);
    for name in ["linucb", "lints", "epsilon-greedy"] {
        let agent_spec = AgentSpec::from_name(name).unwrap();
        let checked = agent_spec.check(spec).unwrap();
        let mut r = rng(3);
        let mut agent = checked.build(&mut r);
        let mut slate = Vec::with_capacity(spec.slate_size);
        // Warm up past the first refactorisations so A is a realistic design matrix.
        for o in obs.iter().cycle().take(5000) {
            step(agent.as_mut(), spec, o, &mut r, &mut slate);
        }
        let mut cycle = obs.iter().cycle();
        g.bench_function(BenchmarkId::new(name, &label), |b| {
            b.iter(|| {
                step(
                    agent.as_mut(),
                    spec,
                    cycle.next().unwrap(),
                    &mut r,
                    &mut slate,
                );
            });
        });
    }
    g.finish();
}

fn agents(c: &mut Criterion) {
    for d in DIMS {
        for n in CANDIDATES {
            let (spec, obs) = linear_observations(d, n);
            bench_agents_on(c, "act+learn", format!("d={d},N={n}"), &spec, &obs);
        }
    }
    let (spec, obs) = iev_observations();
    bench_agents_on(c, "act+learn", "iev d=41,N=10,K=2".into(), &spec, &obs);
}

/// A random symmetric positive definite d × d matrix (row-major), like a bandit's A⁻¹.
fn spd(d: usize, r: &mut SimRng) -> Vec<f64> {
    let g = normals(d * d, r);
    let mut s = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..d {
            s[i * d + j] = (0..d).map(|k| g[i * d + k] * g[j * d + k]).sum::<f64>() / d as f64;
        }
        s[i * d + i] += 1.0;
    }
    s
}

/// xᵀA⁻¹x for N candidates: hand-written rows, ndarray's matmul, nalgebra's gemm.
fn widths(c: &mut Criterion) {
    let mut g = c.benchmark_group("widths");
    for d in DIMS {
        for n in CANDIDATES {
            let label = format!("d={d},N={n}");
            let mut r = rng(4);
            let (phi, s) = (normals(n * d, &mut r), spd(d, &mut r));
            let mut out = vec![0.0; n];
            g.bench_function(BenchmarkId::new("hand", &label), |b| {
                b.iter(|| quad_forms(black_box(&phi), black_box(&s), d, &mut out));
            });
            let phi_nd = Array2::from_shape_vec((n, d), phi.clone()).unwrap();
            let s_nd = Array2::from_shape_vec((d, d), s.clone()).unwrap();
            let mut m = Array2::zeros((n, d));
            g.bench_function(BenchmarkId::new("ndarray", &label), |b| {
                b.iter(|| {
                    general_mat_mul(1.0, black_box(&phi_nd), black_box(&s_nd), 0.0, &mut m);
                    for (o, (x, y)) in out.iter_mut().zip(phi_nd.rows().into_iter().zip(m.rows())) {
                        *o = x.dot(&y);
                    }
                });
            });
            let phi_na = DMatrix::from_row_slice(n, d, &phi);
            let s_na = DMatrix::from_row_slice(d, d, &s);
            let mut m_na = DMatrix::zeros(n, d);
            g.bench_function(BenchmarkId::new("nalgebra", &label), |b| {
                b.iter(|| {
                    m_na.gemm(1.0, black_box(&phi_na), black_box(&s_na), 0.0);
                    out.fill(0.0);
                    for j in 0..d {
                        for (i, o) in out.iter_mut().enumerate() {
                            *o += phi_na[(i, j)] * m_na[(i, j)];
                        }
                    }
                });
            });
        }
    }
    g.finish();
}

/// One ridge observation (A⁻¹ by Sherman–Morrison, A, b, θ̂): ours against nalgebra's BLAS-2.
fn updates(c: &mut Criterion) {
    let mut g = c.benchmark_group("ridge-update");
    for d in DIMS {
        let mut r = rng(5);
        let xs: Vec<Vec<f64>> = (0..OBSERVATIONS).map(|_| normals(d, &mut r)).collect();
        let mut ridge = Ridge::new(d, 1.0, 1000, false);
        let mut cycle = xs.iter().cycle();
        g.bench_function(BenchmarkId::new("hand", d), |b| {
            b.iter(|| ridge.update(black_box(cycle.next().unwrap()), 0.5).unwrap());
        });
        let mut factored = Ridge::new(d, 1.0, 1000, true);
        g.bench_function(BenchmarkId::new("hand+cholesky", d), |b| {
            b.iter(|| {
                factored
                    .update(black_box(cycle.next().unwrap()), 0.5)
                    .unwrap()
            });
        });
        let xs_na: Vec<DVector<f64>> = xs.iter().map(|x| DVector::from_column_slice(x)).collect();
        let mut cycle_na = xs_na.iter().cycle();
        let (mut a, mut a_inv) = (
            DMatrix::<f64>::identity(d, d),
            DMatrix::<f64>::identity(d, d),
        );
        let (mut bvec, mut theta, mut u) =
            (DVector::zeros(d), DVector::zeros(d), DVector::zeros(d));
        g.bench_function(BenchmarkId::new("nalgebra", d), |b| {
            b.iter(|| {
                let x = black_box(cycle_na.next().unwrap());
                u.gemv(1.0, &a_inv, x, 0.0);
                let s = 1.0 + x.dot(&u);
                let err = 0.5 - x.dot(&theta);
                theta.axpy(err / s, &u, 1.0);
                a_inv.ger(-1.0 / s, &u, &u, 1.0);
                a.ger(1.0, x, x, 1.0);
                bvec.axpy(0.5, x, 1.0);
            });
        });
        let mut chol = DMatrix::<f64>::identity(d, d).cholesky().unwrap();
        g.bench_function(BenchmarkId::new("nalgebra-cholesky-only", d), |b| {
            b.iter(|| chol.rank_one_update(black_box(cycle_na.next().unwrap()), 1.0));
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50)
}

criterion_group! { name = benches; config = config(); targets = agents, widths, updates }
criterion_main!(benches);
