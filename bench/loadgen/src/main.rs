//! Closed-loop HTTP load generator for the Ferrodesk API: N concurrent clients each send the
//! next request as soon as the previous answer arrives, for a fixed duration; prints throughput
//! and latency percentiles as one markdown table row.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use rand::Rng;
use serde_json::json;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Scenario {
    /// POST /api/v1/tickets
    Create,
    /// GET /api/v1/tickets/{random id}
    Get,
    /// GET /api/v1/tickets?limit=25 (half plain, half status=open)
    List,
}

#[derive(Debug, Parser)]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[arg(long, env = "FERRODESK_TOKEN")]
    token: String,
    #[arg(long, value_enum)]
    scenario: Scenario,
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Label printed in the first column (e.g. the backend).
    #[arg(long, default_value = "")]
    label: String,
}

struct Outcome {
    latencies_us: Vec<u64>,
    errors: u64,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()
        .expect("client");
    let auth = format!("Bearer {}", args.token);
    let max_id = newest_ticket_id(&client, &args.url, &auth).await;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let shared = Arc::new((client, args.url.clone(), auth));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.concurrency {
        let shared = shared.clone();
        let scenario = args.scenario;
        tasks.push(tokio::spawn(async move {
            let (client, url, auth) = &*shared;
            let mut out = Outcome { latencies_us: Vec::with_capacity(100_000), errors: 0 };
            let mut n: u64 = 0;
            while Instant::now() < deadline {
                n += 1;
                let req = match scenario {
                    Scenario::Create => client.post(format!("{url}/api/v1/tickets")).json(&json!({
                        "subject": format!("Load test ticket {worker}-{n}"),
                        "body": "The invoice for last month shows a double charge. Could you check and refund one of them?",
                        "customer": {"email": format!("load{}@bench.example", rand::rng().random_range(0..50_000))},
                        "channel": "email", "priority": "normal", "tags": ["bench"]
                    })),
                    Scenario::Get => {
                        let id = rand::rng().random_range(1..=max_id.max(1));
                        client.get(format!("{url}/api/v1/tickets/{id}"))
                    }
                    Scenario::List => {
                        if n.is_multiple_of(2) {
                            client.get(format!("{url}/api/v1/tickets?limit=25"))
                        } else {
                            client.get(format!("{url}/api/v1/tickets?limit=25&status=open"))
                        }
                    }
                };
                let t0 = Instant::now();
                match req.header("Authorization", auth.as_str()).send().await {
                    Ok(res) if res.status().is_success() => {
                        let _ = res.bytes().await;
                        out.latencies_us.push(t0.elapsed().as_micros() as u64);
                    }
                    Ok(res) => {
                        out.errors += 1;
                        if out.errors == 1 {
                            eprintln!("worker {worker}: HTTP {} {}", res.status(), res.text().await.unwrap_or_default());
                        }
                    }
                    Err(e) => {
                        out.errors += 1;
                        if out.errors == 1 {
                            eprintln!("worker {worker}: {e}");
                        }
                    }
                }
            }
            out
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let o = t.await.expect("worker");
        all.extend(o.latencies_us);
        errors += o.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return 0.0;
        }
        let i = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        all[i] as f64 / 1000.0
    };
    println!(
        "| {} | {:?} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
        args.label,
        args.scenario,
        args.concurrency,
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.95),
        pct(0.99),
        all.last().copied().unwrap_or(0) as f64 / 1000.0,
        errors
    );
}

async fn newest_ticket_id(client: &reqwest::Client, url: &str, auth: &str) -> i64 {
    let page: serde_json::Value = client
        .get(format!("{url}/api/v1/tickets?limit=1"))
        .header("Authorization", auth)
        .send()
        .await
        .expect("server reachable")
        .json()
        .await
        .expect("ticket list");
    page["items"][0]["id"].as_i64().unwrap_or(1)
}
