//! `e`: the current results as the same JSON `slatelab run` writes, to a timestamped file,
//! and its charts as the SVG `slatelab plot --metric all` draws of that JSON, beside it.
//!
//! The dashboard runs without end and keeps bounded histories, so each lane exports its
//! last [`EXPORT_EPISODES`](super::app::lane_view::EXPORT_EPISODES) episodes (the status line
//! says so); the report is marked `partial`, as a run that was not finished.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;

use super::app::{App, Exported, LaneState, Metric, ReferenceLine};
use crate::figure::input::ReferenceLevel;
use crate::figure::{self, ImageFormat, Kind, MetricChoice, PlotOptions, ReportCurves, XAxis};
use crate::report::{Format, Report, Requested, RunTally, output, output_file};
use crate::scenario::Scenario;
use crate::sim::rng::Phase;

/// The report `slatelab run` would write for the lanes' kept episodes, `wall_seconds` into
/// the run. Population changes applied live are in its scenario as scheduled shifts, so
/// `slatelab rerun` of the export meets the same populations at the same episodes.
pub fn report(app: &App, scenario: &Scenario, wall_seconds: f64) -> Report {
    let live = with_live_shifts(app, scenario);
    let scenario = live.as_ref().unwrap_or(scenario);
    let requested = Requested {
        episodes: None,
        steps: None,
        eval_episodes: 0,
        curve_block: None,
    };
    let mut tally = RunTally::new(requested.curve_blocks()).with_shifts(scenario.env.shifts());
    // Every lane is known before any episode arrives, so each return waits for its pairs.
    for lane in &app.lanes {
        tally.add_lane(lane.id, lane.spec.clone());
    }
    // As `slatelab run`: each lane against the first one shown.
    if let Some(first) = app.lanes.first() {
        tally.set_baseline(first.id);
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

/// `scenario` with the environment the dashboard runs now, when live shifts changed it.
fn with_live_shifts(app: &App, scenario: &Scenario) -> Option<Scenario> {
    let environment = app.session.environment.as_ref()?;
    if **environment == scenario.file.environment {
        return None;
    }
    // The engine validated this configuration before it applied it.
    let env = crate::scenario::build_env(environment).ok()?;
    let mut shifted = scenario.clone();
    shifted.file.environment = (**environment).clone();
    shifted.env = env;
    Some(shifted)
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

/// Writes the report as `slatelab-<scenario>-<UTC time>.json` (`-2`, `-3`, … appended when
/// taken; never replacing a file, even one created meanwhile), then its figure under the
/// same name with `.svg`. Fails only when the report cannot be written.
pub fn write(app: &App, scenario: &Scenario, at: ExportAt<'_>) -> anyhow::Result<Exported> {
    let bytes = output::render(&report(app, scenario, at.wall_seconds), Format::Json)?;
    let stem = format!("slatelab-{}-{}", safe(&scenario.name), timestamp(at.now));
    let first = at.dir.join(format!("{stem}.json"));
    let others = (2..).map(|n| at.dir.join(format!("{stem}-{n}.json")));
    let json = output_file::write_new(at.dir, std::iter::once(first).chain(others), &bytes)?;
    let figure = figure_svg(&bytes, app.reference_lines()).and_then(|svg| {
        let beside = json.with_extension("svg");
        let named = json
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let others = (2..).map(|n| at.dir.join(format!("{named}-figure-{n}.svg")));
        output_file::write_new(at.dir, std::iter::once(beside).chain(others), &svg)
            .map_err(|e| format!("{e:#}"))
    });
    Ok(Exported { json, figure })
}

/// The dashboard's four charts of an exported report, with the reference lines on screen.
fn figure_svg(report_json: &[u8], references: &[ReferenceLine]) -> Result<Vec<u8>, String> {
    let mut curves = ReportCurves::parse(report_json)?;
    curves.references = references
        .iter()
        .map(|line| ReferenceLevel {
            label: line.label.clone(),
            mean_return: line.value(Metric::Return),
            mean_satisfaction: line.value(Metric::Satisfaction),
            mean_engagement: line.value(Metric::Engagement),
            ctr: line.value(Metric::Ctr),
        })
        .collect();
    let options = PlotOptions {
        kind: Kind::Curves,
        metric: MetricChoice::All,
        x: XAxis::Episodes,
        agents: Vec::new(),
        title: None,
        size: (1280, 800),
    };
    figure::render(&curves, &options, ImageFormat::Svg).map_err(|e| e.0)
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

/// `YYYYMMDD-HHMMSS` in UTC (the epoch for times before it or past year 9999).
pub fn timestamp(now: SystemTime) -> String {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let t = i64::try_from(secs)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
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
        let new_years_eve = UNIX_EPOCH + Duration::from_secs(365 * 86_400 - 1);
        assert_eq!(timestamp(new_years_eve), "19701231-235959");
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
        assert!(
            first
                .json
                .ends_with("slatelab-choc-kale-19700102-000000.json")
        );
        assert!(
            second
                .json
                .ends_with("slatelab-choc-kale-19700102-000000-2.json")
        );
        // Each with its charts beside it, as `slatelab plot --metric all` draws the JSON.
        let svg = std::fs::read_to_string(first.figure.as_ref().unwrap()).unwrap();
        assert!(
            first
                .figure
                .unwrap()
                .ends_with("slatelab-choc-kale-19700102-000000.svg")
                && second
                    .figure
                    .unwrap()
                    .ends_with("slatelab-choc-kale-19700102-000000-2.svg")
        );
        for title in [
            "Return per episode",
            "CTR (clicks per step)",
            "random",
            "slateq",
        ] {
            assert!(svg.contains(title), "{title}");
        }
        let first = first.json;
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
        // Each lane against the first, as `slatelab run` does, on the same 300 episodes.
        let paired = json["paired"].as_array().unwrap();
        let pairs: Vec<_> = paired
            .iter()
            .map(|p| (p["a"].as_str().unwrap(), p["b"].as_str().unwrap()))
            .collect();
        assert_eq!(pairs, [("random", "linucb"), ("random", "slateq")]);
        assert_eq!(json["paired"][0]["episodes"], 300);
    }

    #[test]
    fn an_export_after_a_live_shift_carries_it_in_its_scenario() {
        use crate::scenario::live_shift::{self, PopulationEdit};
        let scenario = crate::scenario::load("mixed-population").unwrap();
        let mut app = synthetic::app(&synthetic::three_profiles(), 1, 300);
        app.session.environment = Some(Box::new(scenario.file.environment.clone()));
        let PopulationEdit::LongTermSatisfaction(mut segments) =
            live_shift::current_population(&scenario.file.environment)
        else {
            panic!("long-term satisfaction")
        };
        (segments[0].share, segments[1].share) = (0.7, 0.3);
        let (environment, setup) = live_shift::shifted(
            &scenario.file.environment,
            120,
            PopulationEdit::LongTermSatisfaction(segments),
        )
        .unwrap();
        let event = crate::engine::Event::ShiftApplied {
            shift: setup.shifts()[0].clone(),
            environment: Box::new(environment),
        };
        crate::tui::app::update(&mut app, crate::tui::app::Msg::Engine(event));

        let json = serde_json::to_value(report(&app, &scenario, 1.0)).unwrap();
        assert_eq!(json["shifts"][0]["episode"], 120, "{}", json["shifts"]);
        let ron = json["scenario_ron"].as_str().unwrap();
        assert!(ron.contains("at_episode: 120"), "{ron}");
        // What `slatelab rerun` runs: the scenario with the shift scheduled where it was applied.
        let rerun = crate::scenario::from_str(ron, "export").unwrap();
        assert_eq!(rerun.env.shifts(), setup.shifts());
        // Without live shifts, the export's scenario is the one loaded.
        let plain = synthetic::app(&synthetic::three_profiles(), 1, 300);
        let json = serde_json::to_value(report(&plain, &scenario, 1.0)).unwrap();
        assert!(
            !json["scenario_ron"]
                .as_str()
                .unwrap()
                .contains("at_episode")
        );
    }

    /// A file that takes the chosen name is kept and the next name is used. A dangling
    /// symlink is an entry `Path::exists` does not see, as a check cannot see a file created
    /// after it: only a rename that refuses to replace keeps it.
    #[cfg(unix)]
    #[test]
    fn export_never_replaces_an_entry_at_its_name() {
        let app = synthetic::app(&synthetic::three_profiles(), 1, 10);
        let scenario = crate::scenario::load("choc-kale").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("slatelab-choc-kale-19700101-000000.json");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &taken).unwrap();
        let at = ExportAt {
            dir: dir.path(),
            now: UNIX_EPOCH,
            wall_seconds: 1.0,
        };
        let written = write(&app, &scenario, at).unwrap();
        assert!(
            written
                .json
                .ends_with("slatelab-choc-kale-19700101-000000-2.json")
        );
        let link = std::fs::symlink_metadata(&taken).unwrap();
        assert!(
            link.file_type().is_symlink(),
            "the entry at the first name is kept"
        );
    }
}
