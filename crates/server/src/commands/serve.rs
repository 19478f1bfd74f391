use ferrodesk_web::{AppState, WebConfig};
use tokio::net::TcpListener;

use super::{CommandResult, open_db};
use crate::cli::{MailProtocol, ServeArgs};
use crate::config::Config;
use crate::demo;

pub async fn serve(config: &Config, args: &ServeArgs, with_demo: bool) -> CommandResult {
    let bind = args.bind;
    let db = open_db(config).await?;
    let shutdown = shutdown_signal();
    let logins = if with_demo {
        Some(demo::ensure_demo(&db).await?)
    } else {
        None
    };
    let addr = config.bind(bind);
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!(%url, backend = ?db.backend(), "ferrodesk is serving");
    println!("Ferrodesk is running at {url}  (API docs: {url}/api/docs)");
    if let Some(logins) = logins {
        println!("{logins}");
    }
    let search = super::reindex::open_index(config)?;
    let state = AppState::new(
        db.clone(),
        WebConfig {
            secure_cookies: config.secure_cookies,
        },
    )
    .with_search(search.clone())
    .with_mailer(std::sync::Arc::new(
        ferrodesk_desk::mailer::SmtpMailer::new(db.clone()),
    ));
    let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
    // Each capability registers its job kinds and its followers of the event log; the runners
    // know none of them.
    let mut jobs = ferrodesk_store::jobs::JobHandlers::new();
    ferrodesk_desk::jobs::register(&mut jobs);
    let mut followers = ferrodesk_store::followers::Followers::new();
    // This node's copy of the search index.
    followers.register(std::sync::Arc::new(ferrodesk_search::IndexFollower(search)));
    let worker = tokio::spawn(ferrodesk_store::jobs::run_worker(db.clone(), jobs, async {
        let _ = worker_stopped.await;
    }));
    let (stop_follower, follower_stopped) = tokio::sync::oneshot::channel::<()>();
    let follower = tokio::spawn(ferrodesk_store::followers::run(
        db.clone(),
        followers,
        async {
            let _ = follower_stopped.await;
        },
    ));
    let mail = ferrodesk_channel_email::start(db.clone(), mail_settings(config, args))
        .await
        .map_err(|e| format!("starting the email channel: {e}"))?;
    let (stop_metrics, metrics_stopped) = tokio::sync::oneshot::channel::<()>();
    let metrics = match args.metrics_listen {
        Some(addr) => {
            let metrics_listener = TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen for metrics on {addr}: {e}"))?;
            tracing::info!(addr = %metrics_listener.local_addr()?, "serving metrics");
            Some(tokio::spawn(ferrodesk_web::serve_metrics(
                metrics_listener,
                state.clone(),
                async {
                    let _ = metrics_stopped.await;
                },
            )))
        }
        None => None,
    };
    ferrodesk_web::serve(listener, state, shutdown).await?;
    let _ = stop_metrics.send(());
    if let Some(metrics) = metrics {
        let _ = metrics.await;
    }
    mail.stop().await;
    let _ = stop_worker.send(());
    let _ = stop_follower.send(());
    let _ = worker.await;
    let _ = follower.await;
    db.close().await;
    tracing::info!("ferrodesk stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight. The handlers are installed
/// here, before the server announces itself, so a signal sent right after the announcement is
/// never lost to the default action.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {},
                        _ = int.recv() => {},
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
            tracing::info!("shutting down");
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    }
}

/// The flags win over the file.
fn mail_settings(config: &Config, args: &ServeArgs) -> ferrodesk_channel_email::Settings {
    let protocol = match args.mail_listen {
        Some(_) => args.mail_protocol,
        None => config.mail.protocol,
    };
    let protocol = match protocol {
        MailProtocol::Smtp => ferrodesk_channel_email::Protocol::Smtp,
        MailProtocol::Lmtp => ferrodesk_channel_email::Protocol::Lmtp,
    };
    ferrodesk_channel_email::Settings {
        listen: args
            .mail_listen
            .or(config.mail.listen)
            .map(|a| (a, protocol)),
        poll_imap: config.mail.poll_imap,
        imap_interval: config.mail.imap_interval,
        rate_limit: ferrodesk_channel_email::spool::RateLimit {
            per_sender: config.mail.sender_limit,
            window: config.mail.sender_window,
        },
        ..Default::default()
    }
}
