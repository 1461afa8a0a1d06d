//! The XLSX exports read back with calamine: the sheet's name, the title and French headers, amounts written as
//! numbers (not text) equal to the report's figures, dates as dates — on the demo company.

use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use chrono::NaiveDate;
use encaisse_app::export_file::{ExportFormat, ExportReport};
use encaisse_app::reports::AgingOptions;
use encaisse_app::App;
use encaisse_app::DemoOptions;
use encaisse_domain::FixedClock;
use std::path::Path;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app =
        crate::backend::open(&dir.path().join("demo.db"), Box::new(FixedClock(d("2026-11-26")))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(d("2026-11-26")),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

/// Writes the report as XLSX and reads its only sheet back: (sheet name, cells).
fn export(app: &App, dir: &Path, report: &ExportReport) -> (String, Range<Data>) {
    let path = dir.join("export.xlsx");
    app.export_report(report, ExportFormat::Xlsx, &path).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names.len(), 1, "{names:?}");
    let range = wb.worksheet_range(&names[0]).unwrap();
    (names[0].clone(), range)
}

fn row(range: &Range<Data>, r: usize) -> Vec<Data> {
    range.rows().nth(r).unwrap().to_vec()
}

fn texts(cells: &[Data]) -> Vec<String> {
    cells
        .iter()
        .map(|c| match c {
            Data::String(s) => s.clone(),
            other => panic!("a header is text, not {other:?}"),
        })
        .collect()
}

/// An amount cell: a number (never text) that reads as the report's "1234.50".
fn assert_amount(cell: &Data, expected: &str) {
    match cell {
        Data::Float(v) => assert_eq!(format!("{v:.2}"), expected, "{cell:?}"),
        Data::Int(v) => assert_eq!(format!("{v}.00"), expected, "{cell:?}"),
        other => panic!("amount {expected} written as {other:?}, not a number"),
    }
}

fn assert_date(cell: &Data, expected: NaiveDate) {
    match cell {
        Data::DateTime(dt) => assert_eq!(dt.as_datetime().unwrap().date(), expected),
        other => panic!("date {expected} written as {other:?}"),
    }
}

#[test]
fn the_aged_balance_reads_back_with_numbers_equal_to_the_report() {
    let (dir, app) = demo();
    let options = AgingOptions {
        as_of: Some(d("2026-11-26")),
        ..AgingOptions::default()
    };
    let report = app.aging_with(&options).unwrap();
    let (name, range) = export(&app, dir.path(), &ExportReport::Aging { options });
    assert_eq!(name, "Balance âgée");
    assert_eq!(range.start(), Some((0, 0)));
    assert_eq!(
        row(&range, 0)[0],
        Data::String("Balance âgée au 26/11/2026".into())
    );
    assert_eq!(
        texts(&row(&range, 1)),
        [
            "Code client",
            "Client",
            "Solde",
            "Non affecté",
            "Non échu",
            "1-30 j",
            "31-60 j",
            "61-90 j",
            "91+ j"
        ]
    );
    // One row per customer then the total, in the report's order.
    assert_eq!(range.height(), 2 + report.customers.len() + 1);
    for (i, c) in report.customers.iter().enumerate() {
        let cells = row(&range, 2 + i);
        assert_eq!(cells[0], Data::String(c.id.clone()));
        assert_eq!(cells[1], Data::String(c.name.clone()));
        assert_amount(&cells[2], &c.balance);
        assert_amount(&cells[3], &c.unapplied);
        for (b, amount) in c.buckets.iter().enumerate() {
            assert_amount(&cells[4 + b], amount);
        }
    }
    let total = row(&range, 2 + report.customers.len());
    assert_eq!(total[0], Data::String("TOTAL".into()));
    assert_amount(&total[2], &report.totals.balance);
    for (b, amount) in report.totals.buckets.iter().enumerate() {
        assert_amount(&total[4 + b], amount);
    }
}

