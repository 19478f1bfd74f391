//! Warnings before a deadline and breaches at it: which are due now, which comes next, and
//! which have already fired (so each fires once per deadline, even when a deadline moves).

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{SlaClock, Target};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    Warning,
    Breach,
}

/// One alert that is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub target: Target,
    pub kind: AlertKind,
    /// The deadline it is about.
    pub due: Timestamp,
}

/// Which alerts fired, each remembered with the deadline it was for: when the deadline moves,
/// the record no longer matches and the alert can fire again for the new deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredAlerts(BTreeMap<String, Timestamp>);

fn key(target: Target, kind: AlertKind) -> String {
    let t = match target {
        Target::FirstResponse => "first_response",
        Target::NextResponse => "next_response",
        Target::Resolution => "resolution",
    };
    let k = match kind {
        AlertKind::Warning => "warning",
        AlertKind::Breach => "breach",
    };
    format!("{t}:{k}")
}

impl FiredAlerts {
    pub fn has_fired(&self, alert: &Alert) -> bool {
        self.0.get(&key(alert.target, alert.kind)) == Some(&alert.due)
    }

    pub fn record(&mut self, alert: &Alert) {
        self.0.insert(key(alert.target, alert.kind), alert.due);
    }
}

/// Every (alert, moment it is due) for the running deadlines; none while paused.
fn candidates(clock: &SlaClock, warn_before: Option<SignedDuration>) -> Vec<(Alert, Timestamp)> {
    if clock.paused_since.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (target, due) in [
        (Target::FirstResponse, clock.first_response_due),
        (Target::NextResponse, clock.next_response_due),
        (Target::Resolution, clock.resolution_due),
    ] {
        let Some(due) = due else { continue };
        if let Some(w) = warn_before.filter(|w| w.is_positive()) {
            let at = due.checked_sub(w).unwrap_or(due);
            out.push((
                Alert {
                    target,
                    kind: AlertKind::Warning,
                    due,
                },
                at,
            ));
        }
        out.push((
            Alert {
                target,
                kind: AlertKind::Breach,
                due,
            },
            due,
        ));
    }
    out
}

/// Alerts due at `now` that have not fired, warnings before breaches.
pub fn due_alerts(
    clock: &SlaClock,
    warn_before: Option<SignedDuration>,
    fired: &FiredAlerts,
    now: Timestamp,
) -> Vec<Alert> {
    let mut due: Vec<Alert> = candidates(clock, warn_before)
        .into_iter()
        .filter(|(a, at)| *at <= now && !fired.has_fired(a))
        .map(|(a, _)| a)
        .collect();
    due.sort_by_key(|a| (a.kind, a.due));
    // A warning is pointless once its deadline has passed: the breach says more.
    let breached: Vec<(Target, Timestamp)> = due
        .iter()
        .filter(|a| a.kind == AlertKind::Breach)
        .map(|a| (a.target, a.due))
        .collect();
    due.retain(|a| a.kind == AlertKind::Breach || !breached.contains(&(a.target, a.due)));
    due
}

/// When the next alert that has not fired falls due.
pub fn next_alert_at(
    clock: &SlaClock,
    warn_before: Option<SignedDuration>,
    fired: &FiredAlerts,
) -> Option<Timestamp> {
    candidates(clock, warn_before)
        .into_iter()
        .filter(|(a, _)| !fired.has_fired(a))
        .map(|(_, at)| at)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn clock() -> SlaClock {
        SlaClock {
            first_response_due: Some(t("2026-11-23T10:00:00Z")),
            resolution_due: Some(t("2026-11-23T17:00:00Z")),
            ..Default::default()
        }
    }

    #[test]
    fn warnings_come_before_their_deadline_and_fire_once() {
        let warn = Some(SignedDuration::from_mins(30));
        let mut fired = FiredAlerts::default();
        assert_eq!(
            next_alert_at(&clock(), warn, &fired),
            Some(t("2026-11-23T09:30:00Z"))
        );
        let now = t("2026-11-23T09:45:00Z");
        let due = due_alerts(&clock(), warn, &fired, now);
        assert_eq!(
            due,
            vec![Alert {
                target: Target::FirstResponse,
                kind: AlertKind::Warning,
                due: t("2026-11-23T10:00:00Z")
            }]
        );
        fired.record(&due[0]);
        assert!(due_alerts(&clock(), warn, &fired, now).is_empty());
        assert_eq!(
            next_alert_at(&clock(), warn, &fired),
            Some(t("2026-11-23T10:00:00Z"))
        );
    }

    #[test]
    fn a_passed_deadline_breaches_without_a_late_warning() {
        let warn = Some(SignedDuration::from_mins(30));
        let due = due_alerts(
            &clock(),
            warn,
            &FiredAlerts::default(),
            t("2026-11-23T11:00:00Z"),
        );
        assert_eq!(
            due,
            vec![Alert {
                target: Target::FirstResponse,
                kind: AlertKind::Breach,
                due: t("2026-11-23T10:00:00Z")
            }]
        );
    }

    #[test]
    fn a_moved_deadline_can_alert_again_and_paused_clocks_never_alert() {
        let mut fired = FiredAlerts::default();
        let first = due_alerts(&clock(), None, &fired, t("2026-11-23T10:00:00Z"));
        fired.record(&first[0]);
        let mut moved = clock();
        moved.first_response_due = Some(t("2026-11-24T10:00:00Z"));
        assert_eq!(
            next_alert_at(&moved, None, &fired),
            Some(t("2026-11-23T17:00:00Z"))
        );
        assert_eq!(
            due_alerts(&moved, None, &fired, t("2026-11-24T10:00:00Z")).len(),
            2
        );
        let paused = SlaClock {
            paused_since: Some(t("2026-11-23T09:00:00Z")),
            ..clock()
        };
        assert_eq!(next_alert_at(&paused, None, &fired), None);
    }
}
