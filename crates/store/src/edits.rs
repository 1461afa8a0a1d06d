//! No lost edit on what is not a row of its own (team mode): the collection, email, letter and platform settings,
//! an email template, a customer's chase. Each subject has a version in `edit_version` (migration 0018), moved by
//! every save; a screen sends back the version it read, and a save made on an older one is refused with who
//! changed it and when ([`StoreError::Conflict`]), nothing written.
//!
//! The claim is the statement that moves the version, conditioned on the version read (`UPDATE … WHERE version =
//! ?`, or an `INSERT … DO NOTHING` for a subject never saved): of two saves at once on a server, the second waits
//! for the first's row lock, finds the version moved, changes nothing and is refused. A read then a write would let
//! both through.

use crate::db::{params, Conn, Optional};
use crate::{Result, Store, StoreError};

/// Who makes a change at what time (HH:MM), and the version of the record their screen read (`None`: no check,
/// as the CLI saves).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edit<'a> {
    pub version: Option<i64>,
    pub by: &'a str,
    pub at: &'a str,
}

/// The subject of the collection settings (the minimum gap between chases, the promises' grace).
pub const COLLECTION_SETTINGS: &str = "settings:collection";
/// The subject of the email settings (language, contact, daily report).
pub const MAIL_SETTINGS: &str = "settings:mail";
/// The subject of the letter settings (sender, signature, penalty clauses).
pub const LETTER_SETTINGS: &str = "settings:letters";
/// The subject of the accredited platform's settings.
pub const PA_SETTINGS: &str = "settings:pa";
/// The subject of the SMTP server's settings (the password is the OS keyring's, not versioned here).
pub const SMTP_SETTINGS: &str = "settings:smtp";
/// The subject of the rates table the late-payment penalties are computed with.
pub const RATES: &str = "settings:rates";

/// The subject of one email template in one language.
pub fn template_subject(id: &str, lang: &str) -> String {
    format!("template:{id}/{lang}")
}

/// The subject of a customer's chase (its own scenario, its pause).
pub fn customer_subject(key: &str) -> String {
    format!("customer:{key}")
}

