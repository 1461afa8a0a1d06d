use super::{off_ui, parse_as_of};
use crate::Backend;
use encaisse_app::dto::{AgingReport, DsoReport};
use encaisse_app::AppResult;
use tauri::State;

#[tauri::command]
pub async fn aging(backend: State<'_, Backend>, as_of: Option<String>) -> AppResult<AgingReport> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.aging(date)).await
}

#[tauri::command]
pub async fn dso(
    backend: State<'_, Backend>,
    as_of: Option<String>,
    period_days: Option<u32>,
) -> AppResult<DsoReport> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.dso(date, period_days)).await
}
