//! A replay buffer of fixed capacity, in flat preallocated arrays, sampled uniformly or in
//! proportion to TD errors ([`super::prioritized`]).
//!
//! Each entry holds what one TD target needs and nothing more: the state, the consumed
//! item's features, the reward, whether the state after it is terminal, the state and
//! candidate rows the target network values, the next candidates' choice features, and the
//! slate served next (for SARSA). Arrays grow while filling; once full, inserts overwrite the
//! oldest entry in place and allocate nothing.

use rand::RngExt;

use super::prioritized::{Priorities, PrioritizedParams};
use crate::sim::rng::SimRng;

/// The widths of one entry's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplayDims {
    /// State features.
    pub state: usize,
    /// Features of one candidate row.
    pub cand: usize,
    /// Candidate rows per next state (N, plus the null row when its value is learned).
    pub rows: usize,
    /// Choice features per next candidate, for N candidates.
    pub choice: usize,
    /// N, candidates the next slate indexes into.
    pub candidates: usize,
    /// K.
    pub slate: usize,
}

/// One transition to store.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// State features.
    pub state: &'a [f32],
    /// The consumed item's row (the null row for a no-click step).
    pub item: &'a [f32],
    /// Reward.
    pub reward: f32,
    /// No value beyond this step.
    pub terminal: bool,
    /// State features the target network is evaluated on.
    pub target_state: &'a [f32],
    /// Candidate rows the target network is evaluated on (rows × cand).
    pub target_rows: &'a [f32],
    /// The next candidates' choice features (candidates × choice).
    pub next_choice: &'a [f32],
}

/// The buffer.
#[derive(Clone, Debug)]
pub struct Replay {
    dims: ReplayDims,
    capacity: usize,
    len: usize,
    write: usize,
    states: Vec<f32>,
    items: Vec<f32>,
    rewards: Vec<f32>,
    terminal: Vec<bool>,
    target_states: Vec<f32>,
    target_rows: Vec<f32>,
    next_choice: Vec<f32>,
    next_slates: Vec<u32>,
    next_slate_known: Vec<bool>,
    awaiting_next_slate: Option<usize>,
    /// Sampling priorities, for prioritised replay.
    priorities: Option<Priorities>,
}

impl Replay {
    /// An empty buffer for `capacity` entries of shape `dims`, sampled uniformly, or by
    /// priority when `prioritized` is given.
    pub fn new(dims: ReplayDims, capacity: usize, prioritized: Option<PrioritizedParams>) -> Self {
        Self {
            dims,
            capacity,
            len: 0,
            write: 0,
            states: Vec::new(),
            items: Vec::new(),
            rewards: Vec::new(),
            terminal: Vec::new(),
            target_states: Vec::new(),
            target_rows: Vec::new(),
            next_choice: Vec::new(),
            next_slates: Vec::new(),
            next_slate_known: Vec::new(),
            awaiting_next_slate: None,
            priorities: prioritized.map(|p| Priorities::new(p, capacity)),
        }
    }

    /// Stored entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No entries yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Maximum entries.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Stores `e` (overwriting the oldest entry when full) and returns its index.
    pub fn push(&mut self, e: Entry<'_>) -> usize {
        let d = self.dims;
        debug_assert_eq!(e.state.len(), d.state);
        debug_assert_eq!(e.item.len(), d.cand);
        debug_assert_eq!(e.target_rows.len(), d.rows * d.cand);
        debug_assert_eq!(e.next_choice.len(), d.candidates * d.choice);
        let i = self.write;
        put(&mut self.states, i, e.state);
        put(&mut self.items, i, e.item);
        put(&mut self.rewards, i, &[e.reward]);
        put(&mut self.terminal, i, &[e.terminal]);
        put(&mut self.target_states, i, e.target_state);
        put(&mut self.target_rows, i, e.target_rows);
        put(&mut self.next_choice, i, e.next_choice);
        let slate_start = i * d.slate;
        if self.next_slates.len() < slate_start + d.slate {
            self.next_slates.resize(slate_start + d.slate, 0);
        }
        put(&mut self.next_slate_known, i, &[false]);
        if self.awaiting_next_slate == Some(i) {
            self.awaiting_next_slate = None;
        }
        if let Some(p) = &mut self.priorities {
            p.set_max(i);
        }
        self.write = (i + 1) % self.capacity;
        self.len = (self.len + 1).min(self.capacity);
        i
    }

    /// Marks entry `i` as waiting for the slate served next; it is not sampled until then.
    pub fn await_next_slate(&mut self, i: usize) {
        self.awaiting_next_slate = Some(i);
        if let Some(p) = &mut self.priorities {
            p.exclude(i);
        }
    }

    /// Gives the waiting entry (if any) the slate served next and makes it sampleable.
    pub fn resolve_next_slate(&mut self, slate: &[usize]) {
        if let Some(i) = self.awaiting_next_slate.take() {
            self.set_next_slate(i, slate);
            self.include(i);
        }
    }

