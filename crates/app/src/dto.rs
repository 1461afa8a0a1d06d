//! What crosses the boundary to the CLI and the UI. Amounts are strings with a dot and two decimals,
//! dates are YYYY-MM-DD. TypeScript types are generated from here (ui/src/lib/api/bindings).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The aged balance, exactly the `encaisse aging --format json` contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingReport {
    pub as_of: NaiveDate,
    pub currency: String,
    pub buckets: Vec<String>,
    pub customers: Vec<AgingRow>,
    pub totals: AgingTotals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingRow {
    pub id: String,
    pub name: String,
    pub balance: String,
    pub unapplied: String,
    pub buckets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingTotals {
    pub balance: String,
    pub unapplied: String,
    pub buckets: Vec<String>,
}

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
}

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

/// What the database holds: the app uses it to choose between the first-start screen and the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Status {
    pub has_data: bool,
    pub company: Option<String>,
    pub customers: u32,
    pub lines: u32,
    pub today: NaiveDate,
    pub database: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoOptions {
    pub seed: Option<u32>,
    pub customers: Option<u32>,
    /// Last day of the generated history; today when absent.
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DemoSummary {
    pub company: String,
    pub customers: u32,
    pub invoices: u32,
    pub lines: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}
