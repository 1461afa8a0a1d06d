//! Days sales outstanding: the DSO at a date and the DSO set (best possible DSO, weighted days late, month ends).

use crate::book::{Loaded, PaidIndex};
use crate::reports::days;
use crate::{App, AppError, AppResult};
use chrono::{Months, NaiveDate};
use encaisse_analytics::behaviour::lateness;
use encaisse_analytics::dso_set::{best_possible_dso, month_ends};
use encaisse_analytics::{AgeBasis, Buckets, Dso};
use encaisse_domain::{days_to_f64, format_amount};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const DEFAULT_DSO_PERIOD_DAYS: u32 = 90;

/// DSO, exactly the `encaisse dso --format json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DsoReport {
    pub as_of: NaiveDate,
    pub period_days: u32,
    pub receivables: String,
    pub sales: String,
    /// Days, one decimal; null when there were no sales in the period.
    pub dso_average: Option<f64>,
    pub dso_countback: Option<f64>,
    /// Always true: the DSO reads the FEC alone, never the bank's provisional receipts (a statutory figure).
    pub ledger_only: bool,
}

/// DSO, the basic contract's figures plus best possible DSO, weighted days late and the 12 month ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DsoSetReport {
    pub as_of: NaiveDate,
    pub period_days: u32,
    pub receivables: String,
    pub sales: String,
    pub dso_average: Option<f64>,
    pub dso_countback: Option<f64>,
    /// Always true: the DSO reads the FEC alone, never the bank's provisional receipts (a statutory figure).
    pub ledger_only: bool,
    /// Not-yet-due receivables / sales × period: the DSO if everybody paid on time.
    pub dso_best: Option<f64>,
    /// Days late weighted by amount of the invoices paid in the last 12 months (early payments count 0).
    pub avg_days_late: Option<f64>,
    pub paid_invoices: u32,
    /// DSO at each of the last 12 month ends, oldest first.
    pub trend: Vec<DsoPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DsoPoint {
    pub date: NaiveDate,
    pub receivables: String,
    pub dso_average: Option<f64>,
    pub dso_countback: Option<f64>,
}

pub(crate) fn check_period(period_days: Option<u32>) -> AppResult<u32> {
    let p = period_days.unwrap_or(DEFAULT_DSO_PERIOD_DAYS);
    if !(1..=3660).contains(&p) {
        return Err(AppError::InvalidInput(format!(
            "period days: {p} is out of range (1 to 3660)"
        )));
    }
    Ok(p)
}

/// The DSO: sales of every year (the book's sales index), receivables at the date.
pub(crate) fn dso_report(d: Dso, as_of: NaiveDate, period: u32) -> DsoReport {
    DsoReport {
        as_of,
        period_days: period,
        receivables: format_amount(d.receivables),
        sales: format_amount(d.sales),
        dso_average: d.average.map(days_to_f64),
        dso_countback: d.countback.map(days_to_f64),
        ledger_only: true,
    }
}

impl App {
    /// DSO as of a date over a period (default 90 days).
    pub fn dso(&self, as_of: Option<NaiveDate>, period_days: Option<u32>) -> AppResult<DsoReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let period = check_period(period_days)?;
        let store = self.store();
        Self::company_currency(&store)?;
        let book = self.ledger_ageing(&store)?; // statutory: the FEC alone, never the bank's provisional receipts
        let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of);
        Ok(dso_report(book.dso(aged.balance, as_of, period), as_of, period))
    }

    /// The DSO set: the basic figures, best possible DSO, weighted days late and the 12 month ends.
    pub fn dso_set(&self, as_of: Option<NaiveDate>, period_days: Option<u32>) -> AppResult<DsoSetReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let period = check_period(period_days)?;
        let ends = month_ends(as_of, 12);
        let store = self.store();
        let book = self.book_at(&store, ends.first().copied().unwrap_or(as_of))?;
        Ok(dso_set_of(&book, as_of, period, true))
    }
}

/// The DSO set over the book: with `compact`, the receivables from the compact forms' running balances and the
/// days late from the paid invoices in minor units (the same figures: tested on the demo), else from the aged
/// balances and the paid invoices by customer.
pub(crate) fn dso_set_of(book: &Loaded, as_of: NaiveDate, period: u32, compact: bool) -> DsoSetReport {
    let ends = month_ends(as_of, 12);
    let year_before = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let paid_index = book.paid_index().filter(|_| compact);
    let receivables = |date: NaiveDate| match paid_index {
        Some(_) => book.receivables(date),
        None => {
            book.aged_totals(&Buckets::default(), AgeBasis::DueDate, date)
                .balance
        }
    };
    let now = book.dso(receivables(as_of), as_of, period);
    let (not_yet_due, invoices, avg_days_late) = match paid_index {
        Some(paid) => {
            let year = paid.lateness(None, &PaidIndex::counts(book, as_of), year_before, as_of);
            (book.not_yet_due(as_of), year.invoices, year.avg_days_late())
        }
        None => {
            let aged = book.aged_totals(&Buckets::default(), AgeBasis::DueDate, as_of);
            let paid = book.paid(as_of);
            let year = lateness(paid.values().flatten(), year_before, as_of);
            (aged.buckets[0], year.invoices, year.avg_days_late)
        }
    };
    let trend = ends
        .iter()
        .map(|&date| {
            let d = book.dso(receivables(date), date, period);
            DsoPoint {
                date,
                receivables: format_amount(d.receivables),
                dso_average: days(d.average),
                dso_countback: days(d.countback),
            }
        })
        .collect();
    DsoSetReport {
        as_of,
        period_days: period,
        receivables: format_amount(now.receivables),
        sales: format_amount(now.sales),
        dso_average: days(now.average),
        dso_countback: days(now.countback),
        ledger_only: true,
        dso_best: days(best_possible_dso(not_yet_due, now.sales, period)),
        avg_days_late: days(avg_days_late),
        paid_invoices: invoices,
        trend,
    }
}
