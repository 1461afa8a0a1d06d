//! The database's write lock, held by an import from before it reads its file until it commits: a second import
//! (another window, a terminal) waits for it a little ([`BUSY_WAIT`]) then stops at once with
//! [`StoreError::Busy`], before reading anything; never after parsing a whole file. The import's own
//! transactions run inside it as savepoints.

use crate::{Result, Store, StoreError};
use rusqlite::ErrorCode;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

/// How long a write waits for another connection's (SQLite's busy timeout): longer than any short change of the
/// app (an action, a setting), far shorter than an import.
pub const BUSY_WAIT: Duration = Duration::from_secs(5);

/// SQLite's `synchronous` setting in WAL, the file's usual mode (set when a store opens, and again when a bulk
/// import puts WAL back).
pub(crate) const WAL_SYNCHRONOUS: &str = "NORMAL";

/// The write lock (`BEGIN IMMEDIATE`): the store behind it, for the import's reads and writes. Dropped without
/// [`WriteLock::commit`], everything done under it is rolled back.
pub struct WriteLock<'s> {
    store: &'s mut Store,
    /// The outermost transaction's level was taken by the lock: its `Tx` is kept open by hand (below).
    open: bool,
    /// The file was taken out of WAL for a bulk import ([`Store::lock_for_import_of`]): WAL again at the end.
    rollback_journal: bool,
}

impl Store {
    /// Takes the write lock, waiting at most [`BUSY_WAIT`] for another connection's; still held: `Busy`.
    pub fn lock_for_import(&mut self) -> Result<WriteLock<'_>> {
        self.lock_with(false)
    }

    /// The write lock for an import of about `expected_lines` lines. From [`crate::import::BULK_LINES`] lines on,
    /// a SQLite file that no other connection has open leaves WAL for a rollback journal until the lock ends:
    /// the import's pages are written once into the file at its commit instead of twice (into the WAL, then by
    /// the checkpoint into the file: 0.36–0.39 s against 0.12–0.18 s for the commit of the 1,000,000-line FEC
    /// of BENCHMARKS.md). The journal holds only the pages the import changes that existed before, synced
    /// (`synchronous = FULL`, SQLite's safe setting for a rollback journal) before the file is written. With
    /// another connection open (the app and a terminal on one file) the file stays in WAL, so its readers never
    /// wait for the import; a connection opened meanwhile waits for the lock's end ([`BUSY_WAIT`]), as a
    /// writer would, before it can put WAL back itself.
    pub fn lock_for_import_of(&mut self, expected_lines: u64) -> Result<WriteLock<'_>> {
        let bulk = expected_lines >= crate::import::BULK_LINES
            && self.conn.dialect() == crate::Dialect::Sqlite
            && !self.conn.in_transaction()
            && self.leave_wal()?;
        self.lock_with(bulk)
    }

    /// A rollback journal when no other connection has the file open (SQLite needs the file to itself to leave
    /// WAL: asked without waiting, refused at once otherwise).
    fn leave_wal(&self) -> Result<bool> {
        let conn = self.conn.lite()?;
        conn.busy_timeout(Duration::ZERO)?;
        let mode = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0));
        conn.busy_timeout(BUSY_WAIT)?;
        match mode {
            Ok(m) if m.eq_ignore_ascii_case("delete") => {
                conn.pragma_update(None, "synchronous", "FULL")?;
                Ok(true)
            }
            Ok(_) => Ok(false),
            Err(e) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// WAL and its synchronous setting again, as [`Store::open`] sets them. Not reported when it cannot be (a
    /// connection opened meanwhile reads): the file stays in rollback mode until a connection opens it.
    fn back_to_wal(&self) {
        if let Ok(conn) = self.conn.lite() {
            let _ = conn.busy_timeout(Duration::ZERO);
            let _ = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
            let _ = conn.busy_timeout(BUSY_WAIT);
            let _ = conn.pragma_update(None, "synchronous", WAL_SYNCHRONOUS);
        }
    }

    fn lock_with(&mut self, rollback_journal: bool) -> Result<WriteLock<'_>> {
        let begun = self.conn.begin(true).map(|tx| {
            // Ended by `commit` or the lock's drop, which own the store meanwhile.
            std::mem::forget(tx);
        });
        if begun.is_err() && rollback_journal {
            self.back_to_wal();
        }
        match begun {
            Ok(()) => {
                let lock = WriteLock {
                    store: self,
                    open: true,
                    rollback_journal,
                };
                if lock.store.conn.dialect() == crate::Dialect::Postgres {
                    lock.take_import_lock()?;
                }
                Ok(lock)
            }
            Err(StoreError::Sqlite(e)) if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy) => {
                Err(StoreError::Busy {
                    path: self.path.clone(),
                })
            }
            Err(e) => Err(e),
        }
    }
}

