//! What an Alertmanager pane holds: alerts in groups (Alertmanager's own, or regrouped by the
//! pane's `group_by` labels), each with its state (firing, silenced, inhibited) and since when it
//! fires, plus the silences. Pure: the source parses the API into [`RawAlert`]s and
//! [`Silence`]s, [`AlertGroups::build`] groups, orders and bounds them, the UI draws the result.

use std::collections::BTreeMap;

/// Most alerts a pane keeps (the rest are counted).
pub const MAX_ALERTS: usize = 500;
/// Most silences a pane keeps.
pub const MAX_SILENCES: usize = 100;

/// An alert's state in Alertmanager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AmState {
    /// Firing and notifying (`active`, or not yet processed).
    Firing,
    /// Muted by one or more silences.
    Silenced,
    /// Muted by an inhibition rule: another alert that is firing.
    Inhibited,
}

/// One alert as the API gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawAlert {
    pub fingerprint: String,
    pub labels: BTreeMap<String, String>,
    /// `summary` annotation, else `description`, else `message`.
    pub summary: String,
    /// Unix seconds.
    pub starts_at: Option<f64>,
    pub state: AmState,
    /// Ids of the silences muting it.
    pub silenced_by: Vec<String>,
    /// Fingerprints of the alerts inhibiting it.
    pub inhibited_by: Vec<String>,
    /// The labels of the Alertmanager group it came in.
    pub group_labels: BTreeMap<String, String>,
}

/// One alert as the pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedAlert {
    pub name: String,
    pub severity: String,
    pub summary: String,
    /// Labels that are neither the group's, `alertname` nor `severity`: `k=v` joined by spaces.
    pub labels: String,
    pub starts_at: Option<f64>,
    pub state: AmState,
    pub silenced_by: Vec<String>,
    /// Names (`alertname`, else a short fingerprint) of the alerts inhibiting it.
    pub inhibited_by: Vec<String>,
}

impl GroupedAlert {
    /// Whether it pages: a `critical` or `page` severity.
    pub fn is_critical(&self) -> bool {
        matches!(self.severity.as_str(), "critical" | "page")
    }
}

/// Alerts that share the grouping labels.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertGroup {
    pub labels: Vec<(String, String)>,
    pub alerts: Vec<GroupedAlert>,
}

impl AlertGroup {
    pub fn firing(&self) -> usize {
        self.alerts
            .iter()
            .filter(|a| a.state == AmState::Firing)
            .count()
    }
}

/// A silence, active or pending.
#[derive(Debug, Clone, PartialEq)]
pub struct Silence {
    pub id: String,
    /// The matchers as Alertmanager writes them: `alertname="X", job=~"a|b"`.
    pub matchers: String,
    /// `active` or `pending`.
    pub state: String,
    pub starts_at: Option<f64>,
    pub ends_at: Option<f64>,
    pub created_by: String,
    pub comment: String,
}

/// Which alerts a pane lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    /// Labels to group by; empty: Alertmanager's groups.
    pub group_by: Vec<String>,
    pub silenced: bool,
    pub inhibited: bool,
    pub silences: bool,
}

/// An Alertmanager pane's reading.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertGroups {
    /// Groups with firing alerts first, the most severe and oldest first.
    pub groups: Vec<AlertGroup>,
    /// Active and pending silences, soonest to end first (empty when the pane lists none).
    pub silences: Vec<Silence>,
    /// Every silence known, listed or not, to name what silences an alert.
    pub silence_index: BTreeMap<String, Silence>,
    pub firing: usize,
    pub silenced: usize,
    pub inhibited: usize,
    /// Alerts not listed: muted ones the pane does not list, and any past [`MAX_ALERTS`].
    pub hidden: usize,
    /// When it was read (unix seconds).
    pub at: f64,
}

/// The labels an alert is grouped by, with their values.
type GroupKey = Vec<(String, String)>;

fn severity_rank(s: &str) -> u8 {
    match s {
        "critical" | "page" => 0,
        "warning" => 1,
        _ => 2,
    }
}

