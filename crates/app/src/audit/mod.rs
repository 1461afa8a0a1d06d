//! The audit trail: who changed what and when (settings, templates, messages sent), and its export.
//!
//! Each event is stored as written (entity, action, before/after JSON) and read back with what the journal screen
//! needs to say it in a sentence: the kind of event as one word ([`AuditKind`]), the time of day, and the typed
//! facts ([`AuditFacts`]: customer, invoices, amount, dispute kind, department, comment…) taken from its JSON.

pub mod export;
mod imports;

use crate::{App, AppResult};
use chrono::NaiveDate;
use encaisse_domain::collections::{ActionKind, AssignBy, Department, DisputeKind, Outcome, PromiseStatus};
use encaisse_store::mail::AuditEntry;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use ts_rs::TS;

/// What an event of the audit trail was, one word per kind (the screens say each as a sentence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AuditKind {
    EmailSent,
    EmailFailed,
    EmailTest,
    EmailTestFailed,
    DailyReportSent,
    DailyReportFailed,
    SmtpChanged,
    MailSettingsChanged,
    TemplateChanged,
    TemplateReset,
    LetterSettingsChanged,
    RatesChanged,
    RatesReset,
    /// The segment → debtor kind mapping of the letters changed.
    DebtorKindsChanged,
    CollectionSettingsChanged,
    ActionRecorded,
    PromiseMade,
    /// A promise's date, amount, grace or comment changed by a user (before and after).
    PromiseChanged,
    PromiseStatusChanged,
    DisputeOpened,
    DisputeClosed,
    DisputeCommented,
    ScenarioSaved,
    ScenarioAssigned,
    ScenarioUnassigned,
    CustomerScenarioChanged,
    CustomerPaused,
    CustomerResumed,
    /// A file imported (FEC, customers, open invoices, e-invoices): its name, SHA-256 and counts.
    FileImported,
    /// A customer's fields changed by a customers file, before and after.
    CustomerChangedFromFile,
    /// The demo company replaced the database's content.
    DemoCreated,
    /// A verified copy of the database was written (its reason: manual, before a demo, an import…).
    BackupMade,
    /// The database was replaced by a backup.
    DatabaseRestored,
    /// The backups' retention rule changed.
    BackupSettingsChanged,
    /// A login's display name ("Mon nom") changed: the names before and after.
    UserNameChanged,
    /// The penalties of an invoice paid late waived, with the reason typed (or its reason rewritten).
    PenaltyWaived,
    /// A waiver removed: the invoice's penalties count again.
    PenaltyUnwaived,
    /// A bank entry put on invoices by a user (the invoices, the amount).
    BankEntryMatched,
    /// A bank entry's match undone by a user.
    BankEntryUnmatched,
    /// A bank entry kept on a customer's account.
    BankEntryOnAccount,
    /// A bank entry marked as no customer's payment.
    BankEntryIgnored,
    /// A bank statement removed with the entries and matches it carried.
    BankStatementRemoved,
    /// The accredited platform's settings changed (the secret only as "changed" or "removed").
    PaSettingsChanged,
    /// A customer, or a segment's or category's customers, given to a collector (portfolios).
    PortfolioAssigned,
    /// Such an assignment taken back.
    PortfolioUnassigned,
    /// Everything a collector followed handed over to another.
    PortfolioReassigned,
    /// An entity and action this version does not know (a newer version's event): shown with its codes.
    Other,
}

