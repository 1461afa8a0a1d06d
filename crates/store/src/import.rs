//! Writing an imported ledger: one transaction that replaces a fiscal year's lines, keeps every customer's
//! settings and every invoice's identity (so notes, promises and disputes stay attached), and marks invoices
//! that disappeared instead of deleting them.

use crate::{insert_customer, minor, Result, SqlDate, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::money::Currency;
use encaisse_domain::{Customer, LedgerLine, Terms};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashMap;

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
    source: Option<String>,
    /// Known from the invoice itself (e-invoice BT-9): given to its lines at every import.
    due_date: Option<NaiveDate>,
    missing: bool,
    matched: bool,
}

/// Invoice id → due date known from the invoice itself.
type KnownDueDates = HashMap<i64, NaiveDate>;

impl Store {
    /// Imports a ledger; with `dry_run` everything is computed in the transaction, then rolled back.
    pub fn import_ledger(&mut self, imp: &LedgerImport<'_>, dry_run: bool) -> Result<ImportChanges> {
        let mut changes = ImportChanges::default();
        let tx = self.conn.transaction()?;
        changes.replaced_demo = crate::master::drop_demo(&tx)?;
        let company: Option<(Option<String>, String)> = tx
            .query_row("SELECT siren, currency FROM company WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let currency = match company {
            Some((Some(known), _)) if imp.siren.is_some_and(|s| s != known) => {
                return Err(StoreError::Refused(format!(
                    "{}: this file is for SIREN {}, the database holds the company with SIREN {known}",
                    imp.file_name,
                    imp.siren.unwrap_or_default()
                )));
            }
            Some((_, currency)) => Currency(currency),
            None => {
                let name = imp
                    .siren
                    .map_or_else(|| "Ma société".to_string(), |s| format!("Société {s}"));
                tx.execute(
                    "INSERT INTO company (id, name, siren, currency) VALUES (1, ?1, ?2, 'EUR')",
                    params![name, imp.siren],
                )?;
                Currency::eur()
            }
        };
        let same_file: Option<i64> = tx
            .query_row(
                "SELECT id FROM import_batch WHERE source = ?1 AND fiscal_year IS ?2 ORDER BY id DESC LIMIT 1",
                params![imp.source, imp.fiscal_year],
                |r| r.get(0),
            )
            .optional()?
            .and_then(|id| {
                tx.query_row("SELECT content_hash FROM import_batch WHERE id = ?1", [id], |r| r.get::<_, String>(0))
                    .ok()
                    .filter(|h| h == imp.content_hash)
                    .map(|_| id)
            });
        if same_file.is_some() {
            changes.unchanged = true;
            tx.rollback()?;
            return Ok(changes);
        }

        // Only this source's lines of that year: e-invoices and open-invoice files (no fiscal year) stay.
        changes.lines_removed = tx.execute(
            "DELETE FROM ledger_line WHERE fiscal_year IS ?1
               AND batch_id IN (SELECT id FROM import_batch WHERE source = ?2)",
            params![imp.fiscal_year, imp.source],
        )? as u64;
        for c in imp.customers {
            let exists: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM customer WHERE key = ?1)",
                [&c.key],
                |r| r.get(0),
            )?;
            if !exists {
                insert_customer(&tx, c, &currency)?;
                changes.customers_added += 1;
            }
        }
        tx.execute(
            "INSERT INTO import_batch (source, file_name, content_hash, fiscal_year, period_start, period_end,
                                       imported_on, lines, customers)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                imp.source,
                imp.file_name,
                imp.content_hash,
                imp.fiscal_year,
                imp.period.map(|p| p.0),
                imp.period.map(|p| p.1),
                imp.today,
                imp.lines.len() as i64,
                imp.customers.len() as i64
            ],
        )?;
        let batch = tx.last_insert_rowid();
        let (invoice_ids, known_due) = match_invoices(&tx, imp, &currency, &mut changes)?;
        if imp.source != "einvoice" {
            changes.lines_removed += adopt_einvoices(&tx, imp, &invoice_ids)?;
        }
        insert_import_lines(&tx, imp, &currency, batch, &invoice_ids, &known_due)?;
        changes.lines_added = imp.lines.len() as u64;
        if let Some(terms) = imp.default_terms {
            tx.execute(
                "INSERT INTO setting (key, value) VALUES ('default_terms', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [terms.to_string()],
            )?;
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(changes)
    }
}

