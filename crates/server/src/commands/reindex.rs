//! `ferrodesk reindex`: rebuilds this node's search index from the database; and the hidden
//! `ferrodesk search-bench`, which measures query latency over the index.

use std::sync::Arc;
use std::time::Instant;

use ferrodesk_core::{Role, Viewer};
use ferrodesk_search::{SearchIndex, SearchRequest, Who};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{CommandResult, open_db};
use crate::cli::SearchBenchArgs;
use crate::config::Config;

/// The index directory of this node: `{data}/search-index`.
pub fn open_index(
    config: &Config,
) -> Result<Arc<SearchIndex>, Box<dyn std::error::Error + Send + Sync>> {
    let dir = config.data_dir.join("search-index");
    SearchIndex::open(&dir).map_err(|e| {
        format!(
            "{e} (in {}; a running `ferrodesk serve` holds the index: stop it first)",
            dir.display()
        )
        .into()
    })
}

pub async fn run(config: &Config) -> CommandResult {
    let db = open_db(config).await?;
    let index = open_index(config)?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} documents  {per_sec}  eta {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let started = Instant::now();
    let n = ferrodesk_search::rebuild(&db, &index, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "indexed {n} documents in {secs:.1}s ({:.0} documents/s); the index is at event {}",
        n as f64 / secs.max(0.001),
        index.cursor().last
    );
    db.close().await;
    Ok(())
}

/// Words support requests are made of (the seeded tickets' vocabulary and beyond), in
/// English and Russian, with a few misspellings.
const WORDS: &[&str] = &[
    "password",
    "reset",
    "login",
    "invoice",
    "refund",
    "payment",
    "card",
    "delivery",
    "order",
    "account",
    "error",
    "printer",
    "email",
    "subscription",
    "cancel",
    "upgrade",
    "billing",
    "shipping",
    "broken",
    "crash",
    "slow",
    "sync",
    "export",
    "import",
    "report",
    "access",
    "пароль",
    "оплата",
    "доставка",
    "счёт",
    "возврат",
    "заказ",
    "ошибка",
    "вход",
    "подписка",
    "карта",
    "принтер",
    "отчёт",
    "доступ",
    "не работает",
    "pasword",
    "refnud",
    "оплатой",
];

pub async fn bench(config: &Config, args: SearchBenchArgs) -> CommandResult {
    let index = open_index(config)?;
    eprintln!("{} documents in the index", index.num_docs());
    let mut rng = StdRng::seed_from_u64(args.seed);
    let admin = Who::Agent(Viewer {
        agent_id: 1,
        role: Role::Admin,
        team_ids: vec![],
    });
    let agent = Who::Agent(Viewer {
        agent_id: 2,
        role: Role::Agent,
        team_ids: vec![1, 2],
    });
    let mut times = Vec::with_capacity(args.queries);
    let mut hits = 0usize;
    for i in 0..args.queries {
        let words = rng.random_range(1..=3);
        let q: Vec<&str> = (0..words)
            .map(|_| WORDS[rng.random_range(0..WORDS.len())])
            .collect();
        let q = if i % 10 == 9 {
            format!("\"{}\"", q.join(" "))
        } else {
            q.join(" ")
        };
        let who = if i % 2 == 0 {
            admin.clone()
        } else {
            agent.clone()
        };
        let req = SearchRequest {
            q,
            kind: (i % 3 == 0).then(|| "ticket".to_string()),
            limit: 20,
            ..Default::default()
        };
        let started = Instant::now();
        hits += index.search(&who, &req)?.len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p).ceil() as usize).clamp(1, times.len()) - 1];
    println!(
        "{} queries: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({:.1} hits per query)",
        times.len(),
        pct(0.50),
        pct(0.95),
        pct(0.99),
        times.last().copied().unwrap_or_default(),
        hits as f64 / times.len().max(1) as f64
    );
    Ok(())
}
