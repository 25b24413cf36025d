//! Episode mechanics: observations, responses, determinism, common random numbers, options.

use super::super::{IevConfig, IevDocuments, IevUser};
use super::{Policy, Rig, hidden_budget, hidden_interests};
use crate::sim::common::RewardKind;
use crate::sim::population::SegmentConfig;
use crate::sim::rng::{EnvRngs, Phase};
use crate::sim::{Hidden, Observation, ResponseObs, StepOutcome};

/// Checks that `obs` shows the environment's interests and one-hot candidates.
fn assert_consistent(rig: &Rig) {
    let obs = &rig.obs;
    let interests = hidden_interests(rig.env.as_ref());
    assert_eq!(
        obs.user.as_slice().expect("contiguous")[..interests.len()],
        interests[..]
    );
    for (i, row) in obs.docs.rows().into_iter().enumerate() {
        let c = obs.doc_clusters[i] as usize;
        assert_eq!(row.sum(), 1.0);
        assert_eq!(row[c], 1.0);
    }
}

#[test]
fn reset_shows_interests_candidates_and_placeholders() {
    let mut rig = Rig::stock(10, 2);
    rig.obs.responses.fill(ResponseObs::default());
    rig.obs.step = 9;
    rig.env
        .reset(&mut EnvRngs::for_episode(1, Phase::Train, 0), &mut rig.obs);
    assert_consistent(&rig);
    assert_eq!(rig.obs.step, 0);
    assert!(
        rig.obs
            .responses
            .iter()
            .all(|r| *r == ResponseObs::PLACEHOLDER)
    );
    assert_eq!(hidden_budget(rig.env.as_ref()), 200.0);
    assert_eq!(rig.env.segment(), 0);
}

#[test]
fn responses_reveal_quality_and_cluster_of_every_item() {
    let mut rig = Rig::stock(10, 3);
    let mut rngs = EnvRngs::for_episode(2, Phase::Train, 0);
    rig.env.reset(&mut rngs, &mut rig.obs);
    let mut clicks = 0;
    for t in 1..=40u32 {
        let slate = [0, 4, 9];
        let quality = match rig.env.hidden() {
            Hidden::InterestEvolution { doc_quality, .. } => slate.map(|i| doc_quality[i]),
            _ => unreachable!(),
        };
        let clusters = slate.map(|i| rig.obs.doc_clusters[i]);
        let budget = hidden_budget(rig.env.as_ref());
        let out = rig.step(&slate, &mut rngs);
        assert_eq!(rig.obs.step, t);
        assert_consistent(&rig);
        for (j, r) in rig.obs.responses.iter().enumerate() {
            assert_eq!((r.quality, r.cluster), (quality[j], clusters[j]));
            assert_eq!(r.clicked, out.clicked == Some(j));
            let watched = if r.clicked { budget.min(4.0) } else { 0.0 };
            assert_eq!(r.engagement, watched);
        }
        assert_eq!(out.reward, out.engagement);
        assert_eq!(out.reward, out.clicked.map_or(0.0, |_| budget.min(4.0)));
        clicks += usize::from(out.clicked.is_some());
        if out.done {
            break;
        }
    }
    assert!(clicks > 0);
}

/// Runs one episode of `policy` and records every observation and outcome.
fn trajectory(rig: &mut Rig, policy: &mut Policy, episode: u64) -> Vec<(Observation, StepOutcome)> {
    let mut rngs = EnvRngs::for_episode(3, Phase::Train, episode);
    rig.env.reset(&mut rngs, &mut rig.obs);
    let (mut slate, mut scratch) = (Vec::new(), Vec::new());
    let mut steps = vec![(rig.obs.clone(), StepOutcome::default())];
    loop {
        policy.act(rig, &mut slate, &mut scratch);
        let out = rig.step(&slate, &mut rngs);
        steps.push((rig.obs.clone(), out));
        if out.done || out.truncated {
            return steps;
        }
    }
}

#[test]
fn same_streams_give_identical_trajectories() {
    let (mut a, mut b) = (Rig::stock(10, 2), Rig::stock(10, 2));
    for episode in 0..3 {
        let ta = trajectory(&mut a, &mut Policy::random(7), episode);
        let tb = trajectory(&mut b, &mut Policy::random(7), episode);
        assert_eq!(ta, tb);
    }
}

#[test]
fn documents_do_not_depend_on_the_slates_served() {
    let (mut a, mut b) = (Rig::stock(10, 2), Rig::stock(10, 2));
    let ta = trajectory(&mut a, &mut Policy::random(1), 0);
    let tb = trajectory(&mut b, &mut Policy::Myopic, 0);
    let common = ta.len().min(tb.len());
    assert!(common > 20);
    assert_eq!(
        ta[0].0.user, tb[0].0.user,
        "the same user starts both episodes"
    );
    for t in 0..common {
        assert_eq!(ta[t].0.docs, tb[t].0.docs, "step {t}");
        assert_eq!(ta[t].0.doc_clusters, tb[t].0.doc_clusters, "step {t}");
    }
}

