//! The agenda for a day: per customer, one action at the highest step any of its open invoices has reached and
//! not yet had, listing every open invoice of that customer that has reached a step.
//!
//! Rules, in the order they apply:
//! - a paused customer is left out;
//! - a disputed invoice (a dispute open that day) and an invoice under a promise that holds that day (from the day
//!   it was made to its date + grace) are left out;
//! - an invoice has reached the last step whose offset ≤ its days late (days late = day − due date; the first
//!   step's offset is where an invoice starts being listed, before the due date for a preventive reminder);
//! - an invoice is pending when it has reached a step beyond the highest step done on it (steps done are never
//!   repeated; an invoice very late on its first appearance goes straight to the step it has reached);
//! - the customer's action is the highest pending step of its invoices; none pending, no action;
//! - a customer chased (email, letter, call, SMS) less than the minimum gap ago is not chased again that day;
//! - a customer with unapplied credits (payments on account, credit notes not matched) gets its action flagged
//!   with that amount and needing validation: nobody chases money already received;
//! - a next-action date set on a logged action ("call back on 10/12") is a follow-up agreed with the customer: until
//!   that day the customer is not chased at all; from that day, unless an action of its kind (any chase for a
//!   note's) was logged after the day of the action that set it, the customer gets an action even when no step is pending (at its highest reached step, through the
//!   follow-up's channel, needing a person) and the minimum gap does not hold it back. Only the latest follow-up
//!   counts.

use crate::DEFAULT_MIN_GAP_DAYS;
use chrono::NaiveDate;
use encaisse_analytics::Position;
use encaisse_domain::collections::{ActionKind, Channel, Dispute, Promise, Scenario, Step};
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaRules {
    /// A customer is not chased twice within this many days (0: no limit).
    pub min_gap_days: u32,
}

impl Default for AgendaRules {
    fn default() -> Self {
        AgendaRules {
            min_gap_days: DEFAULT_MIN_GAP_DAYS,
        }
    }
}

/// One open invoice and what was recorded about it (any date: later records are ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceCase {
    /// The store's invoice id, when the invoice has one.
    pub invoice_id: Option<i64>,
    pub piece_ref: String,
    pub due_date: NaiveDate,
    /// What is left to pay on the day.
    pub residual: Decimal,
    /// Scenario steps done on this invoice, with the day each was done.
    pub steps_done: Vec<(String, NaiveDate)>,
    pub promises: Vec<Promise>,
    pub disputes: Vec<Dispute>,
}

/// A customer's open invoices and history (any date: later records are ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCase<'a> {
    pub key: String,
    pub scenario: &'a Scenario,
    pub paused: bool,
    /// Every logged action: its kind and day (the minimum gap counts chases only).
    pub actions: Vec<(ActionKind, NaiveDate)>,
    /// Unapplied credits on the day (≤ 0, the aged balance's sign).
    pub unapplied: Decimal,
    pub invoices: Vec<InvoiceCase>,
    /// Next-action dates set on logged actions (any date: later records are ignored).
    pub follow_ups: Vec<FollowUp>,
}

/// A next-action date set on a logged action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUp {
    /// The day of the action that set it.
    pub set_on: NaiveDate,
    /// The day to act again.
    pub due: NaiveDate,
    /// The kind of that action: a call to call back, an email to write again…
    pub kind: ActionKind,
}

