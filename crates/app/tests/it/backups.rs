//! Backups and restore, the demo that asks before replacing imported data, the FEC without SIREN in its name, and
//! the audit rows of imports, demos, backups and restores.

use chrono::{NaiveDate, NaiveDateTime};
use encaisse_app::audit::AuditKind;
use encaisse_app::backups::{kept, BackupReason, BackupSettings};
use encaisse_app::{Actor, App, AppError, DemoOptions, FecImportOptions, TabularOptions};
use encaisse_domain::clock::{FixedDateTime, ManualClock};
use std::path::{Path, PathBuf};

use crate::common::dump;

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn open(path: &Path) -> App {
    crate::backend::open(path, Box::new(FixedDateTime(at(2026, 12, 3, 14))))
        .unwrap()
        .with_actor(Actor::named("marie"))
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name)
}

fn import(app: &App, path: &Path, siren: Option<&str>) -> Result<encaisse_app::ImportPreview, AppError> {
    app.import_fec(
        path,
        &FecImportOptions {
            terms_days: None,
            siren: siren.map(str::to_string),
        },
        &mut |_| {},
    )
}

fn demo(replace: Option<bool>) -> DemoOptions {
    DemoOptions {
        seed: Some(1),
        customers: Some(12),
        end: None,
        replace,
    }
}

/// Every table's schema and rows, in the order of `.dump`: what two databases must share to be the same.
fn full_dump(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = vec![format!(
        "user_version {}",
        conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
            .unwrap()
    )];
    let objects: Vec<(String, String, Option<String>)> = conn
        .prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (kind, name, sql) in &objects {
        out.push(format!("{kind} {name}: {}", sql.as_deref().unwrap_or("")));
    }
    for (_, table, _) in objects
        .iter()
        .filter(|(k, n, _)| k == "table" && !n.starts_with("sqlite_"))
    {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
            .unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
                        other => format!("{other:?}"),
                    })
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.extend(rows.into_iter().map(|row| format!("{table}: {row}")));
    }
    out
}