impl AuditKind {
    /// The kind of a stored event, from its entity and action.
    pub fn of(entity: &str, action: &str) -> AuditKind {
        use AuditKind::*;
        match (entity, action) {
            ("email", "sent") => EmailSent,
            ("email", "failed") => EmailFailed,
            ("email", "test") => EmailTest,
            ("email", "test_failed") => EmailTestFailed,
            ("daily_report", "sent") => DailyReportSent,
            ("daily_report", "failed") => DailyReportFailed,
            ("smtp", _) => SmtpChanged,
            ("mail_settings", _) => MailSettingsChanged,
            ("mail_template", "reset") => TemplateReset,
            ("mail_template", _) => TemplateChanged,
            ("letter_settings", _) => LetterSettingsChanged,
            ("rates", "reset") => RatesReset,
            ("rates", _) => RatesChanged,
            ("debtor_kinds", _) => DebtorKindsChanged,
            ("collection_settings", _) => CollectionSettingsChanged,
            ("action", "added") => ActionRecorded,
            ("promise", "added") => PromiseMade,
            ("promise", "changed") => PromiseChanged,
            ("promise", "status") => PromiseStatusChanged,
            ("dispute", "opened") => DisputeOpened,
            ("dispute", "closed") => DisputeClosed,
            ("dispute", "commented") => DisputeCommented,
            ("scenario", "saved") => ScenarioSaved,
            ("scenario_assignment", "assigned") => ScenarioAssigned,
            ("scenario_assignment", "removed") => ScenarioUnassigned,
            ("portfolio", "assigned") => PortfolioAssigned,
            ("portfolio", "removed") => PortfolioUnassigned,
            ("portfolio", "reassigned") => PortfolioReassigned,
            ("customer_dunning", "scenario") => CustomerScenarioChanged,
            ("customer_dunning", "paused") => CustomerPaused,
            ("customer_dunning", "resumed") => CustomerResumed,
            ("import", _) => FileImported,
            ("customer", "file_update") => CustomerChangedFromFile,
            ("demo", _) => DemoCreated,
            ("backup", _) => BackupMade,
            ("database", "restored") => DatabaseRestored,
            ("backup_settings", _) => BackupSettingsChanged,
            ("user_name", _) => UserNameChanged,
            ("penalty_waiver", "waived") => PenaltyWaived,
            ("penalty_waiver", "unwaived") => PenaltyUnwaived,
            ("bank_entry", "matched") => BankEntryMatched,
            ("bank_entry", "unmatched") => BankEntryUnmatched,
            ("bank_entry", "on_account") => BankEntryOnAccount,
            ("bank_entry", "ignored") => BankEntryIgnored,
            ("bank_statement", "removed") => BankStatementRemoved,
            ("pa_settings", _) => PaSettingsChanged,
            _ => Other,
        }
    }
}

