//! Organisations that customers belong to.

use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::on_unique;
use crate::events::{self, Actor, FieldChanges, NewEvent};
use crate::patch::double_option;
use crate::{Db, Page, PageRequest, StoreError, from_micros, now, to_micros};
use ferrodesk_core::text;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Organization {
    pub id: i64,
    pub name: String,
    /// Mail domain whose senders belong to this organisation.
    pub domain: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganization {
    pub name: String,
    pub domain: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub domain: Option<Option<String>>,
}

const COLUMNS: &str = "id, name, domain, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        domain: row.try_get("domain")?,
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

fn parse_domain(domain: Option<&str>) -> Result<Option<String>, StoreError> {
    let domain = text::optional("domain", domain, 253)?.map(|d| d.to_lowercase());
    if let Some(d) = &domain
        && (!d.contains('.') || d.contains(char::is_whitespace) || d.contains('@'))
    {
        return Err(StoreError::invalid(
            "domain",
            format!("{d:?} is not a domain name like example.com"),
        ));
    }
    Ok(domain)
}

pub async fn create(
    db: &Db,
    actor: Actor,
    new: NewOrganization,
) -> Result<Organization, StoreError> {
    let name = text::required("name", &new.name, text::MAX_NAME_CHARS)?;
    let domain = parse_domain(new.domain.as_deref())?;
    let at = now();
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "INSERT INTO organizations (name, domain, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING {COLUMNS}"
    ))
    .bind(&name)
    .bind(&domain)
    .bind(to_micros(at))
    .fetch_one(&mut *tx)
    .await
    .map_err(on_unique("organization_exists", || format!("an organization named {name:?} already exists")))?;
    let org = from_row(&row)?;
    events::append(
        &mut tx,
        actor,
        at,
        &[NewEvent::new(
            "organization",
            org.id,
            "organization.created",
            json!({"name": name, "domain": domain}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(org)
}

pub async fn get(db: &Db, id: i64) -> Result<Organization, StoreError> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organizations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.reader())
    .await?
    .ok_or(StoreError::not_found("organization", id))?;
    from_row(&row)
}

pub async fn list(db: &Db, page: PageRequest) -> Result<Page<Organization>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organizations WHERE id < $1 ORDER BY id DESC LIMIT $2"
    ))
    .bind(page.cursor_id.unwrap_or(i64::MAX))
    .bind(page.limit + 1)
    .fetch_all(db.reader())
    .await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(page.finish(items, |o| o.id))
}

pub async fn update(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: OrganizationPatch,
) -> Result<Organization, StoreError> {
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organizations WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::not_found("organization", id))?;
    let old = from_row(&row)?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name = text::required("name", name, text::MAX_NAME_CHARS)?;
    }
    if let Some(domain) = &patch.domain {
        new.domain = parse_domain(domain.as_deref())?;
    }
    let mut changes = FieldChanges::new("organization", id, "organization.updated");
    changes
        .field("name", &old.name, &new.name)
        .field("domain", &old.domain, &new.domain);
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    new.updated_at = at;
    sqlx::query("UPDATE organizations SET name = $1, domain = $2, updated_at = $3 WHERE id = $4")
        .bind(&new.name)
        .bind(&new.domain)
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("organization_exists", || {
            format!("an organization named {:?} already exists", new.name)
        }))?;
    events::append(&mut tx, actor, at, changes.events()).await?;
    tx.commit().await?;
    Ok(new)
}

/// Deletes an organisation; its customers stay, without an organisation.
pub async fn delete(db: &Db, actor: Actor, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE customers SET organization_id = NULL WHERE organization_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM organizations WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("organization", id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new(
            "organization",
            id,
            "organization.deleted",
            json!({}),
        )],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
