//! Imports: each kind of file has `inspect_*` (what was detected and what would change; nothing is written)
//! and `import_*` (one transaction). The FEC import reports its progress through a channel.

use super::off_ui;
use crate::Backend;
use encaisse_app::dto::{EInvoiceReport, ImportPreview, ImportProgress, TabularOptions, TabularPreview};
use encaisse_app::{AppResult, FecImportOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tauri::ipc::Channel;
use tauri::State;

#[tauri::command]
pub async fn inspect_fec(
    backend: State<'_, Backend>,
    path: String,
    terms_days: Option<u32>,
) -> AppResult<ImportPreview> {
    let options = FecImportOptions { terms_days };
    off_ui(&backend, move |app| app.inspect_fec(Path::new(&path), &options)).await
}

#[tauri::command]
pub async fn import_fec(
    backend: State<'_, Backend>,
    path: String,
    terms_days: Option<u32>,
    on_progress: Channel<ImportProgress>,
) -> AppResult<ImportPreview> {
    let options = FecImportOptions { terms_days };
    off_ui(&backend, move |app| {
        app.import_fec(Path::new(&path), &options, &mut throttled(on_progress))
    })
    .await
}

#[tauri::command]
pub async fn inspect_customers_file(
    backend: State<'_, Backend>,
    path: String,
    options: TabularOptions,
) -> AppResult<TabularPreview> {
    off_ui(&backend, move |app| {
        app.inspect_customers_file(Path::new(&path), &options)
    })
    .await
}

#[tauri::command]
pub async fn import_customers_file(
    backend: State<'_, Backend>,
    path: String,
    options: TabularOptions,
) -> AppResult<TabularPreview> {
    off_ui(&backend, move |app| {
        app.import_customers_file(Path::new(&path), &options)
    })
    .await
}

#[tauri::command]
pub async fn inspect_invoices_file(
    backend: State<'_, Backend>,
    path: String,
    options: TabularOptions,
) -> AppResult<TabularPreview> {
    off_ui(&backend, move |app| {
        app.inspect_invoices_file(Path::new(&path), &options)
    })
    .await
}

#[tauri::command]
pub async fn import_invoices_file(
    backend: State<'_, Backend>,
    path: String,
    options: TabularOptions,
) -> AppResult<TabularPreview> {
    off_ui(&backend, move |app| {
        app.import_invoices_file(Path::new(&path), &options)
    })
    .await
}

#[tauri::command]
pub async fn inspect_einvoices(backend: State<'_, Backend>, paths: Vec<String>) -> AppResult<EInvoiceReport> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    off_ui(&backend, move |app| app.inspect_einvoices(&paths)).await
}

#[tauri::command]
pub async fn import_einvoices(backend: State<'_, Backend>, paths: Vec<String>) -> AppResult<EInvoiceReport> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    off_ui(&backend, move |app| app.import_einvoices(&paths)).await
}

/// A progress bar needs a few updates a second, not one per block of records: every change of stage and
/// the end of each stage are sent, the rest at most every 50 ms. A window that went away is not an error.
fn throttled(channel: Channel<ImportProgress>) -> impl FnMut(ImportProgress) {
    const EVERY: Duration = Duration::from_millis(50);
    let mut last: Option<(String, Instant)> = None;
    move |progress| {
        let now = Instant::now();
        let due = match &last {
            None => true,
            Some((stage, at)) => {
                *stage != progress.stage
                    || progress.done >= progress.total
                    || now.duration_since(*at) >= EVERY
            }
        };
        if due {
            last = Some((progress.stage.clone(), now));
            let _ = channel.send(progress);
        }
    }
}
