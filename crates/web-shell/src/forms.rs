//! Helpers the pages share for forms and labels: `<select>` options, the labels of statuses,
//! priorities and channels in the reader's language, empty fields as "not set".

use ferrodesk_core::{Channel, Priority, Status};

use super::i18n::Tr;

/// An option of a `<select>`.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn status_label(tr: Tr, s: Status) -> String {
    tr.t(&format!("status-{}", s.as_str().replace('_', "-")))
}

pub fn priority_label(tr: Tr, p: Priority) -> String {
    tr.t(&format!("priority-{}", p.as_str()))
}

pub fn channel_label(tr: Tr, c: Channel) -> String {
    tr.t(&format!("channel-{}", c.as_str()))
}

pub fn status_opts(tr: Tr, current: Option<Status>, all: bool) -> Vec<Opt> {
    Status::ALL
        .iter()
        .filter(|s| all || **s != Status::Merged)
        .map(|s| Opt::new(s.as_str(), status_label(tr, *s), current == Some(*s)))
        .collect()
}

pub fn priority_opts(tr: Tr, current: Option<Priority>) -> Vec<Opt> {
    Priority::ALL
        .iter()
        .map(|p| Opt::new(p.as_str(), priority_label(tr, *p), current == Some(*p)))
        .collect()
}

pub fn channel_opts(tr: Tr, current: Option<Channel>) -> Vec<Opt> {
    Channel::ALL
        .iter()
        .map(|c| Opt::new(c.as_str(), channel_label(tr, *c), current == Some(*c)))
        .collect()
}

/// Empty form fields mean "not set".
pub fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Opt {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
            selected,
        }
    }
}
