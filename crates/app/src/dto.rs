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
    /// A JSON number in the window (files and line counts stay far below 2^53).
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// How to read a customers or open-invoices file: the user's column choices and the workbook sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TabularOptions {
    /// Overrides of the detected mapping: `{field, header}`; an empty header leaves the field out.
    pub mapping: Vec<FieldHeader>,
    /// A workbook's sheet by name (the first sheet when absent).
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldHeader {
    pub field: String,
    pub header: String,
}

/// The column chosen for one target field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ColumnMapping {
    /// customers: key, name, siren, address, address2, postal_code, city, email, phone, terms, credit_limit,
    /// segment, collector; invoices: number, customer, customer_name, invoice_date, due_date, amount, paid,
    /// residual.
    pub field: String,
    pub required: bool,
    /// The header as written in the file; null when no column.
    pub header: Option<String>,
    /// "detected", "saved", "user" or "none".
    pub by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TabularRow {
    pub line: u32,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerFieldsChanged {
    pub key: String,
    pub fields: Vec<String>,
}

/// What importing a customers or open-invoices file changes (or would change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TabularChanges {
    /// The demo company is removed.
    pub replaced_demo: bool,
    pub customers_added: u32,
    /// Customers file: existing customers whose fields change, and which.
    pub customers_updated: Vec<CustomerFieldsChanged>,
    pub customers_unchanged: u32,
    /// Open-invoices file: the ledger changes (its previous file's lines are replaced).
    pub ledger: Option<ImportChangesDto>,
}

/// A customers or open-invoices file as read: what was detected, the mapping, the first rows, the problems and
/// what importing it would change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TabularPreview {
    pub file: String,
    /// "customers" or "invoices".
    pub kind: String,
    /// "csv", "xlsx", "xls", "xlsb" or "ods".
    pub format: String,
    /// CSV: "UTF-8", "UTF-8 (BOM)" or "Windows-1252".
    pub encoding: Option<String>,
    /// CSV: ";", ",", "tab" or "|".
    pub separator: Option<String>,
    /// Workbook: the sheet read.
    pub sheet: Option<String>,
    /// Workbook: every sheet's name in order, also when the one read was refused (to choose another); empty
    /// for CSV.
    pub sheets: Vec<String>,
    pub header_line: u32,
    pub headers: Vec<String>,
    /// Every field of the kind, in order, with its column or none (also when the mapping is refused).
    pub mapping: Vec<ColumnMapping>,
    /// Data rows (non-empty, after the header).
    pub rows: u32,
    /// The first rows, to check the mapping.
    pub sample: Vec<TabularRow>,
    /// Customers file: customers in the file; open-invoices file: distinct customers.
    pub customers: u32,
    /// Open-invoices file: invoices (and credit notes) in the file.
    pub invoices: u32,
    /// Open-invoices file: amount − paid over the file.
    pub open_amount: Option<String>,
    /// Every problem as `file:line: field: reason`; empty when the file can be imported.
    pub errors: Vec<String>,
    /// Null when the file has errors.
    pub changes: Option<TabularChanges>,
}

/// One e-invoice put into the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EInvoiceResult {
    pub file: String,
    /// "factur-x", "cii" or "ubl".
    pub format: String,
    pub number: String,
    /// "invoice" or "credit_note".
    pub kind: String,
    pub buyer: String,
    /// The customer's key in the ledger.
    pub customer: String,
    /// "matched" (found in the ledger) or "created".
    pub action: String,
    /// Found by its number alone: no customer had the buyer's SIREN or name.
    pub matched_by_number: bool,
    pub customer_created: bool,
    /// BT-9, when the e-invoice has one.
    pub due_date: Option<NaiveDate>,
    /// The ledger's due date changed.
    pub due_date_changed: bool,
    /// Amount due, negative for a credit note.
    pub amount: String,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EInvoiceReport {
    pub replaced_demo: bool,
    pub matched: u32,
    pub created: u32,
    /// Matched with nothing to change (e.g. imported before).
    pub unchanged: u32,
    pub files: Vec<EInvoiceResult>,
}
