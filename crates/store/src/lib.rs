//! The database: a SQLite file on this computer, or a team's PostgreSQL server (db.rs). Money is stored as integer
//! minor units with its currency; dates as YYYY-MM-DD.

pub mod backup;
pub mod bank;
mod db;
pub mod documents;
pub mod edits;
pub mod einvoice_status;
mod import;
pub mod ledger_form;
mod ledger_read;
mod lock;
pub mod mail;
pub mod master;
pub mod pa;
pub mod payment_references;
mod reports;
mod schema;
pub mod transfer;
pub mod waivers;
pub mod workflow;

pub use import::{BatchParts, ImportChanges, ImportEnd, ImportStart, LedgerImport, LedgerWriter, Step};
pub use ledger_read::LedgerBook;
pub use lock::{WriteLock, BUSY_WAIT};
pub use reports::CATEGORIES;

use crate::db::{params, Conn, Optional};
use chrono::NaiveDate;
pub use db::Dialect;
use encaisse_domain::money::{from_minor, to_minor, Currency, MoneyError};
use encaisse_domain::{Company, Customer, LedgerLine, Terms};
use rusqlite::Connection;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: written by a newer version of Encaisse (schema {found}, this version knows up to {known}); update Encaisse to open it")]
    NewerVersion { path: String, found: i64, known: i64 },
    #[error("database {path}: {source}")]
    Open { path: String, source: rusqlite::Error },
    #[error("database {path}: the folder {folder} does not exist; check the path (nothing was created)")]
    NoFolder { path: String, folder: String },
    #[error("database {path}: no such file; check the path (nothing was created)")]
    NoDatabase { path: String },
    /// Another connection (an import in the app or in a terminal) holds the write lock past [`BUSY_WAIT`].
    #[error("another import is in progress on {path}: try again once it has finished (this file was not read, nothing was written)")]
    Busy { path: String },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The PostgreSQL server refused or failed (its message, without the password).
    #[error("server: {0}")]
    Server(String),
    /// Connecting to the server, or the database on it not prepared by `encaisse team init`.
    #[error("{0}")]
    Team(#[from] encaisse_team::Error),
    #[error("database migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("amount of {what}: {source}")]
    Money { what: String, source: MoneyError },
    /// A colleague changed what this change was made on since it was read (team mode): nothing was written.
    #[error("{what} was changed by {by} at {at} since it was read: reload it, then make the change again")]
    Conflict { what: String, by: String, at: String },
    /// The operation makes no sense for this database (another company's file…).
    #[error("{0}")]
    Refused(String),
    #[error("stored value of {what} is invalid: {value}")]
    Corrupt { what: String, value: String },
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        StoreError::Server(encaisse_team::server_message(&e))
    }
}

pub struct Store {
    conn: Conn,
    /// The file, as errors name it (":memory:" for a database in memory).
    path: String,
}

pub struct NewNote<'a> {
    pub customer_key: &'a str,
    pub invoice_id: Option<i64>,
    pub written_on: NaiveDate,
    pub author: &'a str,
    pub body: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub customer_key: String,
    pub invoice_id: Option<i64>,
    pub written_on: NaiveDate,
    pub author: String,
    pub body: String,
}

/// One customer with all its ledger lines.
pub struct CustomerLedger {
    pub customer: Customer,
    pub lines: Vec<LedgerLine>,
}

