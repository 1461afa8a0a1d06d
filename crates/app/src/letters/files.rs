//! Letters as files: printing for the system viewer (the PDF written to a temporary file and handed to the
//! [`Viewer`]; the "letter" action recorded only once a viewer opened it), saving a letter where the user chose,
//! the day's batch.

use super::print::{BatchLetter, LetterPreview, LetterRequest};
use crate::workflow::ActionDto;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Shows a PDF to the user: the system's PDF viewer, from which it is printed. The desktop shell implements it
/// (the OS opener); the core knows no window.
pub trait Viewer: Send + Sync {
    /// Hands the file to a viewer. `Err(reason)` when none could open it (no PDF viewer installed, the opener
    /// failed): the letter did not reach anyone.
    fn open(&self, path: &Path) -> Result<(), String>;
}

/// No viewer at all (the default of an App outside the desktop: the CLI writes files instead).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoViewer;

impl Viewer for NoViewer {
    fn open(&self, _path: &Path) -> Result<(), String> {
        Err("this program has no PDF viewer".into())
    }
}

/// A printed letter written for the system viewer: where, what, and the action recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedLetterFile {
    pub path: PathBuf,
    pub preview: LetterPreview,
    pub action: ActionDto,
}

impl App {
    /// Prints a letter through the system viewer: the PDF written to a temporary file and handed to the viewer;
    /// only once the viewer opened it is the "letter" action recorded as the actor. No viewer: `NoPdfViewer`
    /// with the file's path (it stays there), nothing recorded.
    pub fn print_letter_to_file(&self, req: &LetterRequest) -> AppResult<PrintedLetterFile> {
        let mut written = None;
        let printed = self.print_letter(req, |pdf, p| {
            let path = print_path(&format!("{}-{}-{}", p.customer, p.step, p.as_of))?;
            write_file(&path, pdf)?;
            self.show(&path)?;
            written = Some(path);
            Ok(())
        })?;
        Ok(PrintedLetterFile {
            path: written.ok_or_else(|| AppError::Io("the letter was not written".into()))?,
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

    /// The day's letters in one PDF written to `path` (nothing recorded); without a path, printed: the PDF written
    /// to a temporary file and handed to the system viewer, and only once the viewer opened it each letter recorded
    /// as printed by the actor (no viewer: `NoPdfViewer`, nothing recorded). Returns the letters and the path.
    pub fn letters_batch_to_file(
        &self,
        as_of: Option<NaiveDate>,
        path: Option<&Path>,
    ) -> AppResult<(Vec<BatchLetter>, PathBuf)> {
        match path {
            Some(p) => {
                let batch = self.letters_batch(as_of)?;
                write_file(p, &batch.pdf)?;
                Ok((batch.letters, p.to_path_buf()))
            }
            None => {
                let path = print_path(&format!("lettres-{}", as_of.unwrap_or_else(|| self.today())))?;
                let batch = self.print_letters_batch(as_of, |pdf| {
                    write_file(&path, pdf)?;
                    self.show(&path)
                })?;
                Ok((batch.letters, path))
            }
        }
    }

    /// Hands a written PDF to the viewer; its failure becomes `NoPdfViewer` naming where the file is.
    fn show(&self, path: &Path) -> AppResult<()> {
        self.viewer().open(path).map_err(|reason| AppError::NoPdfViewer {
            path: path.display().to_string(),
            message: format!(
                "no PDF viewer could open the letter, saved in {}: {reason}",
                path.display()
            ),
        })
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
