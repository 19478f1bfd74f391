//! One module per command.

mod admin;
mod mail;
mod reindex;
mod seed;
mod serve;
mod sla;

use ferrodesk_store::Db;

use crate::cli::Command;
use crate::config::Config;

pub type CommandResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

pub async fn run(command: Command, config: Config) -> CommandResult {
    match command {
        Command::Serve(args) => serve::serve(&config, &args, false).await,
        Command::Demo(args) => serve::serve(&config, &args, true).await,
        Command::Migrate => {
            let db = Db::connect(&config.db()).await?;
            let version = db.migrate().await?;
            println!("database schema is at version {version}");
            Ok(())
        }
        Command::Admin(cmd) => admin::run(&config, cmd).await,
        Command::Mail(crate::cli::MailCommand::Parse { file, json }) => mail::parse(&file, json),
        Command::Mail(crate::cli::MailCommand::Ingest { path }) => {
            mail::ingest(&config, &path).await
        }
        Command::Seed(args) => seed::run(&config, args).await,
        Command::Reindex => reindex::run(&config).await,
        Command::SearchBench(args) => reindex::bench(&config, args).await,
        Command::Sla(crate::cli::SlaCommand::Eval { file }) => sla::eval(&file).await,
        Command::Sla(crate::cli::SlaCommand::Recompute { policy }) => {
            sla::recompute(&config, policy).await
        }
    }
}

/// Connects and brings the schema up to date, refusing one from a newer release.
pub async fn open_db(config: &Config) -> Result<Db, Box<dyn std::error::Error + Send + Sync>> {
    let db = Db::connect(&config.db()).await?;
    db.prepare_for_serving().await?;
    Ok(db)
}
