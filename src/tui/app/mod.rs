//! The dashboard's state: everything the screen shows, updated only by [`update`] from
//! messages (key presses, engine events, results of the run loop's work).

pub mod history;
pub mod lane_view;
mod update;
pub mod what_if;

use crate::agent::AgentSpec;
use crate::engine::{LaneId, Speed};
use crate::scenario::EnvironmentConfig;
use crate::scenario::live_shift::PopulationEdit;
use crate::sim::EnvKind;
use crate::sim::schedule::{ShiftInfo, population_index};

pub use history::{LaneHistory, Metric, XAxis};
pub use lane_view::{LaneState, LaneView};
pub use update::{Action, Exported, Msg, update};
pub use what_if::{WhatIf, WhatIfRow};

/// The smallest terminal the layout fits: below it, a message asks for more room and only
/// `q` works (keys pressed blind would act unseen).
pub const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 24;

/// Episodes the table averages over.
pub const DEFAULT_WINDOW: usize = 200;

/// The speed levels `+` and `-` step through, in steps per second per lane.
pub const SPEEDS: [Speed; 6] = [
    Speed::StepsPerSecond(10.0),
    Speed::StepsPerSecond(100.0),
    Speed::StepsPerSecond(1_000.0),
    Speed::StepsPerSecond(10_000.0),
    Speed::StepsPerSecond(100_000.0),
    Speed::Max,
];

/// The scenario being run, as the header shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionInfo {
    /// Scenario name.
    pub scenario: String,
    /// Environment model.
    pub kind: EnvKind,
    /// Candidates per step (N).
    pub num_candidates: usize,
    /// Slate size (K).
    pub slate_size: usize,
    /// The seed (the first one in multi-seed mode).
    pub seed: u64,
    /// The lanes' seeds per agent: `[None]` normally, `--seeds N` gives N seeds.
    pub seeds: Vec<Option<u64>>,
    /// Agents the `a` and `Enter` pickers offer, with the scenario's parameters.
    pub agents: Vec<AgentSpec>,
    /// The scenario's scheduled population shifts (markers on the charts, the header's
    /// population); empty for most scenarios. Live shifts are added as they are applied.
    pub shifts: Vec<ShiftInfo>,
    /// The running environment's configuration, with every shift applied so far (what the
    /// `w` panel edits and the export writes); `None` for sessions not run from a scenario.
    pub environment: Option<Box<EnvironmentConfig>>,
}

/// A baseline drawn as a flat reference line, from a separate bounded run.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceLine {
    /// The baseline's name.
    pub label: String,
    /// Episodes it was measured over.
    pub episodes: u64,
    /// Its value per metric, in [`Metric::ALL`] order.
    pub values: [f64; 4],
}

impl ReferenceLine {
    /// Its value of `metric`.
    pub fn value(&self, metric: Metric) -> f64 {
        self.values[metric.index()]
    }
}

/// A list to pick from, with the highlighted entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Picker<T> {
    /// The entries.
    pub items: Vec<T>,
    /// Index of the highlighted entry.
    pub selected: usize,
}

impl<T> Picker<T> {
    /// A picker highlighting `selected` (clamped).
    pub fn new(items: Vec<T>, selected: usize) -> Self {
        let selected = selected.min(items.len().saturating_sub(1));
        Self { items, selected }
    }

    fn step(&mut self, forward: bool) {
        let n = self.items.len();
        if n > 0 {
            self.selected = if forward {
                (self.selected + 1) % n
            } else {
                (self.selected + n - 1) % n
            };
        }
    }

    /// The highlighted entry.
    pub fn current(&self) -> Option<&T> {
        self.items.get(self.selected)
    }
}

/// What a picked agent is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickPurpose {
    /// A new lane (one per seed).
    Add,
    /// A new agent for this lane.
    Switch(LaneId),
}

/// A scenario the picker offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioChoice {
    /// What `scenario::load` takes: a built-in name or a path.
    pub source: String,
    /// Whether it is compiled in.
    pub builtin: bool,
}

/// A window drawn over the main screen.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Overlay {
    /// None: the main screen has the keys.
    #[default]
    None,
    /// The key reference.
    Help,
    /// Choosing an agent.
    Agents(Picker<AgentSpec>, PickPurpose),
    /// Choosing a scenario.
    Scenarios(Picker<ScenarioChoice>),
    /// Asking before the lane is removed: what it learned would be lost.
    ConfirmRemove {
        /// The lane.
        lane: LaneId,
        /// Its label, for the question.
        label: String,
    },
    /// The what-if panel: editing the population, applied to every lane on Enter.
    WhatIf(Box<WhatIf>),
    /// An error to acknowledge.
    Error {
        /// What failed.
        title: String,
        /// The message (for scenarios: `file:line:col: field: message`).
        message: String,
    },
}

/// A one-line message under the main screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Whether it reports a failure.
    pub error: bool,
}

