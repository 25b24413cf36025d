//! The only place the dashboard's state changes: `update(app, msg)` applies one message and
//! returns the work the run loop must do (engine commands, file I/O). No I/O happens here,
//! so key handling is tested without threads or a terminal.

use std::path::PathBuf;

use ratatui::crossterm::event::KeyEvent;

use super::{
    App, LaneState, LaneView, Overlay, PickPurpose, Picker, ReferenceLine, SPEEDS, ScenarioChoice,
    SessionInfo, Status, WhatIf,
};
use crate::agent::AgentSpec;
use crate::engine::{Command, Event, LaneSpec, LiveShift, lane_label};
use crate::scenario::live_shift::{PopulationEdit, current_population};
use crate::sim::rng::Phase;
use crate::tui::keys::{self, Intent};
use crate::tui::render::format::thousands;

/// Something that happened, for the dashboard to take in.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// The terminal has this size (at the start, and after each resize).
    Resize {
        /// Columns.
        width: u16,
        /// Rows.
        height: u16,
    },
    /// An event from the running engine.
    Engine(Event),
    /// The baselines' reference lines were measured.
    References(Vec<ReferenceLine>),
    /// The scenario files found, for the picker.
    ScenarioChoices(Vec<ScenarioChoice>),
    /// A new scenario is running.
    SessionStarted(SessionInfo),
    /// A scenario could not be loaded; the previous one keeps running.
    ScenarioFailed(String),
    /// The export was written (what), or failed (why).
    Exported(Result<Exported, String>),
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    /// The report.
    pub json: PathBuf,
    /// The charts' figure, or why there is none (e.g. no episode yet to draw).
    pub figure: Result<PathBuf, String>,
}

/// Work for the run loop.
#[derive(Clone, Debug)]
pub enum Action {
    /// Send a command to the engine (boxed: agent specs are large).
    Send(Box<Command>),
    /// List scenario files and answer with [`Msg::ScenarioChoices`].
    ListScenarios,
    /// Load this scenario and start it, or answer with [`Msg::ScenarioFailed`].
    LoadScenario(String),
    /// Write the export and answer with [`Msg::Exported`].
    Export,
    /// Close the dashboard.
    Quit,
}

/// Applies `msg` to `app`; returns what the run loop must do about it.
pub fn update(app: &mut App, msg: Msg) -> Vec<Action> {
    match msg {
        // Keys pressed on the "make the window larger" screen would act unseen: only q works.
        Msg::Key(key) if app.too_small() => match keys::too_small_intent(key) {
            Some(Intent::Quit) => quit(app),
            _ => Vec::new(),
        },
        Msg::Key(key) => match keys::intent(&app.overlay, key) {
            Some(intent) => on_intent(app, intent),
            None => Vec::new(),
        },
        Msg::Resize { width, height } => {
            app.screen = Some((width, height));
            Vec::new()
        }
        Msg::Engine(event) => {
            on_event(app, event);
            Vec::new()
        }
        Msg::References(lines) => {
            app.references = Some(lines);
            Vec::new()
        }
        Msg::ScenarioChoices(choices) => {
            let current = choices
                .iter()
                .position(|c| c.source == app.session.scenario)
                .unwrap_or(0);
            app.overlay = Overlay::Scenarios(Picker::new(choices, current));
            Vec::new()
        }
        Msg::SessionStarted(session) => {
            let name = session.scenario.clone();
            // The new engine starts at the old one's speed and pause (see the run loop).
            let (window, speed, paused) = (app.window, app.speed, app.paused);
            let screen = app.screen;
            *app = App::new(session);
            app.screen = screen;
            app.window = window;
            app.speed = speed;
            app.paused = paused;
            app.status = Some(info(format!("loaded scenario {name}")));
            Vec::new()
        }
        Msg::ScenarioFailed(message) => {
            app.overlay = Overlay::Error {
                title: "Cannot load the scenario (the previous one keeps running)".into(),
                message,
            };
            Vec::new()
        }
        Msg::Exported(Ok(written)) => {
            let counts = app.exporting.take().unwrap_or_else(|| app.kept_episodes());
            let figure = match &written.figure {
                Ok(svg) => format!(", charts to {}", svg.display()),
                Err(why) => format!(" (no charts: {why})"),
            };
            app.status = Some(info(format!(
                "exported {} to {}{figure}",
                exported_episodes(&counts),
                written.json.display()
            )));
            Vec::new()
        }
        Msg::Exported(Err(why)) => {
            app.exporting = None;
            app.status = Some(error(format!("export failed: {why}")));
            Vec::new()
        }
    }
}

