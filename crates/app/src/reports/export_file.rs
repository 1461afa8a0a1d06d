//! Exports a report to a file the user chose (the desktop's "Exporter CSV" / "Exporter Excel" buttons): the
//! report is computed again from the request, turned into its French sheet (exports.rs) and written.

use crate::reports::AgingOptions;
use crate::{exports, App, AppError, AppResult};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::str::FromStr;
use ts_rs::TS;

/// Which report, with the options it was shown with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "report", rename_all = "snake_case")]
#[ts(export)]
pub enum ExportReport {
    /// The aged balance by customer (any buckets or basis).
    Aging {
        options: AgingOptions,
    },
    /// The aged balance by group.
    AgingGrouped {
        options: AgingOptions,
    },
    /// The open invoices, all or one customer's.
    AgingInvoices {
        options: AgingOptions,
        customer: Option<String>,
    },
    Customers {
        as_of: Option<NaiveDate>,
    },
    Forecast {
        as_of: Option<NaiveDate>,
        weeks: Option<u32>,
    },
    ForecastAccuracy {
        as_of: Option<NaiveDate>,
    },
    /// The D441-6 table; `turnover` (excl. VAT, "1234567.89") overrides the recorded one for this export.
    #[serde(rename = "d441_6")]
    D4416 {
        year_end: NaiveDate,
        turnover: Option<String>,
    },
    /// The penalty statement (invoices paid late), all customers or one, payments in from..=to.
    Penalties {
        query: crate::penalties::PenaltiesQuery,
    },
}

/// "csv" (French Excel: `;`, decimal comma, UTF-8 with BOM), "xlsx" or "pdf" (a printable table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    /// A printable table (A4 landscape).
    Pdf,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportDone {
    pub path: String,
    pub bytes: u32,
    /// Data rows in the sheet (headers and title apart).
    pub rows: u32,
}

/// An amount typed by the user ("1234567.89"; a comma is taken as the decimal separator).
pub fn parse_user_amount(field: &str, value: &str) -> AppResult<Decimal> {
    let cleaned: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    Decimal::from_str(&cleaned)
        .map_err(|_| AppError::InvalidInput(format!("{field}: '{value}' is not an amount (e.g. 1234567.89)")))
}

impl App {
    /// The report's French sheet.
    pub fn export_sheet(&self, report: &ExportReport) -> AppResult<exports::Sheet> {
        Ok(match report {
            ExportReport::Aging { options } => exports::aging_sheet(&self.aging_with(options)?),
            ExportReport::AgingGrouped { options } => {
                exports::grouped_aging_sheet(&self.aging_grouped(options)?)
            }
            ExportReport::AgingInvoices { options, customer } => {
                exports::invoices_sheet(&self.aging_invoices(options, customer.as_deref())?)
            }
            ExportReport::Customers { as_of } => exports::customers_sheet(&self.customers_report(*as_of)?),
            ExportReport::Forecast { as_of, weeks } => {
                exports::forecast_sheet(&self.forecast(*as_of, *weeks)?)
            }
            ExportReport::ForecastAccuracy { as_of } => {
                exports::accuracy_sheet(&self.forecast_accuracy(*as_of, None, None)?)
            }
            ExportReport::D4416 { year_end, turnover } => {
                let turnover = turnover
                    .as_deref()
                    .map(|t| parse_user_amount("turnover", t))
                    .transpose()?;
                exports::d441_6_sheet(&self.d441_6(*year_end, turnover)?)
            }
            ExportReport::Penalties { query } => exports::penalties_sheet(&self.penalties(query)?),
        })
    }

    /// The sheet in a file format: CSV, XLSX or a printable PDF (with the company's name).
    pub fn sheet_bytes(&self, sheet: &exports::Sheet, format: ExportFormat) -> AppResult<Vec<u8>> {
        match format {
            ExportFormat::Csv => exports::to_csv(sheet),
            ExportFormat::Xlsx => exports::to_xlsx(sheet),
            ExportFormat::Pdf => {
                let (company, _) = Self::company_currency(&self.store())?;
                exports::to_pdf(sheet, &company)
            }
        }
    }

    /// Writes the report to `path` as CSV, XLSX or PDF.
    pub fn export_report(
        &self,
        report: &ExportReport,
        format: ExportFormat,
        path: &Path,
    ) -> AppResult<ExportDone> {
        let sheet = self.export_sheet(report)?;
        let bytes = self.sheet_bytes(&sheet, format)?;
        std::fs::write(path, &bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))?;
        Ok(ExportDone {
            path: path.display().to_string(),
            bytes: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            rows: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_amounts_take_a_comma_and_spaces() {
        assert_eq!(
            parse_user_amount("t", "1 234 567,89").unwrap(),
            Decimal::from_str("1234567.89").unwrap()
        );
        assert_eq!(
            parse_user_amount("t", "12\u{202f}000.5").unwrap(),
            Decimal::from_str("12000.5").unwrap()
        );
        assert!(matches!(
            parse_user_amount("t", "12x"),
            Err(AppError::InvalidInput(_))
        ));
    }

    #[test]
    fn the_request_reads_as_the_ui_sends_it() {
        let r: ExportReport =
            serde_json::from_str(r#"{"report":"d441_6","year_end":"2025-12-31","turnover":null}"#).unwrap();
        assert_eq!(
            r,
            ExportReport::D4416 {
                year_end: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
                turnover: None
            }
        );
        let f: ExportFormat = serde_json::from_str(r#""xlsx""#).unwrap();
        assert_eq!(f, ExportFormat::Xlsx);
    }
}
