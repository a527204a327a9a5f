use super::*;
use crate::drill::{Action, Drill, Input};
use crate::scenario::bundled;

fn bad_deploy() -> std::sync::Arc<crate::scenario::Scenario> {
    bundled()
        .into_iter()
        .find(|e| e.scenario.meta.id == "bad-deploy")
        .unwrap()
        .scenario
}

/// A short drill of bad-deploy with a hostile seat name and note.
fn drill() -> Drill {
    let mut d = Drill::new(bad_deploy(), 1);
    d.apply(&Input::new(
        0,
        Action::Join {
            name: "<script>alert(1)</script>".into(),
            role: None,
        },
    ));
    for _ in 0..20 {
        d.apply(&Input::new(0, Action::Tick));
    }
    d.apply(&Input::new(
        0,
        Action::Cue {
            cue: d.scenario.cues[0].id.clone(),
        },
    ));
    d.apply(&Input::new(
        0,
        Action::Note {
            text: "TODO: fix \"quotes\" & <b>tags</b> 'here'".into(),
        },
    ));
    for _ in 0..10 {
        d.apply(&Input::new(0, Action::Tick));
    }
    d
}

#[test]
fn escapes_markup_quotes_and_control_characters() {
    assert_eq!(
        esc("<a href=\"x\">'&'</a>\u{1b}[31m"),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\\u{1b}[31m"
    );
}

#[test]
fn untrusted_text_never_becomes_markup() {
    let page = html(&crate::debrief::build(&drill(), &[]));
    // The only script is the page's own, in the head.
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("fix &quot;quotes&quot; &amp; &lt;b&gt;tags&lt;/b&gt; &#39;here&#39;"));
    assert!(!page.contains("<b>tags"));
}

#[test]
fn the_page_is_self_contained() {
    let page = html(&crate::debrief::build(&drill(), &[]));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("default-src 'none'"), "fetches are forbidden");
    for outside in ["http://", "https://", "src=", "@import", "url("] {
        let uses: Vec<_> = page
            .match_indices(outside)
            .map(|(i, _)| &page[i.saturating_sub(40)..(i + 60).min(page.len())])
            // The SVG namespace is a name, never fetched.
            .filter(|s| !s.contains("http://www.w3.org/2000/svg"))
            .collect();
        assert!(uses.is_empty(), "{outside}: {uses:?}");
    }
    assert!(page.contains("@media print") && page.contains("break-inside: avoid"));
    assert!(page.trim_end().ends_with("</html>"));
}

#[test]
fn one_chart_a_signal_with_band_budget_alerts_and_marks() {
    let d = drill();
    let report = crate::debrief::build(&d, &[]);
    let page = html(&report);
    let s = &d.scenario;
    // The lanes, then one chart a signal.
    assert_eq!(
        page.matches("<svg class=\"chart\"").count(),
        1 + s.signals.len()
    );
    assert_eq!(
        page.matches("<polyline class=\"value\"").count(),
        s.signals.len()
    );
    let with_slo = s.signals.iter().filter(|x| x.slo.is_some()).count();
    assert!(with_slo > 0);
    assert_eq!(page.matches("<polyline class=\"budget\"").count(), with_slo);
    assert!(page.matches("<rect class=\"healthy\"").count() >= 1);
    // 31 beats, every one a point.
    let first = page
        .split("<polyline class=\"value\" points=\"")
        .nth(1)
        .unwrap();
    let points = first.split('"').next().unwrap();
    assert_eq!(points.split(' ').count(), 31);
    assert!(
        !report.alerts.is_empty(),
        "bad-deploy pages within 20 beats"
    );
    assert!(page.contains("class=\"alert sev-page\""));
    assert!(page.contains("class=\"alert-span sev-page\""));
    assert!(page.contains("<line class=\"mark\""), "detected is marked");
    assert!(page.contains("<circle class=\"cue\""));
    assert!(page.contains("<rect class=\"inject\""));
    assert!(
        page.contains("cues · &lt;script&gt;"),
        "a lane per seat that cued"
    );
}

#[test]
fn a_ghost_adds_its_marks_and_cues() {
    let d = drill();
    let mut report = crate::debrief::build(&d, &[]);
    assert!(!html(&report).contains("class=\"ghost\""));
    let g = crate::record::Ghost::from_drill(&d);
    report.ghost = Some(crate::debrief::GhostRow::new("expert<1>", &g));
    let page = html(&report);
    assert!(page.contains("<line class=\"ghost\""));
    assert!(page.contains("<circle class=\"ghost-cue\""));
    assert!(page.contains("expert&lt;1&gt;"));
    assert!(page.contains("<th>reference (beat)</th>"));
}

#[test]
fn every_bundled_scenario_renders() {
    for e in bundled() {
        let mut d = Drill::new(e.scenario.clone(), 3);
        for _ in 0..e.scenario.length_beats.min(300) {
            d.apply(&Input::new(0, Action::Tick));
        }
        let page = html(&crate::debrief::build(&d, &[]));
        assert_eq!(
            page.matches("<svg class=\"chart\"").count(),
            1 + e.scenario.signals.len(),
            "{}",
            e.scenario.meta.id
        );
        assert!(
            !page.contains("NaN") && !page.contains("inf\""),
            "{}",
            e.scenario.meta.id
        );
    }
}

#[test]
fn an_overspent_budget_shows_where_it_ran_out() {
    let mut report = crate::debrief::build(&drill(), &[]);
    assert!(
        !html(&report).contains("<line class=\"budget-zero\""),
        "within budget"
    );
    let t = report
        .signals
        .iter_mut()
        .find(|t| !t.budget_left.is_empty())
        .unwrap();
    t.budget_left = vec![1.0, 0.2, -0.5];
    let page = html(&report);
    assert!(page.contains("<line class=\"budget-zero\""));
    assert!(page.contains(">-50%</text>"), "the floor is labelled");
}

#[test]
fn a_long_line_keeps_each_slices_extremes_and_stays_small() {
    let axis = chart::tests_axis(10_000);
    let mut values = vec![1.0f32; 10_001];
    values[4_321] = 99.0;
    let points = chart::tests_polyline(&values, &axis);
    let n = points.split(' ').count();
    assert!(n <= 1600, "{n} points");
    // The spike is kept, at its own beat.
    let spike = format!("{:.1},99.0", chart::tests_x(&axis, 4_321));
    assert!(
        points.contains(&spike),
        "the spike is drawn at its own beat"
    );
    let short = chart::tests_polyline(&values[..40], &chart::tests_axis(39));
    assert_eq!(
        short.split(' ').count(),
        40,
        "a short line keeps every beat"
    );
}