/// What an export held: `2,500 episodes of each lane`, or each lane's count when they differ.
fn exported_episodes(counts: &[(String, usize)]) -> String {
    let n = |count: usize| thousands(count as u64);
    match counts {
        [] => "no episodes (no lanes)".into(),
        [(_, first), rest @ ..] if rest.iter().all(|(_, c)| c == first) => {
            format!("{} episodes of each lane", n(*first))
        }
        [(label, first), rest @ ..] => {
            let rest: Vec<String> = rest
                .iter()
                .map(|(label, count)| format!(", {} of {label}", n(*count)))
                .collect();
            format!("{} episodes of {label}{}", n(*first), rest.concat())
        }
    }
}

fn info(text: String) -> Status {
    Status { text, error: false }
}

fn error(text: String) -> Status {
    Status { text, error: true }
}

fn quit(app: &mut App) -> Vec<Action> {
    app.quit = true;
    vec![Action::Quit]
}

fn on_intent(app: &mut App, intent: Intent) -> Vec<Action> {
    match (&mut app.overlay, intent) {
        (_, Intent::Quit) => quit(app),
        (Overlay::None, _) => main_screen(app, intent),
        (_, Intent::Cancel) => {
            app.overlay = Overlay::None;
            Vec::new()
        }
        (Overlay::Agents(picker, _), Intent::Up) => step(picker, false),
        (Overlay::Agents(picker, _), Intent::Down) => step(picker, true),
        (Overlay::Scenarios(picker), Intent::Up) => step(picker, false),
        (Overlay::Scenarios(picker), Intent::Down) => step(picker, true),
        (Overlay::WhatIf(panel), _) => {
            let actions = what_if(panel, intent);
            if !actions.is_empty() {
                app.overlay = Overlay::None;
                app.status = Some(info(
                    "applying the new population from the next episode no lane has begun".into(),
                ));
            }
            actions
        }
        (
            Overlay::Agents(..) | Overlay::Scenarios(..) | Overlay::ConfirmRemove { .. },
            Intent::Confirm,
        ) => confirm(app),
        _ => Vec::new(),
    }
}

/// Keys of the what-if panel: Enter applies (unless the population is refused), the others
/// edit in place.
fn what_if(panel: &mut WhatIf, intent: Intent) -> Vec<Action> {
    match intent {
        Intent::Up | Intent::Down => panel.select(intent == Intent::Down),
        Intent::Increase | Intent::Decrease => panel.nudge(intent == Intent::Increase),
        Intent::Type(c) => panel.type_char(c),
        Intent::Erase => panel.erase(),
        Intent::Confirm => {
            panel.take_typing();
            panel.error = panel.check().err();
            if panel.error.is_none() {
                let shift = LiveShift {
                    environment: panel.environment.clone(),
                    population: panel.population(),
                };
                return vec![Action::Send(Box::new(Command::ApplyShift(Box::new(shift))))];
            }
        }
        _ => {}
    }
    Vec::new()
}

fn step<T>(picker: &mut Picker<T>, forward: bool) -> Vec<Action> {
    picker.step(forward);
    Vec::new()
}

