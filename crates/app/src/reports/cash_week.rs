//! The dashboard's "Encaissé cette semaine": what came in since Monday on the invoices open at the week's start (the
//! bank's provisional receipts and the FEC's payments, counted as the forecast's actuals count them) against what
//! the forecast made that Monday expected for the week; the bank receipts booked this week; and the alerts: 210
//! Refusée / 213 Rejetée statuses still standing, bank receipts no invoice was found for.

use crate::einvoice_status::StatusAlertDto;
use crate::reports::forecast::forecast_from;
use crate::{App, AppResult};
use chrono::{Days, NaiveDate};
use encaisse_analytics::forecast::{monday_of, paid_by_week};
use encaisse_analytics::settlement::payments;
use encaisse_analytics::{AgeBasis, Buckets};
use encaisse_domain::format_amount;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// This week's cash in against the forecast, and what needs a look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CashWeek {
    pub as_of: NaiveDate,
    /// The week's Monday and Sunday.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Paid from Monday to `as_of` on the invoices open at the week's start (bank receipts matched to them and
    /// payments of the FEC), each invoice at most its open amount.
    pub received: String,
    /// What the forecast made on Monday from the invoices then open expected this week.
    pub expected: String,
    /// Bank credits booked from Monday to `as_of` and put on invoices or on a customer's account: their sum and
    /// count (in the company's currency).
    pub bank_received: String,
    pub bank_receipts: u32,
    /// Bank credits no invoice was found for, and those waiting for a user's confirmation (every date).
    pub unmatched: u32,
    pub suggested: u32,
    /// 210 Refusée / 213 Rejetée statuses that are their invoice's latest.
    pub status_alerts: Vec<StatusAlertDto>,
}

impl App {
    /// The week of `as_of` (today by default): cash in so far against the forecast, and the alerts.
    pub fn cash_week(&self, as_of: Option<NaiveDate>) -> AppResult<CashWeek> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let status_alerts = self.einvoice_alerts(None)?;
        let monday = monday_of(as_of);
        let sunday = monday - Days::new(1);
        let store = self.store();
        let book = self.book_at(&store, sunday)?;
        let inputs = self.collection_inputs(&store, monday)?;
        // The invoices open when the week began, placed by the forecast as it stood on Monday.
        let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, sunday);
        let forecast = forecast_from(&aged, &book.paid(sunday), &inputs.forecast, 1, monday);
        let expected = forecast.weeks.first().map_or(Decimal::ZERO, |w| w.expected);
        // What came on them: payments dated after Sunday (slot 1 of the weeks from the previous Monday), read
        // from the ledger the open items come from (their line numbers are its own).
        let ledger = book.at(sunday);
        let index: HashMap<&str, usize> = ledger
            .iter()
            .enumerate()
            .map(|(i, c)| (c.customer.key.as_str(), i))
            .collect();
        let mut weeks = [Decimal::ZERO; 2];
        for row in &aged.customers {
            let Some(&i) = index.get(row.key.as_str()) else {
                continue;
            };
            let c = &ledger[i];
            let mut pays = payments(&c.lines, book.terms_of(&c.customer), as_of);
            pays.sort_by_key(|p| (p.line, p.date));
            paid_by_week(&row.position.open_items, &pays, sunday, &mut weeks);
        }
        let (mut bank_received, mut bank_receipts, mut unmatched, mut suggested) =
            (Decimal::ZERO, 0u32, 0u32, 0u32);
        for e in store.bank_entries(None)? {
            if e.amount <= Decimal::ZERO {
                continue;
            }
            match e.matched.as_ref().map(|m| m.status.as_str()) {
                Some("matched" | "on_account") if e.booking_date >= monday && e.booking_date <= as_of => {
                    bank_received += e.amount;
                    bank_receipts += 1;
                }
                Some("suggested") => suggested += 1,
                Some("unmatched") | None => unmatched += 1,
                _ => {}
            }
        }
        Ok(CashWeek {
            as_of,
            start: monday,
            end: monday + Days::new(6),
            received: format_amount(weeks[1]),
            expected: format_amount(expected),
            bank_received: format_amount(bank_received),
            bank_receipts,
            unmatched,
            suggested,
            status_alerts,
        })
    }
}
