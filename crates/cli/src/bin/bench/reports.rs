//! `encaisse-bench reports --db FILE [--as-of D] [--runs N]`: the reports on an existing database (e.g. the
//! 1,000,000-line FEC of BENCHMARKS.md imported with `encaisse --db FILE import fec`). The first report reads the
//! ledger into the app's cache and is timed apart; then each report is the best of `--runs` on the warm cache.

use chrono::{Months, NaiveDate};
use encaisse_app::App;
use encaisse_domain::FixedClock;
use std::path::Path;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error>;

pub fn run(db: &Path, as_of: NaiveDate, runs: u32) -> Result<(), Error> {
    if !db.exists() {
        return Err(format!("{}: no such database", db.display()).into());
    }
    let app = App::open(db, Box::new(FixedClock(as_of)))?;
    let status = app.status()?;
    println!(
        "database {}: {} customers, {} ledger lines; as of {as_of}",
        db.display(),
        status.customers,
        status.lines
    );
    let start = Instant::now();
    let first = app.aging(Some(as_of))?;
    let load = start.elapsed();
    row("first aging (reads the ledger into the cache)", load, "");
    // Three dates: the as-of date, a quarter and half a year before it.
    let dates: Vec<NaiveDate> = [0, 3, 6]
        .iter()
        .filter_map(|&m| as_of.checked_sub_months(Months::new(m)))
        .collect();
    for d in &dates {
        let (t, report) = best_of(runs, || app.aging(Some(*d)));
        let report = report?;
        row(
            &format!("aging as of {d}"),
            t,
            &format!(
                "{} customers, open {}",
                report.customers.len(),
                report.totals.balance
            ),
        );
    }
    let (t, r) = best_of(runs, || app.dso(Some(as_of), None));
    row(
        "dso (average, countback)",
        t,
        &format!("{:?} days", r?.dso_average),
    );
    // The first DSO set also builds the book's sales index and paid invoices (once per load of the cache).
    let start = Instant::now();
    app.dso_set(Some(as_of), None)?;
    row(
        "first dso set (builds the sales index and paid invoices)",
        start.elapsed(),
        "",
    );
    let (t, r) = best_of(runs, || app.dso_set(Some(as_of), None));
    let r = r?;
    row(
        "dso set (+ best, days late, 12 month ends)",
        t,
        &format!("{} paid invoices", r.paid_invoices),
    );
    let (t, r) = best_of(runs, || app.forecast(Some(as_of), None));
    let r = r?;
    row(
        "forecast (13 weeks)",
        t,
        &format!(
            "total {} (aged balance open items {})",
            r.total,
            open_items(&first)
        ),
    );
    let (t, r) = best_of(runs, || app.dashboard(Some(as_of)));
    r?;
    row("dashboard", t, "");
    // The Clients screen's command. The first call computes the customers report (behaviour, scores, limits) and
    // keeps it with the cached book; the next ones, until a write, only copy the list's columns out of it.
    let start = Instant::now();
    let r = app.customers_report(Some(as_of))?;
    row(
        "first customers report (computes, then kept)",
        start.elapsed(),
        &format!("{} customers", r.customers.len()),
    );
    let (t, r) = best_of(runs, || app.customers_report(Some(as_of)));
    let r = r?;
    let (ser, json) = best_of(runs, || serde_json::to_vec(&r));
    row("customers report, warm (a copy of the kept one)", t, "");
    row(
        "customers report as JSON (export, dashboard)",
        ser,
        &megabytes(json?.len()),
    );
    let (t, list) = best_of(runs, || app.customer_list(Some(as_of)));
    let list = list?;
    row(
        "customer list, warm (the Clients screen)",
        t,
        &format!("{} rows", list.customers.len()),
    );
    let (ser, json) = best_of(runs, || serde_json::to_vec(&list));
    row(
        "customer list as JSON (what the IPC carries)",
        ser,
        &megabytes(json?.len()),
    );
    let (t, json) = best_of(runs, || {
        app.customer_list(Some(as_of)).map(|l| serde_json::to_vec(&l))
    });
    row(
        "customer list + JSON: the command, warm",
        t,
        &megabytes(json??.len()),
    );
    Ok(())
}

/// The sum of the aged balance's buckets, as the forecast's total must be.
fn open_items(aging: &encaisse_app::AgingReport) -> String {
    let sum: rust_decimal::Decimal = aging
        .totals
        .buckets
        .iter()
        .filter_map(|b| b.parse::<rust_decimal::Decimal>().ok())
        .sum();
    encaisse_domain::format_amount(sum)
}

fn megabytes(bytes: usize) -> String {
    format!("{}.{} MB", bytes / 1_000_000, bytes % 1_000_000 / 100_000)
}

fn row(what: &str, t: Duration, note: &str) {
    println!("{what:<48} {:>10.1} ms  {note}", t.as_secs_f64() * 1e3);
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