/// Which chart has the focus, each chart's x-axis, and whether the focused one fills the area.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartView {
    /// Index into [`Metric::ALL`].
    pub focus: usize,
    /// The x-axis of each chart, in [`Metric::ALL`] order.
    pub axes: [XAxis; 4],
    /// Show only the focused chart.
    pub zoom: bool,
}

impl ChartView {
    /// The focused metric.
    pub fn focused(&self) -> Metric {
        Metric::ALL[self.focus % Metric::ALL.len()]
    }

    /// The x-axis of `metric`'s chart.
    pub fn axis(&self, metric: Metric) -> XAxis {
        self.axes[metric.index()]
    }
}

/// The whole dashboard state.
#[derive(Clone, Debug)]
pub struct App {
    /// The scenario being run.
    pub session: SessionInfo,
    /// The lanes, in the order they were added.
    pub lanes: Vec<LaneView>,
    /// Index of the focused lane in `lanes`.
    pub focus: usize,
    /// Paused (as last requested or reported).
    pub paused: bool,
    /// The engine has stopped for good.
    pub stopped: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// Chart focus and axes.
    pub charts: ChartView,
    /// Baselines' reference lines: `None` while they are being measured.
    pub references: Option<Vec<ReferenceLine>>,
    /// A window over the main screen.
    pub overlay: Overlay,
    /// The last status message.
    pub status: Option<Status>,
    /// Episodes the table averages over.
    pub window: usize,
    /// Set when the dashboard should close.
    pub quit: bool,
    /// The terminal's size (width, height), once known.
    pub screen: Option<(u16, u16)>,
    /// Each lane's label and kept episodes when `e` was pressed, for the status line.
    pub exporting: Option<Vec<(String, usize)>>,
    /// The population before each applied live shift, most recent last (what `u` restores).
    pub undo: Vec<PopulationEdit>,
    /// A `u` was sent and its shift has not come back yet.
    pub undo_pending: bool,
    next_color: usize,
}

impl App {
    /// A dashboard for `session`, waiting for the engine's lanes.
    pub fn new(session: SessionInfo) -> Self {
        Self {
            session,
            lanes: Vec::new(),
            focus: 0,
            paused: false,
            stopped: false,
            speed: SPEEDS.len() - 1,
            charts: ChartView::default(),
            references: None,
            overlay: Overlay::None,
            status: None,
            window: DEFAULT_WINDOW,
            quit: false,
            screen: None,
            exporting: None,
            undo: Vec::new(),
            undo_pending: false,
            next_color: 0,
        }
    }

    /// The focused lane.
    pub fn focused_lane(&self) -> Option<&LaneView> {
        self.lanes.get(self.focus)
    }

    /// The current speed.
    pub fn speed(&self) -> Speed {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// The lane `lane` is compared with: a `random` lane with the same seed.
    pub fn baseline_of(&self, lane: &LaneView) -> Option<&LaneView> {
        self.lanes.iter().find(|b| {
            b.id != lane.id && b.spec.agent == AgentSpec::Random && b.spec.seed == lane.spec.seed
        })
    }

    /// The population in force, counted from 1 (the scenario's), as the first lane meets it:
    /// `(index, populations)`; `None` without scheduled shifts.
    pub fn active_population(&self) -> Option<(usize, usize)> {
        let shifts = &self.session.shifts;
        if shifts.is_empty() {
            return None;
        }
        let episodes = self.lanes.first().map_or(0, |l| l.progress.episodes);
        Some((population_index(shifts, episodes) + 1, shifts.len() + 1))
    }

    /// Users met (episodes) and environment steps over all lanes.
    pub fn totals(&self) -> (u64, u64) {
        self.lanes.iter().fold((0, 0), |(u, s), l| {
            (u + l.progress.episodes, s + l.progress.env_steps)
        })
    }

    /// `lane`'s steps per second as it runs now: its own speed while it works, capped by the
    /// speed setting (the engine throttles each lane to it).
    pub fn steps_per_second(&self, lane: &LaneView) -> Option<f64> {
        let own = lane.steps_per_second()?;
        Some(match self.speed() {
            Speed::Max => own,
            Speed::StepsPerSecond(cap) => own.min(cap),
        })
    }

    /// Each lane's label and the episodes it keeps for the export.
    pub fn kept_episodes(&self) -> Vec<(String, usize)> {
        self.lanes
            .iter()
            .map(|l| (l.spec.label.clone(), l.kept.len()))
            .collect()
    }

    /// Whether the terminal is too small for the layout (unknown sizes are not).
    pub fn too_small(&self) -> bool {
        self.screen
            .is_some_and(|(w, h)| w < MIN_WIDTH || h < MIN_HEIGHT)
    }

    /// Whether lanes run several seeds per agent.
    pub fn multi_seed(&self) -> bool {
        self.session.seeds.len() > 1
    }

    /// The reference lines known so far (none while measuring).
    pub fn reference_lines(&self) -> &[ReferenceLine] {
        self.references.as_deref().unwrap_or_default()
    }

    fn take_color(&mut self) -> usize {
        self.next_color += 1;
        self.next_color - 1
    }
}
