//! A uniform replay buffer of fixed capacity, in flat preallocated arrays.
//!
//! Each entry holds what one TD target needs and nothing more: the state, the consumed
//! item's features, the reward, whether the state after it is terminal, the state and
//! candidate rows the target network values, the next candidates' choice features, and the
//! slate served next (for SARSA). Arrays grow while filling; once full, inserts overwrite the
//! oldest entry in place and allocate nothing.

use rand::RngExt;

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
}

impl Replay {
    /// An empty buffer for `capacity` entries of shape `dims`.
    pub fn new(dims: ReplayDims, capacity: usize) -> Self {
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
        self.write = (i + 1) % self.capacity;
        self.len = (self.len + 1).min(self.capacity);
        i
    }

    /// Marks entry `i` as waiting for the slate served next; it is not sampled until then.
    pub fn await_next_slate(&mut self, i: usize) {
        self.awaiting_next_slate = Some(i);
    }

    /// Gives the waiting entry (if any) the slate served next and makes it sampleable.
    pub fn resolve_next_slate(&mut self, slate: &[usize]) {
        if let Some(i) = self.awaiting_next_slate.take() {
            self.set_next_slate(i, slate);
        }
    }

    /// Stops waiting without a slate (a new episode began): the entry becomes sampleable and
    /// keeps an unknown next slate.
    pub fn abandon_wait(&mut self) {
        self.awaiting_next_slate = None;
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
        let mut r = Replay::new(DIMS, 3);
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
        let mut r = Replay::new(DIMS, 10);
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
}
