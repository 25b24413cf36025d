//! One Ctrl-C for many engines: the signal stops every cell running and keeps new ones from
//! starting; a second signal exits at once, as in `slatelab run`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::Sender;

use crate::engine::Command;

/// The engines running now and whether a stop was asked for.
#[derive(Default)]
pub struct Stopper {
    stopped: AtomicBool,
    engines: Mutex<Vec<Sender<Command>>>,
}

impl Stopper {
    /// True once a stop was asked for.
    pub fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Stops every engine registered, and any registered later.
    pub fn stop(&self) {
        // The flag goes up before the lock: an engine registering after this sees it.
        self.stopped.store(true, Ordering::SeqCst);
        for engine in self
            .engines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
        {
            let _ = engine.send(Command::Stop);
        }
    }

    /// Adds a started engine (stopped at once if a stop was already asked for).
    pub fn register(&self, engine: Sender<Command>) {
        let mut engines = self
            .engines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.stopped() {
            let _ = engine.send(Command::Stop);
        }
        engines.push(engine);
    }

    /// Removes a finished engine.
    pub fn unregister(&self, engine: &Sender<Command>) {
        self.engines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|e| !e.same_channel(engine));
    }
}

/// Turns SIGINT and SIGTERM into `stopper.stop()`; a second signal exits with status 130.
pub fn on_signals(
    stopper: std::sync::Arc<Stopper>,
) -> anyhow::Result<signal_hook::iterator::Handle> {
    crate::headless::signals::on_signals(move || stopper.stop())
}
