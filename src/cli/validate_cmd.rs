//! `slatelab validate FILE...`

use std::process::ExitCode;

use super::CliError;
use super::args::ValidateArgs;
use crate::scenario;

/// Checks every file, printing each error; status 2 if any is invalid.
pub fn validate(args: ValidateArgs) -> Result<ExitCode, CliError> {
    let mut bad = 0;
    for file in &args.files {
        match scenario::load(file) {
            Ok(s) => println!(
                "{file}: ok ({}, {} agents)",
                s.kind().name(),
                s.agents.len()
            ),
            Err(err) => {
                bad += 1;
                eprintln!("{err}");
            }
        }
    }
    if bad == 0 {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(CliError::Input(format!(
            "{bad} of {} scenario files are invalid",
            args.files.len()
        )))
    }
}