fn kinds(app: &App) -> Vec<AuditKind> {
    app.audit_trail(None, None)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

#[test]
fn sqlite_only_the_demo_over_imported_data_is_refused_and_with_replace_backs_it_up_first() {
    // Backups are copies of the SQLite file (a server's are the administrator's).
    if !crate::backend::sqlite_only(
        "the_demo_over_imported_data_is_refused_and_with_replace_backs_it_up_first",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.db");
    let app = open(&db);
    import(&app, &sample("111111111FEC20221231.TXT"), None).unwrap();
    let before = dump(&db);
    let err = app.create_demo(&demo(None)).unwrap_err();
    assert!(
        matches!(err, AppError::NeedsConfirmation(ref m) if m.contains(&db.display().to_string())),
        "{err:?}"
    );
    assert_eq!(dump(&db), before, "nothing changed");
    assert!(app.backups().unwrap().backups.is_empty());

    app.create_demo(&demo(Some(true))).unwrap();
    assert!(app.status().unwrap().demo);
    let list = app.backups().unwrap();
    assert_eq!(list.backups.len(), 1, "{list:?}");
    let copy = &list.backups[0];
    assert_eq!(copy.reason, BackupReason::BeforeDemo);
    assert_eq!(
        Path::new(&list.folder),
        dir.path().join("backups"),
        "beside the database"
    );
    // The copy holds the imported ledger as it was.
    assert_eq!(dump(Path::new(&copy.path)), before);
    let check: String = rusqlite::Connection::open(&copy.path)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let k = kinds(&app);
    assert!(
        k.ends_with(&[AuditKind::BackupMade, AuditKind::DemoCreated]),
        "{k:?}"
    );

    // The demo over the demo asks nothing and copies nothing.
    app.create_demo(&demo(None)).unwrap();
    assert_eq!(app.backups().unwrap().backups.len(), 1);
}

#[test]
fn sqlite_only_backup_then_change_then_restore_gives_the_backups_content_and_is_audited() {
    // Backups are copies of the SQLite file (a server's are the administrator's).
    if !crate::backend::sqlite_only(
        "backup_then_change_then_restore_gives_the_backups_content_and_is_audited",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("encaisse.db");
    let app = open(&db);
    app.create_demo(&demo(None)).unwrap();
    app.set_user_name("Marie Martin").unwrap();
    let done = app.backup(None).unwrap();
    assert_eq!(done.integrity, "ok");
    assert_eq!(done.reason, BackupReason::Manual);
    assert_eq!(done.bytes, std::fs::metadata(&done.path).unwrap().len());
    let saved = full_dump(Path::new(&done.path));

    // Changes: a real ledger replaces the demo, a setting changes.
    import(&app, &sample("111111111FEC20221231.TXT"), None).unwrap();
    app.set_user_name("Marie Dupont").unwrap();
    assert_ne!(app.status().unwrap().customers, 12);
    let changed = full_dump(&db);

    let restored = app.restore(Path::new(&done.path)).unwrap();
    let mut now = full_dump(&db);
    // The same content but the one audit row that records the restore, the trail's last.
    let last = now.iter().rposition(|l| l.starts_with("audit_log: ")).unwrap();
    let row = now.remove(last);
    assert!(
        row.contains("\"database\"") && row.contains("\"restored\""),
        "{row}"
    );
    assert_eq!(now, saved);
    assert_eq!(*kinds(&app).last().unwrap(), AuditKind::DatabaseRestored);
    // The app reads the restored content at once.
    assert_eq!(app.status().unwrap().customers, 12);
    assert_eq!(app.user_profile().unwrap().name, "Marie Martin");
    // What was replaced is kept.
    assert_eq!(restored.backup.reason, BackupReason::BeforeRestore);
    let replaced = full_dump(Path::new(&restored.backup.path));
    assert_eq!(replaced, changed, "the copy before the restore");
}

#[test]
fn sqlite_only_a_file_that_is_not_an_encaisse_database_or_from_a_newer_version_is_refused_and_nothing_changes(
) {
    // Backups are copies of the SQLite file (a server's are the administrator's).
    if !crate::backend::sqlite_only(
        "a_file_that_is_not_an_encaisse_database_or_from_a_newer_version_is_refused_and_nothing_changes",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("encaisse.db");
    let app = open(&db);
    app.create_demo(&demo(None)).unwrap();
    let good = app.backup(Some(&dir.path().join("copy.db"))).unwrap();
    let before = full_dump(&db);

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "not a database at all, but long enough to look like a header of one",
    )
    .unwrap();
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1); PRAGMA user_version = 3;")
        .unwrap();
    let newer = dir.path().join("newer.db");
    std::fs::copy(&good.path, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();

    for (file, expected) in [
        (&text, "is not an Encaisse database"),
        (&other, "is not an Encaisse database"),
        (&newer, "newer version of Encaisse"),
    ] {
        let err = app.restore(file).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(expected), "{message}");
        assert!(
            message.contains(&file.display().to_string()),
            "names the file: {message}"
        );
        assert_eq!(full_dump(&db), before, "{file:?}");
    }
    assert!(matches!(
        app.restore(&newer).unwrap_err(),
        AppError::NewerDatabase(_)
    ));
    assert!(
        app.backups().unwrap().backups.is_empty(),
        "no copy made for a refused file"
    );
    // The files given are left as they were.
    assert_eq!(
        std::fs::read_to_string(&text).unwrap(),
        "not a database at all, but long enough to look like a header of one"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn sqlite_only_retention_keeps_the_last_ten_and_the_newest_of_each_of_eight_weeks() {
    // Backups are copies of the SQLite file (a server's are the administrator's).
    if !crate::backend::sqlite_only("retention_keeps_the_last_ten_and_the_newest_of_each_of_eight_weeks") {
        return;
    }
    // Thursday 3 December 2026. Copies twice a day over 70 days, newest first.
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    let dates: Vec<NaiveDateTime> = (0..140)
        .map(|i| at(2026, 12, 3, 20) - chrono::Duration::hours(12 * i))
        .collect();
    let keep = kept(&dates, today, BackupSettings::default());
    let kept_dates: Vec<NaiveDateTime> = dates
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(d, _)| *d)
        .collect();
    let mut expected: Vec<NaiveDateTime> = dates[..10].to_vec();
    // Besides, the newest copy (Sunday evening's) of each week from Monday back to the 8th; this week's and last
    // week's (Sunday 29 November) are among the last ten.
    for sunday in [(11, 22), (11, 15), (11, 8), (11, 1), (10, 25), (10, 18)] {
        expected.push(at(2026, sunday.0, sunday.1, 20));
    }
    assert_eq!(kept_dates, expected);

    // The same rule on the folder, set to the last 2 and 3 weeks: the copies beyond it are deleted.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("encaisse.db");
    let clock = ManualClock::new(at(2026, 12, 3, 14));
    let app = App::open(&db, Box::new(clock.clone())).unwrap();
    app.create_demo(&demo(None)).unwrap();
    app.set_backup_settings(&BackupSettings {
        keep_last: 2,
        keep_weeks: 3,
    })
    .unwrap();
    for moment in [
        at(2026, 11, 2, 9),  // four weeks ago: only the last 2 could keep it
        at(2026, 11, 18, 9), // Wednesday two weeks ago
        at(2026, 11, 19, 9), // Thursday two weeks ago: that week's newest
        at(2026, 11, 26, 9), // last week's only copy
        at(2026, 12, 1, 9),
        at(2026, 12, 2, 9),
    ] {
        clock.set(moment);
        app.backup(None).unwrap();
    }
    clock.set(at(2026, 12, 3, 14));
    app.backup(None).unwrap();
    let left: Vec<NaiveDateTime> = app
        .backups()
        .unwrap()
        .backups
        .iter()
        .map(|b| b.created_at)
        .collect();
    assert_eq!(
        left,
        [
            at(2026, 12, 3, 14),
            at(2026, 12, 2, 9),
            at(2026, 11, 26, 9),
            at(2026, 11, 19, 9)
        ]
    );
    assert!(app
        .set_backup_settings(&BackupSettings {
            keep_last: 0,
            keep_weeks: 3
        })
        .is_err());
}

#[test]
fn sqlite_only_the_days_backup_is_made_once_a_day_and_not_for_an_empty_database() {
    // Backups are copies of the SQLite file (a server's are the administrator's).
    if !crate::backend::sqlite_only("the_days_backup_is_made_once_a_day_and_not_for_an_empty_database") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(at(2026, 12, 3, 8));
    let app = App::open(&dir.path().join("encaisse.db"), Box::new(clock.clone())).unwrap();
    assert_eq!(app.daily_backup().unwrap(), None, "nothing to save yet");
    app.create_demo(&demo(None)).unwrap();
    let first = app.daily_backup().unwrap().unwrap();
    assert_eq!(first.reason, BackupReason::Daily);
    clock.set(at(2026, 12, 3, 18));
    assert_eq!(app.daily_backup().unwrap(), None, "one a day");
    clock.set(at(2026, 12, 4, 8));
    assert!(app.daily_backup().unwrap().is_some());
    assert_eq!(app.backups().unwrap().backups.len(), 2);
}

#[test]
fn sqlite_only_an_older_database_holding_data_is_backed_up_before_its_upgrade() {
    // Backups are copies of the SQLite file (a server's are the administrator's).
    if !crate::backend::sqlite_only("an_older_database_holding_data_is_backed_up_before_its_upgrade") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        // The schema as version 7 left it, with a company.
        let conn = rusqlite::Connection::open(&db).unwrap();
        for sql in [
            include_str!("../../../store/migrations/0001_initial.sql"),
            include_str!("../../../store/migrations/0002_imports.sql"),
            include_str!("../../../store/migrations/0003_master_data.sql"),
            include_str!("../../../store/migrations/0004_workflow.sql"),
            include_str!("../../../store/migrations/0005_categories_turnover.sql"),
            include_str!("../../../store/migrations/0006_mail_audit.sql"),
            include_str!("../../../store/migrations/0007_audit_time.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO company (id, name, siren, currency) VALUES (1, 'Ancienne', '111111111', 'EUR');
             PRAGMA user_version = 7;",
        )
        .unwrap();
    }
    let app = open(&db);
    let list = app.backups().unwrap().backups;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].reason, BackupReason::BeforeUpgrade);
    let version: i64 = rusqlite::Connection::open(&list[0].path)
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 7, "the copy is the database as it was");
    assert_eq!(app.status().unwrap().company.as_deref(), Some("Ancienne"));
    assert!(
        app.audit_trail(None, None).unwrap().is_empty(),
        "the upgrade adds no row to what the database held"
    );
    drop(app);
    // Opened again, current: no copy.
    assert_eq!(open(&db).backups().unwrap().backups.len(), 1);
}

