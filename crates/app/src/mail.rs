//! Email: SMTP settings (the password in the OS credential store only), templates the user can edit, a preview of
//! every message, sending the agenda's validated emails with progress, the thank-you when chased invoices are paid,
//! the daily report, and the audit trail of what was sent and changed.
//!
//! Nothing here returns or records the password: it goes from the caller to the credential store in
//! [`App::save_smtp`] and from the store to the SMTP connection when sending.

pub mod schedule;
pub mod secrets;
pub mod smtp;
pub mod templates;

pub use secrets::{Keyring, NativeKeyring, Secrets};
pub use smtp::{Security, SmtpServer};

use crate::workflow::{ActionInput, AgendaItem};
use crate::{App, AppError, AppResult};
use chrono::{Duration, NaiveDate};
use encaisse_analytics::settlement::paid_invoices;
use encaisse_domain::format_amount;
use encaisse_store::mail::{AuditEntry, SavedTemplate};
use encaisse_store::workflow::Attached;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smtp::{Mailer, Outgoing};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use templates::{date, invoice_table, money, Context, InvoiceLine, Table, Template, DAILY_REPORT, THANK_YOU};
use ts_rs::TS;

const SMTP_KEY: &str = "smtp";
const MAIL_KEY: &str = "mail";
/// Chased invoices paid within this many days before the date get a thank-you, when the settings do not say.
pub const DEFAULT_THANK_YOU_DAYS: u32 = 30;

// ---------------------------------------------------------------------------------------------------------------
// DTOs

/// The SMTP server and the sender. Never holds the password: `has_password` tells whether the credential store
/// has one for this user and host.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty: no authentication.
    pub user: String,
    pub from_address: String,
    /// The company's name when empty.
    pub from_name: String,
    /// Where answers go, when not the sender.
    pub reply_to: String,
    /// Read only: the credential store holds a password for `user` at `host`.
    #[serde(default)]
    pub has_password: bool,
}

/// Saving the SMTP settings: the password, when given, goes to the credential store and nowhere else; an empty
/// one removes it; none keeps the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveSmtp {
    pub settings: SmtpSettings,
    pub password: Option<String>,
}

