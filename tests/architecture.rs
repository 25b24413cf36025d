//! The layering docs/architecture.md draws, checked on the source: the two front ends do not
//! import each other, and no two files import each other.
//!
//! A file *imports* another when it names a path inside it (`use crate::a::b::X;`,
//! `super::x::f()`, `crate::a::b::Y` inline). `pub use` re-exports do not count: a module's
//! facade re-exporting its children is not a dependency of the parent on the child's users.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`["agent", "slateq"]`) → file, for every file under `src/` but `main.rs`.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut mods = BTreeMap::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            if path.extension().is_none_or(|e| e != "rs") || rel == Path::new("main.rs") {
                continue;
            }
            let mut parts: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            mods.insert(parts, path);
        }
    }
    mods
}

/// The source without comments and string contents, so paths in them are not imports.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        break;
                    }
                }
                out.push('"');
            }
            // A char literal such as '"' would otherwise open a string.
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                let close = if rest.starts_with('\\') {
                    rest.char_indices().skip(1).find(|&(_, c)| c == '\'')
                } else {
                    rest.char_indices().nth(1).filter(|&(_, c)| c == '\'')
                };
                match close {
                    Some((i, _)) => {
                        for _ in 0..=i {
                            chars.next();
                        }
                        out.push_str("' '");
                    }
                    None => out.push('\''),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.to_owned()];
    };
    let (prefix, body) = (&tree[..open], &tree[open + 1..tree.rfind('}').unwrap()]);
    let (mut items, mut current, mut depth) = (Vec::new(), String::new(), 0);
    for c in body.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
        .iter()
        .filter(|i| !i.trim().is_empty())
        .flat_map(|i| expand(&format!("{prefix}{}", i.trim())))
        .collect()
}

/// The file a `crate::`/`super::`/`self::` path lands in, seen from module `here`.
fn resolve<'m>(
    path: &str,
    here: &[String],
    mods: &'m BTreeMap<Vec<String>, PathBuf>,
) -> Option<&'m PathBuf> {
    let segments: Vec<&str> = path
        .split("::")
        .map(|s| s.split(" as ").next().unwrap().trim())
        .filter(|s| !s.is_empty())
        .collect();
    let mut base: Vec<String> = here.to_vec();
    let mut rest = segments.as_slice();
    match rest.first() {
        Some(&"crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some(&"super") => {
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(&"self") => rest = &rest[1..],
        _ => return None,
    }
    base.extend(rest.iter().map(|s| (*s).to_owned()));
    (0..=base.len()).rev().find_map(|n| mods.get(&base[..n]))
}

/// The `use` statements of `code` (not `pub use`), and the code with them removed.
fn use_statements(code: &str) -> (Vec<String>, String) {
    let (mut uses, mut rest) = (Vec::new(), String::new());
    let mut remaining = code;
    while let Some(at) = find_use(remaining) {
        let end = at + remaining[at..].find(';').unwrap_or(remaining.len() - at);
        let statement = &remaining[at..end];
        let before = remaining[..at].trim_end();
        let public = before.ends_with("pub") || before.ends_with(')') && before.contains("pub(");
        if !public {
            uses.push(statement["use".len()..].to_owned());
        }
        rest.push_str(&remaining[..at]);
        remaining = &remaining[(end + 1).min(remaining.len())..];
    }
    rest.push_str(remaining);
    (uses, rest)
}

/// The byte offset of the next `use` keyword.
fn find_use(code: &str) -> Option<usize> {
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(i) = code[from..].find("use ") {
        let at = from + i;
        let starts_word = at == 0
            || !(bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b':');
        if starts_word {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// Inline `crate::…`/`super::…` paths.
fn inline_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            let before = code[..at].chars().next_back();
            let end = code[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(code.len(), |e| at + e);
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                paths.push(code[at..end].to_owned());
            }
            from = end.max(at + start.len());
        }
    }
    paths
}

/// Every file → the files it imports.
fn imports() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let mut edges = BTreeMap::new();
    for (module, file) in &mods {
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        let (uses, rest) = use_statements(&code);
        let mut targets: BTreeSet<PathBuf> = uses
            .iter()
            .flat_map(|u| expand(&u.replace(char::is_whitespace, "")))
            .chain(inline_paths(&rest))
            .filter_map(|p| resolve(&p, module, &mods).cloned())
            .collect();
        targets.remove(file);
        edges.insert(file.clone(), targets);
    }
    edges
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

#[test]
fn no_two_files_import_each_other() {
    let edges = imports();
    let mut loops = Vec::new();
    for (a, targets) in &edges {
        for b in targets.iter().filter(|b| a < *b) {
            if edges.get(b).is_some_and(|t| t.contains(a)) {
                loops.push(format!("{} <-> {}", relative(a), relative(b)));
            }
        }
    }
    assert!(
        loops.is_empty(),
        "files importing each other:\n{}",
        loops.join("\n")
    );
}

/// The front ends' folders: the dashboard and headless runs. (`figure/` is a layer below
/// them both use: the dashboard's export draws the charts `slatelab plot` draws.)
const FRONT_ENDS: [&str; 2] = ["src/tui/", "src/headless/"];

#[test]
fn figures_import_no_front_end() {
    let upward: Vec<String> = imports()
        .iter()
        .flat_map(|(from, targets)| targets.iter().map(move |to| (from, to)))
        .filter(|(from, to)| {
            relative(from).starts_with("src/figure/")
                && FRONT_ENDS.iter().any(|d| relative(to).starts_with(d))
        })
        .map(|(from, to)| format!("{} -> {}", relative(from), relative(to)))
        .collect();
    assert!(
        upward.is_empty(),
        "figure/ importing a front end:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_front_ends_do_not_import_each_other() {
    let crossing: Vec<String> = imports()
        .iter()
        .flat_map(|(from, targets)| targets.iter().map(move |to| (from, to)))
        .filter(|(from, to)| {
            let (f, t) = (relative(from), relative(to));
            let front_end = |p: &str| FRONT_ENDS.iter().position(|d| p.starts_with(d));
            matches!((front_end(&f), front_end(&t)), (Some(a), Some(b)) if a != b)
        })
        .map(|(from, to)| format!("{} -> {}", relative(from), relative(to)))
        .collect();
    assert!(
        crossing.is_empty(),
        "front ends importing each other:\n{}",
        crossing.join("\n")
    );
}

#[test]
fn the_checker_sees_an_import_loop() {
    // The checker itself: two files naming each other are found, a `pub use` is not an import.
    let (uses, _) = use_statements("pub use a::B;\nuse super::c::{D, e::F};\n");
    assert_eq!(uses.len(), 1);
    assert_eq!(
        expand(&uses[0].replace(' ', "")),
        ["super::c::D", "super::c::e::F"]
    );
    assert_eq!(
        inline_paths("x = crate::sim::common::top_k(s);"),
        ["crate::sim::common::top_k"]
    );
    assert_eq!(
        code_only("a // crate::x\nb \"crate::y\" '\"' c"),
        "a \nb \"\" ' ' c"
    );
}
