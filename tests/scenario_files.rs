//! Scenario fixtures: every file in tests/scenarios/valid loads; every file in
//! tests/scenarios/invalid fails with the message fragment and line its header announces:
//!
//! ```text
//! // expect: <fragment of the error message>
//! // line: <line number>            (optional)
//! // field: <field path>            (optional)
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use slatelab::scenario;

fn files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scenarios")
        .join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    files
}

fn header(text: &str, key: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with("//"))
        .find_map(|l| l.strip_prefix(&format!("// {key}:")))
        .map(|v| v.trim().to_owned())
}

#[test]
fn valid_fixtures_load() {
    for path in files("valid") {
        if let Err(err) = scenario::load_file(&path) {
            panic!("{} should be valid: {err}", path.display());
        }
    }
}

#[test]
fn invalid_fixtures_fail_where_they_say() {
    for path in files("invalid") {
        let text = fs::read_to_string(&path).expect("readable fixture");
        let expect = header(&text, "expect")
            .unwrap_or_else(|| panic!("{} lacks an `// expect:` header", path.display()));
        let Err(err) = scenario::load_file(&path) else {
            panic!("{} should be invalid", path.display())
        };
        let shown = err.to_string();
        assert!(
            shown.contains(&expect),
            "{}: error `{shown}` lacks `{expect}`",
            path.display()
        );
        assert!(
            shown.starts_with(&path.display().to_string()),
            "{}: error does not name the file: {shown}",
            path.display()
        );
        if let Some(line) = header(&text, "line") {
            let line: usize = line.parse().expect("numeric line header");
            assert_eq!(err.line, Some(line), "{}: {shown}", path.display());
            assert!(
                err.column.is_some(),
                "{}: no column in {shown}",
                path.display()
            );
        }
        if let Some(field) = header(&text, "field") {
            assert_eq!(
                err.field.as_deref(),
                Some(field.as_str()),
                "{}: {shown}",
                path.display()
            );
        }
    }
}

#[test]
fn builtin_scenarios_are_the_files_in_scenarios_dir() {
    for preset in scenario::presets::PRESETS {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(format!("{}.ron", preset.name));
        let on_disk = fs::read_to_string(&path).expect("scenario file exists");
        assert_eq!(on_disk, preset.text, "{}", path.display());
        scenario::from_str(preset.text, preset.name)
            .unwrap_or_else(|e| panic!("built-in {} is invalid: {e}", preset.name));
    }
}