impl AlertGroups {
    /// Groups, orders and bounds `alerts`; an alert that arrived in several of Alertmanager's
    /// groups (several routes matched) is listed once per group it lands in.
    pub fn build(
        alerts: Vec<RawAlert>,
        silences: Vec<Silence>,
        listing: &Listing,
        at: f64,
    ) -> AlertGroups {
        let names: BTreeMap<&str, &str> = alerts
            .iter()
            .map(|a| {
                (
                    a.fingerprint.as_str(),
                    a.labels.get("alertname").map_or("", String::as_str),
                )
            })
            .collect();
        let mut out = AlertGroups {
            at,
            ..AlertGroups::default()
        };
        let mut groups: BTreeMap<GroupKey, Vec<(String, GroupedAlert)>> = BTreeMap::new();
        for a in &alerts {
            let key: Vec<(String, String)> = if listing.group_by.is_empty() {
                a.group_labels.clone().into_iter().collect()
            } else {
                listing
                    .group_by
                    .iter()
                    .map(|l| (l.clone(), a.labels.get(l).cloned().unwrap_or_default()))
                    .collect()
            };
            let entry = groups.entry(key.clone()).or_default();
            if entry.iter().any(|(fp, _)| *fp == a.fingerprint) {
                continue;
            }
            match a.state {
                AmState::Firing => out.firing += 1,
                AmState::Silenced => out.silenced += 1,
                AmState::Inhibited => out.inhibited += 1,
            }
            let listed = match a.state {
                AmState::Firing => true,
                AmState::Silenced => listing.silenced,
                AmState::Inhibited => listing.inhibited,
            };
            if !listed {
                out.hidden += 1;
                continue;
            }
            let skip =
                |k: &str| k == "alertname" || k == "severity" || key.iter().any(|(g, _)| g == k);
            let labels = a
                .labels
                .iter()
                .filter(|(k, _)| !skip(k))
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ");
            let inhibited_by = a
                .inhibited_by
                .iter()
                .map(|fp| match names.get(fp.as_str()) {
                    Some(n) if !n.is_empty() => n.to_string(),
                    _ => format!("alert {}", fp.chars().take(8).collect::<String>()),
                })
                .collect();
            entry.push((
                a.fingerprint.clone(),
                GroupedAlert {
                    name: a.labels.get("alertname").cloned().unwrap_or_default(),
                    severity: a.labels.get("severity").cloned().unwrap_or_default(),
                    summary: a.summary.clone(),
                    labels,
                    starts_at: a.starts_at,
                    state: a.state,
                    silenced_by: a.silenced_by.clone(),
                    inhibited_by,
                },
            ));
        }
        let order = |a: &GroupedAlert| {
            (
                a.state,
                severity_rank(&a.severity),
                a.starts_at.unwrap_or(f64::MAX),
            )
        };
        let mut list: Vec<AlertGroup> = groups
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(labels, v)| {
                let mut alerts: Vec<GroupedAlert> = v.into_iter().map(|(_, a)| a).collect();
                alerts.sort_by(|a, b| {
                    order(a)
                        .partial_cmp(&order(b))
                        .unwrap_or(std::cmp::Ordering::Equal)
                });
                AlertGroup { labels, alerts }
            })
            .collect();
        // The group's rank is its first (most urgent) alert's.
        list.sort_by(|a, b| {
            order(&a.alerts[0])
                .partial_cmp(&order(&b.alerts[0]))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut room = MAX_ALERTS;
        for g in &mut list {
            if g.alerts.len() > room {
                out.hidden += g.alerts.len() - room;
                g.alerts.truncate(room);
            }
            room -= g.alerts.len();
        }
        list.retain(|g| !g.alerts.is_empty());
        out.groups = list;
        let mut live: Vec<Silence> = silences
            .into_iter()
            .filter(|s| s.state == "active" || s.state == "pending")
            .collect();
        live.sort_by(|a, b| {
            (a.state != "active", a.ends_at.unwrap_or(f64::MAX))
                .partial_cmp(&(b.state != "active", b.ends_at.unwrap_or(f64::MAX)))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        live.truncate(MAX_SILENCES);
        out.silence_index = live.iter().map(|s| (s.id.clone(), s.clone())).collect();
        if listing.silences {
            out.silences = live;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(fp: &str, name: &str, sev: &str, state: AmState, start: f64) -> RawAlert {
        let mut labels = BTreeMap::new();
        labels.insert("alertname".into(), name.into());
        labels.insert("severity".into(), sev.into());
        labels.insert("instance".into(), format!("{fp}:9100"));
        RawAlert {
            fingerprint: fp.into(),
            group_labels: [("alertname".to_string(), name.to_string())].into(),
            labels,
            summary: String::new(),
            starts_at: Some(start),
            state,
            silenced_by: Vec::new(),
            inhibited_by: Vec::new(),
        }
    }

    #[test]
    fn groups_order_firing_and_severe_first_and_name_inhibitors() {
        let mut quiet = alert("c", "Disk", "warning", AmState::Inhibited, 5.0);
        quiet.inhibited_by = vec!["a".into(), "zzzzzzzzzz".into()];
        let alerts = vec![
            quiet,
            alert("b", "Slow", "warning", AmState::Firing, 1.0),
            alert("a", "Down", "critical", AmState::Firing, 3.0),
            alert("d", "Down", "critical", AmState::Silenced, 2.0),
        ];
        let listing = Listing {
            silenced: true,
            inhibited: true,
            silences: true,
            ..Listing::default()
        };
        let g = AlertGroups::build(alerts.clone(), Vec::new(), &listing, 10.0);
        let names: Vec<&str> = g.groups.iter().map(|g| g.labels[0].1.as_str()).collect();
        assert_eq!(names, ["Down", "Slow", "Disk"]);
        assert_eq!(
            g.groups[0].alerts[0].state,
            AmState::Firing,
            "firing before silenced"
        );
        assert_eq!(g.groups[0].alerts[0].labels, "instance=a:9100");
        assert_eq!(
            g.groups[2].alerts[0].inhibited_by,
            ["Down", "alert zzzzzzzz"]
        );
        assert_eq!((g.firing, g.silenced, g.inhibited, g.hidden), (2, 1, 1, 0));

        let by_sev = Listing {
            group_by: vec!["severity".into()],
            ..listing.clone()
        };
        let g = AlertGroups::build(alerts.clone(), Vec::new(), &by_sev, 10.0);
        assert_eq!(g.groups.len(), 2);
        assert_eq!(
            g.groups[0].labels,
            [("severity".to_string(), "critical".to_string())]
        );
        assert_eq!(g.groups[0].alerts.len(), 2);
        assert_eq!(g.groups[0].alerts[0].labels, "instance=a:9100");

        let firing_only = Listing::default();
        let g = AlertGroups::build(alerts, Vec::new(), &firing_only, 10.0);
        assert_eq!(g.groups.iter().map(|g| g.alerts.len()).sum::<usize>(), 2);
        assert_eq!(g.hidden, 2, "muted alerts are counted, not listed");
    }

    #[test]
    fn silences_keep_live_ones_soonest_first_and_alerts_are_bounded() {
        let s = |id: &str, state: &str, end: f64| Silence {
            id: id.into(),
            matchers: String::new(),
            state: state.into(),
            starts_at: None,
            ends_at: Some(end),
            created_by: String::new(),
            comment: String::new(),
        };
        let listing = Listing {
            silences: true,
            ..Listing::default()
        };
        let many: Vec<RawAlert> = (0..MAX_ALERTS + 7)
            .map(|i| alert(&i.to_string(), "X", "", AmState::Firing, i as f64))
            .collect();
        let g = AlertGroups::build(
            many,
            vec![
                s("1", "expired", 1.0),
                s("2", "pending", 2.0),
                s("3", "active", 9.0),
                s("4", "active", 5.0),
            ],
            &listing,
            0.0,
        );
        let ids: Vec<&str> = g.silences.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["4", "3", "2"]);
        assert_eq!(g.groups[0].alerts.len(), MAX_ALERTS);
        assert_eq!(g.hidden, 7);
    }
}
