//! Bank statements, their entries (each once, whatever the statements that carried it), what each credit entry
//! pays (status, allocations to invoices, who decided), and the IBANs learned from confirmed matches.
//!
//! The import's writes ([`Store::bank_account`], [`Store::add_statement`], [`Store::add_entry`],
//! [`Store::set_bank_match`]) run inside the caller's transaction (the import's write lock); a user's decision
//! ([`Store::decide_bank_match`]) and a removal ([`Store::remove_statement`]) are a savepoint each (a transaction
//! of their own, or a part of the caller's, which then audits them in the same transaction).

use crate::db::{params, Conn, Optional};
use crate::{minor, Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::money::{from_minor, Currency};
use rust_decimal::Decimal;

/// A statement to record.
#[derive(Debug, Clone)]
pub struct NewStatement<'a> {
    pub account_id: i64,
    pub file_name: &'a str,
    pub content_hash: &'a str,
    pub format: &'a str,
    pub statement_key: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Option<Decimal>,
    pub closing: Option<Decimal>,
    pub imported_on: NaiveDate,
    pub imported_by: &'a str,
}

/// A statement as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRecord {
    pub id: i64,
    pub account: String,
    pub currency: String,
    pub file_name: String,
    pub content_hash: String,
    pub format: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Option<Decimal>,
    pub closing: Option<Decimal>,
    pub imported_on: NaiveDate,
    pub imported_by: String,
    /// The entries it carried.
    pub entries: u32,
}

/// An entry to record (texts as the bank wrote them; `remittance` and `references` are JSON arrays).
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub identity: &'a str,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: Decimal,
    pub label: &'a str,
    pub counterparty_name: Option<&'a str>,
    pub counterparty_iban: Option<&'a str>,
    pub remittance: &'a str,
    pub references: &'a str,
    pub bank_reference: Option<&'a str>,
    pub end_to_end_id: Option<&'a str>,
}

/// An amount of an entry put on an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAllocation {
    pub customer_key: String,
    pub invoice: String,
    pub amount: Decimal,
}

/// What an entry is (a credit entry has one; a debit none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankMatch {
    /// matched | suggested | unmatched | on_account | ignored
    pub status: String,
    pub customer_key: Option<String>,
    pub score: Option<u32>,
    /// JSON, as the matching gave it.
    pub reasons: String,
    pub suggestions: String,
    /// auto | user
    pub decided_by: String,
    pub user: String,
    pub decided_on: NaiveDate,
    pub allocations: Vec<BankAllocation>,
}

/// An entry as recorded, with its match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    pub id: i64,
    pub identity: String,
    pub account: String,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: Decimal,
    pub currency: String,
    pub label: String,
    pub counterparty_name: Option<String>,
    pub counterparty_iban: Option<String>,
    pub remittance: String,
    pub references: String,
    pub bank_reference: Option<String>,
    pub end_to_end_id: Option<String>,
    pub matched: Option<BankMatch>,
}

/// What removing a statement took away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedStatement {
    pub statement: StatementRecord,
    /// The entries no other statement carries, removed with their matches.
    pub entries_removed: u32,
    /// Those of them that had a match or a decision (matched, on account, ignored).
    pub decisions_removed: u32,
}

const VALID_STATUS: [&str; 5] = ["matched", "suggested", "unmatched", "on_account", "ignored"];

fn day(s: &str) -> crate::Result<NaiveDate> {
    s.parse().map_err(|e| StoreError::Corrupt {
        what: "a bank date".into(),
        value: format!("{s}: {e}"),
    })
}

fn opt_day(s: Option<String>) -> crate::Result<Option<NaiveDate>> {
    s.as_deref().map(day).transpose()
}

