use super::off_ui;
use crate::Backend;
use encaisse_app::dto::{DemoOptions, DemoSummary};
use encaisse_app::AppResult;
use tauri::State;

/// Replaces the database's content with the demo company (a few seconds: off the UI thread).
#[tauri::command]
pub async fn create_demo(backend: State<'_, Backend>, options: DemoOptions) -> AppResult<DemoSummary> {
    off_ui(&backend, move |app| app.create_demo(&options)).await
}
