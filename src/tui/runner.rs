//! The UI thread: owns the terminal and the session, blocks on its channels, folds every
//! message into the app, performs the app's actions, and redraws at most once per frame.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use crossbeam_channel::{Receiver, never, select_biased, unbounded};

use super::app::{Action, App, Msg, ReferenceLine, SPEEDS, update};
use super::export::ExportAt;
use super::input::InputThread;
use super::lane_choice;
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
    fn plan(
        &self,
        scenario: Scenario,
        agents: Vec<AgentSpec>,
        speed: Speed,
        paused: bool,
    ) -> SessionPlan {
        SessionPlan {
            seed: self.seed.unwrap_or(scenario.seed),
            scenario,
            agents,
            seeds: self.seeds.max(1),
            threads: self.threads.max(1),
            speed,
            paused,
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
    /// A termination signal (SIGTERM, SIGHUP, SIGINT) closed it.
    Terminated,
}

/// Signals from outside the app's own messages.
enum Outside {
    /// SIGTERM, SIGHUP or SIGINT.
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

/// Turns SIGTERM, SIGHUP and SIGINT into a clean exit (raw mode makes Ctrl-C a key, so
/// SIGINT only comes from `kill`); closed on drop.
struct SignalThread(signal_hook::iterator::Handle);

impl SignalThread {
    fn spawn(outside: crossbeam_channel::Sender<Outside>) -> anyhow::Result<Self> {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])
            .context("installing the signal handlers")?;
        let handle = signals.handle();
        std::thread::Builder::new()
            .name("slatelab-signals".into())
            .spawn(move || {
                if signals.forever().next().is_some() {
                    let _ = outside.send(Outside::Terminate);
                }
            })
            .context("starting the signal thread")?;
        Ok(Self(handle))
    }
}

impl Drop for SignalThread {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Why the dashboard's event loop ended without a clean exit.
enum LoopFailure {
    /// A thread panicked (its lane may never come back to the coordinator).
    Panic(String),
    /// Anything else.
    Other(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for LoopFailure {
    fn from(e: E) -> Self {
        Self::Other(e.into())
    }
}

/// The channels the UI thread listens to.
struct Inbound {
    outside: Receiver<Outside>,
    input: Receiver<Msg>,
    references: Receiver<(u64, Vec<ReferenceLine>)>,
}

/// Runs the dashboard until the user quits, a signal arrives, or something fails.
pub fn run(options: TuiOptions) -> anyhow::Result<Exit> {
    let (references_tx, references_rx) = unbounded::<(u64, Vec<ReferenceLine>)>();
    let (outside_tx, outside_rx) = unbounded::<Outside>();
    let speed = SPEEDS[SPEEDS.len() - 1];
    let plan = options.plan(
        options.scenario.clone(),
        options.agents.clone(),
        speed,
        false,
    );
    let mut session = Session::start(plan, 0, references_tx.clone())?;
    let mut app = App::new(session.info.clone());

    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let _guard = TerminalGuard;
    // Resizes report later sizes; the first one is asked for.
    let size = terminal.size().context("cannot read the terminal size")?;
    update(
        &mut app,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let previous = std::panic::take_hook();
    let panics = outside_tx.clone();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        let _ = panics.send(Outside::Panic(info.to_string()));
    }));
    let _signals = SignalThread::spawn(outside_tx)?;
    let (input_tx, input_rx) = unbounded::<Msg>();
    let _input = InputThread::spawn(input_tx).context("cannot start the input thread")?;
    let inbound = Inbound {
        outside: outside_rx,
        input: input_rx,
        references: references_rx,
    };
    let mut work = Work {
        app: &mut app,
        session: &mut session,
        next_id: 1,
        options: &options,
        references: &references_tx,
    };
    let ended = event_loop(&mut terminal, &inbound, &mut work);
    // Stop the engine before anything else, so no exit path leaves it running.
    match ended {
        Ok(exit) => {
            drop(session);
            Ok(exit)
        }
        Err(LoopFailure::Other(err)) => {
            drop(session);
            Err(err)
        }
        Err(LoopFailure::Panic(message)) => {
            // A worker died holding a lane: stopping the engine would wait for it forever.
            std::mem::forget(session);
            anyhow::bail!("a thread panicked: {message}")
        }
    }
}

/// Blocks on the channels, folds messages into the app, redraws on the frame tick.
fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    inbound: &Inbound,
    work: &mut Work<'_>,
) -> Result<Exit, LoopFailure> {
    let tick = crossbeam_channel::tick(FRAME);
    let mut events: Receiver<Event> = work.session.engine.events().clone();
    let mut dirty = true;
    loop {
        let mut inbox = VecDeque::new();
        select_biased! {
            recv(inbound.outside) -> signal => match signal {
                Ok(Outside::Terminate) => return Ok(Exit::Terminated),
                Ok(Outside::Panic(message)) => return Err(LoopFailure::Panic(message)),
                Err(_) => {}
            },
            recv(inbound.input) -> msg => match msg {
                Ok(msg) => inbox.push_back(msg),
                Err(_) => return Err(anyhow::anyhow!("the terminal closed").into()),
            },
            recv(inbound.references) -> lines => {
                if let Ok((id, lines)) = lines
                    && id == work.session.id
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
                    terminal.draw(|frame| render(work.app, frame))?;
                    dirty = false;
                }
            },
        }
        dirty |= !inbox.is_empty();
        while let Some(msg) = inbox.pop_front() {
            for action in update(work.app, msg) {
                if let Some(reply) = work.perform(action) {
                    if matches!(reply, Msg::SessionStarted(_)) {
                        // A reloaded scenario brings a new event channel.
                        events = work.session.engine.events().clone();
                    }
                    inbox.push_back(reply);
                }
            }
        }
        if work.app.quit {
            return Ok(Exit::Quit);
        }
    }
}

/// What performing an action may touch.
struct Work<'a> {
    app: &'a mut App,
    session: &'a mut Session,
    next_id: u64,
    options: &'a TuiOptions,
    references: &'a crossbeam_channel::Sender<(u64, Vec<ReferenceLine>)>,
}

impl Work<'_> {
    /// Does what the app asked; some actions answer with a message for the app.
    fn perform(&mut self, action: Action) -> Option<Msg> {
        match action {
            Action::Send(command) => {
                self.session.engine.send(*command);
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

    /// Starts `source` with the running agents that suit it (see [`lane_choice::carried_agents`]);
    /// on any error the old session keeps running.
    fn load(&mut self, source: &str) -> Msg {
        let scenario = match scenario::load(source) {
            Ok(scenario) => scenario,
            Err(err) => return Msg::ScenarioFailed(err.to_string()),
        };
        let running: Vec<AgentSpec> = self
            .app
            .lanes
            .iter()
            .map(|l| l.spec.agent.clone())
            .collect();
        let agents = lane_choice::carried_agents(&running, &scenario);
        let plan = self
            .options
            .plan(scenario, agents, self.app.speed(), self.app.paused);
        match Session::start(plan, self.next_id, self.references.clone()) {
            Err(err) => Msg::ScenarioFailed(format!("{source}: {err:#}")),
            Ok(started) => {
                self.next_id += 1;
                let info = started.info.clone();
                // Dropping the old session stops its engine and reference run.
                *self.session = started;
                Msg::SessionStarted(info)
            }
        }
    }
}
