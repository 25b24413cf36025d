//! `e`: the current results as the same JSON `slatelab run` writes, to a timestamped file.
//!
//! The dashboard runs without end and keeps bounded histories, so each lane exports its
//! last [`EXPORT_EPISODES`](super::app::lane::EXPORT_EPISODES) episodes (the status line
//! says so); the report is marked `partial`, as a run that was not finished.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::app::{App, LaneState};
use crate::report::{Format, Report, Requested, RunTally, output};
use crate::scenario::Scenario;
use crate::sim::rng::Phase;

/// The report `slatelab run` would write for the lanes' kept episodes, `wall_seconds` into
/// the run.
pub fn report(app: &App, scenario: &Scenario, wall_seconds: f64) -> Report {
    let requested = Requested {
        episodes: None,
        steps: None,
        eval_episodes: 0,
        curve_block: None,
    };
    let mut tally = RunTally::new(requested.curve_blocks());
    // Every lane is known before any episode arrives, so each return waits for its pairs.
    for lane in &app.lanes {
        tally.add_lane(lane.id, lane.spec.clone());
    }
    for lane in &app.lanes {
        let folded = &mut tally.lanes[lane.id as usize];
        folded.progress = lane.progress.clone();
        folded.error = match &lane.state {
            LaneState::Failed(message) => Some(message.clone()),
            _ => None,
        };
        folded.finished = lane.state == LaneState::Finished;
        let kept: Vec<_> = lane.kept.iter().copied().collect();
        tally.add_episodes(lane.id, Phase::Train, &kept);
    }
    for lane in &app.lanes {
        tally.lane_done(lane.id);
    }
    // The dashboard runs without end: an export is always of a run not finished.
    tally.stopped = true;
    Report::new(scenario, app.session.seed, requested, &tally, wall_seconds)
}

/// Where and when an export is written.
#[derive(Clone, Copy, Debug)]
pub struct ExportAt<'a> {
    /// The folder.
    pub dir: &'a Path,
    /// The time, for the file name.
    pub now: SystemTime,
    /// Seconds since the scenario started, for the run-level steps per second.
    pub wall_seconds: f64,
}

/// Writes the report as `slatelab-<scenario>-<UTC time>.json` (never replacing a file)
/// and returns its path.
pub fn write(app: &App, scenario: &Scenario, at: ExportAt<'_>) -> anyhow::Result<PathBuf> {
    let (dir, now) = (at.dir, at.now);
    let bytes = output::render(&report(app, scenario, at.wall_seconds), Format::Json)?;
    let stem = format!("slatelab-{}-{}", safe(&scenario.name), timestamp(now));
    let mut path = dir.join(format!("{stem}.json"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.json"));
        n += 1;
    }
    output::write_atomic(&path, &bytes)?;
    Ok(path)
}

fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `YYYYMMDD-HHMMSS` in UTC.
pub fn timestamp(now: SystemTime) -> String {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::tui::synthetic;

    #[test]
    fn timestamps_are_utc_calendar_times() {
        assert_eq!(timestamp(UNIX_EPOCH), "19700101-000000");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_210_096);
        assert_eq!(timestamp(t), "20240229-123456");
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn export_is_the_run_report_of_the_kept_episodes() {
        let app = synthetic::app(&synthetic::three_profiles(), 1, 300);
        let scenario = crate::scenario::load("choc-kale").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let at = ExportAt {
            dir: dir.path(),
            now: UNIX_EPOCH + Duration::from_secs(86_400),
            wall_seconds: 2.0,
        };
        let first = write(&app, &scenario, at).unwrap();
        let second = write(&app, &scenario, at).unwrap();
        assert!(first.ends_with("slatelab-choc-kale-19700102-000000.json"));
        assert!(second.ends_with("slatelab-choc-kale-19700102-000000-2.json"));
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
        assert_eq!(json["scenario"], "choc-kale");
        assert_eq!(json["partial"], true);
        // 3 lanes × 300 episodes × 10 steps in 2 seconds.
        assert_eq!(json["steps_per_second"], 4500.0);
        let agents = json["agents"].as_array().unwrap();
        let names: Vec<_> = agents.iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["random", "linucb", "slateq"]);
        assert_eq!(agents[0]["episodes"], 300);
        // Every pair of lanes, paired on the same 300 episodes.
        assert_eq!(json["paired"].as_array().unwrap().len(), 3);
        assert_eq!(json["paired"][0]["episodes"], 300);
    }
}
