use super::{off_ui, parse_as_of};
use crate::Backend;
use encaisse_app::{dto::Dashboard, AppResult};
use tauri::State;

#[tauri::command]
pub async fn dashboard(backend: State<'_, Backend>, as_of: Option<String>) -> AppResult<Dashboard> {
    let date = parse_as_of(as_of)?;
    off_ui(&backend, move |app| app.dashboard(date)).await
}
