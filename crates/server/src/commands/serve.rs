use std::net::SocketAddr;

use ferrodesk_web::{AppState, WebConfig};
use tokio::net::TcpListener;

use super::{CommandResult, open_db};
use crate::config::Config;
use crate::demo;

pub async fn serve(config: &Config, bind: Option<SocketAddr>, with_demo: bool) -> CommandResult {
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
    .with_search(search.clone());
    let (stop_worker, worker_stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(ferrodesk_store::jobs::run_worker(db.clone(), async {
        let _ = worker_stopped.await;
    }));
    // This node's copy of the search index follows the event log.
    let (stop_follower, follower_stopped) = tokio::sync::oneshot::channel::<()>();
    let follower = tokio::spawn(ferrodesk_search::follow(db.clone(), search, async {
        let _ = follower_stopped.await;
    }));
    ferrodesk_web::serve(listener, state, shutdown).await?;
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
