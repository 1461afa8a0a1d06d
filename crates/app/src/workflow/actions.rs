//! The actions log: an email sent, a letter printed, a call made, an SMS, a note; marking the day's action done.

use crate::workflow::{invalid, parse_word, to_json, Invoices};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::collections::{ActionKind, Outcome};
use encaisse_store::documents::NewDocument;
use encaisse_store::workflow::{ActionRecord, Attached, NewAction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    pub kind: ActionKind,
    pub date: NaiveDate,
    pub user: String,
    pub scenario: Option<String>,
    pub step: Option<String>,
    pub outcome: Option<Outcome>,
    pub next_action_date: Option<NaiveDate>,
    pub template: Option<String>,
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub invoices: Vec<String>,
    /// The SHA-256 (hex) of the letter's PDF or the email's message kept as sent; absent for an action that sent
    /// nothing or was recorded before documents were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub document_sha256: Option<String>,
    /// The creditor reference ("RF…", compact) the letter or email carried: a payment quoting it is this
    /// customer's. Absent for other actions and those recorded before references were printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub payment_reference: Option<String>,
}

/// What an action sent, to keep as sent: its media type ("application/pdf", "message/rfc822") and its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SentDocument<'a> {
    pub(crate) media_type: &'a str,
    pub(crate) bytes: &'a [u8],
    /// The customer's creditor reference ("RF…", compact) the letter or email carried (`payment_reference.rs`).
    pub(crate) payment_reference: Option<&'a str>,
}

pub(crate) fn action_dto(a: &ActionRecord, invoices: &Invoices) -> ActionDto {
    ActionDto {
        id: a.id,
        customer: a.customer_key.clone(),
        kind: a.kind,
        date: a.done_on,
        user: a.user.clone(),
        scenario: a.scenario_id.clone(),
        step: a.step_id.clone(),
        outcome: a.outcome,
        next_action_date: a.next_action_on,
        template: a.template_id.clone(),
        recipient: a.recipient.clone(),
        subject: a.subject.clone(),
        body: a.body.clone(),
        invoices: invoices.numbers(&a.invoice_ids),
        document_sha256: a.document_sha256.clone(),
        payment_reference: a.payment_reference.clone(),
    }
}

impl App {
    /// Records an action (email sent, letter printed, call made, SMS, note). With a step, that step is done for its
    /// invoices: the agenda moves them on.
    pub fn record_action(&self, input: &ActionInput) -> AppResult<ActionDto> {
        self.record_sent(input, None)
    }

    /// Records an action with what it sent kept as sent (its bytes stored once by SHA-256, the hash on the action).
    pub(crate) fn record_sent(
        &self,
        input: &ActionInput,
        document: Option<SentDocument<'_>>,
    ) -> AppResult<ActionDto> {
        // The input's user when it names one, else the actor.
        let user = self.user_or_actor(&input.user);
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
            user: &user,
            scenario_id: scenario_id.as_deref(),
            step_id: step,
            outcome,
            next_action_on: input.next_action_date,
            template_id: input.template.as_deref(),
            recipient: input.recipient.as_deref(),
            subject: input.subject.as_deref(),
            body: &input.body,
            invoice_ids: &ids,
            document: document.map(|d| NewDocument {
                media_type: d.media_type,
                bytes: d.bytes,
                created_on: self.today(),
            }),
            payment_reference: document.and_then(|d| d.payment_reference),
        })?;
        let record = store
            .actions(Attached::Customer(input.customer.trim()))?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| AppError::Database(format!("action {id} not found after writing it")))?;
        let dto = action_dto(&record, &invoices);
        drop(store);
        self.audit(
            &user,
            "action",
            &id.to_string(),
            "added",
            None,
            Some(to_json(&dto)),
        )?;
        Ok(dto)
    }

    /// Marks a customer's action of the day done, as the actor: its step is recorded for every invoice it listed.
    pub fn mark_done(&self, customer: &str, as_of: Option<NaiveDate>) -> AppResult<ActionDto> {
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
            user: String::new(),
            template: Some(item.template.clone()),
            ..ActionInput::default()
        })
    }
}
