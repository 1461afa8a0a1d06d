//! Promises to pay: recorded against invoices, kept or broken from the ledger.

use crate::workflow::{parse_amount, to_json, Invoices, Ledgers, SETTING_PROMISE_GRACE};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::collections::PromiseStatus;
use encaisse_domain::format_amount;
use encaisse_dunning::{promise, DEFAULT_PROMISE_GRACE_DAYS};
use encaisse_store::workflow::{Attached, Edit, NewPromise, PromiseChange, PromiseRecord};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromiseInput {
    pub customer: String,
    pub invoices: Vec<String>,
    /// The day the customer will pay.
    pub date: NaiveDate,
    /// Dot decimal ("1234.50").
    pub amount: String,
    /// The setting (3 days by default) when absent.
    pub grace_days: Option<u32>,
    /// Today when absent.
    pub made_on: Option<NaiveDate>,
    /// The call it was made in.
    #[ts(type = "number | null")]
    pub action_id: Option<i64>,
    pub user: String,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromiseDto {
    #[ts(type = "number")]
    pub id: i64,
    pub customer: String,
    /// The customer's name, for lists of promises across customers.
    pub name: String,
    pub made_on: NaiveDate,
    pub date: NaiveDate,
    pub amount: String,
    pub grace_days: u32,
    /// The promised date + grace: the chase waits until then.
    pub deadline: NaiveDate,
    /// Computed from the ledger as of `status_as_of`.
    pub status: PromiseStatus,
    pub status_as_of: NaiveDate,
    pub user: String,
    pub comment: String,
    pub invoices: Vec<String>,
    /// How many times it was changed: given back by a change, which is refused when someone changed it since.
    #[serde(default)]
    #[ts(type = "number")]
    pub version: i64,
}

/// A change of a promise: the customer moved the date or promised another amount.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromiseChangeInput {
    #[ts(type = "number")]
    pub id: i64,
    /// The version the screen read (`PromiseDto::version`); null: no check.
    #[ts(type = "number | null")]
    pub version: Option<i64>,
    pub date: NaiveDate,
    /// Dot decimal ("1234.50").
    pub amount: String,
    pub grace_days: u32,
    pub comment: String,
}

/// Promises' status as of a day; `newly_broken` are the alerts (broken since the status was last recorded).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PromiseCheck {
    pub as_of: NaiveDate,
    /// The company's currency (ISO 4217), for the amounts.
    pub currency: String,
    pub promises: Vec<PromiseDto>,
    pub newly_broken: Vec<PromiseDto>,
    pub running: u32,
    pub kept: u32,
    pub broken: u32,
}

pub(crate) fn promise_status(
    ledgers: &mut Ledgers,
    invoices: &Invoices,
    p: &PromiseRecord,
    as_of: NaiveDate,
) -> AppResult<PromiseStatus> {
    let rule = p.rule();
    let at_made = ledgers.residual(invoices, &p.customer_key, &p.invoice_ids, p.made_on)?;
    let check_day = as_of.min(rule.deadline());
    let then = ledgers.residual(invoices, &p.customer_key, &p.invoice_ids, check_day)?;
    let settled = promise::settled(p.amount, at_made, then);
    Ok(rule.status(as_of, |d| d == check_day && settled))
}

pub(crate) fn promise_dto(
    p: &PromiseRecord,
    invoices: &Invoices,
    status: PromiseStatus,
    as_of: NaiveDate,
) -> PromiseDto {
    PromiseDto {
        id: p.id,
        customer: p.customer_key.clone(),
        name: invoices.name(&p.customer_key),
        made_on: p.made_on,
        date: p.promised_on,
        amount: format_amount(p.amount),
        grace_days: p.grace_days,
        deadline: p.rule().deadline(),
        status,
        status_as_of: as_of,
        user: p.user.clone(),
        comment: p.comment.clone(),
        invoices: invoices.numbers(&p.invoice_ids),
        version: p.version,
    }
}