impl FollowUp {
    /// The channel to follow up through: the one of the action that set it (a note has none).
    pub fn channel(&self) -> Option<Channel> {
        match self.kind {
            ActionKind::Email => Some(Channel::Email),
            ActionKind::Letter => Some(Channel::Letter),
            ActionKind::Call => Some(Channel::Call),
            ActionKind::Sms => Some(Channel::SmsTask),
            ActionKind::Note => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedInvoice {
    pub invoice_id: Option<i64>,
    pub piece_ref: String,
    pub due_date: NaiveDate,
    pub days_late: i64,
    pub residual: Decimal,
    /// The step this invoice has reached.
    pub reached: String,
    /// Whether its reached step is beyond what was done on it.
    pub pending: bool,
}

impl ListedInvoice {
    /// Past its due date on the day (due the day before or earlier): what a letter claims, the late-payment
    /// penalties running from the day after the due date. An invoice due that day or later is not yet due.
    pub fn is_overdue(&self) -> bool {
        self.days_late > 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub customer: String,
    pub scenario_id: String,
    pub step: Step,
    /// Every open invoice of the customer that has reached a step (not disputed, not under a promise), by due
    /// date then number.
    pub invoices: Vec<ListedInvoice>,
    /// What is left to pay on the listed invoices.
    pub open_amount: Decimal,
    /// The customer's unapplied credits (≤ 0); not zero flags the action.
    pub unapplied: Decimal,
    pub needs_validation: bool,
    /// How to act: the step's channels, or the follow-up's when the action is only a follow-up.
    pub channels: Vec<Channel>,
    /// The follow-up this action carries out, when its day has come.
    pub follow_up: Option<FollowUp>,
}

/// A customer's open invoices at a day (from [`encaisse_analytics::position`], due dates by the customer's terms)
/// as cases with nothing recorded yet: the caller adds ids, steps done, promises and disputes.
pub fn invoice_cases(position: &Position) -> Vec<InvoiceCase> {
    position
        .open_items
        .iter()
        .map(|i| InvoiceCase {
            invoice_id: None,
            piece_ref: i.piece_ref.clone(),
            due_date: i.due_date,
            residual: i.residual,
            steps_done: Vec::new(),
            promises: Vec::new(),
            disputes: Vec::new(),
        })
        .collect()
}

/// The day's action for one customer, if any.
pub fn action_for(case: &CustomerCase<'_>, rules: AgendaRules, day: NaiveDate) -> Option<Action> {
    if case.paused {
        return None;
    }
    let last_chase = case
        .actions
        .iter()
        .filter(|(kind, d)| kind.is_chase() && *d <= day)
        .map(|(_, d)| *d)
        .max();
    // The latest follow-up set by then, still open when no action of its kind (any chase for a note's) was logged
    // after the day of the action that set it.
    let follow_up = case
        .follow_ups
        .iter()
        .filter(|f| f.set_on <= day)
        .max_by_key(|f| (f.set_on, f.due))
        .filter(|f| {
            !case.actions.iter().any(|(kind, d)| {
                *d > f.set_on
                    && *d <= day
                    && (*kind == f.kind || (f.kind == ActionKind::Note && kind.is_chase()))
            })
        })
        .copied();
    if follow_up.is_some_and(|f| day < f.due) {
        return None;
    }
    let follow_up = follow_up.filter(|f| day >= f.due);
    if follow_up.is_none()
        && last_chase.is_some_and(|last| (day - last).num_days() < i64::from(rules.min_gap_days))
    {
        return None;
    }
    let scenario = case.scenario;
    let mut best: Option<usize> = None;
    let mut listed = Vec::new();
    for inv in &case.invoices {
        if inv.residual <= Decimal::ZERO
            || inv.disputes.iter().any(|d| d.open_on(day))
            || inv.promises.iter().any(|p| p.holds(day))
        {
            continue;
        }
        let days_late = (day - inv.due_date).num_days();
        let Some(reached) = scenario.reached(days_late) else {
            continue;
        };
        let done = inv
            .steps_done
            .iter()
            .filter(|(_, d)| *d <= day)
            .filter_map(|(id, _)| scenario.step_index(id))
            .max();
        let pending = done.is_none_or(|done| reached > done);
        if pending {
            best = Some(best.map_or(reached, |b| b.max(reached)));
        }
        listed.push(ListedInvoice {
            invoice_id: inv.invoice_id,
            piece_ref: inv.piece_ref.clone(),
            due_date: inv.due_date,
            days_late,
            residual: inv.residual,
            reached: scenario.steps[reached].id.clone(),
            pending,
        });
    }
    // No pending step: only a follow-up whose day has come gives an action, at the highest step reached.
    let (index, follow_up) = match (best, follow_up) {
        (Some(b), f) => (b, f),
        (None, Some(f)) => (
            listed
                .iter()
                .filter_map(|i| scenario.step_index(&i.reached))
                .max()?,
            Some(f),
        ),
        (None, None) => return None,
    };
    let step = scenario.steps[index].clone();
    listed.sort_by(|a, b| (a.due_date, &a.piece_ref).cmp(&(b.due_date, &b.piece_ref)));
    let flagged = !case.unapplied.is_zero();
    let channels = match (best, follow_up.and_then(|f| f.channel())) {
        (None, Some(channel)) => vec![channel],
        _ => step.channels.clone(),
    };
    Some(Action {
        customer: case.key.clone(),
        scenario_id: scenario.id.clone(),
        needs_validation: step.needs_validation || flagged || (best.is_none() && follow_up.is_some()),
        step,
        open_amount: listed.iter().map(|i| i.residual).sum(),
        invoices: listed,
        unapplied: case.unapplied,
        channels,
        follow_up,
    })
}

/// The day's agenda: at most one action per customer, by customer key.
pub fn agenda(cases: &[CustomerCase<'_>], rules: AgendaRules, day: NaiveDate) -> Vec<Action> {
    let mut out: Vec<Action> = cases.iter().filter_map(|c| action_for(c, rules, day)).collect();
    out.sort_by(|a, b| a.customer.cmp(&b.customer));
    out
}

#[cfg(test)]
mod tests;
