//! Temporary: the letters' file handling until the app crate owns it (then these calls go to `App`).

use encaisse_app::letters::{BatchLetter, LetterPreview, LetterRequest};
use encaisse_app::workflow::ActionDto;
use encaisse_app::{App, AppError, AppResult};
use std::path::{Path, PathBuf};

fn write(path: &Path, bytes: &[u8]) -> AppResult<()> {
    std::fs::write(path, bytes).map_err(|e| AppError::Io(format!("{}: {e}", path.display())))
}

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

pub trait Printing {
    fn save_letter_pdf(&self, request: &LetterRequest, path: &Path) -> AppResult<LetterPreview>;
    fn print_letter_to_file(&self, request: &LetterRequest, user: &str) -> AppResult<(ActionDto, PathBuf)>;
    fn letters_batch_to_file(
        &self,
        as_of: Option<chrono::NaiveDate>,
        path: Option<PathBuf>,
        user: &str,
    ) -> AppResult<(Vec<BatchLetter>, Option<PathBuf>)>;
}

impl Printing for App {
    fn save_letter_pdf(&self, request: &LetterRequest, path: &Path) -> AppResult<LetterPreview> {
        let (pdf, preview) = self.letter_pdf(request)?;
        write(path, &pdf)?;
        Ok(preview)
    }

    fn print_letter_to_file(&self, request: &LetterRequest, user: &str) -> AppResult<(ActionDto, PathBuf)> {
        let printed = self.print_letter(request, user)?;
        let p = &printed.preview;
        let path = print_path(&format!("{}-{}-{}", p.customer, p.step, p.as_of))?;
        write(&path, &printed.pdf)?;
        Ok((printed.action, path))
    }

    fn letters_batch_to_file(
        &self,
        as_of: Option<chrono::NaiveDate>,
        path: Option<PathBuf>,
        user: &str,
    ) -> AppResult<(Vec<BatchLetter>, Option<PathBuf>)> {
        let print = path.is_none();
        let batch = self.letters_batch(as_of, print.then_some(user))?;
        let path = match path {
            Some(p) => p,
            None => print_path(&format!("lettres-{}", as_of.unwrap_or_else(|| self.today())))?,
        };
        write(&path, &batch.pdf)?;
        Ok((batch.letters, print.then_some(path)))
    }
}
