//! Dashboard tests: screen snapshots from synthetic events, and key handling on the pure
//! update function. No threads, no clocks: every number on screen is fixed by the events.

mod guards;
mod keys;
mod readme;
mod snapshots;
