//! Writing an imported ledger: one transaction that replaces a fiscal year's lines, keeps every customer's
//! settings and every invoice's identity (so notes, promises and disputes stay attached), and marks invoices
//! that disappeared instead of deleting them.

use crate::db::{params, CopyBuffer, CopyRows, CopyType, Dialect, Optional, Param, Tx, Value};
use crate::{insert_customer, minor, Result, SqlDate, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::money::Currency;
use encaisse_domain::{Customer, LedgerLine, Terms};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::borrow::Cow;

pub struct LedgerImport<'a> {
    pub source: &'a str,
    pub file_name: &'a str,
    pub content_hash: &'a str,
    /// The company's SIREN as the file says it (FEC file name).
    pub siren: Option<&'a str>,
    /// First day of the fiscal year the file covers: its lines replace that year's.
    pub fiscal_year: Option<NaiveDate>,
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub customers: &'a [Customer],
    pub lines: &'a [LedgerLine],
    pub default_terms: Option<Terms>,
    pub today: NaiveDate,
}

/// What an import changes (or would change, for a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportChanges {
    /// The same file was already imported for this year: nothing written.
    pub unchanged: bool,
    /// The demo company was in the database and is removed.
    pub replaced_demo: bool,
    pub lines_removed: u64,
    pub lines_added: u64,
    pub customers_added: u64,
    pub invoices_added: u64,
    pub invoices_kept: u64,
    /// Invoices of this year absent from the new file: marked missing, kept with their history.
    pub invoices_missing: u64,
    /// Invoices marked missing by an earlier import that are back.
    pub invoices_back: u64,
}

struct KnownInvoice {
    id: i64,
    date: NaiveDate,
    amount: i64,
    fiscal_year: Option<NaiveDate>,
    /// Created by this import's source (a re-import of it marks the invoice missing when absent).
    ours: bool,
    /// Known from the invoice itself (e-invoice BT-9): given to its lines at every import.
    due_date: Option<NaiveDate>,
    missing: bool,
    matched: bool,
}

impl KnownInvoice {
    /// An invoice this import creates (id 0 until a server gives it one): this source's, matched by its own line.
    fn added(id: i64, date: NaiveDate, amount: i64, fiscal_year: Option<NaiveDate>) -> Self {
        KnownInvoice {
            id,
            date,
            amount,
            fiscal_year,
            ours: true,
            due_date: None,
            missing: false,
            matched: true,
        }
    }
}

/// An invoice a batch creates on a server: its line (in the batch) and the values it is created with.
struct NewInvoice {
    line: usize,
    date: NaiveDate,
    amount: i64,
}

/// The ids the server gave to the invoices `sent` (customer, number, date, amount), read back with their values
/// from `returned` (id, customer, number, date, amount) in whatever order: each invoice takes the smallest id
/// left among the rows of its values. Refused when the rows returned are not the invoices sent.
fn ids_by_values(
    sent: &[(&str, &str, &str, i64)],
    mut returned: Vec<(i64, String, String, String, i64)>,
) -> Result<Vec<i64>> {
    returned.sort_by_key(|r| r.0);
    let mut by_values: FxHashMap<(&str, &str, &str, i64), std::collections::VecDeque<i64>> =
        FxHashMap::default();
    for (id, k, p, d, a) in &returned {
        by_values
            .entry((k.as_str(), p.as_str(), d.as_str(), *a))
            .or_default()
            .push_back(*id);
    }
    let ids = sent
        .iter()
        .map(|s| {
            by_values
                .get_mut(s)
                .and_then(std::collections::VecDeque::pop_front)
        })
        .collect::<Option<Vec<i64>>>();
    match ids {
        Some(ids) if returned.len() == sent.len() => Ok(ids),
        _ => Err(StoreError::Server(format!(
            "the server returned {} invoices that are not the {} sent",
            returned.len(),
            sent.len()
        ))),
    }
}

/// A text column's value, borrowed.
fn text(t: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(t))
}

/// A date column's value (NULL for none), borrowed from its ten bytes.
fn date(d: &Option<SqlDate>) -> Value<'_> {
    d.as_ref()
        .map_or(Value::Null, |d| Value::Text(Cow::Borrowed(d.as_str())))
}

/// The columns of the lines' COPY: the id first (given by the import on the bulk path, else by the server).
const LINE_COLUMNS: [(&str, CopyType); 16] = [
    ("id", CopyType::Int),
    ("customer_key", CopyType::Text),
    ("journal", CopyType::Text),
    ("entry_num", CopyType::Text),
    ("entry_date", CopyType::Text),
    ("piece_ref", CopyType::Text),
    ("piece_date", CopyType::Text),
    ("label", CopyType::Text),
    ("amount_minor", CopyType::Int),
    ("currency", CopyType::Text),
    ("letter", CopyType::Text),
    ("letter_date", CopyType::Text),
    ("due_date", CopyType::Text),
    ("fiscal_year", CopyType::Text),
    ("batch_id", CopyType::Int),
    ("invoice_id", CopyType::Int),
];

/// The columns of the new invoices' COPY on the bulk path.
const INVOICE_COLUMNS: [(&str, CopyType); 7] = [
    ("id", CopyType::Int),
    ("customer_key", CopyType::Text),
    ("piece_ref", CopyType::Text),
    ("invoice_date", CopyType::Text),
    ("amount_minor", CopyType::Int),
    ("fiscal_year", CopyType::Text),
    ("source", CopyType::Text),
];

/// What a batch handed to [`LedgerWriter::add_all`] holds: the customers first seen in it, its lines, and the
/// fiscal year as far as the file was read.
pub type BatchParts<'b> = (&'b [Customer], &'b [LedgerLine], Option<NaiveDate>);

/// What [`LedgerWriter::add_all`] is handed: a batch, or the file's fingerprint when it comes.
pub enum Step<B> {
    Batch(B),
    Fingerprint(String),
}

/// What every line row of an import shares, for [`LineRows::each`].
struct LineRows<'a> {
    currency: &'a Currency,
    batch: i64,
    known_due: &'a KnownDueDates,
    year: Option<NaiveDate>,
}

