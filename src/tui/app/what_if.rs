//! The `w` what-if panel's state: the population in force as editable rows (each segment's
//! share and the user parameters that matter for the environment), checked with the
//! scenario's own validation as the user edits.

use crate::scenario::EnvironmentConfig;
use crate::scenario::live_shift::{self, PopulationEdit};
use crate::sim::long_term_satisfaction::InitialNpe;
use crate::sim::population::SegmentConfig;

/// One editable number: a segment's share or one of its user parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIfRow {
    /// Index of the segment.
    pub segment: usize,
    /// The parameter, as named in scenario files (`share`, `sensitivity`, ...).
    pub field: &'static str,
    /// Its value in the panel.
    pub value: f64,
    /// How much `←`/`→` (or `-`/`+`) change it.
    pub step: f64,
    /// Whether only whole numbers make sense (session lengths).
    pub whole: bool,
}

/// The panel: rows, the highlighted one, text being typed, and the validation verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct WhatIf {
    /// The running environment's configuration (every shift so far).
    pub environment: EnvironmentConfig,
    /// Segment names, in order.
    pub segments: Vec<String>,
    /// The editable rows, segment by segment.
    pub rows: Vec<WhatIfRow>,
    /// Index of the highlighted row.
    pub selected: usize,
    /// Digits typed into the highlighted row, not yet taken.
    pub typing: Option<String>,
    /// Why the edited population is refused (`field: message`), if it is.
    pub error: Option<String>,
    /// The population the rows were read from (parameters not shown stay as they are).
    base: PopulationEdit,
}

impl WhatIf {
    /// The panel over the population in force in `environment`.
    pub fn new(environment: EnvironmentConfig) -> Self {
        let base = live_shift::current_population(&environment);
        let (segments, rows) = rows_of(&base);
        Self {
            environment,
            segments,
            rows,
            selected: 0,
            typing: None,
            error: None,
            base,
        }
    }

    /// Highlights the next (or previous) row, taking typed text first.
    pub fn select(&mut self, forward: bool) {
        self.take_typing();
        let n = self.rows.len();
        self.selected = if forward {
            (self.selected + 1) % n
        } else {
            (self.selected + n - 1) % n
        };
    }

    /// Changes the highlighted value by one step up or down.
    pub fn nudge(&mut self, up: bool) {
        self.take_typing();
        let row = &self.rows[self.selected];
        let value = row.value + if up { row.step } else { -row.step };
        self.set(value);
    }

    /// Adds a typed character (digits, `.`, a leading `-`) to the highlighted row.
    pub fn type_char(&mut self, c: char) {
        let text = self.typing.get_or_insert_with(String::new);
        if c.is_ascii_digit() || (c == '.' && !text.contains('.')) || (c == '-' && text.is_empty())
        {
            text.push(c);
        }
    }

    /// Removes the last typed character.
    pub fn erase(&mut self) {
        if let Some(text) = &mut self.typing {
            text.pop();
        }
    }

    /// Takes typed text as the highlighted value (text that is no number is dropped).
    pub fn take_typing(&mut self) {
        if let Some(value) = self.typing.take().and_then(|t| t.parse::<f64>().ok()) {
            self.set(value);
        }
    }

    /// Sets the highlighted value; with two segments, a share change gives the other segment
    /// the rest, so that shares keep summing to 1.
    fn set(&mut self, value: f64) {
        let row = &mut self.rows[self.selected];
        row.value = if row.whole {
            value.round()
        } else {
            // Steps of 0.05 add up to 0.30000000000000004; keep what a user would type.
            (value * 1e9).round() / 1e9
        };
        if row.field == "share" && self.segments.len() == 2 {
            let (segment, rest) = (row.segment, 1.0 - row.value);
            if let Some(other) = self
                .rows
                .iter_mut()
                .find(|r| r.field == "share" && r.segment != segment)
            {
                other.value = (rest * 1e9).round() / 1e9;
            }
        }
        self.error = self.check().err();
    }

    /// The population the rows describe.
    pub fn population(&self) -> PopulationEdit {
        let mut out = self.base.clone();
        match &mut out {
            PopulationEdit::LongTermSatisfaction(s) => self.write(s, |u, field, v| match field {
                "sensitivity" => u.sensitivity = v,
                "memory_discount" => u.memory_discount = v,
                "choc_mean" => u.choc_mean = v,
                "kale_mean" => u.kale_mean = v,
                "initial_npe" => u.initial_npe = InitialNpe::Fixed(v),
                "time_budget" => u.time_budget = whole(v),
                _ => {}
            }),
            PopulationEdit::InterestEvolution(s) => self.write(s, |u, field, v| match field {
                "time_budget" => u.time_budget = v,
                "step_penalty" => u.step_penalty = v,
                "user_update_alpha" => u.user_update_alpha = v,
                _ => {}
            }),
            PopulationEdit::InterestExploration(s) => self.write(s, |u, field, v| {
                if field == "affinity_log_stddev" {
                    u.affinity_log_stddev = v;
                }
            }),
            PopulationEdit::LinearBandit(s) => self.write(s, |u, field, v| {
                if field == "scale" {
                    u.scale = v;
                }
            }),
        }
        out
    }

    fn write<U>(&self, segments: &mut [SegmentConfig<U>], mut set: impl FnMut(&mut U, &str, f64)) {
        for row in &self.rows {
            let segment = &mut segments[row.segment];
            if row.field == "share" {
                segment.share = row.value;
            } else {
                set(&mut segment.user, row.field, row.value);
            }
        }
    }

