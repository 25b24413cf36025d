use ndarray::{Array1, Array2};
use rand::RngExt;

use super::*;
use crate::sim::rng::{Phase, Purpose, StreamKey};

fn rng(seed: u64) -> SimRng {
    StreamKey {
        seed,
        purpose: Purpose::AgentInit,
        lane: 0,
        episode: 0,
        phase: Phase::Train,
    }
    .rng()
}

fn config(hidden: Vec<usize>, loss: Loss) -> NetworkConfig {
    NetworkConfig {
        hidden,
        loss,
        grad_clip_norm: None,
        ..NetworkConfig::default()
    }
}

fn random_batch(r: &mut SimRng, rows: usize, cols: usize) -> (Array2<f64>, Array1<f64>) {
    let x = Array2::from_shape_fn((rows, cols), |_| r.random_range(-1.0..1.0));
    let y = Array1::from_shape_fn(rows, |_| r.random_range(-2.0..2.0));
    (x, y)
}

/// Central finite differences of the loss against the analytic gradient, every parameter.
fn gradient_check(loss: Loss, target_scale: f64) -> f64 {
    let mut r = rng(11);
    let mut net = Mlp::<f64>::new(5, &config(vec![7, 4], loss), &mut r);
    // Non-zero biases so every unit's bias gradient is exercised off the zero point.
    for p in net.params_mut() {
        *p += r.random_range(-0.1..0.1);
    }
    let (x, y) = random_batch(&mut r, 6, 5);
    let y = y * target_scale;
    let mut dout = Vec::new();
    net.forward(x.view());
    net.loss_and_output_grad(y.view(), &mut dout);
    net.backward(x.view(), &dout);
    let analytic = net.grads().to_vec();
    let h = 1e-6;
    let mut worst: f64 = 0.0;
    for (i, &grad) in analytic.iter().enumerate() {
        let orig = net.params()[i];
        net.params_mut()[i] = orig + h;
        net.forward(x.view());
        let up = net.loss_and_output_grad(y.view(), &mut dout);
        net.params_mut()[i] = orig - h;
        net.forward(x.view());
        let down = net.loss_and_output_grad(y.view(), &mut dout);
        net.params_mut()[i] = orig;
        let numeric = (up - down) / (2.0 * h);
        let rel = (numeric - grad).abs() / (numeric.abs() + grad.abs()).max(1e-7);
        worst = worst.max(rel);
    }
    worst
}

#[test]
fn gradient_matches_finite_differences_squared() {
    let worst = gradient_check(Loss::Squared, 1.0);
    assert!(worst < 1e-5, "max relative error {worst}");
}

#[test]
fn gradient_matches_finite_differences_huber() {
    // Targets up to ±6 put some errors beyond the Huber threshold, some inside.
    let worst = gradient_check(Loss::Huber, 3.0);
    assert!(worst < 1e-5, "max relative error {worst}");
}

#[test]
fn huber_is_linear_beyond_one() {
    let mut r = rng(2);
    let mut net = Mlp::<f64>::new(1, &config(vec![], Loss::Huber), &mut r);
    net.params_mut().copy_from_slice(&[0.0, 0.0]);
    let x = Array2::zeros((1, 1));
    let mut dout = Vec::new();
    net.forward(x.view());
    let loss = net.loss_and_output_grad(Array1::from(vec![3.0]).view(), &mut dout);
    assert!((loss - 2.5).abs() < 1e-12);
    assert_eq!(dout, vec![-1.0]);
}

#[test]
fn fits_a_nonlinear_function() {
    let mut r = rng(3);
    let cfg = NetworkConfig {
        hidden: vec![32, 16],
        loss: Loss::Squared,
        adam: AdamConfig {
            lr: 5e-3,
            ..AdamConfig::default()
        },
        grad_clip_norm: Some(10.0),
    };
    let mut net = Mlp::<f32>::new(2, &cfg, &mut r);
    let x = Array2::from_shape_fn((64, 2), |_| r.random_range(-1.0f32..1.0));
    let y = Array1::from_shape_fn(64, |i| (x[[i, 0]] * x[[i, 1]] * 3.0).abs());
    let first = net.fit(x.view(), y.view());
    let mut last = first;
    for _ in 0..1500 {
        last = net.fit(x.view(), y.view());
    }
    assert!(last < 0.05 * first, "loss {first} → {last}");
}

#[test]
fn glorot_init_is_bounded_and_seeded() {
    let cfg = NetworkConfig::default();
    let a = Mlp::<f32>::new(40, &cfg, &mut rng(5));
    let b = Mlp::<f32>::new(40, &cfg, &mut rng(5));
    let c = Mlp::<f32>::new(40, &cfg, &mut rng(6));
    assert_eq!(a.params(), b.params());
    assert_ne!(a.params(), c.params());
    let limit = (6.0f32 / (40.0 + 256.0)).sqrt();
    assert!(a.params()[..40 * 256].iter().all(|w| w.abs() <= limit));
    let (_, b_off) = a.offsets[0];
    assert!(a.params()[b_off..b_off + 256].iter().all(|&b| b == 0.0));
    assert_eq!(a.sizes(), &[40, 256, 32, 1]);
}

