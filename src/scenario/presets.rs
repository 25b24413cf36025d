//! The stock scenarios, compiled into the binary so slatelab runs with no file given.

/// A built-in scenario: its name and RON text (the same file as in `scenarios/`).
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    /// The name used with `--scenario`.
    pub name: &'static str,
    /// The file's text.
    pub text: &'static str,
}

/// Every built-in scenario, in the order `slatelab scenarios` lists them.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "choc-kale",
        text: include_str!("../../scenarios/choc-kale.ron"),
    },
    Preset {
        name: "choc-kale-tutorial",
        text: include_str!("../../scenarios/choc-kale-tutorial.ron"),
    },
    Preset {
        name: "interest-evolution",
        text: include_str!("../../scenarios/interest-evolution.ron"),
    },
    Preset {
        name: "long-term-satisfaction",
        text: include_str!("../../scenarios/long-term-satisfaction.ron"),
    },
    Preset {
        name: "interest-exploration",
        text: include_str!("../../scenarios/interest-exploration.ron"),
    },
    Preset {
        name: "mixed-population",
        text: include_str!("../../scenarios/mixed-population.ron"),
    },
    Preset {
        name: "audience-shift",
        text: include_str!("../../scenarios/audience-shift.ron"),
    },
    Preset {
        name: "linear-bandit",
        text: include_str!("../../scenarios/linear-bandit.ron"),
    },
];

/// The scenario the dashboard opens when none is given.
pub const DEFAULT_PRESET: &str = "choc-kale";

/// The built-in scenario called `name`.
pub fn preset(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}
