//! The settings screens (issue 5): the collections settings (minimum gap between chases, promise grace), the
//! template editor's preview of an unsaved draft, the audit trail written to the file the user chose, the letter
//! settings and the penalties' rates table.
//! Thin adapters to `encaisse_app::App`; the user recorded in the audit trail is the session's.

use super::mail::session_user;
use super::{off_ui, parse_as_of};
use crate::Backend;
use encaisse_app::collection_settings::{CollectionSettings, CollectionSettingsInput};
use encaisse_app::export_file::{ExportDone, ExportFormat};
use encaisse_app::letters::{LetterSettings, RatesDto};
use encaisse_app::mail::{EmailPreview, EmailTemplateInput};
use encaisse_app::AppResult;
use std::path::PathBuf;
use tauri::State;

#[tauri::command]
pub async fn collection_settings(backend: State<'_, Backend>) -> AppResult<CollectionSettings> {
    off_ui(&backend, |app| app.collection_settings()).await
}

#[tauri::command]
pub async fn save_collection_settings(
    backend: State<'_, Backend>,
    input: CollectionSettingsInput,
) -> AppResult<CollectionSettings> {
    let user = session_user();
    off_ui(&backend, move |app| app.save_collection_settings(&input, &user)).await
}

/// The template as being written, rendered by the backend on a fictional customer (nothing saved).
#[tauri::command]
pub async fn preview_template(
    backend: State<'_, Backend>,
    draft: EmailTemplateInput,
) -> AppResult<EmailPreview> {
    off_ui(&backend, move |app| app.preview_template(&draft)).await
}

/// Writes the audit trail between two days to `path` (chosen in the save dialog).
#[tauri::command]
pub async fn export_audit(
    backend: State<'_, Backend>,
    from: Option<String>,
    to: Option<String>,
    format: ExportFormat,
    path: String,
) -> AppResult<ExportDone> {
    let (from, to) = (parse_as_of(from)?, parse_as_of(to)?);
    off_ui(&backend, move |app| {
        app.export_audit(from, to, format, &PathBuf::from(path))
    })
    .await
}

#[tauri::command]
pub async fn letter_settings(backend: State<'_, Backend>) -> AppResult<LetterSettings> {
    off_ui(&backend, |app| app.letter_settings()).await
}

#[tauri::command]
pub async fn save_letter_settings(
    backend: State<'_, Backend>,
    settings: LetterSettings,
) -> AppResult<LetterSettings> {
    let user = session_user();
    off_ui(&backend, move |app| app.save_letter_settings(&settings, &user)).await
}

/// The penalties' rates table (ECB and legal interest rates by half-year).
#[tauri::command]
pub async fn rates(backend: State<'_, Backend>) -> AppResult<RatesDto> {
    off_ui(&backend, |app| app.rates()).await
}

#[tauri::command]
pub async fn save_rates(backend: State<'_, Backend>, rates: RatesDto) -> AppResult<RatesDto> {
    let user = session_user();
    off_ui(&backend, move |app| app.save_rates(&rates, &user)).await
}

#[tauri::command]
pub async fn reset_rates(backend: State<'_, Backend>) -> AppResult<RatesDto> {
    let user = session_user();
    off_ui(&backend, move |app| app.reset_rates(&user)).await
}
