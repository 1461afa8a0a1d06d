//! The collections workflow's use cases: the day's agenda, the actions log, promises to pay (kept or broken from
//! the ledger), disputes and their board, scenarios and who follows which. What they share lives here.
//!
//! Invoices are named by their number (PieceRef) within a customer, as the ledger and the agenda contract name
//! them; records are stored against the invoice's id, which re-imports keep.

pub mod actions;
pub mod agenda;
pub mod disputes;
pub mod portfolios;
pub mod promises;
pub mod scenarios;
pub mod settings;

pub use actions::*;
pub use agenda::*;
pub use disputes::*;
pub use portfolios::*;
pub use promises::*;
pub use scenarios::*;

use crate::book::Loaded;
use crate::{parse_date, App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::{position, OpenItem, Position};
use encaisse_domain::{Customer, Terms};
use encaisse_store::workflow::{Attached, InvoiceIdentity};
use encaisse_store::{CustomerLedger, Store};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;
use ts_rs::TS;

/// Setting: minimum days between two chases of one customer.
pub const SETTING_MIN_GAP: &str = "dunning_min_gap_days";

/// Setting: days after a promised date before the chase resumes, when a promise does not say.
pub const SETTING_PROMISE_GRACE: &str = "promise_grace_days";

pub(crate) fn invalid(e: impl std::fmt::Display) -> AppError {
    AppError::InvalidInput(e.to_string())
}

pub(crate) fn parse_word<T: FromStr<Err = String>>(field: &str, value: &str) -> AppResult<T> {
    value
        .trim()
        .parse()
        .map_err(|e: String| AppError::InvalidInput(format!("{field}: {e}")))
}

/// A user-typed amount: dot or comma decimal, at most the currency's digits (checked by the store).
pub fn parse_amount(field: &str, value: &str) -> AppResult<Decimal> {
    let v = value.trim().replace(',', ".");
    Decimal::from_str(&v).map_err(|_| {
        AppError::InvalidInput(format!("{field}: '{value}' is not an amount (expected 1234.50)"))
    })
}

/// Invoice ids ↔ numbers, and open items → invoice ids; the customers' names.
/// The open invoices no letter claims on a day, by (customer key, number): those under a dispute open that day or
/// a promise that holds that day, which the agenda leaves out too.
pub(crate) fn held_invoices(
    store: &Store,
    aged: &encaisse_analytics::AgedBalance,
    day: NaiveDate,
) -> AppResult<HashMap<(String, String), HeldBy>> {
    let mut ids: HashMap<i64, HeldBy> = HashMap::new();
    for p in store.promises(Attached::All)? {
        if p.rule().holds(day) {
            ids.extend(p.invoice_ids.iter().map(|id| (*id, HeldBy::Promise)));
        }
    }
    // A dispute says more than a promise about an invoice under both: it wins.
    for d in store.disputes(Attached::All)? {
        if d.rule().open_on(day) {
            ids.extend(d.invoice_ids.iter().map(|id| (*id, HeldBy::Dispute)));
        }
    }
    let mut held = HashMap::new();
    if ids.is_empty() {
        return Ok(held);
    }
    let invoices = Invoices::load(store)?;
    for c in &aged.customers {
        for item in &c.position.open_items {
            if let Some(by) = invoices.of_item(&c.key, item).and_then(|id| ids.get(&id)) {
                held.insert((c.key.clone(), item.piece_ref.clone()), *by);
            }
        }
    }
    Ok(held)
}

/// Why an open invoice is held from the letters on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeldBy {
    Dispute,
    Promise,
}

impl HeldBy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HeldBy::Dispute => "dispute",
            HeldBy::Promise => "promise",
        }
    }
}

