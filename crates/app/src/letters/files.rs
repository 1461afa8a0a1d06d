//! Letters as files: printing for the system viewer (the PDF written to a temporary file whose path the caller
//! opens, the "letter" action recorded as the actor), saving a letter where the user chose, the day's batch.

use super::print::{BatchLetter, LetterPreview, LetterRequest};
use crate::workflow::ActionDto;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// A printed letter written for the system viewer: where, what, and the action recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedLetterFile {
    pub path: PathBuf,
    pub preview: LetterPreview,
    pub action: ActionDto,
}

impl App {
    /// Prints a letter for the system viewer: the "letter" action recorded as the actor, the PDF written to a
    /// temporary file whose path is returned (the caller opens it).
    pub fn print_letter_to_file(&self, req: &LetterRequest) -> AppResult<PrintedLetterFile> {
        let printed = self.print_letter(req)?;
        let p = &printed.preview;
        let path = print_path(&format!("{}-{}-{}", p.customer, p.step, p.as_of))?;
        write_file(&path, &printed.pdf)?;
        Ok(PrintedLetterFile {
            path,
            preview: printed.preview,
            action: printed.action,
        })
    }

    /// Saves a letter's PDF where the user chose; nothing is recorded.
    pub fn save_letter_pdf(&self, req: &LetterRequest, path: &Path) -> AppResult<LetterPreview> {
        let (pdf, preview) = self.letter_pdf(req)?;
        write_file(path, &pdf)?;
        Ok(preview)
    }

    /// The day's letters in one PDF written to `path`; without a path, printed: each letter recorded as printed by
    /// the actor and the PDF written to a temporary file for the system viewer. Returns the letters and the path.
    pub fn letters_batch_to_file(
        &self,
        as_of: Option<NaiveDate>,
        path: Option<&Path>,
    ) -> AppResult<(Vec<BatchLetter>, PathBuf)> {
        let batch = self.letters_batch(as_of, path.is_none())?;
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => print_path(&format!("lettres-{}", as_of.unwrap_or_else(|| self.today())))?,
        };
        write_file(&path, &batch.pdf)?;
        Ok((batch.letters, path))
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> AppResult<()> {
    std::fs::write(path, bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))
}

/// Where a printed letter is written before the viewer opens it: the system's temporary folder.
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
