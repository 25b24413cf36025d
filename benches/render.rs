//! One full dashboard frame at 160×48 with 4 lanes whose chart histories are full
//! (every downsampled series at capacity): the budget is 5 ms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use slatelab::agent::AgentSpec;
use slatelab::tui::render::render;
use slatelab::tui::synthetic::{self, Profile};

/// Enough episodes that every series has merged down to its bucket budget.
const EPISODES: u64 = 200_000;

fn four_profiles() -> Vec<Profile> {
    let mut profiles = synthetic::three_profiles();
    profiles.push(Profile::flat(
        AgentSpec::OracleMyopic,
        57.0,
        0.14,
        0.97,
        250_000.0,
    ));
    profiles
}

fn frames(c: &mut Criterion) {
    let single = synthetic::app(&four_profiles(), 1, EPISODES);
    let seeds = synthetic::app(&four_profiles()[..2], 2, EPISODES);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    c.bench_function("render 160x48, 4 lanes, full histories", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| render(black_box(&single), frame))
                .expect("draw");
        });
    });
    c.bench_function("render 160x48, 2 agents x 2 seeds with bands", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| render(black_box(&seeds), frame))
                .expect("draw");
        });
    });
}

criterion_group!(benches, frames);
criterion_main!(benches);
