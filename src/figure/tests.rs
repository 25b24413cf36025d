//! Figures from a small synthetic report: SVG pinned by a snapshot, PNG decoded, bad input
//! named.

use super::*;

/// Two agents, four blocks; the bandit's satisfaction falls while SlateQ's return climbs.
fn report_json() -> String {
    let point = |e: u64, r: f64, sat: f64| {
        format!(
            r#"{{"episode": {e}, "mean_return": {r}, "ci95": [{lo}, {hi}], "myopic_rate": 0.5,
            "ctr": 0.4, "mean_engagement": {eng}, "mean_satisfaction": {sat},
            "final_satisfaction": {sat}, "env_steps": {steps}, "epsilon": null,
            "td_loss": null, "mean_q": null, "confidence_width": null}}"#,
            lo = r - 1.0,
            hi = r + 1.0,
            eng = 2.0 * r,
            steps = e * 10,
        )
    };
    let agent = |name: &str, points: &[String]| {
        let eval = if name == "slateq" {
            r#"{"mean_return": 14.0, "return_ci95": [12.5, 15.5], "ctr": 0.4,
                "mean_engagement": 28.0, "mean_satisfaction": 0.5}"#
        } else {
            r#"{"mean_return": 10.0, "return_ci95": [9.0, 11.0], "ctr": 0.5,
                "mean_engagement": 20.0, "mean_satisfaction": null}"#
        };
        format!(
            r#"{{"name": "{name}", "agent": "{name}", "curve": [{}], "eval": {eval}}}"#,
            points.join(",")
        )
    };
    let linucb: Vec<_> = (1..=4)
        .map(|i| point(i * 25, 10.0, 0.5 - 0.1 * i as f64))
        .collect();
    let slateq: Vec<_> = (1..=4)
        .map(|i| point(i * 25, 5.0 + 2.0 * i as f64, 0.5))
        .collect();
    format!(
        r#"{{"scenario": "choc-kale", "seed": 1, "agents": [{}, {}]}}"#,
        agent("linucb", &linucb),
        agent("slateq", &slateq)
    )
}

fn options(metric: MetricChoice) -> PlotOptions {
    PlotOptions {
        kind: Kind::Curves,
        metric,
        x: XAxis::Episodes,
        agents: Vec::new(),
        title: None,
        size: (640, 400),
    }
}

fn report() -> ReportCurves {
    ReportCurves::parse(report_json().as_bytes()).unwrap()
}

#[test]
fn the_return_figure_is_a_stable_svg() {
    let svg = render(&report(), &options(MetricChoice::Return), ImageFormat::Svg).unwrap();
    let again = render(&report(), &options(MetricChoice::Return), ImageFormat::Svg).unwrap();
    assert_eq!(svg, again, "deterministic");
    let svg = String::from_utf8(svg).unwrap();
    // Each agent in its dashboard colour: linucb is the first lane (yellow), slateq the second.
    assert!(
        svg.contains("#D4A000") && svg.contains("#00A5B5"),
        "palette colours"
    );
    insta::assert_snapshot!("return_svg", svg);
}

#[test]
fn reference_levels_are_dashed_grey_lines_and_close_ones_share_a_label() {
    let mut report = report();
    let level = |label: &str, ret: f64| input::ReferenceLevel {
        label: label.into(),
        mean_return: ret,
        mean_satisfaction: f64::NAN,
        mean_engagement: 2.0 * ret,
        ctr: 0.4,
    };
    report.references = vec![
        level("random", 9.0),
        level("oracle", 20.0),
        level("sweetest", 9.01),
    ];
    let svg = render(&report, &options(MetricChoice::Return), ImageFormat::Svg).unwrap();
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.contains("#707070"), "grey");
    assert!(svg.contains("random / sweetest"), "joined label");
    assert!(svg.contains(">\noracle\n<"), "its own label");
    insta::assert_snapshot!("return_with_references_svg", svg);
    // Undefined levels (satisfaction here) draw nothing, and the panel still draws.
    let svg = render(
        &report,
        &options(MetricChoice::Satisfaction),
        ImageFormat::Svg,
    )
    .unwrap();
    assert!(!String::from_utf8(svg).unwrap().contains("#707070"));
}

#[test]
fn all_draws_the_four_panels_with_their_dashboard_titles() {
    let svg = render(&report(), &options(MetricChoice::All), ImageFormat::Svg).unwrap();
    let svg = String::from_utf8(svg).unwrap();
    for title in [
        "Return per episode",
        "Long-term satisfaction",
        "Engagement per episode",
        "CTR (clicks per step)",
    ] {
        assert!(svg.contains(title), "{title}");
    }
}

