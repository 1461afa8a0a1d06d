//! The collections workflow's records: scenarios and who follows which, the actions log, promises, disputes.
//! Everything hangs off `customer.key` and `invoice.id`, which imports keep; invoices linked to a record must belong
//! to its customer.
//!
//! One module per record kind: `actions`, `promises`, `disputes`, and `scenarios` (the scenarios, who follows
//! which, and each customer's own settings); here, what they share: invoice identities, the filter, the links
//! between records and invoices, and the words read back from the database.

mod actions;
mod disputes;
mod portfolios;
mod promises;
mod scenarios;

pub use actions::{ActionRecord, NewAction};
pub use disputes::{DisputeComment, DisputeRecord, NewDispute};
pub use portfolios::{Reassigned, TeamMember};
pub use promises::{NewPromise, PromiseChange, PromiseRecord};
pub use scenarios::CustomerDunning;

use crate::db::{params, Conn, Optional};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::collections::AssignBy;
use encaisse_domain::money::from_minor;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// Gives the demo company's invoice lines an identity (the same statements end migration 0004).
pub(crate) const DEMO_INVOICES: &str = "
INSERT INTO invoice (customer_key, piece_ref, invoice_date, amount_minor, source)
SELECT customer_key, piece_ref, coalesce(piece_date, entry_date), amount_minor, 'demo'
FROM ledger_line WHERE invoice_id IS NULL AND batch_id IS NULL AND amount_minor > 0
  AND EXISTS (SELECT 1 FROM setting WHERE key = 'demo_company' AND value = '1');
UPDATE ledger_line SET invoice_id = (
    SELECT i.id FROM invoice i WHERE i.source = 'demo' AND i.customer_key = ledger_line.customer_key
       AND i.piece_ref = ledger_line.piece_ref ORDER BY i.id LIMIT 1)
WHERE invoice_id IS NULL AND batch_id IS NULL AND amount_minor > 0
  AND EXISTS (SELECT 1 FROM setting WHERE key = 'demo_company' AND value = '1');";

pub use crate::edits::Edit;

/// Which records to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached<'a> {
    All,
    Customer(&'a str),
    /// Records linked to this invoice id.
    Invoice(i64),
}

/// An invoice's identity, as imports keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceIdentity {
    pub id: i64,
    pub customer_key: String,
    pub piece_ref: String,
    pub invoice_date: NaiveDate,
    pub amount: Decimal,
    pub missing_since: Option<NaiveDate>,
}

fn word<T: FromStr>(what: &str, value: String) -> Result<T> {
    value.parse().map_err(|_| StoreError::Corrupt {
        what: what.to_string(),
        value,
    })
}

/// The rows of a table keyed by (`by_kind`, `value`) that give each segment or category a third column (a
/// scenario, a collector), ordered by kind then value: `(by, value, target)`.
fn rules_by_kind(store: &Store, table: &str, target: &str) -> Result<Vec<(AssignBy, String, String)>> {
    let rows = store
        .conn
        .prepare(&format!(
            "SELECT by_kind, value, {target} FROM {table} ORDER BY by_kind, value"
        ))?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(by, value, x)| Ok((word::<AssignBy>(table, by)?, value, x)))
        .collect()
}

fn opt_word<T: FromStr>(what: &str, value: Option<String>) -> Result<Option<T>> {
    value.map(|v| word(what, v)).transpose()
}

/// The SQL condition selecting the records of `owner` (a table aliased `r`) for a filter, and its parameter.
fn filter_sql(link_table: &str, owner_col: &str, f: Attached<'_>) -> (String, crate::db::Value<'static>) {
    use crate::db::Value;
    match f {
        Attached::All => ("CAST(?1 AS TEXT) IS NULL".into(), Value::Null),
        Attached::Customer(k) => ("r.customer_key = ?1".into(), Value::Text(k.to_string().into())),
        Attached::Invoice(id) => (
            format!("r.id IN (SELECT {owner_col} FROM {link_table} WHERE invoice_id = ?1)"),
            Value::Int(id),
        ),
    }
}

/// Invoice ids linked to each record.
fn links(conn: &Conn, link_table: &str, owner_col: &str) -> Result<HashMap<i64, Vec<i64>>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {owner_col}, invoice_id FROM {link_table} ORDER BY {owner_col}, invoice_id"
    ))?;
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (owner, invoice) = row?;
        out.entry(owner).or_default().push(invoice);
    }
    Ok(out)
}

fn link_invoices(
    tx: &crate::db::Conn,
    link_table: &str,
    owner_col: &str,
    owner: i64,
    customer_key: &str,
    invoice_ids: &[i64],
) -> Result<()> {
    let mut check = tx.prepare("SELECT customer_key FROM invoice WHERE id = ?1")?;
    let mut insert = tx.prepare(&format!(
        "INSERT INTO {link_table} ({owner_col}, invoice_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING"
    ))?;
    for &id in invoice_ids {
        let of: Option<String> = check.query_row([id], |r| r.get(0)).optional()?;
        match of {
            Some(k) if k == customer_key => {}
            Some(k) => {
                return Err(StoreError::Refused(format!(
                    "invoice {id} belongs to customer {k}, not {customer_key}"
                )))
            }
            None => return Err(StoreError::Refused(format!("no invoice with id {id}"))),
        }
        insert.execute(params![owner, id])?;
    }
    Ok(())
}

fn check_customer(conn: &Conn, key: &str) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM customer WHERE key = ?1)",
        [key],
        |r| r.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(StoreError::Refused(format!("no customer with key {key}")))
    }
}

impl Store {
    /// Invoice identities, of one customer or all, by customer then number.
    pub fn invoices(&self, customer_key: Option<&str>) -> Result<Vec<InvoiceIdentity>> {
        let digits = self.currency()?.minor_digits();
        let mut stmt = self.conn.prepare(
            "SELECT id, customer_key, piece_ref, invoice_date, amount_minor, missing_since FROM invoice
             WHERE CAST(?1 AS TEXT) IS NULL OR customer_key = ?1 ORDER BY customer_key, piece_ref, id",
        )?;
        let rows = stmt.query_map([customer_key], |r| {
            Ok(InvoiceIdentity {
                id: r.get(0)?,
                customer_key: r.get(1)?,
                piece_ref: r.get(2)?,
                invoice_date: r.get(3)?,
                amount: from_minor(r.get(4)?, digits),
                missing_since: r.get(5)?,
            })
        })?;
        rows.collect::<crate::Result<Vec<_>>>()
    }
}
