//! The slatelab binary: parses arguments and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    slatelab::cli::main(slatelab::cli::Cli::parse())
}
