//! What the command-line test files share: the binary under test and its output as text.

// Each test file is its own crate and uses only some of these helpers.
#![allow(dead_code)]

use std::process::{Command, Output};

/// The `slatelab` binary this build made.
pub const BIN: &str = env!("CARGO_BIN_EXE_slatelab");

/// Runs `slatelab` with `args` and waits for it.
pub fn slatelab(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary starts")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 stdout")
}

/// Standard error as text (lossy: a test reads it to explain a failure).
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
