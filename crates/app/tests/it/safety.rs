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
    crate::backend::open(path, Box::new(FixedClock(today()))).unwrap()
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
/// parsed — and nothing changes. Once the lock is released the same import goes through. The holder: on SQLite a
/// connection in BEGIN IMMEDIATE; on a server, another session holding the database's import lock (what an
/// import of another Encaisse holds to its commit).
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

    let holder = Holder::take(&db);
    // Three apps (as three windows or terminals) wait at the same time.
    let outcomes: Vec<AppError> = std::thread::scope(|s| {
        let runs = [
            s.spawn(|| fec(&open(&db), &garbage).map(|_| ())),
            s.spawn(|| {
                open(&db)
                    .import_customers_file(&customers, &TabularOptions::default())
                    .map(|_| ())
            }),
            s.spawn(|| {
                open(&db)
                    .import_einvoices(std::slice::from_ref(&invoice))
                    .map(|_| ())
            }),
        ];
        runs.into_iter()
            .map(|r| {
                r.join()
                    .unwrap()
                    .expect_err("imported while another held the lock")
            })
            .collect()
    });
    for e in outcomes {
        match &e {
            AppError::Busy(m) => {
                assert!(m.contains("another import is in progress on"), "{m}");
                assert!(m.contains(&name_of(&db)), "{m}");
            }
            other => panic!("expected busy, got {other:?}"),
        }
        assert_eq!(e.code(), "busy");
    }
    holder.release();
    assert_eq!(dump(&db), before);
    // Free again: the file is read, and refused for what it holds.
    assert!(matches!(
        fec(&open(&db), &garbage),
        Err(AppError::InvalidFile { .. })
    ));
}

/// Another program's write lock on the test's database.
enum Holder {
    File(rusqlite::Connection),
    Server(postgres::Client),
}

impl Holder {
    fn take(db: &Path) -> Holder {
        if crate::backend::on_postgres() {
            let url = crate::backend::database_for(db);
            let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            client
                .batch_execute("BEGIN; SELECT pg_advisory_xact_lock(hashtext('encaisse import'));")
                .unwrap();
            return Holder::Server(client);
        }
        let conn = rusqlite::Connection::open(db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        Holder::File(conn)
    }

    fn release(self) {
        match self {
            Holder::File(conn) => conn.execute_batch("ROLLBACK").unwrap(),
            Holder::Server(mut client) => client.batch_execute("ROLLBACK").unwrap(),
        }
    }
}

/// The database as messages name it: the file, or the server's URL (without its password).
fn name_of(db: &Path) -> String {
    if crate::backend::on_postgres() {
        encaisse_team::ServerUrl::parse(&crate::backend::database_for(db))
            .unwrap()
            .to_string()
    } else {
        db.display().to_string()
    }
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
    assert_eq!(
        done.iter().filter(|unchanged| !**unchanged).count(),
        1,
        "{results:?}"
    );
    if !crate::backend::on_postgres() {
        assert_eq!(integrity(&db), "ok");
    }
    let reference = dir.path().join("reference.db");
    fec(&open(&reference), &file).unwrap();
    assert_eq!(dump(&db), dump(&reference));
}

/// A path in a folder that does not exist is refused, naming it, and creates nothing; a file that is not a
/// database is named in the error; `open_existing` creates no file.
#[test]
fn sqlite_only_database_paths_are_checked_and_named() {
    // Paths of files.
    if !crate::backend::sqlite_only("database_paths_are_checked_and_named") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("Comptabilte/encaisse.db");
    let clock = || Box::new(FixedClock(today()));
    let e = App::open(&typo, clock())
        .err()
        .expect("opened in a missing folder");
    assert!(e.to_string().contains(&typo.display().to_string()), "{e}");
    assert!(e.to_string().contains("does not exist"), "{e}");
    assert!(!dir.path().join("Comptabilte").exists());

    let missing = dir.path().join("encaise.db");
    let e = App::open_existing(&missing, clock())
        .err()
        .expect("opened a missing file");
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
        format!("database {}: disk I/O error", name_of(&db))
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

/// The SMTP login and password never go over an unencrypted connection unless the user allowed it: saving such
/// settings is refused naming the field; settings saved before the choice existed are refused when sending,
/// before any connection; allowed explicitly, the test server gets the login.
#[test]
fn an_smtp_login_goes_unencrypted_only_when_the_user_allowed_it() {
    use encaisse_app::mail::{Keyring, SaveSmtp, Security, SmtpSettings};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let keyring = std::sync::Arc::new(Keyring::in_memory());
    let app = open(&db).with_secrets(keyring.clone());
    app.create_demo(&encaisse_app::DemoOptions {
        seed: Some(1),
        customers: Some(5),
        end: Some(today()),
        replace: None,
    })
    .unwrap();
    let sink = crate::smtp_sink::Sink::with(Vec::new(), Some(("anne", "pässword")));
    let settings = SmtpSettings {
        host: "127.0.0.1".into(),
        port: sink.port,
        security: Security::None,
        user: "anne".into(),
        from_address: "relances@atelier.test".into(),
        ..SmtpSettings::default()
    };
    let save = |allow: bool| {
        app.save_smtp(
            &SaveSmtp {
                settings: SmtpSettings {
                    allow_insecure_login: allow,
                    ..settings.clone()
                },
                password: Some("pässword".into()),
            },
            "anne",
        )
    };
    let e = save(false).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    assert!(e.to_string().starts_with("security: "), "{e}");
    assert!(e.to_string().contains("without encryption"), "{e}");
    let kept = app.smtp_settings().unwrap();
    assert_eq!(
        (kept.host.as_str(), kept.has_password),
        ("", false),
        "nothing saved"
    );

    // Saved by an earlier version, which had no such choice.
    let legacy = serde_json::json!({"host": "127.0.0.1", "port": sink.port, "security": "none", "user": "anne",
        "from_address": "relances@atelier.test", "from_name": "", "reply_to": ""});
    crate::common::execute(
        &db,
        "INSERT INTO setting (key, value) VALUES ('smtp', ?1)",
        &[&legacy.to_string()],
    );
    encaisse_app::mail::Secrets::set(keyring.as_ref(), "smtp:anne@127.0.0.1", "pässword").unwrap();
    let e = app.send_test_email("moi@atelier.test", "anne").unwrap_err();
    assert_eq!(e.code(), "mail");
    assert!(e.to_string().contains("without encryption"), "{e}");
    assert!(sink.received().is_empty(), "nothing was sent");

    let saved = save(true).unwrap();
    assert!(saved.allow_insecure_login && saved.has_password);
    app.send_test_email("moi@atelier.test", "anne").unwrap();
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].auth,
        Some(("anne".to_string(), "pässword".to_string()))
    );
}

