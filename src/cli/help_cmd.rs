//! `slatelab completions SHELL` and `slatelab man`: generated from the clap definition, so
//! they always match the options.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use super::CliError;
use super::args::Cli;

/// Writes the completion script for `shell` to stdout.
pub fn completions(shell: Shell) -> Result<ExitCode, CliError> {
    let mut stdout = std::io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "slatelab", &mut stdout);
    stdout.flush().context("writing the completion script")?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the manual page (roff) to stdout.
pub fn man() -> Result<ExitCode, CliError> {
    let mut stdout = std::io::stdout().lock();
    clap_mangen::Man::new(Cli::command())
        .render(&mut stdout)
        .and_then(|()| stdout.flush())
        .context("writing the manual page")?;
    Ok(ExitCode::SUCCESS)
}