impl LineRows<'_> {
    /// Each line's row in [`LINE_COLUMNS`]' order, its id left 0 for `emit` to give or leave out.
    fn each(
        &self,
        lines: &[LedgerLine],
        invoice_ids: &[Option<i64>],
        mut emit: impl FnMut(&mut [Value<'_>]) -> Result<()>,
    ) -> Result<()> {
        let year = self.year.map(SqlDate::from);
        for (l, invoice) in lines.iter().zip(invoice_ids) {
            let amount = minor(l.amount, self.currency, || {
                format!("line {} of customer {}", l.piece_ref, l.customer_key)
            })?;
            let entry_date = SqlDate::from(l.entry_date);
            let piece_date = l.piece_date.map(SqlDate::from);
            let letter_date = l.letter_date.map(SqlDate::from);
            let due_date = l
                .due_date
                .or_else(|| invoice.and_then(|id| self.known_due.get(&id).copied()))
                .map(SqlDate::from);
            let mut row = [
                Value::Int(0),
                text(&l.customer_key),
                text(&l.journal),
                text(&l.entry_num),
                text(entry_date.as_str()),
                text(&l.piece_ref),
                date(&piece_date),
                text(&l.label),
                Value::Int(amount),
                text(&self.currency.0),
                l.letter.as_deref().map_or(Value::Null, text),
                date(&letter_date),
                date(&due_date),
                date(&year),
                Value::Int(self.batch),
                invoice.map_or(Value::Null, Value::Int),
            ];
            emit(&mut row)?;
        }
        Ok(())
    }
}

/// What a bulk import on a server sends apart from the lines: the customers the database lacks (known from one
/// read of the keys at the start: the bulk path holds the customers' table exclusively, as the lines'), sent at
/// the end, and the new invoices, whose ids the import gives itself (from the invoices' sequence and the
/// table's largest id, read once the table is locked; `encaisse_bulk_load_end` moves the sequence past them),
/// encoded batch by batch and sent after the lines (`LedgerWriter::stream_in_bulk`).
#[derive(Default)]
struct Deferred {
    customer_keys: rustc_hash::FxHashSet<String>,
    customers: Vec<Customer>,
    next_invoice_id: i64,
    /// The batch's new invoices, until it encodes them: (its line in the batch, id, date, amount).
    invoices: Vec<(usize, i64, SqlDate, i64)>,
    /// The id the next line takes: the import numbers its lines too (the lines' primary key is rebuilt at the
    /// end, migration 0021; `encaisse_bulk_load_end` moves the sequence past them).
    next_line_id: i64,
    /// Lines of e-invoices this ledger now carries, removed once the lines' primary key is back (a removal by
    /// id before would scan the table for each), and the same for the changes of invoices by id: invoices
    /// marked missing found again, invoices of e-invoices this ledger takes over.
    einvoice_lines_removed: Vec<i64>,
    invoices_back: Vec<i64>,
    invoices_adopted: Vec<i64>,
}

/// Invoice id → due date known from the invoice itself.
type KnownDueDates = FxHashMap<i64, NaiveDate>;

impl Store {
    /// Imports a ledger held in memory; with `dry_run` everything is computed in the transaction, then rolled
    /// back. The same as [`Store::begin_ledger_import`] fed with one batch.
    pub fn import_ledger(&mut self, imp: &LedgerImport<'_>, dry_run: bool) -> Result<ImportChanges> {
        let mut writer = self.begin_ledger_import(&ImportStart {
            source: imp.source,
            file_name: imp.file_name,
            content_hash: Some(imp.content_hash),
            siren: imp.siren,
            default_terms: imp.default_terms,
            today: imp.today,
            expected_lines: imp.lines.len() as u64,
        })?;
        writer.add(imp.customers, imp.lines, imp.fiscal_year)?;
        writer.finish(
            &ImportEnd {
                fiscal_year: imp.fiscal_year,
                period: imp.period,
                customers: imp.customers,
                turnover: None,
            },
            dry_run,
        )
    }

    /// Starts an import whose lines arrive in batches (a large file being read on another thread): one
    /// transaction from here to [`LedgerWriter::finish`]; dropping the writer rolls everything back.
    pub fn begin_ledger_import(&mut self, start: &ImportStart<'_>) -> Result<LedgerWriter<'_>> {
        let mut changes = ImportChanges::default();
        // A savepoint: a transaction of its own, or part of the write lock's when an import holds it (lock.rs).
        let tx = self.conn.transaction()?;
        changes.replaced_demo = crate::master::drop_demo(&tx)?;
        let company: Option<(Option<String>, String)> = tx
            .query_row("SELECT siren, currency FROM company WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let currency = match company {
            Some((Some(known), _)) if start.siren.is_some_and(|s| s != known) => {
                return Err(StoreError::Refused(format!(
                    "{}: this file is for SIREN {}, the database holds the company with SIREN {known}",
                    start.file_name,
                    start.siren.unwrap_or_default()
                )));
            }
            // An FEC that names no company cannot be shown to belong to the one the database holds: refused
            // rather than merged (the demo company was removed above, an empty database has none).
            Some((known, _)) if start.source == "fec" && start.siren.is_none() => {
                return Err(StoreError::Refused(format!(
                    "{}: the file name carries no SIREN and the database holds a company ({}): give the \
                     company's SIREN, or name the file as the FEC standard does (SIRENFECYYYYMMDD.txt)",
                    start.file_name,
                    known.map_or_else(|| "without SIREN".to_string(), |s| format!("SIREN {s}"))
                )));
            }
            Some((known, currency)) => {
                if known.is_none() && start.source == "fec" {
                    // The company the database was started with, now known by the SIREN the user gave.
                    tx.execute("UPDATE company SET siren = ?1 WHERE id = 1", [start.siren])?;
                }
                Currency(currency)
            }
            None => {
                let name = start
                    .siren
                    .map_or_else(|| "Ma société".to_string(), |s| format!("Société {s}"));
                tx.execute(
                    "INSERT INTO company (id, name, siren, currency) VALUES (1, ?1, ?2, 'EUR')",
                    params![name, start.siren],
                )?;
                Currency::eur()
            }
        };
        if let Some(hash) = start.content_hash {
            changes.unchanged = imported_before(&tx, start.source, hash, 0)?;
        }
        let mut writer = LedgerWriter {
            source: start.source.to_string(),
            file_name: start.file_name.to_string(),
            content_hash: start.content_hash.map(str::to_string),
            default_terms: start.default_terms,
            today: start.today,
            currency,
            batch: 0,
            fiscal_year: None,
            first_new_invoice: 0,
            next_invoice_id: 0,
            known: FxHashMap::default(),
            known_due: KnownDueDates::default(),
            einvoice_lines: FxHashMap::default(),
            dropped_indexes: Vec::new(),
            server_bulk: false,
            keys_checked: None,
            deferred: Deferred::default(),
            added_customers: Vec::new(),
            changes,
            lines: 0,
            tx,
        };
        if writer.changes.unchanged {
            return Ok(writer);
        }
        writer.batch = writer.tx.query_row(
            "INSERT INTO import_batch (source, file_name, content_hash, imported_on, lines, customers)
             VALUES (?1, ?2, ?3, ?4, 0, 0) RETURNING id",
            params![
                writer.source,
                writer.file_name,
                writer.content_hash.as_deref().unwrap_or_default(),
                writer.today
            ],
            |r| r.get(0),
        )?;
        writer.first_new_invoice =
            writer
                .tx
                .query_row("SELECT coalesce(max(id), 0) + 1 FROM invoice", [], |r| r.get(0))?;
        writer.next_invoice_id = writer.first_new_invoice;
        writer.load_known_invoices()?;
        // The kept ledger forms are of the lines being replaced (the triggers would empty them on the first line).
        writer.tx.execute_batch("DELETE FROM ledger_form")?;
        writer.drop_indexes_for_bulk(start.expected_lines)?;
        if writer.source != "einvoice" {
            writer.load_einvoice_lines()?;
        }
        Ok(writer)
    }
}

/// SQLite's foreign-key checks off while a bulk import writes its batches, and the keys they check checked by
/// the writer instead. SQLite looks each row's parents up, a cursor opened per key: the lines' customer, batch and
/// invoice and the invoices' customer, about 1 s of the writing thread on the 1,000,000-line FEC of
/// BENCHMARKS.md (1.4 s against 0.4 s for the same rows copied with the sqlite3 shell). While they are off, only
/// inserts into the lines and invoices and updates or deletes of lines (no table refers to a line) run, and the
/// writer checks what SQLite would have: every line's customer is one the database had or the import created
/// (a set of keys, one hash lookup a line; the invoices take their line's customer), the batch is the one the
/// import created, an invoice id is one read from the invoices' table or just inserted. On again (with every
/// other write of the import, its deletions included) from [`LedgerWriter::finish`] on, or when the writer is
/// dropped. `PRAGMA foreign_keys` is a no-op inside a transaction; the connection's flag (`sqlite3_db_config`)
/// is not, and no deferred constraint exists in the schema whose counter the pragma's rule protects.
struct KeysChecked<'c> {
    conn: &'c crate::db::Conn,
    /// The customers' keys: the database's at the start, with those the import created.
    customers: rustc_hash::FxHashSet<String>,
    on: bool,
}

impl<'c> KeysChecked<'c> {
    fn start(tx: &Tx<'c>) -> Result<KeysChecked<'c>> {
        let conn: &'c crate::db::Conn = tx.conn();
        let customers = conn
            .prepare("SELECT key FROM customer")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_>>()?;
        set_key_checks(conn, false)?;
        Ok(KeysChecked {
            conn,
            customers,
            on: false,
        })
    }

    /// Every line's customer is known; else the import is refused (nothing of it is kept).
    fn check(&self, file: &str, lines: &[LedgerLine]) -> Result<()> {
        match lines.iter().find(|l| !self.customers.contains(&l.customer_key)) {
            None => Ok(()),
            Some(l) => Err(StoreError::Refused(format!(
                "{file}: the line {} {} names the customer {}, which neither the database nor the file holds",
                l.journal, l.entry_num, l.customer_key
            ))),
        }
    }

    fn end(mut self) -> Result<()> {
        self.on = true;
        set_key_checks(self.conn, true)
    }
}

impl Drop for KeysChecked<'_> {
    fn drop(&mut self) {
        if !self.on {
            let _ = set_key_checks(self.conn, true);
        }
    }
}

fn set_key_checks(conn: &crate::db::Conn, on: bool) -> Result<()> {
    let now = conn
        .lite()?
        .set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_FKEY, on)?;
    if now == on {
        Ok(())
    } else {
        Err(StoreError::Refused(format!(
            "SQLite did not turn its foreign-key checks {}",
            if on { "on" } else { "off" }
        )))
    }
}