impl Store {
    /// The account's id, recorded on first use.
    pub fn bank_account(&self, account: &str, currency: &str) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO bank_account (account, currency) VALUES (?1, ?2) ON CONFLICT (account) DO NOTHING",
            params![account, currency],
        )?;
        self.conn.query_row(
            "SELECT id FROM bank_account WHERE account = ?1",
            params![account],
            |r| r.get(0),
        )
    }

    /// The statement already recorded with these account, dates and key.
    pub fn find_statement(
        &self,
        account_id: i64,
        from: NaiveDate,
        to: NaiveDate,
        key: &str,
    ) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM bank_statement WHERE account_id = ?1 AND from_date = ?2 AND to_date = ?3
                 AND statement_key = ?4",
                params![account_id, from, to, key],
                |r| r.get(0),
            )
            .optional()
    }

    pub fn add_statement(&self, s: &NewStatement<'_>) -> Result<i64> {
        let currency = self.account_currency(s.account_id)?;
        let m = |d: Option<Decimal>, what: &str| {
            d.map(|d| minor(d, &currency, || format!("the {what} balance of {}", s.file_name)))
                .transpose()
        };
        self.conn.query_row(
            "INSERT INTO bank_statement (account_id, file_name, content_hash, format, statement_key, from_date,
             to_date, opening_minor, closing_minor, imported_on, imported_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
            params![
                s.account_id,
                s.file_name,
                s.content_hash,
                s.format,
                s.statement_key,
                s.from,
                s.to,
                m(s.opening, "opening")?,
                m(s.closing, "closing")?,
                s.imported_on,
                s.imported_by
            ],
            |r| r.get(0),
        )
    }

    fn account_currency(&self, account_id: i64) -> Result<Currency> {
        Ok(Currency(
            self.conn
                .prepare("SELECT currency FROM bank_account WHERE id = ?1")?
                .query_row(params![account_id], |r| r.get(0))?,
        ))
    }

    /// Records an entry carried by a statement: `(id, true)` when it is new, `(id, false)` when an earlier
    /// statement already brought it (then only the link is added).
    pub fn add_entry(
        &self,
        statement_id: i64,
        account_id: i64,
        line: usize,
        e: &NewEntry<'_>,
    ) -> Result<(i64, bool)> {
        let existing: Option<i64> = self
            .conn
            .prepare("SELECT id FROM bank_entry WHERE identity = ?1")?
            .query_row(params![e.identity], |r| r.get(0))
            .optional()?;
        let (id, new) = match existing {
            Some(id) => (id, false),
            None => {
                let currency = self.account_currency(account_id)?;
                let amount = minor(e.amount, &currency, || format!("the entry {}", e.identity))?;
                let id: i64 = self.conn.prepare(
                    "INSERT INTO bank_entry (identity, account_id, booking_date, value_date, amount_minor, currency,
                     label, counterparty_name, counterparty_iban, remittance, refs, bank_reference, end_to_end_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
                )?
                .query_row(params![
                        e.identity,
                        account_id,
                        e.booking_date,
                        e.value_date,
                        amount,
                        currency.0,
                        e.label,
                        e.counterparty_name,
                        e.counterparty_iban,
                        e.remittance,
                        e.references,
                        e.bank_reference,
                        e.end_to_end_id
                    ], |r| r.get(0))?;
                (id, true)
            }
        };
        self.conn
            .prepare(
                "INSERT INTO bank_statement_entry (statement_id, entry_id, line) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![statement_id, id, line as i64])?;
        Ok((id, new))
    }

    /// Writes an entry's match (replacing the one it had) in the caller's transaction.
    pub fn set_bank_match(&self, entry_id: i64, m: &BankMatch) -> Result<()> {
        write_match(&self.conn, entry_id, m)
    }

    /// A user's decision on an entry, in one transaction; `learn` = an IBAN to remember for a customer.
    pub fn decide_bank_match(
        &mut self,
        entry_id: i64,
        m: &BankMatch,
        learn: Option<(&str, &str)>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        write_match(&tx, entry_id, m)?;
        if let Some((iban, customer)) = learn {
            tx.execute(
                "INSERT INTO bank_iban (iban, customer_key, learned_on, \"user\") VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
                params![iban, customer, m.decided_on, m.user],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every entry (with its match), by booking date then id; `status` keeps those of one status.
    pub fn bank_entries(&self, status: Option<&str>) -> Result<Vec<EntryRecord>> {
        self.read_entries("WHERE CAST(?1 AS TEXT) IS NULL OR m.status = ?1", params![status])
    }

    /// The entry of this identity, or of this row id when `key` is a number.
    pub fn bank_entry(&self, key: &str) -> Result<Option<EntryRecord>> {
        let key = key.trim();
        let id: Option<i64> = key.parse().ok();
        Ok(self
            .read_entries("WHERE e.identity = ?1 OR e.id = ?2", params![key, id])?
            .into_iter()
            .next())
    }

    fn read_entries(&self, filter: &str, p: impl crate::db::Params) -> Result<Vec<EntryRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT e.id, e.identity, a.account, e.booking_date, e.value_date, e.amount_minor, e.currency, e.label,
                    e.counterparty_name, e.counterparty_iban, e.remittance, e.refs, e.bank_reference,
                    e.end_to_end_id, m.status, m.customer_key, m.score, m.reasons, m.suggestions, m.decided_by,
                    m.user, m.decided_on
             FROM bank_entry e JOIN bank_account a ON a.id = e.account_id
             LEFT JOIN bank_match m ON m.entry_id = e.id
             {filter} ORDER BY e.booking_date, e.id"
        ))?;
        let mut out = stmt
            .query_map(p, |r| {
                let currency: String = r.get(6)?;
                let digits = Currency(currency.clone()).minor_digits();
                let status: Option<String> = r.get(14)?;
                let matched = match status {
                    None => None,
                    Some(status) => Some(BankMatch {
                        status,
                        customer_key: r.get(15)?,
                        score: r.get(16)?,
                        reasons: r.get(17)?,
                        suggestions: r.get(18)?,
                        decided_by: r.get(19)?,
                        user: r.get(20)?,
                        decided_on: day(&r.get::<_, String>(21)?)?,
                        allocations: Vec::new(),
                    }),
                };
                Ok(EntryRecord {
                    id: r.get(0)?,
                    identity: r.get(1)?,
                    account: r.get(2)?,
                    booking_date: day(&r.get::<_, String>(3)?)?,
                    value_date: opt_day(r.get(4)?)?,
                    amount: from_minor(r.get(5)?, digits),
                    currency,
                    label: r.get(7)?,
                    counterparty_name: r.get(8)?,
                    counterparty_iban: r.get(9)?,
                    remittance: r.get(10)?,
                    references: r.get(11)?,
                    bank_reference: r.get(12)?,
                    end_to_end_id: r.get(13)?,
                    matched,
                })
            })?
            .collect::<crate::Result<Vec<_>>>()?;
        let mut alloc = self.conn.prepare(&format!(
            "SELECT customer_key, invoice, amount_minor FROM bank_allocation WHERE entry_id = ?1
             ORDER BY {}",
            self.conn.insertion_order("bank_allocation")
        ))?;
        for e in &mut out {
            let digits = Currency(e.currency.clone()).minor_digits();
            if let Some(m) = &mut e.matched {
                m.allocations = alloc
                    .query_map(params![e.id], |r| {
                        Ok(BankAllocation {
                            customer_key: r.get(0)?,
                            invoice: r.get(1)?,
                            amount: from_minor(r.get(2)?, digits),
                        })
                    })?
                    .collect::<crate::Result<Vec<_>>>()?;
            }
        }
        Ok(out)
    }

    /// What matched entries put on invoices: (customer key, invoice, amount).
    pub fn bank_allocations(&self) -> Result<Vec<BankAllocation>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT al.customer_key, al.invoice, al.amount_minor, e.currency FROM bank_allocation al
             JOIN bank_match m ON m.entry_id = al.entry_id AND m.status = 'matched'
             JOIN bank_entry e ON e.id = al.entry_id ORDER BY al.entry_id, {}",
            self.conn.insertion_order("al")
        ))?;
        let rows = stmt.query_map([], |r| {
            let currency: String = r.get(3)?;
            Ok(BankAllocation {
                customer_key: r.get(0)?,
                invoice: r.get(1)?,
                amount: from_minor(r.get(2)?, Currency(currency).minor_digits()),
            })
        })?;
        rows.collect::<crate::Result<Vec<_>>>()
    }

    /// The IBANs learned, as (IBAN, customer key).
    pub fn learned_ibans(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT iban, customer_key FROM bank_iban ORDER BY iban, customer_key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<crate::Result<Vec<_>>>()
    }

    pub fn bank_statements(&self) -> Result<Vec<StatementRecord>> {
        self.read_statements("", params![])
    }

    pub fn bank_statement(&self, id: i64) -> Result<Option<StatementRecord>> {
        Ok(self
            .read_statements("WHERE s.id = ?1", params![id])?
            .into_iter()
            .next())
    }

    fn read_statements(&self, filter: &str, p: impl crate::db::Params) -> Result<Vec<StatementRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT s.id, a.account, a.currency, s.file_name, s.content_hash, s.format, s.from_date, s.to_date,
                    s.opening_minor, s.closing_minor, s.imported_on, s.imported_by,
                    (SELECT count(*) FROM bank_statement_entry l WHERE l.statement_id = s.id)
             FROM bank_statement s JOIN bank_account a ON a.id = s.account_id {filter}
             ORDER BY a.account, s.from_date, s.id"
        ))?;
        let rows = stmt.query_map(p, |r| {
            let currency: String = r.get(2)?;
            let digits = Currency(currency.clone()).minor_digits();
            Ok(StatementRecord {
                id: r.get(0)?,
                account: r.get(1)?,
                currency,
                file_name: r.get(3)?,
                content_hash: r.get(4)?,
                format: r.get(5)?,
                from: day(&r.get::<_, String>(6)?)?,
                to: day(&r.get::<_, String>(7)?)?,
                opening: r.get::<_, Option<i64>>(8)?.map(|m| from_minor(m, digits)),
                closing: r.get::<_, Option<i64>>(9)?.map(|m| from_minor(m, digits)),
                imported_on: day(&r.get::<_, String>(10)?)?,
                imported_by: r.get(11)?,
                entries: r.get(12)?,
            })
        })?;
        rows.collect::<crate::Result<Vec<_>>>()
    }

    /// Removes a statement, and the entries no other statement carries with their matches and decisions; one
    /// transaction.
    pub fn remove_statement(&mut self, id: i64) -> Result<RemovedStatement> {
        let statement = self
            .bank_statement(id)?
            .ok_or_else(|| StoreError::Refused(format!("bank statement {id}: no such statement")))?;
        let tx = self.conn.transaction()?;
        let orphans = "SELECT l.entry_id FROM bank_statement_entry l WHERE l.statement_id = ?1
             AND NOT EXISTS (SELECT 1 FROM bank_statement_entry o WHERE o.entry_id = l.entry_id
                             AND o.statement_id <> ?1)";
        let (entries_removed, decisions_removed): (u32, u32) = tx.query_row(
            &format!(
                "SELECT count(*), count(m.entry_id) FROM ({orphans}) x LEFT JOIN bank_match m
                 ON m.entry_id = x.entry_id AND m.status IN ('matched', 'on_account', 'ignored')"
            ),
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.execute(
            &format!("DELETE FROM bank_entry WHERE id IN ({orphans})"),
            params![id],
        )?;
        tx.execute("DELETE FROM bank_statement WHERE id = ?1", params![id])?;
        tx.commit()?;
        Ok(RemovedStatement {
            statement,
            entries_removed,
            decisions_removed,
        })
    }
}

