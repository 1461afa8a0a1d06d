//! The collections workflow's records: scenarios and who follows which, the actions log, promises, disputes.
//! Everything hangs off `customer.key` and `invoice.id`, which imports keep; invoices linked to a record must belong
//! to its customer.

use crate::{minor, Result, Store, StoreError};
use chrono::NaiveDate;
use encaisse_domain::collections::{
    ActionKind, AssignBy, Assignment, Channel, Department, Dispute, DisputeKind, Outcome, Promise,
    PromiseStatus, Scenario, Step,
};
use encaisse_domain::money::from_minor;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction<'a> {
    pub customer_key: &'a str,
    pub kind: ActionKind,
    pub done_on: NaiveDate,
    pub user: &'a str,
    /// The scenario step carried out: marks it done for `invoice_ids`.
    pub scenario_id: Option<&'a str>,
    pub step_id: Option<&'a str>,
    pub outcome: Option<Outcome>,
    pub next_action_on: Option<NaiveDate>,
    pub template_id: Option<&'a str>,
    pub recipient: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub body: &'a str,
    pub invoice_ids: &'a [i64],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub id: i64,
    pub customer_key: String,
    pub kind: ActionKind,
    pub done_on: NaiveDate,
    pub user: String,
    pub scenario_id: Option<String>,
    pub step_id: Option<String>,
    pub outcome: Option<Outcome>,
    pub next_action_on: Option<NaiveDate>,
    pub template_id: Option<String>,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub invoice_ids: Vec<i64>,
}

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

/// A customer's own collections settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDunning {
    pub customer_key: String,
    /// Its own scenario, over the one assigned to its segment or category.
    pub scenario_id: Option<String>,
    pub paused: bool,
    pub pause_reason: String,
}

fn word<T: FromStr>(what: &str, value: String) -> Result<T> {
    value.parse().map_err(|_| StoreError::Corrupt {
        what: what.to_string(),
        value,
    })
}

fn opt_word<T: FromStr>(what: &str, value: Option<String>) -> Result<Option<T>> {
    value.map(|v| word(what, v)).transpose()
}

/// The SQL condition selecting the records of `owner` (a table aliased `r`) for a filter, and its parameter.
fn filter_sql(link_table: &str, owner_col: &str, f: Attached<'_>) -> (String, rusqlite::types::Value) {
    use rusqlite::types::Value;
    match f {
        Attached::All => ("?1 IS NULL".into(), Value::Null),
        Attached::Customer(k) => ("r.customer_key = ?1".into(), Value::Text(k.to_string())),
        Attached::Invoice(id) => (
            format!("r.id IN (SELECT {owner_col} FROM {link_table} WHERE invoice_id = ?1)"),
            Value::Integer(id),
        ),
    }
}

