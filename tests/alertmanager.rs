//! The Alertmanager pane against a real Alertmanager (Debian's `prometheus-alertmanager`) that
//! a real Prometheus sends alerts to: rules that always fire at a 1 s evaluation interval, an
//! inhibition rule, and a silence created through Alertmanager's API. Also an Alertmanager
//! behind basic auth, whose errors read as Prometheus' do.

mod common;

use common::peers::{Alertmanager, PromSetup, Prometheus, agent};
use common::{vista_config, wait_pane};
use gamelan::vista::alert_groups::{AlertGroups, AmState};
use gamelan::vista::{self, PaneState, Status};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const RULES: &str = r#"      - alert: Inhibited
        expr: vector(1) > 0
        labels:
          severity: warning
          team: core
        annotations:
          summary: "muted while AlwaysFiring fires"
      - alert: Silenced
        expr: vector(1) > 0
        labels:
          severity: ticket
          team: core
"#;

const AM_CONFIG: &str = r#"route:
  receiver: "null"
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: "null"
inhibit_rules:
  - source_matchers: ['alertname="AlwaysFiring"']
    target_matchers: ['alertname="Inhibited"']
    equal: [team]
"#;

fn groups(s: &PaneState) -> Option<&AlertGroups> {
    s.alert_groups.as_ref()
}

fn state_of(s: &PaneState, name: &str) -> Option<AmState> {
    groups(s)?
        .groups
        .iter()
        .flat_map(|g| &g.alerts)
        .find(|a| a.name == name)
        .map(|a| a.state)
}

