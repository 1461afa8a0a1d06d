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

/// The write lock (`BEGIN IMMEDIATE`): the store behind it, for the import's reads and writes. Dropped without
/// [`WriteLock::commit`], everything done under it is rolled back.
pub struct WriteLock<'s> {
    store: &'s mut Store,
    /// The outermost transaction's level was taken by the lock: its `Tx` is kept open by hand (below).
    open: bool,
}

impl Store {
    /// Takes the write lock, waiting at most [`BUSY_WAIT`] for another connection's; still held: `Busy`.
    pub fn lock_for_import(&mut self) -> Result<WriteLock<'_>> {
        let begun = self.conn.begin(true).map(|tx| {
            // Ended by `commit` or the lock's drop, which own the store meanwhile.
            std::mem::forget(tx);
        });
        match begun {
            Ok(()) => {
                let lock = WriteLock {
                    store: self,
                    open: true,
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
}
