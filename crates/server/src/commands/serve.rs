use std::net::SocketAddr;

use ferrodesk_web::{AppState, WebConfig};
use tokio::net::TcpListener;

use super::{CommandResult, open_db};
use crate::config::Config;
use crate::demo;

pub async fn serve(config: &Config, bind: Option<SocketAddr>, with_demo: bool) -> CommandResult {
    let db = open_db(config).await?;
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
    let state = AppState::new(
        db.clone(),
        WebConfig {
            secure_cookies: config.secure_cookies,
        },
    );
    ferrodesk_web::serve(listener, state, shutdown_signal()).await?;
    db.close().await;
    tracing::info!("ferrodesk stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