/// Creates a silence through the API and returns its id.
fn silence(am: &Alertmanager, alertname: &str, comment: &str) -> String {
    let now = gamelan::clock::now_unix();
    let body = serde_json::json!({
        "matchers": [{"name": "alertname", "value": alertname, "isRegex": false, "isEqual": true}],
        "startsAt": gamelan::clock::format_rfc3339(now - 1.0),
        "endsAt": gamelan::clock::format_rfc3339(now + 3600.0),
        "createdBy": "gamelan-test",
        "comment": comment,
    });
    let mut r = agent(None)
        .post(&format!("{}/api/v2/silences", am.url()))
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .unwrap();
    let text = r.body_mut().read_to_string().unwrap();
    assert_eq!(r.status(), 200, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["silenceID"].as_str().unwrap().to_string()
}

fn screen(h: &vista::VistaHandle, id: &str, now: f64) -> String {
    let snap = h.snapshot();
    let pane = snap.pane(id).unwrap();
    let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
    let theme = gamelan::ui::theme::Theme::default();
    let area = buf.area;
    gamelan::ui::vista::draw_pane(&mut buf, area, pane, now, true, &theme);
    (0..24)
        .map(|y| (0..80).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_silences_inhibitions_and_ages_from_a_real_alertmanager() {
    let Some(am) = Alertmanager::start(AM_CONFIG) else {
        return;
    };
    let Some(prom) = Prometheus::start_with(PromSetup {
        rules: RULES.into(),
        alertmanagers: vec![am.server.port],
        ..PromSetup::default()
    }) else {
        return;
    };
    let id = silence(&am, "Silenced", "planned maintenance");
    let cfg = vista_config(&format!(
        r#"
[vista]
refresh = "300ms"
alertmanager = "{url}"

[[panes]]
id = "am"
source = {{ type = "alertmanager" }}

[[panes]]
id = "sev"
source = {{ type = "alertmanager", group_by = ["severity"] }}

[[panes]]
id = "quiet"
source = {{ type = "alertmanager", silenced = false, inhibited = false, silences = false }}

[[panes]]
id = "page"
source = {{ type = "alertmanager", filter = ['severity="page"'] }}

[[panes]]
id = "bad"
source = {{ type = "alertmanager", filter = ['alertname=~"("'] }}

[[panes]]
id = "notam"
source = {{ type = "alertmanager", url = "{prom}" }}
"#,
        url = am.url(),
        prom = prom.url()
    ));
    let h = vista::spawn(&cfg);
    let s = wait_pane(&h, "am", "firing, silenced and inhibited alerts", |s| {
        state_of(s, "AlwaysFiring") == Some(AmState::Firing)
            && state_of(s, "Silenced") == Some(AmState::Silenced)
            && state_of(s, "Inhibited") == Some(AmState::Inhibited)
    })
    .await;
    let g = groups(&s).unwrap();
    assert_eq!((g.firing, g.silenced, g.inhibited, g.hidden), (1, 1, 1, 0));
    // Alertmanager's route groups by alertname; the firing group comes first.
    assert_eq!(g.groups.len(), 3);
    assert_eq!(
        g.groups[0].labels,
        [("alertname".to_string(), "AlwaysFiring".to_string())]
    );
    let firing = &g.groups[0].alerts[0];
    assert_eq!(firing.severity, "page");
    assert_eq!(firing.summary, "always firing, for the vista test");
    assert!(firing.labels.contains("team=core"), "{}", firing.labels);
    let started = firing.starts_at.unwrap();
    let now = gamelan::clock::now_unix();
    assert!(
        started <= now && now - started < 60.0,
        "fires since {started}, now {now}"
    );
    let all: Vec<_> = g.groups.iter().flat_map(|g| &g.alerts).collect();
    let silenced = all.iter().find(|a| a.name == "Silenced").unwrap();
    assert_eq!(silenced.silenced_by, [id.as_str()]);
    let inhibited = all.iter().find(|a| a.name == "Inhibited").unwrap();
    assert_eq!(inhibited.inhibited_by, ["AlwaysFiring"]);
    assert_eq!(g.silences.len(), 1);
    assert_eq!(g.silences[0].id, id);
    assert_eq!(g.silences[0].matchers, r#"alertname="Silenced""#);
    assert_eq!(g.silences[0].state, "active");

    // As drawn: the age of the firing, who silenced what and why, what inhibits what.
    let text = screen(&h, "am", started + 125.0);
    for needle in [
        "▲ 1 firing · 1 silenced · 1 inhibited",
        "alertname=AlwaysFiring",
        "▲ AlwaysFiring page team=core",
        "firing 2m",
        "silenced by gamelan-test: planned maintenance, ends in 5",
        "inhibited by AlwaysFiring",
        "✕ alertname=\"Silenced\" · gamelan-test: planned maintenance",
    ] {
        assert!(text.contains(needle), "`{needle}` not on the pane:\n{text}");
    }

    let s = wait_pane(&h, "sev", "groups by severity", |s| {
        groups(s).is_some_and(|g| g.groups.len() == 3 && g.firing == 1)
    })
    .await;
    let labels: Vec<_> = groups(&s)
        .unwrap()
        .groups
        .iter()
        .map(|g| g.labels.clone())
        .collect();
    assert_eq!(labels[0], [("severity".to_string(), "page".to_string())]);
    let s = wait_pane(&h, "quiet", "muted alerts counted only", |s| {
        groups(s).is_some_and(|g| g.hidden == 2)
    })
    .await;
    let g = groups(&s).unwrap();
    assert!(g.silences.is_empty() && g.groups.len() == 1, "{g:?}");
    let s = wait_pane(&h, "page", "the filtered alerts", |s| {
        groups(s).is_some_and(|g| g.firing == 1)
    })
    .await;
    assert_eq!(
        groups(&s).unwrap().silenced + groups(&s).unwrap().inhibited,
        0
    );
    let s = wait_pane(&h, "bad", "Alertmanager's refusal of a bad matcher", |s| {
        s.status == Status::Error
    })
    .await;
    let m = &s.current_error().unwrap().message;
    assert!(m.starts_with("Alertmanager HTTP 400 from"), "{m}");
    let s = wait_pane(&h, "notam", "a Prometheus taken for an Alertmanager", |s| {
        s.status == Status::Error
    })
    .await;
    let m = &s.current_error().unwrap().message;
    assert!(
        m.contains("HTTP 404") && m.contains("is it an Alertmanager with API v2"),
        "{m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alertmanager_behind_basic_auth_says_what_is_wrong() {
    let hash = bcrypt::hash("s3cret", 4).unwrap();
    let Some(am) = Alertmanager::start_with(
        AM_CONFIG,
        Some(&format!("basic_auth_users:\n  ops: '{hash}'\n")),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    std::fs::write(&good, "s3cret\n").unwrap();
    let wrong = dir.path().join("wrong");
    std::fs::write(&wrong, "nope\n").unwrap();
    let ds = |name: &str, file: &std::path::Path| {
        format!(
            "[datasource.{name}]\ntype = \"alertmanager\"\nurl = \"{}\"\nbasic_auth = {{ username = \"ops\", password_file = \"{}\" }}\n\n",
            am.url(),
            file.display()
        )
    };
    let src = format!(
        "[vista]\nrefresh = \"300ms\"\n\n{}{}[[panes]]\nid = \"good\"\nsource = {{ type = \"alertmanager\", datasource = \"good\" }}\n\n[[panes]]\nid = \"wrong\"\nsource = {{ type = \"alertmanager\", datasource = \"wrong\" }}\n",
        ds("good", &good),
        ds("wrong", &wrong)
    );
    let h = vista::spawn(&vista_config(&src));
    let s = wait_pane(&h, "good", "an answer through basic auth", |s| {
        s.status == Status::Ok
    })
    .await;
    assert_eq!(groups(&s).unwrap().firing, 0);
    let s = wait_pane(&h, "wrong", "a 401", |s| s.status == Status::Error).await;
    let m = &s.current_error().unwrap().message;
    assert!(
        m.starts_with(&format!("HTTP 401 Unauthorized from {}", am.url()))
            && m.contains("refused user `ops` with the password from the file")
            && m.contains("(datasource `wrong`)"),
        "{m}"
    );
}
