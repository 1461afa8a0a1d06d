//! The customer file ("fiche client"): what the customers file says of one customer (identity,
//! contacts, terms, limit, notes), its analysis (balance, buckets, behaviour, explained score) and its paid
//! invoices with the month-by-month lateness for the payment-behaviour chart. Open invoices come from
//! `aging_invoices` (the drill-down), the workflow's records from `workflow_records`.

use crate::reports::{CustomerAnalysis, ScoreFactor};
use crate::{App, AppError, AppResult};
use chrono::{Datelike, Months, NaiveDate};
use encaisse_analytics::behaviour::lateness;
use encaisse_analytics::settlement::paid_invoices;
use encaisse_domain::{days_to_f64, format_amount};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerFile {
    pub as_of: NaiveDate,
    pub currency: String,
    pub id: String,
    pub name: String,
    pub siren: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// What a letter may claim from it: its category, else its segment's mapping (Settings → Lettres et taux), else
    /// professional.
    pub debtor_kind: encaisse_domain::DebtorKind,
    /// The customer's terms (net:30, days_eom:45, eom_plus:10, on_receipt), its own or the company's default.
    pub terms: String,
    /// True when the terms are the customer's own, false when they are the company's default.
    pub own_terms: bool,
    /// The customer's payment reference (ISO 11649 "RF…", in groups of four as the letters print it): its letters,
    /// QR codes and emails ask the transfer to quote it, and a payment quoting it is matched to this customer.
    pub payment_reference: String,
    /// The note of the customers file.
    pub notes: Option<String>,
    /// Notes written in the app, oldest first.
    pub note_entries: Vec<CustomerNote>,
    pub analysis: CustomerAnalysis,
    /// The score explained: each factor, its value, weight and the points it cost.
    pub factors: Vec<ScoreFactor>,
    /// Every invoice known paid by the date, latest payment first.
    pub paid: Vec<PaidInvoiceDto>,
    /// The last 12 calendar months (the date's month last): invoices paid in each and their lateness.
    pub months: Vec<BehaviourMonth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerNote {
    pub date: NaiveDate,
    pub author: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaidInvoiceDto {
    pub piece_ref: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The date of the last payment that settled it.
    pub paid_on: NaiveDate,
    pub amount: String,
    /// paid_on − due_date; negative when paid early.
    pub days_late: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BehaviourMonth {
    /// The month's first day.
    pub month: NaiveDate,
    pub invoices: u32,
    pub amount: String,
    /// Days late weighted by amount (early payments count 0); null when nothing was paid that month.
    pub avg_days_late: Option<f64>,
}

impl App {
    /// One customer's file as of a date (today when absent).
    pub fn customer_file(&self, key: &str, as_of: Option<NaiveDate>) -> AppResult<CustomerFile> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let key = key.trim();
        let (report, factors) = self.analyse_customers(Some(as_of), Some(key))?;
        let analysis = report
            .customers
            .into_iter()
            .find(|c| c.id == key)
            .ok_or_else(|| AppError::InvalidInput(format!("customer {key}: no such customer")))?;
        let store = self.store();
        let book = self.book(&store)?;
        let ledger = book
            .at(as_of)
            .iter()
            .find(|c| c.customer.key == key)
            .ok_or_else(|| AppError::InvalidInput(format!("customer {key}: no such customer")))?;
        let customer = &ledger.customer;

        // Paid invoices from every fiscal year up to the date (lettering restarts each year), as Book::paid.
        let mut paid = Vec::new();
        for (i, year_ledger) in book.ledgers.iter().enumerate() {
            if book.years.get(i).is_some_and(|y| *y > as_of) {
                continue;
            }
            let Some(c) = year_ledger.iter().find(|c| c.customer.key == key) else {
                continue;
            };
            for p in paid_invoices(&c.lines, book.terms_of(&c.customer), as_of) {
                paid.push((p, c.lines[p.line].piece_ref.clone()));
            }
        }
        paid.sort_by(|(a, ra), (b, rb)| {
            b.paid_on
                .cmp(&a.paid_on)
                .then_with(|| b.invoice_date.cmp(&a.invoice_date))
                .then_with(|| ra.cmp(rb))
        });

        let this_month = as_of.with_day(1).unwrap_or(as_of);
        let months = (0..12u32)
            .rev()
            .filter_map(|i| this_month.checked_sub_months(Months::new(i)))
            .map(|month| {
                // Paid in (the day before the month, the month's last day or the date].
                let before = month.pred_opt().unwrap_or(month);
                let end = month
                    .checked_add_months(Months::new(1))
                    .and_then(|m| m.pred_opt())
                    .unwrap_or(month)
                    .min(as_of);
                let s = lateness(paid.iter().map(|(p, _)| p), before, end);
                BehaviourMonth {
                    month,
                    invoices: s.invoices,
                    amount: format_amount(s.amount),
                    avg_days_late: s.avg_days_late.map(days_to_f64),
                }
            })
            .collect();

        let note_entries = store
            .notes(key)?
            .into_iter()
            .map(|n| CustomerNote {
                date: n.written_on,
                author: n.author,
                body: n.body,
            })
            .collect();

        Ok(CustomerFile {
            as_of,
            currency: report.currency,
            id: customer.key.clone(),
            name: customer.name.clone(),
            siren: customer.siren.clone(),
            address: customer.address.clone(),
            email: customer.email.clone(),
            phone: customer.phone.clone(),
            debtor_kind: crate::letters::debtor_kind_of(&store, key)?,
            terms: book.terms_of(customer).to_string(),
            own_terms: customer.terms.is_some(),
            payment_reference: encaisse_bank::rf::rf_printed(
                &crate::payment_reference::PaymentReferences::load(&store)?.of(&customer.key),
            ),
            notes: customer.notes.clone().filter(|n| !n.trim().is_empty()),
            note_entries,
            analysis,
            factors,
            paid: paid
                .into_iter()
                .map(|(p, piece_ref)| PaidInvoiceDto {
                    piece_ref,
                    invoice_date: p.invoice_date,
                    due_date: p.due_date,
                    paid_on: p.paid_on,
                    amount: format_amount(p.amount),
                    days_late: i32::try_from(p.days_late()).unwrap_or(i32::MAX),
                })
                .collect(),
            months,
        })
    }
}
