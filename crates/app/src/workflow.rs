//! The collections workflow's use cases: the day's agenda, the actions log, promises to pay (kept or broken from
//! the ledger), disputes and their board, scenarios and who follows which.
//!
//! Invoices are named by their number (PieceRef) within a customer, as the ledger and the agenda contract name
//! them; records are stored against the invoice's id, which re-imports keep.

use crate::{parse_date, App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::{position, OpenItem, Position};
use encaisse_domain::{days_to_f64, format_amount, Customer, Terms};
use encaisse_dunning::agenda::{self as rules, invoice_cases, CustomerCase};
use encaisse_dunning::dispute::stats;
use encaisse_dunning::scenario::{scenario_for, AssignBy, Channel, Scenario, Step};
use encaisse_dunning::{
    promise, ActionKind, AgendaRules, Department, DisputeKind, FollowUp, Outcome, PromiseStatus,
    DEFAULT_MIN_GAP_DAYS, DEFAULT_PROMISE_GRACE_DAYS,
};
use encaisse_store::workflow::{
    ActionRecord, Attached, DisputeRecord, InvoiceIdentity, NewAction, NewDispute, NewPromise, PromiseRecord,
};
use encaisse_store::{CustomerLedger, Store};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;
use ts_rs::TS;

/// Setting: minimum days between two chases of one customer.
pub const SETTING_MIN_GAP: &str = "dunning_min_gap_days";
/// Setting: days after a promised date before the chase resumes, when a promise does not say.
pub const SETTING_PROMISE_GRACE: &str = "promise_grace_days";

// ---------------------------------------------------------------------------------------------------------------
// DTOs

/// The day's agenda, exactly the `encaisse agenda --format json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agenda {
    pub as_of: NaiveDate,
    pub actions: Vec<AgendaAction>,
}

/// One customer's action of the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaAction {
    pub customer: String,
    /// The scenario step: pre_reminder, reminder_1, reminder_2, reminder_3, personal_letter, formal_notice for the
    /// standard scenario.
    pub step: String,
    /// email, letter, call, sms_task; several joined by + (letter+call).
    pub channel: String,
    /// Numbers of every open invoice of the customer that has reached a step (not disputed, not promised).
    pub invoices: Vec<String>,
    /// The customer's unapplied credits (payments on account, credit notes not matched), as in the aged balance
    /// (≤ 0); "0.00" when there are none. Not zero: the action needs validation, the money may already be here.
    pub amount: String,
    pub needs_validation: bool,
}