/// The open invoices, by (customer key, number), that a written reminder (an email, a letter or an SMS of the
/// actions log, not a thank-you) was sent for before `day`.
pub(crate) fn reminded_invoices(
    store: &Store,
    aged: &encaisse_analytics::AgedBalance,
    day: NaiveDate,
) -> AppResult<HashSet<(String, String)>> {
    use encaisse_domain::collections::ActionKind;
    let ids: HashSet<i64> = store
        .actions(Attached::All)?
        .into_iter()
        .filter(|a| a.done_on < day)
        .filter(|a| matches!(a.kind, ActionKind::Email | ActionKind::Letter | ActionKind::Sms))
        .filter(|a| a.template_id.as_deref() != Some(crate::mail::templates::THANK_YOU))
        .flat_map(|a| a.invoice_ids)
        .collect();
    let mut reminded = HashSet::new();
    if ids.is_empty() {
        return Ok(reminded);
    }
    let invoices = Invoices::load(store)?;
    for c in &aged.customers {
        for item in &c.position.open_items {
            if invoices.of_item(&c.key, item).is_some_and(|id| ids.contains(&id)) {
                reminded.insert((c.key.clone(), item.piece_ref.clone()));
            }
        }
    }
    Ok(reminded)
}

pub(crate) struct Invoices {
    pub(crate) by_id: HashMap<i64, InvoiceIdentity>,
    pub(crate) by_number: HashMap<(String, String), Vec<i64>>,
    pub(crate) names: HashMap<String, String>,
}

impl Invoices {
    fn load(store: &Store) -> AppResult<Invoices> {
        let mut by_id = HashMap::new();
        let mut by_number: HashMap<(String, String), Vec<i64>> = HashMap::new();
        for inv in store.invoices(None)? {
            by_number
                .entry((inv.customer_key.clone(), inv.piece_ref.clone()))
                .or_default()
                .push(inv.id);
            by_id.insert(inv.id, inv);
        }
        let names = store.customers()?.into_iter().map(|c| (c.key, c.name)).collect();
        Ok(Invoices {
            by_id,
            by_number,
            names,
        })
    }

    fn name(&self, customer: &str) -> String {
        self.names.get(customer).cloned().unwrap_or_default()
    }

    fn numbers(&self, ids: &[i64]) -> Vec<String> {
        ids.iter()
            .map(|id| {
                self.by_id
                    .get(id)
                    .map_or_else(|| format!("#{id}"), |i| i.piece_ref.clone())
            })
            .collect()
    }

    /// The invoice an open item is: same customer and number, then the same date and amount, not missing.
    fn of_item(&self, customer: &str, item: &OpenItem) -> Option<i64> {
        let ids = self
            .by_number
            .get(&(customer.to_string(), item.piece_ref.clone()))?;
        ids.iter().copied().max_by_key(|id| {
            let i = &self.by_id[id];
            (
                2 * u8::from(i.amount == item.amount) + u8::from(i.invoice_date == item.invoice_date),
                u8::from(i.missing_since.is_none()),
                std::cmp::Reverse(*id),
            )
        })
    }