#[test]
fn candidates_are_redrawn_after_every_step_including_the_last() {
    let mut rig = Rig::stock(10, 2);
    let t = trajectory(&mut rig, &mut Policy::random(2), 0);
    assert!(t.last().expect("steps").1.done);
    for pair in t.windows(2) {
        assert_ne!(pair[0].0.doc_clusters, pair[1].0.doc_clusters);
    }
}

#[test]
fn fixed_corpus_is_drawn_once_per_build_seed() {
    let config = IevConfig {
        resample_documents: false,
        ..IevConfig::default()
    };
    let mut rig = Rig::new(config.clone(), 11);
    let first = trajectory(&mut rig, &mut Policy::random(3), 0);
    let again = trajectory(&mut rig, &mut Policy::random(4), 1);
    for (obs, _) in first.iter().chain(&again) {
        assert_eq!(obs.doc_clusters, first[0].0.doc_clusters);
    }
    let mut same_seed = Rig::new(config.clone(), 11);
    assert_eq!(trajectory(&mut same_seed, &mut Policy::random(3), 0), first);
    let mut other_seed = Rig::new(config, 12);
    let other = trajectory(&mut other_seed, &mut Policy::random(3), 0);
    assert_ne!(other[0].0.doc_clusters, first[0].0.doc_clusters);
}

#[test]
fn step_cap_truncates_and_time_feature_counts_steps() {
    let config = IevConfig {
        max_steps: Some(5),
        observe_time: true,
        ..IevConfig::default()
    };
    let mut rig = Rig::new(config, 0);
    let t = trajectory(&mut rig, &mut Policy::random(5), 0);
    assert_eq!(t.len(), 6);
    for (step, (obs, out)) in t.iter().enumerate() {
        assert_eq!(obs.user.len(), 21);
        assert!((obs.user[20] - (step as f64 / 5.0 - 0.5)).abs() < 1e-15);
        assert!(!out.done);
        assert_eq!(out.truncated, step == 5);
    }
}

#[test]
fn click_reward_counts_clicks() {
    let config = IevConfig {
        reward: RewardKind::Clicks,
        ..IevConfig::default()
    };
    let mut rig = Rig::new(config, 0);
    let mut rngs = EnvRngs::for_episode(4, Phase::Train, 0);
    rig.env.reset(&mut rngs, &mut rig.obs);
    let p_click = rig.env.expected_reward(&[0, 1]);
    assert!(p_click > 0.0 && p_click < 1.0);
    for _ in 0..30 {
        let watch = hidden_budget(rig.env.as_ref()).min(4.0);
        let out = rig.step(&[0, 1], &mut rngs);
        assert_eq!(out.reward, if out.clicked.is_some() { 1.0 } else { 0.0 });
        assert_eq!(
            out.engagement,
            if out.clicked.is_some() { watch } else { 0.0 }
        );
        if out.done {
            break;
        }
    }
}

#[test]
fn segments_follow_shares_and_their_own_parameters() {
    let short = IevUser {
        time_budget: 20.0,
        interest_bias: Some(vec![2.0; 20]),
        ..IevUser::default()
    };
    let population = vec![
        SegmentConfig {
            name: "long".into(),
            share: 0.25,
            user: IevUser::default(),
        },
        SegmentConfig {
            name: "short".into(),
            share: 0.75,
            user: short,
        },
    ];
    let documents = IevDocuments::default();
    let mut rig = Rig::new(
        IevConfig {
            documents,
            population,
            ..IevConfig::default()
        },
        0,
    );
    let users = 4000;
    let mut short_users = 0;
    for e in 0..users {
        rig.env
            .reset(&mut EnvRngs::for_episode(8, Phase::Train, e), &mut rig.obs);
        let budget = hidden_budget(rig.env.as_ref());
        if rig.env.segment() == 0 {
            assert_eq!(budget, 200.0);
        } else {
            short_users += 1;
            assert_eq!(budget, 20.0);
            // A bias of +2 clips every initial interest to 1.
            assert!(rig.obs.user.iter().all(|&u| u == 1.0));
        }
    }
    let freq = f64::from(short_users) / users as f64;
    assert!(
        (freq - 0.75).abs() < 5.0 * (0.1875 / users as f64).sqrt(),
        "{freq}"
    );
}

#[test]
fn uniform_initial_interests_span_their_range() {
    let narrow = IevUser {
        interest_low: 0.2,
        interest_high: 0.4,
        ..IevUser::default()
    };
    let population = vec![SegmentConfig {
        name: "n".into(),
        share: 1.0,
        user: narrow,
    }];
    let mut rig = Rig::new(
        IevConfig {
            population,
            ..IevConfig::default()
        },
        0,
    );
    let (mut lo, mut hi, mut sum, mut n) = (f64::MAX, f64::MIN, 0.0, 0.0);
    for e in 0..200 {
        rig.env
            .reset(&mut EnvRngs::for_episode(9, Phase::Train, e), &mut rig.obs);
        for &u in &rig.obs.user {
            (lo, hi, sum, n) = (lo.min(u), hi.max(u), sum + u, n + 1.0);
        }
    }
    assert!(
        lo >= 0.2 && hi < 0.4 && lo < 0.205 && hi > 0.395,
        "{lo}..{hi}"
    );
    assert!((sum / n - 0.3).abs() < 0.005);
}