impl Store {
    /// The subject's version: how many times it was saved (0: never).
    pub fn edit_version(&self, subject: &str) -> Result<i64> {
        Ok(self
            .conn
            .query_row(
                "SELECT version FROM edit_version WHERE subject = ?1",
                [subject],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    /// Refuses, writing nothing, a change made on `version` when the subject has moved since (the check a save
    /// that also writes outside the database, the OS keyring, makes before it; its claim checks again).
    pub fn check_edit(&self, subject: &str, version: Option<i64>) -> Result<()> {
        let Some(read) = version else { return Ok(()) };
        let current: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT version, changed_by, changed_at FROM edit_version WHERE subject = ?1",
                [subject],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        match current {
            Some((now, by, at)) if now != read => Err(StoreError::Conflict {
                what: subject.to_string(),
                by,
                at,
            }),
            _ => Ok(()),
        }
    }

    /// Runs `write` in one transaction with the claim of the subject's next version: refused with a conflict when
    /// the version read (`edit.version`) is no longer the subject's, and nothing written, the claim included, when
    /// `write` fails. Returns `write`'s result and the new version.
    pub fn edit<T>(
        &self,
        subject: &str,
        edit: &Edit<'_>,
        write: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<(T, i64)> {
        let tx = self.conn.transaction()?;
        let version = claim(&tx, subject, edit)?;
        let out = write(self)?;
        tx.commit()?;
        Ok((out, version))
    }
}

/// Moves the subject's version on, conditioned on the version read; returns the new one.
fn claim(conn: &Conn, subject: &str, edit: &Edit<'_>) -> Result<i64> {
    let moved = match edit.version {
        Some(0) => conn.execute(
            "INSERT INTO edit_version (subject, version, changed_by, changed_at) VALUES (?1, 1, ?2, ?3)
             ON CONFLICT(subject) DO NOTHING",
            params![subject, edit.by, edit.at],
        )?,
        Some(read) => conn.execute(
            "UPDATE edit_version SET version = version + 1, changed_by = ?2, changed_at = ?3
             WHERE subject = ?1 AND version = ?4",
            params![subject, edit.by, edit.at, read],
        )?,
        None => conn.execute(
            "INSERT INTO edit_version (subject, version, changed_by, changed_at) VALUES (?1, 1, ?2, ?3)
             ON CONFLICT(subject) DO UPDATE SET version = edit_version.version + 1,
                 changed_by = excluded.changed_by, changed_at = excluded.changed_at",
            params![subject, edit.by, edit.at],
        )?,
    };
    let current: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT version, changed_by, changed_at FROM edit_version WHERE subject = ?1",
            [subject],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match (moved, current) {
        (n, Some((version, _, _))) if n > 0 => Ok(version),
        (_, Some((_, by, at))) => Err(StoreError::Conflict {
            what: subject.to_string(),
            by,
            at,
        }),
        // A version read that the subject never had (a screen's forged or stale number of a subject since
        // forgotten): nothing to compare with, refused as a change made on something else.
        (_, None) => Err(StoreError::Refused(format!(
            "{subject}: version {} was never saved: reload it",
            edit.version.unwrap_or_default()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit<'a>(version: Option<i64>, by: &'a str) -> Edit<'a> {
        Edit {
            version,
            by,
            at: "10:42",
        }
    }

    #[test]
    fn a_save_on_an_older_version_is_refused_with_who_changed_it_and_nothing_written() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.edit_version(COLLECTION_SETTINGS).unwrap(), 0);
        let set = |s: &Store, v: &str| s.set_setting("x", v);
        // Two screens read version 0; the first save wins, the second is refused naming the first.
        let (_, v) = store
            .edit(COLLECTION_SETTINGS, &edit(Some(0), "Paul"), |s| set(s, "a"))
            .unwrap();
        assert_eq!(v, 1);
        let e = store
            .edit(COLLECTION_SETTINGS, &edit(Some(0), "Anne"), |s| set(s, "b"))
            .unwrap_err();
        match e {
            StoreError::Conflict { what, by, at } => {
                assert_eq!(
                    (what.as_str(), by.as_str(), at.as_str()),
                    (COLLECTION_SETTINGS, "Paul", "10:42")
                )
            }
            other => panic!("{other}"),
        }
        assert_eq!(store.setting("x").unwrap().as_deref(), Some("a"));
        // Saved on the version it read again, the change goes through.
        let (_, v) = store
            .edit(COLLECTION_SETTINGS, &edit(Some(1), "Anne"), |s| set(s, "b"))
            .unwrap();
        assert_eq!(v, 2);
        assert_eq!(store.setting("x").unwrap().as_deref(), Some("b"));
        // Without a version (the CLI), it always goes through and still moves the version.
        let (_, v) = store
            .edit(COLLECTION_SETTINGS, &edit(None, "cli"), |s| set(s, "c"))
            .unwrap();
        assert_eq!(v, 3);
        // Other subjects have their own versions.
        assert_eq!(store.edit_version(MAIL_SETTINGS).unwrap(), 0);
    }

    #[test]
    fn a_failed_write_leaves_the_version_where_it_was() {
        let store = Store::open_in_memory().unwrap();
        let e = store
            .edit(LETTER_SETTINGS, &edit(Some(0), "Paul"), |_| {
                Err::<(), _>(StoreError::Refused("no".into()))
            })
            .unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)));
        assert_eq!(store.edit_version(LETTER_SETTINGS).unwrap(), 0);
        let e = store
            .edit(LETTER_SETTINGS, &edit(Some(5), "Paul"), |_| Ok(()))
            .unwrap_err();
        assert!(e.to_string().contains("never saved"), "{e}");
    }
}
