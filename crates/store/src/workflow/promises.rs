//! Promises to pay: the promised date and amount, the grace days, and their status as last computed.

use super::{check_customer, filter_sql, link_invoices, links, word, Attached, Edit};
use crate::db::{params, Optional};
use crate::{minor, Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::collections::{Promise, PromiseStatus};
use encaisse_domain::money::from_minor;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPromise<'a> {
    pub customer_key: &'a str,
    pub made_on: NaiveDate,
    pub promised_on: NaiveDate,
    pub amount: Decimal,
    pub grace_days: u32,
    pub action_id: Option<i64>,
    pub user: &'a str,
    pub comment: &'a str,
    pub invoice_ids: &'a [i64],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseRecord {
    pub id: i64,
    pub customer_key: String,
    pub made_on: NaiveDate,
    pub promised_on: NaiveDate,
    pub amount: Decimal,
    pub grace_days: u32,
    /// As last computed, for `status_on`.
    pub status: PromiseStatus,
    pub status_on: Option<NaiveDate>,
    pub action_id: Option<i64>,
    pub user: String,
    pub comment: String,
    pub invoice_ids: Vec<i64>,
    /// How many times it was changed (the version a screen read, for [`Store::change_promise`]).
    pub version: i64,
}

/// What a change of a promise sets: the customer moved the date, or promised another amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromiseChange<'a> {
    pub promised_on: NaiveDate,
    pub amount: Decimal,
    pub grace_days: u32,
    pub comment: &'a str,
}

impl PromiseRecord {
    pub fn rule(&self) -> Promise {
        Promise {
            made_on: self.made_on,
            date: self.promised_on,
            amount: self.amount,
            grace_days: self.grace_days,
        }
    }
}

impl Store {
    pub fn add_promise(&mut self, p: &NewPromise<'_>) -> Result<i64> {
        let currency = self.currency()?;
        let amount = minor(p.amount, &currency, || "the promise".into())?;
        if amount <= 0 {
            return Err(StoreError::Refused(
                "a promise is for an amount above zero".into(),
            ));
        }
        if p.invoice_ids.is_empty() {
            return Err(StoreError::Refused(
                "a promise is for at least one invoice".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        check_customer(&tx, p.customer_key)?;
        let id: i64 = tx.query_row(
            "INSERT INTO promise (customer_key, made_on, promised_on, amount_minor, currency, grace_days, status,
                                  status_on, action_id, \"user\", comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running', ?2, ?7, ?8, ?9)
             RETURNING id",
            params![
                p.customer_key,
                p.made_on,
                p.promised_on,
                amount,
                currency.0,
                p.grace_days,
                p.action_id,
                p.user,
                p.comment
            ], |r| r.get(0))?;
        link_invoices(
            &tx,
            "promise_invoice",
            "promise_id",
            id,
            p.customer_key,
            p.invoice_ids,
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Promises, oldest first.
    pub fn promises(&self, f: Attached<'_>) -> Result<Vec<PromiseRecord>> {
        let digits = self.currency()?.minor_digits();
        let mut linked = links(&self.conn, "promise_invoice", "promise_id")?;
        let (cond, param) = filter_sql("promise_invoice", "promise_id", f);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, customer_key, made_on, promised_on, amount_minor, grace_days, status, status_on, action_id,
                    \"user\", comment, version
             FROM promise r WHERE {cond} ORDER BY made_on, id"
        ))?;
        let raw = stmt
            .query_map([param], |r| {
                Ok((
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, NaiveDate>(2)?,
                        r.get::<_, NaiveDate>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, u32>(5)?,
                    ),
                    r.get::<_, String>(6)?,
                    r.get::<_, Option<NaiveDate>>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                    r.get::<_, String>(9)?,
                    (r.get::<_, String>(10)?, r.get::<_, i64>(11)?),
                ))
            })?
            .collect::<crate::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(|(head, status, status_on, action_id, user, (comment, version))| {
                let (id, customer_key, made_on, promised_on, amount, grace_days) = head;
                Ok(PromiseRecord {
                    id,
                    customer_key,
                    made_on,
                    promised_on,
                    amount: from_minor(amount, digits),
                    grace_days,
                    status: word("promise status", status)?,
                    status_on,
                    action_id,
                    user,
                    comment,
                    invoice_ids: linked.remove(&id).unwrap_or_default(),
                    version,
                })
            })
            .collect()
    }

    /// Changes a promise's date, amount, grace and comment. `edit` is the version the user's screen read (`None`:
    /// no check, as the CLI without --version) and who changes it at what time: a promise changed by someone else
    /// since is refused with their name and time ([`StoreError::Conflict`]), nothing written.
    pub fn change_promise(&mut self, id: i64, change: &PromiseChange<'_>, edit: &Edit<'_>) -> Result<()> {
        let currency = self.currency()?;
        let amount = minor(change.amount, &currency, || format!("promise {id}"))?;
        if amount <= 0 {
            return Err(StoreError::Refused(
                "a promise is for an amount above zero".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        let current: Option<(i64, String, Option<String>)> = tx
            .query_row(
                "SELECT version, changed_by, changed_at FROM promise WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((version, by, at)) = current else {
            return Err(StoreError::Refused(format!("no promise with id {id}")));
        };
        if edit.version.is_some_and(|read| read != version) {
            return Err(StoreError::Conflict {
                what: format!("promise {id}"),
                by,
                at: at.unwrap_or_default(),
            });
        }
        tx.execute(
            "UPDATE promise SET promised_on = ?2, amount_minor = ?3, grace_days = ?4, comment = ?5,
                                version = version + 1, changed_by = ?6, changed_at = ?7
             WHERE id = ?1",
            params![
                id,
                change.promised_on,
                amount,
                change.grace_days,
                change.comment,
                edit.by,
                edit.at
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records a promise's status as computed for a day. Returns false when there is no such promise.
    pub fn set_promise_status(&self, id: i64, status: PromiseStatus, on: NaiveDate) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE promise SET status = ?2, status_on = ?3 WHERE id = ?1",
            params![id, status.as_str(), on],
        )? == 1)
    }
}