#[test]
fn an_fec_without_siren_in_its_name_goes_only_where_it_can_be_shown_to_belong() {
    let dir = tempfile::tempdir().unwrap();
    let unnamed = dir.path().join("grand-livre.txt");
    std::fs::copy(sample("111111111FEC20221231.TXT"), &unnamed).unwrap();

    // Into an empty database, and over the demo company: accepted.
    let empty = open(&dir.path().join("a.db"));
    import(&empty, &unnamed, None).unwrap();
    let over_demo = open(&dir.path().join("b.db"));
    over_demo.create_demo(&demo(None)).unwrap();
    import(&over_demo, &unnamed, None).unwrap();

    // Into the database of a company: refused, unless its SIREN is given.
    let db = dir.path().join("c.db");
    let app = open(&db);
    import(&app, &sample("123456789FEC20500930.txt"), None).unwrap();
    let before = dump(&db);
    let err = import(&app, &unnamed, None).unwrap_err();
    assert!(err.to_string().contains("no SIREN"), "{err}");
    assert_eq!(dump(&db), before);
    let err = import(&app, &unnamed, Some("111111111")).unwrap_err();
    assert!(
        err.to_string().contains("SIREN 123456789"),
        "another company's: {err}"
    );
    assert_eq!(dump(&db), before);
    assert!(import(&app, &unnamed, Some("12345")).is_err(), "not a SIREN");
    assert!(
        import(&app, &sample("111111111FEC20221231.TXT"), Some("123456789")).is_err(),
        "the name and the SIREN given disagree"
    );
    assert_eq!(dump(&db), before);
    import(&app, &unnamed, Some("123 456 789")).unwrap();
    assert_ne!(dump(&db), before);
}

