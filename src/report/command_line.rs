//! The command line a report records: set once by the CLI layer, read by whichever front
//! end builds the report (a run, or the dashboard's export).

use std::sync::OnceLock;

static COMMAND_LINE: OnceLock<String> = OnceLock::new();

/// Records this process's command line (the first call wins; later ones are ignored).
pub fn set(args: impl IntoIterator<Item = String>) {
    let _ = COMMAND_LINE.set(shell_quoted(args));
}

/// The recorded command line; empty when none was set (the library used directly).
pub fn get() -> &'static str {
    COMMAND_LINE.get().map_or("", String::as_str)
}

/// The words joined by spaces, each quoted for a POSIX shell when it needs it, so the line
/// can be pasted back into a shell.
pub fn shell_quoted(args: impl IntoIterator<Item = String>) -> String {
    args.into_iter()
        .map(|arg| quote(&arg))
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) {
        return arg.to_owned();
    }
    // Inside single quotes nothing is special but the quote itself: close, escape, reopen.
    format!("'{}'", arg.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::shell_quoted;

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|&w| w.to_owned()).collect()
    }

    #[test]
    fn plain_words_stay_bare_and_the_rest_is_single_quoted() {
        let line = shell_quoted(words(&[
            "slatelab",
            "run",
            "-a",
            "random,LinUcb(alpha: 0.5)",
            "--out=a b.json",
            "it's",
            "",
        ]));
        assert_eq!(
            line,
            r"slatelab run -a 'random,LinUcb(alpha: 0.5)' '--out=a b.json' 'it'\''s' ''"
        );
    }
}
