//! Ctrl-C for headless work: the first SIGINT or SIGTERM asks for a graceful stop (finished
//! work is kept), a second exits at once with status 130. SIGHUP is left alone so `nohup`
//! keeps working.

use anyhow::Context;

/// Calls `stop` on the first SIGINT/SIGTERM (and on every later one until the second exits).
/// Close the returned handle when the work is done.
pub fn on_signals(
    stop: impl Fn() + Send + 'static,
) -> anyhow::Result<signal_hook::iterator::Handle> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])
        .context("installing the Ctrl-C handler")?;
    let handle = signals.handle();
    std::thread::Builder::new()
        .name("slatelab-signals".into())
        .spawn(move || {
            let mut received = 0;
            for _ in signals.forever() {
                received += 1;
                if received > 1 {
                    std::process::exit(130);
                }
                stop();
            }
        })
        .context("starting the signal thread")?;
    Ok(handle)
}