    /// Stops waiting without a slate (a new episode began): the entry becomes sampleable and
    /// keeps an unknown next slate.
    pub fn abandon_wait(&mut self) {
        if let Some(i) = self.awaiting_next_slate.take() {
            self.include(i);
        }
    }

    /// Makes a formerly waiting entry sampleable, at the largest priority so far.
    fn include(&mut self, i: usize) {
        if let Some(p) = &mut self.priorities {
            p.set_max(i);
        }
    }

    /// Sets the slate served after entry `i`.
    pub fn set_next_slate(&mut self, i: usize, slate: &[usize]) {
        let s = &mut self.next_slates[i * self.dims.slate..(i + 1) * self.dims.slate];
        s.iter_mut().zip(slate).for_each(|(o, &x)| *o = x as u32);
        self.next_slate_known[i] = true;
    }

    /// Entries that may be sampled (all but one waiting for its next slate).
    pub fn sampleable(&self) -> usize {
        self.len - usize::from(self.awaiting_next_slate.is_some())
    }

    /// A uniformly random sampleable index; `None` when there is none.
    pub fn sample(&self, rng: &mut SimRng) -> Option<usize> {
        let n = self.sampleable();
        if n == 0 {
            return None;
        }
        let j = rng.random_range(0..n);
        Some(match self.awaiting_next_slate {
            Some(w) if j >= w => j + 1,
            _ => j,
        })
    }

    /// Draws `size` sampleable indices into `batch`, with each draw's probability in
    /// `probabilities`: uniform draws (probability 1/n), or, with priorities, one draw from
    /// each of `size` equal slices of the total priority (stratified, as Schaul et al. do).
    /// Leaves `batch` empty when nothing is sampleable.
    pub fn sample_batch(
        &self,
        size: usize,
        rng: &mut SimRng,
        batch: &mut Vec<usize>,
        probabilities: &mut Vec<f64>,
    ) {
        batch.clear();
        probabilities.clear();
        let n = self.sampleable();
        if n == 0 {
            return;
        }
        match &self.priorities {
            None => {
                for _ in 0..size {
                    batch.extend(self.sample(rng));
                }
                probabilities.resize(batch.len(), 1.0 / n as f64);
            }
            Some(p) => {
                for k in 0..size {
                    let fraction = (k as f64 + rng.random::<f64>()) / size as f64;
                    if let Some(i) = p.find(fraction) {
                        batch.push(i);
                        probabilities.push(p.probability(i));
                    }
                }
            }
        }
    }

    /// Records the absolute TD errors of a trained batch (no effect without priorities).
    pub fn update_priorities(&mut self, batch: &[usize], abs_td_errors: &[f64]) {
        if let Some(p) = &mut self.priorities {
            for (&i, &e) in batch.iter().zip(abs_td_errors) {
                // An entry that began waiting since it was drawn keeps out of sampling.
                if self.awaiting_next_slate != Some(i) {
                    p.update(i, e);
                }
            }
        }
    }

    /// The prioritisation parameters, when sampling by priority.
    pub fn prioritized(&self) -> Option<&PrioritizedParams> {
        self.priorities.as_ref().map(Priorities::params)
    }

    /// State features of entry `i`.
    pub fn state(&self, i: usize) -> &[f32] {
        row(&self.states, i, self.dims.state)
    }

    /// Consumed item's row of entry `i`.
    pub fn item(&self, i: usize) -> &[f32] {
        row(&self.items, i, self.dims.cand)
    }

    /// Reward of entry `i`.
    pub fn reward(&self, i: usize) -> f32 {
        self.rewards[i]
    }

    /// Whether entry `i` ended in a terminal state.
    pub fn terminal(&self, i: usize) -> bool {
        self.terminal[i]
    }

    /// State the target network values for entry `i`.
    pub fn target_state(&self, i: usize) -> &[f32] {
        row(&self.target_states, i, self.dims.state)
    }

    /// Candidate rows the target network values for entry `i`.
    pub fn target_rows(&self, i: usize) -> &[f32] {
        row(&self.target_rows, i, self.dims.rows * self.dims.cand)
    }

    /// Next candidates' choice features of entry `i`.
    pub fn next_choice(&self, i: usize) -> &[f32] {
        row(
            &self.next_choice,
            i,
            self.dims.candidates * self.dims.choice,
        )
    }

    /// The slate served after entry `i`, when known (SARSA).
    pub fn next_slate(&self, i: usize) -> Option<&[u32]> {
        self.next_slate_known[i].then(|| row(&self.next_slates, i, self.dims.slate))
    }
}

fn put<T: Copy>(buf: &mut Vec<T>, i: usize, data: &[T]) {
    let start = i * data.len();
    if buf.len() == start {
        buf.extend_from_slice(data);
    } else {
        buf[start..start + data.len()].copy_from_slice(data);
    }
}