/// A viewer that opens everything, remembering what.
struct Opens(std::sync::Mutex<Vec<PathBuf>>);

impl encaisse_app::letters::Viewer for Opens {
    fn open(&self, path: &Path) -> Result<(), String> {
        self.0.lock().unwrap().push(path.to_path_buf());
        Ok(())
    }
}

/// Letters to print go to the app's private folder: the folder only its user reads (0700, narrowed if it was
/// wider), each letter a new file only its user reads (0600) under a name no one can guess, never written
/// through a link; letters written more than 7 days ago are removed.
#[cfg(unix)]
#[test]
fn letters_to_print_are_private_files_removed_after_a_week() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("cache/letters");
    let viewer = std::sync::Arc::new(Opens(std::sync::Mutex::new(Vec::new())));
    let app = open(&dir.path().join("e.db"))
        .with_viewer(viewer.clone())
        .with_print_folder(folder.clone());
    app.create_demo(&encaisse_app::DemoOptions {
        seed: None,
        customers: Some(60),
        end: Some(today()),
        replace: None,
    })
    .unwrap();

    let letters: Vec<String> = app
        .agenda_view(None)
        .unwrap()
        .items
        .into_iter()
        .filter(|i| i.action.channel.split('+').any(|c| c == "letter"))
        .map(|i| i.action.customer)
        .collect();
    assert!(letters.len() >= 2, "{letters:?}");
    let letter = |customer: &str| encaisse_app::letters::LetterRequest {
        customer: customer.to_string(),
        ..Default::default()
    };

    let first = app.print_letter_to_file(&letter(&letters[0])).unwrap().path;
    assert_eq!(first.parent(), Some(folder.as_path()));
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&first), 0o600);
    assert!(std::fs::read(&first).unwrap().starts_with(b"%PDF-"));
    let name = first.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("{}-", letters[0])) && name.ends_with(".pdf"),
        "{name}"
    );

    // Someone widened the folder and left a week-old letter, a recent one, and a link where a letter could go.
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let week = std::time::Duration::from_secs(7 * 24 * 3600);
    let now = std::time::SystemTime::now();
    let aged = |name: &str, age: std::time::Duration| {
        let p = folder.join(name);
        let f = std::fs::File::create(&p).unwrap();
        f.set_modified(now - age).unwrap();
        p
    };
    let old = aged("old.pdf", week + std::time::Duration::from_secs(3600));
    let recent = aged("recent.pdf", week - std::time::Duration::from_secs(3600));
    let target = dir.path().join("target.txt");
    std::fs::write(&target, "mine").unwrap();
    std::os::unix::fs::symlink(&target, folder.join("lettres-2026-11-26.pdf")).unwrap();

    // The folder itself a link to elsewhere: refused, nothing written there, nothing recorded.
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let linked = dir.path().join("linked");
    std::os::unix::fs::symlink(&elsewhere, &linked).unwrap();
    let other = open(&dir.path().join("e.db"))
        .with_viewer(viewer.clone())
        .with_print_folder(linked.clone());
    let e = other.print_letter_to_file(&letter(&letters[1])).unwrap_err();
    assert_eq!(e.code(), "io");
    assert!(e.to_string().contains("not a folder of the app"), "{e}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    let (printed, second) = app.letters_batch_to_file(None, None).unwrap();
    let printed = printed.letters;
    assert!(printed.iter().any(|l| l.customer == letters[1]), "still to print");
    let name = second.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("lettres-2026-11-26-") && name.ends_with(".pdf"),
        "{name}"
    );
    assert_eq!(mode(&folder), 0o700, "narrowed again");
    assert_eq!(mode(&second), 0o600);
    assert!(!old.exists(), "a letter older than a week is removed");
    assert!(recent.exists() && first.exists());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "mine",
        "no link followed"
    );
    assert_eq!(viewer.0.lock().unwrap().as_slice(), [first, second]);
}
