//! Disputes: what is disputed, the department that must solve it, the comments, and the closing.

use super::{check_customer, filter_sql, link_invoices, links, word, Attached, Edit};
use crate::db::{params, Optional};
use crate::{minor, Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::collections::{Department, Dispute, DisputeKind};
use encaisse_domain::money::from_minor;
use rust_decimal::Decimal;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDispute<'a> {
    pub customer_key: &'a str,
    pub kind: DisputeKind,
    pub department: Department,
    pub opened_on: NaiveDate,
    pub amount: Decimal,
    pub user: &'a str,
    /// The first comment; none when empty.
    pub comment: &'a str,
    pub invoice_ids: &'a [i64],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeComment {
    pub written_on: NaiveDate,
    pub user: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeRecord {
    pub id: i64,
    pub customer_key: String,
    pub kind: DisputeKind,
    pub department: Department,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub amount: Decimal,
    pub user: String,
    pub resolution: String,
    pub invoice_ids: Vec<i64>,
    pub comments: Vec<DisputeComment>,
}

impl DisputeRecord {
    pub fn rule(&self) -> Dispute {
        Dispute {
            kind: self.kind,
            department: self.department,
            opened_on: self.opened_on,
            closed_on: self.closed_on,
            amount: self.amount,
        }
    }
}

impl Store {
    pub fn open_dispute(&mut self, d: &NewDispute<'_>) -> Result<i64> {
        let currency = self.currency()?;
        let amount = minor(d.amount, &currency, || "the dispute".into())?;
        if d.invoice_ids.is_empty() {
            return Err(StoreError::Refused(
                "a dispute is about at least one invoice".into(),
            ));
        }
        // A savepoint: the dispute may be opened inside an import's transaction (lifecycle statuses).
        let tx = self.conn.transaction()?;
        check_customer(&tx, d.customer_key)?;
        let id: i64 = tx.query_row(
            "INSERT INTO dispute (customer_key, kind, department, status, opened_on, amount_minor, currency, \"user\")
             VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7)
             RETURNING id",
            params![
                d.customer_key,
                d.kind.as_str(),
                d.department.as_str(),
                d.opened_on,
                amount,
                currency.0,
                d.user
            ], |r| r.get(0))?;
        link_invoices(
            &tx,
            "dispute_invoice",
            "dispute_id",
            id,
            d.customer_key,
            d.invoice_ids,
        )?;
        if !d.comment.trim().is_empty() {
            tx.execute(
                "INSERT INTO dispute_comment (dispute_id, written_on, \"user\", body) VALUES (?1, ?2, ?3, ?4)",
                params![id, d.opened_on, d.user, d.comment],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Closes an open dispute: its invoices go back to the chase from `closed_on`.
    /// Closes an open dispute, naming who closed it and when: a dispute closed meanwhile by someone else (team
    /// mode) is refused with their name and time.
    pub fn close_dispute(
        &self,
        id: i64,
        closed_on: NaiveDate,
        resolution: &str,
        edit: &Edit<'_>,
    ) -> Result<()> {
        let opened: Option<(NaiveDate, String)> = self
            .conn
            .query_row("SELECT opened_on, status FROM dispute WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match opened {
            None => Err(StoreError::Refused(format!("no dispute with id {id}"))),
            Some((_, status)) if status == "closed" => {
                let (by, at): (String, Option<String>) = self.conn.query_row(
                    "SELECT closed_by, closed_at FROM dispute WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                match (by.is_empty(), at) {
                    (false, Some(at)) => Err(StoreError::Conflict {
                        what: format!("dispute {id}"),
                        by,
                        at,
                    }),
                    _ => Err(StoreError::Refused(format!("dispute {id} is already closed"))),
                }
            }
            Some((opened_on, _)) if closed_on < opened_on => Err(StoreError::Refused(format!(
                "dispute {id} was opened on {opened_on}: it cannot be closed on {closed_on}"
            ))),
            Some(_) => {
                let closed = self.conn.execute(
                    "UPDATE dispute SET status = 'closed', closed_on = ?2, resolution = ?3, closed_by = ?4,
                         closed_at = ?5
                     WHERE id = ?1 AND status = 'open'",
                    params![id, closed_on, resolution, edit.by, edit.at],
                )?;
                if closed == 1 {
                    return Ok(());
                }
                // Closed by a colleague between the read above and this write.
                let (by, at): (String, Option<String>) = self.conn.query_row(
                    "SELECT closed_by, closed_at FROM dispute WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                Err(StoreError::Conflict {
                    what: format!("dispute {id}"),
                    by,
                    at: at.unwrap_or_default(),
                })
            }
        }
    }

    pub fn add_dispute_comment(&self, id: i64, written_on: NaiveDate, user: &str, body: &str) -> Result<()> {
        let exists: bool =
            self.conn
                .query_row("SELECT EXISTS(SELECT 1 FROM dispute WHERE id = ?1)", [id], |r| {
                    r.get(0)
                })?;
        if !exists {
            return Err(StoreError::Refused(format!("no dispute with id {id}")));
        }
        self.conn.execute(
            "INSERT INTO dispute_comment (dispute_id, written_on, \"user\", body) VALUES (?1, ?2, ?3, ?4)",
            params![id, written_on, user, body],
        )?;
        Ok(())
    }

    /// Disputes, oldest first, with their comments.
    pub fn disputes(&self, f: Attached<'_>) -> Result<Vec<DisputeRecord>> {
        let digits = self.currency()?.minor_digits();
        let mut linked = links(&self.conn, "dispute_invoice", "dispute_id")?;
        let mut comments: HashMap<i64, Vec<DisputeComment>> = HashMap::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT dispute_id, written_on, \"user\", body FROM dispute_comment ORDER BY dispute_id, written_on, id",
            )?;
            for row in stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    DisputeComment {
                        written_on: r.get(1)?,
                        user: r.get(2)?,
                        body: r.get(3)?,
                    },
                ))
            })? {
                let (id, c) = row?;
                comments.entry(id).or_default().push(c);
            }
        }
        let (cond, param) = filter_sql("dispute_invoice", "dispute_id", f);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, customer_key, kind, department, opened_on, closed_on, amount_minor, \"user\", resolution
             FROM dispute r WHERE {cond} ORDER BY opened_on, id"
        ))?;
        let raw = stmt
            .query_map([param], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, NaiveDate>(4)?,
                    r.get::<_, Option<NaiveDate>>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                ))
            })?
            .collect::<crate::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(
                |(id, customer_key, kind, department, opened_on, closed_on, amount, user, resolution)| {
                    Ok(DisputeRecord {
                        id,
                        customer_key,
                        kind: word("dispute kind", kind)?,
                        department: word("dispute department", department)?,
                        opened_on,
                        closed_on,
                        amount: from_minor(amount, digits),
                        user,
                        resolution,
                        invoice_ids: linked.remove(&id).unwrap_or_default(),
                        comments: comments.remove(&id).unwrap_or_default(),
                    })
                },
            )
            .collect()
    }
}
