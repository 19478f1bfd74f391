use indicatif::{ProgressBar, ProgressStyle};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::{CommandResult, open_db};
use crate::cli::SeedArgs;
use crate::config::Config;
use crate::demo;

pub async fn run(config: &Config, args: SeedArgs) -> CommandResult {
    let db = open_db(config).await?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let staff = demo::ensure_staff(&db).await?;
    let organizations = demo::ensure_organizations(&db).await?;
    let customer_count = (args.tickets / 4).clamp(1, 250_000);
    let bar = ProgressBar::new(args.tickets).with_style(
        ProgressStyle::with_template(
            "{spinner} seeding [{bar:40}] {pos}/{len} tickets  {per_sec}  eta {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message("customers");
    let customers = demo::add_customers(&db, &mut rng, customer_count, &organizations).await?;
    let started = std::time::Instant::now();
    demo::add_tickets(&db, &mut rng, &staff, &customers, args.tickets, |n| {
        bar.inc(n)
    })
    .await?;
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "seeded {} tickets for {} customers in {:.1}s ({:.0} tickets/s)",
        args.tickets,
        customers.len(),
        secs,
        args.tickets as f64 / secs.max(0.001)
    );
    db.close().await;
    Ok(())
}
