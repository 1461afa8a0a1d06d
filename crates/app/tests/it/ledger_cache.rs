//! The reports' in-memory ledger is never stale: an import in the same App, a demo created by another App (another
//! SQLite connection) on the same file, each is seen by the next report, which then equals a fresh App's.

use chrono::NaiveDate;
use encaisse_app::DemoOptions;
use encaisse_app::{App, FecImportOptions};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn open(path: &Path) -> App {
    crate::backend::open(path, Box::new(FixedClock(today()))).unwrap()
}

fn demo(app: &App, seed: u32, customers: u32) {
    app.create_demo(&DemoOptions {
        seed: Some(seed),
        customers: Some(customers),
        end: Some(today()),
        replace: None,
    })
    .unwrap();
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name)
}

#[test]
fn an_import_in_the_same_app_is_seen_by_the_next_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    demo(&app, 1, 40);
    let before = app.aging(None).unwrap();
    let dso_before = app.dso(None, None).unwrap();
    assert_eq!(dso_before.receivables, before.totals.balance);
    // Every report reads the same cached book, and gives what it gave before.
    assert_eq!(app.aging(None).unwrap(), before);

    let report = app
        .import_fec(
            &sample("0000000001FEC20220831.txt"),
            &FecImportOptions::default(),
            &mut |_| {},
        )
        .unwrap();
    let end = report.period_end.unwrap();
    let after = app.aging(Some(end)).unwrap();
    assert_eq!(after.totals.balance, report.open_amount);
    assert_eq!(after, app_aging_fresh(&db, Some(end)));
    // Today too (the demo's date): the demo is gone.
    assert_ne!(app.aging(None).unwrap(), before);
    assert_eq!(app.aging(None).unwrap(), app_aging_fresh(&db, None));
    assert_eq!(
        app.dso(None, None).unwrap().receivables,
        app.aging(None).unwrap().totals.balance
    );
}

#[test]
fn a_write_from_another_connection_is_seen_by_the_next_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let desktop = open(&db);
    demo(&desktop, 1, 40);
    let before = desktop.aging(None).unwrap();
    let dashboard_before = desktop.dashboard(None).unwrap();

    // The CLI, another connection to the same file, replaces the book.
    let cli = open(&db);
    demo(&cli, 2, 60);
    let theirs = cli.aging(None).unwrap();
    assert_ne!(theirs, before, "seed 2 gives another book");

    assert_eq!(desktop.aging(None).unwrap(), theirs);
    assert_ne!(desktop.dashboard(None).unwrap(), dashboard_before);
    assert_eq!(desktop.dashboard(None).unwrap(), cli.dashboard(None).unwrap());
    assert_eq!(
        desktop.forecast(None, None).unwrap(),
        cli.forecast(None, None).unwrap()
    );

    // And back: the desktop's own write is seen by the CLI's cache.
    demo(&desktop, 1, 40);
    assert_eq!(cli.aging(None).unwrap(), before);
    assert_eq!(desktop.aging(None).unwrap(), before);
}

#[test]
fn reports_on_a_warm_cache_equal_those_of_a_fresh_app() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    demo(&app, 3, 80);
    // Warm the cache at one date, then ask other dates and reports.
    app.aging(None).unwrap();
    for as_of in ["2026-11-26", "2026-06-30", "2025-12-31", "2024-01-15"] {
        let as_of = Some(NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap());
        let fresh = open(&db);
        assert_eq!(app.aging(as_of).unwrap(), fresh.aging(as_of).unwrap());
        assert_eq!(
            app.dso_set(as_of, None).unwrap(),
            fresh.dso_set(as_of, None).unwrap()
        );
        assert_eq!(
            app.forecast(as_of, None).unwrap(),
            fresh.forecast(as_of, None).unwrap()
        );
        assert_eq!(app.dashboard(as_of).unwrap(), fresh.dashboard(as_of).unwrap());
        // The customer file reads the cached book too.
        let customers = fresh.customers_report(as_of).unwrap().customers;
        for c in customers.iter().step_by(20) {
            assert_eq!(
                app.customer_file(&c.id, as_of).unwrap(),
                fresh.customer_file(&c.id, as_of).unwrap()
            );
        }
    }
}

fn app_aging_fresh(db: &Path, as_of: Option<NaiveDate>) -> encaisse_app::AgingReport {
    open(db).aging(as_of).unwrap()
}
