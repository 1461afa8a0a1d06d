//! The dashboard: receivables, overdue share, DSO, buckets and the customers most late.

use crate::count_usize;
use crate::reports::dso::{dso_report, DsoReport, DEFAULT_DSO_PERIOD_DAYS};
use crate::reports::one_decimal;
use crate::{App, AppResult};
use chrono::NaiveDate;
use encaisse_analytics::{AgeBasis, Buckets};
use encaisse_domain::{days_to_f64, format_amount};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub(crate) const DEFAULT_TOP_LATE: usize = 20;

/// The first screen: the figures a finance director reads first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub as_of: NaiveDate,
    pub company: String,
    pub currency: String,
    /// Total receivables (open invoices + unapplied credits).
    pub receivables: String,
    /// Past due (every bucket but not_due).
    pub overdue: String,
    /// Overdue / open invoices, in percent with one decimal; null when nothing is open.
    pub overdue_share: Option<f64>,
    pub unapplied: String,
    pub customers_with_balance: u32,
    pub dso: DsoReport,
    pub buckets: Vec<BucketTotal>,
    /// Customers with the most overdue money, most first.
    pub top_late: Vec<LateCustomer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BucketTotal {
    /// not_due, 1-30, 31-60, 61-90, 91+
    pub label: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LateCustomer {
    pub id: String,
    pub name: String,
    pub balance: String,
    pub overdue: String,
    pub buckets: Vec<String>,
    /// Days late of the oldest open invoice.
    pub max_days_late: i32,
}

impl App {
    pub fn dashboard(&self, as_of: Option<NaiveDate>) -> AppResult<Dashboard> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let store = self.store();
        let (company, currency) = Self::company_currency(&store)?;
        let book = self.ageing(&store)?;
        let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of);
        // The DSO reads the FEC alone (statutory), whatever the view.
        let ledger = self.ledger_ageing(&store)?;
        let receivables = ledger
            .aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of)
            .balance;
        let dso = dso_report(
            ledger.dso(receivables, as_of, DEFAULT_DSO_PERIOD_DAYS),
            as_of,
            DEFAULT_DSO_PERIOD_DAYS,
        );
        let open: Decimal = aged.buckets.iter().sum();
        let overdue = aged.overdue();
        let overdue_share =
            (open > Decimal::ZERO).then(|| days_to_f64(one_decimal(overdue / open * Decimal::ONE_HUNDRED)));
        let mut late: Vec<_> = aged
            .customers
            .iter()
            .filter(|c| c.overdue() > Decimal::ZERO)
            .collect();
        late.sort_by(|a, b| {
            b.overdue()
                .cmp(&a.overdue())
                .then_with(|| a.customer.key.cmp(&b.customer.key))
        });
        let top_late = late
            .into_iter()
            .take(DEFAULT_TOP_LATE)
            .map(|c| LateCustomer {
                id: c.customer.key.clone(),
                name: c.customer.name.clone(),
                balance: format_amount(c.balance),
                overdue: format_amount(c.overdue()),
                buckets: c.buckets.iter().copied().map(format_amount).collect(),
                max_days_late: c.max_days_late.clamp(0, i64::from(i32::MAX)) as i32,
            })
            .collect();
        Ok(Dashboard {
            as_of,
            company,
            currency,
            receivables: format_amount(aged.balance),
            overdue: format_amount(overdue),
            overdue_share,
            unapplied: format_amount(aged.unapplied),
            customers_with_balance: count_usize(aged.customers.len()),
            dso,
            buckets: aged
                .labels
                .iter()
                .zip(&aged.buckets)
                .map(|(label, amount)| BucketTotal {
                    label: label.clone(),
                    amount: format_amount(*amount),
                })
                .collect(),
            top_late,
        })
    }
}
