//! What a second writer, a path or an imported value cannot do: two imports at once never leave a database half
//! written, and the second never parses its file before it knows it may write; a database error names the file;
//! an XLSX export keeps a formula-like name as text.

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use encaisse_app::export_file::{ExportFormat, ExportReport};
use encaisse_app::{App, AppError, FecImportOptions, TabularOptions};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

use crate::common::dump;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn open(path: &Path) -> App {
    App::open(path, Box::new(FixedClock(today()))).unwrap()
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name)
}

fn fec(app: &App, path: &Path) -> Result<encaisse_app::ImportPreview, AppError> {
    app.import_fec(path, &FecImportOptions::default(), &mut |_| {})
}

fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Another program holds the write lock (a terminal's import in progress): each import of the app stops with
/// `busy`, naming the database, before reading its file — a file full of errors is not reported, so it was not
/// parsed — and nothing changes. Once the lock is released the same import goes through.
#[test]
fn an_import_stops_before_reading_its_file_while_another_holds_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    fec(&open(&db), &sample("111111111FEC20221231.TXT")).unwrap();
    let before = dump(&db);
    let garbage = dir.path().join("111111111FEC20231231.txt");
    std::fs::write(&garbage, "not\tan\tFEC\nat\tall\n").unwrap();
    let customers = dir.path().join("clients.csv");
    std::fs::write(&customers, "Code;Nom\n;sans code\n\"unbalanced;x\n").unwrap();
    let invoice = dir.path().join("facture.xml");
    std::fs::write(&invoice, "<not an invoice").unwrap();

    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // Three apps (as three windows or terminals) wait at the same time.
    let outcomes: Vec<AppError> = std::thread::scope(|s| {
        let runs = [
            s.spawn(|| fec(&open(&db), &garbage).map(|_| ())),
            s.spawn(|| {
                open(&db)
                    .import_customers_file(&customers, &TabularOptions::default())
                    .map(|_| ())
            }),
            s.spawn(|| open(&db).import_einvoices(std::slice::from_ref(&invoice)).map(|_| ())),
        ];
        runs.into_iter()
            .map(|r| r.join().unwrap().expect_err("imported while another held the lock"))
            .collect()
    });
    for e in outcomes {
        match &e {
            AppError::Busy(m) => {
                assert!(m.contains("another import is in progress on"), "{m}");
                assert!(m.contains(&db.display().to_string()), "{m}");
            }
            other => panic!("expected busy, got {other:?}"),
        }
        assert_eq!(e.code(), "busy");
    }
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(dump(&db), before);
    // Free again: the file is read, and refused for what it holds.
    assert!(matches!(
        fec(&open(&db), &garbage),
        Err(AppError::InvalidFile { .. })
    ));
}

/// Two imports started together, on two apps of one database: each one either goes through (the second after
/// waiting for the first) or stops at once with `busy`; at least one goes through, and the database is what
/// importing the successful ones one after the other gives.
#[test]
fn two_imports_started_together_leave_a_valid_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let file = sample("111111111FEC20221231.TXT");
    drop(open(&db));
    let start = std::sync::Barrier::new(2);
    let results: Vec<Result<bool, AppError>> = std::thread::scope(|s| {
        let run = || {
            let app = open(&db);
            start.wait();
            fec(&app, &file).map(|p| p.changes.unchanged)
        };
        let (a, b) = (s.spawn(run), s.spawn(run));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    for r in &results {
        if let Err(e) = r {
            assert_eq!(e.code(), "busy", "{e}");
        }
    }
    let done: Vec<bool> = results.iter().filter_map(|r| r.as_ref().ok().copied()).collect();
    assert!(!done.is_empty(), "{results:?}");
    // The second to go through found the same file already imported.
    assert_eq!(done.iter().filter(|unchanged| !**unchanged).count(), 1, "{results:?}");
    assert_eq!(integrity(&db), "ok");
    let reference = dir.path().join("reference.db");
    fec(&open(&reference), &file).unwrap();
    assert_eq!(dump(&db), dump(&reference));
}

/// A path in a folder that does not exist is refused, naming it, and creates nothing; a file that is not a
/// database is named in the error; `open_existing` creates no file.
#[test]
fn database_paths_are_checked_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("Comptabilte/encaisse.db");
    let clock = || Box::new(FixedClock(today()));
    let e = App::open(&typo, clock()).err().expect("opened in a missing folder");
    assert!(e.to_string().contains(&typo.display().to_string()), "{e}");
    assert!(e.to_string().contains("does not exist"), "{e}");
    assert!(!dir.path().join("Comptabilte").exists());

    let missing = dir.path().join("encaise.db");
    let e = App::open_existing(&missing, clock()).err().expect("opened a missing file");
    assert!(e.to_string().contains(&missing.display().to_string()), "{e}");
    assert!(!missing.exists());

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "these are notes, not a database ".repeat(100)).unwrap();
    let e = App::open(&text, clock()).err().expect("opened a text file");
    assert_eq!(e.code(), "database");
    assert!(e.to_string().contains(&text.display().to_string()), "{e}");
}

/// An error met while the database is open names its file too (what the CLI and the desktop show).
#[test]
fn a_database_error_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let e = app.naming_database(AppError::Database("database: disk I/O error".into()));
    assert_eq!(
        e.to_string(),
        format!("database {}: disk I/O error", db.display())
    );
    // Named once, and only database errors.
    assert_eq!(app.naming_database(e.clone()), e);
    let other = AppError::InvalidInput("date: 'x' is not a date".into());
    assert_eq!(app.naming_database(other.clone()), other);
}

/// The XLSX export stays typed: a formula-like name is a text cell as it was typed (no `'` added, no formula).
#[test]
fn an_xlsx_export_keeps_a_formula_like_name_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db);
    let name = "=cmd|' /C calc'!A0";
    let header = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";
    let file = dir.path().join("export.txt");
    std::fs::write(
        &file,
        format!(
            "{header}\nVE\tVentes\t1\t20260105\t411000\tClients\tC1\t{name}\tF1\t20260105\tFacture F1\t120,00\t0,00\t\t\t20260105\t\t\n\
             VE\tVentes\t1\t20260105\t706000\tVentes\t\t\tF1\t20260105\tFacture F1\t0,00\t120,00\t\t\t20260105\t\t\n"
        ),
    )
    .unwrap();
    fec(&app, &file).unwrap();
    let out = dir.path().join("clients.xlsx");
    app.export_report(&ExportReport::Customers { as_of: None }, ExportFormat::Xlsx, &out)
        .unwrap();
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let row = range
        .rows()
        .find(|r| r.first() == Some(&Data::String("C1".into())))
        .unwrap();
    assert_eq!(row[1], Data::String(name.into()));
    assert!(matches!(row[5], Data::Float(_) | Data::Int(_)), "{:?}", row[5]);
    let formulas = wb.worksheet_formula(&sheet).unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula");

    // The CSV of the same report neutralises it.
    let csv = dir.path().join("clients.csv");
    app.export_report(&ExportReport::Customers { as_of: None }, ExportFormat::Csv, &csv)
        .unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains(&format!("\nC1;'{name};")), "{text}");
}
