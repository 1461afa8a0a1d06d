//! What a customers or open-invoices file's analysis shows: the mapping, sample rows, problems, the changes, and
//! their text for the CLI.

use crate::imports::tabular::{by_name, count, Kind, Read, SAMPLE_ROWS};
use crate::imports::ImportChangesDto;
use encaisse_import::tabular::TableSource;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

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
    /// The same problems as data (absent from the JSON when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<crate::FileProblem>,
    /// Null when the file has errors.
    pub changes: Option<TabularChanges>,
}

pub(crate) fn preview_of(path: &Path, kind: Kind, read: &Read) -> TabularPreview {
    let t = read.table.as_ref();
    let (format, encoding, separator, sheet) = match t.map(|t| &t.source) {
        Some(TableSource::Csv { encoding, separator }) => (
            "csv".to_string(),
            Some(encoding.label().to_string()),
            Some(if *separator == '\t' {
                "tab".to_string()
            } else {
                separator.to_string()
            }),
            None,
        ),
        Some(TableSource::Workbook { format, sheet }) => (format.clone(), None, None, Some(sheet.clone())),
        None => (String::new(), None, None, None),
    };
    TabularPreview {
        file: path.display().to_string(),
        kind: kind.name().into(),
        format,
        encoding,
        separator,
        sheet,
        sheets: read.sheets.clone(),
        header_line: count(t.map_or(0, |t| t.header_line)),
        headers: t.map(|t| t.headers.clone()).unwrap_or_default(),
        mapping: read
            .choices
            .iter()
            .map(|c| ColumnMapping {
                field: c.field.into(),
                required: c.required,
                header: c.header.clone(),
                by: by_name(c.by).into(),
            })
            .collect(),
        rows: count(t.map_or(0, |t| t.rows.len())),
        sample: t
            .map(|t| {
                t.rows
                    .iter()
                    .take(SAMPLE_ROWS)
                    .map(|r| TabularRow {
                        line: count(r.line),
                        cells: r.cells.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        customers: 0,
        invoices: 0,
        open_amount: None,
        errors: read
            .errors
            .as_ref()
            .map(|e| e.0.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
        problems: read
            .errors
            .as_ref()
            .map(|e| e.0.iter().map(crate::FileProblem::from).collect())
            .unwrap_or_default(),
        changes: None,
    }
}

/// The CLI's table form of a preview or report.
pub fn preview_text(p: &TabularPreview, dry_run: bool) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{}", p.file);
    let detected = match (&p.encoding, &p.separator, &p.sheet) {
        (Some(e), Some(sep), _) => format!("CSV, {e}, separator {sep}"),
        (_, _, Some(sheet)) => format!("{}, sheet '{sheet}'", p.format),
        _ => p.format.clone(),
    };
    let _ = writeln!(
        s,
        "  detected: {detected}, header on line {}, {} rows",
        p.header_line, p.rows
    );
    for m in &p.mapping {
        let header = m.header.as_deref().unwrap_or("-");
        let _ = writeln!(
            s,
            "  {:<14} <- {header}{}",
            m.field,
            match m.by.as_str() {
                "none" | "detected" => String::new(),
                by => format!(" ({by})"),
            }
        );
    }
    if p.kind == "invoices" && p.errors.is_empty() {
        let _ = writeln!(
            s,
            "  invoices: {}, customers: {}, open: {}",
            p.invoices,
            p.customers,
            p.open_amount.as_deref().unwrap_or("-")
        );
    }
    for e in &p.errors {
        let _ = writeln!(s, "  error: {e}");
    }
    if let Some(c) = &p.changes {
        let verb = if dry_run { "would change" } else { "changed" };
        if c.replaced_demo {
            let _ = writeln!(
                s,
                "  the demo company {}",
                if dry_run {
                    "would be removed"
                } else {
                    "was removed"
                }
            );
        }
        match &c.ledger {
            None => {
                let _ = writeln!(
                    s,
                    "  {verb}: customers +{} updated {} unchanged {}",
                    c.customers_added,
                    c.customers_updated.len(),
                    c.customers_unchanged
                );
                for u in &c.customers_updated {
                    let _ = writeln!(s, "    {}: {}", u.key, u.fields.join(", "));
                }
            }
            Some(l) if l.unchanged => {
                let _ = writeln!(s, "  already imported: nothing {verb}");
            }
            Some(l) => {
                let _ = writeln!(
                    s,
                    "  {verb}: lines -{} +{}, customers +{}, invoices +{} kept {} missing {} back {}",
                    l.lines_removed,
                    l.lines_added,
                    l.customers_added,
                    l.invoices_added,
                    l.invoices_kept,
                    l.invoices_missing,
                    l.invoices_back
                );
            }
        }
    }
    s
}