impl App {
    /// Records a promise to pay: the chase of its invoices pauses until its date plus the grace period.
    pub fn add_promise(&self, input: &PromiseInput) -> AppResult<PromiseDto> {
        // The input's user when it names one, else the actor.
        let user = self.user_or_actor(&input.user);
        let amount = parse_amount("amount", &input.amount)?;
        let made_on = input.made_on.unwrap_or_else(|| self.today());
        if input.date < made_on {
            return Err(AppError::InvalidInput(format!(
                "date: a promise made on {made_on} cannot be for {} (earlier)",
                input.date
            )));
        }
        let mut store = self.store();
        let grace = match input.grace_days {
            Some(g) => g,
            None => Self::setting_days(&store, SETTING_PROMISE_GRACE, DEFAULT_PROMISE_GRACE_DAYS)?,
        };
        let invoices = Invoices::load(&store)?;
        let ids = invoices.resolve(&input.customer, &input.invoices)?;
        let id = store.add_promise(&NewPromise {
            customer_key: input.customer.trim(),
            made_on,
            promised_on: input.date,
            amount,
            grace_days: grace,
            action_id: input.action_id,
            user: &user,
            comment: &input.comment,
            invoice_ids: &ids,
        })?;
        let record = store
            .promises(Attached::Customer(input.customer.trim()))?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| AppError::Database(format!("promise {id} not found after writing it")))?;
        let mut ledgers = Ledgers::new(self, &store)?;
        let status = promise_status(&mut ledgers, &invoices, &record, made_on)?;
        let dto = promise_dto(&record, &invoices, status, made_on);
        drop(ledgers);
        drop(store);
        self.audit(
            &user,
            "promise",
            &id.to_string(),
            "added",
            None,
            Some(to_json(&dto)),
        )?;
        Ok(dto)
    }

    /// Changes a promise's date, amount, grace or comment (the customer called back). Refused, naming who and
    /// when, when someone changed it since the version the screen read. Audited.
    pub fn change_promise(&self, input: &PromiseChangeInput) -> AppResult<PromiseDto> {
        let amount = parse_amount("amount", &input.amount)?;
        if input.grace_days > 90 {
            return Err(AppError::InvalidInput(format!(
                "grace_days: {} days, at most 90",
                input.grace_days
            )));
        }
        let mut store = self.store();
        let find = |store: &encaisse_store::Store| -> AppResult<PromiseRecord> {
            store
                .promises(Attached::All)?
                .into_iter()
                .find(|p| p.id == input.id)
                .ok_or_else(|| AppError::InvalidInput(format!("id: no promise {}", input.id)))
        };
        let before = find(&store)?;
        if input.date < before.made_on {
            return Err(AppError::InvalidInput(format!(
                "date: a promise made on {} cannot be for {} (earlier)",
                before.made_on, input.date
            )));
        }
        let invoices = Invoices::load(&store)?;
        let today = self.today();
        let (by, at) = self.changed_by(&store)?;
        store.change_promise(
            input.id,
            &PromiseChange {
                promised_on: input.date,
                amount,
                grace_days: input.grace_days,
                comment: &input.comment,
            },
            &Edit {
                version: input.version,
                by: &by,
                at: &at,
            },
        )?;
        let after = find(&store)?;
        let mut ledgers = Ledgers::new(self, &store)?;
        let was = promise_status(&mut ledgers, &invoices, &before, today)?;
        let now = promise_status(&mut ledgers, &invoices, &after, today)?;
        let (before, dto) = (
            promise_dto(&before, &invoices, was, today),
            promise_dto(&after, &invoices, now, today),
        );
        drop(ledgers);
        drop(store);
        self.audit(
            "",
            "promise",
            &input.id.to_string(),
            "changed",
            Some(to_json(&before)),
            Some(to_json(&dto)),
        )?;
        Ok(dto)
    }

    /// Every promise's status as of a day, computed from the ledger: kept when the money came by the promised
    /// date + grace, broken after that. With `record`, the statuses are saved and `newly_broken` lists the promises
    /// that were not broken when last saved (the alerts).
    pub fn check_promises(&self, as_of: Option<NaiveDate>, record: bool) -> AppResult<PromiseCheck> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let invoices = Invoices::load(&store)?;
        let all = store.promises(Attached::All)?;
        let mut ledgers = Ledgers::new(self, &store)?;
        let mut changed = Vec::new();
        let mut out = PromiseCheck {
            as_of,
            currency,
            promises: Vec::new(),
            newly_broken: Vec::new(),
            running: 0,
            kept: 0,
            broken: 0,
        };
        for p in all.iter().filter(|p| p.made_on <= as_of) {
            let status = promise_status(&mut ledgers, &invoices, p, as_of)?;
            match status {
                PromiseStatus::Running => out.running += 1,
                PromiseStatus::Kept => out.kept += 1,
                PromiseStatus::Broken => out.broken += 1,
            }
            let dto = promise_dto(p, &invoices, status, as_of);
            if status == PromiseStatus::Broken && p.status != PromiseStatus::Broken {
                out.newly_broken.push(dto.clone());
            }
            if record && (p.status != status || p.status_on != Some(as_of)) {
                store.set_promise_status(p.id, status, as_of)?;
                if p.status != status {
                    changed.push((p.id, p.status, status));
                }
            }
            out.promises.push(dto);
        }
        drop(ledgers);
        drop(store);
        for (id, before, after) in changed {
            let word = |s: PromiseStatus| Some(s.as_str().to_string());
            self.audit(
                "",
                "promise",
                &id.to_string(),
                "status",
                word(before),
                word(after),
            )?;
        }
        Ok(out)
    }
}
