//! The actions log: what was done with a customer (email, letter, call, SMS, note), the step it carried out and
//! what came of it.

use super::{check_customer, filter_sql, link_invoices, links, opt_word, word, Attached};
use crate::db::{params, Row};
use crate::documents::{keep_document, NewDocument};
use crate::payment_references::keep_payment_reference;
use crate::{Result, Store};
use chrono::NaiveDate;
use encaisse_domain::collections::{ActionKind, Outcome};

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
    /// What went out, kept as sent (a letter's PDF, an email's message): stored once by its SHA-256, which the
    /// action records.
    pub document: Option<NewDocument<'a>>,
    /// The creditor reference ("RF…") the letter or email carried: recorded on the action, and as the customer's
    /// issued reference the first time (migration 0014).
    pub payment_reference: Option<&'a str>,
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
    /// The SHA-256 (hex) of the document kept as sent; None for an action recorded before documents were kept,
    /// or one that sent nothing (a call, a note).
    pub document_sha256: Option<String>,
    /// The creditor reference the letter or email carried (None before migration 0014, or for a call, a note).
    pub payment_reference: Option<String>,
}

impl Store {
    pub fn add_action(&mut self, a: &NewAction<'_>) -> Result<i64> {
        let tx = self.conn.transaction()?;
        check_customer(&tx, a.customer_key)?;
        let document = a.document.as_ref().map(|d| keep_document(&tx, d)).transpose()?;
        if let Some(reference) = a.payment_reference {
            keep_payment_reference(&tx, a.customer_key, reference, a.done_on)?;
        }
        let id: i64 = tx.query_row(
            "INSERT INTO action (customer_key, kind, done_on, \"user\", scenario_id, step_id, outcome, next_action_on,
                                 template_id, recipient, subject, body, document_sha256, payment_reference)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             RETURNING id",
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
                a.body,
                document,
                a.payment_reference
            ], |r| r.get(0))?;
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
            "SELECT id, customer_key, kind, done_on, \"user\", scenario_id, step_id, outcome, next_action_on,
                    template_id, recipient, subject, body, document_sha256, payment_reference
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
                        r.get::<_, Option<String>>(13)?,
                        r.get::<_, Option<String>>(14)?,
                    ),
                ))
            })?
            .collect::<crate::Result<Vec<_>>>()?;
        raw.into_iter()
            .map(
                |(id, customer_key, kind, done_on, user, scenario_id, step_id, outcome, next, rest)| {
                    let (template_id, recipient, subject, body, document_sha256, payment_reference) = rest;
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
                        document_sha256,
                        payment_reference,
                    })
                },
            )
            .collect()
    }
}