/// Invoice ids linked to each record.
fn links(conn: &Connection, link_table: &str, owner_col: &str) -> Result<HashMap<i64, Vec<i64>>> {
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
    tx: &Transaction<'_>,
    link_table: &str,
    owner_col: &str,
    owner: i64,
    customer_key: &str,
    invoice_ids: &[i64],
) -> Result<()> {
    let mut check = tx.prepare_cached("SELECT customer_key FROM invoice WHERE id = ?1")?;
    let mut insert = tx.prepare(&format!(
        "INSERT OR IGNORE INTO {link_table} ({owner_col}, invoice_id) VALUES (?1, ?2)"
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

fn check_customer(conn: &Connection, key: &str) -> Result<()> {
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
             WHERE ?1 IS NULL OR customer_key = ?1 ORDER BY customer_key, piece_ref, id",
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
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    // ----------------------------------------------------------------------------------------------------------
    // Actions

    pub fn add_action(&mut self, a: &NewAction<'_>) -> Result<i64> {
        let tx = self.conn.transaction()?;
        check_customer(&tx, a.customer_key)?;
        tx.execute(
            "INSERT INTO action (customer_key, kind, done_on, user, scenario_id, step_id, outcome, next_action_on,
                                 template_id, recipient, subject, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                a.customer_key,
                a.kind.as_str(),
                a.done_on,
                a.user,
                a.scenario_id,
                a.step_id,
                a.outcome.map(Outcome::as_str),
                a.next_action_on,
                a.template_id,
                a.recipient,
                a.subject,
                a.body
            ],
        )?;
        let id = tx.last_insert_rowid();
        link_invoices(
            &tx,
            "action_invoice",
            "action_id",
            id,
            a.customer_key,
            a.invoice_ids,
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// Actions, oldest first.
    pub fn actions(&self, f: Attached<'_>) -> Result<Vec<ActionRecord>> {
        let mut linked = links(&self.conn, "action_invoice", "action_id")?;
        let (cond, param) = filter_sql("action_invoice", "action_id", f);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, customer_key, kind, done_on, user, scenario_id, step_id, outcome, next_action_on,
                    template_id, recipient, subject, body
             FROM action r WHERE {cond} ORDER BY done_on, id"
        ))?;
        let raw = stmt
            .query_map([param], |r: &Row<'_>| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, NaiveDate>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, Option<NaiveDate>>(8)?,
                    (
                        r.get::<_, Option<String>>(9)?,
                        r.get::<_, Option<String>>(10)?,
                        r.get::<_, Option<String>>(11)?,
                        r.get::<_, String>(12)?,
                    ),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(
                |(id, customer_key, kind, done_on, user, scenario_id, step_id, outcome, next, rest)| {
                    let (template_id, recipient, subject, body) = rest;
                    Ok(ActionRecord {
                        id,
                        customer_key,
                        kind: word("action kind", kind)?,
                        done_on,
                        user,
                        scenario_id,
                        step_id,
                        outcome: opt_word("action outcome", outcome)?,
                        next_action_on: next,
                        template_id,
                        recipient,
                        subject,
                        body,
                        invoice_ids: linked.remove(&id).unwrap_or_default(),
                    })
                },
            )
            .collect()
    }

    // ----------------------------------------------------------------------------------------------------------
    // Promises

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
        tx.execute(
            "INSERT INTO promise (customer_key, made_on, promised_on, amount_minor, currency, grace_days, status,
                                  status_on, action_id, user, comment)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running', ?2, ?7, ?8, ?9)",
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
            ],
        )?;
        let id = tx.last_insert_rowid();
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
                    user, comment
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
                    r.get::<_, String>(10)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(|(head, status, status_on, action_id, user, comment)| {
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
                })
            })
            .collect()
    }

    /// Records a promise's status as computed for a day. Returns false when there is no such promise.
    pub fn set_promise_status(&self, id: i64, status: PromiseStatus, on: NaiveDate) -> Result<bool> {
        Ok(self.conn.execute(
            "UPDATE promise SET status = ?2, status_on = ?3 WHERE id = ?1",
            params![id, status.as_str(), on],
        )? == 1)
    }

    // ----------------------------------------------------------------------------------------------------------
    // Disputes

    pub fn open_dispute(&mut self, d: &NewDispute<'_>) -> Result<i64> {
        let currency = self.currency()?;
        let amount = minor(d.amount, &currency, || "the dispute".into())?;
        if d.invoice_ids.is_empty() {
            return Err(StoreError::Refused(
                "a dispute is about at least one invoice".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        check_customer(&tx, d.customer_key)?;
        tx.execute(
            "INSERT INTO dispute (customer_key, kind, department, status, opened_on, amount_minor, currency, user)
             VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7)",
            params![
                d.customer_key,
                d.kind.as_str(),
                d.department.as_str(),
                d.opened_on,
                amount,
                currency.0,
                d.user
            ],
        )?;
        let id = tx.last_insert_rowid();
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
                "INSERT INTO dispute_comment (dispute_id, written_on, user, body) VALUES (?1, ?2, ?3, ?4)",
                params![id, d.opened_on, d.user, d.comment],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Closes an open dispute: its invoices go back to the chase from `closed_on`.
    pub fn close_dispute(&self, id: i64, closed_on: NaiveDate, resolution: &str) -> Result<()> {
        let opened: Option<(NaiveDate, String)> = self
            .conn
            .query_row("SELECT opened_on, status FROM dispute WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        match opened {
            None => Err(StoreError::Refused(format!("no dispute with id {id}"))),
            Some((_, status)) if status == "closed" => {
                Err(StoreError::Refused(format!("dispute {id} is already closed")))
            }
            Some((opened_on, _)) if closed_on < opened_on => Err(StoreError::Refused(format!(
                "dispute {id} was opened on {opened_on}: it cannot be closed on {closed_on}"
            ))),
            Some(_) => {
                self.conn.execute(
                    "UPDATE dispute SET status = 'closed', closed_on = ?2, resolution = ?3 WHERE id = ?1",
                    params![id, closed_on, resolution],
                )?;
                Ok(())
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
            "INSERT INTO dispute_comment (dispute_id, written_on, user, body) VALUES (?1, ?2, ?3, ?4)",
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
                "SELECT dispute_id, written_on, user, body FROM dispute_comment ORDER BY dispute_id, written_on, id",
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
            "SELECT id, customer_key, kind, department, opened_on, closed_on, amount_minor, user, resolution
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
            .collect::<rusqlite::Result<Vec<_>>>()?;
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

    // ----------------------------------------------------------------------------------------------------------
    // Scenarios

    /// The scenarios users saved (the standard one is in the code until a user saves one with id `default`).
    pub fn scenarios(&self) -> Result<Vec<Scenario>> {
        let mut out: Vec<Scenario> = {
            let mut stmt = self.conn.prepare("SELECT id, name FROM scenario ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                Ok(Scenario {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    steps: Vec::new(),
                })
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let mut stmt = self.conn.prepare(
            "SELECT scenario_id, step_id, offset_days, channels, template_id, needs_validation FROM scenario_step
             ORDER BY scenario_id, position",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (scenario_id, id, offset_days, channels, template, needs_validation) in rows {
            let channels = Channel::split(&channels).map_err(|_| StoreError::Corrupt {
                what: format!("channels of step {id} of scenario {scenario_id}"),
                value: channels.clone(),
            })?;
            if let Some(s) = out.iter_mut().find(|s| s.id == scenario_id) {
                s.steps.push(Step {
                    id,
                    offset_days,
                    channels,
                    template,
                    needs_validation,
                });
            }
        }
        Ok(out)
    }

    /// Creates or replaces a scenario (validated first).
    pub fn save_scenario(&mut self, s: &Scenario, updated_on: NaiveDate) -> Result<()> {
        s.validate().map_err(|e| StoreError::Refused(e.to_string()))?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO scenario (id, name, updated_on) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, updated_on = excluded.updated_on",
            params![s.id, s.name, updated_on],
        )?;
        tx.execute("DELETE FROM scenario_step WHERE scenario_id = ?1", [&s.id])?;
        for (i, step) in s.steps.iter().enumerate() {
            tx.execute(
                "INSERT INTO scenario_step (scenario_id, position, step_id, offset_days, channels, template_id,
                                            needs_validation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    s.id,
                    i as i64,
                    step.id,
                    step.offset_days,
                    Channel::join(&step.channels),
                    step.template,
                    step.needs_validation
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn scenario_assignments(&self) -> Result<Vec<Assignment>> {
        let mut stmt = self
            .conn
            .prepare("SELECT by_kind, value, scenario_id FROM scenario_assignment ORDER BY by_kind, value")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(by, value, scenario_id)| {
                Ok(Assignment {
                    by: word::<AssignBy>("scenario assignment", by)?,
                    value,
                    scenario_id,
                })
            })
            .collect()
    }

    /// Assigns a scenario to a segment or category; None removes the assignment.
    pub fn assign_scenario(&self, by: AssignBy, value: &str, scenario_id: Option<&str>) -> Result<()> {
        match scenario_id {
            Some(id) => {
                self.check_scenario(id)?;
                self.conn.execute(
                    "INSERT INTO scenario_assignment (by_kind, value, scenario_id) VALUES (?1, ?2, ?3)
                     ON CONFLICT(by_kind, value) DO UPDATE SET scenario_id = excluded.scenario_id",
                    params![by.as_str(), value, id],
                )?;
            }
            None => {
                self.conn.execute(
                    "DELETE FROM scenario_assignment WHERE by_kind = ?1 AND value = ?2",
                    params![by.as_str(), value],
                )?;
            }
        }
        Ok(())
    }

    fn check_scenario(&self, id: &str) -> Result<()> {
        let exists: bool =
            self.conn
                .query_row("SELECT EXISTS(SELECT 1 FROM scenario WHERE id = ?1)", [id], |r| {
                    r.get(0)
                })?;
        if exists || id == Scenario::DEFAULT_ID {
            Ok(())
        } else {
            Err(StoreError::Refused(format!("no scenario with id {id}")))
        }
    }

    /// Every customer's own collections settings (customers without any are absent).
    pub fn customer_dunning(&self) -> Result<Vec<CustomerDunning>> {
        let mut stmt = self.conn.prepare(
            "SELECT customer_key, scenario_id, paused, pause_reason FROM customer_dunning ORDER BY customer_key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(CustomerDunning {
                customer_key: r.get(0)?,
                scenario_id: r.get(1)?,
                paused: r.get(2)?,
                pause_reason: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Gives a customer its own scenario (None: back to its segment's or category's).
    pub fn set_customer_scenario(&self, key: &str, scenario_id: Option<&str>) -> Result<()> {
        check_customer(&self.conn, key)?;
        if let Some(id) = scenario_id {
            self.check_scenario(id)?;
        }
        self.conn.execute(
            "INSERT INTO customer_dunning (customer_key, scenario_id) VALUES (?1, ?2)
             ON CONFLICT(customer_key) DO UPDATE SET scenario_id = excluded.scenario_id",
            params![key, scenario_id],
        )?;
        Ok(())
    }

    /// Pauses (or resumes) the chase of a customer.
    pub fn set_customer_paused(&self, key: &str, paused: bool, reason: &str) -> Result<()> {
        check_customer(&self.conn, key)?;
        self.conn.execute(
            "INSERT INTO customer_dunning (customer_key, paused, pause_reason) VALUES (?1, ?2, ?3)
             ON CONFLICT(customer_key) DO UPDATE SET paused = excluded.paused, pause_reason = excluded.pause_reason",
            params![key, paused, reason],
        )?;
        Ok(())
    }
}
