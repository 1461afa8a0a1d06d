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

/// What an FEC holds, as detected, and what importing it changes (or would change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    pub file: String,
    /// "fec"
    pub format: String,
    /// "UTF-8", "UTF-8 (BOM)", "ISO 8859-15", "Windows-1252"
    pub encoding: String,
    /// "tab" or "|"
    pub separator: String,
    pub columns: u32,
    /// "debit_credit" or "montant_sens"
    pub amounts: String,
    /// "LF", "CRLF", "CR CR LF", "CR"
    pub line_ending: String,
    /// Records after the header.
    pub records: u32,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The company's SIREN from the file name.
    pub siren: Option<String>,
    pub customers: u32,
    pub customer_lines: u32,
    /// Receivables of the file alone at the end of its period.
    pub open_amount: String,
    pub warnings: Vec<ImportWarning>,
    pub changes: ImportChangesDto,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportWarning {
    pub message: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportChangesDto {
    /// The same file was already imported: nothing changes.
    pub unchanged: bool,
    /// The demo company is removed.
    pub replaced_demo: bool,
    pub lines_removed: u32,
    pub lines_added: u32,
    pub customers_added: u32,
    pub invoices_added: u32,
    pub invoices_kept: u32,
    /// Invoices no longer in the file: marked, never deleted with their history.
    pub invoices_missing: u32,
    pub invoices_back: u32,
}

/// Progress of a long import: stage "read" (done/total in bytes), "write" then "done" (in lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub stage: String,
    pub done: u64,
    pub total: u64,
}