#[test]
fn a_png_decodes_to_the_asked_size_with_drawn_text_and_lines() {
    let bytes = render(&report(), &options(MetricChoice::Return), ImageFormat::Png).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (640, 400));
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(3).collect();
    let count = |rgb: [u8; 3]| pixels.iter().filter(|p| **p == rgb).count();
    // Lines in both agents' colours, and dark text (glyphs from the embedded font).
    assert!(count([0xd4, 0xa0, 0x00]) > 100, "linucb's line");
    assert!(count([0x00, 0xa5, 0xb5]) > 100, "slateq's line");
    assert!(
        pixels.iter().filter(|p| p.iter().all(|&c| c < 60)).count() > 200,
        "text"
    );
}

#[test]
fn agents_select_and_keep_their_colours() {
    let mut opts = options(MetricChoice::Return);
    opts.agents = vec!["slateq".into()];
    let svg = String::from_utf8(render(&report(), &opts, ImageFormat::Svg).unwrap()).unwrap();
    assert!(svg.contains("#00A5B5") && !svg.contains("#D4A000"));
    opts.agents = vec!["dqn".into()];
    let err = render(&report(), &opts, ImageFormat::Svg).unwrap_err();
    assert!(
        err.0.contains("no agent `dqn`") && err.0.contains("linucb, slateq"),
        "{err}"
    );
}

#[test]
fn bad_input_is_named_by_position_and_field() {
    let err =
        ReportCurves::parse(b"{\"scenario\": \"x\", \"seed\": 1,\n \"agents\": [{\"name\": 3}]}")
            .unwrap_err();
    assert!(err.starts_with("2:"), "{err}");
    assert!(err.contains("agents[0].name"), "{err}");
    let err = ReportCurves::parse(b"{\"name\": \"a\"}").unwrap_err();
    assert!(err.contains("missing field `scenario`"), "{err}");
    let err =
        ReportCurves::parse(b"{\"scenario\": \"x\", \"seed\": 1, \"agents\": []}").unwrap_err();
    assert!(err.contains("no agents"), "{err}");
}

#[test]
fn steps_need_a_report_that_has_them() {
    let old = report_json().replace("\"env_steps\"", "\"old_steps\"");
    let report = ReportCurves::parse(old.as_bytes()).unwrap();
    let mut opts = options(MetricChoice::Return);
    opts.x = XAxis::Steps;
    let err = render(&report, &opts, ImageFormat::Svg).unwrap_err();
    assert!(err.0.contains("env_steps"), "{err}");
    opts.x = XAxis::Episodes;
    assert!(render(&report, &opts, ImageFormat::Svg).is_ok());
}

#[test]
fn bars_draw_evaluation_means_with_whiskers() {
    let mut opts = options(MetricChoice::Return);
    opts.kind = Kind::Bars;
    let svg = render(&report(), &opts, ImageFormat::Svg).unwrap();
    assert_eq!(svg, render(&report(), &opts, ImageFormat::Svg).unwrap());
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.contains("Return per episode (evaluation)"));
    assert!(
        svg.contains(">\nlinucb\n<") && svg.contains(">\nslateq\n<"),
        "names under the bars"
    );
    insta::assert_snapshot!("return_bars_svg", svg);
    // A figure no agent has: satisfaction is null for linucb, drawn for slateq only.
    opts.metric = MetricChoice::Satisfaction;
    let svg = String::from_utf8(render(&report(), &opts, ImageFormat::Svg).unwrap()).unwrap();
    assert!(svg.contains("Long-term satisfaction (evaluation)"));
}

#[test]
fn bars_need_an_evaluated_report() {
    let json = report_json().replace("\"eval\":", "\"not_eval\":");
    let report = ReportCurves::parse(json.as_bytes()).unwrap();
    let mut opts = options(MetricChoice::Return);
    opts.kind = Kind::Bars;
    let err = render(&report, &opts, ImageFormat::Svg).unwrap_err();
    assert!(err.0.contains("--eval-episodes"), "{err}");
}

/// The synthetic report as if its users came from two segments, `slateq` meeting both and
/// `linucb` only the first.
fn segmented_report() -> ReportCurves {
    let json = report_json()
        .replace(
            r#""seed": 1,"#,
            r#""seed": 1, "segments": ["sensitive", "robust"],"#,
        )
        .replace(
            r#""mean_satisfaction": 0.5}"#,
            r#""mean_satisfaction": 0.5, "segments": [
                {"segment": 0, "mean_return": 12.0, "ci95": [11.0, 13.0]},
                {"segment": 1, "mean_return": 16.0, "ci95": [15.0, 17.0]}]}"#,
        )
        .replace(
            r#""mean_satisfaction": null}"#,
            r#""mean_satisfaction": null, "segments": [
                {"segment": 0, "mean_return": 10.0, "ci95": [null, null]}]}"#,
        );
    ReportCurves::parse(json.as_bytes()).unwrap()
}