#[test]
fn imports_are_audited_with_their_file_hash_and_counts_and_customer_changes_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("encaisse.db");
    let app = open(&db);
    let fec = sample("111111111FEC20221231.TXT");
    let report = import(&app, &fec, None).unwrap();
    let events = app.audit_trail(None, None).unwrap();
    let e = events.iter().find(|e| e.kind == AuditKind::FileImported).unwrap();
    assert_eq!(e.facts.file.as_deref(), Some("111111111FEC20221231.TXT"));
    assert_eq!(e.facts.import_kind.as_deref(), Some("fec"));
    let bytes = std::fs::read(&fec).unwrap();
    assert_eq!(
        e.facts.sha256.as_deref(),
        Some(encaisse_import::content_hash(&bytes).as_str())
    );
    assert_eq!(e.facts.lines_added, Some(report.changes.lines_added));
    assert_eq!(e.facts.customers_added, Some(report.changes.customers_added));

    // An FEC into a ledger that holds one: a copy first (of the SQLite file; a server's backups are its
    // administrator's).
    import(&app, &fec, None).unwrap();
    if !crate::backend::on_postgres() {
        let copies = app.backups().unwrap().backups;
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert_eq!(copies[0].reason, BackupReason::BeforeImport);
    }

    // A customers file renaming one customer.
    let key = app.customers_report(None).unwrap().customers[0].id.clone();
    let file = dir.path().join("clients.csv");
    std::fs::write(&file, format!("Code client;Nom\n{key};Nouveau Nom SARL\n")).unwrap();
    let options = TabularOptions {
        mapping: Vec::new(),
        sheet: None,
    };
    app.import_customers_file(&file, &options).unwrap();
    let events = app.audit_trail(None, None).unwrap();
    let imported = events
        .iter()
        .rev()
        .find(|e| e.kind == AuditKind::FileImported)
        .unwrap();
    assert_eq!(imported.facts.import_kind.as_deref(), Some("customers"));
    assert_eq!(imported.facts.customers_updated, Some(1));
    let changed = events
        .iter()
        .find(|e| e.kind == AuditKind::CustomerChangedFromFile)
        .unwrap();
    assert_eq!(changed.facts.customer.as_deref(), Some(key.as_str()));
    assert_eq!(changed.facts.file.as_deref(), Some("clients.csv"));
    assert_eq!(changed.facts.changed, ["name"]);
    let before: serde_json::Value = serde_json::from_str(changed.before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(changed.after.as_deref().unwrap()).unwrap();
    assert_ne!(before["name"], after["name"]);
    assert_eq!(after["name"], "Nouveau Nom SARL");
    // Importing it again changes nothing and records nothing.
    let n = app.audit_trail(None, None).unwrap().len();
    app.import_customers_file(&file, &options).unwrap();
    assert_eq!(app.audit_trail(None, None).unwrap().len(), n);
}

#[test]
fn sqlite_only_a_live_database_copied_by_hand_restores_whole_with_its_write_ahead_log() {
    // Backups are copies of the SQLite file (a server's are the administrator's).
    if !crate::backend::sqlite_only("a_live_database_copied_by_hand_restores_whole_with_its_write_ahead_log")
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let other_db = dir.path().join("other.db");
    let other = open(&other_db);
    other.create_demo(&demo(None)).unwrap();
    // Copied while open: what was written may still be in other.db-wal only.
    let copy = dir.path().join("hand.db");
    std::fs::copy(&other_db, &copy).unwrap();
    let wal = dir.path().join("other.db-wal");
    if wal.is_file() {
        std::fs::copy(&wal, dir.path().join("hand.db-wal")).unwrap();
    }
    let app = open(&dir.path().join("encaisse.db"));
    app.restore(&copy).unwrap();
    assert_eq!(app.status().unwrap().customers, 12);
    drop(other);
}