/// What an event is about, typed, as far as its kind has it (every field empty otherwise). Amounts are decimal
/// strings in `currency`; codes are the domain's words, translated by the screens.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditFacts {
    /// The customer's key and name.
    pub customer: Option<String>,
    pub customer_name: Option<String>,
    /// Invoice numbers.
    pub invoices: Vec<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// The promised date (a promise), the closing date (a dispute).
    pub date: Option<NaiveDate>,
    pub dispute_kind: Option<DisputeKind>,
    pub department: Option<Department>,
    pub action_kind: Option<ActionKind>,
    /// A scenario step (built-in ones are `StepId` words; a user's own step keeps its id).
    pub step: Option<String>,
    pub outcome: Option<Outcome>,
    pub status_before: Option<PromiseStatus>,
    pub status: Option<PromiseStatus>,
    /// What the user wrote: a dispute's comment or resolution, a promise's comment, a pause's reason.
    pub comment: Option<String>,
    /// A message's recipient, subject and error.
    pub recipient: Option<String>,
    pub subject: Option<String>,
    pub error: Option<String>,
    /// An email template's id and language.
    pub template: Option<String>,
    pub lang: Option<String>,
    /// A scenario's id and name (saved, assigned, given to a customer).
    pub scenario: Option<String>,
    pub scenario_name: Option<String>,
    pub assign_by: Option<AssignBy>,
    pub assign_value: Option<String>,
    /// A portfolio's collector (login) after and before the change.
    pub collector: Option<String>,
    pub collector_before: Option<String>,
    /// How many customers given by hand, and rules, a reassignment moved.
    pub moved_customers: Option<u32>,
    pub moved_rules: Option<u32>,
    /// The settings' fields whose value changed (settings events), by their names in the JSON; a customer's
    /// fields changed by a file.
    pub changed: Vec<String>,
    /// The file imported or restored, the backup written (its path).
    pub file: Option<String>,
    /// What an import read: fec, customers, invoices, einvoices.
    pub import_kind: Option<String>,
    /// The imported file's SHA-256 (several e-invoices: none).
    pub sha256: Option<String>,
    /// An import's counts: ledger lines written and replaced, customers added and updated, invoices (for
    /// e-invoices: files read).
    pub lines_added: Option<u32>,
    pub lines_removed: Option<u32>,
    pub customers_added: Option<u32>,
    pub customers_updated: Option<u32>,
    pub invoice_count: Option<u32>,
    /// Why a backup was made.
    pub reason: Option<crate::backups::BackupReason>,
    /// A backup's size in bytes.
    #[ts(type = "number | null")]
    pub bytes: Option<u64>,
    /// A display name before and after its change (the login is the entry's `entity_id`).
    pub name_before: Option<String>,
    pub name_after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub date: Option<NaiveDate>,
    /// The local time of day, HH:MM (none for events recorded before the trail kept it).
    pub time: Option<String>,
    /// The login of who acted.
    pub user: String,
    /// Their display name when it happened ("Marie Martin"); for entries written before names existed, the
    /// name known now for that login.
    pub user_name: String,
    /// email, smtp, mail_settings, mail_template …
    pub entity: String,
    pub entity_id: String,
    /// sent, failed, test, update, reset …
    pub action: String,
    /// The event in one word, from `entity` and `action`.
    pub kind: AuditKind,
    pub facts: AuditFacts,
    /// JSON, never a secret.
    pub before: Option<String>,
    pub after: Option<String>,
}

fn json_of(s: &Option<String>) -> Value {
    s.as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Value::Null)
}

fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn word<T: std::str::FromStr>(v: &Value, key: &str) -> Option<T> {
    text(v, key).and_then(|s| s.parse().ok())
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The top-level fields whose value differs between two JSON objects, in the order of `after`.
fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    a.iter()
        .filter(|(k, v)| b.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(b.keys().filter(|k| !a.contains_key(k.as_str())).cloned())
        .collect()
}

/// The facts of an event from what it recorded; `names` gives a customer's name by its key.
fn facts(e: &AuditEntry, kind: AuditKind, names: &HashMap<String, String>, currency: &str) -> AuditFacts {
    use AuditKind::*;
    let before = json_of(&e.before);
    let after = json_of(&e.after);
    let mut f = AuditFacts::default();
    match kind {
        EmailSent | EmailFailed | EmailTest | EmailTestFailed | DailyReportSent | DailyReportFailed => {
            f.recipient = text(&after, "recipient");
            f.subject = text(&after, "subject");
            f.error = text(&after, "error");
            f.template = text(&after, "template");
            f.step = text(&after, "step");
            f.invoices = strings(&after, "invoices");
            if matches!(kind, EmailSent | EmailFailed) {
                f.customer = Some(e.entity_id.clone()).filter(|c| !c.is_empty());
            }
            if matches!(kind, DailyReportSent | DailyReportFailed) {
                f.date = e.entity_id.parse().ok();
            }
        }
        ActionRecorded => {
            f.customer = text(&after, "customer");
            f.action_kind = word(&after, "kind");
            f.step = text(&after, "step");
            f.outcome = word(&after, "outcome");
            f.invoices = strings(&after, "invoices");
            f.recipient = text(&after, "recipient");
            f.subject = text(&after, "subject");
            f.date = word(&after, "next_action_date");
            f.comment = text(&after, "body");
        }
        PromiseMade | PromiseChanged => {
            f.customer = text(&after, "customer");
            f.customer_name = text(&after, "name");
            f.invoices = strings(&after, "invoices");
            f.amount = text(&after, "amount");
            f.date = word(&after, "date");
            f.comment = text(&after, "comment");
            if kind == PromiseChanged {
                f.changed = ["date", "amount", "grace_days", "comment"]
                    .into_iter()
                    .filter(|k| before.get(*k) != after.get(*k))
                    .map(str::to_string)
                    .collect();
            }
        }
        PromiseStatusChanged => {
            f.status_before = e.before.as_deref().and_then(|s| s.parse().ok());
            f.status = e.after.as_deref().and_then(|s| s.parse().ok());
        }
        DisputeOpened | DisputeClosed | DisputeCommented => {
            // A comment's event holds the comment itself; the others the dispute, after (and before) the change.
            let d = if kind == DisputeCommented {
                &Value::Null
            } else {
                &after
            };
            f.customer = text(d, "customer");
            f.customer_name = text(d, "name");
            f.invoices = strings(d, "invoices");
            f.amount = text(d, "amount");
            f.dispute_kind = word(d, "kind");
            f.department = word(d, "department");
            match kind {
                DisputeOpened => {
                    f.comment = d
                        .get("comments")
                        .and_then(Value::as_array)
                        .and_then(|c| c.first())
                        .and_then(|c| text(c, "body"));
                }
                DisputeClosed => {
                    f.comment = text(d, "resolution");
                    f.date = word(d, "closed_on");
                }
                _ => f.comment = e.after.clone().filter(|c| !c.trim().is_empty()),
            }
        }
        ScenarioSaved => {
            f.scenario = Some(e.entity_id.clone());
            f.scenario_name = text(&after, "name");
        }
        ScenarioAssigned | ScenarioUnassigned => {
            if let Some((by, value)) = e.entity_id.split_once(':') {
                f.assign_by = by.parse().ok();
                f.assign_value = Some(value.to_string());
            }
            f.scenario = if kind == ScenarioAssigned {
                e.after.clone()
            } else {
                e.before.clone()
            };
        }
        PortfolioAssigned | PortfolioUnassigned => {
            match e.entity_id.split_once(':') {
                Some(("customer", key)) => f.customer = Some(key.to_string()),
                Some((by, value)) => {
                    f.assign_by = by.parse().ok();
                    f.assign_value = Some(value.to_string());
                }
                None => {}
            }
            f.collector = e.after.clone();
            f.collector_before = e.before.clone();
        }
        PortfolioReassigned => {
            f.collector_before = text(&after, "from");
            f.collector = text(&after, "to");
            f.moved_customers = after.get("customers").and_then(Value::as_u64).map(|n| n as u32);
            f.moved_rules = after.get("rules").and_then(Value::as_u64).map(|n| n as u32);
        }
        CustomerScenarioChanged | CustomerPaused | CustomerResumed => {
            f.customer = Some(e.entity_id.clone());
            f.scenario = text(&after, "scenario");
            if kind == CustomerPaused {
                f.comment = text(&after, "pause_reason");
            }
        }
        TemplateChanged | TemplateReset => {
            let (id, lang) = e.entity_id.split_once('/').unwrap_or((e.entity_id.as_str(), ""));
            f.template = Some(id.to_string());
            f.lang = Some(lang.to_string()).filter(|l| !l.is_empty());
        }
        FileImported => {
            f.file = Some(e.entity_id.clone());
            f.import_kind = Some(e.action.clone());
            f.sha256 = text(&after, "sha256");
            f.lines_added = word(&after, "lines_added");
            f.lines_removed = word(&after, "lines_removed");
            f.customers_added = word(&after, "customers_added");
            f.customers_updated = word(&after, "customers_updated");
            f.invoice_count = word(&after, "invoices");
        }
        BankEntryMatched | BankEntryUnmatched | BankEntryOnAccount | BankEntryIgnored => {
            f.customer = text(&after, "customer").or_else(|| text(&before, "customer"));
            f.invoices = strings(&after, "invoices");
            if f.invoices.is_empty() {
                f.invoices = strings(&before, "invoices");
            }
            f.amount = text(&after, "amount");
            f.date = word(&after, "date");
        }
        BankStatementRemoved => {
            f.file = text(&after, "file");
            f.sha256 = text(&after, "sha256");
        }
        CustomerChangedFromFile => {
            f.customer = Some(e.entity_id.clone());
            f.file = text(&after, "file");
            f.changed = changed_fields(&before, &after);
        }
        DemoCreated => {
            f.customers_added = word(&after, "customers");
            f.invoice_count = word(&after, "invoices");
            f.lines_added = word(&after, "lines");
        }
        BackupMade => {
            f.file = text(&after, "path");
            f.reason = word::<String>(&after, "reason").and_then(|r| crate::backups::BackupReason::parse(&r));
            f.bytes = word(&after, "bytes");
        }
        DatabaseRestored => {
            f.file = text(&after, "file");
        }
        UserNameChanged => {
            f.name_before = before.as_str().map(str::to_string);
            f.name_after = after.as_str().map(str::to_string);
        }
        PenaltyWaived | PenaltyUnwaived => {
            let w = if kind == PenaltyWaived { &after } else { &before };
            f.customer = text(w, "customer");
            f.invoices = strings(w, "invoices");
            f.comment = text(w, "reason");
        }
        SmtpChanged
        | MailSettingsChanged
        | LetterSettingsChanged
        | RatesChanged
        | RatesReset
        | DebtorKindsChanged
        | CollectionSettingsChanged
        | BackupSettingsChanged
        | PaSettingsChanged => {
            f.changed = changed_fields(&before, &after);
        }
        Other => {}
    }
    if f.customer_name.is_none() {
        f.customer_name = f.customer.as_ref().and_then(|c| names.get(c)).cloned();
    }
    if f.amount.is_some() {
        f.currency = Some(currency.to_string());
    }
    f
}

impl App {
    /// Appends to the audit trail (today, at the clock's time of day, by `user`, else the actor), with the display
    /// name of who acted.
    pub(crate) fn audit(
        &self,
        user: &str,
        entity: &str,
        entity_id: &str,
        action: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> AppResult<()> {
        let store = self.store();
        self.audit_in(&store, user, entity, entity_id, action, before, after)
    }

    /// As [`App::audit`], for a use case that holds the store (an import writing its record).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn audit_in(
        &self,
        store: &encaisse_store::Store,
        user: &str,
        entity: &str,
        entity_id: &str,
        action: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> AppResult<()> {
        let user = self.user_or_actor(user);
        let user_name = self.names(store)?.of(&user);
        let now = self.now();
        store.audit(&AuditEntry {
            id: 0,
            on_day: Some(now.date()),
            at_time: Some(now.time()),
            user,
            user_name,
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            action: action.to_string(),
            before,
            after,
        })?;
        Ok(())
    }

    /// The audit trail between two days (inclusive), oldest first.
    pub fn audit_trail(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> AppResult<Vec<AuditEvent>> {
        let store = self.store();
        let user_names = self.names(&store)?;
        let names: HashMap<String, String> =
            store.customers()?.into_iter().map(|c| (c.key, c.name)).collect();
        let currency = store.company()?.map_or_else(|| "EUR".to_string(), |c| c.currency);
        let entries = store.audit_log(from, to)?;
        drop(store);
        Ok(entries
            .into_iter()
            .map(|e| {
                let kind = AuditKind::of(&e.entity, &e.action);
                AuditEvent {
                    id: e.id,
                    date: e.on_day,
                    time: e.at_time.map(|t| t.format("%H:%M").to_string()),
                    kind,
                    facts: facts(&e, kind, &names, &currency),
                    user_name: if e.user_name.is_empty() {
                        user_names.of(&e.user)
                    } else {
                        e.user_name
                    },
                    user: e.user,
                    entity: e.entity,
                    entity_id: e.entity_id,
                    action: e.action,
                    before: e.before,
                    after: e.after,
                }
            })
            .collect())
    }
}