impl Store {
    /// Opens (creating if needed) the database file, upgrading an older schema and refusing a newer one. Its
    /// folder must exist: a mistyped path creates nothing.
    pub fn open(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        Self::check_folder(path)?;
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: shown.clone(),
            source,
        })?;
        Self::prepare(conn, &shown)
    }

    /// Opens a database file that exists, never creating one (what only reads a database).
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::check_folder(path)?;
        if !path.is_file() {
            return Err(StoreError::NoDatabase {
                path: path.display().to_string(),
            });
        }
        Self::open(path)
    }

    fn check_folder(path: &Path) -> Result<()> {
        match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) if !dir.is_dir() => Err(StoreError::NoFolder {
                path: path.display().to_string(),
                folder: dir.display().to_string(),
            }),
            _ => Ok(()),
        }
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::prepare(Connection::open_in_memory()?, ":memory:")
    }

    /// Every error while preparing the file names it (a file that is not a database, a folder not writable…).
    fn prepare(conn: Connection, shown: &str) -> Result<Store> {
        Self::prepare_named(conn, shown).map_err(|e| match e {
            StoreError::Sqlite(source) => StoreError::Open {
                path: shown.to_string(),
                source,
            },
            StoreError::Migration(m) => StoreError::Open {
                path: shown.to_string(),
                source: rusqlite::Error::ToSqlConversionFailure(Box::new(m)),
            },
            other => other,
        })
    }

    fn prepare_named(mut conn: Connection, shown: &str) -> Result<Store> {
        // Another connection writing (the app and a terminal on one file): wait for it a little; every
        // transaction takes the write lock when it begins, so none fails half-way for want of it.
        conn.busy_timeout(BUSY_WAIT)?;
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "synchronous", lock::WAL_SYNCHRONOUS)?;
        // Imports write hundreds of thousands of index entries: a 64 MB page cache keeps them in memory.
        conn.pragma_update(None, "cache_size", -65_536)?;
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = schema::latest_version();
        if found > known {
            return Err(StoreError::NewerVersion {
                path: shown.to_string(),
                found,
                known,
            });
        }
        schema::migrations().to_latest(&mut conn)?;
        let store = Store {
            conn: Conn::sqlite(conn),
            path: shown.to_string(),
        };
        if store.setting(transfer::COPY_OF)?.is_some() {
            // A copy of the team's server for reading offline: SQLite itself refuses every write.
            store.conn.execute_batch("PRAGMA query_only = ON")?;
        }
        Ok(store)
    }

    /// Connects to a team's PostgreSQL server. Opening writes nothing: the schema must be there at this
    /// version (`encaisse team init` creates it, `team upgrade` brings it up to date), so a viewer, who may write
    /// nothing, opens it like a manager.
    pub fn open_server(url: &encaisse_team::ServerUrl, tls: &encaisse_team::TlsOptions) -> Result<Store> {
        let mut client = encaisse_team::connect(url, tls)?;
        // The server's steps are numbered like the file's: both lists end at the same version.
        debug_assert_eq!(encaisse_team::LATEST_VERSION, schema::latest_version());
        encaisse_team::open(&mut client, url)?;
        Ok(Store {
            conn: Conn::postgres(client),
            path: url.to_string(),
        })
    }

    /// The server's login this store is connected as (`None` for a file: SQLite has no users).
    pub fn server_user(&self) -> Result<Option<String>> {
        match self.conn.dialect() {
            Dialect::Sqlite => Ok(None),
            Dialect::Postgres => Ok(Some(self.conn.query_row(
                "SELECT current_user::text",
                [],
                |r| r.get(0),
            )?)),
        }
    }

    /// SQLite (a file on this computer) or PostgreSQL (a team's server).
    pub fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }

    /// The database file as errors name it.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64> {
        match self.conn.dialect() {
            Dialect::Sqlite => Ok(self
                .conn
                .lite()?
                .pragma_query_value(None, "user_version", |r| r.get(0))?),
            Dialect::Postgres => self.conn.query_row(
                &format!("SELECT version FROM {}", encaisse_team::VERSION_TABLE),
                [],
                |r| r.get(0),
            ),
        }
    }

    pub fn company(&self) -> Result<Option<Company>> {
        self.conn
            .query_row(
                "SELECT name, siren, address, currency FROM company WHERE id = 1",
                [],
                |r| {
                    Ok(Company {
                        name: r.get(0)?,
                        siren: r.get(1)?,
                        address: r.get(2)?,
                        currency: r.get(3)?,
                    })
                },
            )
            .optional()
    }

    pub fn currency(&self) -> Result<Currency> {
        Ok(Currency(
            self.company()?
                .map(|c| c.currency)
                .unwrap_or_else(|| "EUR".into()),
        ))
    }

    pub fn customer_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM customer", [], |r| r.get(0))
    }

    pub fn line_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM ledger_line", [], |r| r.get(0))
    }

    /// Replaces the whole book (company, customers, lines) with the demo company, in one transaction.
    /// The next real import removes it.
    pub fn replace_with_demo(
        &mut self,
        company: &Company,
        customers: &[Customer],
        lines: &[LedgerLine],
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM note; DELETE FROM ledger_line; DELETE FROM invoice; DELETE FROM import_batch;
             DELETE FROM customer; DELETE FROM company;
             INSERT INTO setting (key, value) VALUES ('demo_company', '1')
             ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
        )?;
        tx.execute(
            "INSERT INTO company (id, name, siren, address, currency) VALUES (1, ?1, ?2, ?3, ?4)",
            params![company.name, company.siren, company.address, company.currency],
        )?;
        let currency = Currency(company.currency.clone());
        for c in customers {
            insert_customer(&tx, c, &currency)?;
        }
        insert_lines(&tx, lines, &currency)?;
        tx.execute_batch(workflow::DEMO_INVOICES)?;
        tx.commit()?;
        Ok(())
    }

    pub fn customers(&self) -> Result<Vec<Customer>> {
        let digits = self.currency()?.minor_digits();
        let mut stmt = self.conn.prepare(
            "SELECT key, name, siren, address, email, phone, terms, credit_limit_minor, segment, collector, notes
             FROM customer ORDER BY key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                Customer {
                    key: r.get(0)?,
                    name: r.get(1)?,
                    siren: r.get(2)?,
                    address: r.get(3)?,
                    email: r.get(4)?,
                    phone: r.get(5)?,
                    terms: None,
                    credit_limit: r.get::<_, Option<i64>>(7)?.map(|m| from_minor(m, digits)),
                    segment: r.get(8)?,
                    collector: r.get(9)?,
                    notes: r.get(10)?,
                },
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (mut c, terms) = row?;
            c.terms = terms
                .map(|t| {
                    t.parse::<Terms>().map_err(|_| StoreError::Corrupt {
                        what: format!("terms of customer {}", c.key),
                        value: t,
                    })
                })
                .transpose()?;
            Ok(c)
        })
        .collect()
    }

    /// First days of the fiscal years imported, oldest first.
    pub fn fiscal_years(&self) -> Result<Vec<NaiveDate>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT fiscal_year FROM ledger_line WHERE fiscal_year IS NOT NULL ORDER BY fiscal_year",
        )?;
        let years = stmt
            .query_map([], |r| r.get(0))?
            .collect::<crate::Result<Vec<NaiveDate>>>()?;
        Ok(years)
    }

    /// Every customer with its lines, customers by key, lines by date. With `year`, only the lines of that
    /// fiscal year (and lines that belong to none, such as the demo's): a year's opening entries repeat what
    /// was open at the end of the previous one, so one position must never mix two years.
    pub fn ledger(&self, year: Option<NaiveDate>) -> Result<Vec<CustomerLedger>> {
        let digits = self.currency()?.minor_digits();
        let mut out: Vec<CustomerLedger> = self
            .customers()?
            .into_iter()
            .map(|customer| CustomerLedger {
                customer,
                lines: Vec::new(),
            })
            .collect();
        let index: std::collections::HashMap<String, usize> = out
            .iter()
            .enumerate()
            .map(|(i, c)| (c.customer.key.clone(), i))
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT customer_key, journal, entry_num, entry_date, piece_ref, piece_date, label, amount_minor,
                    letter, letter_date, due_date
             FROM ledger_line WHERE CAST(?1 AS TEXT) IS NULL OR fiscal_year IS NULL OR fiscal_year = ?1
             ORDER BY customer_key, entry_date, id",
        )?;
        let rows = stmt.query_map([year], |r| {
            Ok(LedgerLine {
                customer_key: r.get(0)?,
                journal: r.get(1)?,
                entry_num: r.get(2)?,
                entry_date: r.get::<_, NaiveDate>(3)?,
                piece_ref: r.get(4)?,
                piece_date: r.get(5)?,
                label: r.get(6)?,
                amount: from_minor(r.get(7)?, digits),
                letter: r.get(8)?,
                letter_date: r.get(9)?,
                due_date: r.get(10)?,
            })
        })?;
        for line in rows {
            let line = line?;
            if let Some(&i) = index.get(&line.customer_key) {
                out[i].lines.push(line);
            }
        }
        Ok(out)
    }

    pub fn invoice_id(&self, customer_key: &str, piece_ref: &str) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM invoice WHERE customer_key = ?1 AND piece_ref = ?2 ORDER BY id LIMIT 1",
                [customer_key, piece_ref],
                |r| r.get(0),
            )
            .optional()
    }

    /// The date an import found the invoice gone, if it is.
    pub fn invoice_missing_since(&self, id: i64) -> Result<Option<NaiveDate>> {
        self.conn
            .query_row("SELECT missing_since FROM invoice WHERE id = ?1", [id], |r| {
                r.get(0)
            })
    }

    pub fn add_note(&self, note: &NewNote<'_>) -> Result<i64> {
        self.conn.query_row(
            "INSERT INTO note (customer_key, invoice_id, written_on, author, body) VALUES (?1, ?2, ?3, ?4, ?5)
             RETURNING id",
            params![note.customer_key, note.invoice_id, note.written_on, note.author, note.body],
            |r| r.get(0),
        )
    }

    /// A customer's notes, oldest first.
    pub fn notes(&self, customer_key: &str) -> Result<Vec<Note>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, customer_key, invoice_id, written_on, author, body FROM note WHERE customer_key = ?1
             ORDER BY written_on, id",
        )?;
        let notes = stmt
            .query_map([customer_key], |r| {
                Ok(Note {
                    id: r.get(0)?,
                    customer_key: r.get(1)?,
                    invoice_id: r.get(2)?,
                    written_on: r.get(3)?,
                    author: r.get(4)?,
                    body: r.get(5)?,
                })
            })?
            .collect::<crate::Result<Vec<_>>>()?;
        Ok(notes)
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| r.get(0))
            .optional()
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Sets `key` to `value` unless it holds `value` already: true when this call moved it, false when it was there
    /// (another desktop claimed it first). One statement: on a server, of two claims at once the second waits for the
    /// first's row lock, then finds the value there and changes nothing.
    pub fn claim_setting(&self, key: &str, value: &str) -> Result<bool> {
        let changed = self.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE setting.value IS DISTINCT FROM excluded.value",
            params![key, value],
        )?;
        Ok(changed > 0)
    }

    /// Every setting whose key starts with `prefix`, by key.
    pub fn settings_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT key, value FROM setting WHERE substr(key, 1, length(CAST(?1 AS TEXT))) = ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<crate::Result<Vec<_>>>()
    }

    /// Sets (or with `None` forgets) the display name of `login`, kept as the setting `user_name:<login>`. On a
    /// server, a login's own name goes through the server's `encaisse_set_display_name`, which writes the name of
    /// the signed-in login and nothing else: a collector, who may not write the settings, keeps their own name.
    /// Another login's name is a settings write, which the server allows its managers only.
    pub fn set_display_name(&self, login: &str, name: Option<&str>) -> Result<()> {
        if self.conn.dialect() == Dialect::Postgres {
            let signed_in: String = self
                .conn
                .query_row("SELECT CAST(session_user AS TEXT)", [], |r| r.get(0))?;
            if signed_in == login {
                self.conn.execute(
                    "SELECT encaisse_set_display_name(CAST(?1 AS TEXT))",
                    [name.unwrap_or("")],
                )?;
                return Ok(());
            }
        }
        let key = format!("user_name:{login}");
        match name {
            Some(name) => self.set_setting(&key, name),
            None => self.delete_setting(&key),
        }
    }

    /// Forgets a setting (its default applies again).
    pub fn delete_setting(&self, key: &str) -> Result<()> {
        self.conn.execute("DELETE FROM setting WHERE key = ?1", [key])?;
        Ok(())
    }
}

