//! The UI thread: owns the terminal and the session, blocks on its channels, folds every
//! message into the app, performs the app's actions, and redraws at most once per frame.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use crossbeam_channel::{Receiver, never, select_biased, unbounded};

use super::app::{Action, App, Msg, ReferenceLine, SPEEDS, update};
use super::export::ExportAt;
use super::input::InputThread;
use super::render::render;
use super::session::{Session, SessionPlan, scenario_choices};
use crate::agent::AgentSpec;
use crate::engine::{Event, Speed};
use crate::scenario::{self, Scenario};

/// What the dashboard opens with.
#[derive(Clone, Debug)]
pub struct TuiOptions {
    /// The scenario.
    pub scenario: Scenario,
    /// The agents: one lane each (per seed).
    pub agents: Vec<AgentSpec>,
    /// A seed for this and every scenario loaded later (default: each scenario's own).
    pub seed: Option<u64>,
    /// Seeds per agent (`--seeds N`): N lanes per agent with seeds S, S+1, ...
    pub seeds: u32,
    /// Engine worker threads.
    pub threads: usize,
}

impl TuiOptions {
    fn plan(&self, scenario: Scenario, agents: Vec<AgentSpec>, speed: Speed) -> SessionPlan {
        SessionPlan {
            seed: self.seed.unwrap_or(scenario.seed),
            scenario,
            agents,
            seeds: self.seeds.max(1),
            threads: self.threads.max(1),
            speed,
        }
    }
}

/// Time between frames: about 30 per second, however fast events arrive.
pub const FRAME: Duration = Duration::from_millis(33);
/// Events folded in per wake-up before the loop looks at keys and the clock again.
const DRAIN: usize = 4096;

/// How the dashboard ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The user quit.
    Quit,
    /// A termination signal (SIGTERM, SIGHUP) closed it.
    Terminated,
}

/// Signals from outside the app's own messages.
enum Outside {
    /// SIGTERM or SIGHUP.
    Terminate,
    /// A thread panicked (the terminal is already restored by then).
    Panic(String),
}

/// Restores the terminal however the UI thread leaves (return, error, or panic).
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
        // Back to the default hook: ours holds channels that are about to close.
        let _ = std::panic::take_hook();
    }
}

/// Runs the dashboard until the user quits, a signal arrives, or something fails.
pub fn run(options: TuiOptions) -> anyhow::Result<Exit> {
    let (references_tx, references_rx) = unbounded::<(u64, Vec<ReferenceLine>)>();
    let (outside_tx, outside_rx) = unbounded::<Outside>();
    let speed = SPEEDS[SPEEDS.len() - 1];
    let plan = options.plan(options.scenario.clone(), options.agents.clone(), speed);
    let mut session = Session::start(plan, 0, references_tx.clone())?;
    let mut app = App::new(session.info.clone());

    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let _guard = TerminalGuard;
    let previous = std::panic::take_hook();
    let panics = outside_tx.clone();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        let _ = panics.send(Outside::Panic(info.to_string()));
    }));
    let signals = outside_tx.clone();
    // Raw mode turns Ctrl-C into a key; this catches SIGTERM and SIGHUP. A handler set
    // earlier by an embedding program stays in charge.
    let _ = ctrlc::try_set_handler(move || {
        let _ = signals.send(Outside::Terminate);
    });

    let (input_tx, input_rx) = unbounded::<Msg>();
    let _input = InputThread::spawn(input_tx).context("cannot start the input thread")?;
    let tick = crossbeam_channel::tick(FRAME);
    let mut events: Receiver<Event> = session.engine.events().clone();
    let mut dirty = true;
    let mut next_id = 1;
    loop {
        let mut inbox = VecDeque::new();
        select_biased! {
            recv(outside_rx) -> signal => match signal {
                Ok(Outside::Terminate) => return Ok(Exit::Terminated),
                Ok(Outside::Panic(message)) => {
                    // A worker died holding a lane: stopping the engine would wait for it.
                    std::mem::forget(session);
                    anyhow::bail!("a thread panicked: {message}");
                }
                Err(_) => {}
            },
            recv(input_rx) -> msg => match msg {
                Ok(msg) => inbox.push_back(msg),
                Err(_) => anyhow::bail!("the terminal closed"),
            },
            recv(references_rx) -> lines => {
                if let Ok((id, lines)) = lines
                    && id == session.id
                {
                    inbox.push_back(Msg::References(lines));
                }
            },
            recv(events) -> event => match event {
                Ok(event) => {
                    inbox.push_back(Msg::Engine(event));
                    inbox.extend(events.try_iter().take(DRAIN).map(Msg::Engine));
                }
                // The engine has stopped for good: nothing more will come.
                Err(_) => events = never(),
            },
            recv(tick) -> _ => {
                if dirty {
                    terminal.draw(|frame| render(&app, frame))?;
                    dirty = false;
                }
            },
        }
        dirty |= !inbox.is_empty();
        while let Some(msg) = inbox.pop_front() {
            for action in update(&mut app, msg) {
                let mut work = Work {
                    app: &mut app,
                    session: &mut session,
                    next_id: &mut next_id,
                    options: &options,
                    references: &references_tx,
                };
                if let Some(reply) = work.perform(action) {
                    if matches!(reply, Msg::SessionStarted(_)) {
                        // A reloaded scenario brings a new event channel.
                        events = session.engine.events().clone();
                    }
                    inbox.push_back(reply);
                }
            }
        }
        if app.quit {
            return Ok(Exit::Quit);
        }
    }
}

/// What performing an action may touch.
struct Work<'a> {
    app: &'a mut App,
    session: &'a mut Session,
    next_id: &'a mut u64,
    options: &'a TuiOptions,
    references: &'a crossbeam_channel::Sender<(u64, Vec<ReferenceLine>)>,
}

impl Work<'_> {
    /// Does what the app asked; some actions answer with a message for the app.
    fn perform(&mut self, action: Action) -> Option<Msg> {
        match action {
            Action::Send(command) => {
                self.session.engine.send(command);
                None
            }
            Action::ListScenarios => {
                let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
                Some(Msg::ScenarioChoices(scenario_choices(&cwd)))
            }
            Action::LoadScenario(source) => Some(self.load(&source)),
            Action::Export => {
                let dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
                let at = ExportAt {
                    dir: &dir,
                    now: SystemTime::now(),
                    wall_seconds: self.session.started.elapsed().as_secs_f64(),
                };
                let written = super::export::write(self.app, &self.session.scenario, at);
                Some(Msg::Exported(written.map_err(|e| format!("{e:#}"))))
            }
            Action::Quit => None,
        }
    }

    /// Starts `source` with its own agents; on any error the old session keeps running.
    fn load(&mut self, source: &str) -> Msg {
        let scenario = match scenario::load(source) {
            Ok(scenario) => scenario,
            Err(err) => return Msg::ScenarioFailed(err.to_string()),
        };
        let agents = scenario.agents.clone();
        let plan = self.options.plan(scenario, agents, self.app.speed());
        match Session::start(plan, *self.next_id, self.references.clone()) {
            Err(err) => Msg::ScenarioFailed(format!("{source}: {err:#}")),
            Ok(started) => {
                *self.next_id += 1;
                let info = started.info.clone();
                // Dropping the old session stops its engine and reference run.
                *self.session = started;
                Msg::SessionStarted(info)
            }
        }
    }
}
