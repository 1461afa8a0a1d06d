//! `encaisse-bench`: times the use cases on a generated book, for BENCHMARKS.md.
//! `cargo run --release --bin encaisse-bench -- aging [--customers N] [--runs N]`

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use encaisse_app::dto::DemoOptions;
use encaisse_app::App;
use encaisse_domain::FixedClock;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "encaisse-bench",
    about = "Times Encaisse's use cases on a generated demo book"
)]
struct Cli {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// Demo creation (generate + store), then aged balance, DSO and dashboard as of the last day.
    Aging {
        #[arg(long, default_value_t = 300)]
        customers: u32,
        #[arg(long, default_value_t = 5)]
        runs: u32,
    },
}

fn best_of<T>(runs: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:>10.1} ms", d.as_secs_f64() * 1e3)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Bench::Aging { customers, runs } = Cli::parse().command;
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).ok_or("date")?;
    let dir = std::env::temp_dir().join(format!("encaisse-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let app = App::open(&dir.join("bench.db"), Box::new(FixedClock(today)))?;
    let start = Instant::now();
    let demo = app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(customers),
        end: Some(today),
    })?;
    let create = start.elapsed();
    let (aging_t, aging) = best_of(runs, || app.aging(None));
    let listed = aging?.customers.len();
    let (dso_t, dso) = best_of(runs, || app.dso(None, None));
    dso?;
    let (dash_t, dash) = best_of(runs, || app.dashboard(None));
    dash?;
    println!(
        "book: {} customers, {} invoices, {} ledger lines",
        demo.customers, demo.invoices, demo.lines
    );
    println!("{:<38} {}", "demo create (generate + store)", ms(create));
    println!(
        "{:<38} {}  ({listed} customers listed)",
        "aging as of today, best of runs",
        ms(aging_t)
    );
    println!("{:<38} {}", "dso as of today, best of runs", ms(dso_t));
    println!("{:<38} {}", "dashboard as of today, best of runs", ms(dash_t));
    drop(app);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