/// Gives every debit line an invoice id: an existing invoice with the same customer and PieceRef (then the same
/// date and amount) keeps its id; others are new. Invoices of the same source and year left unmatched are marked
/// missing. Also returns the due dates known from the matched invoices themselves.
pub(crate) fn match_invoices(
    tx: &Transaction<'_>,
    imp: &LedgerImport<'_>,
    currency: &Currency,
    changes: &mut ImportChanges,
) -> Result<(Vec<Option<i64>>, KnownDueDates)> {
    // "customer key\0piece ref" → invoices with that identity
    let mut known: HashMap<String, Vec<KnownInvoice>> = HashMap::new();
    let mut key = String::new();
    {
        let mut stmt = tx.prepare(
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
                    source: r.get(7)?,
                    due_date: r.get(8)?,
                    matched: false,
                },
            ))
        })?;
        for row in rows {
            let (key, inv) = row?;
            known.entry(key).or_default().push(inv);
        }
    }
    let mut insert = tx.prepare(
        "INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor, fiscal_year, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut back = tx.prepare("UPDATE invoice SET missing_since = NULL WHERE id = ?1")?;
    let mut ids = Vec::with_capacity(imp.lines.len());
    let mut due = KnownDueDates::new();
    for line in imp.lines {
        if !line.is_debit() {
            ids.push(None);
            continue;
        }
        let amount = minor(line.amount, currency, || format!("invoice {}", line.piece_ref))?;
        let date = line.document_date();
        key.clear();
        key.push_str(&line.customer_key);
        key.push('\0');
        key.push_str(&line.piece_ref);
        if !known.contains_key(key.as_str()) {
            known.insert(key.clone(), Vec::new());
        }
        let candidates = known.get_mut(key.as_str()).expect("inserted above");
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
                    changes.invoices_back += 1;
                }
                changes.invoices_kept += 1;
                if let Some(d) = k.due_date {
                    due.insert(k.id, d);
                }
                ids.push(Some(k.id));
            }
            None => {
                insert.execute(params![
                    line.customer_key,
                    line.piece_ref,
                    SqlDate::from(date),
                    amount,
                    imp.fiscal_year,
                    imp.source
                ])?;
                let id = tx.last_insert_rowid();
                candidates.push(KnownInvoice {
                    id,
                    date,
                    amount,
                    fiscal_year: imp.fiscal_year,
                    source: Some(imp.source.to_string()),
                    due_date: None,
                    missing: false,
                    matched: true,
                });
                changes.invoices_added += 1;
                ids.push(Some(id));
            }
        }
    }
    let mut mark = tx.prepare("UPDATE invoice SET missing_since = ?2 WHERE id = ?1")?;
    for k in known.values().flatten() {
        if !k.matched
            && !k.missing
            && k.fiscal_year == imp.fiscal_year
            && k.source.as_deref() == Some(imp.source)
        {
            mark.execute(params![k.id, imp.today])?;
            changes.invoices_missing += 1;
        }
    }
    Ok((ids, due))
}

fn insert_import_lines(
    tx: &Transaction<'_>,
    imp: &LedgerImport<'_>,
    currency: &Currency,
    batch: i64,
    invoice_ids: &[Option<i64>],
    known_due: &KnownDueDates,
) -> Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO ledger_line (customer_key, journal, entry_num, entry_date, piece_ref, piece_date, label,
                                  amount_minor, currency, letter, letter_date, due_date, fiscal_year, batch_id,
                                  invoice_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    for (l, invoice) in imp.lines.iter().zip(invoice_ids) {
        let amount = minor(l.amount, currency, || {
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
            currency.0,
            l.letter,
            l.letter_date.map(SqlDate::from),
            l.due_date
                .or_else(|| invoice.and_then(|id| known_due.get(&id).copied()))
                .map(SqlDate::from),
            imp.fiscal_year.map(SqlDate::from),
            batch,
            invoice
        ])?;
    }
    Ok(())
}

/// Documents first created from e-invoices that this ledger now carries itself (same customer, number and
/// direction): their e-invoice lines are removed, so nothing is counted twice, and their invoice becomes this
/// source's (it kept its id, so notes stay attached, and its due date, given to the new lines). Returns the
/// lines removed.
fn adopt_einvoices(tx: &Transaction<'_>, imp: &LedgerImport<'_>, invoice_ids: &[Option<i64>]) -> Result<u64> {
    let mut created: HashMap<(String, String, bool), Vec<i64>> = HashMap::new();
    {
        let mut stmt = tx.prepare(
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
            created.entry(k).or_default().push(id);
        }
    }
    if created.is_empty() {
        return Ok(0);
    }
    let mut delete = tx.prepare("DELETE FROM ledger_line WHERE id = ?1")?;
    let mut adopt = tx.prepare(
        "UPDATE invoice SET source = ?2, fiscal_year = ?3, missing_since = NULL WHERE id = ?1 AND source = 'einvoice'",
    )?;
    let mut removed = 0;
    for (line, invoice) in imp.lines.iter().zip(invoice_ids) {
        let key = (line.customer_key.clone(), line.piece_ref.clone(), line.is_debit());
        if let Some(ids) = created.remove(&key) {
            for id in ids {
                removed += delete.execute([id])? as u64;
            }
            if let Some(invoice) = invoice {
                adopt.execute(params![invoice, imp.source, imp.fiscal_year])?;
            }
        }
    }
    Ok(removed)
}
