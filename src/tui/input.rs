//! The one thread that reads the terminal: it forwards key presses (never releases or
//! repeats) and resizes, and stops when asked or when the dashboard has gone away.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::Sender;
use ratatui::crossterm::event::{self, Event, KeyEventKind};

use super::app::Msg;

/// How long a read waits before looking at the stop flag: the longest a stop takes.
const POLL: Duration = Duration::from_millis(50);

/// The running input thread; dropping it asks it to stop.
pub struct InputThread {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl InputThread {
    /// Starts reading the terminal, sending to `messages`.
    pub fn spawn(messages: Sender<Msg>) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("slatelab-input".into())
            .spawn(move || read_loop(&messages, &flag))?;
        Ok(Self {
            stop,
            handle: Some(handle),
        })
    }
}

impl Drop for InputThread {
    /// Asks the thread to stop without waiting for it: on a terminal that has gone away a
    /// read can block (or spin) forever, and that must never hold up the exit.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.handle.take());
    }
}

fn read_loop(messages: &Sender<Msg>, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match event::poll(POLL) {
            Ok(false) => continue,
            Ok(true) => {}
            // The terminal is gone: the run loop notices the closed channel.
            Err(_) => return,
        }
        let msg = match event::read() {
            Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => Msg::Key(key),
            Ok(Event::Resize(width, height)) => Msg::Resize { width, height },
            Ok(_) => continue,
            Err(_) => return,
        };
        if messages.send(msg).is_err() {
            return;
        }
    }
}