/// Rows a SQLite statement inserts at once: one run of the statement (its cursor opened, its reset, its
/// bindings cleared) for 32 rows instead of one.
const ROWS_PER_INSERT: usize = 32;

/// Inserts rows by statements of [`ROWS_PER_INSERT`] rows, the last rows one by one: `insert` is the statement
/// up to `VALUES`, `row` one row's values with a `?` for each of the `width` values bound, `params` the values
/// bound, one row after another.
fn insert_rows(tx: &Tx<'_>, insert: &str, row: &str, width: usize, params: &[&dyn Param]) -> Result<()> {
    let rows = params.len() / width;
    let full = rows / ROWS_PER_INSERT * ROWS_PER_INSERT;
    if full > 0 {
        let mut many = tx.prepare(&format!(
            "{insert} VALUES {}",
            vec![row; ROWS_PER_INSERT].join(", ")
        ))?;
        for chunk in params[..full * width].chunks(ROWS_PER_INSERT * width) {
            many.execute(chunk)?;
        }
    }
    if full < rows {
        let mut one = tx.prepare(&format!("{insert} VALUES {row}"))?;
        for chunk in params[full * width..].chunks(width) {
            one.execute(chunk)?;
        }
    }
    Ok(())
}

/// A text as a SQL literal.
fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A date column's value as a SQL literal (`NULL` for none).
fn sql_date(date: &Option<SqlDate>) -> String {
    date.as_ref()
        .map_or_else(|| "NULL".to_string(), |d| sql_text(d.as_str()))
}

/// Whether the latest import of `source` for its fiscal year had the bytes of fingerprint `hash` (`batch`, the
/// import in progress, left out: 0 for none).
fn imported_before(tx: &Tx<'_>, source: &str, hash: &str, batch: i64) -> Result<bool> {
    Ok(latest_fingerprints(tx, source, batch)?.contains(hash))
}

/// The fingerprints of the source's latest import of each fiscal year, the import `batch` aside (a few rows: one
/// per year).
fn latest_fingerprints(tx: &Tx<'_>, source: &str, batch: i64) -> Result<rustc_hash::FxHashSet<String>> {
    tx.prepare(
        "SELECT b.content_hash FROM import_batch b
         WHERE b.source = ?1 AND b.id != ?2 AND b.content_hash IS NOT NULL
           AND b.id = (SELECT max(id) FROM import_batch
                       WHERE source = ?1 AND id != ?2 AND fiscal_year IS NOT DISTINCT FROM b.fiscal_year)",
    )?
    .query_map(params![source, batch], |r| r.get(0))?
    .collect()
}

/// What is known before the first line is read.
pub struct ImportStart<'a> {
    pub source: &'a str,
    pub file_name: &'a str,
    /// The fingerprint of the file's bytes; `None` when it is still being taken (a large file is hashed beside
    /// its reading): [`LedgerWriter::fingerprint`] gives it before `finish`.
    pub content_hash: Option<&'a str>,
    pub siren: Option<&'a str>,
    pub default_terms: Option<Terms>,
    pub today: NaiveDate,
    /// About how many lines will come (a hint: a large import rebuilds the line and invoice indexes once at the
    /// end instead of updating them line by line).
    pub expected_lines: u64,
}

/// An import of at least this many lines, and at least half as many as the table holds, drops the secondary
/// indexes of the lines and invoices and rebuilds them at the end: one sort instead of a b-tree descent per
/// row (measured on the 1,000,000-line FEC of BENCHMARKS.md: a third less work for the writing thread). On a
/// server the same rule drops the lines' and invoices' foreign keys and secondary indexes when the tables'
/// owner or a manager imports (see `drop_server_checks_for_bulk`).
pub(crate) const BULK_LINES: u64 = 50_000;

/// The memory of the sorts that rebuild a server's indexes at the end of a bulk import (`SET LOCAL`: this
/// transaction only; the server's default is 64MB).
const SERVER_REBUILD_MEMORY: &str = "256MB";

/// The parallel workers each index build of that rebuild may take beside the server process running it (`SET
/// LOCAL`; the server's default is 2). One: on the 2 cores of BENCHMARKS.md, a leader and two workers share two
/// cores, and the whole import measured 2.14 s against 2.21 s on average over 10 alternated runs (7 of 10 pairs
/// faster; `_end` alone 0.96-0.98 s against 0.99-1.00 s); the indexes of a ledger (at most a few million lines)
/// gain little from more. A chosen default, not measured on a larger server.
const SERVER_REBUILD_WORKERS: u32 = 1;

/// What is known once the whole file was read.
pub struct ImportEnd<'a> {
    /// First day of the fiscal year the file covers: its lines replace that year's.
    pub fiscal_year: Option<NaiveDate>,
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Every customer of the file with its final name.
    pub customers: &'a [Customer],
    /// The year's turnover excl. VAT the file shows (70* accounts), with its closing date: recorded for the
    /// D441-6 table unless the user entered one for that year.
    pub turnover: Option<(NaiveDate, Decimal)>,
}

/// An import in progress: one open transaction that batches of lines are written into.
pub struct LedgerWriter<'c> {
    tx: Tx<'c>,
    /// A bulk import on SQLite: the lines' and invoices' keys checked by the writer, not row by row by SQLite.
    keys_checked: Option<KeysChecked<'c>>,
    source: String,
    file_name: String,
    /// `None` until [`LedgerWriter::fingerprint`] gives it (the batch's row holds '' meanwhile).
    content_hash: Option<String>,
    default_terms: Option<Terms>,
    today: NaiveDate,
    currency: Currency,
    batch: i64,
    /// The year given with the first batch: lines and new invoices carry it; fixed by `finish` if the file's
    /// year turns out to be another.
    fiscal_year: Option<Option<NaiveDate>>,
    first_new_invoice: i64,
    /// On SQLite, the id the next invoice this import creates takes.
    next_invoice_id: i64,
    /// "customer key\0piece ref" → invoices with that identity
    known: FxHashMap<String, Vec<KnownInvoice>>,
    known_due: KnownDueDates,
    /// Lines first created from e-invoices, by (customer, number, is debit).
    einvoice_lines: FxHashMap<(String, String, bool), Vec<i64>>,
    /// Indexes (and the ledger forms' triggers) dropped for a bulk import, with the SQL that creates them again.
    dropped_indexes: Vec<String>,
    /// On a server: the checks of the lines and invoices were dropped (a manager or the owner imports in bulk).
    server_bulk: bool,
    /// A bulk import on a server: the customers and invoices it creates, sent by COPY apart from the lines (the
    /// checks are dropped, so the lines may name them before), with no other round trip per batch.
    deferred: Deferred,
    /// Customers this import created, with the name they were created with.
    added_customers: Vec<(String, String)>,
    changes: ImportChanges,
    lines: u64,
}

