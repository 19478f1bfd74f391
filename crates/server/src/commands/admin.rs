use ferrodesk_core::EmailAddress;
use ferrodesk_store::agents::{self, NewAgent};
use ferrodesk_store::{Actor, auth};

use super::{CommandResult, open_db};
use crate::cli::AdminCommand;
use crate::config::Config;

pub async fn run(config: &Config, cmd: AdminCommand) -> CommandResult {
    let db = open_db(config).await?;
    match cmd {
        AdminCommand::CreateAgent {
            email,
            name,
            password,
            role,
        } => {
            let email = EmailAddress::parse(&email)?;
            let agent = agents::upsert(
                &db,
                Actor::system(),
                NewAgent {
                    email,
                    name,
                    role: role.parse()?,
                    password: Some(password),
                    team_ids: Vec::new(),
                    locale: None,
                    time_zone: None,
                },
            )
            .await?;
            eprintln!(
                "agent {} <{}> is ready (id {}, role {})",
                agent.name, agent.email, agent.id, agent.role
            );
        }
        AdminCommand::CreateToken { email, name } => {
            let email = EmailAddress::parse(&email)?;
            let token = auth::create_token(&db, &email, &name).await?;
            println!("{token}");
        }
    }
    db.close().await;
    Ok(())
}
