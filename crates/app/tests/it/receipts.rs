//! Provisional receipts: a bank entry matched to an invoice counts at once in the aged balance, the agenda and the
//! customers report (not in the ledger-only view, nor the DSO); a later FEC that shows the payment reconciles it
//! (counted once); a receipt booked on account is an unapplied credit; a suggested entry makes its customers'
//! actions need validation; the formal notice claims what is still due after the receipts.

use crate::bank::{camt, demo, open_invoices, Ntry};
use chrono::NaiveDate;
use encaisse_app::bank::{BankImportOptions, BankStatus};
use encaisse_app::imports::FecImportOptions;
use encaisse_app::letters::NoticeOptions;
use encaisse_app::reports::AgingOptions;
use encaisse_app::App;
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn open_numbers(app: &App, customer: &str) -> Vec<String> {
    app.aging_invoices(&AgingOptions::default(), Some(customer))
        .unwrap()
        .invoices
        .into_iter()
        .map(|i| i.piece_ref)
        .collect()
}

fn aging_row(app: &App, customer: &str) -> (Decimal, Decimal) {
    app.aging(None)
        .unwrap()
        .customers
        .into_iter()
        .find(|r| r.id == customer)
        .map(|r| (dec(&r.balance), dec(&r.unapplied)))
        .unwrap_or_default()
}

fn customer_balance(app: &App, customer: &str) -> Decimal {
    app.customer_rows(None)
        .unwrap()
        .into_iter()
        .find(|r| r.id == customer)
        .map(|r| dec(&r.balance))
        .unwrap_or_default()
}

#[test]
fn a_demo_invoice_paid_by_the_bank_leaves_the_aging_the_agenda_and_the_balance_not_the_ledger_only_view() {
    let (dir, app) = demo();
    // An invoice of a customer the agenda chases today, paid in full by the bank.
    let agenda = app.agenda(None).unwrap();
    let open = open_invoices(&app);
    let (customer, _, number, due) = open
        .iter()
        .find(|i| {
            agenda
                .actions
                .iter()
                .any(|a| a.customer == i.0 && a.invoices.contains(&i.2))
        })
        .cloned()
        .expect("an invoice in the agenda");
    let before = aging_row(&app, &customer);
    let balance_before = customer_balance(&app, &customer);
    let dso_before = app.dso(None, None).unwrap();
    let file = camt(
        dir.path(),
        "day.xml",
        "S1",
        "2026-11-25",
        &[Ntry("R1", due, "SOMEONE", &format!("PAIEMENT FACTURE {number}"))],
    );
    let report = app.import_bank(&[file], &BankImportOptions::default()).unwrap();
    assert_eq!(report.matched, 1);

    assert!(
        !open_numbers(&app, &customer).contains(&number),
        "paid by the bank"
    );
    assert_eq!(aging_row(&app, &customer).0, before.0 - due);
    assert_eq!(customer_balance(&app, &customer), balance_before - due);
    let agenda = app.agenda(None).unwrap();
    for a in agenda.actions.iter().filter(|a| a.customer == customer) {
        assert!(!a.invoices.contains(&number));
    }
    assert_eq!(
        app.dso(None, None).unwrap(),
        dso_before,
        "the DSO reads the FEC alone"
    );

    app.set_ledger_only(true);
    assert!(open_numbers(&app, &customer).contains(&number), "the FEC alone");
    assert_eq!(aging_row(&app, &customer), before);
    assert_eq!(customer_balance(&app, &customer), balance_before);
    let agenda = app.agenda(None).unwrap();
    assert!(agenda
        .actions
        .iter()
        .any(|a| a.customer == customer && a.invoices.contains(&number)));
    app.set_ledger_only(false);
    assert!(!open_numbers(&app, &customer).contains(&number));
}

/// (date, piece, customer, cents: + invoice, − payment, letter, letter date)
struct E(
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
);

fn write_fec(dir: &Path, name: &str, entries: &[E]) -> PathBuf {
    let mut out = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t\
         PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    let money = |c: i64| format!("{},{:02}", c / 100, c % 100);
    for (n, E(date, piece, customer, cents, letter, letter_date)) in entries.iter().enumerate() {
        let date = date.replace('-', "");
        let let_date = letter_date.replace('-', "");
        let (journal, other) = if *cents > 0 {
            ("VE", "706000")
        } else {
            ("BQ", "512000")
        };
        let (debit, credit) = if *cents > 0 { (*cents, 0) } else { (0, -cents) };
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t411000\tClients\t{customer}\tSociete {customer}\t{piece}\t{date}\t{piece}\t{}\t{}\t{letter}\t{let_date}\t{date}\t\t\n",
            money(debit),
            money(credit),
        ));
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t{other}\tContrepartie\t\t\t{piece}\t{date}\t{piece}\t{}\t{}\t\t\t{date}\t\t\n",
            money(credit),
            money(debit)
        ));
    }
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let path = sub.join("123456789FEC20251231.txt");
    std::fs::write(&path, out).unwrap();
    path
}

