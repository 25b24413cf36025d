use rand::RngExt;

use super::*;
use crate::sim::observation::{ChoiceHint, ChoiceScore};
use crate::sim::rng::{Phase, Purpose, StreamKey};
use crate::sim::{EnvKind, ResponseFields};

mod satisfying_clicks;

fn choc_kale_spec() -> ObsSpec {
    ObsSpec {
        kind: EnvKind::LongTermSatisfaction,
        user_dim: 1,
        doc_dim: 1,
        num_candidates: 20,
        slate_size: 1,
        num_clusters: 0,
        time_feature: true,
        response_fields: ResponseFields::default(),
        choice: ChoiceHint {
            model: ChoiceModel::Slot0,
            score: ChoiceScore::DocFeature(0),
        },
        max_steps: Some(10),
    }
}

#[test]
fn choc_kale_optimum_is_about_226_from_npe_one() {
    let table = ValueTable::new(&OracleOptimalParams::default(), 20, 10);
    let v = table.value(10, 1.0);
    // Reference Appendix A: ≈ 226 (simulated 225.98 ± 0.10).
    assert!((v - 226.0).abs() < 0.6, "V_10(1.0) = {v}");
    // Far above always-sweetest (56.5) and random (99.0).
    assert!(v > 2.0 * 99.0);
}

/// Plays choc-kale's deterministic dynamics with the table's greedy policy.
fn simulate(table: &ValueTable, episodes: u64) -> (f64, f64, bool) {
    let mut rng = StreamKey {
        seed: 1,
        purpose: Purpose::Documents,
        lane: 0,
        episode: 0,
        phase: Phase::Train,
    }
    .rng();
    let (mut sum, mut sum_sq, mut last_step_sweetest) = (0.0, 0.0, true);
    for _ in 0..episodes {
        let (mut npe, mut ret) = (1.0f64, 0.0);
        for t in (1..=10u32).rev() {
            let docs: Vec<f64> = (0..20)
                .map(|i| {
                    if i % 2 == 0 {
                        0.8 + 0.2 * rng.random::<f64>()
                    } else {
                        0.2 * rng.random::<f64>()
                    }
                })
                .collect();
            let best = docs
                .iter()
                .copied()
                .max_by(|a, b| {
                    table
                        .action_value(npe, *a, t)
                        .total_cmp(&table.action_value(npe, *b, t))
                })
                .unwrap();
            if t == 1 {
                last_step_sweetest &= docs.iter().all(|&c| c <= best);
            }
            let sat = 1.0 / (1.0 + (-0.9 * npe).exp());
            ret += (sat * 5.0 * best).exp();
            npe = 0.7 * npe - 2.0 * (best - 0.5);
        }
        sum += ret;
        sum_sq += ret * ret;
    }
    let n = episodes as f64;
    let mean = sum / n;
    let se = ((sum_sq / n - mean * mean) / n).sqrt();
    (mean, se, last_step_sweetest)
}

#[test]
fn the_table_policy_achieves_the_table_value() {
    let table = ValueTable::new(&OracleOptimalParams::default(), 20, 10);
    let (mean, se, sweet_last) = simulate(&table, 2000);
    let v = table.value(10, 1.0);
    assert!(
        (mean - v).abs() < 4.0 * se + 0.3,
        "simulated {mean} ± {se}, table {v}"
    );
    assert!(
        sweet_last,
        "the last step always serves the sweetest candidate"
    );
}

#[test]
fn stock_lts_optimum_is_close_to_always_most_clickbait() {
    // Reference §3.7: with τ = 0.01 the myopic "most clickbait" policy is (nearly) optimal;
    // its analytic return with N = 10 is 1114.3.
    let stock = OracleOptimalParams {
        sensitivity: 0.01,
        innovation_stddev: 0.05,
        choc_stddev: 1.0,
        kale_mean: 4.0,
        kale_stddev: 1.0,
        time_budget: 60,
        documents: LtsDocuments::Uniform {
            low: 0.0,
            high: 1.0,
        },
        npe_grid_points: 201,
        clickbait_cells: 50,
        ..OracleOptimalParams::default()
    };
    let table = ValueTable::new(&stock, 10, 60);
    // Average over the stock initial NPE, uniform on [−5/3, 5/3).
    let v: f64 = (0..100)
        .map(|i| table.value(60, -5.0 / 3.0 + (f64::from(i) + 0.5) / 30.0))
        .sum::<f64>()
        / 100.0;
    assert!((1112.0..1125.0).contains(&v), "{v}");
}

#[test]
fn validation_names_the_problem() {
    let spec = choc_kale_spec();
    assert!(OracleOptimalParams::default().validate(&spec).is_ok());
    let bad = OracleOptimalParams {
        memory_discount: 1.0,
        ..OracleOptimalParams::default()
    };
    assert_eq!(bad.validate(&spec).unwrap_err().field, "memory_discount");
    let bad = OracleOptimalParams {
        documents: LtsDocuments::Alternating {
            sweet: (0.9, 0.8),
            bitter: (0.0, 0.2),
        },
        ..OracleOptimalParams::default()
    };
    assert_eq!(bad.validate(&spec).unwrap_err().field, "documents.sweet");
    let bad = OracleOptimalParams {
        npe_grid_points: 3,
        ..OracleOptimalParams::default()
    };
    assert_eq!(bad.validate(&spec).unwrap_err().field, "npe_grid_points");
    let mut logit = spec.clone();
    logit.choice.model = ChoiceModel::MultinomialLogit {
        no_click_mass: None,
    };
    assert!(OracleOptimalParams::default().validate(&logit).is_err());
}

#[test]
fn the_discounted_table_weighs_the_future_by_gamma() {
    let p = OracleOptimalParams::default();
    let plain = ValueTable::new(&p, 20, 10);
    let undiscounted = ValueTable::discounted(&p, 20, 10, 1.0);
    let myopic = ValueTable::discounted(&p, 20, 10, 0.0);
    let gamma = ValueTable::discounted(&p, 20, 10, 0.9);
    for x in [-2.0, 0.0, 1.0, 2.5] {
        assert_eq!(plain.value(10, x), undiscounted.value(10, x));
        // γ = 0: every horizon is worth the best immediate reward only.
        assert!((myopic.value(7, x) - myopic.value(1, x)).abs() < 1e-9);
        // A discounted return lies between the myopic and the undiscounted one.
        let v = gamma.value(10, x);
        assert!(
            myopic.value(10, x) < v && v < plain.value(10, x),
            "x = {x}: {v}"
        );
        for c in [0.1, 0.9] {
            // Q_γ(x, c, t) = r(x, c) + γ·V_γ,t−1(next) with the same immediate reward.
            let now = myopic.action_value(x, c, 1);
            let next = 0.7 * x - 2.0 * (c - 0.5);
            let expected = now + 0.9 * gamma.value(9, next);
            assert!((gamma.action_value(x, c, 10) - expected).abs() < 1e-3);
        }
    }
}
