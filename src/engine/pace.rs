//! Pacing: keeping lanes side by side, so that their recent episodes meet the same users.
//!
//! Lanes run at very different speeds (a random lane is ten times faster than SlateQ).
//! Free-running, their recent episodes would be far apart and a paired comparison over
//! "the last W episodes" would have nothing in common. With a pace, the coordinator holds
//! a lane that is `lead` episodes ahead of the slowest one, and caps each slice so that it
//! does not overshoot by much; the slow lanes meanwhile get the whole machine.

/// Episode length assumed before a lane has finished any episode.
const DEFAULT_EPISODE_LENGTH: f64 = 10.0;

/// A slice covers at most `lead / TURNS` episodes, so that lanes taking turns on the
/// workers stay well inside the lead instead of all reaching it and idling together.
const TURNS: u64 = 4;

/// How many more training episodes a lane at `position` may start now, when the slowest
/// active lane is at `slowest` and lanes may lead by `lead` episodes (0: it must wait).
pub(super) fn episode_allowance(lead: u64, position: u64, slowest: u64) -> u64 {
    slowest.saturating_add(lead.max(1)).saturating_sub(position)
}

/// The episodes one slice may cover: the allowance, at most a turn's worth.
pub(super) fn slice_episodes(lead: u64, position: u64, slowest: u64) -> u64 {
    episode_allowance(lead, position, slowest).min((lead / TURNS).max(1))
}

/// The step budget of a slice covering about `episodes` episodes of `mean_length` steps.
pub(super) fn steps_for(episodes: u64, mean_length: Option<f64>) -> u64 {
    let length = mean_length
        .filter(|l| l.is_finite() && *l >= 1.0)
        .unwrap_or(DEFAULT_EPISODE_LENGTH);
    let steps = (episodes as f64 * length).ceil();
    if steps >= u64::MAX as f64 {
        u64::MAX
    } else {
        (steps as u64).max(1)
    }
}

/// The slowest position among active lanes, `None` when there is none.
pub(super) fn slowest(positions: impl Iterator<Item = u64>) -> Option<u64> {
    positions.min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_ahead_by_the_lead_wait() {
        assert_eq!(episode_allowance(50, 100, 100), 50);
        assert_eq!(episode_allowance(50, 130, 100), 20);
        assert_eq!(episode_allowance(50, 150, 100), 0);
        assert_eq!(episode_allowance(50, 400, 100), 0);
        // A lead of 0 still lets the slowest lane move.
        assert_eq!(episode_allowance(0, 7, 7), 1);
    }

    #[test]
    fn slices_take_a_turn_at_most() {
        assert_eq!(slice_episodes(2000, 100, 100), 500);
        assert_eq!(slice_episodes(2000, 1900, 100), 200);
        assert_eq!(slice_episodes(2000, 2100, 100), 0);
        assert_eq!(slice_episodes(2, 0, 0), 1);
    }

    #[test]
    fn step_budgets_follow_the_episode_length() {
        assert_eq!(steps_for(50, Some(10.0)), 500);
        assert_eq!(steps_for(3, Some(33.4)), 101);
        assert_eq!(steps_for(5, None), 50);
        assert_eq!(steps_for(5, Some(f64::NAN)), 50);
        assert_eq!(steps_for(0, Some(10.0)), 1);
        assert_eq!(steps_for(u64::MAX, Some(200.0)), u64::MAX);
    }

    #[test]
    fn slowest_of_nothing_is_none() {
        assert_eq!(slowest([].into_iter()), None);
        assert_eq!(slowest([9, 4, 7].into_iter()), Some(4));
    }
}
