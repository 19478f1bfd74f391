//! The demo company (teams for lines 1–3, agents, organisations, customers) and realistic
//! tickets, for `ferrodesk demo` and `ferrodesk seed`.

pub mod content;
pub mod kb;

use std::collections::HashMap;

use ferrodesk_core::routing::Assignment;
use ferrodesk_core::{AuthorKind, Channel, EmailAddress, Priority, Role, Status, Tier};
use ferrodesk_store::agents::{self, NewAgent};
use ferrodesk_store::organizations::{self, NewOrganization};
use ferrodesk_store::seed::{self, SeedMessage, SeedTicket};
use ferrodesk_store::teams::{self, NewTeam};
use ferrodesk_store::{Actor, Db, PageRequest, StoreError, auth};
use jiff::{SignedDuration, Timestamp};
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

pub const DEMO_PASSWORD: &str = "ferrodesk-demo";
const DEMO_TICKETS: u64 = 1_000;
const DEMO_CUSTOMERS: u64 = 300;
const TICKETS_PER_BATCH: usize = 2_000;

const TEAMS: &[(&str, i64)] = &[
    ("Line 1 — Front desk", 1),
    ("Line 2 — Technical support", 2),
    ("Line 3 — Engineering", 3),
];

/// (email, name, role, tier of their team; 0 = none)
const STAFF: &[(&str, &str, Role, i64)] = &[
    ("admin@example.com", "Alex Morgan", Role::Admin, 0),
    ("lead@example.com", "Ольга Смирнова", Role::Supervisor, 0),
    ("anna@example.com", "Анна Кузнецова", Role::Agent, 1),
    ("john@example.com", "John Carter", Role::Agent, 1),
    ("maria@example.com", "Мария Иванова", Role::Agent, 2),
    ("david@example.com", "David Chen", Role::Agent, 2),
    ("sergey@example.com", "Сергей Волков", Role::Agent, 3),
];

/// The demo teams and who works in each, by tier.
pub struct Staff {
    team_by_tier: HashMap<i64, i64>,
    agents_by_tier: HashMap<i64, Vec<i64>>,
}

/// Fills an empty instance with the demo company and returns the text to print: URL-less
/// logins and, on first fill, an API token.
pub async fn ensure_demo(db: &Db) -> Result<String, StoreError> {
    let mut out = String::from("Demo logins (password for all: ferrodesk-demo):\n");
    for (email, name, role, tier) in STAFF {
        let team = if *tier == 0 {
            String::new()
        } else {
            format!(", line {tier}")
        };
        out.push_str(&format!("  {email:<22} {name} ({role}{team})\n"));
    }
    if seed::ticket_count(db).await? > 0 {
        out.push_str("The database already has tickets; demo data was not added again.\n");
        return Ok(out);
    }
    let mut rng = StdRng::seed_from_u64(7);
    let staff = ensure_staff(db).await?;
    let organizations = ensure_organizations(db).await?;
    let customers = add_customers(db, &mut rng, DEMO_CUSTOMERS, &organizations).await?;
    add_tickets(db, &mut rng, &staff, &customers, DEMO_TICKETS, |_| {}).await?;
    kb::ensure_kb(db).await?;
    let admin = EmailAddress::parse(STAFF[0].0)?;
    let token = auth::create_token(db, &admin, "demo").await?;
    out.push_str(&format!(
        "Added {DEMO_TICKETS} demo tickets. API token for {}: {token}\n  curl -H 'Authorization: Bearer {token}' http://127.0.0.1:8080/api/v1/tickets\n",
        STAFF[0].0
    ));
    Ok(out)
}

