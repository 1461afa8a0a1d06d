//! Disputes: opened on invoices, commented, closed, and their board.

use crate::user::Names;
use crate::workflow::{parse_amount, parse_word, to_json, Invoices, Ledgers};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::collections::{Department, DisputeKind, DisputeStatus};
use encaisse_domain::{days_to_f64, format_amount};
use encaisse_dunning::dispute::stats;
use encaisse_store::workflow::{Attached, DisputeRecord, NewDispute};
use encaisse_store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeInput {
    pub customer: String,
    pub invoices: Vec<String>,
    /// price, quantity, quality, delivery, invoicing_error, missing_purchase_order, duplicate, other
    pub kind: String,
    /// sales, logistics, quality, accounting
    pub department: String,
    /// The open amount of its invoices on the opening day when absent.
    pub amount: Option<String>,
    /// Today when absent.
    pub opened_on: Option<NaiveDate>,
    pub user: String,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeCommentDto {
    pub date: NaiveDate,
    pub user: String,
    /// The display name of `user` ("Marie Martin").
    pub user_name: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeDto {
    #[ts(type = "number")]
    pub id: i64,
    pub customer: String,
    /// The customer's name, for the disputes board.
    pub name: String,
    pub kind: DisputeKind,
    pub department: Department,
    pub status: DisputeStatus,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub amount: String,
    /// Who opened it: their login and display name ("Marie Martin").
    pub user: String,
    pub user_name: String,
    pub resolution: String,
    pub invoices: Vec<String>,
    pub comments: Vec<DisputeCommentDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeTally {
    /// The kind or department.
    pub key: String,
    pub count: u32,
    pub amount: String,
}

/// The disputes board, `encaisse disputes --format json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputesBoard {
    pub as_of: NaiveDate,
    /// The company's currency (ISO 4217), for the amounts.
    pub currency: String,
    /// Every dispute opened by then, open ones first, oldest first.
    pub disputes: Vec<DisputeDto>,
    /// Every kind, zero counts included, over the disputes opened by then.
    pub by_kind: Vec<DisputeTally>,
    pub by_department: Vec<DisputeTally>,
    pub open: DisputeTally,
    pub closed: DisputeTally,
    /// Days from opening to closing, mean over the disputes closed by then, one decimal.
    pub average_resolution_days: Option<f64>,
}

pub(crate) fn dispute_dto(d: &DisputeRecord, invoices: &Invoices, names: &Names) -> DisputeDto {
    DisputeDto {
        id: d.id,
        customer: d.customer_key.clone(),
        name: invoices.name(&d.customer_key),
        kind: d.kind,
        department: d.department,
        status: if d.closed_on.is_some() {
            DisputeStatus::Closed
        } else {
            DisputeStatus::Open
        },
        opened_on: d.opened_on,
        closed_on: d.closed_on,
        amount: format_amount(d.amount),
        user: d.user.clone(),
        user_name: names.of(&d.user),
        resolution: d.resolution.clone(),
        invoices: invoices.numbers(&d.invoice_ids),
        comments: d
            .comments
            .iter()
            .map(|c| DisputeCommentDto {
                date: c.written_on,
                user: c.user.clone(),
                user_name: names.of(&c.user),
                body: c.body.clone(),
            })
            .collect(),
    }
}

impl App {
    /// Opens a dispute: its invoices leave the chase until it is closed.
    pub fn open_dispute(&self, input: &DisputeInput) -> AppResult<DisputeDto> {
        // The input's user when it names one, else the actor.
        let user = self.user_or_actor(&input.user);
        let kind: DisputeKind = parse_word("kind", &input.kind)?;
        let department: Department = parse_word("department", &input.department)?;
        let opened_on = input.opened_on.unwrap_or_else(|| self.today());
        let mut store = self.store();
        let invoices = Invoices::load(&store)?;
        let ids = invoices.resolve(&input.customer, &input.invoices)?;
        let amount = match input.amount.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(a) => parse_amount("amount", a)?,
            None => {
                Ledgers::new(self, &store)?.residual(&invoices, input.customer.trim(), &ids, opened_on)?
            }
        };
        let id = store.open_dispute(&NewDispute {
            customer_key: input.customer.trim(),
            kind,
            department,
            opened_on,
            amount,
            user: &user,
            comment: &input.comment,
            invoice_ids: &ids,
        })?;
        let dto = self.dispute(&store, &invoices, id)?;
        drop(store);
        self.audit(
            &user,
            "dispute",
            &id.to_string(),
            "opened",
            None,
            Some(to_json(&dto)),
        )?;
        Ok(dto)
    }

    /// Closes a dispute (today when no date): its invoices go back to the chase.
    pub fn close_dispute(
        &self,
        id: i64,
        closed_on: Option<NaiveDate>,
        resolution: &str,
    ) -> AppResult<DisputeDto> {
        let store = self.store();
        let invoices = Invoices::load(&store)?;
        let names = self.names(&store)?;
        let before = store
            .disputes(Attached::All)?
            .iter()
            .find(|d| d.id == id)
            .map(|d| dispute_dto(d, &invoices, &names))
            .ok_or_else(|| AppError::InvalidInput(format!("no dispute with id {id}")))?;
        let (by, at) = self.changed_by(&store)?;
        let edit = encaisse_store::workflow::Edit {
            version: None,
            by: &by,
            at: &at,
        };
        store.close_dispute(id, closed_on.unwrap_or_else(|| self.today()), resolution, &edit)?;
        let after = self.dispute(&store, &invoices, id)?;
        drop(store);
        let (b, a) = (Some(to_json(&before)), Some(to_json(&after)));
        self.audit("", "dispute", &id.to_string(), "closed", b, a)?;
        Ok(after)
    }

    pub fn comment_dispute(&self, id: i64, body: &str) -> AppResult<DisputeDto> {
        let user = self.actor().0;
        let user = user.as_str();
        if body.trim().is_empty() {
            return Err(AppError::InvalidInput("comment: empty".into()));
        }
        let store = self.store();
        store.add_dispute_comment(id, self.today(), user, body)?;
        let dto = self.dispute(&store, &Invoices::load(&store)?, id)?;
        drop(store);
        self.audit(
            user,
            "dispute",
            &id.to_string(),
            "commented",
            None,
            Some(body.to_string()),
        )?;
        Ok(dto)
    }

    pub(crate) fn dispute(&self, store: &Store, invoices: &Invoices, id: i64) -> AppResult<DisputeDto> {
        let names = self.names(store)?;
        store
            .disputes(Attached::All)?
            .iter()
            .find(|d| d.id == id)
            .map(|d| dispute_dto(d, invoices, &names))
            .ok_or_else(|| AppError::Database(format!("dispute {id} not found")))
    }

    /// The disputes board as of a day: every dispute opened by then, and the figures by cause and department.
    pub fn disputes_board(&self, as_of: Option<NaiveDate>) -> AppResult<DisputesBoard> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let invoices = Invoices::load(&store)?;
        let names = self.names(&store)?;
        let mut records: Vec<DisputeRecord> = store
            .disputes(Attached::All)?
            .into_iter()
            .filter(|d| d.opened_on <= as_of)
            .collect();
        let s = stats(
            &records.iter().map(DisputeRecord::rule).collect::<Vec<_>>(),
            as_of,
        );
        records.sort_by_key(|d| (!d.rule().open_on(as_of), d.opened_on, d.id));
        let tally = |key: &str, t: encaisse_dunning::dispute::Tally| DisputeTally {
            key: key.to_string(),
            count: t.count,
            amount: format_amount(t.amount),
        };
        Ok(DisputesBoard {
            as_of,
            currency,
            disputes: records
                .iter()
                .map(|d| dispute_dto(d, &invoices, &names))
                .collect(),
            by_kind: s.by_kind.iter().map(|(k, t)| tally(k.as_str(), *t)).collect(),
            by_department: s
                .by_department
                .iter()
                .map(|(k, t)| tally(k.as_str(), *t))
                .collect(),
            open: tally("open", s.open),
            closed: tally("closed", s.closed),
            average_resolution_days: s.average_resolution_days.map(days_to_f64),
        })
    }
}