    /// A customer's invoices by number, as a user names them.
    fn resolve(&self, customer: &str, numbers: &[String]) -> AppResult<Vec<i64>> {
        let mut out = Vec::new();
        for n in numbers {
            let ids = self
                .by_number
                .get(&(customer.to_string(), n.trim().to_string()))
                .ok_or_else(|| AppError::InvalidInput(format!("customer {customer} has no invoice {n}")))?;
            // Two invoices with one number (rare): the one still in the ledger, the latest.
            let id = ids
                .iter()
                .copied()
                .max_by_key(|id| (u8::from(self.by_id[id].missing_since.is_none()), *id))
                .expect("never empty");
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// The ledger as of a day, from the cached book: the fiscal year in force then (its opening entries carry the
/// earlier years).
pub(crate) struct Ledgers {
    pub(crate) book: Arc<Loaded>,
    pub(crate) default_terms: Terms,
}

impl Ledgers {
    pub(crate) fn new(app: &App, store: &Store) -> AppResult<Self> {
        let book = app.book(store)?;
        Ok(Ledgers {
            default_terms: book.terms,
            book,
        })
    }

    pub(crate) fn at(&mut self, day: NaiveDate) -> AppResult<&[CustomerLedger]> {
        Ok(self.book.at(day))
    }

    /// One customer's position on a day.
    fn position(&mut self, customer: &str, day: NaiveDate) -> AppResult<Option<(Customer, Position)>> {
        let default_terms = self.default_terms;
        let ledger = self.at(day)?;
        Ok(ledger.iter().find(|c| c.customer.key == customer).map(|c| {
            let terms = c.customer.terms.unwrap_or(default_terms);
            (c.customer.clone(), position(&c.lines, terms, day))
        }))
    }

    /// What is left to pay on some invoices of a customer on a day.
    fn residual(
        &mut self,
        invoices: &Invoices,
        customer: &str,
        ids: &[i64],
        day: NaiveDate,
    ) -> AppResult<Decimal> {
        Ok(match self.position(customer, day)? {
            None => Decimal::ZERO,
            Some((_, pos)) => pos
                .open_items
                .iter()
                .filter(|i| invoices.of_item(customer, i).is_some_and(|id| ids.contains(&id)))
                .map(|i| i.residual)
                .sum(),
        })
    }
}

/// Parses an optional YYYY-MM-DD typed by a user.
pub fn parse_opt_date(field: &str, value: Option<&str>) -> AppResult<Option<NaiveDate>> {
    value.map(|v| parse_date(field, v)).transpose()
}

/// A value as the audit trail keeps it (JSON).
pub(crate) fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// What the customer file shows of the workflow (or the invoice file, for one invoice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkflowRecords {
    pub customer: String,
    /// The company's currency (ISO 4217), for the amounts.
    pub currency: String,
    /// The invoice when the records are an invoice's.
    pub invoice: Option<String>,
    pub scenario: String,
    pub paused: bool,
    pub pause_reason: String,
    /// The version of the customer's chase (its own scenario, its pause; 0: never changed): sent back with a
    /// pause or resume, so that a colleague's change saved meanwhile is not overwritten (team mode).
    #[ts(type = "number")]
    pub chase_version: i64,
    pub actions: Vec<ActionDto>,
    pub promises: Vec<PromiseDto>,
    pub disputes: Vec<DisputeDto>,
}

impl App {
    pub(crate) fn setting_days(store: &Store, key: &str, default: u32) -> AppResult<u32> {
        match store.setting(key)? {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| AppError::Database(format!("setting {key}: '{v}' is not a number of days"))),
        }
    }

    /// A customer's actions, promises (status as of today) and disputes; with `invoice`, only that invoice's.
    pub fn workflow_records(&self, customer: &str, invoice: Option<&str>) -> AppResult<WorkflowRecords> {
        let today = self.today();
        let scenario = {
            let store = self.store();
            self.customer_scenario(&store, customer)?.id
        };
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let invoices = Invoices::load(&store)?;
        let names = self.names(&store)?;
        let filter = match invoice {
            Some(n) => Attached::Invoice(invoices.resolve(customer.trim(), &[n.to_string()])?[0]),
            None => Attached::Customer(customer.trim()),
        };
        let own = store
            .customer_dunning()?
            .into_iter()
            .find(|c| c.customer_key == customer.trim())
            .unwrap_or_default();
        let mut ledgers = Ledgers::new(self, &store)?;
        let promises = store
            .promises(filter)?
            .iter()
            .map(|p| {
                let status = promise_status(&mut ledgers, &invoices, p, today)?;
                Ok(promise_dto(p, &invoices, status, today))
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(WorkflowRecords {
            customer: customer.trim().to_string(),
            currency,
            invoice: invoice.map(str::to_string),
            scenario,
            paused: own.paused,
            pause_reason: own.pause_reason,
            chase_version: store.edit_version(&encaisse_store::edits::customer_subject(customer.trim()))?,
            actions: store
                .actions(filter)?
                .iter()
                .map(|a| action_dto(a, &invoices))
                .collect(),
            promises,
            disputes: store
                .disputes(filter)?
                .iter()
                .map(|d| dispute_dto(d, &invoices, &names))
                .collect(),
        })
    }
}
