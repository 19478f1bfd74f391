//! The command line: global options every command accepts, and the commands.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "ferrodesk",
    version,
    about = "Ferrodesk: a fast, self-hosted customer-support help desk"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Directory for the SQLite database and other local state [default: ./ferrodesk-data]
    #[arg(long, global = true, env = "FERRODESK_DATA", value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Database URL: postgres://user@host/db, or sqlite://file.db [default: SQLite in --data]
    #[arg(
        long,
        global = true,
        env = "FERRODESK_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
    /// TOML config file [default: ./ferrodesk.toml if it exists]
    #[arg(long, global = true, env = "FERRODESK_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format
    #[arg(long, global = true, env = "FERRODESK_LOG_FORMAT", value_enum)]
    pub log_format: Option<LogFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (API, UI, workers)
    Serve(ServeArgs),
    /// Apply pending database migrations
    Migrate,
    /// Administration: agents and API tokens
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Bulk-load realistic tickets (for benchmarks), with a progress bar
    Seed(SeedArgs),
    /// Fill a fresh instance with a demo company, print the logins, and serve it
    Demo(ServeArgs),
    /// The email channel: parse and ingest messages
    #[command(subcommand)]
    Mail(MailCommand),
    /// Rebuild this node's search index from the database, with a progress bar
    Reindex,
    /// Measure search latency over the current index (benchmarks)
    #[command(hide = true)]
    SearchBench(SearchBenchArgs),
    /// Service-level agreements and business hours
    #[command(subcommand)]
    Sla(SlaCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "FERRODESK_BIND")]
    pub bind: Option<SocketAddr>,
    /// Also accept email directly on this address (for the mailboxes' addresses), e.g. behind
    /// Postfix [default: off]
    #[arg(long, env = "FERRODESK_MAIL_LISTEN", value_name = "ADDR")]
    pub mail_listen: Option<SocketAddr>,
    /// The protocol of --mail-listen
    #[arg(
        long,
        env = "FERRODESK_MAIL_PROTOCOL",
        value_enum,
        default_value = "smtp"
    )]
    pub mail_protocol: MailProtocol,
    /// Serve Prometheus metrics (`/metrics`) on this address, apart from the public one
    /// [default: off: the public address does not serve them]
    #[arg(long, env = "FERRODESK_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailProtocol {
    Smtp,
    Lmtp,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an agent (or update the one with this email)
    CreateAgent {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, env = "FERRODESK_AGENT_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long, value_parser = ["admin", "supervisor", "agent"])]
        role: String,
    },
    /// Create an API token for an agent; prints only the token
    CreateToken {
        #[arg(long)]
        email: String,
        /// A label to recognise the token by
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SlaCommand {
    /// Evaluate business-hours/SLA cases from a JSON file
    Eval { file: PathBuf },
    /// Re-select SLA policies and rebuild deadlines of open tickets (all, or one policy's)
    Recompute {
        #[arg(long)]
        policy: Option<i64>,
    },
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many tickets to add
    #[arg(long)]
    pub tickets: u64,
    /// Random seed, for reproducible data
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Show what the parser sees in a message (.eml)
    Parse {
        file: PathBuf,
        /// Print JSON (the default is a short summary)
        #[arg(long)]
        json: bool,
    },
    /// Ingest a .eml file, a folder of them, or an mbox into tickets
    Ingest { path: PathBuf },
}

#[derive(Debug, Args)]
pub struct SearchBenchArgs {
    /// How many queries to run
    #[arg(long, default_value_t = 500)]
    pub queries: usize,
    /// Random seed for picking query words
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}
