//! Copies of the database with SQLite's online backup API: written while the app keeps working, checked after
//! writing (integrity, schema version, the rows of every table), and read back over the live database by a restore.
//! Where copies are kept and how many is the app's business (`encaisse_app::backups`).

use crate::{schema, Result, Store, StoreError};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub schema_version: i64,
    /// Rows of every table, by name.
    pub rows: BTreeMap<String, i64>,
    pub bytes: u64,
}

/// Opens an existing file (never creates one) without changing it.
fn open_existing(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// The tables every Encaisse database has had since its first version.
const OURS: [&str; 4] = ["company", "customer", "ledger_line", "setting"];

fn shown(path: &Path) -> String {
    path.display().to_string()
}

fn refused(path: &Path, why: impl std::fmt::Display) -> StoreError {
    StoreError::Refused(format!("{}: {why}", shown(path)))
}

/// Rows of every table of `conn`'s main database.
fn row_counts(conn: &Connection) -> rusqlite::Result<BTreeMap<String, i64>> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tables
        .into_iter()
        .map(|t| {
            let n = conn.query_row(
                &format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\"")),
                [],
                |r| r.get(0),
            )?;
            Ok((t, n))
        })
        .collect()
}

/// Copies `from` into the file `to` (created or overwritten) in one step: one consistent snapshot, while other
/// connections may go on writing. The copy is left in rollback-journal mode, a single file.
fn copy(from: &Connection, to: &Path) -> rusqlite::Result<()> {
    let mut dst = Connection::open(to)?;
    {
        let backup = Backup::new(from, &mut dst)?;
        // -1: every page at once, under one read lock of the source.
        match backup.step(-1)? {
            StepResult::Done => {}
            _ => {
                return Err(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    None,
                ))
            }
        }
    }
    dst.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// Checks a copy: a SQLite file that passes `PRAGMA integrity_check`, holds Encaisse's tables and a schema this
/// version knows. Nothing of it is written.
pub fn verify(path: &Path) -> Result<Verified> {
    let bytes = std::fs::metadata(path).map_err(|e| refused(path, e))?.len();
    let conn = open_existing(path).map_err(|e| refused(path, format!("cannot be opened ({e})")))?;
    let not_sqlite = |_| refused(path, "is not an Encaisse database (not a SQLite file)");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    if integrity != "ok" {
        return Err(refused(
            path,
            format!("is damaged (integrity check: {integrity})"),
        ));
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(not_sqlite)?;
    let rows = row_counts(&conn).map_err(not_sqlite)?;
    if version < 1 || OURS.iter().any(|t| !rows.contains_key(*t)) {
        return Err(refused(path, "is not an Encaisse database"));
    }
    let known = schema::latest_version();
    if version > known {
        return Err(StoreError::NewerVersion {
            path: shown(path),
            found: version,
            known,
        });
    }
    Ok(Verified {
        schema_version: version,
        rows,
        bytes,
    })
}

/// The copy of `from` written to `to` through a temporary file beside it, checked, then renamed into place: `to`
/// exists only once it is a verified copy holding the same rows as the source did.
fn write_checked(from: &Connection, to: &Path) -> Result<Verified> {
    let partial = PathBuf::from(format!("{}.partial", to.display()));
    let written = (|| {
        // One read transaction around the counts and the copy: both see the same snapshot.
        from.execute_batch("BEGIN")?;
        let copied = row_counts(from).and_then(|rows| copy(from, &partial).map(|()| rows));
        from.execute_batch("COMMIT")?;
        copied
    })();
    let checked = written
        .map_err(|e| StoreError::Open {
            path: shown(to),
            source: e,
        })
        .and_then(|source_rows| {
            let v = verify(&partial)?;
            if v.rows != source_rows {
                return Err(refused(to, "the copy does not hold the rows of the database"));
            }
            Ok(v)
        })
        .and_then(|v| {
            std::fs::rename(&partial, to).map_err(|e| refused(to, e))?;
            Ok(v)
        });
    if checked.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    checked
}

impl Store {
    /// Writes a verified copy of the database to `to` (its folder must exist), while the database stays usable.
    pub fn backup_to(&self, to: &Path) -> Result<Verified> {
        if !self.conn.in_transaction() {
            return write_checked(self.conn.lite()?, to);
        }
        // Under an import's write lock SQLite's backup refuses the writing connection (SQLITE_LOCKED): a second,
        // read-only connection copies the last committed state, which the lock has not changed yet.
        let reader =
            Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|source| {
                StoreError::Open {
                    path: self.path.clone(),
                    source,
                }
            })?;
        write_checked(&reader, to)
    }

    /// Replaces the whole content of the database with the copy at `from` (verified first: nothing changes when it
    /// is refused), then brings an older copy's schema up to date.
    pub fn restore_from(&mut self, from: &Path) -> Result<Verified> {
        let checked = verify(from)?;
        let src = open_existing(from)?;
        {
            let restore = Backup::new(&src, self.conn.lite_mut()?)?;
            match restore.step(-1)? {
                StepResult::Done => {}
                _ => {
                    return Err(StoreError::Refused(
                        "the database is in use by another program: close it and try again".into(),
                    ))
                }
            }
        }
        schema::migrations().to_latest(self.conn.lite_mut()?)?;
        Ok(checked)
    }

    /// Whether an FEC was imported: a new one may replace a fiscal year's lines.
    pub fn holds_fec(&self) -> Result<bool> {
        self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM import_batch WHERE source = 'fec')",
            [],
            |r| r.get(0),
        )
    }

    /// Whether the database holds anything (a company, customers, settings or an audit trail): an empty one needs
    /// no copy before it changes.
    pub fn holds_data(&self) -> Result<bool> {
        self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM company) OR EXISTS(SELECT 1 FROM customer)
                 OR EXISTS(SELECT 1 FROM setting) OR EXISTS(SELECT 1 FROM audit_log)",
            [],
            |r| r.get(0),
        )
    }
}

/// The schema version of the Encaisse database at `path` when opening it would upgrade it and it holds data (a
/// company or customers): such a database is copied before its first upgrade. `None` for a new, empty, current or
/// newer file.
pub fn pending_upgrade(path: &Path) -> Option<i64> {
    if !path.is_file() {
        return None;
    }
    // A file that cannot be read here is left to `Store::open`, which says why.
    let found = || -> rusqlite::Result<Option<i64>> {
        let conn = open_existing(path)?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < 1 || version >= schema::latest_version() {
            return Ok(None);
        }
        let data: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM company) OR EXISTS(SELECT 1 FROM customer)",
            [],
            |r| r.get(0),
        )?;
        Ok(data.then_some(version))
    };
    found().unwrap_or(None)
}

/// A verified copy of the database file at `from`, as it is (no upgrade): the copy made before an upgrade.
pub fn backup_file(from: &Path, to: &Path) -> Result<Verified> {
    let conn = open_existing(from).map_err(|source| StoreError::Open {
        path: shown(from),
        source,
    })?;
    write_checked(&conn, to)
}