/// A date bound as YYYY-MM-DD text without going through a format string: imports bind millions of them.
pub(crate) struct SqlDate([u8; 10]);

impl From<NaiveDate> for SqlDate {
    fn from(d: NaiveDate) -> Self {
        use chrono::Datelike;
        let mut b = *b"0000-00-00";
        let y = d.year().clamp(0, 9999) as u32;
        for (i, v) in [(0, y / 1000), (1, y / 100 % 10), (2, y / 10 % 10), (3, y % 10)] {
            b[i] = b'0' + v as u8;
        }
        b[5] = b'0' + (d.month() / 10) as u8;
        b[6] = b'0' + (d.month() % 10) as u8;
        b[8] = b'0' + (d.day() / 10) as u8;
        b[9] = b'0' + (d.day() % 10) as u8;
        SqlDate(b)
    }
}

impl SqlDate {
    pub(crate) fn as_str(&self) -> &str {
        // Ten ASCII digits and dashes, made above.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl rusqlite::ToSql for SqlDate {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(
            rusqlite::types::ValueRef::Text(&self.0),
        ))
    }
}

pub(crate) fn minor(
    amount: rust_decimal::Decimal,
    currency: &Currency,
    what: impl FnOnce() -> String,
) -> Result<i64> {
    to_minor(amount, currency.minor_digits()).map_err(|source| StoreError::Money { what: what(), source })
}

