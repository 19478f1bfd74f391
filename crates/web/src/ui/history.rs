//! A ticket's history as readable, translated lines: every kind of event the store logs on a
//! ticket (field changes, messages, merges, escalations, SLA clocks and alerts, rules, mail and
//! webhook delivery) has its own sentence, with the names and times it refers to.

use std::collections::HashMap;

use ferrodesk_core::{Priority, Status};
use ferrodesk_store::events::Event;
use fluent_bundle::{FluentArgs, FluentValue};
use jiff::tz::TimeZone;
use serde_json::Value;

use crate::shell::fmt_time;
use crate::shell::forms::{priority_label, status_label};
use crate::shell::i18n::{Tr, message};

pub struct HistoryItem {
    pub at: String,
    pub who: String,
    pub what: String,
    /// A ticket the line refers to (merges, follow-ups).
    pub link: Option<String>,
}

/// Names the history refers to by id.
pub struct Names<'a> {
    pub agents: &'a HashMap<i64, String>,
    pub teams: &'a HashMap<i64, String>,
    pub customer: &'a str,
}

const KNOWN_FIELDS: &[&str] = &[
    "subject",
    "status",
    "priority",
    "category",
    "team_id",
    "assignee_id",
    "tags",
];

fn describe_value(field: &str, v: &Value, tr: Tr, n: &Names) -> String {
    match (field, v) {
        (_, Value::Null) => "—".into(),
        ("status", Value::String(s)) => s
            .parse::<Status>()
            .map(|s| status_label(tr, s))
            .unwrap_or_else(|_| s.clone()),
        ("priority", Value::String(s)) => s
            .parse::<Priority>()
            .map(|p| priority_label(tr, p))
            .unwrap_or_else(|_| s.clone()),
        ("assignee_id", Value::Number(x)) => x
            .as_i64()
            .and_then(|i| n.agents.get(&i).cloned())
            .unwrap_or_else(|| x.to_string()),
        ("team_id", Value::Number(x)) => x
            .as_i64()
            .and_then(|i| n.teams.get(&i).cloned())
            .unwrap_or_else(|| x.to_string()),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        (_, other) => other.to_string(),
    }
}

/// A message with string arguments.
fn t_args(tr: Tr, key: &str, args: &[(&str, String)]) -> String {
    let mut a = FluentArgs::new();
    for (k, v) in args {
        a.set(k.to_string(), FluentValue::from(v.clone()));
    }
    message(tr.0, key, Some(&a))
}

/// "first response", "resolution"… for an SLA target name.
fn target(tr: Tr, data: &Value) -> String {
    match data["target"].as_str() {
        Some(t @ ("first_response" | "next_response" | "resolution")) => {
            tr.t(&format!("sla-target-{}", t.replace('_', "-")))
        }
        _ => tr.t("sla-target-any"),
    }
}

fn when(data: &Value, key: &str, tz: &TimeZone) -> String {
    data[key]
        .as_str()
        .and_then(|s| s.parse::<jiff::Timestamp>().ok())
        .map(|t| fmt_time(t, tz))
        .unwrap_or_else(|| "—".into())
}

fn name_of(data: &Value) -> String {
    data["name"].as_str().unwrap_or("").to_string()
}

fn ticket_link(data: &Value, key: &str) -> Option<String> {
    data[key].as_i64().map(|id| format!("/tickets/{id}"))
}

