//! Settings from (highest first) command-line flags, `FERRODESK_*` variables, a TOML file, and
//! defaults.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ferrodesk_store::DbConfig;

use crate::cli::{GlobalArgs, LogFormat, MailProtocol};

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// The TOML file's shape; every key is optional.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data: Option<PathBuf>,
    database: Option<String>,
    bind: Option<SocketAddr>,
    log_format: Option<LogFormat>,
    max_connections: Option<u32>,
    secure_cookies: Option<bool>,
    mail: Option<MailFileConfig>,
}

/// `[mail]` in the TOML file.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct MailFileConfig {
    listen: Option<SocketAddr>,
    protocol: Option<MailProtocol>,
    poll_imap: Option<bool>,
    imap_interval_seconds: Option<u64>,
    sender_limit: Option<u32>,
    sender_window_minutes: Option<u64>,
}

/// How this node runs the email channel.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub listen: Option<SocketAddr>,
    pub protocol: MailProtocol,
    pub poll_imap: bool,
    pub imap_interval: std::time::Duration,
    pub sender_limit: u32,
    pub sender_window: std::time::Duration,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database: Option<String>,
    pub bind: Option<SocketAddr>,
    pub log_format: LogFormat,
    pub max_connections: u32,
    pub secure_cookies: bool,
    pub mail: MailConfig,
}

fn env_number<T: std::str::FromStr>(name: &str) -> Result<Option<T>, String> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map(Some)
            .map_err(|_| format!("{name}={v:?} is not a number")),
        Err(_) => Ok(None),
    }
}

impl Config {
    pub fn load(args: &GlobalArgs) -> Result<Self, String> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None if Path::new("ferrodesk.toml").exists() => read_file(Path::new("ferrodesk.toml"))?,
            None => FileConfig::default(),
        };
        Ok(Config {
            data_dir: args
                .data
                .clone()
                .or(file.data)
                .unwrap_or_else(|| PathBuf::from("ferrodesk-data")),
            database: args.database.clone().or(file.database),
            bind: file.bind,
            log_format: args
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Text),
            max_connections: file.max_connections.unwrap_or(16),
            secure_cookies: file.secure_cookies.unwrap_or(false),
            mail: {
                let m = file.mail.unwrap_or_default();
                MailConfig {
                    listen: m.listen,
                    protocol: m.protocol.unwrap_or(MailProtocol::Smtp),
                    poll_imap: m.poll_imap.unwrap_or(true),
                    imap_interval: std::time::Duration::from_secs(
                        m.imap_interval_seconds.unwrap_or(60).max(1),
                    ),
                    sender_limit: env_number("FERRODESK_MAIL_SENDER_LIMIT")?
                        .or(m.sender_limit)
                        .unwrap_or(30),
                    sender_window: std::time::Duration::from_secs(
                        60 * m.sender_window_minutes.unwrap_or(10).max(1),
                    ),
                }
            },
        })
    }

    pub fn db(&self) -> DbConfig {
        DbConfig {
            url: self.database.clone(),
            data_dir: self.data_dir.clone(),
            max_connections: self.max_connections,
        }
    }

    /// The flag or variable wins over the file.
    pub fn bind(&self, flag: Option<SocketAddr>) -> SocketAddr {
        flag.or(self.bind)
            .unwrap_or_else(|| DEFAULT_BIND.parse().expect("valid default address"))
    }
}

fn read_file(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("config file {}: {e}", path.display()))
}

pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FERRODESK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
