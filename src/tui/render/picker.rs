//! The agent picker (`a`, `Enter`) and the scenario picker (`s`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState};

use super::popup::{centered, window};
use super::theme;
use crate::agent::AgentSpec;
use crate::tui::app::{App, PickPurpose, Picker, ScenarioChoice};

pub(super) fn agents(
    app: &App,
    picker: &Picker<AgentSpec>,
    purpose: PickPurpose,
    area: Rect,
    frame: &mut Frame,
) {
    let title = match purpose {
        PickPurpose::Add if app.multi_seed() => format!(
            " Add a lane per seed ({}) · ⏎ add · esc cancel ",
            app.session.seeds.len()
        ),
        PickPurpose::Add => " Add a lane · ⏎ add · esc cancel ".to_owned(),
        PickPurpose::Switch(id) => {
            let label = app
                .lanes
                .iter()
                .find(|l| l.id == id)
                .map_or("?", |l| l.spec.label.as_str());
            format!(" Switch {label} to (restarts it on the same users) · ⏎ switch · esc cancel ")
        }
    };
    let items = picker
        .items
        .iter()
        .map(|a| {
            let info = a.info();
            let mut flags = Vec::new();
            if info.learns {
                flags.push("learns");
            }
            if info.oracle {
                flags.push("oracle");
            }
            ListItem::new(Line::from(vec![
                Span::styled(format!("{:<16}", info.name), theme::title()),
                Span::styled(format!("{:<14}", flags.join(", ")), theme::dim()),
                Span::raw(info.description),
            ]))
        })
        .collect();
    show(frame, area, title, items, picker.selected);
}

pub(super) fn scenarios(picker: &Picker<ScenarioChoice>, area: Rect, frame: &mut Frame) {
    let items = picker
        .items
        .iter()
        .map(|c| {
            let origin = if c.builtin { "built-in" } else { "file" };
            ListItem::new(Line::from(vec![
                Span::styled(format!("{origin:<10}"), theme::dim()),
                Span::styled(c.source.clone(), theme::title()),
            ]))
        })
        .collect();
    let title = " Load a scenario (the lanes restart) · ⏎ load · esc cancel ".to_owned();
    show(frame, area, title, items, picker.selected);
}

fn show(frame: &mut Frame, area: Rect, title: String, items: Vec<ListItem>, selected: usize) {
    let height = (items.len() as u16 + 2).clamp(3, area.height.saturating_sub(4).max(3));
    let rect = centered(area, (area.width * 9 / 10).min(120), height);
    let inner = window(frame, rect, Line::from(Span::styled(title, theme::title())));
    let list = List::new(items)
        .highlight_symbol("▸ ")
        .highlight_style(Style::new().add_modifier(Modifier::REVERSED));
    let mut state = ListState::default().with_selected(Some(selected));
    frame.render_stateful_widget(list, inner, &mut state);
}
