//! Customers: the people who ask for help, found by their email across channels.

use std::collections::{HashMap, HashSet};

use ferrodesk_core::{EmailAddress, text};
use jiff::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::on_unique;
use crate::events::{self, Actor, FieldChanges, NewEvent};
use crate::patch::double_option;
use crate::sql::Sql;
use crate::{Db, Page, PageRequest, StoreError, Tx, from_micros, now, to_micros};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization_id: Option<i64>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// Defaults to the part of the email before @.
    pub name: Option<String>,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub organization_id: Option<i64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<EmailAddress>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub organization_id: Option<Option<i64>>,
}

#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub email: Option<EmailAddress>,
    pub organization_id: Option<i64>,
}

pub const COLUMNS: &str = "id, name, email, phone, organization_id, created_at, updated_at";

/// [`COLUMNS`] prefixed with a table alias.
fn qualified_columns(alias: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn from_row(row: &AnyRow) -> Result<Customer, StoreError> {
    Ok(Customer {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        organization_id: row.try_get("organization_id")?,
        created_at: from_micros(row.try_get("created_at")?),
        updated_at: from_micros(row.try_get("updated_at")?),
    })
}

fn parse_phone(phone: Option<&str>) -> Result<Option<String>, StoreError> {
    let phone = text::optional("phone", phone, 40)?;
    if let Some(p) = &phone
        && !p
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        return Err(StoreError::invalid(
            "phone",
            format!("{p:?} may hold only digits, spaces and + - ( ) ."),
        ));
    }
    Ok(phone)
}

async fn check_organization(tx: &mut Tx, id: Option<i64>) -> Result<(), StoreError> {
    crate::sql::require_row(
        tx,
        "organizations",
        id,
        "organization_not_found",
        "organization_id",
        "organization",
    )
    .await
}

async fn insert(
    tx: &mut Tx,
    actor: Actor,
    at: Timestamp,
    name: &str,
    email: Option<&EmailAddress>,
    phone: Option<&str>,
    organization_id: Option<i64>,
) -> Result<Customer, StoreError> {
    let row = sqlx::query(&format!(
        "INSERT INTO customers (name, email, phone, organization_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING {COLUMNS}"
    ))
    .bind(name)
    .bind(email.map(|e| e.as_str().to_owned()))
    .bind(phone.map(str::to_owned))
    .bind(organization_id)
    .bind(to_micros(at))
    .fetch_one(&mut **tx)
    .await
    .map_err(on_unique("customer_exists", || {
        format!(
            "a customer with the email {} already exists",
            email.map(|e| e.as_str()).unwrap_or("")
        )
    }))?;
    let customer = from_row(&row)?;
    events::append(
        tx,
        actor,
        at,
        &[NewEvent::new("customer", customer.id, "customer.created", json!({"name": name, "email": email, "phone": phone, "organization_id": organization_id}))],
    )
    .await?;
    Ok(customer)
}

pub async fn create(db: &Db, actor: Actor, new: NewCustomer) -> Result<Customer, StoreError> {
    let phone = parse_phone(new.phone.as_deref())?;
    let name = match (&new.name, &new.email) {
        (Some(n), _) => text::required("name", n, text::MAX_NAME_CHARS)?,
        (None, Some(e)) => e.local_part().to_string(),
        (None, None) => match &phone {
            Some(p) => p.clone(),
            None => {
                return Err(StoreError::invalid(
                    "name",
                    "a customer needs at least a name, an email or a phone",
                ));
            }
        },
    };
    let mut tx = db.begin().await?;
    check_organization(&mut tx, new.organization_id).await?;
    // Without an organisation given, the customer joins the one owning their mail domain, as
    // the customers of tickets and mail do.
    let organization_id = match (new.organization_id, &new.email) {
        (Some(id), _) => Some(id),
        (None, Some(email)) => {
            sqlx::query_scalar("SELECT id FROM organizations WHERE domain = $1 ORDER BY id LIMIT 1")
                .bind(email.domain())
                .fetch_optional(&mut *tx)
                .await?
        }
        (None, None) => None,
    };
    let customer = insert(
        &mut tx,
        actor,
        now(),
        &name,
        new.email.as_ref(),
        phone.as_deref(),
        organization_id,
    )
    .await?;
    tx.commit().await?;
    Ok(customer)
}

