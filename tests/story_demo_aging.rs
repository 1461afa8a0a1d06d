//! Story: a finance director opens the demo company and reads the aged balance and the DSO,
//! today and on past dates, through the app crate as the CLI and the desktop do.

use chrono::NaiveDate;
use encaisse_app::DemoOptions;
use encaisse_app::{App, AppError};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::str::FromStr;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|_| panic!("'{s}' is not a decimal"))
}

fn sum(v: &[String]) -> Decimal {
    v.iter().map(|s| dec(s)).sum()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn demo_company_aged_balance_adds_up_on_every_date() {
    let dir = tempfile::tempdir().unwrap();
    let today = date("2026-11-26");
    let app = App::open(&dir.path().join("encaisse.db"), Box::new(FixedClock(today))).unwrap();

    // An empty database says what to do rather than showing zeros.
    assert!(matches!(app.aging(None), Err(AppError::NoData(_))));
    assert!(!app.status().unwrap().has_data);

    let summary = app
        .create_demo(&DemoOptions {
            seed: Some(42),
            customers: None,
            end: None,
            replace: None,
        })
        .unwrap();
    assert_eq!(summary.customers, 300);
    assert_eq!(summary.end, today);
    assert!(
        summary.invoices > 5_000,
        "two years of invoices: {}",
        summary.invoices
    );
    assert!(app.status().unwrap().has_data);

    for as_of in [
        None,
        Some(date("2026-06-30")),
        Some(date("2025-12-31")),
        Some(date("2025-03-01")),
    ] {
        let aging = app.aging(as_of).unwrap();
        assert_eq!(aging.as_of, as_of.unwrap_or(today));
        assert_eq!(aging.buckets, ["not_due", "1-30", "31-60", "61-90", "91+"]);
        assert!(!aging.customers.is_empty());
        for c in &aging.customers {
            assert_eq!(
                sum(&c.buckets) + dec(&c.unapplied),
                dec(&c.balance),
                "customer {} on {:?}",
                c.id,
                as_of
            );
            assert!(
                dec(&c.unapplied) <= Decimal::ZERO,
                "unapplied credits are credits: {}",
                c.id
            );
        }
        let t = &aging.totals;
        assert_eq!(sum(&t.buckets) + dec(&t.unapplied), dec(&t.balance));
        assert_eq!(
            aging.customers.iter().map(|c| dec(&c.balance)).sum::<Decimal>(),
            dec(&t.balance)
        );
        for i in 0..5 {
            let column: Decimal = aging.customers.iter().map(|c| dec(&c.buckets[i])).sum();
            assert_eq!(column, dec(&t.buckets[i]), "bucket {i}");
        }

        let dso = app.dso(as_of, None).unwrap();
        assert_eq!(
            dso.receivables, t.balance,
            "DSO uses the aged balance's receivables"
        );
        let avg = dso.dso_average.expect("the demo has sales");
        let countback = dso.dso_countback.expect("the demo has sales");
        // Calibrated on French payment habits: terms around 40 days and about 13 days late on average.
        assert!((40.0..=70.0).contains(&avg), "DSO average {avg} on {as_of:?}");
        assert!(
            (40.0..=70.0).contains(&countback),
            "DSO countback {countback} on {as_of:?}"
        );
    }

    // The dashboard shows the same figures as the reports.
    let dash = app.dashboard(None).unwrap();
    let aging = app.aging(None).unwrap();
    assert_eq!(dash.receivables, aging.totals.balance);
    assert_eq!(dash.dso, app.dso(None, None).unwrap());
    let overdue: Decimal = aging.totals.buckets[1..].iter().map(|s| dec(s)).sum();
    assert_eq!(dec(&dash.overdue), overdue);
    assert!(dash
        .top_late
        .windows(2)
        .all(|w| dec(&w[0].overdue) >= dec(&w[1].overdue)));
    assert!(!dash.top_late.is_empty() && dash.top_late.len() <= 20);

    // Same seed, same book: a second database gives the same aged balance.
    let dir2 = tempfile::tempdir().unwrap();
    let app2 = App::open(&dir2.path().join("encaisse.db"), Box::new(FixedClock(today))).unwrap();
    app2.create_demo(&DemoOptions {
        seed: Some(42),
        customers: None,
        end: Some(today),
        replace: None,
    })
    .unwrap();
    assert_eq!(app2.aging(None).unwrap(), aging);
}

#[test]
fn before_the_history_starts_nothing_is_owed() {
    let dir = tempfile::tempdir().unwrap();
    let today = date("2026-11-26");
    let app = App::open(&dir.path().join("encaisse.db"), Box::new(FixedClock(today))).unwrap();
    let s = app
        .create_demo(&DemoOptions {
            seed: Some(1),
            customers: Some(20),
            end: None,
            replace: None,
        })
        .unwrap();
    let before = s.start.pred_opt().unwrap();
    let aging = app.aging(Some(before)).unwrap();
    assert!(aging.customers.is_empty());
    assert_eq!(aging.totals.balance, "0.00");
    let dso = app.dso(Some(before), None).unwrap();
    assert_eq!((dso.dso_average, dso.dso_countback), (None, None));
}