fn write_match(conn: &Conn, entry_id: i64, m: &BankMatch) -> Result<()> {
    if !VALID_STATUS.contains(&m.status.as_str()) {
        return Err(StoreError::Refused(format!(
            "bank match status '{}' is unknown",
            m.status
        )));
    }
    let currency: String = conn
        .prepare("SELECT currency FROM bank_entry WHERE id = ?1")?
        .query_row(params![entry_id], |r| r.get(0))?;
    let currency = Currency(currency);
    conn.prepare(
        "INSERT INTO bank_match (entry_id, status, customer_key, score, reasons, suggestions, decided_by, \"user\",
         decided_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (entry_id) DO UPDATE SET status = excluded.status, customer_key = excluded.customer_key,
           score = excluded.score, reasons = excluded.reasons, suggestions = excluded.suggestions,
           decided_by = excluded.decided_by, \"user\" = excluded.\"user\", decided_on = excluded.decided_on",
    )?
    .execute(params![
            entry_id,
            m.status,
            m.customer_key,
            m.score,
            m.reasons,
            m.suggestions,
            m.decided_by,
            m.user,
            m.decided_on
    ])?;
    conn.prepare("DELETE FROM bank_allocation WHERE entry_id = ?1")?
        .execute(params![entry_id])?;
    for a in &m.allocations {
        let amount = minor(a.amount, &currency, || format!("the allocation to {}", a.invoice))?;
        conn.prepare(
            "INSERT INTO bank_allocation (entry_id, customer_key, invoice, amount_minor) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![entry_id, a.customer_key, a.invoice, amount])?;
    }
    Ok(())
}
