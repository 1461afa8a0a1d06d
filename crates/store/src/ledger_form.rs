//! The compact ledger form kept in the database (migration 0015): each fiscal year's ledger in the integer form
//! the aged balance reads, and the sales index, as the app built them from the lines, so that a new process reads
//! them instead of every line. The store keeps bytes and the stamp they were built with; what they mean is the
//! app's and the analytics'.
//!
//! Never stale: triggers empty the table in the transaction of any change to a line or a customer, whichever
//! connection makes it (a bulk import drops them with the indexes and empties the table itself, see import.rs);
//! [`Store::save_ledger_forms`] writes only when no other connection committed since the lines were read.

use crate::{Result, SqlDate, Store};
use chrono::NaiveDate;
use rusqlite::params;
use std::time::Duration;

/// One kept part: a ledger's compact form (`part` ≥ 0, in the book's order) or the sales index (`part` = -1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerForm {
    pub part: i64,
    pub fiscal_year: Option<NaiveDate>,
    /// What the form was built with besides the lines and customers (layout version, default terms, digits): the
    /// reader compares it with what it would build with.
    pub built_with: String,
    pub data: Vec<u8>,
}

/// The part number of the sales index.
pub const SALES_PART: i64 = -1;

/// The triggers that empty `ledger_form` (migration 0015), by their name's prefix.
pub(crate) const TRIGGER_PREFIX: &str = "ledger_form_";

