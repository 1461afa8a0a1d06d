//! Sending: a test message, and the agenda's email actions validated by the user, with progress.

use crate::mail::compose::{Composed, PreviewRequest};
use crate::mail::smtp::Mailer;
use crate::mail::templates::Template;
use crate::mail::{json, smtp, templates, Sender};
use crate::workflow::{ActionInput, AgendaItem, SentDocument};
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

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

impl App {
    /// Sends a short message to check the settings; recorded in the audit trail.
    pub fn send_test_email(&self, to: &str, user: &str) -> AppResult<()> {
        smtp::check_address("to", to)?;
        let sender = self.sender(None)?;
        let mailer = self.mailer(&sender.smtp)?;
        let fr = sender.lang == "fr";
        let t = Template {
            subject: if fr { "Encaisse – message de test ({{ raison_sociale }})" } else { "Encaisse – test message ({{ raison_sociale }})" }.into(),
            body: if fr {
                "Bonjour,\n\nCe message confirme que l'envoi d'emails depuis Encaisse fonctionne (serveur {{ serveur }}).\n\n{% if nom_contact %}{{ nom_contact }}\n{% endif %}{{ raison_sociale }}\n"
            } else {
                "Hello,\n\nThis message confirms that Encaisse can send email (server {{ serveur }}).\n\n{% if nom_contact %}{{ nom_contact }}\n{% endif %}{{ raison_sociale }}\n"
            }
            .into(),
        };
        let mut ctx = sender.context(self.today());
        ctx.set("host", sender.smtp.host.clone());
        let r = templates::render(&t, &ctx).map_err(AppError::InvalidInput)?;
        let result = mailer.send(&sender.outgoing(to, None, &r)).map(|_| ());
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

    pub(crate) fn send_composed(
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
        let message = match mailer.send(&sender.outgoing(&to, Some(&c.name), &c.rendered)) {
            Ok(message) => message,
            Err(e) => {
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
        };
        self.audit(user, "email", &c.customer, "sent", None, Some(entry(None)))?;
        let action = self.record_sent(
            &ActionInput {
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
            },
            // The message kept as handed to the server.
            Some(SentDocument {
                media_type: "message/rfc822",
                bytes: &message,
                payment_reference: c.payment_reference.as_deref(),
            }),
        )?;
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
}
