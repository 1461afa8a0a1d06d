//! Email templates edited by the user (the defaults live in the app) and the append-only audit trail.

use crate::db::{params, Optional};
use crate::{Result, Store};
use chrono::{NaiveDate, NaiveTime};

/// A template as the user saved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedTemplate {
    pub id: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub updated_on: NaiveDate,
    pub user: String,
}

/// One line of the audit trail. `before`/`after` are JSON and never hold a secret.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditEntry {
    pub id: i64,
    pub on_day: Option<NaiveDate>,
    /// The local time of day (none on rows written before the trail kept it).
    pub at_time: Option<NaiveTime>,
    /// The login of who acted.
    pub user: String,
    /// Their display name when the entry was written ("Marie Martin"); empty in entries older than the names.
    pub user_name: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Store {
    pub fn saved_template(&self, id: &str, lang: &str) -> Result<Option<SavedTemplate>> {
        self
            .conn
            .query_row(
                "SELECT id, lang, subject, body, updated_on, \"user\" FROM mail_template WHERE id = ?1 AND lang = ?2",
                params![id, lang],
                |r| {
                    Ok(SavedTemplate {
                        id: r.get(0)?,
                        lang: r.get(1)?,
                        subject: r.get(2)?,
                        body: r.get(3)?,
                        updated_on: r.get(4)?,
                        user: r.get(5)?,
                    })
                },
            )
            .optional()
    }

    pub fn save_template(&self, t: &SavedTemplate) -> Result<()> {
        self.conn.execute(
            "INSERT INTO mail_template (id, lang, subject, body, updated_on, \"user\") VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(id, lang) DO UPDATE SET subject = excluded.subject, body = excluded.body,
                 updated_on = excluded.updated_on, \"user\" = excluded.\"user\"",
            params![t.id, t.lang, t.subject, t.body, t.updated_on, t.user],
        )?;
        Ok(())
    }

    /// Forgets the user's version: the default applies again. True when there was one.
    pub fn delete_template(&self, id: &str, lang: &str) -> Result<bool> {
        Ok(self.conn.execute(
            "DELETE FROM mail_template WHERE id = ?1 AND lang = ?2",
            params![id, lang],
        )? > 0)
    }

    /// Appends to the audit trail; returns the entry's id.
    /// On a team's server the user recorded is the server's login (`current_user`), whatever `e.user` says.
    pub fn audit(&self, e: &AuditEntry) -> Result<i64> {
        let user = match self.conn.dialect() {
            crate::Dialect::Sqlite => e.user.clone(),
            crate::Dialect::Postgres => self
                .conn
                .query_row("SELECT current_user::text", [], |r| r.get(0))?,
        };
        self.conn.query_row(
            "INSERT INTO audit_log (on_day, \"user\", entity, entity_id, action, before, after, at_time, user_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
            params![
                e.on_day,
                user,
                e.entity,
                e.entity_id,
                e.action,
                e.before,
                e.after,
                e.at_time.map(|t| t.format("%H:%M:%S").to_string()),
                e.user_name
            ],
            |r| r.get(0),
        )
    }

    /// The file name and content hash (SHA-256) of the latest import of `source` ("fec", "csv"…), if any.
    pub fn last_import(&self, source: &str) -> Result<Option<(String, String)>> {
        self.conn
            .query_row(
                "SELECT file_name, content_hash FROM import_batch WHERE source = ?1 ORDER BY id DESC LIMIT 1",
                [source],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    /// The audit trail between two days (inclusive, either open), oldest first.
    pub fn audit_log(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, on_day, \"user\", entity, entity_id, action, before, after, at_time, user_name FROM audit_log
             WHERE (CAST(?1 AS TEXT) IS NULL OR on_day >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR on_day <= ?2) ORDER BY id",
        )?;
        let rows = stmt.query_map(params![from, to], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                on_day: r.get(1)?,
                user: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                before: r.get(6)?,
                after: r.get(7)?,
                at_time: r
                    .get::<_, Option<String>>(8)?
                    .and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M:%S").ok()),
                user_name: r.get(9)?,
            })
        })?;
        rows.collect::<crate::Result<Vec<_>>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn templates_round_trip_and_reset() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.saved_template("reminder_1", "fr").unwrap(), None);
        let t = SavedTemplate {
            id: "reminder_1".into(),
            lang: "fr".into(),
            subject: "Relance".into(),
            body: "Bonjour {{ customer_name }}".into(),
            updated_on: day("2026-11-26"),
            user: "anne".into(),
        };
        store.save_template(&t).unwrap();
        let t2 = SavedTemplate {
            subject: "Relance 2".into(),
            ..t.clone()
        };
        store.save_template(&t2).unwrap();
        assert_eq!(store.saved_template("reminder_1", "fr").unwrap(), Some(t2));
        assert_eq!(store.saved_template("reminder_1", "en").unwrap(), None);
        assert!(store.delete_template("reminder_1", "fr").unwrap());
        assert!(!store.delete_template("reminder_1", "fr").unwrap());
        assert_eq!(store.saved_template("reminder_1", "fr").unwrap(), None);
    }

    #[test]
    fn the_audit_trail_is_append_only() {
        let store = Store::open_in_memory().unwrap();
        for (d, what) in [("2026-11-25", "sent"), ("2026-11-26", "update")] {
            store
                .audit(&AuditEntry {
                    on_day: Some(day(d)),
                    at_time: NaiveTime::from_hms_opt(14, 32, 5),
                    user: "anne".into(),
                    user_name: "Anne Martin".into(),
                    entity: "email".into(),
                    entity_id: "C001".into(),
                    action: what.into(),
                    after: Some("{\"subject\":\"x\"}".into()),
                    ..AuditEntry::default()
                })
                .unwrap();
        }
        let all = store.audit_log(None, None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].action, "sent");
        assert_eq!(all[0].at_time, NaiveTime::from_hms_opt(14, 32, 5));
        assert_eq!(
            (all[0].user.as_str(), all[0].user_name.as_str()),
            ("anne", "Anne Martin")
        );
        let one = store.audit_log(Some(day("2026-11-26")), None).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].action, "update");
        let upd = store.conn.execute("UPDATE audit_log SET action = 'x'", []);
        assert!(upd.unwrap_err().to_string().contains("append-only"));
        let del = store.conn.execute("DELETE FROM audit_log", []);
        assert!(del.unwrap_err().to_string().contains("append-only"));
        assert_eq!(store.audit_log(None, None).unwrap().len(), 2);
    }
}
