//! The README tells the truth about the dashboard: the scenarios it lists are the built-ins.

use crate::scenario::presets::PRESETS;

const README: &str = include_str!("../../../README.md");

#[test]
fn the_scenario_table_lists_every_builtin() {
    for preset in PRESETS {
        let row = format!("| `{}` |", preset.name);
        assert!(README.contains(&row), "README lacks the row {row}");
    }
}
