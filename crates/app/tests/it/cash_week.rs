//! The dashboard's week: a bank receipt booked this week counts as cash in against the forecast made on Monday
//! (not in the ledger-only view, not in last week's), an unknown payer is an alert, a 210 Refusée too; what a file
//! is from its content (the import screen's drops); what removing a statement would take away, nothing written.

use crate::bank::{camt, demo, Ntry};
use chrono::NaiveDate;
use encaisse_app::bank::{BankImportOptions, BankStatus};
use encaisse_app::imports::FileKind;
use encaisse_app::reports::AgingOptions;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// An invoice open on Sunday 22 November and still open today for the same amount: (number, still due).
fn open_since_sunday(app: &encaisse_app::App) -> (String, Decimal) {
    let at = |as_of: Option<NaiveDate>| {
        app.aging_invoices(
            &AgingOptions {
                as_of,
                ..AgingOptions::default()
            },
            None,
        )
        .unwrap()
        .invoices
    };
    let today = at(None);
    let mut sunday = at(Some(d("2026-11-22")));
    sunday.sort_by_key(|i| std::cmp::Reverse(dec(&i.residual)));
    sunday
        .into_iter()
        .find(|i| {
            dec(&i.residual) > Decimal::ZERO
                && today
                    .iter()
                    .any(|t| t.piece_ref == i.piece_ref && t.residual == i.residual)
        })
        .map(|i| (i.piece_ref, dec(&i.residual)))
        .expect("an invoice open since Sunday")
}

#[test]
fn a_bank_receipt_this_week_is_cash_in_against_the_forecast_and_an_unknown_payer_an_alert() {
    let (dir, app) = demo();
    let before = app.cash_week(None).unwrap();
    assert_eq!((before.start, before.end), (d("2026-11-23"), d("2026-11-29")));
    assert_eq!(
        (before.bank_receipts, before.unmatched, before.suggested),
        (0, 0, 0)
    );
    assert!(dec(&before.expected) > Decimal::ZERO, "{before:?}");

    let (number, due) = open_since_sunday(&app);
    let file = camt(
        dir.path(),
        "week.xml",
        "W1",
        "2026-11-24",
        &[
            Ntry("W-1", due, "SOMEONE", &format!("PAIEMENT FACTURE {number}")),
            Ntry("W-2", dec("17.03"), "ZZZ QWERTY", "VIREMENT XK-4471"),
        ],
    );
    let report = app.import_bank(&[file], &BankImportOptions::default()).unwrap();
    assert_eq!((report.matched, report.unmatched), (1, 1), "{report:?}");

    let after = app.cash_week(None).unwrap();
    assert_eq!(dec(&after.received) - dec(&before.received), due);
    assert_eq!(after.expected, before.expected, "the forecast made on Monday");
    assert_eq!((dec(&after.bank_received), after.bank_receipts), (due, 1));
    assert_eq!(after.unmatched, 1);
    let unmatched = app.bank_entries(Some(BankStatus::Unmatched)).unwrap().entries;
    assert_eq!(unmatched.len(), 1);

    // Last week saw none of it; the ledger-only view neither (the FEC does not know the payment yet).
    let last_week = app.cash_week(Some(d("2026-11-20"))).unwrap();
    assert_eq!(last_week.start, d("2026-11-16"));
    assert_eq!(
        (last_week.bank_receipts, dec(&last_week.bank_received)),
        (0, Decimal::ZERO)
    );
    app.set_ledger_only(true);
    assert_eq!(app.cash_week(None).unwrap().received, before.received);
    app.set_ledger_only(false);
}

#[test]
fn a_refused_invoice_is_an_alert_of_the_week() {
    let (_dir, app) = demo();
    assert!(app.cash_week(None).unwrap().status_alerts.is_empty());
    let cdar = Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/cdar/statuses.xml");
    app.import_statuses(&[cdar]).unwrap();
    let week = app.cash_week(None).unwrap();
    assert!(week.status_alerts.iter().any(|a| a.code == 210), "{week:?}");
    assert_eq!(week.status_alerts, app.einvoice_alerts(None).unwrap());
}

#[test]
fn each_file_is_recognised_by_its_content_whatever_its_name() {
    let (dir, app) = demo();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let copy = |from: &str, to: &str| {
        let p = dir.path().join(to);
        std::fs::copy(root.join(from), &p).unwrap();
        p
    };
    let files = [
        copy("bank/tests/fixtures/camt053_v08.xml", "a.dat"),
        copy("bank/tests/fixtures/cfonb120.txt", "b.dat"),
        copy("bank/tests/fixtures/ofx2.ofx", "c.dat"),
        copy("bank/tests/fixtures/bank.csv", "d.dat"),
        copy("import/tests/fixtures/cdar/statuses.xml", "e.dat"),
        copy("import/tests/fixtures/einvoice/ubl-invoice.xml", "f.dat"),
    ];
    let found = app.detect_files(&files).unwrap();
    let kinds: Vec<(FileKind, Option<&str>)> = found.iter().map(|f| (f.kind, f.format.as_deref())).collect();
    assert_eq!(
        kinds,
        [
            (FileKind::BankStatement, Some("camt053.001.08")),
            (FileKind::BankStatement, Some("cfonb120")),
            (FileKind::BankStatement, Some("ofx")),
            (FileKind::BankCsv, None),
            (FileKind::Statuses, None),
            (FileKind::Einvoice, None),
        ]
    );
    assert_eq!(found[3].file, "d.dat");
    assert!(!found[3].headers.is_empty());
    assert!(found[3].mapping.iter().any(|m| m.field == "date"));
    let missing = app.detect_files(&[dir.path().join("none.xml")]).unwrap_err();
    assert!(missing.to_string().contains("none.xml"), "{missing}");
}

#[test]
fn removing_a_statement_is_told_first_and_nothing_is_written_until_confirmed() {
    let (dir, app) = demo();
    let (number, due) = open_since_sunday(&app);
    let file = camt(
        dir.path(),
        "s.xml",
        "S",
        "2026-11-24",
        &[
            Ntry("R-1", due, "PAYER", &format!("FACTURE {number}")),
            Ntry("R-2", dec("5.00"), "P", "R"),
        ],
    );
    app.import_bank(&[file], &BankImportOptions::default()).unwrap();
    let id = app.bank_statements().unwrap().statements[0].id;
    let told = app.bank_statement_removal(id).unwrap();
    assert_eq!((told.entries_removed, told.decisions_removed), (2, 1));
    assert_eq!(
        app.bank_statements().unwrap().statements.len(),
        1,
        "nothing removed"
    );
    assert_eq!(app.bank_entries(None).unwrap().entries.len(), 2);
    let done = app.bank_remove_statement(id).unwrap();
    assert_eq!(done, told);
    assert!(app.bank_statement_removal(id).is_err());
}
