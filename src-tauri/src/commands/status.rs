use super::off_ui;
use crate::Backend;
use encaisse_app::{dto::Status, AppResult};
use tauri::State;

/// What the database holds: the UI chooses between the first-start screen and the dashboard.
#[tauri::command]
pub async fn status(backend: State<'_, Backend>) -> AppResult<Status> {
    off_ui(&backend, |app| app.status()).await
}