#[test]
fn predictions_of_a_row_do_not_depend_on_the_batch() {
    let mut net = Mlp::<f32>::new(3, &NetworkConfig::default(), &mut rng(7));
    let x = Array2::from_shape_fn((10, 3), |(i, j)| (i * 3 + j) as f32 * 0.1 - 1.0);
    let all = net.predict(x.view()).to_vec();
    let one = net.predict(x.row(4).insert_axis(ndarray::Axis(0))).to_vec();
    assert!((all[4] - one[0]).abs() < 1e-6);
}

#[test]
fn save_load_roundtrip_and_mismatch() {
    let cfg = NetworkConfig {
        hidden: vec![8],
        ..NetworkConfig::default()
    };
    let mut a = Mlp::<f32>::new(3, &cfg, &mut rng(8));
    let x = Array2::from_elem((4, 3), 0.5f32);
    let y = Array1::from_elem(4, 1.0f32);
    a.fit(x.view(), y.view());
    let saved = a.save(true);
    let mut b = Mlp::<f32>::new(3, &cfg, &mut rng(9));
    b.load(&saved).unwrap();
    assert_eq!(a.params(), b.params());
    // With the optimiser state restored, the next step is identical too.
    a.fit(x.view(), y.view());
    b.fit(x.view(), y.view());
    assert_eq!(a.params(), b.params());

    let mut wider = Mlp::<f32>::new(
        3,
        &NetworkConfig {
            hidden: vec![9],
            ..cfg.clone()
        },
        &mut rng(9),
    );
    assert!(matches!(
        wider.load(&saved),
        Err(CheckpointError::Mismatch(_))
    ));
    let mut truncated = saved.clone();
    truncated.params.pop();
    assert!(matches!(
        b.load(&truncated),
        Err(CheckpointError::Corrupt(_))
    ));
}

#[test]
fn soft_update_moves_a_fraction_of_the_way() {
    let cfg = NetworkConfig {
        hidden: vec![4],
        ..NetworkConfig::default()
    };
    let a = Mlp::<f32>::new(2, &cfg, &mut rng(1));
    let mut b = Mlp::<f32>::new(2, &cfg, &mut rng(2));
    let before = b.params().to_vec();
    b.soft_update_from(&a, 0.25);
    for ((&n, &o), &t) in b.params().iter().zip(&before).zip(a.params()) {
        assert!((n - (0.75 * o + 0.25 * t)).abs() < 1e-6);
    }
    b.copy_weights_from(&a);
    assert_eq!(b.params(), a.params());
}

#[test]
fn validation_names_bad_fields() {
    let bad = NetworkConfig {
        hidden: vec![16, 0],
        ..NetworkConfig::default()
    };
    assert_eq!(bad.validate().unwrap_err().field, "hidden[1]");
    let bad = NetworkConfig {
        grad_clip_norm: Some(-1.0),
        ..NetworkConfig::default()
    };
    assert_eq!(bad.validate().unwrap_err().field, "grad_clip_norm");
    let bad = NetworkConfig {
        adam: AdamConfig {
            lr: f64::NAN,
            ..AdamConfig::default()
        },
        ..NetworkConfig::default()
    };
    assert_eq!(bad.validate().unwrap_err().field, "adam.lr");
}

#[test]
fn weighted_fits_scale_each_rows_loss() {
    let cfg = NetworkConfig {
        hidden: vec![8],
        ..NetworkConfig::default()
    };
    let mut r = rng(11);
    let x = Array2::from_shape_fn((4, 3), |_| r.random_range(-1.0f32..1.0));
    let y = Array1::from(vec![1.0f32, -2.0, 0.5, 3.0]);
    let fresh = Mlp::<f32>::new(3, &cfg, &mut rng(12));
    // Unit weights are the unweighted fit, bit for bit.
    let (mut plain, mut unit) = (fresh.clone(), fresh.clone());
    let loss = plain.fit(x.view(), y.view());
    assert_eq!(unit.fit_weighted(x.view(), y.view(), &[1.0; 4]), loss);
    assert_eq!(plain.params(), unit.params());
    // A row of weight 0 teaches nothing: its target does not matter.
    let mut other_y = y.clone();
    other_y[2] = 100.0;
    let (mut a, mut b) = (fresh.clone(), fresh.clone());
    let w = [1.0, 0.5, 0.0, 2.0];
    a.fit_weighted(x.view(), y.view(), &w);
    b.fit_weighted(x.view(), other_y.view(), &w);
    assert_eq!(a.params(), b.params());
    assert_ne!(a.params(), plain.params());
    // The errors are the rows' |output − target| before the step.
    let mut probe = fresh.clone();
    let out = probe.predict(x.view()).to_vec();
    probe.fit(x.view(), y.view());
    for ((e, q), t) in probe.abs_errors().iter().zip(&out).zip(&y) {
        assert!((e - f64::from(q - t).abs()).abs() < 1e-6);
    }
}