fn row<T>(buf: &[T], i: usize, width: usize) -> &[T] {
    &buf[i * width..(i + 1) * width]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng::{Phase, Purpose, StreamKey};

    const DIMS: ReplayDims = ReplayDims {
        state: 2,
        cand: 1,
        rows: 3,
        choice: 1,
        candidates: 3,
        slate: 2,
    };

    fn push(r: &mut Replay, x: f32) -> usize {
        r.push(Entry {
            state: &[x, x],
            item: &[x],
            reward: x,
            terminal: false,
            target_state: &[x + 1.0, x + 1.0],
            target_rows: &[x; 3],
            next_choice: &[x; 3],
        })
    }

    #[test]
    fn overwrites_oldest_in_place_once_full() {
        let mut r = Replay::new(DIMS, 3, None);
        for x in 0..5 {
            push(&mut r, x as f32);
        }
        assert_eq!(r.len(), 3);
        let rewards: Vec<f32> = (0..3).map(|i| r.reward(i)).collect();
        assert_eq!(rewards, vec![3.0, 4.0, 2.0]);
        assert_eq!(r.state(0), &[3.0, 3.0]);
        assert_eq!(r.target_state(1), &[5.0, 5.0]);
        let cap = r.states.capacity();
        for x in 5..50 {
            push(&mut r, x as f32);
        }
        assert_eq!(r.states.capacity(), cap, "no growth once full");
    }

    #[test]
    fn an_entry_awaiting_its_next_slate_is_never_sampled() {
        let mut r = Replay::new(DIMS, 10, None);
        for x in 0..4 {
            push(&mut r, x as f32);
        }
        r.await_next_slate(2);
        let mut rng = StreamKey {
            seed: 1,
            purpose: Purpose::AgentLearn,
            lane: 0,
            episode: 0,
            phase: Phase::Train,
        }
        .rng();
        let mut seen = [0usize; 4];
        for _ in 0..4000 {
            seen[r.sample(&mut rng).unwrap()] += 1;
        }
        assert_eq!(seen[2], 0);
        assert!(
            seen.iter().enumerate().all(|(i, &c)| i == 2 || c > 1100),
            "{seen:?}"
        );
        assert_eq!(r.next_slate(2), None);
        r.resolve_next_slate(&[1, 0]);
        assert_eq!(r.next_slate(2), Some(&[1u32, 0][..]));
        assert_eq!(r.sampleable(), 4);
    }

    fn rng() -> SimRng {
        StreamKey {
            seed: 2,
            purpose: Purpose::AgentLearn,
            lane: 0,
            episode: 0,
            phase: Phase::Train,
        }
        .rng()
    }

    #[test]
    fn prioritized_draws_follow_td_errors_and_skip_a_waiting_entry() {
        let params = PrioritizedParams {
            alpha: 1.0,
            min_priority: 1e-9,
            ..PrioritizedParams::default()
        };
        let mut r = Replay::new(DIMS, 8, Some(params));
        for x in 0..4 {
            push(&mut r, x as f32);
        }
        // Priorities 1, 2, 0 (waiting), 5 after one trained batch.
        r.update_priorities(&[0, 1, 3], &[1.0, 2.0, 5.0]);
        r.await_next_slate(2);
        let (mut batch, mut probs) = (Vec::new(), Vec::new());
        let mut seen = [0usize; 4];
        let mut rng = rng();
        for _ in 0..2000 {
            r.sample_batch(8, &mut rng, &mut batch, &mut probs);
            assert_eq!(batch.len(), 8);
            for (&i, &p) in batch.iter().zip(&probs) {
                seen[i] += 1;
                assert!((p - [1.0, 2.0, 0.0, 5.0][i] / 8.0).abs() < 1e-8);
            }
        }
        assert_eq!(seen[2], 0, "{seen:?}");
        let share = |i: usize| seen[i] as f64 / 16_000.0;
        assert!((share(0) - 0.125).abs() < 0.01, "{seen:?}");
        assert!((share(1) - 0.25).abs() < 0.01, "{seen:?}");
        assert!((share(3) - 0.625).abs() < 0.01, "{seen:?}");
        // Once its next slate is known it is drawn, at the largest priority so far (5).
        r.resolve_next_slate(&[0, 1]);
        r.sample_batch(1, &mut rng, &mut batch, &mut probs);
        let p2 = 5.0 / 13.0;
        assert!(
            (0..200).any(|_| {
                r.sample_batch(1, &mut rng, &mut batch, &mut probs);
                batch == [2] && (probs[0] - p2).abs() < 1e-8
            }),
            "the resolved entry is drawn at priority 5"
        );
    }

    #[test]
    fn a_uniform_batch_reports_uniform_probabilities() {
        let mut r = Replay::new(DIMS, 8, None);
        for x in 0..5 {
            push(&mut r, x as f32);
        }
        let (mut batch, mut probs) = (Vec::new(), Vec::new());
        r.sample_batch(4, &mut rng(), &mut batch, &mut probs);
        assert_eq!(batch.len(), 4);
        assert_eq!(probs, vec![0.2; 4]);
        r.update_priorities(&batch, &[1.0; 4]);
        assert!(r.prioritized().is_none());
    }
}