#[test]
fn segment_bars_group_each_segment_with_one_bar_per_agent() {
    let mut opts = options(MetricChoice::Return);
    opts.kind = Kind::Segments;
    let svg = render(&segmented_report(), &opts, ImageFormat::Svg).unwrap();
    assert_eq!(
        svg,
        render(&segmented_report(), &opts, ImageFormat::Svg).unwrap()
    );
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.contains("Return per segment (evaluation)"));
    assert!(svg.contains(">\nsensitive\n<") && svg.contains(">\nrobust\n<"));
    // Three bars (linucb met no robust user) in the agents' colours.
    let bars = svg.matches("fill=\"#D4A000\"").count() + svg.matches("fill=\"#00A5B5\"").count();
    assert!(bars >= 3, "{bars} filled shapes");
    insta::assert_snapshot!("segments_svg", svg);
}

#[test]
fn segment_bars_need_a_mixed_population() {
    let mut opts = options(MetricChoice::Return);
    opts.kind = Kind::Segments;
    let err = render(&report(), &opts, ImageFormat::Svg).unwrap_err();
    assert!(err.0.contains("needs a mixed population"), "{err}");
    let wrong = report_json().replace(r#""seed": 1,"#, r#""seed": 1, "segments": ["a", "b"],"#).replace(
        r#""mean_satisfaction": null}"#,
        r#""mean_satisfaction": null, "segments": [{"segment": 5, "mean_return": 1.0, "ci95": [0.0, 2.0]}]}"#,
    );
    let err = render(
        &ReportCurves::parse(wrong.as_bytes()).unwrap(),
        &opts,
        ImageFormat::Svg,
    )
    .unwrap_err();
    assert!(err.0.contains("segment 5 is not among"), "{err}");
}

/// The synthetic report with a shift at episode 50 (inside the curves) and one at 500 (past
/// their end).
fn shifted_report() -> ReportCurves {
    let json = report_json().replacen(
        "{\"scenario\"",
        r#"{"shifts": [{"episode": 50, "description": "share a 0.3 → 0.7"},
            {"episode": 500, "description": "later"}], "scenario""#,
        1,
    );
    ReportCurves::parse(json.as_bytes()).unwrap()
}

#[test]
fn shifts_are_dashed_vertical_lines_labelled_with_their_episode() {
    let opts = options(MetricChoice::Return);
    let svg =
        String::from_utf8(render(&shifted_report(), &opts, ImageFormat::Svg).unwrap()).unwrap();
    let plain = String::from_utf8(render(&report(), &opts, ImageFormat::Svg).unwrap()).unwrap();
    assert_eq!(svg.matches("shift @50").count(), 1, "one label per panel");
    assert!(
        !svg.contains("shift @500"),
        "a shift past the curves is not drawn"
    );
    assert!(!plain.contains("shift @"));
    // Dashes: short grey segments from the bottom of the plot to its top.
    let dashes = |svg: &str| {
        svg.matches("<polyline fill=\"none\" opacity=\"0.6\"")
            .count()
    };
    assert!(dashes(&svg) > 10 && dashes(&plain) == 0, "{}", dashes(&svg));
    insta::assert_snapshot!("return_shift_svg", svg);
    // With steps on x the line sits at the steps the first agent had run after 50 episodes.
    let mut steps = opts;
    steps.x = XAxis::Steps;
    let svg =
        String::from_utf8(render(&shifted_report(), &steps, ImageFormat::Svg).unwrap()).unwrap();
    assert!(svg.contains("shift @50"));
    let agent = &shifted_report().agents[0];
    assert_eq!(draw::steps_at(agent, 50), Some(500.0));
    assert_eq!(draw::steps_at(agent, 60), Some(600.0));
    assert_eq!(draw::steps_at(agent, 10), Some(100.0));
    assert_eq!(draw::steps_at(agent, 101), None);
}

#[test]
fn every_panel_of_all_draws_the_shift() {
    let svg = render(
        &shifted_report(),
        &options(MetricChoice::All),
        ImageFormat::Svg,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(svg).unwrap().matches("shift @50").count(),
        4
    );
}
