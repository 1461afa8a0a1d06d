//! The thank-you to customers whose chased invoices were paid recently.

use crate::mail::compose::PreviewRequest;
use crate::mail::send::SentEmail;
use crate::mail::templates::{date, money, InvoiceLine, THANK_YOU};
use crate::mail::DEFAULT_THANK_YOU_DAYS;
use crate::{App, AppResult};
use chrono::{Duration, NaiveDate};
use encaisse_analytics::settlement::paid_invoices;
use encaisse_domain::format_amount;
use encaisse_store::workflow::Attached;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use ts_rs::TS;

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

impl App {
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
        let book = self.book(&store)?;
        let default_terms = book.terms;
        let mut out = Vec::new();
        for c in book.at(as_of) {
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

    pub(crate) fn paid_lines(
        &self,
        c: &ThankYouCandidate,
        as_of: NaiveDate,
        lang: &str,
    ) -> AppResult<Vec<InvoiceLine>> {
        let store = self.store();
        let book = self.book(&store)?;
        let default_terms = book.terms;
        let ledger = book.at(as_of);
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
}