    /// The edited population checked as the next shift of the running configuration:
    /// `Err("segment.field: message")` names what the scenario's validation refuses.
    pub fn check(&self) -> Result<(), String> {
        let at = live_shift::first_free_episode(&self.environment);
        live_shift::shifted(&self.environment, at, self.population())
            .map(|_| ())
            .map_err(|e| self.describe(&e.field, &e.message))
    }

    /// `shifts[2].population[1].user.sensitivity` → `robust.sensitivity`.
    fn describe(&self, field: &str, message: &str) -> String {
        let inner = field
            .split_once("].population")
            .map_or(field, |(_, rest)| rest);
        let named = inner
            .strip_prefix('[')
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, rest)| {
                let name = self.segments.get(i.parse::<usize>().ok()?)?;
                Some(format!("{name}{}", rest.replacen(".user", "", 1)))
            })
            .unwrap_or_else(|| "population".to_owned());
        format!("{named}: {message}")
    }
}

fn whole(v: f64) -> u32 {
    // Validation rejects 0; a negative or huge typed value saturates and is refused there.
    v.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Segment names and rows: each segment's share, then the parameters that matter.
fn rows_of(population: &PopulationEdit) -> (Vec<String>, Vec<WhatIfRow>) {
    let row = |segment, field, value, step| WhatIfRow {
        segment,
        field,
        value,
        step,
        whole: false,
    };
    let mut rows = Vec::new();
    let names: Vec<String> = match population {
        PopulationEdit::LongTermSatisfaction(s) => {
            for (i, seg) in s.iter().enumerate() {
                let u = &seg.user;
                rows.push(row(i, "share", seg.share, 0.05));
                rows.push(row(i, "sensitivity", u.sensitivity, 0.05));
                rows.push(row(i, "memory_discount", u.memory_discount, 0.05));
                rows.push(row(i, "choc_mean", u.choc_mean, 0.5));
                rows.push(row(i, "kale_mean", u.kale_mean, 0.5));
                // A drawn initial NPE has no single value to edit.
                if let InitialNpe::Fixed(v) = u.initial_npe {
                    rows.push(row(i, "initial_npe", v, 0.5));
                }
                rows.push(WhatIfRow {
                    whole: true,
                    ..row(i, "time_budget", f64::from(u.time_budget), 1.0)
                });
            }
            s.iter().map(|seg| seg.name.clone()).collect()
        }
        PopulationEdit::InterestEvolution(s) => {
            for (i, seg) in s.iter().enumerate() {
                let u = &seg.user;
                rows.push(row(i, "share", seg.share, 0.05));
                rows.push(row(i, "time_budget", u.time_budget, 10.0));
                rows.push(row(i, "step_penalty", u.step_penalty, 0.1));
                rows.push(row(i, "user_update_alpha", u.user_update_alpha, 0.01));
            }
            s.iter().map(|seg| seg.name.clone()).collect()
        }
        PopulationEdit::InterestExploration(s) => {
            for (i, seg) in s.iter().enumerate() {
                rows.push(row(i, "share", seg.share, 0.05));
                rows.push(row(
                    i,
                    "affinity_log_stddev",
                    seg.user.affinity_log_stddev,
                    0.1,
                ));
            }
            s.iter().map(|seg| seg.name.clone()).collect()
        }
        PopulationEdit::LinearBandit(s) => {
            for (i, seg) in s.iter().enumerate() {
                rows.push(row(i, "share", seg.share, 0.05));
                rows.push(row(i, "scale", seg.user.scale, 0.1));
            }
            s.iter().map(|seg| seg.name.clone()).collect()
        }
    };
    (names, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel() -> WhatIf {
        let s = crate::scenario::load("mixed-population").unwrap();
        WhatIf::new(s.file.environment)
    }

    #[test]
    fn shares_of_two_segments_keep_summing_to_one() {
        let mut p = panel();
        assert_eq!(p.segments, ["clickbait-sensitive", "robust"]);
        assert_eq!((p.rows[0].field, p.rows[0].value), ("share", 0.3));
        for _ in 0..8 {
            p.nudge(true);
        }
        let shares: Vec<f64> = p
            .rows
            .iter()
            .filter(|r| r.field == "share")
            .map(|r| r.value)
            .collect();
        assert_eq!(shares, [0.7, 0.3]);
        assert_eq!(p.error, None);
        let PopulationEdit::LongTermSatisfaction(s) = p.population() else {
            panic!("long-term satisfaction")
        };
        assert_eq!((s[0].share, s[1].share), (0.7, 0.3));
    }

    #[test]
    fn typed_values_are_validated_like_the_scenario_file() {
        let mut p = panel();
        p.select(true);
        p.select(true); // memory_discount of clickbait-sensitive
        assert_eq!(p.rows[2].field, "memory_discount");
        for c in "1.5".chars() {
            p.type_char(c);
        }
        p.take_typing();
        let error = p.error.clone().expect("a discount of 1.5 is refused");
        assert!(
            error.starts_with("clickbait-sensitive.memory_discount: "),
            "{error}"
        );
        p.type_char('x'); // not a number: ignored
        p.type_char('0');
        p.type_char('.');
        p.type_char('.'); // a second point: ignored
        p.type_char('9');
        p.erase();
        p.type_char('5');
        p.take_typing();
        assert_eq!(p.rows[2].value, 0.5);
        assert_eq!(p.error, None);
    }

    #[test]
    fn a_longer_session_than_the_scenario_allows_is_refused() {
        let mut p = panel();
        p.selected = p
            .rows
            .iter()
            .position(|r| r.field == "time_budget")
            .unwrap();
        p.nudge(true);
        let error = p.error.clone().expect("refused");
        assert!(error.contains("what agents observe"), "{error}");
    }
}