fn ledger() -> Vec<E> {
    vec![
        E("2025-11-05", "FA-0101", "C1", 100_000, "", ""),
        E("2025-11-06", "FA-0102", "C1", 40_000, "", ""),
        E("2025-11-07", "FA-0201", "C2", 80_000, "", ""),
        E("2025-11-08", "FA-0202", "C2", 30_000, "", ""),
        E("2025-11-09", "FA-0301", "C3", 30_000, "", ""),
    ]
}

#[test]
fn provisional_receipts_are_reconciled_by_the_next_fec_on_account_is_unapplied_suggested_needs_validation() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2025-12-31")))).unwrap();
    let fec = |name: &str, entries: &[E]| {
        let path = write_fec(dir.path(), name, entries);
        app.import_fec(&path, &FecImportOptions::default(), &mut |_| {})
            .unwrap();
    };
    fec("v1", &ledger());
    let file = camt(
        dir.path(),
        "day.xml",
        "S1",
        "2025-12-20",
        &[
            Ntry("R1", dec("1000.00"), "SOCIETE C1", "FACTURE FA-0101"),
            Ntry("R2", dec("250.00"), "SOCIETE C2", "ACOMPTE"),
            Ntry("R3", dec("300.00"), "QUELQU UN", "VIREMENT"),
        ],
    );
    app.import_bank(&[file], &BankImportOptions::default()).unwrap();
    let entries = app.bank_entries(None).unwrap().entries;
    let status = |amount: &str| entries.iter().find(|e| e.amount == amount).unwrap().status;
    assert_eq!(status("1000.00"), BankStatus::Matched);
    assert_eq!(status("300.00"), BankStatus::Suggested, "two invoices owe 300.00");
    let r2 = entries.iter().find(|e| e.amount == "250.00").unwrap().id.clone();
    app.bank_on_account(&r2, "C2").unwrap();

    // C1: FA-0101 paid by the bank.
    assert_eq!(open_numbers(&app, "C1"), ["FA-0102"]);
    assert_eq!(aging_row(&app, "C1"), (dec("400.00"), dec("0.00")));
    let agenda = app.agenda(None).unwrap();
    let c1 = agenda.actions.iter().find(|a| a.customer == "C1").unwrap();
    assert_eq!(c1.invoices, ["FA-0102"]);
    assert_eq!(dec(&c1.amount), dec("400.00"));
    // C2: 250.00 on account; C2 and C3 may have paid the suggested 300.00.
    assert_eq!(aging_row(&app, "C2"), (dec("850.00"), dec("-250.00")));
    let c2 = agenda.actions.iter().find(|a| a.customer == "C2").unwrap();
    assert_eq!(
        (dec(&c2.amount), dec(&c2.unapplied)),
        (dec("1100.00"), dec("-250.00"))
    );
    assert!(c2.needs_validation);
    let c3 = agenda.actions.iter().find(|a| a.customer == "C3").unwrap();
    assert!(c3.needs_validation, "a suggested entry may be its payment");

    // The formal notice claims what is still due after the bank's receipt.
    let notice = app.notice("C1", None, &NoticeOptions::default()).unwrap().claim;
    let claimed: Vec<&str> = notice.invoices.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(claimed, ["FA-0102"]);

    app.set_ledger_only(true);
    assert_eq!(aging_row(&app, "C1"), (dec("1400.00"), dec("0.00")));
    assert_eq!(aging_row(&app, "C2"), (dec("1100.00"), dec("0.00")));
    let agenda = app.agenda(None).unwrap();
    assert!(
        !agenda
            .actions
            .iter()
            .find(|a| a.customer == "C3")
            .unwrap()
            .needs_validation
    );
    app.set_ledger_only(false);

    // The accountant's next FEC: FA-0101 lettered with its payment (two days after the bank's date), C2's
    // 250.00 booked unlettered: each counted once.
    let mut v2 = ledger();
    v2[0] = E("2025-11-05", "FA-0101", "C1", 100_000, "AA", "2025-12-22");
    v2.push(E("2025-12-22", "RC-0101", "C1", -100_000, "AA", "2025-12-22"));
    v2.push(E("2025-12-24", "RC-0201", "C2", -25_000, "", ""));
    fec("v2", &v2);
    for ledger_only in [false, true] {
        app.set_ledger_only(ledger_only);
        assert_eq!(
            open_numbers(&app, "C1"),
            ["FA-0102"],
            "ledger only: {ledger_only}"
        );
        assert_eq!(aging_row(&app, "C1"), (dec("400.00"), dec("0.00")));
        assert_eq!(aging_row(&app, "C2"), (dec("850.00"), dec("-250.00")));
        assert_eq!(customer_balance(&app, "C1"), dec("400.00"));
    }
}