/// Customers and organisation domains read ahead for a batch (inbound mail), kept on the
/// transaction so that finding a batch's senders costs one query, not one per message.
#[derive(Debug, Default)]
pub struct Known {
    by_email: HashMap<String, Customer>,
    /// The organisation of each domain looked up (`None`: no organisation has it).
    by_domain: HashMap<String, Option<i64>>,
}

/// Reads the customers with these addresses, and the organisations of their domains, into
/// `tx`'s [`Known`] for [`find_or_create_by_email`].
pub async fn preload(tx: &mut Tx, emails: &[EmailAddress]) -> Result<(), StoreError> {
    let domains: HashSet<&str> = emails.iter().map(EmailAddress::domain).collect();
    let emails: HashSet<&str> = emails.iter().map(EmailAddress::as_str).collect();
    let emails: Vec<String> = emails.into_iter().map(str::to_owned).collect();
    let domains: Vec<String> = domains.into_iter().map(str::to_owned).collect();
    for chunk in emails.chunks(crate::sql::MAX_BINDS) {
        let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM customers WHERE email IN "));
        sql.bind_list(chunk.iter().cloned());
        let (text, args) = sql.into_parts();
        for row in sqlx::query_with(&text, args).fetch_all(&mut **tx).await? {
            let customer = from_row(&row)?;
            if let Some(email) = customer.email.clone() {
                tx.scratch::<Known>().by_email.insert(email, customer);
            }
        }
    }
    for chunk in domains.chunks(crate::sql::MAX_BINDS) {
        let mut sql = Sql::new("SELECT domain, MIN(id) AS id FROM organizations WHERE domain IN ");
        sql.bind_list(chunk.iter().cloned());
        sql.push(" GROUP BY domain");
        let (text, args) = sql.into_parts();
        let found: Vec<(String, i64)> = sqlx::query_as_with(&text, args)
            .fetch_all(&mut **tx)
            .await?;
        let known = tx.scratch::<Known>();
        for domain in chunk {
            known.by_domain.insert(domain.clone(), None);
        }
        for (domain, id) in found {
            known.by_domain.insert(domain, Some(id));
        }
    }
    Ok(())
}

/// The customer with this email, created (in the organisation of the address's domain, if
/// one has it) when there is none.
pub async fn find_or_create_by_email(
    tx: &mut Tx,
    actor: Actor,
    at: Timestamp,
    email: &EmailAddress,
    name: Option<&str>,
) -> Result<Customer, StoreError> {
    if let Some(customer) = tx.scratch::<Known>().by_email.get(email.as_str()) {
        return Ok(customer.clone());
    }
    let organization_id = match tx.scratch::<Known>().by_domain.get(email.domain()) {
        // Preloaded, and the customer was not among those found: a new one.
        Some(org) => *org,
        None => {
            // One statement either way: the customer if known, and the organisation a new
            // one would join.
            let row = sqlx::query(&format!(
                "SELECT {}, (SELECT o.id FROM organizations o WHERE o.domain = $2 ORDER BY o.id LIMIT 1) AS domain_organization_id \
                 FROM (SELECT 1 AS one) x LEFT JOIN customers c ON c.email = $1",
                qualified_columns("c")
            ))
            .bind(email.as_str())
            .bind(email.domain())
            .fetch_one(&mut **tx)
            .await?;
            if row.try_get::<Option<i64>, _>("id")?.is_some() {
                return from_row(&row);
            }
            row.try_get("domain_organization_id")?
        }
    };
    let name = match name {
        Some(n) => text::required("customer.name", n, text::MAX_NAME_CHARS)?,
        None => email.local_part().to_string(),
    };
    let customer = insert(tx, actor, at, &name, Some(email), None, organization_id).await?;
    tx.scratch::<Known>()
        .by_email
        .insert(email.as_str().to_owned(), customer.clone());
    Ok(customer)
}

