//! One module per feature; each command is a 1–3 line adapter to `encaisse_app::App`.
//! Every command runs on the blocking pool, so SQLite and the analytics never hold up the window.

pub mod analytics;
pub mod dashboard;
pub mod demo;
pub mod import;
pub mod letters;
pub mod mail;
pub mod reports;
pub mod settings;
pub mod status;
pub mod workflow;

use crate::Backend;
use chrono::NaiveDate;
use encaisse_app::{parse_date, App, AppError, AppResult};

/// Runs a use case off the UI thread.
async fn off_ui<T: Send + 'static>(
    backend: &Backend,
    work: impl FnOnce(&App) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let app = backend.app()?;
    tauri::async_runtime::spawn_blocking(move || work(&app))
        .await
        .map_err(|e| AppError::Io(format!("the work stopped before it finished: {e}")))?
}

/// An optional YYYY-MM-DD from the UI; absent means today.
fn parse_as_of(value: Option<String>) -> AppResult<Option<NaiveDate>> {
    value.as_deref().map(|v| parse_date("as_of", v)).transpose()
}