#[test]
fn the_forecast_the_customers_and_the_d441_6_table_read_back() {
    let (dir, app) = demo();
    let as_of = Some(d("2026-11-26"));

    let f = app.forecast(as_of, None).unwrap();
    let (name, range) = export(&app, dir.path(), &ExportReport::Forecast { as_of, weeks: None });
    assert_eq!(name, "Prévision d'encaissements");
    assert_eq!(
        texts(&row(&range, 1)),
        ["Semaine", "Du", "Au", "Encaissement attendu", "Dont confirmé"]
    );
    for (i, w) in f.weeks.iter().enumerate() {
        let cells = row(&range, 2 + i);
        assert_eq!(cells[0], Data::String(format!("S{}", i + 1)));
        assert_date(&cells[1], w.start);
        assert_date(&cells[2], w.end);
        assert_amount(&cells[3], &w.expected);
        assert_amount(&cells[4], &w.confirmed);
    }
    let tail: Vec<Vec<Data>> = (2 + f.weeks.len()..range.height())
        .map(|r| row(&range, r))
        .collect();
    let labels: Vec<&Data> = tail.iter().map(|r| &r[0]).collect();
    assert_eq!(
        labels,
        [
            &Data::String("Plus tard".into()),
            &Data::String("Incertain".into()),
            &Data::String("TOTAL".into())
        ]
    );
    assert_amount(&tail[0][3], &f.later);
    assert_amount(&tail[1][3], &f.uncertain);
    assert_amount(&tail[2][3], &f.total);

    let c = app.customers_report(as_of).unwrap();
    let (name, range) = export(&app, dir.path(), &ExportReport::Customers { as_of });
    assert_eq!(name, "Clients");
    let headers = texts(&row(&range, 1));
    assert_eq!(
        &headers[..8],
        [
            "Code client",
            "Client",
            "Catégorie",
            "Segment (fichier)",
            "Recouvreur",
            "Solde",
            "Échu",
            "Non échu"
        ]
    );
    assert!(headers.contains(&"Relances avant paiement".to_string()));
    let score = headers.iter().position(|h| h == "Score").unwrap();
    for (i, customer) in c.customers.iter().enumerate() {
        let cells = row(&range, 2 + i);
        assert_eq!(cells[0], Data::String(customer.id.clone()));
        assert_amount(&cells[5], &customer.balance);
        assert_amount(&cells[6], &customer.overdue);
        assert_amount(&cells[7], &customer.not_due);
        assert_eq!(cells[score], Data::Float(f64::from(customer.score)));
    }

    app.set_turnover(d("2025-12-31"), "1000000".parse().unwrap())
        .unwrap();
    let t = app.d441_6(d("2025-12-31"), None).unwrap();
    let (name, range) = export(
        &app,
        dir.path(),
        &ExportReport::D4416 {
            year_end: d("2025-12-31"),
            turnover: None,
        },
    );
    assert_eq!(name, "Tableau D441-6");
    assert_eq!(
        texts(&row(&range, 1)),
        [
            "Tranche de retard",
            "Nombre de factures",
            "Montant TTC",
            "% du CA HT de l'exercice"
        ]
    );
    let bands: Vec<_> = t.bands.iter().chain([&t.total]).collect();
    for (i, b) in bands.iter().enumerate() {
        let cells = row(&range, 2 + i);
        assert_eq!(cells[1], Data::Float(f64::from(b.invoices)));
        assert_amount(&cells[2], &b.amount);
        match (b.share, &cells[3]) {
            (Some(share), Data::Float(v)) => assert_eq!(*v, share),
            (None, Data::Empty) => {}
            (s, cell) => panic!("share {s:?} written as {cell:?}"),
        }
    }
    let turnover = row(&range, 2 + bands.len() + 1);
    assert_eq!(
        turnover[0],
        Data::String("Chiffre d'affaires HT de l'exercice".into())
    );
    assert_amount(&turnover[2], "1000000.00");
}
