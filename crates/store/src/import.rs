//! Writing an imported ledger: one transaction that replaces a fiscal year's lines, keeps every customer's
//! settings and every invoice's identity (so notes, promises and disputes stay attached), and marks invoices
//! that disappeared instead of deleting them.

use crate::db::{params, Dialect, Optional, Tx};
use crate::{insert_customer, minor, Result, SqlDate, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::money::Currency;
use encaisse_domain::{Customer, LedgerLine, Terms};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

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

/// Invoice id → due date known from the invoice itself.
type KnownDueDates = FxHashMap<i64, NaiveDate>;

impl Store {
    /// Imports a ledger held in memory; with `dry_run` everything is computed in the transaction, then rolled
    /// back. The same as [`Store::begin_ledger_import`] fed with one batch.
    pub fn import_ledger(&mut self, imp: &LedgerImport<'_>, dry_run: bool) -> Result<ImportChanges> {
        let mut writer = self.begin_ledger_import(&ImportStart {
            source: imp.source,
            file_name: imp.file_name,
            content_hash: imp.content_hash,
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
        // The same bytes as the latest import of this source for their fiscal year: nothing to do.
        changes.unchanged = tx
            .query_row(
                "SELECT EXISTS(SELECT 1 FROM import_batch b WHERE b.source = ?1 AND b.content_hash = ?2
                   AND b.id = (SELECT max(id) FROM import_batch WHERE source = ?1 AND fiscal_year IS NOT DISTINCT FROM b.fiscal_year))",
                params![start.source, start.content_hash],
                |r| r.get(0),
            )?;
        let mut writer = LedgerWriter {
            source: start.source.to_string(),
            file_name: start.file_name.to_string(),
            content_hash: start.content_hash.to_string(),
            default_terms: start.default_terms,
            today: start.today,
            currency,
            batch: 0,
            fiscal_year: None,
            first_new_invoice: 0,
            known: FxHashMap::default(),
            known_due: KnownDueDates::default(),
            einvoice_lines: FxHashMap::default(),
            dropped_indexes: Vec::new(),
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
            params![writer.source, writer.file_name, writer.content_hash, writer.today],
            |r| r.get(0),
        )?;
        writer.first_new_invoice =
            writer
                .tx
                .query_row("SELECT coalesce(max(id), 0) + 1 FROM invoice", [], |r| r.get(0))?;
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

/// What is known before the first line is read.
pub struct ImportStart<'a> {
    pub source: &'a str,
    pub file_name: &'a str,
    pub content_hash: &'a str,
    pub siren: Option<&'a str>,
    pub default_terms: Option<Terms>,
    pub today: NaiveDate,
    /// About how many lines will come (a hint: a large import rebuilds the line and invoice indexes once at the
    /// end instead of updating them line by line).
    pub expected_lines: u64,
}

/// An import of at least this many lines, and at least half as many as the table holds, drops the secondary
/// indexes of the lines and invoices and rebuilds them at the end: one sort instead of a b-tree descent per
/// row (measured on the 1,000,000-line FEC of BENCHMARKS.md: a third less work for the writing thread).
pub(crate) const BULK_LINES: u64 = 50_000;

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
    source: String,
    file_name: String,
    content_hash: String,
    default_terms: Option<Terms>,
    today: NaiveDate,
    currency: Currency,
    batch: i64,
    /// The year given with the first batch: lines and new invoices carry it; fixed by `finish` if the file's
    /// year turns out to be another.
    fiscal_year: Option<Option<NaiveDate>>,
    first_new_invoice: i64,
    /// "customer key\0piece ref" → invoices with that identity
    known: FxHashMap<String, Vec<KnownInvoice>>,
    known_due: KnownDueDates,
    /// Lines first created from e-invoices, by (customer, number, is debit).
    einvoice_lines: FxHashMap<(String, String, bool), Vec<i64>>,
    /// Indexes (and the ledger forms' triggers) dropped for a bulk import, with the SQL that creates them again.
    dropped_indexes: Vec<String>,
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
        if self.tx.dialect() == Dialect::Postgres {
            // SQLite's catalog; a server keeps its indexes (its bulk load is left to a COPY of its own).
            return Ok(());
        }
        let existing: i64 = self
            .tx
            .query_row("SELECT count(*) FROM ledger_line", [], |r| r.get(0))?;
        if expected_lines < BULK_LINES || expected_lines < existing.unsigned_abs() / 2 {
            return Ok(());
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
    pub fn add(
        &mut self,
        customers: &[Customer],
        lines: &[LedgerLine],
        fiscal_year: Option<NaiveDate>,
    ) -> Result<()> {
        if self.changes.unchanged {
            return Ok(());
        }
        let year = *self.fiscal_year.get_or_insert(fiscal_year);
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
        let mut insert = self.tx.prepare_insert(
            "INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor, fiscal_year, source)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut back = self
            .tx
            .prepare("UPDATE invoice SET missing_since = NULL WHERE id = ?1")?;
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
                        back.execute([k.id])?;
                        self.changes.invoices_back += 1;
                    }
                    self.changes.invoices_kept += 1;
                    if let Some(d) = k.due_date {
                        self.known_due.insert(k.id, d);
                    }
                    ids.push(Some(k.id));
                }
                None => {
                    let id = insert.insert(params![
                        line.customer_key,
                        line.piece_ref,
                        SqlDate::from(date),
                        amount,
                        year.map(SqlDate::from),
                        self.source
                    ])?;
                    candidates.push(KnownInvoice {
                        id,
                        date,
                        amount,
                        fiscal_year: year,
                        ours: true,
                        due_date: None,
                        missing: false,
                        matched: true,
                    });
                    self.changes.invoices_added += 1;
                    ids.push(Some(id));
                }
            }
        }
        Ok(ids)
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
        let mut delete = self.tx.prepare("DELETE FROM ledger_line WHERE id = ?1")?;
        let mut adopt = self.tx.prepare(
            "UPDATE invoice SET source = ?2, fiscal_year = ?3, missing_since = NULL WHERE id = ?1 AND source = 'einvoice'",
        )?;
        let mut removed = 0;
        for (line, invoice) in lines.iter().zip(invoice_ids) {
            let key = (line.customer_key.clone(), line.piece_ref.clone(), line.is_debit());
            if let Some(ids) = self.einvoice_lines.remove(&key) {
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
        let mut stmt = self.tx.prepare(
            "INSERT INTO ledger_line (customer_key, journal, entry_num, entry_date, piece_ref, piece_date, label,
                                      amount_minor, currency, letter, letter_date, due_date, fiscal_year, batch_id,
                                      invoice_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        let year = year.map(SqlDate::from);
        for (l, invoice) in lines.iter().zip(invoice_ids) {
            let amount = minor(l.amount, &self.currency, || {
                format!("line {} of customer {}", l.piece_ref, l.customer_key)
            })?;
            stmt.execute(params![
                l.customer_key,
                l.journal,
                l.entry_num,
                SqlDate::from(l.entry_date),
                l.piece_ref,
                l.piece_date.map(SqlDate::from),
                l.label,
                amount,
                self.currency.0,
                l.letter,
                l.letter_date.map(SqlDate::from),
                l.due_date
                    .or_else(|| invoice.and_then(|id| self.known_due.get(&id).copied()))
                    .map(SqlDate::from),
                year,
                self.batch,
                invoice
            ])?;
        }
        Ok(())
    }

    /// Ends the import: the year's earlier lines of this source are replaced, invoices of this source and
    /// year left unmatched are marked missing, then the transaction commits (or rolls back for a dry run).
    pub fn finish(mut self, end: &ImportEnd<'_>, dry_run: bool) -> Result<ImportChanges> {
        if self.changes.unchanged {
            self.tx.rollback()?;
            return Ok(self.changes);
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