impl WriteLock<'_> {
    /// On a server, where `BEGIN` takes no lock: the database's import lock (a transaction-level advisory lock,
    /// released by the commit or the rollback), waited for [`BUSY_WAIT`] at most as SQLite waits, then `Busy`.
    /// Dropped on `Busy`, the lock rolls the transaction back.
    fn take_import_lock(&self) -> Result<()> {
        let started = std::time::Instant::now();
        loop {
            let taken: i64 = self.store.conn.query_row(
                "SELECT CASE WHEN pg_try_advisory_xact_lock(hashtext('encaisse import')) THEN 1 ELSE 0 END::bigint",
                [],
                |r| r.get(0),
            )?;
            if taken == 1 {
                return Ok(());
            }
            if started.elapsed() >= BUSY_WAIT {
                return Err(StoreError::Busy {
                    path: self.store.path.clone(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Commits what was done under the lock and releases it.
    pub fn commit(&mut self) -> Result<()> {
        if std::mem::take(&mut self.open) {
            self.store.conn.end_outermost(true)?;
        }
        if std::mem::take(&mut self.rollback_journal) {
            self.store.back_to_wal();
        }
        Ok(())
    }
}

impl Deref for WriteLock<'_> {
    type Target = Store;
    fn deref(&self) -> &Store {
        self.store
    }
}

impl DerefMut for WriteLock<'_> {
    fn deref_mut(&mut self) -> &mut Store {
        self.store
    }
}

impl Drop for WriteLock<'_> {
    fn drop(&mut self) {
        if std::mem::take(&mut self.open) {
            // Nothing to report to: the connection is back out of the transaction either way.
            let _ = self.store.conn.end_outermost(false);
        }
        if std::mem::take(&mut self.rollback_journal) {
            self.store.back_to_wal();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_connection_cannot_take_the_lock_and_a_dropped_lock_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.db");
        let mut first = Store::open(&path).unwrap();
        let mut second = Store::open(&path).unwrap();
        second.conn.lite().unwrap().busy_timeout(Duration::ZERO).unwrap();
        {
            let lock = first.lock_for_import().unwrap();
            lock.set_setting("k", "v").unwrap();
            match second.lock_for_import() {
                Err(StoreError::Busy { path: p }) => assert_eq!(p, path.display().to_string()),
                Err(other) => panic!("{other}"),
                Ok(_) => panic!("two write locks at once"),
            }
        }
        assert_eq!(second.setting("k").unwrap(), None, "dropped: rolled back");
        let mut lock = second.lock_for_import().unwrap();
        lock.set_setting("k", "w").unwrap();
        lock.commit().unwrap();
        drop(lock);
        assert_eq!(first.setting("k").unwrap().as_deref(), Some("w"));
    }

    fn journal(store: &Store) -> String {
        let conn = store.conn.lite().unwrap();
        conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap()
    }

    /// A bulk import on a file no other connection has open writes with a rollback journal and leaves the file
    /// in WAL, committed or not; with another connection open, or below the bulk size, the file stays in WAL.
    #[test]
    fn a_bulk_import_alone_on_its_file_leaves_wal_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.db");
        let mut store = Store::open(&path).unwrap();
        let bulk = crate::import::BULK_LINES;
        {
            let lock = store.lock_for_import_of(bulk - 1).unwrap();
            assert_eq!(journal(&lock), "wal", "not a bulk import");
        }
        {
            let lock = store.lock_for_import_of(bulk).unwrap();
            assert_eq!(journal(&lock), "delete");
            lock.set_setting("k", "dropped").unwrap();
        }
        assert_eq!(journal(&store), "wal");
        assert_eq!(store.setting("k").unwrap(), None, "dropped: rolled back");
        let mut lock = store.lock_for_import_of(bulk).unwrap();
        lock.set_setting("k", "v").unwrap();
        lock.commit().unwrap();
        drop(lock);
        assert_eq!(journal(&store), "wal");
        let other = Store::open(&path).unwrap();
        assert_eq!(other.setting("k").unwrap().as_deref(), Some("v"));
        let mut lock = store.lock_for_import_of(bulk).unwrap();
        assert_eq!(journal(&lock), "wal", "another connection has the file open");
        lock.set_setting("k", "w").unwrap();
        lock.commit().unwrap();
        drop(lock);
        assert_eq!(other.setting("k").unwrap().as_deref(), Some("w"));
        assert_eq!(journal(&other), "wal");
    }
}
