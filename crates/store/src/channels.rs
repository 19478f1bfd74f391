//! Per-channel settings: the team a channel's new tickets go to when nothing else names one
//! (the mailbox's team for mail, the creating agent's for the API). Unset, a channel uses the
//! first line-1 team, so a request never lands outside every queue while a first line exists.

use std::collections::HashMap;
use std::sync::Arc;

use ferrodesk_core::Channel;
use serde_json::json;
use sqlx::Row;

use crate::events::{self, Actor, NewEvent};
use crate::{Db, StoreError, now, to_micros};

/// A channel's team: the one set for it, and the one its tickets get (that, or line 1's).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ChannelTeam {
    pub channel: Channel,
    /// Set by an admin; `None`: the first line-1 team.
    pub team_id: Option<i64>,
    /// The team new tickets of this channel get now.
    pub effective_team_id: Option<i64>,
}

/// This node's snapshot of the defaults (cleared by changes to them and to teams here).
#[derive(Debug, Default)]
pub struct ChannelDefaults {
    set: HashMap<Channel, i64>,
    first_line: Option<i64>,
}

impl ChannelDefaults {
    fn team(&self, channel: Channel) -> Option<i64> {
        self.set.get(&channel).copied().or(self.first_line)
    }
}

async fn defaults(db: &Db) -> Result<Arc<ChannelDefaults>, StoreError> {
    if let Some(d) = db.snapshots().get::<ChannelDefaults>() {
        return Ok(d);
    }
    let rows = sqlx::query("SELECT channel, team_id FROM channel_teams")
        .fetch_all(db.reader())
        .await?;
    let mut set = HashMap::new();
    for row in rows {
        let channel: String = row.try_get("channel")?;
        if let Ok(channel) = channel.parse::<Channel>() {
            set.insert(channel, row.try_get::<i64, _>("team_id")?);
        }
    }
    let first_line: Option<i64> =
        sqlx::query_scalar("SELECT id FROM teams WHERE tier = 1 ORDER BY id LIMIT 1")
            .fetch_optional(db.reader())
            .await?;
    let d = Arc::new(ChannelDefaults { set, first_line });
    db.snapshots().put(d.clone());
    Ok(d)
}

/// The team new tickets of `channel` get when nothing else names one.
pub async fn default_team(db: &Db, channel: Channel) -> Result<Option<i64>, StoreError> {
    Ok(defaults(db).await?.team(channel))
}

/// Forgets this node's snapshot (after a change to teams).
pub fn forget(db: &Db) {
    db.snapshots().clear::<ChannelDefaults>();
}

/// Every channel with its team.
pub async fn list(db: &Db) -> Result<Vec<ChannelTeam>, StoreError> {
    forget(db);
    let d = defaults(db).await?;
    Ok(Channel::ALL
        .iter()
        .map(|c| ChannelTeam {
            channel: *c,
            team_id: d.set.get(c).copied(),
            effective_team_id: d.team(*c),
        })
        .collect())
}

/// Sets (or with `None` unsets) the team of a channel's new tickets.
pub async fn set_team(
    db: &Db,
    actor: Actor,
    channel: Channel,
    team_id: Option<i64>,
) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let at = now();
    match team_id {
        Some(team) => {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM teams WHERE id = $1")
                .bind(team)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::not_found("team", team));
            }
            sqlx::query(
                "INSERT INTO channel_teams (channel, team_id, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (channel) DO UPDATE SET team_id = excluded.team_id, updated_at = excluded.updated_at",
            )
            .bind(channel.as_str())
            .bind(team)
            .bind(to_micros(at))
            .execute(&mut *tx)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM channel_teams WHERE channel = $1")
                .bind(channel.as_str())
                .execute(&mut *tx)
                .await?;
        }
    }
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "settings",
            0,
            "channel.team_set",
            json!({"channel": channel, "team_id": team_id}),
        )],
    )
    .await?;
    tx.commit().await?;
    forget(db);
    Ok(())
}