fn confirm(app: &mut App) -> Vec<Action> {
    match std::mem::take(&mut app.overlay) {
        Overlay::Agents(picker, purpose) => match picker.current() {
            Some(agent) => pick_agent(app, agent.clone(), purpose),
            None => Vec::new(),
        },
        Overlay::Scenarios(picker) => match picker.current() {
            Some(choice) => vec![Action::LoadScenario(choice.source.clone())],
            None => Vec::new(),
        },
        Overlay::ConfirmRemove { lane, .. } => {
            vec![Action::Send(Box::new(Command::RemoveLane(lane)))]
        }
        other => {
            app.overlay = other;
            Vec::new()
        }
    }
}

fn pick_agent(app: &mut App, agent: AgentSpec, purpose: PickPurpose) -> Vec<Action> {
    match purpose {
        PickPurpose::Add => {
            let multi = app.multi_seed();
            app.session
                .seeds
                .iter()
                .map(|&seed| {
                    Action::Send(Box::new(Command::AddLane(LaneSpec {
                        label: lane_label(&agent, seed, multi),
                        agent: agent.clone(),
                        initial_state: None,
                        seed,
                    })))
                })
                .collect()
        }
        PickPurpose::Switch(lane) => {
            vec![Action::Send(Box::new(Command::SwitchAgent(lane, agent)))]
        }
    }
}

fn main_screen(app: &mut App, intent: Intent) -> Vec<Action> {
    let send = |c: Command| vec![Action::Send(Box::new(c))];
    match intent {
        Intent::Cancel => app.status = None,
        Intent::TogglePause if !app.stopped => {
            app.paused = !app.paused;
            return send(if app.paused {
                Command::Pause
            } else {
                Command::Resume
            });
        }
        Intent::Step if app.paused => return send(Command::Step),
        Intent::Step => app.status = Some(info("n steps while paused: press space first".into())),
        Intent::Faster | Intent::Slower => {
            let faster = intent == Intent::Faster;
            let next = if faster {
                (app.speed + 1).min(SPEEDS.len() - 1)
            } else {
                app.speed.saturating_sub(1)
            };
            if next != app.speed {
                app.speed = next;
                return send(Command::SetSpeed(app.speed()));
            }
        }
        Intent::NextLane | Intent::PrevLane if !app.lanes.is_empty() => {
            let n = app.lanes.len();
            let by = if intent == Intent::NextLane { 1 } else { n - 1 };
            app.focus = (app.focus + by) % n;
        }
        Intent::AddLane => open_agents(app, PickPurpose::Add, None),
        Intent::SwitchAgent => {
            if let Some(lane) = app.focused_lane() {
                let (id, current) = (lane.id, lane.spec.agent.clone());
                open_agents(app, PickPurpose::Switch(id), Some(current));
            }
        }
        Intent::RemoveLane => {
            if let Some(lane) = app.focused_lane() {
                app.overlay = Overlay::ConfirmRemove {
                    lane: lane.id,
                    label: lane.spec.label.clone(),
                };
            }
        }
        Intent::PickScenario => return vec![Action::ListScenarios],
        Intent::ResetAll => return send(Command::ResetAll),
        Intent::Export => {
            // Counted now: the run loop writes the export before it takes in more episodes.
            app.exporting = Some(app.kept_episodes());
            return vec![Action::Export];
        }
        Intent::NextChart => app.charts.focus = (app.charts.focus + 1) % 4,
        Intent::ToggleAxis => {
            let i = app.charts.focus % 4;
            app.charts.axes[i] = app.charts.axes[i].toggled();
        }
        Intent::Zoom => app.charts.zoom = !app.charts.zoom,
        Intent::Help => app.overlay = Overlay::Help,
        Intent::WhatIf => match (&app.session.environment, app.stopped) {
            (Some(environment), false) => {
                app.overlay = Overlay::WhatIf(Box::new(WhatIf::new((**environment).clone())));
            }
            (None, _) => app.status = Some(info("this session has no population to edit".into())),
            (_, true) => app.status = Some(info("the run has stopped".into())),
        },
        Intent::Undo => return undo(app),
        _ => {}
    }
    Vec::new()
}

