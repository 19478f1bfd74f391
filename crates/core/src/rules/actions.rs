use serde::{Deserialize, Serialize};

use crate::{Priority, Status, text};

/// One change a rule makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    SetStatus {
        status: Status,
    },
    SetPriority {
        priority: Priority,
    },
    SetTeam {
        team_id: i64,
    },
    /// `null` unassigns.
    Assign {
        agent_id: Option<i64>,
    },
    SetCategory {
        category: Option<String>,
    },
    AddTags {
        tags: Vec<String>,
    },
    RemoveTags {
        tags: Vec<String>,
    },
    /// A message from a template (`{{ticket.number}}`, `{{ticket.subject}}`, `{{customer.name}}`).
    Reply {
        body: String,
        #[serde(default)]
        internal: bool,
    },
    /// An in-app notification to the assignee, or to the team when nobody is assigned.
    Notify {
        message: String,
    },
    /// POSTs the ticket as JSON to `url` (http or https), retried until it answers 2xx.
    Webhook {
        url: String,
    },
}

/// The field values a set of actions produces, to be validated and saved by the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub status: Option<Status>,
    pub priority: Option<Priority>,
    pub team_id: Option<i64>,
    pub assignee_id: Option<Option<i64>>,
    pub category: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    /// (body template, internal)
    pub replies: Vec<(String, bool)>,
    pub notifications: Vec<String>,
    pub webhooks: Vec<String>,
}

/// Folds `actions` over the ticket's current tags into the changes to make; later actions win.
pub fn apply(actions: &[Action], current_tags: &[String]) -> Result<Changes, crate::ParseError> {
    let mut c = Changes::default();
    let mut tags: Vec<String> = current_tags.to_vec();
    let mut tags_changed = false;
    for action in actions {
        match action {
            Action::SetStatus { status } => c.status = Some(*status),
            Action::SetPriority { priority } => c.priority = Some(*priority),
            Action::SetTeam { team_id } => c.team_id = Some(*team_id),
            Action::Assign { agent_id } => c.assignee_id = Some(*agent_id),
            Action::SetCategory { category } => c.category = Some(category.clone()),
            Action::AddTags { tags: add } => {
                for t in text::tags(add)? {
                    if !tags.contains(&t) {
                        tags.push(t);
                        tags_changed = true;
                    }
                }
            }
            Action::RemoveTags { tags: remove } => {
                let remove = text::tags(remove)?;
                let before = tags.len();
                tags.retain(|t| !remove.contains(t));
                tags_changed |= tags.len() != before;
            }
            Action::Reply { body, internal } => c.replies.push((body.clone(), *internal)),
            Action::Notify { message } => c.notifications.push(message.clone()),
            Action::Webhook { url } => c.webhooks.push(webhook_url(url)?),
        }
    }
    if tags_changed {
        c.tags = Some(tags);
    }
    Ok(c)
}

/// A webhook address: absolute http(s), of sane length.
fn webhook_url(url: &str) -> Result<String, crate::ParseError> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host)
            if !host.is_empty() && url.len() <= 2000 && !url.contains(char::is_whitespace) =>
        {
            Ok(url.to_string())
        }
        _ => Err(crate::ParseError::new(
            "url",
            format!("{url:?} is not an http:// or https:// address"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_fold_into_changes() {
        let actions: Vec<Action> = serde_json::from_str(
            r#"[{"action":"set_status","status":"solved"},{"action":"add_tags","tags":["Auto","closed-by-rule"]},
                {"action":"remove_tags","tags":["waiting"]},{"action":"reply","body":"Closing #{{ticket.number}}"},
                {"action":"assign","agent_id":null}]"#,
        )
        .unwrap();
        let c = apply(&actions, &["waiting".to_string(), "vip".to_string()]).unwrap();
        assert_eq!(c.status, Some(Status::Solved));
        assert_eq!(
            c.tags,
            Some(vec![
                "vip".to_string(),
                "auto".to_string(),
                "closed-by-rule".to_string()
            ])
        );
        assert_eq!(
            c.replies,
            vec![("Closing #{{ticket.number}}".to_string(), false)]
        );
        assert_eq!(c.assignee_id, Some(None));
    }

    #[test]
    fn no_tag_change_means_no_tags_field() {
        let c = apply(
            &[Action::AddTags {
                tags: vec!["vip".into()],
            }],
            &["vip".to_string()],
        )
        .unwrap();
        assert_eq!(c.tags, None);
        assert!(
            apply(
                &[Action::AddTags {
                    tags: vec!["a,b".into()]
                }],
                &[]
            )
            .is_err()
        );
        assert!(serde_json::from_str::<Action>(r#"{"action":"explode"}"#).is_err());
        assert!(
            apply(
                &[Action::Webhook {
                    url: "ftp://x".into()
                }],
                &[]
            )
            .is_err()
        );
        let hooks = apply(
            &[Action::Webhook {
                url: " https://hooks.example.com/t ".into(),
            }],
            &[],
        )
        .unwrap();
        assert_eq!(
            hooks.webhooks,
            vec!["https://hooks.example.com/t".to_string()]
        );
    }
}
