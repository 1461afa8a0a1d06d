//! The DAF's views (issue 4): customers and their file, aged balance options and drill-down, DSO set and
//! what-if, forecast and its accuracy, D441-6 table, exports to a file the user chose.

use super::{off_ui, parse_as_of};
use crate::Backend;
use encaisse_app::customer_file::CustomerFile;
use encaisse_app::export_file::{parse_user_amount, ExportDone, ExportFormat, ExportReport};
use encaisse_app::reports::{
    AgingInvoices, AgingOptions, CustomersReport, D4416Report, DsoSetReport, ForecastAccuracy,
    ForecastReport, GroupedAgingReport,
};
use encaisse_app::whatif::WhatIf;
use encaisse_app::{parse_date, AppResult};
use std::path::PathBuf;
use tauri::State;

#[tauri::command]
pub async fn customers(backend: State<'_, Backend>, as_of: Option<String>) -> AppResult<CustomersReport> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.customers_report(date)).await
}

#[tauri::command]
pub async fn customer_file(
    backend: State<'_, Backend>,
    key: String,
    as_of: Option<String>,
) -> AppResult<CustomerFile> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.customer_file(&key, date)).await
}

#[tauri::command]
pub async fn set_customer_category(
    backend: State<'_, Backend>,
    key: String,
    category: Option<String>,
) -> AppResult<()> {
    off_ui(&backend, move |app| {
        app.set_customer_category(&key, category.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn aging_grouped(
    backend: State<'_, Backend>,
    options: AgingOptions,
) -> AppResult<GroupedAgingReport> {
    off_ui(&backend, move |app| app.aging_grouped(&options)).await
}

#[tauri::command]
pub async fn aging_invoices(
    backend: State<'_, Backend>,
    options: AgingOptions,
    customer: Option<String>,
) -> AppResult<AgingInvoices> {
    off_ui(&backend, move |app| {
        app.aging_invoices(&options, customer.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn dso_set(
    backend: State<'_, Backend>,
    as_of: Option<String>,
    period_days: Option<u32>,
) -> AppResult<DsoSetReport> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.dso_set(date, period_days)).await
}

#[tauri::command]
pub async fn what_if(
    backend: State<'_, Backend>,
    as_of: Option<String>,
    days: u32,
    rate: String,
) -> AppResult<WhatIf> {
    let date = parse_as_of(as_of)?;
    let rate = parse_user_amount("rate", &rate)?;
    off_ui(&backend, move |app| app.what_if(date, None, days, rate)).await
}

#[tauri::command]
pub async fn forecast(
    backend: State<'_, Backend>,
    as_of: Option<String>,
    weeks: Option<u32>,
) -> AppResult<ForecastReport> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.forecast(date, weeks)).await
}

#[tauri::command]
pub async fn forecast_accuracy(
    backend: State<'_, Backend>,
    as_of: Option<String>,
) -> AppResult<ForecastAccuracy> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.forecast_accuracy(date, None, None)).await
}

/// The table at a year end; an entered `turnover` is recorded first (it then stays the year's).
#[tauri::command]
pub async fn d441_6(
    backend: State<'_, Backend>,
    year_end: String,
    turnover: Option<String>,
) -> AppResult<D4416Report> {
    let year_end = parse_date("year_end", &year_end)?;
    let turnover = turnover
        .filter(|t| !t.trim().is_empty())
        .map(|t| parse_user_amount("turnover", &t))
        .transpose()?;
    off_ui(&backend, move |app| {
        if let Some(t) = turnover {
            app.set_turnover(year_end, t)?;
        }
        app.d441_6(year_end, None)
    })
    .await
}

/// Writes the report to the path the user picked in the save dialog.
#[tauri::command]
pub async fn export_report(
    backend: State<'_, Backend>,
    report: ExportReport,
    format: ExportFormat,
    path: String,
) -> AppResult<ExportDone> {
    let path = PathBuf::from(path);
    off_ui(&backend, move |app| app.export_report(&report, format, &path)).await
}