/// `u`: a new shift back to the population before the last applied one.
fn undo(app: &mut App) -> Vec<Action> {
    let (Some(environment), Some(previous)) = (&app.session.environment, app.undo.last()) else {
        app.status = Some(info("no population change to undo".into()));
        return Vec::new();
    };
    if app.undo_pending || app.stopped {
        return Vec::new();
    }
    let shift = LiveShift {
        environment: (**environment).clone(),
        population: previous.clone(),
    };
    app.undo_pending = true;
    app.status = Some(info(
        "undoing: the previous population from the next episode no lane has begun".into(),
    ));
    vec![Action::Send(Box::new(Command::ApplyShift(Box::new(shift))))]
}

/// A live shift came back applied: mark it, and remember what it replaced for `u`.
fn shift_applied(
    app: &mut App,
    shift: crate::sim::schedule::ShiftInfo,
    environment: crate::scenario::EnvironmentConfig,
) {
    let before: Option<PopulationEdit> = app.session.environment.as_deref().map(current_population);
    if std::mem::take(&mut app.undo_pending) {
        app.undo.pop();
    } else if let Some(before) = before {
        app.undo.push(before);
    }
    app.status = Some(info(format!(
        "population changed from episode {}: {}",
        thousands(shift.episode),
        shift.description
    )));
    app.session.environment = Some(Box::new(environment));
    // Charts and header read the shifts, so the new one is marked everywhere at once.
    app.session.shifts.push(shift);
}

fn open_agents(app: &mut App, purpose: PickPurpose, current: Option<AgentSpec>) {
    let agents = app.session.agents.clone();
    let selected = current
        .and_then(|c| agents.iter().position(|a| *a == c))
        .unwrap_or(0);
    app.overlay = Overlay::Agents(Picker::new(agents, selected), purpose);
}

fn on_event(app: &mut App, event: Event) {
    match event {
        Event::LaneAdded { lane, spec } => {
            if app.lanes.iter().all(|l| l.id != lane) {
                let color = app.take_color();
                app.lanes
                    .push(LaneView::new(lane, *spec, app.window, color));
            }
        }
        Event::LaneReset {
            lane,
            spec,
            generation,
        } => {
            if let Some(l) = find(&mut app.lanes, lane) {
                l.restart(*spec, generation);
            }
        }
        Event::LaneRemoved { lane } => {
            app.lanes.retain(|l| l.id != lane);
            app.focus = app.focus.min(app.lanes.len().saturating_sub(1));
        }
        Event::Episodes {
            lane,
            generation,
            phase: Phase::Train,
            summaries,
            ..
        } => {
            if let Some(l) = find(&mut app.lanes, lane) {
                l.add_episodes(generation, &summaries);
            }
        }
        // The dashboard never evaluates; evaluation episodes would come from another plan.
        Event::Episodes { .. } => {}
        Event::Progress(progress) => {
            if let Some(l) = find(&mut app.lanes, progress.lane) {
                l.set_progress(*progress);
            }
        }
        Event::LaneFinished { lane, .. } => {
            if let Some(l) = find(&mut app.lanes, lane) {
                l.state = LaneState::Finished;
            }
        }
        // The dashboard asks for no learned states.
        Event::LaneStopped { .. } => {}
        Event::LaneFailed { lane, message } => {
            let label = find(&mut app.lanes, lane).map(|l| {
                l.state = LaneState::Failed(message.clone());
                l.spec.label.clone()
            });
            if let Some(label) = label {
                app.status = Some(error(format!("lane {label} stopped: {message}")));
            }
        }
        Event::ShiftApplied { shift, environment } => shift_applied(app, shift, *environment),
        Event::ShiftRejected { field, message } => {
            app.undo_pending = false;
            let field = if field.is_empty() {
                field
            } else {
                format!("{field}: ")
            };
            app.status = Some(error(format!(
                "population change refused: {field}{message}"
            )));
        }
        Event::Paused(paused) => app.paused = paused,
        Event::Finished { .. } => app.stopped = true,
    }
}

fn find(lanes: &mut [LaneView], id: crate::engine::LaneId) -> Option<&mut LaneView> {
    lanes.iter_mut().find(|l| l.id == id)
}