/// The columns a new customer is written with, in [`customer_row`]'s order.
pub(crate) const CUSTOMER_COLUMNS: [&str; 11] = [
    "key",
    "name",
    "siren",
    "address",
    "email",
    "phone",
    "terms",
    "credit_limit_minor",
    "segment",
    "collector",
    "notes",
];

/// A new customer's values, for [`CUSTOMER_COLUMNS`] (money in minor units).
pub(crate) fn customer_row<'c>(c: &'c Customer, currency: &Currency) -> Result<[db::Value<'c>; 11]> {
    use db::Value;
    let text = |v: &'c Option<String>| v.as_deref().map_or(Value::Null, |t| Value::Text(t.into()));
    let limit = c
        .credit_limit
        .map(|l| minor(l, currency, || format!("credit limit of customer {}", c.key)))
        .transpose()?;
    Ok([
        Value::Text(c.key.as_str().into()),
        Value::Text(c.name.as_str().into()),
        text(&c.siren),
        text(&c.address),
        text(&c.email),
        text(&c.phone),
        c.terms.map_or(Value::Null, |t| Value::Text(t.to_string().into())),
        limit.map_or(Value::Null, Value::Int),
        text(&c.segment),
        text(&c.collector),
        text(&c.notes),
    ])
}

pub(crate) fn insert_customer(tx: &Conn, c: &Customer, currency: &Currency) -> Result<()> {
    let values = customer_row(c, currency)?;
    let params: Vec<&dyn db::Param> = values.iter().map(|v| v as &dyn db::Param).collect();
    tx.prepare(&format!(
        "INSERT INTO customer ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        CUSTOMER_COLUMNS.join(", ")
    ))?
    .execute(params.as_slice())?;
    Ok(())
}

fn insert_lines(tx: &Conn, lines: &[LedgerLine], currency: &Currency) -> Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO ledger_line (customer_key, journal, entry_num, entry_date, piece_ref, piece_date, label,
                                  amount_minor, currency, letter, letter_date, due_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for l in lines {
        let amount = minor(l.amount, currency, || {
            format!("line {} of customer {}", l.piece_ref, l.customer_key)
        })?;
        stmt.execute(params![
            l.customer_key,
            l.journal,
            l.entry_num,
            l.entry_date,
            l.piece_ref,
            l.piece_date,
            l.label,
            amount,
            currency.0,
            l.letter,
            l.letter_date,
            l.due_date
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::SqlDate;
    use chrono::NaiveDate;

    #[test]
    fn sql_dates_are_iso() {
        for (y, m, d) in [(2026, 11, 26), (1999, 1, 1), (2024, 2, 29), (10, 12, 31)] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                std::str::from_utf8(&SqlDate::from(date).0).unwrap(),
                date.format("%Y-%m-%d").to_string()
            );
        }
    }
}