impl LedgerWriter<'_> {
    /// The same file was imported before: `add` ignores what it is given and `finish` writes nothing.
    pub fn unchanged(&self) -> bool {
        self.changes.unchanged
    }

    /// The same bytes as the source's latest import of the year: nothing of this import counts.
    fn mark_unchanged(&mut self) {
        self.changes = ImportChanges {
            unchanged: true,
            replaced_demo: self.changes.replaced_demo,
            ..ImportChanges::default()
        };
    }

    /// The file's fingerprint, when the import began before it was taken: the same bytes as the latest import
    /// of this source for their fiscal year make the import unchanged (what was written is rolled back by
    /// `finish`), else the batch records it.
    pub fn fingerprint(&mut self, hash: &str) -> Result<()> {
        if self.content_hash.is_some() {
            return Err(StoreError::Refused(format!(
                "{}: the file's fingerprint was given twice",
                self.file_name
            )));
        }
        self.content_hash = Some(hash.to_string());
        if self.changes.unchanged {
            return Ok(());
        }
        if imported_before(&self.tx, &self.source, hash, self.batch)? {
            self.mark_unchanged();
            return Ok(());
        }
        self.tx.execute(
            "UPDATE import_batch SET content_hash = ?2 WHERE id = ?1",
            params![self.batch, hash],
        )?;
        Ok(())
    }

    fn load_known_invoices(&mut self) -> Result<()> {
        let source = self.source.as_str();
        let mut stmt = self.tx.prepare(
            "SELECT id, customer_key, piece_ref, invoice_date, amount_minor, fiscal_year, missing_since, source, due_date
             FROM invoice",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                format!("{}\0{}", r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                KnownInvoice {
                    id: r.get(0)?,
                    date: r.get(3)?,
                    amount: r.get(4)?,
                    fiscal_year: r.get(5)?,
                    missing: r.get::<_, Option<String>>(6)?.is_some(),
                    ours: r.get::<_, Option<String>>(7)?.as_deref() == Some(source),
                    due_date: r.get(8)?,
                    matched: false,
                },
            ))
        })?;
        for row in rows {
            let (key, inv) = row?;
            self.known.entry(key).or_default().push(inv);
        }
        Ok(())
    }

    fn drop_indexes_for_bulk(&mut self, expected_lines: u64) -> Result<()> {
        let existing: i64 = match self.tx.dialect() {
            Dialect::Sqlite => self
                .tx
                .query_row("SELECT count(*) FROM ledger_line", [], |r| r.get(0))?,
            // The planner's estimate (-1 before the first analyze): a count would scan every line.
            Dialect::Postgres => self.tx.query_row(
                "SELECT CAST(greatest(reltuples, 0) AS BIGINT) FROM pg_class WHERE oid = 'ledger_line'::regclass",
                [],
                |r| r.get(0),
            )?,
        };
        if expected_lines < BULK_LINES || expected_lines < existing.unsigned_abs() / 2 {
            return Ok(());
        }
        if self.tx.dialect() == Dialect::Postgres {
            return self.drop_server_checks_for_bulk();
        }
        // The definitions as the migrations wrote them (automatic indexes of keys and constraints have no SQL
        // and stay); with them the triggers that empty the kept ledger forms on every row, emptied once above.
        let indexes: Vec<(String, String, String)> = self
            .tx
            .prepare(
                "SELECT type, name, sql FROM sqlite_master
                 WHERE (type = 'index' AND tbl_name IN ('ledger_line', 'invoice') AND sql IS NOT NULL)
                    OR (type = 'trigger' AND substr(name, 1, length(?1)) = ?1)",
            )?
            .query_map([crate::ledger_form::TRIGGER_PREFIX], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<crate::Result<_>>()?;
        for (kind, name, sql) in indexes {
            let kind = if kind == "trigger" { "TRIGGER" } else { "INDEX" };
            self.tx
                .execute_batch(&format!("DROP {kind} \"{}\"", name.replace('"', "\"\"")))?;
            self.dropped_indexes.push(sql);
        }
        self.keys_checked = Some(KeysChecked::start(&self.tx)?);
        Ok(())
    }

    /// On a server, the foreign keys and the secondary indexes of the lines and invoices, checked row by row by
    /// the server (each line's customer, batch and invoice looked up and locked: four fifths of a 1,000,000-line
    /// import's time), are dropped for a bulk import and created again by `finish`: one sort per index and one
    /// join per foreign key over the whole table, inside the import's transaction, so a key that does not hold
    /// fails the import as before. Only the tables' owner may change them: the managers, who import, do it
    /// through the two functions of migration 0019 (`encaisse_bulk_load_begin` and `_end`, fixed statements run
    /// with the owner's rights, EXECUTE given to `encaisse_manager` only; a commit without `_end` is refused by
    /// the server). Anyone else keeps the checks. The change locks the two tables until the import ends
    /// (colleagues' reads of the ledger wait for it); a lock not granted within a second (a long read) keeps
    /// them too.
    fn drop_server_checks_for_bulk(&mut self) -> Result<()> {
        let allowed: bool = self.tx.query_row(
            "SELECT has_function_privilege('encaisse_bulk_load_begin()', 'EXECUTE')",
            [],
            |r| r.get(0),
        )?;
        if !allowed {
            return Ok(());
        }
        let previous: String = self
            .tx
            .query_row("SELECT current_setting('lock_timeout')", [], |r| r.get(0))?;
        // Read while the lines' primary key is there (one step down its index).
        let largest_line: i64 =
            self.tx
                .query_row("SELECT coalesce(max(id), 0) FROM ledger_line", [], |r| r.get(0))?;
        let attempt = self.tx.transaction()?;
        let dropped =
            attempt.execute_batch("SET LOCAL lock_timeout = '1s'; SELECT encaisse_bulk_load_begin()");
        match dropped {
            Ok(()) => attempt.commit()?,
            // Busy tables (or anything else refused): the import goes on with the checks row by row.
            Err(_) => {
                attempt.rollback()?;
                return Ok(());
            }
        }
        self.tx
            .query_row("SELECT set_config('lock_timeout', ?1, true)", [previous], |r| {
                r.get::<_, String>(0)
            })?;
        self.dropped_indexes = vec![format!(
            "SET LOCAL maintenance_work_mem = '{SERVER_REBUILD_MEMORY}';
             SET LOCAL max_parallel_maintenance_workers = {SERVER_REBUILD_WORKERS};
             SELECT encaisse_bulk_load_end()"
        )];
        self.server_bulk = true;
        self.deferred.customer_keys = self
            .tx
            .prepare("SELECT key FROM customer")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_>>()?;
        // The largest ids were read while the primary keys were there (`first_new_invoice`, and above).
        self.deferred.next_invoice_id = self.tx.query_row(
            "SELECT greatest(nextval(pg_get_serial_sequence('invoice', 'id')), ?1)",
            [self.first_new_invoice],
            |r| r.get(0),
        )?;
        self.deferred.next_line_id = self.tx.query_row(
            "SELECT greatest(nextval(pg_get_serial_sequence('ledger_line', 'id')), ?1 + 1)",
            [largest_line],
            |r| r.get(0),
        )?;
        Ok(())
    }

    fn load_einvoice_lines(&mut self) -> Result<()> {
        let mut stmt = self.tx.prepare(
            "SELECT l.id, l.customer_key, l.piece_ref, l.amount_minor > 0 FROM ledger_line l
             JOIN import_batch b ON b.id = l.batch_id WHERE b.source = 'einvoice'",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                (
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, bool>(3)?,
                ),
                r.get::<_, i64>(0)?,
            ))
        })?;
        for row in rows {
            let (k, id) = row?;
            self.einvoice_lines.entry(k).or_default().push(id);
        }
        Ok(())
    }

    /// Writes a batch: the customers not in the database yet, then the lines with their invoice identities.
    /// `fiscal_year` is the year as far as the file was read (the first batch's is used until `finish`).
    /// [`LedgerWriter::add_all`] with one batch.
    pub fn add(
        &mut self,
        customers: &[Customer],
        lines: &[LedgerLine],
        fiscal_year: Option<NaiveDate>,
    ) -> Result<()> {
        let mut batch = Some((customers, lines, fiscal_year));
        self.add_all(|_| batch.take().map(Step::Batch), |b| *b)
    }

    /// Writes the batches `next` hands over, as [`LedgerWriter::add`] each, until it gives `None`; `next` gets
    /// back the batch written before (to reuse it), and may hand over the file's fingerprint when it comes
    /// ([`LedgerWriter::fingerprint`]). `parts` tells a batch's customers first seen in it, its lines and the
    /// year as far as the file was read.
    ///
    /// A bulk import on a server sends every batch's lines by one COPY, kept open from the first batch to the
    /// last, and the new invoices by one COPY after them (the checks are dropped, so the lines may name them
    /// before): the server loads the lines while the next batches are read, instead of the writer waiting for
    /// the end of a COPY per batch (see BENCHMARKS.md, "Team mode on PostgreSQL").
    pub fn add_all<B>(
        &mut self,
        mut next: impl FnMut(Option<B>) -> Option<Step<B>>,
        parts: impl for<'b> Fn(&'b B) -> BatchParts<'b>,
    ) -> Result<()> {
        if self.server_bulk {
            return self.stream_in_bulk(next, parts);
        }
        let mut done = None;
        while let Some(step) = next(done.take()) {
            match step {
                Step::Fingerprint(hash) => self.fingerprint(&hash)?,
                Step::Batch(batch) => {
                    let (customers, lines, year) = parts(&batch);
                    self.add_batch(customers, lines, year)?;
                    done = Some(batch);
                }
            }
        }
        Ok(())
    }

    /// [`LedgerWriter::add_all`] of a bulk import on a server: nothing else may use the connection while the
    /// lines' COPY is open, so what the batches need from the database was read before (the invoices known, the
    /// customers' keys, the fingerprints of the latest imports) and what they change by id waits for `finish`.
    fn stream_in_bulk<B>(
        &mut self,
        mut next: impl FnMut(Option<B>) -> Option<Step<B>>,
        parts: impl for<'b> Fn(&'b B) -> BatchParts<'b>,
    ) -> Result<()> {
        if self.changes.unchanged {
            let mut done = None;
            while let Some(step) = next(done.take()) {
                match step {
                    Step::Fingerprint(hash) => self.fingerprint(&hash)?,
                    Step::Batch(batch) => done = Some(batch),
                }
            }
            return Ok(());
        }
        // Read now for the fingerprint arriving while the COPY holds the connection.
        let latest = latest_fingerprints(&self.tx, &self.source, self.batch)?;
        let conn = self.tx.conn();
        let mut invoices = CopyBuffer::new(&INVOICE_COLUMNS);
        let mut fingerprint = None;
        let mut done = None;
        conn.copy_in("ledger_line", &LINE_COLUMNS, |rows| {
            while let Some(step) = next(done.take()) {
                match step {
                    Step::Fingerprint(hash) => {
                        if latest.contains(&hash) {
                            self.mark_unchanged();
                        }
                        fingerprint = Some(hash);
                    }
                    Step::Batch(batch) => {
                        if !self.changes.unchanged {
                            let (customers, lines, year) = parts(&batch);
                            self.stream_batch(customers, lines, year, rows, &mut invoices)?;
                        }
                        done = Some(batch);
                    }
                }
            }
            Ok(())
        })?;
        // Checked again by the database, and written on the import's batch.
        if let Some(hash) = fingerprint {
            self.fingerprint(&hash)?;
        }
        if !self.changes.unchanged && !invoices.is_empty() {
            conn.copy_in("invoice", &INVOICE_COLUMNS, |rows| rows.write_buffer(&invoices))?;
        }
        Ok(())
    }

    /// One batch of [`Self::stream_in_bulk`]: its new customers kept for the end, its invoices matched (the new
    /// ones encoded into `invoices`), its lines written into the open COPY.
    fn stream_batch(
        &mut self,
        customers: &[Customer],
        lines: &[LedgerLine],
        fiscal_year: Option<NaiveDate>,
        rows: &mut CopyRows<'_>,
        invoices: &mut CopyBuffer,
    ) -> Result<()> {
        let year = *self.fiscal_year.get_or_insert(fiscal_year);
        for c in customers {
            if self.deferred.customer_keys.insert(c.key.clone()) {
                self.deferred.customers.push(c.clone());
                self.added_customers.push((c.key.clone(), c.name.clone()));
                self.changes.customers_added += 1;
            }
        }
        let invoice_ids = self.match_invoices(lines, year)?;
        if !self.einvoice_lines.is_empty() {
            self.changes.lines_removed += self.adopt_einvoices(lines, &invoice_ids, year)?;
        }
        let source = self.source.as_str();
        let invoice_year = year.map(SqlDate::from);
        for (line, id, day, amount) in self.deferred.invoices.drain(..) {
            let line = &lines[line];
            invoices.write(&[
                Value::Int(id),
                text(&line.customer_key),
                text(&line.piece_ref),
                text(day.as_str()),
                Value::Int(amount),
                date(&invoice_year),
                text(source),
            ])?;
        }
        let next_id = &mut self.deferred.next_line_id;
        let line_rows = LineRows {
            currency: &self.currency,
            batch: self.batch,
            known_due: &self.known_due,
            year,
        };
        line_rows.each(lines, &invoice_ids, |row| {
            row[0] = Value::Int(*next_id);
            *next_id += 1;
            rows.write(row)
        })?;
        self.lines += lines.len() as u64;
        Ok(())
    }

    /// [`LedgerWriter::add`] but on the bulk path of a server ([`Self::stream_in_bulk`]).
    fn add_batch(
        &mut self,
        customers: &[Customer],
        lines: &[LedgerLine],
        fiscal_year: Option<NaiveDate>,
    ) -> Result<()> {
        if self.changes.unchanged {
            return Ok(());
        }
        let year = *self.fiscal_year.get_or_insert(fiscal_year);
        if self.tx.dialect() == Dialect::Postgres {
            self.copy_customers(customers)?;
        } else if let Some(keys) = &mut self.keys_checked {
            for c in customers {
                if !keys.customers.contains(&c.key) {
                    insert_customer(&self.tx, c, &self.currency)?;
                    keys.customers.insert(c.key.clone());
                    self.added_customers.push((c.key.clone(), c.name.clone()));
                    self.changes.customers_added += 1;
                }
            }
            keys.check(&self.file_name, lines)?;
        } else {
            for c in customers {
                let exists: bool = self.tx.query_row(
                    "SELECT EXISTS(SELECT 1 FROM customer WHERE key = ?1)",
                    [&c.key],
                    |r| r.get(0),
                )?;
                if !exists {
                    insert_customer(&self.tx, c, &self.currency)?;
                    self.added_customers.push((c.key.clone(), c.name.clone()));
                    self.changes.customers_added += 1;
                }
            }
        }
        let invoice_ids = self.match_invoices(lines, year)?;
        if !self.einvoice_lines.is_empty() {
            self.changes.lines_removed += self.adopt_einvoices(lines, &invoice_ids, year)?;
        }
        self.insert_lines(lines, &invoice_ids, year)?;
        self.lines += lines.len() as u64;
        Ok(())
    }

    /// Gives every debit line an invoice id: an existing invoice with the same customer and PieceRef (then the
    /// same date and amount) keeps its id; others are new.
    fn match_invoices(&mut self, lines: &[LedgerLine], year: Option<NaiveDate>) -> Result<Vec<Option<i64>>> {
        // On a server the batch's new invoices are inserted by one statement after the loop (a round trip per
        // invoice was most of the import's time); their ids are filled in then.
        let server = self.tx.dialect() == Dialect::Postgres;
        let mut new_invoices: Vec<NewInvoice> = Vec::new();
        // On SQLite: (line, date, amount) of the batch's new invoices.
        let mut new_rows: Vec<(usize, SqlDate, i64)> = Vec::new();
        // Not on the bulk path of a server: its lines' COPY holds the connection (the change waits for `finish`).
        let mut back = match self.server_bulk {
            true => None,
            false => Some(
                self.tx
                    .prepare("UPDATE invoice SET missing_since = NULL WHERE id = ?1")?,
            ),
        };
        let mut ids = Vec::with_capacity(lines.len());
        let mut key = String::new();
        for line in lines {
            if !line.is_debit() {
                ids.push(None);
                continue;
            }
            let amount = minor(line.amount, &self.currency, || {
                format!("invoice {}", line.piece_ref)
            })?;
            let date = line.document_date();
            key.clear();
            key.push_str(&line.customer_key);
            key.push('\0');
            key.push_str(&line.piece_ref);
            if !self.known.contains_key(key.as_str()) {
                self.known.insert(key.clone(), Vec::new());
            }
            let candidates = self.known.get_mut(key.as_str()).expect("inserted above");
            let score = |k: &KnownInvoice| u8::from(k.date == date) + 2 * u8::from(k.amount == amount);
            let best = candidates
                .iter_mut()
                .filter(|k| !k.matched)
                .max_by_key(|k| score(k));
            match best {
                Some(k) => {
                    k.matched = true;
                    if k.missing {
                        match back.as_mut() {
                            Some(back) => {
                                back.execute([k.id])?;
                            }
                            None => self.deferred.invoices_back.push(k.id),
                        }
                        self.changes.invoices_back += 1;
                    }
                    self.changes.invoices_kept += 1;
                    if let Some(d) = k.due_date {
                        self.known_due.insert(k.id, d);
                    }
                    ids.push(Some(k.id));
                }
                None if self.server_bulk => {
                    let id = self.deferred.next_invoice_id;
                    self.deferred.next_invoice_id += 1;
                    self.deferred
                        .invoices
                        .push((ids.len(), id, SqlDate::from(date), amount));
                    candidates.push(KnownInvoice::added(id, date, amount, year));
                    self.changes.invoices_added += 1;
                    ids.push(Some(id));
                }
                None if server => {
                    new_invoices.push(NewInvoice {
                        line: ids.len(),
                        date,
                        amount,
                    });
                    candidates.push(KnownInvoice::added(0, date, amount, year));
                    self.changes.invoices_added += 1;
                    ids.push(None);
                }
                None => {
                    // The id SQLite would give (the largest + 1: the import holds the write lock), inserted with
                    // the batch's other new invoices below.
                    let id = self.next_invoice_id;
                    self.next_invoice_id += 1;
                    new_rows.push((ids.len(), SqlDate::from(date), amount));
                    candidates.push(KnownInvoice::added(id, date, amount, year));
                    self.changes.invoices_added += 1;
                    ids.push(Some(id));
                }
            }
        }
        drop(back);
        if !new_rows.is_empty() {
            let year = year.map(SqlDate::from);
            let mut params: Vec<&dyn Param> = Vec::with_capacity(new_rows.len() * 5);
            for (i, date, amount) in &new_rows {
                let line = &lines[*i];
                params.extend([
                    &ids[*i] as &dyn Param,
                    &line.customer_key,
                    &line.piece_ref,
                    date,
                    amount,
                ]);
            }
            let row = format!("(?, ?, ?, ?, ?, {}, {})", sql_date(&year), sql_text(&self.source));
            insert_rows(
                &self.tx,
                "INSERT INTO invoice (id, customer_key, piece_ref, invoice_date, amount_minor, fiscal_year, source)",
                &row,
                5,
                &params,
            )?;
        }
        if !new_invoices.is_empty() {
            self.insert_invoices_on_server(lines, &new_invoices, year, &mut ids)?;
        }
        Ok(ids)
    }

    /// The batch's new invoices in one `INSERT … SELECT FROM unnest(…)` on a server, their ids given to their
    /// lines (`ids`) and to the invoices known by identity (pushed with id 0 by `match_invoices`, in line order).
    /// The server's ids are matched to the invoices sent by their values, not by the order rows come back in;
    /// invoices of equal values (customer, number, date, amount: this import's year and source too) are the same
    /// row whichever id each gets, and get them in line order, as on SQLite.
    fn insert_invoices_on_server(
        &mut self,
        lines: &[LedgerLine],
        new: &[NewInvoice],
        year: Option<NaiveDate>,
        ids: &mut [Option<i64>],
    ) -> Result<()> {
        let keys: Vec<&str> = new.iter().map(|n| lines[n.line].customer_key.as_str()).collect();
        let refs: Vec<&str> = new.iter().map(|n| lines[n.line].piece_ref.as_str()).collect();
        let dates: Vec<SqlDate> = new.iter().map(|n| SqlDate::from(n.date)).collect();
        let dates: Vec<&str> = dates.iter().map(SqlDate::as_str).collect();
        let amounts: Vec<i64> = new.iter().map(|n| n.amount).collect();
        let year = year.map(SqlDate::from);
        let year = year.as_ref().map(SqlDate::as_str);
        let source = self.source.as_str();
        let returned: Vec<(i64, String, String, String, i64)> = self.tx.query_server(
            "INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor, fiscal_year, source)
             SELECT k, p, d, a, $5, $6
             FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS u(k, p, d, a, n)
             ORDER BY n
             RETURNING id, customer_key, piece_ref, invoice_date, amount_minor",
            &[&keys, &refs, &dates, &amounts, &year, &source],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        let sent: Vec<(&str, &str, &str, i64)> = (0..new.len())
            .map(|i| (keys[i], refs[i], dates[i], amounts[i]))
            .collect();
        let given = ids_by_values(&sent, returned)?;
        self.give_invoice_ids(lines, new, &given, ids)
    }

    /// A bulk import on a server: the customers it created, by one COPY (before anything of `finish` reads or
    /// changes them; the invoices went with their batches).
    fn send_deferred(&mut self) -> Result<()> {
        use CopyType::{Int, Text};
        let customers = std::mem::take(&mut self.deferred.customers);
        if !customers.is_empty() {
            let columns = crate::CUSTOMER_COLUMNS.map(|c| {
                let kind = if c == "credit_limit_minor" { Int } else { Text };
                (c, kind)
            });
            let currency = &self.currency;
            self.tx.copy_in("customer", &columns, |rows| {
                for c in &customers {
                    rows.write(&crate::customer_row(c, currency)?)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// A bulk import on a server, once the primary keys are back: what the batches changed by id, one statement
    /// each (the same as the statements `match_invoices` and `adopt_einvoices` run otherwise).
    fn apply_deferred_by_id(&mut self) -> Result<()> {
        let removed = std::mem::take(&mut self.deferred.einvoice_lines_removed);
        if !removed.is_empty() {
            self.tx.query_server(
                "DELETE FROM ledger_line WHERE id = ANY($1) RETURNING id",
                &[&removed],
                |r| r.get::<_, i64>(0),
            )?;
        }
        let back = std::mem::take(&mut self.deferred.invoices_back);
        if !back.is_empty() {
            self.tx.query_server(
                "UPDATE invoice SET missing_since = NULL WHERE id = ANY($1) RETURNING id",
                &[&back],
                |r| r.get::<_, i64>(0),
            )?;
        }
        let adopted = std::mem::take(&mut self.deferred.invoices_adopted);
        if !adopted.is_empty() {
            let year = self.fiscal_year.flatten().map(SqlDate::from);
            let year = year.as_ref().map(SqlDate::as_str);
            self.tx.query_server(
                "UPDATE invoice SET source = $2, fiscal_year = $3, missing_since = NULL
                 WHERE id = ANY($1) AND source = 'einvoice' RETURNING id",
                &[&adopted, &self.source, &year],
                |r| r.get::<_, i64>(0),
            )?;
        }
        Ok(())
    }

    /// The new invoices' ids given to their lines and to the invoices known by identity (pushed with id 0).
    fn give_invoice_ids(
        &mut self,
        lines: &[LedgerLine],
        new: &[NewInvoice],
        given: &[i64],
        ids: &mut [Option<i64>],
    ) -> Result<()> {
        for (n, &id) in new.iter().zip(given) {
            ids[n.line] = Some(id);
            let line = &lines[n.line];
            let key = format!("{}\0{}", line.customer_key, line.piece_ref);
            let pending = self
                .known
                .get_mut(&key)
                .and_then(|c| c.iter_mut().find(|k| k.id == 0))
                .ok_or_else(|| StoreError::Refused(format!("invoice {} was not pending", line.piece_ref)))?;
            pending.id = id;
        }
        Ok(())
    }

    /// The customers of a batch the database lacks, by one query and one COPY (on a server).
    fn copy_customers(&mut self, customers: &[Customer]) -> Result<()> {
        if customers.is_empty() {
            return Ok(());
        }
        let keys: Vec<&str> = customers.iter().map(|c| c.key.as_str()).collect();
        let known: rustc_hash::FxHashSet<String> = self
            .tx
            .query_server("SELECT key FROM customer WHERE key = ANY($1)", &[&keys], |r| {
                r.get(0)
            })?
            .into_iter()
            .collect();
        let mut seen = rustc_hash::FxHashSet::default();
        let new: Vec<&Customer> = customers
            .iter()
            .filter(|c| !known.contains(&c.key) && seen.insert(c.key.as_str()))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let columns = crate::CUSTOMER_COLUMNS.map(|c| {
            let kind = if c == "credit_limit_minor" {
                CopyType::Int
            } else {
                CopyType::Text
            };
            (c, kind)
        });
        let currency = self.currency.clone();
        self.tx.copy_in("customer", &columns, |rows| {
            for c in &new {
                rows.write(&crate::customer_row(c, &currency)?)?;
            }
            Ok(())
        })?;
        for c in new {
            self.added_customers.push((c.key.clone(), c.name.clone()));
            self.changes.customers_added += 1;
        }
        Ok(())
    }

    /// Documents first created from e-invoices that this ledger now carries itself (same customer, number and
    /// direction): their e-invoice lines are removed, so nothing is counted twice, and their invoice becomes
    /// this source's (it kept its id, so notes stay attached, and its due date, given to the new lines).
    /// Returns the lines removed.
    fn adopt_einvoices(
        &mut self,
        lines: &[LedgerLine],
        invoice_ids: &[Option<i64>],
        year: Option<NaiveDate>,
    ) -> Result<u64> {
        // On the bulk path of a server the changes wait for `finish` (the lines' COPY holds the connection).
        let mut statements = match self.server_bulk {
            true => None,
            false => Some((
                self.tx.prepare("DELETE FROM ledger_line WHERE id = ?1")?,
                self.tx.prepare(
                    "UPDATE invoice SET source = ?2, fiscal_year = ?3, missing_since = NULL
                     WHERE id = ?1 AND source = 'einvoice'",
                )?,
            )),
        };
        let mut removed = 0;
        for (line, invoice) in lines.iter().zip(invoice_ids) {
            let key = (line.customer_key.clone(), line.piece_ref.clone(), line.is_debit());
            if let Some(ids) = self.einvoice_lines.remove(&key) {
                let Some((delete, adopt)) = statements.as_mut() else {
                    removed += ids.len() as u64;
                    self.deferred.einvoice_lines_removed.extend(ids);
                    self.deferred.invoices_adopted.extend(*invoice);
                    continue;
                };
                for id in ids {
                    removed += delete.execute([id])? as u64;
                }
                if let Some(invoice) = invoice {
                    adopt.execute(params![invoice, self.source, year.map(SqlDate::from)])?;
                }
            }
        }
        Ok(removed)
    }

    fn insert_lines(
        &mut self,
        lines: &[LedgerLine],
        invoice_ids: &[Option<i64>],
        year: Option<NaiveDate>,
    ) -> Result<()> {
        if self.tx.dialect() == Dialect::Postgres {
            return self.copy_lines(lines, invoice_ids, year);
        }
        struct Computed {
            amount: i64,
            entry_date: SqlDate,
            piece_date: Option<SqlDate>,
            letter_date: Option<SqlDate>,
            due_date: Option<SqlDate>,
        }
        let computed = lines
            .iter()
            .zip(invoice_ids)
            .map(|(l, invoice)| {
                Ok(Computed {
                    amount: minor(l.amount, &self.currency, || {
                        format!("line {} of customer {}", l.piece_ref, l.customer_key)
                    })?,
                    entry_date: SqlDate::from(l.entry_date),
                    piece_date: l.piece_date.map(SqlDate::from),
                    letter_date: l.letter_date.map(SqlDate::from),
                    due_date: l
                        .due_date
                        .or_else(|| invoice.and_then(|id| self.known_due.get(&id).copied()))
                        .map(SqlDate::from),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let year = year.map(SqlDate::from);
        let mut params: Vec<&dyn Param> = Vec::with_capacity(lines.len() * 15);
        for ((l, c), invoice) in lines.iter().zip(&computed).zip(invoice_ids) {
            params.extend([
                &l.customer_key as &dyn Param,
                &l.journal,
                &l.entry_num,
                &c.entry_date,
                &l.piece_ref,
                &c.piece_date,
                &l.label,
                &c.amount,
                &l.letter,
                &c.letter_date,
                &c.due_date,
                invoice,
            ]);
        }
        // What every line of the import shares is written into the statement, not bound to each row.
        let row = format!(
            "(?, ?, ?, ?, ?, ?, ?, ?, {}, ?, ?, ?, {}, {}, ?)",
            sql_text(&self.currency.0),
            sql_date(&year),
            self.batch
        );
        insert_rows(
            &self.tx,
            "INSERT INTO ledger_line (customer_key, journal, entry_num, entry_date, piece_ref, piece_date, label,
                                      amount_minor, currency, letter, letter_date, due_date, fiscal_year, batch_id,
                                      invoice_id)",
            &row,
            12,
            &params,
        )
    }

    /// The lines of a batch by one binary COPY (on a server, the checks kept): the same values as
    /// [`Self::insert_lines`]'s, the ids given by the server.
    fn copy_lines(
        &mut self,
        lines: &[LedgerLine],
        invoice_ids: &[Option<i64>],
        year: Option<NaiveDate>,
    ) -> Result<()> {
        let line_rows = LineRows {
            currency: &self.currency,
            batch: self.batch,
            known_due: &self.known_due,
            year,
        };
        self.tx.copy_in("ledger_line", &LINE_COLUMNS[1..], |rows| {
            line_rows.each(lines, invoice_ids, |row| rows.write(&row[1..]))
        })?;
        Ok(())
    }

    /// Ends the import: the year's earlier lines of this source are replaced, invoices of this source and
    /// year left unmatched are marked missing, then the transaction commits (or rolls back for a dry run).
    pub fn finish(mut self, end: &ImportEnd<'_>, dry_run: bool) -> Result<ImportChanges> {
        if self.content_hash.is_none() {
            return Err(StoreError::Refused(format!(
                "{}: the file's fingerprint was not given",
                self.file_name
            )));
        }
        if self.changes.unchanged {
            self.tx.rollback()?;
            return Ok(self.changes);
        }
        if self.server_bulk {
            self.send_deferred()?;
            // The checks and indexes back before what follows, which changes rows by their ids and years (and
            // a key that does not hold fails a dry run too).
            for sql in std::mem::take(&mut self.dropped_indexes) {
                self.tx.execute_batch(&sql)?;
            }
            self.apply_deferred_by_id()?;
        }
        if let Some(keys) = self.keys_checked.take() {
            keys.end()?;
        }
        let tx = &self.tx;
        let provisional = self.fiscal_year.unwrap_or(end.fiscal_year);
        if provisional != end.fiscal_year {
            tx.execute(
                "UPDATE ledger_line SET fiscal_year = ?2 WHERE batch_id = ?1",
                params![self.batch, end.fiscal_year],
            )?;
            tx.execute(
                "UPDATE invoice SET fiscal_year = ?2 WHERE id >= ?1 AND source = ?3",
                params![self.first_new_invoice, end.fiscal_year, self.source],
            )?;
            for k in self.known.values_mut().flatten() {
                if k.id >= self.first_new_invoice {
                    k.fiscal_year = end.fiscal_year;
                }
            }
        }
        // Only this source's lines of that year: e-invoices and open-invoice files (no fiscal year) stay. None
        // when this source was never imported (a scan of the lines just written, their indexes dropped, saved).
        let earlier: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM import_batch WHERE source = ?1 AND id != ?2)",
            params![self.source, self.batch],
            |r| r.get(0),
        )?;
        if earlier {
            self.changes.lines_removed += tx.execute(
                "DELETE FROM ledger_line WHERE fiscal_year IS NOT DISTINCT FROM ?1 AND batch_id != ?3
                   AND batch_id IN (SELECT id FROM import_batch WHERE source = ?2)",
                params![end.fiscal_year, self.source, self.batch],
            )? as u64;
        }
        let mut mark = tx.prepare("UPDATE invoice SET missing_since = ?2 WHERE id = ?1")?;
        for k in self.known.values().flatten() {
            if !k.matched && !k.missing && k.fiscal_year == end.fiscal_year && k.ours {
                mark.execute(params![k.id, self.today])?;
                self.changes.invoices_missing += 1;
            }
        }
        drop(mark);
        // A customer created before its name was read (an empty label first) takes its final name.
        let names: FxHashMap<&str, &str> = end
            .customers
            .iter()
            .map(|c| (c.key.as_str(), c.name.as_str()))
            .collect();
        for (key, name) in &self.added_customers {
            if let Some(&last) = names.get(key.as_str()) {
                if last != name {
                    tx.execute("UPDATE customer SET name = ?2 WHERE key = ?1", params![key, last])?;
                }
            }
        }
        tx.execute(
            "UPDATE import_batch SET fiscal_year = ?2, period_start = ?3, period_end = ?4, lines = ?5, customers = ?6
             WHERE id = ?1",
            params![
                self.batch,
                end.fiscal_year,
                end.period.map(|p| p.0),
                end.period.map(|p| p.1),
                self.lines as i64,
                end.customers.len() as i64
            ],
        )?;
        if let Some((year_end, turnover)) = end.turnover {
            let turnover = minor(turnover, &self.currency, || format!("turnover of {year_end}"))?;
            tx.execute(
                "INSERT INTO fiscal_turnover (year_end, turnover_minor, source) VALUES (?1, ?2, ?3)
                 ON CONFLICT(year_end) DO UPDATE SET turnover_minor = excluded.turnover_minor,
                                                     source = excluded.source
                 WHERE fiscal_turnover.source != 'user'",
                params![SqlDate::from(year_end), turnover, self.source],
            )?;
        }
        self.changes.lines_added = self.lines;
        if let Some(terms) = self.default_terms {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('default_terms', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [terms.to_string()],
            )?;
        }
        if dry_run {
            // The rollback puts the dropped indexes back as well.
            self.tx.rollback()?;
        } else {
            for sql in &self.dropped_indexes {
                self.tx.execute_batch(sql)?;
            }
            self.tx.commit()?;
        }
        Ok(self.changes)
    }
}

#[cfg(test)]
mod tests {
    use super::{ids_by_values, ImportEnd, ImportStart, BULK_LINES};
    use crate::{Store, StoreError};
    use encaisse_domain::testing::{d, invoice, payment};
    use encaisse_domain::Customer;
    use rust_decimal_macros::dec;

    fn key_checks(conn: &crate::db::Conn) -> i64 {
        let conn = conn.lite().unwrap();
        conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap()
    }

    fn count(store: &Store, table: &str) -> i64 {
        let conn = store.conn.lite().unwrap();
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    /// A bulk import writes its batches without SQLite's foreign-key checks and checks the keys itself: a line
    /// of a customer neither the database nor the file holds is refused and nothing is kept; the checks are on
    /// again afterwards, whether the import was refused or went through, and hold for every other write.
    #[test]
    fn a_bulk_import_checks_the_keys_itself_and_sqlite_checks_them_again_after() {
        let mut store = Store::open_in_memory().unwrap();
        let start = ImportStart {
            source: "fec",
            file_name: "123456782FEC20261231.txt",
            content_hash: Some("h"),
            siren: Some("123456782"),
            default_terms: None,
            today: d("2026-12-31"),
            expected_lines: BULK_LINES,
        };
        let customers = [Customer::new("C1", "A")];
        {
            let mut writer = store.begin_ledger_import(&start).unwrap();
            assert_eq!(
                key_checks(writer.tx.conn()),
                0,
                "off while the batches are written"
            );
            writer
                .add(&customers, &[invoice("C1", "2026-01-05", "F1", dec!(100))], None)
                .unwrap();
            let refused = writer.add(&[], &[payment("C2", "2026-01-06", "P1", dec!(10))], None);
            match refused {
                Err(StoreError::Refused(m)) => assert!(m.contains("C2"), "{m}"),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(key_checks(&store.conn), 1);
        for table in ["ledger_line", "invoice", "customer", "import_batch"] {
            assert_eq!(count(&store, table), 0, "{table}: nothing kept");
        }
        let mut writer = store.begin_ledger_import(&start).unwrap();
        writer
            .add(&customers, &[invoice("C1", "2026-01-05", "F1", dec!(100))], None)
            .unwrap();
        let changes = writer
            .finish(
                &ImportEnd {
                    fiscal_year: None,
                    period: None,
                    customers: &customers,
                    turnover: None,
                },
                false,
            )
            .unwrap();
        assert_eq!((changes.lines_added, changes.invoices_added), (1, 1));
        assert_eq!(key_checks(&store.conn), 1);
        let orphan = store.conn.lite().unwrap().execute_batch(
            "INSERT INTO ledger_line (customer_key, journal, entry_num, entry_date, piece_ref, amount_minor, currency)
             VALUES ('C9', 'VE', '9', '2026-01-02', 'F9', 500, 'EUR')",
        );
        assert!(orphan.is_err(), "SQLite checks the keys again");
    }

    #[test]
    fn invoice_ids_are_matched_by_values_whatever_order_they_come_back_in() {
        let sent = [
            ("C1", "F1", "2026-01-02", 100),
            ("C1", "F1", "2026-01-02", 100),
            ("C2", "F2", "2026-01-03", 250),
            ("C1", "F1", "2026-01-02", 120),
        ];
        let row = |id: i64, k: &str, p: &str, d: &str, a: i64| (id, k.into(), p.into(), d.into(), a);
        // Backwards: the two equal invoices take their ids in line order, the others their own.
        let returned = vec![
            row(14, "C1", "F1", "2026-01-02", 120),
            row(13, "C2", "F2", "2026-01-03", 250),
            row(12, "C1", "F1", "2026-01-02", 100),
            row(11, "C1", "F1", "2026-01-02", 100),
        ];
        assert_eq!(ids_by_values(&sent, returned).unwrap(), vec![11, 12, 13, 14]);
        // Rows that are not the invoices sent are refused.
        let other = vec![
            row(11, "C1", "F1", "2026-01-02", 100),
            row(12, "C1", "F1", "2026-01-02", 100),
            row(13, "C2", "F2", "2026-01-03", 251),
            row(14, "C1", "F1", "2026-01-02", 120),
        ];
        assert!(ids_by_values(&sent, other).is_err());
        assert!(ids_by_values(&sent[..3], vec![row(11, "C1", "F1", "2026-01-02", 100)]).is_err());
    }
}