impl Store {
    /// The kept forms, by part (empty when none is kept: never built, or a line or customer changed since).
    /// On a server none is kept (the stamp is SQLite's `data_version`).
    pub fn ledger_forms(&self) -> Result<Vec<LedgerForm>> {
        let Ok(conn) = self.conn.lite() else {
            return Ok(Vec::new());
        };
        let mut stmt =
            conn.prepare("SELECT part, fiscal_year, built_with, data FROM ledger_form ORDER BY part")?;
        let rows = stmt.query_map([], |r| {
            Ok(LedgerForm {
                part: r.get(0)?,
                fiscal_year: r.get(1)?,
                built_with: r.get(2)?,
                data: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The kept forms' parts and stamps, without their bytes, by part.
    pub fn ledger_forms_built_with(&self) -> Result<Vec<(i64, String)>> {
        let Ok(conn) = self.conn.lite() else {
            return Ok(Vec::new());
        };
        let mut stmt = conn.prepare("SELECT part, built_with FROM ledger_form ORDER BY part")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps `forms` in place of the kept ones, if no other connection committed since `data_version` was read
    /// ([`Store::data_version`], read before the lines the forms were built from) and this connection is not in a
    /// transaction. Never waits for another connection's write lock. Returns whether they were written. A
    /// database that cannot be written now (read only, busy, full) is not an error: the forms are only a shortcut,
    /// and a failed write is rolled back whole.
    pub fn save_ledger_forms(&self, data_version: i64, forms: &[LedgerForm]) -> Result<bool> {
        let Ok(conn) = self.conn.lite() else {
            return Ok(false);
        };
        if !conn.is_autocommit() {
            return Ok(false);
        }
        conn.busy_timeout(Duration::ZERO)?;
        let saved = save_forms(conn, data_version, forms);
        conn.busy_timeout(crate::BUSY_WAIT)?;
        match saved {
            Ok(saved) => Ok(saved),
            // Any failure of SQLite's (the transaction was rolled back when dropped).
            Err(e) if e.sqlite_error_code().is_some() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

fn save_forms(
    conn: &rusqlite::Connection,
    data_version: i64,
    forms: &[LedgerForm],
) -> rusqlite::Result<bool> {
    {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch("DELETE FROM ledger_form")?; // takes the write lock: nobody commits from here
        let now: i64 = tx.pragma_query_value(None, "data_version", |r| r.get(0))?;
        if now != data_version {
            return Ok(false); // dropped: rolled back
        }
        let mut insert = tx.prepare(
            "INSERT INTO ledger_form (part, fiscal_year, built_with, data) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for f in forms {
            insert.execute(params![
                f.part,
                f.fiscal_year.map(SqlDate::from),
                f.built_with,
                f.data
            ])?;
        }
        drop(insert);
        tx.commit()?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encaisse_domain::testing::invoice;
    use encaisse_domain::{Company, Customer};
    use rust_decimal_macros::dec;

    fn form(part: i64) -> LedgerForm {
        LedgerForm {
            part,
            fiscal_year: None,
            built_with: "v1".into(),
            data: vec![1, 2, 3],
        }
    }

    /// Any change of a line or a customer empties the kept forms, in SQL (the triggers), whoever writes.
    #[test]
    fn a_change_of_a_line_or_a_customer_drops_the_forms() {
        let mut store = Store::open_in_memory().unwrap();
        let company = Company {
            name: "Test".into(),
            siren: None,
            address: None,
            currency: "EUR".into(),
        };
        store
            .replace_with_demo(
                &company,
                &[Customer::new("C1", "A")],
                &[invoice("C1", "2026-01-01", "F1", dec!(10))],
            )
            .unwrap();
        let changes = [
            "UPDATE ledger_line SET amount_minor = 1100",
            "DELETE FROM ledger_line",
            "INSERT INTO ledger_line (customer_key, journal, entry_num, entry_date, piece_ref, label, amount_minor,
                                      currency)
             VALUES ('C1', 'VE', '2', '2026-01-02', 'F2', '', 500, 'EUR')",
            "UPDATE customer SET terms = 'net:60'",
            "INSERT INTO customer (key, name) VALUES ('C2', 'B')",
            "DELETE FROM customer WHERE key = 'C2'",
        ];
        for sql in changes {
            let version = store.data_version().unwrap();
            assert!(store
                .save_ledger_forms(version, &[form(0), form(SALES_PART)])
                .unwrap());
            assert_eq!(store.ledger_forms().unwrap().len(), 2);
            store.conn.lite().unwrap().execute_batch(sql).unwrap();
            assert_eq!(store.ledger_forms().unwrap(), [], "{sql}");
        }
        // Other tables and the customer's other columns leave them.
        let version = store.data_version().unwrap();
        assert!(store.save_ledger_forms(version, &[form(0)]).unwrap());
        store
            .conn
            .lite()
            .unwrap()
            .execute_batch(
                "INSERT INTO setting (key, value) VALUES ('x', 'y');
                 UPDATE customer SET name = 'Z', email = 'z@example.org', category = 'public_body'",
            )
            .unwrap();
        assert_eq!(store.ledger_forms().unwrap(), [form(0)]);
    }

    fn triggers(store: &Store) -> i64 {
        store
            .conn
            .lite()
            .unwrap()
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_form_%'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// A bulk import (its triggers dropped with the indexes while it writes) empties the forms too, and puts the
    /// triggers back; a dry run leaves everything as it was.
    #[test]
    fn a_bulk_import_drops_the_forms_and_keeps_the_triggers() {
        let mut store = Store::open_in_memory().unwrap();
        let customers = [Customer::new("C1", "A")];
        let lines: Vec<_> = (0..crate::import::BULK_LINES + 10)
            .map(|i| invoice("C1", "2026-01-01", &format!("F{i}"), dec!(1)))
            .collect();
        let import = |hash: &'static str| crate::LedgerImport {
            source: "fec",
            file_name: "123456782FEC20261231.txt",
            content_hash: hash,
            siren: Some("123456782"),
            fiscal_year: None,
            period: None,
            customers: &customers,
            lines: &lines,
            default_terms: None,
            today: encaisse_domain::testing::d("2026-12-31"),
        };
        assert_eq!(triggers(&store), 6);
        let version = store.data_version().unwrap();
        assert!(store.save_ledger_forms(version, &[form(0)]).unwrap());
        store.import_ledger(&import("a"), true).unwrap();
        assert_eq!(
            store.ledger_forms().unwrap(),
            [form(0)],
            "a dry run writes nothing"
        );
        assert_eq!(triggers(&store), 6);
        store.import_ledger(&import("b"), false).unwrap();
        assert_eq!(store.ledger_forms().unwrap(), []);
        assert_eq!(triggers(&store), 6);
        let version = store.data_version().unwrap();
        assert!(store.save_ledger_forms(version, &[form(0)]).unwrap());
        store
            .conn
            .lite()
            .unwrap()
            .execute_batch("UPDATE ledger_line SET amount_minor = 200 WHERE piece_ref = 'F1'")
            .unwrap();
        assert_eq!(store.ledger_forms().unwrap(), []);
    }

    /// Forms built from lines read before another connection committed are not kept.
    #[test]
    fn forms_read_before_another_commit_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.db");
        let store = Store::open(&path).unwrap();
        let other = Store::open(&path).unwrap();
        let version = store.data_version().unwrap();
        other
            .conn
            .lite()
            .unwrap()
            .execute_batch("INSERT INTO setting (key, value) VALUES ('x', 'y')")
            .unwrap();
        assert!(!store.save_ledger_forms(version, &[form(0)]).unwrap());
        assert_eq!(store.ledger_forms().unwrap(), []);
        let version = store.data_version().unwrap();
        assert!(store.save_ledger_forms(version, &[form(0)]).unwrap());
        assert_eq!(other.ledger_forms().unwrap(), [form(0)]);
        // Another connection holding the write lock: not kept.
        other
            .conn
            .lite()
            .unwrap()
            .execute_batch("BEGIN IMMEDIATE")
            .unwrap();
        assert!(!store.save_ledger_forms(version, &[form(1)]).unwrap());
        other.conn.lite().unwrap().execute_batch("ROLLBACK").unwrap();
        assert_eq!(store.ledger_forms().unwrap(), [form(0)]);
    }
}
