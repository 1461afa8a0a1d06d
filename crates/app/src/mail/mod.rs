//! Email: SMTP settings (the password in the OS credential store only), templates the user can edit, a preview of
//! every message, sending the agenda's validated emails with progress, the thank-you when chased invoices are paid,
//! the daily report. What they share (the sender, the mailer) lives here.
//!
//! Nothing here returns or records the password: it goes from the caller to the credential store in
//! [`App::save_smtp`] and from the store to the SMTP connection when sending.

pub mod compose;
pub mod daily_report;
pub mod schedule;
pub mod secrets;
pub mod send;
pub mod settings;
pub mod smtp;
pub mod templates;
pub mod thank_you;
mod words;

pub use crate::audit::AuditEvent;
pub use compose::*;
pub use daily_report::*;
pub use secrets::{Keyring, NativeKeyring, Secrets};
pub use send::*;
pub use settings::*;
pub use smtp::{Security, SmtpServer};
pub use thank_you::*;

use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use smtp::{Mailer, Outgoing};
use templates::{date, Context};

pub(crate) const SMTP_KEY: &str = "smtp";

pub(crate) const MAIL_KEY: &str = "mail";

/// Chased invoices paid within this many days before the date get a thank-you, when the settings do not say.
pub const DEFAULT_THANK_YOU_DAYS: u32 = 30;

pub(crate) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

pub(crate) fn read_json<T: for<'de> Deserialize<'de> + Default>(
    value: Option<String>,
    key: &str,
) -> AppResult<T> {
    match value {
        None => Ok(T::default()),
        Some(v) => serde_json::from_str(&v).map_err(|e| AppError::Database(format!("setting {key}: {e}"))),
    }
}

pub(crate) fn lang_of(s: &str) -> AppResult<String> {
    match s.trim() {
        "" | "fr" => Ok("fr".into()),
        "en" => Ok("en".into()),
        other => Err(AppError::InvalidInput(format!(
            "language: '{other}' (expected fr or en)"
        ))),
    }
}

/// Everything about the sender the messages need.
pub(crate) struct Sender {
    pub(crate) company: String,
    pub(crate) smtp: SmtpSettings,
    pub(crate) mail: MailSettings,
    pub(crate) lang: String,
    pub(crate) iban: String,
    pub(crate) bic: String,
    pub(crate) account_holder: String,
    /// Who signs the letters (letter settings), when the mail settings name no contact.
    pub(crate) signatory: String,
    /// The acting user's display name ("Mon nom"), when neither names anyone.
    pub(crate) user_name: String,
}

impl Sender {
    fn context(&self, as_of: NaiveDate) -> Context {
        // A person's name above the company's: never the company's own name, which the signature's next line
        // already gives (empty when nobody is known, and the template leaves the line out).
        let contact_name = [
            &self.mail.contact_name,
            &self.signatory,
            &self.user_name,
            &self.smtp.from_name,
        ]
        .into_iter()
        .map(|s| s.trim())
        .find(|s| !s.is_empty() && *s != self.company.trim())
        .unwrap_or_default()
        .to_string();
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

impl App {
    pub(crate) fn sender(&self, lang: Option<&str>) -> AppResult<Sender> {
        let letters = self.letter_settings()?;
        // Emails print the bank details too: a stored value that fails its check is refused, never sent.
        let (iban, bic) = crate::letters::checked_bank_details(&letters, true)?;
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
            iban: iban.unwrap_or_default(),
            bic: bic.unwrap_or_default(),
            signatory: letters.signatory_name.unwrap_or_default(),
            user_name: self.user_name()?,
            company,
            smtp,
            mail,
            lang,
        })
    }

    pub(crate) fn mailer(&self, smtp: &SmtpSettings) -> AppResult<Mailer> {
        if smtp.host.trim().is_empty() || smtp.from_address.trim().is_empty() {
            return Err(AppError::InvalidInput(
                "no SMTP server: set it in the email settings".into(),
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
                allow_insecure_login: smtp.allow_insecure_login,
            },
            password.as_deref(),
        )
    }
}
