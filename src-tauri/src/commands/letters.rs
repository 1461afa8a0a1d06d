//! Letters (issue 6): the preview of a customer's letter with its free text editable, saving it as PDF where the
//! user chose (save dialog), printing it — the PDF opened in the system viewer and the "letter" action recorded —
//! and the day's batch of letters. The recorded user is the one given, else ENCAISSE_USER, else the OS login.

use super::{off_ui, parse_as_of};
use crate::Backend;
use encaisse_app::letters::{BatchLetter, LetterPreview, LetterRequest};
use encaisse_app::workflow::ActionDto;
use encaisse_app::{AppError, AppResult};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

fn user_or_session(given: Option<String>) -> String {
    let given = given.unwrap_or_default();
    if !given.trim().is_empty() {
        return given.trim().to_string();
    }
    ["ENCAISSE_USER", "USER", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_default()
}

fn write(path: &Path, bytes: &[u8]) -> AppResult<()> {
    std::fs::write(path, bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))
}

/// Where a printed letter is written before the viewer opens it.
fn print_path(name: &str) -> AppResult<PathBuf> {
    let dir = std::env::temp_dir().join("encaisse-letters");
    std::fs::create_dir_all(&dir).map_err(|e| AppError::Io(format!("{}: {e}", dir.display())))?;
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(dir.join(format!("{safe}.pdf")))
}

fn open(app: &AppHandle, path: &Path) -> AppResult<()> {
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| AppError::Io(format!("opening {}: {e}", path.display())))
}

#[tauri::command]
pub async fn letter_preview(backend: State<'_, Backend>, request: LetterRequest) -> AppResult<LetterPreview> {
    off_ui(&backend, move |app| app.letter_preview(&request)).await
}

/// Writes the letter to the path chosen in the save dialog; nothing is recorded.
#[tauri::command]
pub async fn save_letter_pdf(
    backend: State<'_, Backend>,
    request: LetterRequest,
    path: String,
) -> AppResult<LetterPreview> {
    off_ui(&backend, move |app| {
        let (pdf, preview) = app.letter_pdf(&request)?;
        write(Path::new(&path), &pdf)?;
        Ok(preview)
    })
    .await
}

/// Prints a letter: records it as the workflow's "letter" action, then opens the PDF in the system viewer.
#[tauri::command]
pub async fn print_letter(
    handle: AppHandle,
    backend: State<'_, Backend>,
    request: LetterRequest,
    user: Option<String>,
) -> AppResult<ActionDto> {
    let user = user_or_session(user);
    let (action, path) = off_ui(&backend, move |app| {
        let printed = app.print_letter(&request, &user)?;
        let p = &printed.preview;
        let path = print_path(&format!("{}-{}-{}", p.customer, p.step, p.as_of))?;
        write(&path, &printed.pdf)?;
        Ok((printed.action, path))
    })
    .await?;
    open(&handle, &path)?;
    Ok(action)
}

/// The day's letters in one PDF: written to the chosen path (`path`), or, without a path, printed — each letter
/// recorded as printed and the PDF opened in the system viewer.
#[tauri::command]
pub async fn letters_batch(
    handle: AppHandle,
    backend: State<'_, Backend>,
    as_of: Option<String>,
    path: Option<String>,
    user: Option<String>,
) -> AppResult<Vec<BatchLetter>> {
    let date = parse_as_of(as_of)?;
    let user = user_or_session(user);
    let print = path.is_none();
    let (letters, path) = off_ui(&backend, move |app| {
        let batch = app.letters_batch(date, print.then_some(user.as_str()))?;
        let path = match path {
            Some(p) => PathBuf::from(p),
            None => print_path(&format!("lettres-{}", date.unwrap_or_else(|| app.today())))?,
        };
        write(&path, &batch.pdf)?;
        Ok((batch.letters, path))
    })
    .await?;
    if print {
        open(&handle, &path)?;
    }
    Ok(letters)
}
