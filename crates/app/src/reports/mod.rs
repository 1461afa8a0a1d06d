//! The DAF's views, one module per report: the aged balance and its drill-down, the DSO, the dashboard, the
//! customers' behaviour and scores, the cash-in forecast, the D441-6 table, the exports. What they share lives here.

pub mod aging;
pub mod cash_week;
pub mod customer_file;
pub mod customers;
pub mod d441_6;
pub mod dashboard;
pub mod dso;
pub mod export_file;
pub mod exports;
pub mod forecast;
pub mod whatif;

use crate::book::Book;
use crate::collection::CollectionInputs;
use crate::{App, AppError, AppResult};
pub use aging::*;
pub use cash_week::*;
use chrono::NaiveDate;
pub use customers::*;
pub use d441_6::*;
pub use dashboard::*;
pub use dso::*;
use encaisse_analytics::behaviour::{behaviour, Behaviour};
use encaisse_analytics::scoring::{score, Score, ScoreInput};
use encaisse_analytics::{AgeBasis, AgedBalance, AgedCustomer, Buckets};
use encaisse_domain::{days_to_f64, format_amount};
use encaisse_store::Store;
pub use forecast::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// How to age: buckets (upper limits in days, e.g. [15, 30, 45, 60, 90, 120]), basis and grouping. Absent fields
/// give the default contract: [30, 60, 90], due date, by customer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingOptions {
    pub as_of: Option<NaiveDate>,
    pub buckets: Option<Vec<u32>>,
    /// "due_date" (default) or "invoice_date".
    pub basis: Option<String>,
    /// "customer" (default), "segment" (behaviour), "category" (user category), "customer_segment" (the
    /// customers file's segment), "collector" or "risk_class".
    pub group_by: Option<String>,
}

/// One customer's facts at a date.
pub(crate) struct Facts {
    pub(crate) behaviour: Behaviour,
    pub(crate) score: Score,
}

pub(crate) fn facts(
    book: &Book,
    aged: &AgedBalance,
    inputs: &CollectionInputs,
    as_of: NaiveDate,
) -> HashMap<String, Facts> {
    let paid = book.paid(as_of);
    let rows: HashMap<&str, &AgedCustomer> = aged.customers.iter().map(|c| (c.key.as_str(), c)).collect();
    let mut out = HashMap::new();
    for c in book.at(as_of) {
        let key = c.customer.key.as_str();
        let b = behaviour(paid.get(key).map_or(&[][..], Vec::as_slice), as_of);
        let row = rows.get(key);
        let (open, over_60, exposure) = row.map_or((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO), |r| {
            let open: Decimal = r.buckets.iter().sum();
            let over_60: Decimal = r
                .position
                .open_items
                .iter()
                .filter(|i| (as_of - i.due_date).num_days() > 60)
                .map(|i| i.residual)
                .sum();
            (open, over_60, r.balance)
        });
        let s = score(&ScoreInput {
            avg_days_late: b.year.avg_days_late,
            trend: b.trend,
            open,
            overdue_over_60: over_60,
            exposure,
            credit_limit: c.customer.credit_limit,
            broken_promises: inputs.broken_promises.get(key).copied().unwrap_or(0),
            open_disputes: inputs.open_disputes.get(key).copied().unwrap_or(0),
        });
        out.insert(
            key.to_string(),
            Facts {
                behaviour: b,
                score: s,
            },
        );
    }
    out
}

pub(crate) fn days(d: Option<Decimal>) -> Option<f64> {
    d.map(days_to_f64)
}

pub(crate) fn strings(v: &[Decimal]) -> Vec<String> {
    v.iter().copied().map(format_amount).collect()
}

pub(crate) fn i32_days(d: i64) -> i32 {
    i32::try_from(d).unwrap_or(if d < 0 { i32::MIN } else { i32::MAX })
}

pub(crate) fn basis_of(s: Option<&str>) -> AppResult<(AgeBasis, &'static str)> {
    match s.map(|s| s.trim().replace('-', "_")).as_deref() {
        None | Some("due_date") | Some("due") => Ok((AgeBasis::DueDate, "due_date")),
        Some("invoice_date") | Some("invoice") => Ok((AgeBasis::InvoiceDate, "invoice_date")),
        Some(other) => Err(AppError::InvalidInput(format!(
            "basis: '{other}' (expected due_date or invoice_date)"
        ))),
    }
}

pub(crate) const GROUPS: [&str; 6] = [
    "customer",
    "segment",
    "category",
    "customer_segment",
    "collector",
    "risk_class",
];

pub(crate) fn buckets_of(limits: Option<&[u32]>) -> AppResult<Buckets> {
    match limits {
        None => Ok(Buckets::default()),
        Some(l) => Buckets::new(l.iter().map(|&d| i64::from(d)).collect()).ok_or_else(|| {
            AppError::InvalidInput(format!(
                "buckets: {l:?} must be increasing day counts above 0 (e.g. 15,30,45,60,90,120)"
            ))
        }),
    }
}

/// Parses "15,30,45" as typed on a command line.
pub fn parse_buckets(s: &str) -> AppResult<Vec<u32>> {
    s.split(',')
        .map(|p| {
            p.trim().parse::<u32>().map_err(|_| {
                AppError::InvalidInput(format!("buckets: '{s}' is not a list of days like 15,30,45"))
            })
        })
        .collect()
}

pub(crate) fn one_decimal(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

impl App {
    pub(crate) fn book_at(
        &self,
        store: &Store,
        _earliest: NaiveDate,
    ) -> AppResult<std::sync::Arc<crate::book::Loaded>> {
        Self::company_currency(store)?;
        self.book(store)
    }
}