/// Creates the three demo teams and the demo agents unless they exist.
pub async fn ensure_staff(db: &Db) -> Result<Staff, StoreError> {
    let existing_teams = teams::list(db, PageRequest::first(200)).await?.items;
    let mut team_by_tier = HashMap::new();
    for (name, tier) in TEAMS {
        let id = match existing_teams.iter().find(|t| t.name == *name) {
            Some(t) => t.id,
            None => {
                teams::create(
                    db,
                    Actor::system(),
                    NewTeam {
                        name: (*name).into(),
                        tier: Tier::new(*tier)?,
                        member_ids: vec![],
                        assignment: Some(match tier {
                            1 => Assignment::RoundRobin,
                            2 => Assignment::LeastLoaded,
                            _ => Assignment::Manual,
                        }),
                        auto_ack: None,
                    },
                )
                .await?
                .id
            }
        };
        team_by_tier.insert(*tier, id);
    }
    let existing_agents = agents::list(db, PageRequest::first(200)).await?.items;
    let mut agents_by_tier: HashMap<i64, Vec<i64>> = HashMap::new();
    for (email, name, role, tier) in STAFF {
        let id = match existing_agents.iter().find(|a| a.email == *email) {
            Some(a) => a.id,
            None => {
                let team_ids = team_by_tier.get(tier).map(|t| vec![*t]).unwrap_or_default();
                let new = NewAgent {
                    email: EmailAddress::parse(email)?,
                    name: (*name).into(),
                    role: *role,
                    password: Some(DEMO_PASSWORD.into()),
                    team_ids,
                    locale: Some(if name.is_ascii() { "en" } else { "ru" }.into()),
                    time_zone: Some(
                        if name.is_ascii() {
                            "Europe/London"
                        } else {
                            "Europe/Moscow"
                        }
                        .into(),
                    ),
                };
                agents::create(db, Actor::system(), new).await?.id
            }
        };
        if *tier > 0 {
            agents_by_tier.entry(*tier).or_default().push(id);
        }
    }
    Ok(Staff {
        team_by_tier,
        agents_by_tier,
    })
}

/// The demo organisations, created unless they exist; returns (id, domain).
pub async fn ensure_organizations(db: &Db) -> Result<Vec<(i64, &'static str)>, StoreError> {
    let existing = organizations::list(db, PageRequest::first(200))
        .await?
        .items;
    let mut out = Vec::new();
    for company in content::COMPANIES {
        let id = match existing.iter().find(|o| o.name == company.name) {
            Some(o) => o.id,
            None => {
                organizations::create(
                    db,
                    Actor::system(),
                    NewOrganization {
                        name: company.name.into(),
                        domain: Some(company.domain.into()),
                    },
                )
                .await?
                .id
            }
        };
        out.push((id, company.domain));
    }
    Ok(out)
}