/// What the messages say about the sender, and who gets the daily report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailSettings {
    /// fr or en: the templates' language ("fr" when empty).
    pub language: String,
    /// Who signs (the SMTP sender's name when empty).
    pub contact_name: String,
    /// The SMTP sender's address when empty.
    pub contact_email: String,
    pub contact_phone: String,
    /// The company's online payment page, if it has one.
    pub payment_link: String,
    /// Who gets the daily report.
    pub report_recipients: Vec<String>,
    /// Chased invoices paid within this many days get a thank-you (30 when absent).
    pub thank_you_days: Option<u32>,
    /// HH:MM: the app sends the daily report once a day after this local time while it is open; empty: never.
    #[serde(default)]
    pub report_time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmailTemplate {
    pub id: String,
    /// fr or en
    pub lang: String,
    pub subject: String,
    pub body: String,
    /// The user changed it (else it is the built-in one).
    pub edited: bool,
    pub updated_on: Option<NaiveDate>,
    pub user: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmailTemplateInput {
    pub id: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
}

/// What to preview: a customer's message from a template (the step of its action on the agenda by default), as
/// of a day; `subject`/`body` preview an unsaved version of the template.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviewRequest {
    pub customer: String,
    pub template: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub lang: Option<String>,
    pub subject: Option<String>,
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmailPreview {
    pub customer: String,
    pub name: String,
    pub template: String,
    pub lang: String,
    /// The agenda step this message carries out, when the customer has that action that day.
    pub step: Option<String>,
    /// The customer's address; none: it cannot be sent.
    pub to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub invoices: Vec<String>,
    /// What is left to pay on the listed invoices (paid, for a thank-you).
    pub total: String,
    /// The placeholders the template can use.
    pub placeholders: Vec<String>,
}

/// Send the agenda's email actions of these customers, validated by the user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendEmails {
    pub as_of: Option<NaiveDate>,
    pub customers: Vec<String>,
    pub user: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SentEmail {
    pub customer: String,
    pub to: String,
    pub subject: String,
    pub template: String,
    /// The action recorded in the customer's log.
    #[ts(type = "number")]
    pub action_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FailedEmail {
    pub customer: String,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendReport {
    pub as_of: NaiveDate,
    pub sent: Vec<SentEmail>,
    /// One customer's failure does not stop the others.
    pub failed: Vec<FailedEmail>,
}

/// After each customer of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SendProgress {
    pub done: u32,
    pub total: u32,
    pub customer: String,
    /// None: sent.
    pub error: Option<String>,
}

/// A customer whose chased invoices were paid recently and who was not thanked for them yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ThankYouCandidate {
    pub customer: String,
    pub name: String,
    pub email: Option<String>,
    pub invoices: Vec<String>,
    /// The paid invoices' amount.
    pub total: String,
    /// The last of their payments.
    pub paid_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DailyReport {
    pub as_of: NaiveDate,
    pub yesterday: NaiveDate,
    /// Credits posted yesterday outside the sales journals (payments received).
    pub collections: String,
    pub collections_count: u32,
    pub agenda_count: u32,
    /// Open amount of the agenda's invoices.
    pub agenda_amount: String,
    pub broken_promises: u32,
    pub new_disputes: u32,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Who it was sent to (empty when only computed).
    pub sent_to: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub date: Option<NaiveDate>,
    pub user: String,
    /// email, smtp, mail_settings, mail_template …
    pub entity: String,
    pub entity_id: String,
    /// sent, failed, test, update, reset …
    pub action: String,
    /// JSON, never a secret.
    pub before: Option<String>,
    pub after: Option<String>,
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn read_json<T: for<'de> Deserialize<'de> + Default>(value: Option<String>, key: &str) -> AppResult<T> {
    match value {
        None => Ok(T::default()),
        Some(v) => serde_json::from_str(&v).map_err(|e| AppError::Database(format!("setting {key}: {e}"))),
    }
}

fn lang_of(s: &str) -> AppResult<String> {
    match s.trim() {
        "" | "fr" => Ok("fr".into()),
        "en" => Ok("en".into()),
        other => Err(AppError::InvalidInput(format!(
            "language: '{other}' (expected fr or en)"
        ))),
    }
}

fn password_name(s: &SmtpSettings) -> String {
    format!("smtp:{}@{}", s.user.trim(), s.host.trim().to_ascii_lowercase())
}

/// A message composed for a customer.
struct Composed {
    customer: String,
    name: String,
    to: Option<String>,
    template: String,
    lang: String,
    step: Option<String>,
    invoices: Vec<String>,
    total: Decimal,
    rendered: templates::Rendered,
    placeholders: Vec<String>,
}

/// Everything about the sender the messages need.
struct Sender {
    company: String,
    smtp: SmtpSettings,
    mail: MailSettings,
    lang: String,
    iban: String,
    bic: String,
    account_holder: String,
    /// Who signs the letters (letter settings), when the mail settings name no contact.
    signatory: String,
}

impl Sender {
    fn context(&self, as_of: NaiveDate) -> Context {
        let contact_name = [
            &self.mail.contact_name,
            &self.signatory,
            &self.smtp.from_name,
            &self.company,
        ]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_default();
        let contact_email = if self.mail.contact_email.trim().is_empty() {
            self.smtp.from_address.clone()
        } else {
            self.mail.contact_email.clone()
        };
        let mut c = Context::default();
        c.set("company_name", self.company.clone())
            .set("contact_name", contact_name)
            .set("contact_email", contact_email)
            .set("contact_phone", self.mail.contact_phone.clone())
            .set("payment_link", self.mail.payment_link.clone())
            .set("iban", self.iban.clone())
            .set("bic", self.bic.clone())
            .set("account_holder", self.account_holder.clone())
            .set("date", date(as_of));
        c
    }

    fn outgoing(&self, to: &str, to_name: Option<&str>, r: &templates::Rendered) -> Outgoing {
        Outgoing {
            from_address: self.smtp.from_address.clone(),
            from_name: if self.smtp.from_name.trim().is_empty() {
                self.company.clone()
            } else {
                self.smtp.from_name.clone()
            },
            reply_to: Some(self.smtp.reply_to.clone()).filter(|r| !r.trim().is_empty()),
            to: to.to_string(),
            to_name: to_name.map(str::to_string),
            subject: r.subject.clone(),
            text: r.text.clone(),
            html: r.html.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Use cases

impl App {
    /// Replaces where secrets are kept (the OS credential store by default); tests give an in-memory store.
    pub fn with_secrets(mut self, secrets: Arc<dyn Secrets>) -> App {
        self.secrets = secrets;
        self
    }

    /// Appends to the audit trail (today, by `user`).
    pub(crate) fn audit(
        &self,
        user: &str,
        entity: &str,
        entity_id: &str,
        action: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> AppResult<()> {
        self.store().audit(&AuditEntry {
            id: 0,
            on_day: Some(self.today()),
            user: user.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            action: action.to_string(),
            before,
            after,
        })?;
        Ok(())
    }

    fn stored_smtp(&self) -> AppResult<SmtpSettings> {
        let mut s: SmtpSettings = read_json(self.store().setting(SMTP_KEY)?, SMTP_KEY)?;
        s.has_password = false;
        Ok(s)
    }

    /// The SMTP settings, and whether the credential store holds the password (false when it cannot be reached).
    pub fn smtp_settings(&self) -> AppResult<SmtpSettings> {
        let mut s = self.stored_smtp()?;
        if !s.user.trim().is_empty() && !s.host.trim().is_empty() {
            s.has_password = matches!(self.secrets.get(&password_name(&s)), Ok(Some(_)));
        }
        Ok(s)
    }

    /// Saves the SMTP settings; the password (if given) goes to the credential store only.
    pub fn save_smtp(&self, input: &SaveSmtp, user: &str) -> AppResult<SmtpSettings> {
        let mut s = input.settings.clone();
        s.host = s.host.trim().to_string();
        s.user = s.user.trim().to_string();
        s.from_address = s.from_address.trim().to_string();
        s.has_password = false;
        if s.host.is_empty() {
            return Err(AppError::InvalidInput("host: empty".into()));
        }
        if s.port == 0 {
            s.port = s.security.default_port();
        }
        smtp::check_address("from_address", &s.from_address)?;
        if !s.reply_to.trim().is_empty() {
            smtp::check_address("reply_to", &s.reply_to)?;
        }
        let before = self.stored_smtp()?;
        if let Some(p) = &input.password {
            if s.user.is_empty() {
                return Err(AppError::InvalidInput(
                    "password: give the user it belongs to".into(),
                ));
            }
            if p.is_empty() {
                self.secrets.delete(&password_name(&s))?;
            } else {
                self.secrets.set(&password_name(&s), p)?;
            }
        }
        self.store().set_setting(SMTP_KEY, &json(&s))?;
        let mut after = serde_json::to_value(&s).unwrap_or_default();
        after["password"] = serde_json::Value::from(match &input.password {
            None => "unchanged",
            Some(p) if p.is_empty() => "removed",
            Some(_) => "changed",
        });
        self.audit(
            user,
            "smtp",
            "",
            "update",
            Some(json(&before)),
            Some(after.to_string()),
        )?;
        self.smtp_settings()
    }

    pub fn mail_settings(&self) -> AppResult<MailSettings> {
        let mut m: MailSettings = read_json(self.store().setting(MAIL_KEY)?, MAIL_KEY)?;
        m.language = lang_of(&m.language)?;
        Ok(m)
    }

    pub fn save_mail_settings(&self, settings: &MailSettings, user: &str) -> AppResult<MailSettings> {
        let mut m = settings.clone();
        m.language = lang_of(&m.language)?;
        m.report_recipients = m
            .report_recipients
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        for r in &m.report_recipients {
            smtp::check_address("report_recipients", r)?;
        }
        if !m.contact_email.trim().is_empty() {
            smtp::check_address("contact_email", &m.contact_email)?;
        }
        m.report_time = match schedule::report_time(&m.report_time)? {
            Some(t) => t.format("%H:%M").to_string(),
            None => String::new(),
        };
        if !m.report_time.is_empty() && m.report_recipients.is_empty() {
            return Err(AppError::InvalidInput(
                "report_time: add the daily report's recipients first".into(),
            ));
        }
        let before = self.mail_settings()?;
        self.store().set_setting(MAIL_KEY, &json(&m))?;
        self.audit(
            user,
            "mail_settings",
            "",
            "update",
            Some(json(&before)),
            Some(json(&m)),
        )?;
        Ok(m)
    }

    fn template(&self, id: &str, lang: &str) -> AppResult<(Template, Option<SavedTemplate>)> {
        let saved = self.store().saved_template(id, lang)?;
        match (&saved, templates::default_template(id, lang)) {
            (Some(s), _) => Ok((
                Template {
                    subject: s.subject.clone(),
                    body: s.body.clone(),
                },
                saved,
            )),
            (None, Some(d)) => Ok((d, None)),
            (None, None) => Err(AppError::InvalidInput(format!(
                "no email template '{id}' in '{lang}': write it in the email settings"
            ))),
        }
    }

    /// Every template in both languages: the built-in ones and those the user wrote.
    pub fn email_templates(&self) -> AppResult<Vec<EmailTemplate>> {
        let mut out = Vec::new();
        for id in templates::TEMPLATE_IDS {
            for lang in templates::LANGUAGES {
                out.push(self.email_template(id, lang)?);
            }
        }
        Ok(out)
    }

    pub fn email_template(&self, id: &str, lang: &str) -> AppResult<EmailTemplate> {
        let lang = lang_of(lang)?;
        let (t, saved) = self.template(id.trim(), &lang)?;
        Ok(EmailTemplate {
            id: id.trim().to_string(),
            lang,
            subject: t.subject,
            body: t.body,
            edited: saved.is_some(),
            updated_on: saved.as_ref().map(|s| s.updated_on),
            user: saved.map(|s| s.user),
        })
    }

    /// Saves the user's version of a template, after rendering it on a sample case (a mistake is refused with its
    /// line).
    pub fn save_email_template(&self, input: &EmailTemplateInput, user: &str) -> AppResult<EmailTemplate> {
        let id = input.id.trim();
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(AppError::InvalidInput(format!(
                "template id: '{id}' (letters, digits, - and _)"
            )));
        }
        let lang = lang_of(&input.lang)?;
        let t = Template {
            subject: input.subject.clone(),
            body: input.body.clone(),
        };
        if t.subject.trim().is_empty() || t.body.trim().is_empty() {
            return Err(AppError::InvalidInput(
                "a template needs a subject and a body".into(),
            ));
        }
        templates::render(&t, &sample_context(id, &lang))
            .map_err(|e| AppError::InvalidInput(format!("template {id}: {e}")))?;
        let before = self.email_template(id, &lang).ok();
        self.store().save_template(&SavedTemplate {
            id: id.to_string(),
            lang: lang.clone(),
            subject: t.subject,
            body: t.body,
            updated_on: self.today(),
            user: user.to_string(),
        })?;
        let after = self.email_template(id, &lang)?;
        self.audit(
            user,
            "mail_template",
            &format!("{id}/{lang}"),
            "update",
            before.map(|b| json(&(b.subject, b.body))),
            Some(json(&(&after.subject, &after.body))),
        )?;
        Ok(after)
    }

    /// Brings the built-in version of a template back.
    pub fn reset_email_template(&self, id: &str, lang: &str, user: &str) -> AppResult<EmailTemplate> {
        let lang = lang_of(lang)?;
        let before = self.email_template(id, &lang)?;
        if self.store().delete_template(id.trim(), &lang)? {
            self.audit(
                user,
                "mail_template",
                &format!("{}/{lang}", id.trim()),
                "reset",
                Some(json(&(before.subject, before.body))),
                None,
            )?;
        }
        self.email_template(id, &lang)
    }

    fn sender(&self, lang: Option<&str>) -> AppResult<Sender> {
        let letters = self.letter_settings()?;
        let smtp = self.stored_smtp()?;
        let mail = self.mail_settings()?;
        let company = Self::company_currency(&self.store())?.0;
        let lang = match lang {
            Some(l) => lang_of(l)?,
            None => mail.language.clone(),
        };
        Ok(Sender {
            account_holder: letters
                .account_holder
                .clone()
                .filter(|h| !h.trim().is_empty())
                .unwrap_or_else(|| company.clone()),
            iban: letters.iban.unwrap_or_default(),
            bic: letters.bic.unwrap_or_default(),
            signatory: letters.signatory_name.unwrap_or_default(),
            company,
            smtp,
            mail,
            lang,
        })
    }

    /// A customer's open invoices as of a day, as the templates list them (only `numbers` when given).
    fn open_lines(
        &self,
        customer: &str,
        as_of: NaiveDate,
        numbers: Option<&[String]>,
        lang: &str,
    ) -> AppResult<(String, Option<String>, Vec<InvoiceLine>, Decimal)> {
        let store = self.store();
        let c = store
            .customers()?
            .into_iter()
            .find(|c| c.key == customer.trim())
            .ok_or_else(|| AppError::InvalidInput(format!("no customer with key {customer}")))?;
        let (aged, _) = self.aged(&store, as_of)?;
        let mut lines = Vec::new();
        let mut total = Decimal::ZERO;
        if let Some(a) = aged.customers.iter().find(|a| a.key == c.key) {
            for i in &a.position.open_items {
                if numbers.is_some_and(|n| !n.contains(&i.piece_ref)) {
                    continue;
                }
                total += i.residual;
                lines.push(InvoiceLine {
                    number: i.piece_ref.clone(),
                    invoice_date: date(i.invoice_date),
                    due_date: date(i.due_date),
                    amount: money(i.amount, lang),
                    residual: money(i.residual, lang),
                    days_late: (as_of - i.due_date).num_days(),
                });
            }
        }
        Ok((c.name, c.email.filter(|e| !e.trim().is_empty()), lines, total))
    }

    fn agenda_item(&self, customer: &str, as_of: NaiveDate) -> AppResult<Option<AgendaItem>> {
        Ok(self
            .agenda_view(Some(as_of))?
            .items
            .into_iter()
            .find(|i| i.action.customer == customer.trim()))
    }

    fn compose(
        &self,
        req: &PreviewRequest,
        sender: &Sender,
        item: Option<&AgendaItem>,
    ) -> AppResult<Composed> {
        let as_of = req.as_of.unwrap_or_else(|| self.today());
        let template_id = req
            .template
            .clone()
            .filter(|t| !t.trim().is_empty())
            .or_else(|| item.map(|i| i.template.clone()))
            .ok_or_else(|| {
                AppError::InvalidInput(format!(
                    "customer {} has no action on the agenda of {as_of}: choose a template",
                    req.customer
                ))
            })?;
        let lang = sender.lang.clone();
        let (name, to, lines, total, step) = if template_id == THANK_YOU {
            let candidate = self
                .thank_you_candidates(Some(as_of))?
                .into_iter()
                .find(|c| c.customer == req.customer.trim())
                .ok_or_else(|| {
                    AppError::InvalidInput(format!(
                        "customer {}: no chased invoice paid lately to thank for",
                        req.customer
                    ))
                })?;
            let lines = self.paid_lines(&candidate, as_of, &lang)?;
            let total = crate::workflow::parse_amount("total", &candidate.total)?;
            (candidate.name, candidate.email, lines, total, None)
        } else {
            let item = item.filter(|i| i.template == template_id);
            let (name, to, lines, total) = self.open_lines(
                &req.customer,
                as_of,
                item.map(|i| i.action.invoices.as_slice()),
                &lang,
            )?;
            (name, to, lines, total, item.map(|i| i.action.step.clone()))
        };
        let (mut t, _) = self.template(&template_id, &lang)?;
        if let Some(s) = &req.subject {
            t.subject = s.clone();
        }
        if let Some(b) = &req.body {
            t.body = b.clone();
        }
        let mut ctx = sender.context(as_of);
        ctx.set("customer_name", name.clone())
            .set("customer_id", req.customer.trim().to_string())
            .set("total", money(total, &lang))
            .set("invoice_count", lines.len())
            .set(
                "oldest_due_date",
                lines
                    .iter()
                    .max_by_key(|l| l.days_late)
                    .map(|l| l.due_date.clone())
                    .unwrap_or_default(),
            )
            .set("step", step.clone().unwrap_or_default())
            .set_list("invoices", &lines)
            .set_table("invoice_table", invoice_table(&lines, &lang));
        let rendered = templates::render(&t, &ctx)
            .map_err(|e| AppError::InvalidInput(format!("template {template_id}: {e}")))?;
        Ok(Composed {
            customer: req.customer.trim().to_string(),
            name,
            to,
            template: template_id,
            lang,
            step,
            invoices: lines.iter().map(|l| l.number.clone()).collect(),
            total,
            rendered,
            placeholders: ctx.keys(),
        })
    }

    /// The message a customer would get: subject, text and HTML.
    pub fn preview_email(&self, req: &PreviewRequest) -> AppResult<EmailPreview> {
        let as_of = req.as_of.unwrap_or_else(|| self.today());
        let item = self.agenda_item(&req.customer, as_of)?;
        let sender = self.sender(req.lang.as_deref())?;
        let c = self.compose(
            &PreviewRequest {
                as_of: Some(as_of),
                ..req.clone()
            },
            &sender,
            item.as_ref(),
        )?;
        Ok(EmailPreview {
            customer: c.customer,
            name: c.name,
            template: c.template,
            lang: c.lang,
            step: c.step,
            to: c.to,
            subject: c.rendered.subject,
            text: c.rendered.text,
            html: c.rendered.html,
            invoices: c.invoices,
            total: format_amount(c.total),
            placeholders: c.placeholders,
        })
    }

    /// A template as the user is writing it (not saved), rendered on a fictional customer whose name and invoice
    /// numbers hold characters HTML must escape, with the sender's real settings: what the editor shows.
    pub fn preview_template(&self, draft: &EmailTemplateInput) -> AppResult<EmailPreview> {
        let id = draft.id.trim();
        let sender = self.sender(Some(&draft.lang))?;
        let lang = sender.lang.clone();
        let as_of = self.today();
        let mut ctx = sender.context(as_of);
        let lines = sample_lines(as_of, &lang);
        let total: Decimal = Decimal::new(186_000, 2);
        let customer = SAMPLE_CUSTOMER;
        ctx.set("customer_name", customer)
            .set("customer_id", "C00042")
            .set("total", money(total, &lang))
            .set("invoice_count", lines.len())
            .set("oldest_due_date", lines[0].due_date.clone())
            .set(
                "step",
                if id == THANK_YOU || id == DAILY_REPORT {
                    ""
                } else {
                    id
                },
            )
            .set_list("invoices", &lines)
            .set_table("invoice_table", invoice_table(&lines, &lang));
        if id == DAILY_REPORT {
            let yesterday = as_of - Duration::days(1);
            ctx.set("yesterday", date(yesterday))
                .set("collections_total", money(Decimal::new(1_234_056, 2), &lang))
                .set("collections_count", 3)
                .set("agenda_count", 1)
                .set("agenda_amount", money(total, &lang))
                .set("broken_count", 0)
                .set("disputes_count", 0)
                .set_table(
                    "agenda_table",
                    Table {
                        headers: ["Client", "Nom", "Étape", "Canal", "Factures", "Montant"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                        right: vec![false, false, false, false, true, true],
                        rows: vec![vec![
                            "C00042".into(),
                            customer.into(),
                            "reminder_1".into(),
                            "email".into(),
                            "2".into(),
                            money(total, &lang),
                        ]],
                    },
                )
                .set_table("broken_table", Table::default())
                .set_table("disputes_table", Table::default());
        }
        let (mut t, _) = self.template(id, &lang).unwrap_or_else(|_| {
            (
                Template {
                    subject: String::new(),
                    body: String::new(),
                },
                None,
            )
        });
        t.subject = draft.subject.clone();
        t.body = draft.body.clone();
        let r =
            templates::render(&t, &ctx).map_err(|e| AppError::InvalidInput(format!("template {id}: {e}")))?;
        Ok(EmailPreview {
            customer: "C00042".into(),
            name: customer.into(),
            template: id.to_string(),
            lang,
            step: None,
            to: Some("compta@dupont-fils.example".into()),
            subject: r.subject,
            text: r.text,
            html: r.html,
            invoices: lines.iter().map(|l| l.number.clone()).collect(),
            total: format_amount(total),
            placeholders: ctx.keys(),
        })
    }

    fn mailer(&self, smtp: &SmtpSettings) -> AppResult<Mailer> {
        if smtp.host.trim().is_empty() || smtp.from_address.trim().is_empty() {
            return Err(AppError::InvalidInput(
                "no SMTP server: set it in the email settings (encaisse smtp set)".into(),
            ));
        }
        let password = if smtp.user.trim().is_empty() {
            None
        } else {
            self.secrets.get(&password_name(smtp))?
        };
        Mailer::new(
            &SmtpServer {
                host: smtp.host.clone(),
                port: smtp.port,
                security: smtp.security,
                user: smtp.user.clone(),
            },
            password.as_deref(),
        )
    }

    /// Sends a short message to check the settings; recorded in the audit trail.
    pub fn send_test_email(&self, to: &str, user: &str) -> AppResult<()> {
        smtp::check_address("to", to)?;
        let sender = self.sender(None)?;
        let mailer = self.mailer(&sender.smtp)?;
        let fr = sender.lang == "fr";
        let t = Template {
            subject: if fr { "Encaisse – message de test ({{ company_name }})" } else { "Encaisse – test message ({{ company_name }})" }.into(),
            body: if fr {
                "Bonjour,\n\nCe message confirme que l'envoi d'emails depuis Encaisse fonctionne (serveur {{ host }}).\n\n{{ contact_name }}\n{{ company_name }}\n"
            } else {
                "Hello,\n\nThis message confirms that Encaisse can send email (server {{ host }}).\n\n{{ contact_name }}\n{{ company_name }}\n"
            }
            .into(),
        };
        let mut ctx = sender.context(self.today());
        ctx.set("host", sender.smtp.host.clone());
        let r = templates::render(&t, &ctx).map_err(AppError::InvalidInput)?;
        let result = mailer.send(&sender.outgoing(to, None, &r));
        let after = json(
            &serde_json::json!({"recipient": to.trim(), "subject": r.subject, "error": result.as_ref().err().map(|e| e.to_string())}),
        );
        self.audit(
            user,
            "email",
            "",
            if result.is_ok() { "test" } else { "test_failed" },
            None,
            Some(after),
        )?;
        result
    }

    fn send_composed(
        &self,
        mailer: &Mailer,
        sender: &Sender,
        c: &Composed,
        as_of: NaiveDate,
        user: &str,
    ) -> AppResult<SentEmail> {
        let to = c
            .to
            .clone()
            .ok_or_else(|| AppError::InvalidInput(format!("customer {} has no email address", c.customer)))?;
        let entry = |error: Option<String>| {
            json(&serde_json::json!({
                "recipient": to, "subject": c.rendered.subject, "template": c.template, "step": c.step,
                "invoices": c.invoices, "error": error,
            }))
        };
        if let Err(e) = mailer.send(&sender.outgoing(&to, Some(&c.name), &c.rendered)) {
            self.audit(
                user,
                "email",
                &c.customer,
                "failed",
                None,
                Some(entry(Some(e.to_string()))),
            )?;
            return Err(e);
        }
        self.audit(user, "email", &c.customer, "sent", None, Some(entry(None)))?;
        let action = self.record_action(&ActionInput {
            customer: c.customer.clone(),
            kind: "email".into(),
            invoices: c.invoices.clone(),
            step: c.step.clone(),
            date: Some(as_of),
            user: user.to_string(),
            template: Some(c.template.clone()),
            recipient: Some(to.clone()),
            subject: Some(c.rendered.subject.clone()),
            body: c.rendered.text.clone(),
            ..ActionInput::default()
        })?;
        Ok(SentEmail {
            customer: c.customer.clone(),
            to,
            subject: c.rendered.subject.clone(),
            template: c.template.clone(),
            action_id: action.id,
        })
    }

    /// Sends the email actions of the day of the customers the user validated, each recorded in the customer's
    /// log (its step done) and in the audit trail. A customer that fails (no address, not an email step, refused
    /// by the server) is reported and the others go on. `progress` is called after each customer.
    pub fn send_emails(
        &self,
        req: &SendEmails,
        progress: &mut dyn FnMut(&SendProgress),
    ) -> AppResult<SendReport> {
        let as_of = req.as_of.unwrap_or_else(|| self.today());
        let sender = self.sender(None)?;
        let mailer = self.mailer(&sender.smtp)?;
        let agenda: HashMap<String, AgendaItem> = self
            .agenda_view(Some(as_of))?
            .items
            .into_iter()
            .map(|i| (i.action.customer.clone(), i))
            .collect();
        let mut report = SendReport {
            as_of,
            sent: Vec::new(),
            failed: Vec::new(),
        };
        let total = u32::try_from(req.customers.len()).unwrap_or(u32::MAX);
        for (n, customer) in req.customers.iter().enumerate() {
            let customer = customer.trim();
            let result = (|| {
                let item = agenda.get(customer).ok_or_else(|| {
                    AppError::InvalidInput(format!(
                        "customer {customer} has no action on the agenda of {as_of}"
                    ))
                })?;
                if !item.action.channel.split('+').any(|c| c == "email") {
                    return Err(AppError::InvalidInput(format!(
                        "customer {customer}: the step {} is a {}, not an email",
                        item.action.step, item.action.channel
                    )));
                }
                let c = self.compose(
                    &PreviewRequest {
                        customer: customer.to_string(),
                        as_of: Some(as_of),
                        ..PreviewRequest::default()
                    },
                    &sender,
                    Some(item),
                )?;
                self.send_composed(&mailer, &sender, &c, as_of, &req.user)
            })();
            let error = match result {
                Ok(sent) => {
                    report.sent.push(sent);
                    None
                }
                Err(e) => {
                    report.failed.push(FailedEmail {
                        customer: customer.to_string(),
                        error: e.to_string(),
                    });
                    Some(e.to_string())
                }
            };
            progress(&SendProgress {
                done: u32::try_from(n + 1).unwrap_or(u32::MAX),
                total,
                customer: customer.to_string(),
                error,
            });
        }
        Ok(report)
    }

    /// Customers whose chased invoices (a scenario step done, or under a promise) were paid in the last days
    /// (30 by default) up to `as_of`, and who were not thanked for them yet.
    pub fn thank_you_candidates(&self, as_of: Option<NaiveDate>) -> AppResult<Vec<ThankYouCandidate>> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let window = i64::from(
            self.mail_settings()?
                .thank_you_days
                .unwrap_or(DEFAULT_THANK_YOU_DAYS),
        );
        let since = as_of - Duration::days(window);
        let store = self.store();
        let mut chased: HashSet<i64> = HashSet::new();
        let mut thanked: HashSet<i64> = HashSet::new();
        for a in store.actions(Attached::All)? {
            if a.template_id.as_deref() == Some(THANK_YOU) {
                thanked.extend(&a.invoice_ids);
            } else if a.step_id.is_some() {
                chased.extend(&a.invoice_ids);
            }
        }
        for p in store.promises(Attached::All)? {
            chased.extend(&p.invoice_ids);
        }
        let wanted: HashMap<(String, String), i64> = store
            .invoices(None)?
            .into_iter()
            .filter(|i| chased.contains(&i.id) && !thanked.contains(&i.id))
            .map(|i| ((i.customer_key, i.piece_ref), i.id))
            .collect();
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let year = store.fiscal_years()?.into_iter().rfind(|y| *y <= as_of);
        let default_terms = Self::default_terms(&store)?;
        let mut out = Vec::new();
        for c in store.ledger(year)? {
            let terms = c.customer.terms.unwrap_or(default_terms);
            let mut invoices = Vec::new();
            let mut total = Decimal::ZERO;
            let mut last = None;
            for p in paid_invoices(&c.lines, terms, as_of) {
                let number = &c.lines[p.line].piece_ref;
                if p.paid_on > since
                    && wanted.contains_key(&(c.customer.key.clone(), number.clone()))
                    && !invoices.contains(number)
                {
                    invoices.push(number.clone());
                    total += p.amount;
                    last = last.max(Some(p.paid_on));
                }
            }
            if let Some(paid_on) = last {
                out.push(ThankYouCandidate {
                    customer: c.customer.key.clone(),
                    name: c.customer.name.clone(),
                    email: c.customer.email.clone().filter(|e| !e.trim().is_empty()),
                    invoices,
                    total: format_amount(total),
                    paid_on,
                });
            }
        }
        Ok(out)
    }

    fn paid_lines(&self, c: &ThankYouCandidate, as_of: NaiveDate, lang: &str) -> AppResult<Vec<InvoiceLine>> {
        let store = self.store();
        let year = store.fiscal_years()?.into_iter().rfind(|y| *y <= as_of);
        let default_terms = Self::default_terms(&store)?;
        let ledger = store.ledger(year)?;
        let Some(cl) = ledger.iter().find(|l| l.customer.key == c.customer) else {
            return Ok(Vec::new());
        };
        let terms = cl.customer.terms.unwrap_or(default_terms);
        let mut out: Vec<InvoiceLine> = Vec::new();
        for p in paid_invoices(&cl.lines, terms, as_of) {
            let number = &cl.lines[p.line].piece_ref;
            if c.invoices.contains(number) && !out.iter().any(|l| &l.number == number) {
                out.push(InvoiceLine {
                    number: number.clone(),
                    invoice_date: date(p.invoice_date),
                    due_date: date(p.due_date),
                    amount: money(p.amount, lang),
                    residual: money(Decimal::ZERO, lang),
                    days_late: p.days_late(),
                });
            }
        }
        Ok(out)
    }

    /// Thanks a customer for paying its chased invoices (those of [`App::thank_you_candidates`]).
    pub fn send_thank_you(
        &self,
        customer: &str,
        as_of: Option<NaiveDate>,
        user: &str,
    ) -> AppResult<SentEmail> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let sender = self.sender(None)?;
        let mailer = self.mailer(&sender.smtp)?;
        let c = self.compose(
            &PreviewRequest {
                customer: customer.to_string(),
                template: Some(THANK_YOU.into()),
                as_of: Some(as_of),
                ..PreviewRequest::default()
            },
            &sender,
            None,
        )?;
        self.send_composed(&mailer, &sender, &c, as_of, user)
    }

    /// The daily report as of a day: yesterday's collections, the day's agenda, promises broken yesterday,
    /// disputes opened yesterday.
    pub fn daily_report(&self, as_of: Option<NaiveDate>) -> AppResult<DailyReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let yesterday = as_of - Duration::days(1);
        let sender = self.sender(None)?;
        let lang = sender.lang.clone();
        let fr = lang == "fr";
        let agenda = self.agenda_view(Some(as_of))?;
        let promises = self.check_promises(Some(as_of), false)?;
        let disputes = self.disputes_board(Some(as_of))?;
        let (collections, collections_count) = {
            let store = self.store();
            let year = store.fiscal_years()?.into_iter().rfind(|y| *y <= yesterday);
            let ledger = store.ledger(year)?;
            let sales: HashSet<&str> = ledger
                .iter()
                .flat_map(|c| c.lines.iter())
                .filter(|l| l.is_debit())
                .map(|l| l.journal.as_str())
                .collect();
            let paid: Vec<Decimal> = ledger
                .iter()
                .flat_map(|c| c.lines.iter())
                .filter(|l| {
                    l.amount < Decimal::ZERO
                        && l.entry_date == yesterday
                        && !sales.contains(l.journal.as_str())
                })
                .map(|l| -l.amount)
                .collect();
            (paid.iter().sum::<Decimal>(), paid.len())
        };
        let amount = |s: &str| crate::workflow::parse_amount("amount", s).map(|d| money(d, &lang));
        let agenda_total: Decimal = agenda
            .items
            .iter()
            .map(|i| crate::workflow::parse_amount("amount", &i.open_amount))
            .sum::<AppResult<Decimal>>()?;
        let mut agenda_table = Table {
            headers: if fr {
                ["Client", "Nom", "Étape", "Canal", "Factures", "Montant"]
            } else {
                ["Customer", "Name", "Step", "Channel", "Invoices", "Amount"]
            }
            .iter()
            .map(|s| s.to_string())
            .collect(),
            right: vec![false, false, false, false, true, true],
            rows: Vec::new(),
        };
        for i in &agenda.items {
            agenda_table.rows.push(vec![
                i.action.customer.clone(),
                i.name.clone(),
                i.action.step.clone(),
                i.action.channel.clone(),
                i.action.invoices.len().to_string(),
                amount(&i.open_amount)?,
            ]);
        }
        let broken: Vec<_> = promises
            .promises
            .iter()
            .filter(|p| p.status == "broken" && p.deadline == yesterday)
            .collect();
        let mut broken_table = Table {
            headers: if fr {
                ["Client", "Promis pour le", "Montant", "Factures"]
            } else {
                ["Customer", "Promised for", "Amount", "Invoices"]
            }
            .iter()
            .map(|s| s.to_string())
            .collect(),
            right: vec![false, false, true, false],
            rows: Vec::new(),
        };
        for p in &broken {
            broken_table.rows.push(vec![
                p.customer.clone(),
                date(p.date),
                amount(&p.amount)?,
                p.invoices.join(", "),
            ]);
        }
        let new_disputes: Vec<_> = disputes
            .disputes
            .iter()
            .filter(|d| d.opened_on == yesterday)
            .collect();
        let mut disputes_table = Table {
            headers: if fr {
                ["Client", "Motif", "Service", "Montant", "Factures"]
            } else {
                ["Customer", "Kind", "Department", "Amount", "Invoices"]
            }
            .iter()
            .map(|s| s.to_string())
            .collect(),
            right: vec![false, false, false, true, false],
            rows: Vec::new(),
        };
        for d in &new_disputes {
            disputes_table.rows.push(vec![
                d.customer.clone(),
                d.kind.clone(),
                d.department.clone(),
                amount(&d.amount)?,
                d.invoices.join(", "),
            ]);
        }
        let mut ctx = sender.context(as_of);
        ctx.set("yesterday", date(yesterday))
            .set("collections_total", money(collections, &lang))
            .set("collections_count", collections_count)
            .set("agenda_count", agenda.items.len())
            .set("agenda_amount", money(agenda_total, &lang))
            .set("broken_count", broken.len())
            .set("disputes_count", new_disputes.len())
            .set_table("agenda_table", agenda_table)
            .set_table("broken_table", broken_table)
            .set_table("disputes_table", disputes_table);
        let (t, _) = self.template(DAILY_REPORT, &lang)?;
        let r = templates::render(&t, &ctx)
            .map_err(|e| AppError::InvalidInput(format!("template {DAILY_REPORT}: {e}")))?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(DailyReport {
            as_of,
            yesterday,
            collections: format_amount(collections),
            collections_count: count(collections_count),
            agenda_count: count(agenda.items.len()),
            agenda_amount: format_amount(agenda_total),
            broken_promises: count(broken.len()),
            new_disputes: count(new_disputes.len()),
            subject: r.subject,
            text: r.text,
            html: r.html,
            sent_to: Vec::new(),
        })
    }

    /// The daily report, emailed to the recipients of the mail settings (each recorded in the audit trail).
    pub fn send_daily_report(&self, as_of: Option<NaiveDate>, user: &str) -> AppResult<DailyReport> {
        let mut report = self.daily_report(as_of)?;
        let sender = self.sender(None)?;
        if sender.mail.report_recipients.is_empty() {
            return Err(AppError::InvalidInput(
                "no recipient for the daily report: add them in the email settings".into(),
            ));
        }
        let mailer = self.mailer(&sender.smtp)?;
        let r = templates::Rendered {
            subject: report.subject.clone(),
            text: report.text.clone(),
            html: report.html.clone(),
        };
        let mut errors = Vec::new();
        for to in &sender.mail.report_recipients {
            let result = mailer.send(&sender.outgoing(to, None, &r));
            let after = json(
                &serde_json::json!({"recipient": to, "subject": r.subject, "error": result.as_ref().err().map(|e| e.to_string())}),
            );
            self.audit(
                user,
                "daily_report",
                &report.as_of.to_string(),
                if result.is_ok() { "sent" } else { "failed" },
                None,
                Some(after),
            )?;
            match result {
                Ok(()) => report.sent_to.push(to.clone()),
                Err(e) => errors.push(format!("{to}: {e}")),
            }
        }
        if report.sent_to.is_empty() {
            return Err(AppError::Mail(errors.join("; ")));
        }
        Ok(report)
    }

    /// The audit trail between two days (inclusive), oldest first.
    pub fn audit_trail(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> AppResult<Vec<AuditEvent>> {
        Ok(self
            .store()
            .audit_log(from, to)?
            .into_iter()
            .map(|e| AuditEvent {
                id: e.id,
                date: e.on_day,
                user: e.user,
                entity: e.entity,
                entity_id: e.entity_id,
                action: e.action,
                before: e.before,
                after: e.after,
            })
            .collect())
    }
}

/// The fictional customer of the template editor's preview: its name needs HTML escaping.
pub const SAMPLE_CUSTOMER: &str = "Dupont & Fils <SARL>";

fn sample_lines(as_of: NaiveDate, lang: &str) -> Vec<InvoiceLine> {
    [("F2026-0012", 45, 120_000), ("F2026-0031 \"B\"", 20, 66_000)]
        .into_iter()
        .map(|(number, late, cents)| {
            let due = as_of - Duration::days(late);
            InvoiceLine {
                number: number.to_string(),
                invoice_date: date(due - Duration::days(30)),
                due_date: date(due),
                amount: money(Decimal::new(cents, 2), lang),
                residual: money(Decimal::new(cents, 2), lang),
                days_late: late,
            }
        })
        .collect()
}

/// A fictional case to check a template the user wrote renders.
fn sample_context(id: &str, lang: &str) -> Context {
    let d = |s: &str| s.parse::<NaiveDate>().expect("a valid date");
    let lines = vec![InvoiceLine {
        number: "F0001".into(),
        invoice_date: date(d("2026-01-01")),
        due_date: date(d("2026-01-31")),
        amount: money(Decimal::ONE_HUNDRED, lang),
        residual: money(Decimal::ONE_HUNDRED, lang),
        days_late: 10,
    }];
    let mut c = Context::default();
    for key in [
        "company_name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "payment_link",
        "iban",
        "bic",
        "account_holder",
        "date",
        "customer_name",
        "customer_id",
        "total",
        "oldest_due_date",
        "step",
        "host",
    ] {
        c.set(key, key);
    }
    c.set("invoice_count", 1)
        .set_list("invoices", &lines)
        .set_table("invoice_table", invoice_table(&lines, lang));
    if id == DAILY_REPORT {
        for key in ["yesterday", "collections_total", "agenda_amount"] {
            c.set(key, key);
        }
        for key in [
            "collections_count",
            "agenda_count",
            "broken_count",
            "disputes_count",
        ] {
            c.set(key, 1);
        }
        for key in ["agenda_table", "broken_table", "disputes_table"] {
            c.set_table(key, Table::default());
        }
    }
    c
}