/// The sentence for one event, and the ticket it points to, if any.
pub fn describe(e: &Event, tr: Tr, tz: &TimeZone, n: &Names) -> (String, Option<String>) {
    let d = &e.data;
    let line = match e.kind.as_str() {
        "ticket.updated" => {
            let field = d["field"].as_str().unwrap_or("");
            let label = if KNOWN_FIELDS.contains(&field) {
                tr.t(&format!("field-{}", field.replace('_', "-")))
            } else {
                field.to_string()
            };
            format!(
                "{label}: {} → {}",
                describe_value(field, &d["old"], tr, n),
                describe_value(field, &d["new"], tr, n)
            )
        }
        "message.created" => match (d["internal"].as_bool(), d["author_type"].as_str()) {
            _ if d["auto_ack"].as_bool() == Some(true) => tr.t("event-auto-ack"),
            (Some(true), _) => tr.t("event-note-added"),
            (_, Some("customer")) => tr.t("event-customer-wrote"),
            _ => tr.t("event-message-added"),
        },
        "ticket.created" => tr.t("event-ticket-created"),
        "ticket.merged" => return (tr.t("event-ticket-merged"), ticket_link(d, "into")),
        "ticket.merged_from" => return (tr.t("event-ticket-merged-from"), ticket_link(d, "from")),
        "ticket.linked" => return (tr.t("event-ticket-linked"), ticket_link(d, "follow_up_of")),
        "ticket.escalated" => {
            let team = d["to_team_id"]
                .as_i64()
                .and_then(|i| n.teams.get(&i).cloned())
                .unwrap_or_else(|| "—".into());
            let mut line = t_args(tr, "event-ticket-escalated", &[("team", team)]);
            if let Some(reason) = d["reason"].as_str().filter(|r| !r.trim().is_empty()) {
                line.push_str(": ");
                line.push_str(reason);
            }
            line
        }
        "ticket.routed" => {
            let agent = d["assignee_id"]
                .as_i64()
                .and_then(|i| n.agents.get(&i).cloned())
                .unwrap_or_else(|| "—".into());
            t_args(tr, "event-ticket-routed", &[("agent", agent)])
        }
        "sla.started" => t_args(
            tr,
            "event-sla-started",
            &[("target", target(tr, d)), ("due", when(d, "due", tz))],
        ),
        "sla.paused" => tr.t("event-sla-paused"),
        "sla.resumed" => {
            let mut a = FluentArgs::new();
            a.set(
                "minutes",
                FluentValue::from(d["paused_for_secs"].as_i64().unwrap_or(0) / 60),
            );
            message(tr.0, "event-sla-resumed", Some(&a))
        }
        "sla.fulfilled" => {
            let key = if d["breached"].as_bool() == Some(true) {
                "event-sla-fulfilled-late"
            } else {
                "event-sla-fulfilled"
            };
            t_args(tr, key, &[("target", target(tr, d))])
        }
        "sla.stopped" => t_args(tr, "event-sla-stopped", &[("target", target(tr, d))]),
        "sla.warning" => t_args(
            tr,
            "event-sla-warning",
            &[("target", target(tr, d)), ("due", when(d, "due", tz))],
        ),
        "sla.breached" => t_args(
            tr,
            "event-sla-breached",
            &[("target", target(tr, d)), ("due", when(d, "due", tz))],
        ),
        "sla.escalated" => {
            let mut parts = vec![tr.t("event-sla-escalated")];
            if let Some(team) = d["to_team_id"].as_i64() {
                let team = n
                    .teams
                    .get(&team)
                    .cloned()
                    .unwrap_or_else(|| team.to_string());
                parts.push(t_args(tr, "event-to-team", &[("team", team)]));
            }
            if d["notify_supervisor"].as_bool() == Some(true) {
                parts.push(tr.t("event-supervisors-notified"));
            }
            parts.join("; ")
        }
        "sla.recomputed" => tr.t("event-sla-recomputed"),
        "trigger.fired" => t_args(tr, "event-trigger-fired", &[("name", name_of(d))]),
        "automation.fired" => t_args(tr, "event-automation-fired", &[("name", name_of(d))]),
        "macro.applied" => t_args(tr, "event-macro-applied", &[("name", name_of(d))]),
        "rule.skipped" => t_args(
            tr,
            "event-rule-skipped",
            &[("reason", d["reason"].as_str().unwrap_or("").to_string())],
        ),
        "notification.sent" => {
            let count = d["recipients"]
                .as_i64()
                .or_else(|| d["recipients"].as_array().map(|a| a.len() as i64))
                .unwrap_or(0);
            tr.n("event-notification-sent", count)
        }
        "email.sent" => tr.t("event-email-sent"),
        "email.failed" => t_args(
            tr,
            "event-email-failed",
            &[("error", d["error"].as_str().unwrap_or("").to_string())],
        ),
        "email.bounced" => t_args(
            tr,
            "event-email-bounced",
            &[("error", d["error"].as_str().unwrap_or("").to_string())],
        ),
        "email.flagged" => {
            let flags = d["flags"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|f| match f {
                            "automatic" | "malformed" => {
                                tr.t(&format!("email-flag-{}", f.replace('_', "-")))
                            }
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            t_args(tr, "event-email-flagged", &[("flags", flags)])
        }
        "webhook.delivered" => tr.t("event-webhook-delivered"),
        "webhook.failed" => t_args(
            tr,
            "event-webhook-failed",
            &[("error", d["error"].as_str().unwrap_or("").to_string())],
        ),
        "attachment.added" => t_args(
            tr,
            "event-attachment-added",
            &[("name", d["filename"].as_str().unwrap_or("").to_string())],
        ),
        _ => tr.t("event-other"),
    };
    (line, None)
}

pub fn items(
    events: &[Event],
    tr: Tr,
    tz: &TimeZone,
    n: &Names,
    who: impl Fn(&Event) -> String,
) -> Vec<HistoryItem> {
    events
        .iter()
        .map(|e| {
            let (what, link) = describe(e, tr, tz, n);
            HistoryItem {
                at: fmt_time(e.occurred_at, tz),
                who: who(e),
                what,
                link,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::i18n::Lang;
    use ferrodesk_core::AuthorKind;
    use serde_json::json;

    fn event(kind: &str, data: Value) -> Event {
        Event {
            id: 1,
            occurred_at: "2025-03-10T09:30:00Z".parse().unwrap(),
            actor_type: AuthorKind::System,
            actor_id: None,
            entity_type: "ticket".into(),
            entity_id: 7,
            kind: kind.into(),
            data,
        }
    }

    /// Every kind the store logs on a ticket, with the data it logs.
    fn all_kinds() -> Vec<Event> {
        let due = json!("2025-03-10T12:00:00Z");
        vec![
            event("ticket.created", json!({"number": 10001})),
            event(
                "message.created",
                json!({"internal": false, "author_type": "agent"}),
            ),
            event(
                "message.created",
                json!({"internal": true, "author_type": "agent"}),
            ),
            event(
                "message.created",
                json!({"internal": false, "author_type": "customer"}),
            ),
            event(
                "ticket.updated",
                json!({"field": "team_id", "old": null, "new": 3}),
            ),
            event("ticket.merged", json!({"into": 9})),
            event("ticket.merged_from", json!({"from": 8})),
            event("ticket.linked", json!({"follow_up_of": 5})),
            event(
                "ticket.escalated",
                json!({"to_team_id": 3, "tier": 2, "reason": "hardware"}),
            ),
            event(
                "ticket.routed",
                json!({"assignee_id": 4, "strategy": "round_robin"}),
            ),
            event(
                "sla.started",
                json!({"kind": "started", "target": "first_response", "due": due}),
            ),
            event("sla.paused", json!({"kind": "paused", "at": due})),
            event(
                "sla.resumed",
                json!({"kind": "resumed", "at": due, "paused_for_secs": 300}),
            ),
            event(
                "sla.fulfilled",
                json!({"target": "first_response", "due": due, "breached": false}),
            ),
            event(
                "sla.fulfilled",
                json!({"target": "resolution", "due": due, "breached": true}),
            ),
            event(
                "sla.stopped",
                json!({"target": "next_response", "due": due}),
            ),
            event(
                "sla.warning",
                json!({"target": "resolution", "due": due, "policy_id": 1}),
            ),
            event(
                "sla.breached",
                json!({"target": "resolution", "due": due, "policy_id": 1}),
            ),
            event(
                "sla.escalated",
                json!({"to_team_id": 3, "notify_supervisor": true}),
            ),
            event("sla.recomputed", json!({"policy_id": 1})),
            event("trigger.fired", json!({"trigger_id": 1, "name": "VIP"})),
            event(
                "automation.fired",
                json!({"automation_id": 1, "name": "Close solved"}),
            ),
            event("macro.applied", json!({"macro_id": 1, "name": "Thanks"})),
            event("rule.skipped", json!({"reason": "no such team"})),
            event(
                "notification.sent",
                json!({"message": "x", "recipients": 2}),
            ),
            event("email.sent", json!({"message_id": 1})),
            event(
                "email.failed",
                json!({"message_id": 1, "error": "550 no such user"}),
            ),
            event("email.flagged", json!({"flags": ["automatic"]})),
            event(
                "email.bounced",
                json!({"message_id": 1, "error": "a@b: 5.1.1 unknown user"}),
            ),
            event(
                "message.created",
                json!({"internal": false, "author_type": "system", "auto_ack": true}),
            ),
            event(
                "webhook.delivered",
                json!({"url": "http://x", "status": 200}),
            ),
            event(
                "webhook.failed",
                json!({"url": "http://x", "error": "HTTP 500"}),
            ),
        ]
    }

    #[test]
    fn every_logged_kind_has_its_own_sentence() {
        let agents = HashMap::from([(4, "Anna".to_string())]);
        let teams = HashMap::from([(3, "Second line".to_string())]);
        let names = Names {
            agents: &agents,
            teams: &teams,
            customer: "Client",
        };
        let tz = TimeZone::get("Europe/Moscow").unwrap();
        for lang in Lang::ALL {
            let tr = Tr(lang);
            let other = tr.t("event-other");
            for e in all_kinds() {
                let (line, _) = describe(&e, tr, &tz, &names);
                assert_ne!(line, other, "{} has no sentence in {lang:?}", e.kind);
                assert!(!line.contains(&e.kind), "{line}");
                assert!(
                    !line.contains("event-") && !line.contains("sla-target"),
                    "{line}"
                );
            }
        }
        let en = Tr(Lang::En);
        let line = |i: usize| describe(&all_kinds()[i], en, &tz, &names).0;
        // Times in the reader's zone (Moscow is UTC+3).
        assert_eq!(
            line(10),
            "SLA clock started: first response, due 2025-03-10 15:00"
        );
        assert_eq!(line(9), "routed to Anna");
        assert_eq!(line(14), "SLA target met late: resolution");
        assert_eq!(
            line(18),
            "SLA breach actions applied; moved to team Second line; supervisors notified"
        );
        assert_eq!(line(20), "trigger “VIP” applied");
        assert_eq!(
            line(12),
            "SLA clocks resumed after 5 business minutes paused"
        );
        let ru = Tr(Lang::Ru);
        assert_eq!(
            describe(&all_kinds()[17], ru, &tz, &names).0,
            "срок SLA нарушен: решение, истёк 2025-03-10 15:00"
        );
        assert_eq!(
            describe(&all_kinds()[5], en, &tz, &names).1.as_deref(),
            Some("/tickets/9")
        );
    }
}
