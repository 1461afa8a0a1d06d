//! The ledger forms kept in the database (a new process's aged balance, dashboard and DSO read them instead of
//! every line) are never used stale: each write path that changes the ledger or the customers (FEC import,
//! customers and invoices files, e-invoices, another connection) empties them in its transaction, and a bank
//! receipt (not in the forms) makes the App read the lines. After each write, a new App's reports equal the full
//! computation (a copy of the database without forms), first when it reads the lines and keeps the forms again,
//! then in the next new App that reads the forms alone.

use crate::bank::{camt, Ntry};
use chrono::NaiveDate;
use encaisse_app::bank::BankImportOptions;
use encaisse_app::{App, FecImportOptions, TabularOptions};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn open(path: &Path) -> App {
    crate::backend::open(path, Box::new(FixedClock(today()))).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const FEC_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";

/// One sales entry: customer debit, sales and VAT credits.
#[allow(clippy::too_many_arguments)]
fn sale(
    num: u32,
    date: &str,
    aux: &str,
    aux_lib: &str,
    piece: &str,
    ht: &str,
    tva: &str,
    ttc: &str,
) -> String {
    let l = |account: &str, lib: &str, aux: &str, aux_lib: &str, debit: &str, credit: &str| {
        format!(
            "VE\tVentes\t{num}\t{date}\t{account}\t{lib}\t{aux}\t{aux_lib}\t{piece}\t{date}\tFacture {piece}\t{debit}\t{credit}\t\t\t{date}\t\t\n"
        )
    };
    l("411000", "Clients", aux, aux_lib, ttc, "0,00")
        + &l("706000", "Prestations", "", "", "0,00", ht)
        + &l("445710", "TVA collectée", "", "", "0,00", tva)
}

/// The ledger of `crates/app/tests/it/import_einvoice.rs` (FA-2026-00042 matches the CII fixture), and more.
fn fec(extra: &str) -> String {
    format!(
        "{FEC_HEADER}\n{}{}{}{extra}",
        sale(
            1,
            "20260915",
            "CMARTIN",
            "BOULANGERIE MARTIN & FILS SAS",
            "FA-2026-00042",
            "1394,00",
            "278,80",
            "1672,80"
        ),
        sale(
            2,
            "20260920",
            "CBESSON",
            "BESSON FROMAGES",
            "F2026-1187",
            "9585,00",
            "1917,00",
            "11502,00"
        ),
        sale(
            3,
            "20260801",
            "CAUTRE",
            "Autre client",
            "FA-2026-00001",
            "100,00",
            "20,00",
            "120,00"
        ),
    )
}

/// What a new process shows first, in both views.
#[derive(Debug, PartialEq)]
struct Shown {
    aging: Vec<encaisse_app::AgingReport>,
    dashboard: encaisse_app::reports::Dashboard,
    dso: encaisse_app::reports::DsoReport,
    ledger_only: encaisse_app::AgingReport,
}

fn shown(app: &App) -> Shown {
    let dates = [today(), NaiveDate::from_ymd_opt(2026, 10, 15).unwrap()];
    let aging = dates.iter().map(|d| app.aging(Some(*d)).unwrap()).collect();
    let dashboard = app.dashboard(None).unwrap();
    let dso = app.dso(None, None).unwrap();
    app.set_ledger_only(true);
    let ledger_only = app.aging(None).unwrap();
    app.set_ledger_only(false);
    Shown {
        aging,
        dashboard,
        dso,
        ledger_only,
    }
}

fn kept(db: &Path) -> i64 {
    crate::common::value(db, "SELECT count(*) FROM ledger_form")
        .parse()
        .unwrap()
}

/// The full computation: a new App on a copy of the database without kept forms.
fn full(db: &Path) -> Shown {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute("VACUUM INTO ?1", [copy.to_str().unwrap()]).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .execute_batch("DELETE FROM ledger_form")
        .unwrap();
    shown(&open(&copy))
}

/// After a write: a new App's reports are the full computation's; it keeps the forms, and the next new App, which
/// reads them, shows the same.
fn check(db: &Path, what: &str) -> Shown {
    let want = full(db);
    assert_eq!(shown(&open(db)), want, "{what}: a new App reading the lines");
    assert!(kept(db) >= 2, "{what}: the forms are kept again");
    assert_eq!(shown(&open(db)), want, "{what}: a new App reading the kept forms");
    want
}

#[test]
fn sqlite_only_the_kept_forms_are_never_used_stale_whatever_writes() {
    // The kept ledger forms are SQLite's only (Store::save_ledger_forms keeps none on a server).
    if !crate::backend::sqlite_only("the_kept_forms_are_never_used_stale_whatever_writes") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let ledger = write(dir.path(), "ledger.txt", &fec(""));
    app.import_fec(&ledger, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    assert_eq!(kept(&db), 0, "nothing read the lines yet");
    let mut before = check(&db, "FEC import");

    // Each write changes what is shown; the forms kept before it are gone when it commits.
    let changed = |what: &str, before: &mut Shown| {
        assert_eq!(kept(&db), 0, "{what}: the forms of before are gone");
        let after = check(&db, what);
        assert_ne!(after.aging, before.aging, "{what} changes the aged balance");
        *before = after;
    };

    // An e-invoice gives FA-2026-00042 its due date (31 October instead of 15 October).
    let cii = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/einvoice/cii-invoice.xml"),
    )
    .unwrap();
    let cii = write(dir.path(), "facture.xml", &cii);
    app.import_einvoices(&[cii]).unwrap();
    changed("e-invoice", &mut before);

    // A customers file gives CAUTRE 90 days.
    let customers = write(
        dir.path(),
        "clients.csv",
        "Code client;Nom;Délai de paiement\nCAUTRE;Autre client;90 jours\n",
    );
    app.import_customers_file(&customers, &TabularOptions::default())
        .unwrap();
    changed("customers file", &mut before);

    // An open-invoices file adds an invoice.
    let invoices = write(
        dir.path(),
        "factures.csv",
        "Facture;Client;Date;Montant\nF-OPEN-1;CNOUVEAU;01/09/2026;250,00\n",
    );
    app.import_invoices_file(&invoices, &TabularOptions::default())
        .unwrap();
    changed("invoices file", &mut before);

    // The FEC again, with one more sale.
    let ledger = write(
        dir.path(),
        "ledger.txt",
        &fec(&sale(
            4,
            "20261105",
            "CAUTRE",
            "Autre client",
            "FA-2026-00002",
            "500,00",
            "100,00",
            "600,00",
        )),
    );
    app.import_fec(
        &ledger,
        &FecImportOptions {
            siren: Some("123456782".into()),
            ..FecImportOptions::default()
        },
        &mut |_| {},
    )
    .unwrap();
    changed("FEC re-import", &mut before);

    // Another connection (another process) changes an amount.
    crate::common::execute(
        &db,
        "UPDATE ledger_line SET amount_minor = amount_minor + 1000 WHERE piece_ref = 'F2026-1187'",
        &[],
    );
    changed("another connection", &mut before);

    // A bank receipt pays F2026-1187: not in the forms (the FEC's alone), which stay; the default view reads the
    // lines to add it, the ledger-only view still reads the forms.
    let file = camt(
        dir.path(),
        "releve.xml",
        "S1",
        "2026-11-20",
        &[Ntry(
            "E-1",
            Decimal::from_str("11512.00").unwrap(),
            "BESSON FROMAGES",
            "PAIEMENT FACTURE F2026-1187",
        )],
    );
    let report = app.import_bank(&[file], &BankImportOptions::default()).unwrap();
    assert_eq!(report.matched, 1, "{report:?}");
    assert!(kept(&db) >= 2, "the FEC's forms stay");
    let after = check(&db, "bank receipt");
    assert_ne!(after.aging, before.aging, "the receipt is shown");
    assert_eq!(
        after.ledger_only, before.ledger_only,
        "not in the ledger-only view"
    );
}