/// Adds `n` customers, about a third of them in an organisation (with its mail domain).
pub async fn add_customers(
    db: &Db,
    rng: &mut StdRng,
    n: u64,
    organizations: &[(i64, &'static str)],
) -> Result<Vec<(i64, &'static str)>, StoreError> {
    let serial_base = seed::max_customer_id(db).await? as u64;
    let mut ids = Vec::with_capacity(n as usize);
    let mut batch = Vec::new();
    let mut locales = Vec::new();
    for i in 0..n {
        let locale = if rng.random_bool(0.4) { "ru" } else { "en" };
        let person = content::person(rng, locale, serial_base + i + 1);
        let (email, org) = match organizations.choose(rng).filter(|_| rng.random_bool(0.33)) {
            Some((org_id, domain)) => {
                let local = person.email.split('@').next().unwrap_or("customer");
                (format!("{local}@{domain}"), Some(*org_id))
            }
            None => (person.email, None),
        };
        batch.push((person.name, email, org));
        locales.push(locale);
        if batch.len() == 5_000 || i + 1 == n {
            let new_ids = seed::insert_customers(db, &batch, Timestamp::now()).await?;
            ids.extend(new_ids.into_iter().zip(locales.drain(..)));
            batch.clear();
        }
    }
    Ok(ids)
}

fn pick_channel(rng: &mut StdRng) -> Channel {
    match rng.random_range(0..100) {
        0..50 => Channel::Email,
        50..65 => Channel::Web,
        65..80 => Channel::Chat,
        80..90 => Channel::Phone,
        90..95 => Channel::Social,
        _ => Channel::Api,
    }
}

/// One realistic ticket: a generated conversation, timed over the past year, with a status that
/// fits its age and who spoke last.
fn ticket(rng: &mut StdRng, staff: &Staff, customer: (i64, &str), now: Timestamp) -> SeedTicket {
    let mut conv = content::conversation(rng);
    // Prefer a conversation in the customer's language, without looping forever.
    for _ in 0..3 {
        if conv.locale == customer.1 {
            break;
        }
        conv = content::conversation(rng);
    }
    let age = SignedDuration::from_secs(rng.random_range(0..365 * 24 * 3600));
    let created_at = now.checked_sub(age).unwrap_or(now);
    let tier = i64::from(conv.tier.clamp(1, 3));
    let team_id = staff.team_by_tier.get(&tier).copied();
    let members = staff.agents_by_tier.get(&tier).cloned().unwrap_or_default();
    let agent = members.choose(rng).copied();
    let last_by_customer = conv
        .turns
        .last()
        .is_none_or(|(by_customer, _)| *by_customer);
    let young = age < SignedDuration::from_hours(72);
    let status = match (conv.turns.len(), last_by_customer) {
        (1, true) if young && rng.random_bool(0.6) => Status::New,
        (_, true) => Status::Open,
        (_, false) if young => *[Status::Pending, Status::Solved, Status::OnHold]
            .choose(rng)
            .unwrap_or(&Status::Pending),
        (_, false) if age < SignedDuration::from_hours(24 * 14) => Status::Solved,
        (_, false) => {
            if rng.random_bool(0.85) {
                Status::Closed
            } else {
                Status::Solved
            }
        }
    };
    let assignee_id = if status == Status::New { None } else { agent };
    let mut at = created_at;
    let mut messages = Vec::with_capacity(conv.turns.len() + 1);
    for (i, (by_customer, text)) in conv.turns.iter().enumerate() {
        if i > 0 {
            at = at
                .checked_add(SignedDuration::from_secs(rng.random_range(300..30 * 3600)))
                .unwrap_or(at)
                .min(now);
        }
        messages.push(SeedMessage {
            author_type: if *by_customer {
                AuthorKind::Customer
            } else {
                AuthorKind::Agent
            },
            author_id: if *by_customer {
                Some(customer.0)
            } else {
                assignee_id.or(agent)
            },
            internal: false,
            body: text.clone(),
            at,
        });
        if i == 0
            && let (Some(note), Some(author)) = (&conv.internal_note, assignee_id)
        {
            at = at
                .checked_add(SignedDuration::from_secs(rng.random_range(60..3600)))
                .unwrap_or(at)
                .min(now);
            messages.push(SeedMessage {
                author_type: AuthorKind::Agent,
                author_id: Some(author),
                internal: true,
                body: note.clone(),
                at,
            });
        }
    }
    SeedTicket {
        subject: conv.subject,
        status,
        priority: conv.priority.parse().unwrap_or(Priority::Normal),
        category: Some(conv.category.to_string()),
        channel: pick_channel(rng),
        customer_id: customer.0,
        team_id,
        assignee_id,
        tags: conv.tags.iter().map(|t| t.to_string()).collect(),
        created_at,
        messages,
    }
}

/// Adds `n` tickets in batches, calling `progress` with each batch's size.
pub async fn add_tickets(
    db: &Db,
    rng: &mut StdRng,
    staff: &Staff,
    customers: &[(i64, &'static str)],
    n: u64,
    progress: impl Fn(u64),
) -> Result<(), StoreError> {
    let now = Timestamp::now();
    let mut left = n;
    while left > 0 {
        let size = left.min(TICKETS_PER_BATCH as u64);
        let mut batch: Vec<SeedTicket> = (0..size)
            .map(|_| {
                let customer = *customers.choose(rng).expect("at least one customer");
                ticket(rng, staff, customer, now)
            })
            .collect();
        // Oldest first, so ids and numbers follow creation time.
        batch.sort_by_key(|t| t.created_at);
        seed::insert_tickets(db, &batch).await?;
        progress(size);
        left -= size;
    }
    Ok(())
}
