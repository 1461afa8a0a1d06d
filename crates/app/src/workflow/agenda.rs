//! The day's agenda: each customer's action of the day, and what the screen shows beside it.

use crate::einvoice_status::{ANNOUNCED_HOLD_DAYS, ANNOUNCED_TRANSFER_DAYS};
use crate::workflow::{Invoices, Ledgers, Portfolio, PortfolioScope, SETTING_MIN_GAP};
use crate::{App, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::position;
use encaisse_domain::collections::{ActionKind, Channel, Dispute, Promise};
use encaisse_domain::{format_amount, Customer};
use encaisse_dunning::agenda::{self as rules, invoice_cases, CustomerCase, ListedInvoice};
use encaisse_dunning::scenario::scenario_for;
use encaisse_dunning::{AgendaRules, FollowUp, DEFAULT_MIN_GAP_DAYS};
use encaisse_store::workflow::Attached;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// The day's agenda, exactly the `encaisse agenda --format json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Agenda {
    pub as_of: NaiveDate,
    pub actions: Vec<AgendaAction>,
    /// Invoices whose payment the e-invoicing platform announced (211 Paiement transmis): not chased meanwhile.
    /// Left out of the JSON when there are none (the contract of issue 12 stays as it was).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<AnnouncedPayment>>")]
    pub announced: Vec<AnnouncedPayment>,
}

/// An invoice whose payment the platform announced (its standing status is 211 Paiement transmis): the agenda
/// holds its chase until `hold_until`, the forecast expects it on `expected_on` (or this week once passed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AnnouncedPayment {
    pub customer: String,
    pub name: String,
    pub invoice: String,
    /// What is still due on it.
    pub amount: String,
    pub announced_on: NaiveDate,
    pub expected_on: NaiveDate,
    pub hold_until: NaiveDate,
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
    /// Numbers of every open invoice of the customer that has reached a step (not disputed, not promised), by due
    /// date then number.
    pub invoices: Vec<String>,
    /// Those of `invoices` not yet due on the day (due that day or later, e.g. reached by a preventive reminder).
    /// A letter claims the others, the overdue ones.
    pub not_due_invoices: Vec<String>,
    /// What is still due on `invoices` (overdue and not yet due).
    pub amount: String,
    /// The customer's unapplied credits (payments on account, credit notes not matched), as in the aged balance
    /// (≤ 0); "0.00" when there are none. Not zero: the action needs validation, the money may already be here.
    pub unapplied: String,
    /// The action needs a look before it is done: an unapplied credit, or a bank entry suggested (not confirmed)
    /// for this customer.
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
    /// Invoices whose payment the platform announced (211), by announcement date: their chase is held.
    pub announced: Vec<AnnouncedPayment>,
    /// Whose actions `items` are, and how many each collector has today.
    pub portfolio: AgendaPortfolio,
}