/// The agenda with what the screen shows beside each action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaView {
    pub as_of: NaiveDate,
    /// The company's currency (ISO 4217), for the amounts.
    pub currency: String,
    pub items: Vec<AgendaItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaItem {
    pub action: AgendaAction,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub scenario: String,
    pub template: String,
    /// The next-action date agreed on an earlier action ("call back on…") that brings this action, if any.
    pub follow_up: Option<NaiveDate>,
    /// What is left to pay on the listed invoices.
    pub open_amount: String,
    pub lines: Vec<AgendaInvoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaInvoice {
    pub number: String,
    pub due_date: NaiveDate,
    pub days_late: i32,
    pub residual: String,
    /// The step this invoice has reached.
    pub reached: String,
    /// Its reached step is beyond what was done on it.
    pub pending: bool,
}

/// An action to record: an email sent, a letter printed, a call made (with its outcome), an SMS, a note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionInput {
    pub customer: String,
    /// email, letter, call, sms, note
    pub kind: String,
    /// Invoice numbers of this customer the action was about.
    pub invoices: Vec<String>,
    /// The scenario step this action carried out: marks it done for these invoices.
    pub step: Option<String>,
    /// promise, dispute, no_answer, wrong_contact, says_paid, call_back
    pub outcome: Option<String>,
    /// Today when absent.
    pub date: Option<NaiveDate>,
    pub user: String,
    pub next_action_date: Option<NaiveDate>,
    pub template: Option<String>,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionDto {
    #[ts(type = "number")]
    pub id: i64,
    pub customer: String,
    pub kind: String,
    pub date: NaiveDate,
    pub user: String,
    pub scenario: Option<String>,
    pub step: Option<String>,
    pub outcome: Option<String>,
    pub next_action_date: Option<NaiveDate>,
    pub template: Option<String>,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub invoices: Vec<String>,
}

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
    /// running, kept, broken: computed from the ledger as of `status_as_of`.
    pub status: String,
    pub status_as_of: NaiveDate,
    pub user: String,
    pub comment: String,
    pub invoices: Vec<String>,
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
    pub kind: String,
    pub department: String,
    /// open, closed
    pub status: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub amount: String,
    pub user: String,
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
    pub actions: Vec<ActionDto>,
    pub promises: Vec<PromiseDto>,
    pub disputes: Vec<DisputeDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioStep {
    pub id: String,
    pub offset_days: i32,
    /// email, letter, call, sms_task
    pub channels: Vec<String>,
    pub template: String,
    pub needs_validation: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioDto {
    pub id: String,
    pub name: String,
    pub steps: Vec<ScenarioStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScenarioAssignment {
    /// segment or category
    pub by: String,
    pub value: String,
    pub scenario: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Scenarios {
    /// The standard scenario first (saved or built in), then the others by id.
    pub scenarios: Vec<ScenarioDto>,
    pub assignments: Vec<ScenarioAssignment>,
}

// ---------------------------------------------------------------------------------------------------------------
// Conversions

fn invalid(e: impl std::fmt::Display) -> AppError {
    AppError::InvalidInput(e.to_string())
}

fn parse_word<T: FromStr<Err = String>>(field: &str, value: &str) -> AppResult<T> {
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

impl From<&Scenario> for ScenarioDto {
    fn from(s: &Scenario) -> Self {
        ScenarioDto {
            id: s.id.clone(),
            name: s.name.clone(),
            steps: s
                .steps
                .iter()
                .map(|st| ScenarioStep {
                    id: st.id.clone(),
                    offset_days: st.offset_days,
                    channels: st.channels.iter().map(|c| c.as_str().to_string()).collect(),
                    template: st.template.clone(),
                    needs_validation: st.needs_validation,
                })
                .collect(),
        }
    }
}

impl TryFrom<&ScenarioDto> for Scenario {
    type Error = AppError;
    fn try_from(s: &ScenarioDto) -> AppResult<Scenario> {
        let steps = s
            .steps
            .iter()
            .map(|st| {
                Ok(Step {
                    id: st.id.trim().to_string(),
                    offset_days: st.offset_days,
                    channels: st
                        .channels
                        .iter()
                        .map(|c| c.parse::<Channel>().map_err(invalid))
                        .collect::<AppResult<_>>()?,
                    template: st.template.trim().to_string(),
                    needs_validation: st.needs_validation,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let scenario = Scenario {
            id: s.id.trim().to_string(),
            name: s.name.trim().to_string(),
            steps,
        };
        scenario.validate().map_err(invalid)?;
        Ok(scenario)
    }
}

/// Invoice ids ↔ numbers, and open items → invoice ids; the customers' names.
struct Invoices {
    by_id: HashMap<i64, InvoiceIdentity>,
    by_number: HashMap<(String, String), Vec<i64>>,
    names: HashMap<String, String>,
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

/// The ledger as of a day: the fiscal year in force then (its opening entries carry the earlier years).
struct Ledgers<'s> {
    store: &'s Store,
    years: Vec<NaiveDate>,
    loaded: HashMap<Option<NaiveDate>, Vec<CustomerLedger>>,
    default_terms: Terms,
}

impl<'s> Ledgers<'s> {
    fn new(store: &'s Store) -> AppResult<Self> {
        Ok(Ledgers {
            store,
            years: store.fiscal_years()?,
            loaded: HashMap::new(),
            default_terms: App::default_terms(store)?,
        })
    }

    fn at(&mut self, day: NaiveDate) -> AppResult<&[CustomerLedger]> {
        let year = self.years.iter().copied().rfind(|y| *y <= day);
        if !self.loaded.contains_key(&year) {
            let ledger = self.store.ledger(year)?;
            self.loaded.insert(year, ledger);
        }
        Ok(&self.loaded[&year])
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

// ---------------------------------------------------------------------------------------------------------------
// Use cases

impl App {
    fn setting_days(store: &Store, key: &str, default: u32) -> AppResult<u32> {
        match store.setting(key)? {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| AppError::Database(format!("setting {key}: '{v}' is not a number of days"))),
        }
    }

    /// The scenario of each id: the saved ones and the standard one (unless a user saved one with its id).
    fn scenario_book(store: &Store) -> AppResult<Vec<Scenario>> {
        let mut all = store.scenarios()?;
        if !all.iter().any(|s| s.id == Scenario::DEFAULT_ID) {
            all.insert(0, Scenario::standard());
        } else if let Some(i) = all.iter().position(|s| s.id == Scenario::DEFAULT_ID) {
            let d = all.remove(i);
            all.insert(0, d);
        }
        Ok(all)
    }

    /// The day's agenda with what the screen needs beside each action.
    pub fn agenda_view(&self, as_of: Option<NaiveDate>) -> AppResult<AgendaView> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let rules = AgendaRules {
            min_gap_days: Self::setting_days(&store, SETTING_MIN_GAP, DEFAULT_MIN_GAP_DAYS)?,
        };
        let invoices = Invoices::load(&store)?;
        let scenarios = Self::scenario_book(&store)?;
        let assignments = store.scenario_assignments()?;
        let own: HashMap<String, encaisse_store::workflow::CustomerDunning> = store
            .customer_dunning()?
            .into_iter()
            .map(|c| (c.customer_key.clone(), c))
            .collect();
        let categories = store.customer_categories()?;

        let mut chases: HashMap<String, Vec<(ActionKind, NaiveDate)>> = HashMap::new();
        let mut follow_ups: HashMap<String, Vec<FollowUp>> = HashMap::new();
        let mut done: HashMap<i64, Vec<(String, NaiveDate)>> = HashMap::new();
        for a in store.actions(Attached::All)? {
            chases
                .entry(a.customer_key.clone())
                .or_default()
                .push((a.kind, a.done_on));
            if let Some(due) = a.next_action_on {
                follow_ups
                    .entry(a.customer_key.clone())
                    .or_default()
                    .push(FollowUp {
                        set_on: a.done_on,
                        due,
                        kind: a.kind,
                    });
            }
            if let Some(step) = &a.step_id {
                for id in &a.invoice_ids {
                    done.entry(*id).or_default().push((step.clone(), a.done_on));
                }
            }
        }
        let mut promised: HashMap<i64, Vec<encaisse_dunning::Promise>> = HashMap::new();
        for p in store.promises(Attached::All)? {
            for id in &p.invoice_ids {
                promised.entry(*id).or_default().push(p.rule());
            }
        }
        let mut disputed: HashMap<i64, Vec<encaisse_dunning::Dispute>> = HashMap::new();
        for d in store.disputes(Attached::All)? {
            for id in &d.invoice_ids {
                disputed.entry(*id).or_default().push(d.rule());
            }
        }

        let mut ledgers = Ledgers::new(&store)?;
        let default_terms = ledgers.default_terms;
        let ledger = ledgers.at(as_of)?;
        let mut cases = Vec::new();
        let mut customers: HashMap<&str, &Customer> = HashMap::new();
        for c in ledger {
            let pos = position(&c.lines, c.customer.terms.unwrap_or(default_terms), as_of);
            if pos.open_items.is_empty() {
                continue;
            }
            let key = c.customer.key.as_str();
            let settings = own.get(key);
            let id = scenario_for(
                settings.and_then(|s| s.scenario_id.as_deref()),
                c.customer.segment.as_deref(),
                categories.get(key).map(String::as_str),
                &assignments,
            );
            let scenario = scenarios.iter().find(|s| s.id == id).unwrap_or(&scenarios[0]);
            let mut list = invoice_cases(&pos);
            for (case, item) in list.iter_mut().zip(&pos.open_items) {
                case.invoice_id = invoices.of_item(key, item);
                if let Some(id) = case.invoice_id {
                    case.steps_done = done.get(&id).cloned().unwrap_or_default();
                    case.promises = promised.get(&id).cloned().unwrap_or_default();
                    case.disputes = disputed.get(&id).cloned().unwrap_or_default();
                }
            }
            customers.insert(key, &c.customer);
            cases.push(CustomerCase {
                key: key.to_string(),
                scenario,
                paused: settings.is_some_and(|s| s.paused),
                actions: chases.get(key).cloned().unwrap_or_default(),
                unapplied: pos.unapplied,
                invoices: list,
                follow_ups: follow_ups.remove(key).unwrap_or_default(),
            });
        }
        let items = rules::agenda(&cases, rules, as_of)
            .into_iter()
            .map(|a| {
                let customer = customers[a.customer.as_str()];
                AgendaItem {
                    action: AgendaAction {
                        customer: a.customer.clone(),
                        step: a.step.id.clone(),
                        channel: Channel::join(&a.channels),
                        invoices: a.invoices.iter().map(|i| i.piece_ref.clone()).collect(),
                        amount: format_amount(a.unapplied),
                        needs_validation: a.needs_validation,
                    },
                    name: customer.name.clone(),
                    email: customer.email.clone(),
                    phone: customer.phone.clone(),
                    scenario: a.scenario_id.clone(),
                    template: a.step.template.clone(),
                    follow_up: a.follow_up.map(|f| f.due),
                    open_amount: format_amount(a.open_amount),
                    lines: a
                        .invoices
                        .iter()
                        .map(|i| AgendaInvoice {
                            number: i.piece_ref.clone(),
                            due_date: i.due_date,
                            days_late: i.days_late.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
                            residual: format_amount(i.residual),
                            reached: i.reached.clone(),
                            pending: i.pending,
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(AgendaView {
            as_of,
            currency,
            items,
        })
    }

    /// The day's agenda: the `encaisse agenda` contract.
    pub fn agenda(&self, as_of: Option<NaiveDate>) -> AppResult<Agenda> {
        let view = self.agenda_view(as_of)?;
        Ok(Agenda {
            as_of: view.as_of,
            actions: view.items.into_iter().map(|i| i.action).collect(),
        })
    }

    /// Records an action (email sent, letter printed, call made, SMS, note). With a step, that step is done for its
    /// invoices: the agenda moves them on.
    pub fn record_action(&self, input: &ActionInput) -> AppResult<ActionDto> {
        let kind: ActionKind = parse_word("kind", &input.kind)?;
        let outcome: Option<Outcome> = input
            .outcome
            .as_deref()
            .filter(|o| !o.trim().is_empty())
            .map(|o| parse_word("outcome", o))
            .transpose()?;
        let mut store = self.store();
        let invoices = Invoices::load(&store)?;
        let ids = invoices.resolve(&input.customer, &input.invoices)?;
        let step = input.step.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let scenario_id = match step {
            None => None,
            Some(step) => {
                let scenario = self.customer_scenario(&store, &input.customer)?;
                if scenario.step_index(step).is_none() {
                    return Err(AppError::InvalidInput(format!(
                        "step: scenario '{}' of customer {} has no step '{step}'",
                        scenario.id, input.customer
                    )));
                }
                Some(scenario.id)
            }
        };
        let id = store.add_action(&NewAction {
            customer_key: input.customer.trim(),
            kind,
            done_on: input.date.unwrap_or_else(|| self.today()),
            user: &input.user,
            scenario_id: scenario_id.as_deref(),
            step_id: step,
            outcome,
            next_action_on: input.next_action_date,
            template_id: input.template.as_deref(),
            recipient: input.recipient.as_deref(),
            subject: input.subject.as_deref(),
            body: &input.body,
            invoice_ids: &ids,
        })?;
        let record = store
            .actions(Attached::Customer(input.customer.trim()))?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| AppError::Database(format!("action {id} not found after writing it")))?;
        let dto = action_dto(&record, &invoices);
        drop(store);
        self.audit(
            &input.user,
            "action",
            &id.to_string(),
            "added",
            None,
            Some(to_json(&dto)),
        )?;
        Ok(dto)
    }

    /// Marks a customer's action of the day done: its step is recorded for every invoice it listed.
    pub fn mark_done(&self, customer: &str, as_of: Option<NaiveDate>, user: &str) -> AppResult<ActionDto> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let item = self
            .agenda_view(Some(as_of))?
            .items
            .into_iter()
            .find(|i| i.action.customer == customer.trim())
            .ok_or_else(|| {
                AppError::InvalidInput(format!(
                    "customer {customer} has no action on the agenda of {as_of}"
                ))
            })?;
        let first = item.action.channel.split('+').next().unwrap_or("email");
        let kind = ActionKind::for_channel(first.parse().map_err(invalid)?);
        self.record_action(&ActionInput {
            customer: item.action.customer.clone(),
            kind: kind.as_str().into(),
            invoices: item.action.invoices.clone(),
            step: Some(item.action.step.clone()),
            date: Some(as_of),
            user: user.into(),
            template: Some(item.template.clone()),
            ..ActionInput::default()
        })
    }

    fn customer_scenario(&self, store: &Store, key: &str) -> AppResult<Scenario> {
        let customer = store
            .customers()?
            .into_iter()
            .find(|c| c.key == key.trim())
            .ok_or_else(|| AppError::InvalidInput(format!("no customer with key {key}")))?;
        let own = store
            .customer_dunning()?
            .into_iter()
            .find(|c| c.customer_key == customer.key);
        let categories = store.customer_categories()?;
        let assignments = store.scenario_assignments()?;
        let id = scenario_for(
            own.as_ref().and_then(|o| o.scenario_id.as_deref()),
            customer.segment.as_deref(),
            categories.get(&customer.key).map(String::as_str),
            &assignments,
        );
        let mut book = Self::scenario_book(store)?;
        let i = book.iter().position(|s| s.id == id).unwrap_or(0);
        Ok(book.swap_remove(i))
    }

    /// Records a promise to pay: the chase of its invoices pauses until its date plus the grace period.
    pub fn add_promise(&self, input: &PromiseInput) -> AppResult<PromiseDto> {
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
            user: &input.user,
            comment: &input.comment,
            invoice_ids: &ids,
        })?;
        let record = store
            .promises(Attached::Customer(input.customer.trim()))?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| AppError::Database(format!("promise {id} not found after writing it")))?;
        let mut ledgers = Ledgers::new(&store)?;
        let status = promise_status(&mut ledgers, &invoices, &record, made_on)?;
        let dto = promise_dto(&record, &invoices, status, made_on);
        drop(ledgers);
        drop(store);
        self.audit(
            &input.user,
            "promise",
            &id.to_string(),
            "added",
            None,
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
        let mut ledgers = Ledgers::new(&store)?;
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

    /// Opens a dispute: its invoices leave the chase until it is closed.
    pub fn open_dispute(&self, input: &DisputeInput) -> AppResult<DisputeDto> {
        let kind: DisputeKind = parse_word("kind", &input.kind)?;
        let department: Department = parse_word("department", &input.department)?;
        let opened_on = input.opened_on.unwrap_or_else(|| self.today());
        let mut store = self.store();
        let invoices = Invoices::load(&store)?;
        let ids = invoices.resolve(&input.customer, &input.invoices)?;
        let amount = match input.amount.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(a) => parse_amount("amount", a)?,
            None => Ledgers::new(&store)?.residual(&invoices, input.customer.trim(), &ids, opened_on)?,
        };
        let id = store.open_dispute(&NewDispute {
            customer_key: input.customer.trim(),
            kind,
            department,
            opened_on,
            amount,
            user: &input.user,
            comment: &input.comment,
            invoice_ids: &ids,
        })?;
        let dto = Self::dispute(&store, &invoices, id)?;
        drop(store);
        self.audit(
            &input.user,
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
        let before = store
            .disputes(Attached::All)?
            .iter()
            .find(|d| d.id == id)
            .map(|d| dispute_dto(d, &invoices))
            .ok_or_else(|| AppError::InvalidInput(format!("no dispute with id {id}")))?;
        store.close_dispute(id, closed_on.unwrap_or_else(|| self.today()), resolution)?;
        let after = Self::dispute(&store, &invoices, id)?;
        drop(store);
        let (b, a) = (Some(to_json(&before)), Some(to_json(&after)));
        self.audit("", "dispute", &id.to_string(), "closed", b, a)?;
        Ok(after)
    }

    pub fn comment_dispute(&self, id: i64, user: &str, body: &str) -> AppResult<DisputeDto> {
        if body.trim().is_empty() {
            return Err(AppError::InvalidInput("comment: empty".into()));
        }
        let store = self.store();
        store.add_dispute_comment(id, self.today(), user, body)?;
        let dto = Self::dispute(&store, &Invoices::load(&store)?, id)?;
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

    fn dispute(store: &Store, invoices: &Invoices, id: i64) -> AppResult<DisputeDto> {
        store
            .disputes(Attached::All)?
            .iter()
            .find(|d| d.id == id)
            .map(|d| dispute_dto(d, invoices))
            .ok_or_else(|| AppError::Database(format!("dispute {id} not found")))
    }

    /// The disputes board as of a day: every dispute opened by then, and the figures by cause and department.
    pub fn disputes_board(&self, as_of: Option<NaiveDate>) -> AppResult<DisputesBoard> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (_, currency) = Self::company_currency(&store)?;
        let invoices = Invoices::load(&store)?;
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
            disputes: records.iter().map(|d| dispute_dto(d, &invoices)).collect(),
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
        let filter = match invoice {
            Some(n) => Attached::Invoice(invoices.resolve(customer.trim(), &[n.to_string()])?[0]),
            None => Attached::Customer(customer.trim()),
        };
        let own = store
            .customer_dunning()?
            .into_iter()
            .find(|c| c.customer_key == customer.trim())
            .unwrap_or_default();
        let mut ledgers = Ledgers::new(&store)?;
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
            actions: store
                .actions(filter)?
                .iter()
                .map(|a| action_dto(a, &invoices))
                .collect(),
            promises,
            disputes: store
                .disputes(filter)?
                .iter()
                .map(|d| dispute_dto(d, &invoices))
                .collect(),
        })
    }

    /// Pauses (or resumes) the chase of a customer.
    pub fn set_customer_paused(&self, customer: &str, paused: bool, reason: &str) -> AppResult<()> {
        let key = customer.trim();
        let before = self.dunning_of(key)?;
        self.store().set_customer_paused(key, paused, reason)?;
        let what = if paused { "paused" } else { "resumed" };
        let after = self.dunning_of(key)?;
        self.audit("", "customer_dunning", key, what, Some(before), Some(after))
    }

    /// A customer's own dunning settings as the audit trail shows them.
    fn dunning_of(&self, key: &str) -> AppResult<String> {
        let own = self
            .store()
            .customer_dunning()?
            .into_iter()
            .find(|c| c.customer_key == key)
            .unwrap_or_default();
        Ok(serde_json::json!({
            "scenario": own.scenario_id,
            "paused": own.paused,
            "pause_reason": own.pause_reason,
        })
        .to_string())
    }

    /// Gives a customer its own scenario (None: the one of its category or segment).
    pub fn set_customer_scenario(&self, customer: &str, scenario: Option<&str>) -> AppResult<()> {
        let key = customer.trim();
        let before = self.dunning_of(key)?;
        self.store().set_customer_scenario(key, scenario)?;
        let after = self.dunning_of(key)?;
        self.audit("", "customer_dunning", key, "scenario", Some(before), Some(after))
    }

    pub fn scenarios(&self) -> AppResult<Scenarios> {
        let store = self.store();
        Ok(Scenarios {
            scenarios: Self::scenario_book(&store)?
                .iter()
                .map(ScenarioDto::from)
                .collect(),
            assignments: store
                .scenario_assignments()?
                .into_iter()
                .map(|a| ScenarioAssignment {
                    by: a.by.as_str().into(),
                    value: a.value,
                    scenario: a.scenario_id,
                })
                .collect(),
        })
    }

    /// Creates or replaces a scenario (saving one with id `default` replaces the standard one).
    pub fn save_scenario(&self, scenario: &ScenarioDto) -> AppResult<()> {
        let s = Scenario::try_from(scenario)?;
        let before = self
            .scenarios()?
            .scenarios
            .into_iter()
            .find(|x| x.id == s.id)
            .map(|x| to_json(&x));
        self.store().save_scenario(&s, self.today())?;
        let after = Some(to_json(&ScenarioDto::from(&s)));
        self.audit("", "scenario", &s.id, "saved", before, after)
    }

    /// Assigns a scenario to every customer of a segment or category (None removes the assignment).
    pub fn assign_scenario(&self, by: &str, value: &str, scenario: Option<&str>) -> AppResult<()> {
        let by: AssignBy = parse_word("by", by)?;
        let value = value.trim();
        let before = self
            .store()
            .scenario_assignments()?
            .into_iter()
            .find(|a| a.by == by && a.value == value)
            .map(|a| a.scenario_id);
        self.store().assign_scenario(by, value, scenario)?;
        let what = if scenario.is_some() { "assigned" } else { "removed" };
        let id = format!("{}:{value}", by.as_str());
        self.audit(
            "",
            "scenario_assignment",
            &id,
            what,
            before,
            scenario.map(str::to_string),
        )
    }
}

fn promise_status(
    ledgers: &mut Ledgers<'_>,
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

fn action_dto(a: &ActionRecord, invoices: &Invoices) -> ActionDto {
    ActionDto {
        id: a.id,
        customer: a.customer_key.clone(),
        kind: a.kind.as_str().into(),
        date: a.done_on,
        user: a.user.clone(),
        scenario: a.scenario_id.clone(),
        step: a.step_id.clone(),
        outcome: a.outcome.map(|o| o.as_str().to_string()),
        next_action_date: a.next_action_on,
        template: a.template_id.clone(),
        recipient: a.recipient.clone(),
        subject: a.subject.clone(),
        body: a.body.clone(),
        invoices: invoices.numbers(&a.invoice_ids),
    }
}

fn promise_dto(
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
        status: status.as_str().into(),
        status_as_of: as_of,
        user: p.user.clone(),
        comment: p.comment.clone(),
        invoices: invoices.numbers(&p.invoice_ids),
    }
}

fn dispute_dto(d: &DisputeRecord, invoices: &Invoices) -> DisputeDto {
    DisputeDto {
        id: d.id,
        customer: d.customer_key.clone(),
        name: invoices.name(&d.customer_key),
        kind: d.kind.as_str().into(),
        department: d.department.as_str().into(),
        status: if d.closed_on.is_some() { "closed" } else { "open" }.into(),
        opened_on: d.opened_on,
        closed_on: d.closed_on,
        amount: format_amount(d.amount),
        user: d.user.clone(),
        resolution: d.resolution.clone(),
        invoices: invoices.numbers(&d.invoice_ids),
        comments: d
            .comments
            .iter()
            .map(|c| DisputeCommentDto {
                date: c.written_on,
                user: c.user.clone(),
                body: c.body.clone(),
            })
            .collect(),
    }
}

/// Parses an optional YYYY-MM-DD typed by a user.
pub fn parse_opt_date(field: &str, value: Option<&str>) -> AppResult<Option<NaiveDate>> {
    value.map(|v| parse_date(field, v)).transpose()
}

/// A value as the audit trail keeps it (JSON).
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
