//! The customer file and the DAF's what-if through the app API, checked against the other reports on the demo
//! company: the file's figures are the customers report's, its paid invoices explain its behaviour.

use chrono::NaiveDate;
use encaisse_app::export_file::{ExportFormat, ExportReport};
use encaisse_app::reports::AgingOptions;
use encaisse_app::DemoOptions;
use encaisse_app::{App, AppError};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app =
        crate::backend::open(&dir.path().join("demo.db"), Box::new(FixedClock(d("2026-11-26")))).unwrap();
    app.create_demo(&DemoOptions {
        seed: None,
        customers: Some(40),
        end: Some(d("2026-11-26")),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

#[test]
fn the_customer_file_agrees_with_the_customers_report_and_the_drill_down() {
    let (_dir, app) = demo();
    let as_of = Some(d("2026-11-26"));
    let report = app.customers_report(as_of).unwrap();
    // The customer with the most paid invoices, so the behaviour has something to explain.
    let analysed = report
        .customers
        .iter()
        .max_by_key(|c| (c.behaviour.paid_invoices, c.id.clone()))
        .unwrap();
    let file = app.customer_file(&analysed.id, as_of).unwrap();
    assert_eq!(&file.analysis, analysed);
    assert_eq!(file.as_of, d("2026-11-26"));
    assert!(file.terms.contains(':') || file.terms == "on_receipt");

    // Paid invoices: latest payment first, each one's days late as dated.
    assert!(!file.paid.is_empty());
    for w in file.paid.windows(2) {
        assert!(w[0].paid_on >= w[1].paid_on);
    }
    for p in &file.paid {
        assert_eq!(i64::from(p.days_late), (p.paid_on - p.due_date).num_days());
        assert!(p.paid_on <= d("2026-11-26"));
    }

    // Twelve calendar months, the date's month last; together they hold the year's paid invoices.
    assert_eq!(file.months.len(), 12);
    assert_eq!(file.months[11].month, d("2026-11-01"));
    assert_eq!(file.months[0].month, d("2025-12-01"));
    let in_months: u32 = file.months.iter().map(|m| m.invoices).sum();
    let year: Vec<_> = file
        .paid
        .iter()
        .filter(|p| p.paid_on > d("2025-11-30") && dec(&p.amount) > Decimal::ZERO)
        .collect();
    assert_eq!(in_months as usize, year.len());
    let amount: Decimal = file.months.iter().map(|m| dec(&m.amount)).sum();
    assert_eq!(amount, year.iter().map(|p| dec(&p.amount)).sum::<Decimal>());
    for m in &file.months {
        assert_eq!(m.invoices == 0, m.avg_days_late.is_none());
    }

    // Its open invoices (the drill-down) add up to its buckets.
    let open = app
        .aging_invoices(
            &AgingOptions {
                as_of,
                ..AgingOptions::default()
            },
            Some(&file.id),
        )
        .unwrap();
    let open_sum: Decimal = open.invoices.iter().map(|i| dec(&i.residual)).sum();
    let buckets: Decimal = file.analysis.buckets.iter().map(|b| dec(b)).sum();
    assert_eq!(open_sum, buckets);
    assert!(open.invoices.iter().all(|i| i.customer_id == file.id));
}

#[test]
fn an_unknown_customer_is_refused_by_name() {
    let (_dir, app) = demo();
    match app.customer_file("NOPE", None) {
        Err(AppError::InvalidInput(m)) => assert!(m.contains("NOPE"), "{m}"),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[test]
fn the_what_if_uses_the_dso_sales() {
    let (_dir, app) = demo();
    let dso = app.dso(Some(d("2026-11-26")), None).unwrap();
    let w = app.what_if(Some(d("2026-11-26")), None, 10, dec("4.5")).unwrap();
    assert_eq!(w.sales, dso.sales);
    assert_eq!(w.period_days, 90);
    let sales = dec(&dso.sales);
    let expected = (sales / Decimal::from(90) * Decimal::from(10))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(dec(&w.cash_freed), expected);
    assert_eq!(
        dec(&w.financing_saved),
        (expected * dec("0.045"))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    );
    assert_eq!(w.rate, "4.5");
    assert!(matches!(
        app.what_if(None, None, 10, dec("150")),
        Err(AppError::InvalidInput(_))
    ));
}

#[test]
fn a_report_is_exported_to_the_chosen_file() {
    let (dir, app) = demo();
    let as_of = Some(d("2026-11-26"));
    let customers = app.customers_report(as_of).unwrap();
    let csv = dir.path().join("clients.csv");
    let done = app
        .export_report(&ExportReport::Customers { as_of }, ExportFormat::Csv, &csv)
        .unwrap();
    let bytes = std::fs::read(&csv).unwrap();
    assert_eq!(done.bytes as usize, bytes.len());
    assert_eq!(done.rows as usize, customers.customers.len());
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'));
    // One line per customer plus the headers, `;` separated, the first customer's name in it.
    assert_eq!(text.lines().count(), customers.customers.len() + 1);
    assert!(text.contains(&customers.customers[0].name));

    let xlsx = dir.path().join("d441-6.xlsx");
    let done = app
        .export_report(
            &ExportReport::D4416 {
                year_end: d("2025-12-31"),
                turnover: Some("1 000 000,00".into()),
            },
            ExportFormat::Xlsx,
            &xlsx,
        )
        .unwrap();
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    assert!(done.rows >= 5);

    let nowhere = dir.path().join("missing-folder").join("x.csv");
    assert!(matches!(
        app.export_report(
            &ExportReport::Forecast { as_of, weeks: None },
            ExportFormat::Csv,
            &nowhere
        ),
        Err(AppError::Io(_))
    ));
}
