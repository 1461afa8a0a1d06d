//! The SMTP server and sender settings, what the messages say about the sender, and the templates the user edits.

use crate::mail::compose::sample_context;
use crate::mail::templates::Template;
use crate::mail::{json, lang_of, read_json, schedule, smtp, templates, Security, MAIL_KEY, SMTP_KEY};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_store::edits;
use encaisse_store::mail::SavedTemplate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// With security `none` and a user: the login and password may go unencrypted (refused otherwise).
    #[serde(default)]
    pub allow_insecure_login: bool,
    pub from_address: String,
    /// The company's name when empty.
    pub from_name: String,
    /// Where answers go, when not the sender.
    pub reply_to: String,
    /// Read only: the credential store holds a password for `user` at `host`.
    #[serde(default)]
    pub has_password: bool,
    /// How many times they were saved, as read (0: never): sent back with a change, so that a colleague's change
    /// saved meanwhile is not overwritten (team mode); absent: saved whatever it is. Not part of the stored JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
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
    /// Each collector's own report (their portfolio), sent at the same time to their address.
    #[serde(default)]
    pub collector_reports: Vec<CollectorReport>,
    /// How many times they were saved, as read (0: never): sent back with a change, so that a colleague's change
    /// saved meanwhile is not overwritten (team mode); absent: saved whatever it is. Not part of the stored JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
}

/// A collector's own daily report: their portfolio's, to their address.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectorReport {
    /// The collector's sign-in name, as in the portfolios.
    pub collector: String,
    pub address: String,
}

pub(crate) fn password_name(s: &SmtpSettings) -> String {
    format!("smtp:{}@{}", s.user.trim(), s.host.trim().to_ascii_lowercase())
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
    /// How many times it was saved or reset (0: never): sent back with a change (team mode).
    #[ts(type = "number")]
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmailTemplateInput {
    pub id: String,
    pub lang: String,
    pub subject: String,
    pub body: String,
    /// The version the screen read (`EmailTemplate::version`); absent: saved whatever it is (the CLI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
}

impl App {
    pub(crate) fn stored_smtp(&self) -> AppResult<SmtpSettings> {
        let mut s: SmtpSettings = read_json(self.store().setting(SMTP_KEY)?, SMTP_KEY)?;
        s.has_password = false;
        Ok(s)
    }

    /// The SMTP settings, and whether the credential store holds the password (false when it cannot be reached).
    pub fn smtp_settings(&self) -> AppResult<SmtpSettings> {
        let mut s = self.stored_smtp()?;
        // Nothing saved yet: the port the security mode uses, never 0.
        if s.port == 0 {
            s.port = s.security.default_port();
        }
        if !s.user.trim().is_empty() && !s.host.trim().is_empty() {
            s.has_password = matches!(self.secrets.get(&password_name(&s)), Ok(Some(_)));
        }
        s.version = Some(self.edit_version(edits::SMTP_SETTINGS)?);
        Ok(s)
    }

    /// Saves the SMTP settings; the password (if given) goes to the credential store only.
    pub fn save_smtp(&self, input: &SaveSmtp, user: &str) -> AppResult<SmtpSettings> {
        let mut s = input.settings.clone();
        let read = s.version.take();
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
        smtp::check_login_security(s.security, &s.user, s.allow_insecure_login)?;
        smtp::check_address("from_address", &s.from_address)?;
        if !s.reply_to.trim().is_empty() {
            smtp::check_address("reply_to", &s.reply_to)?;
        }
        let before = self.stored_smtp()?;
        // A colleague's change saved since: refused before the keyring is touched.
        self.store().check_edit(edits::SMTP_SETTINGS, read)?;
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
        self.edited(edits::SMTP_SETTINGS, read, |store| {
            store.set_setting(SMTP_KEY, &json(&s))
        })?;
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
        m.version = Some(self.edit_version(edits::MAIL_SETTINGS)?);
        Ok(m)
    }

    pub fn save_mail_settings(&self, settings: &MailSettings, user: &str) -> AppResult<MailSettings> {
        let mut m = settings.clone();
        let read = m.version.take();
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
        m.collector_reports = collector_reports(&m.collector_reports)?;
        m.report_time = match schedule::report_time(&m.report_time)? {
            Some(t) => t.format("%H:%M").to_string(),
            None => String::new(),
        };
        if !m.report_time.is_empty() && m.report_recipients.is_empty() && m.collector_reports.is_empty() {
            return Err(AppError::InvalidInput(
                "report_time: add the daily report's recipients first".into(),
            ));
        }
        let before = MailSettings {
            version: None,
            ..self.mail_settings()?
        };
        let (_, version) = self.edited(edits::MAIL_SETTINGS, read, |store| {
            store.set_setting(MAIL_KEY, &json(&m))
        })?;
        self.audit(
            user,
            "mail_settings",
            "",
            "update",
            Some(json(&before)),
            Some(json(&m)),
        )?;
        m.version = Some(version);
        Ok(m)
    }

    pub(crate) fn template(&self, id: &str, lang: &str) -> AppResult<(Template, Option<SavedTemplate>)> {
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
        let version = self.edit_version(&edits::template_subject(id.trim(), &lang))?;
        Ok(EmailTemplate {
            id: id.trim().to_string(),
            lang,
            subject: t.subject,
            body: t.body,
            edited: saved.is_some(),
            updated_on: saved.as_ref().map(|s| s.updated_on),
            user: saved.map(|s| s.user),
            version,
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
        let saved = SavedTemplate {
            id: id.to_string(),
            lang: lang.clone(),
            subject: t.subject,
            body: t.body,
            updated_on: self.today(),
            user: user.to_string(),
        };
        self.edited(&edits::template_subject(id, &lang), input.version, |store| {
            store.save_template(&saved)
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
    /// `version`: the one the screen read (a colleague's change saved since is not thrown away); `None`: reset
    /// whatever it is (the CLI).
    pub fn reset_email_template(
        &self,
        id: &str,
        lang: &str,
        version: Option<i64>,
        user: &str,
    ) -> AppResult<EmailTemplate> {
        let lang = lang_of(lang)?;
        let before = self.email_template(id, &lang)?;
        let subject = edits::template_subject(id.trim(), &lang);
        let (deleted, _) = self.edited(&subject, version, |store| store.delete_template(id.trim(), &lang))?;
        if deleted {
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
}

/// The collectors' reports as typed: trimmed, empty rows left out; each needs a sign-in name and an address, and a
/// collector is given once.
fn collector_reports(typed: &[CollectorReport]) -> AppResult<Vec<CollectorReport>> {
    let mut kept: Vec<CollectorReport> = Vec::new();
    for c in typed {
        let c = CollectorReport {
            collector: c.collector.trim().to_string(),
            address: c.address.trim().to_string(),
        };
        if c.collector.is_empty() && c.address.is_empty() {
            continue;
        }
        if c.collector.is_empty() || c.collector.chars().count() > 63 {
            return Err(AppError::InvalidInput(format!(
                "collector_reports: the collector of {} needs a sign-in name (1 to 63 characters)",
                c.address
            )));
        }
        smtp::check_address("collector_reports", &c.address)?;
        if kept.iter().any(|k| k.collector == c.collector) {
            return Err(AppError::InvalidInput(format!(
                "collector_reports: {} is given twice",
                c.collector
            )));
        }
        kept.push(c);
    }
    Ok(kept)
}