/// Whose actions an agenda shows, and the choices beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgendaPortfolio {
    /// The acting user's login.
    pub me: String,
    /// What `items` cover ("Mon portefeuille" is `collector` = `me`).
    pub shown: PortfolioScope,
    /// The day's actions of the whole team, of the customers nobody follows, and of each collector (by name).
    pub team: u32,
    pub unassigned: u32,
    pub collectors: Vec<CollectorCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectorCount {
    pub login: String,
    pub name: String,
    pub actions: u32,
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
    /// The collector following the customer (login and display name); None: nobody.
    pub collector: Option<String>,
    pub collector_name: Option<String>,
    /// The next-action date agreed on an earlier action ("call back on…") that brings this action, if any.
    pub follow_up: Option<NaiveDate>,
    /// What is still due on the overdue invoices (`invoices` minus `not_due_invoices`): what a letter claims.
    pub overdue_amount: String,
    /// What is still due on the invoices not yet due; with `overdue_amount`, the action's `amount`.
    pub not_due_amount: String,
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

impl App {
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
        let portfolio = Portfolio::load(&store)?;
        let names = self.names(&store)?;
        // Unless the ledger alone is read: a customer's money may be on a statement, not yet confirmed.
        let suggested = if self.is_ledger_only() {
            Default::default()
        } else {
            crate::bank::suggested_customers(&store, as_of)?
        };

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
        let mut promised: HashMap<i64, Vec<Promise>> = HashMap::new();
        for p in store.promises(Attached::All)? {
            for id in &p.invoice_ids {
                promised.entry(*id).or_default().push(p.rule());
            }
        }
        let mut disputed: HashMap<i64, Vec<Dispute>> = HashMap::new();
        for d in store.disputes(Attached::All)? {
            for id in &d.invoice_ids {
                disputed.entry(*id).or_default().push(d.rule());
            }
        }

        // The platform's 211 Paiement transmis holds an invoice's chase as a promise would (einvoice_status.rs).
        let standing = crate::einvoice_status::standing_statuses(&store.einvoice_statuses(None)?, as_of);
        let mut announced = Vec::new();

        let mut ledgers = Ledgers::new(self, &store)?;
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
                if let Some((211, on)) = standing.get(&(key.to_string(), item.piece_ref.clone())).copied() {
                    let days = |n| on.checked_add_days(chrono::Days::new(n)).unwrap_or(on);
                    let hold = Promise {
                        made_on: on,
                        date: days(ANNOUNCED_HOLD_DAYS),
                        amount: item.residual,
                        grace_days: 0,
                    };
                    if hold.holds(as_of) && item.residual > Decimal::ZERO {
                        announced.push(AnnouncedPayment {
                            customer: key.to_string(),
                            name: c.customer.name.clone(),
                            invoice: item.piece_ref.clone(),
                            amount: format_amount(item.residual),
                            announced_on: on,
                            expected_on: days(ANNOUNCED_TRANSFER_DAYS),
                            hold_until: hold.deadline(),
                        });
                    }
                    case.promises.push(hold);
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
        let items: Vec<AgendaItem> = rules::agenda(&cases, rules, as_of)
            .into_iter()
            .map(|a| {
                let customer = customers[a.customer.as_str()];
                let collector = portfolio.collector_of(customer).map(str::to_string);
                let (overdue, not_due): (Vec<_>, Vec<_>) = a.invoices.iter().partition(|i| i.is_overdue());
                let due = |list: &[&ListedInvoice]| list.iter().map(|i| i.residual).sum::<Decimal>();
                AgendaItem {
                    action: AgendaAction {
                        customer: a.customer.clone(),
                        step: a.step.id.clone(),
                        channel: Channel::join(&a.channels),
                        invoices: a.invoices.iter().map(|i| i.piece_ref.clone()).collect(),
                        not_due_invoices: not_due.iter().map(|i| i.piece_ref.clone()).collect(),
                        amount: format_amount(a.open_amount),
                        unapplied: format_amount(a.unapplied),
                        needs_validation: a.needs_validation || suggested.contains(&a.customer),
                    },
                    name: customer.name.clone(),
                    email: customer.email.clone(),
                    phone: customer.phone.clone(),
                    scenario: a.scenario_id.clone(),
                    template: a.step.template.clone(),
                    collector_name: collector.as_deref().map(|c| names.of(c)),
                    collector,
                    follow_up: a.follow_up.map(|f| f.due),
                    overdue_amount: format_amount(due(&overdue)),
                    not_due_amount: format_amount(due(&not_due)),
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
        announced.sort_by(|a: &AnnouncedPayment, b| {
            (a.announced_on, &a.customer, &a.invoice).cmp(&(b.announced_on, &b.customer, &b.invoice))
        });
        let portfolio = agenda_portfolio(&items, self.actor().0, PortfolioScope::Team);
        Ok(AgendaView {
            as_of,
            currency,
            items,
            announced,
            portfolio,
        })
    }

    /// The day's agenda of a portfolio: `scope`, or by default the acting user's when they follow a customer, else
    /// the team's.
    pub fn agenda_for(
        &self,
        as_of: Option<NaiveDate>,
        scope: Option<PortfolioScope>,
    ) -> AppResult<AgendaView> {
        let mut view = self.agenda_view(as_of)?;
        let shown = {
            let store = self.store();
            let portfolio = Portfolio::load(&store)?;
            self.resolve_scope(scope, &store.customers()?, &portfolio)
        };
        view.items.retain(|i| match &shown {
            PortfolioScope::Team | PortfolioScope::Mine => true,
            PortfolioScope::Unassigned => i.collector.is_none(),
            PortfolioScope::Collector(login) => i.collector.as_ref() == Some(login),
        });
        view.portfolio.shown = shown;
        Ok(view)
    }

    /// The day's agenda of a portfolio (see [`App::agenda_for`]): the `encaisse agenda` contract.
    pub fn agenda_in(&self, as_of: Option<NaiveDate>, scope: Option<PortfolioScope>) -> AppResult<Agenda> {
        Ok(Agenda::from(self.agenda_for(as_of, scope)?))
    }

    /// The day's agenda of the whole team: the `encaisse agenda` contract.
    pub fn agenda(&self, as_of: Option<NaiveDate>) -> AppResult<Agenda> {
        Ok(Agenda::from(self.agenda_view(as_of)?))
    }
}

impl From<AgendaView> for Agenda {
    fn from(view: AgendaView) -> Agenda {
        Agenda {
            as_of: view.as_of,
            actions: view.items.into_iter().map(|i| i.action).collect(),
            announced: view.announced,
        }
    }
}

/// The day's actions counted by collector.
fn agenda_portfolio(items: &[AgendaItem], me: String, shown: PortfolioScope) -> AgendaPortfolio {
    let mut by: std::collections::BTreeMap<&str, CollectorCount> = Default::default();
    let mut unassigned = 0;
    for i in items {
        match (&i.collector, &i.collector_name) {
            (Some(login), name) => {
                by.entry(login.as_str())
                    .or_insert_with(|| CollectorCount {
                        login: login.clone(),
                        name: name.clone().unwrap_or_else(|| login.clone()),
                        actions: 0,
                    })
                    .actions += 1
            }
            (None, _) => unassigned += 1,
        }
    }
    let mut collectors: Vec<CollectorCount> = by.into_values().collect();
    collectors.sort_by(|a, b| (a.name.to_lowercase(), &a.login).cmp(&(b.name.to_lowercase(), &b.login)));
    AgendaPortfolio {
        me,
        shown,
        team: u32::try_from(items.len()).unwrap_or(u32::MAX),
        unassigned,
        collectors,
    }
}