pub async fn get(db: &Db, id: i64) -> Result<Customer, StoreError> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM customers WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.reader())
        .await?
        .ok_or(StoreError::not_found("customer", id))?;
    from_row(&row)
}

pub async fn list(
    db: &Db,
    filter: &CustomerFilter,
    page: PageRequest,
) -> Result<Page<Customer>, StoreError> {
    let mut sql = Sql::new(format!("SELECT {COLUMNS} FROM customers WHERE id < "));
    sql.bind(page.cursor_id.unwrap_or(i64::MAX));
    if let Some(email) = &filter.email {
        sql.push(" AND email = ").bind(email.as_str().to_owned());
    }
    if let Some(org) = filter.organization_id {
        sql.push(" AND organization_id = ").bind(org);
    }
    sql.push(" ORDER BY id DESC LIMIT ").bind(page.limit + 1);
    let (text, args) = sql.into_parts();
    let rows = sqlx::query_with(&text, args).fetch_all(db.reader()).await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    Ok(page.finish(items, |c| c.id))
}

pub async fn update(
    db: &Db,
    actor: Actor,
    id: i64,
    patch: CustomerPatch,
) -> Result<Customer, StoreError> {
    let mut tx = db.begin().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM customers WHERE id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(StoreError::not_found("customer", id))?;
    let old = from_row(&row)?;
    let mut new = old.clone();
    if let Some(name) = &patch.name {
        new.name = text::required("name", name, text::MAX_NAME_CHARS)?;
    }
    if let Some(email) = &patch.email {
        new.email = email.as_ref().map(|e| e.as_str().to_owned());
    }
    if let Some(phone) = &patch.phone {
        new.phone = parse_phone(phone.as_deref())?;
    }
    if let Some(org) = patch.organization_id {
        check_organization(&mut tx, org).await?;
        new.organization_id = org;
    }
    let mut changes = FieldChanges::new("customer", id, "customer.updated");
    changes
        .field("name", &old.name, &new.name)
        .field("email", &old.email, &new.email)
        .field("phone", &old.phone, &new.phone)
        .field(
            "organization_id",
            &old.organization_id,
            &new.organization_id,
        );
    if changes.is_empty() {
        return Ok(old);
    }
    let at = now();
    new.updated_at = at;
    sqlx::query("UPDATE customers SET name = $1, email = $2, phone = $3, organization_id = $4, updated_at = $5 WHERE id = $6")
        .bind(&new.name)
        .bind(&new.email)
        .bind(&new.phone)
        .bind(new.organization_id)
        .bind(to_micros(at))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("customer_exists", || format!("another customer has the email {}", new.email.clone().unwrap_or_default())))?;
    events::append(&mut tx, actor, at, changes.events()).await?;
    tx.commit().await?;
    Ok(new)
}

/// Deletes a customer who has no tickets (a customer with history is kept for the record).
pub async fn delete(db: &Db, actor: Actor, id: i64) -> Result<(), StoreError> {
    let mut tx = db.begin().await?;
    let has_tickets: Option<i64> =
        sqlx::query_scalar("SELECT id FROM tickets WHERE customer_id = $1 LIMIT 1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    if has_tickets.is_some() {
        return Err(StoreError::conflict(
            "customer_has_tickets",
            format!("customer {id} has tickets and cannot be deleted"),
        ));
    }
    let done = sqlx::query("DELETE FROM customers WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::not_found("customer", id));
    }
    events::append(
        &mut tx,
        actor,
        now(),
        &[NewEvent::new("customer", id, "customer.deleted", json!({}))],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
