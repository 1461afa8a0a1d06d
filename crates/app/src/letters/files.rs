//! Letters as files: printing for the system viewer (the PDF written to a temporary file and handed to the
//! [`Viewer`]; the "letter" action recorded only once a viewer opened it), saving a letter where the user chose,
//! the day's batch.

use super::print::{BatchResult, LetterPreview, LetterRequest};
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
            let path = self.write_to_print(&format!("{}-{}-{}", p.customer, p.step, p.as_of), pdf)?;
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
    ) -> AppResult<(BatchResult, PathBuf)> {
        match path {
            Some(p) => {
                let batch = self.letters_batch(as_of)?;
                write_file(p, &batch.pdf)?;
                Ok((batch.result(), p.to_path_buf()))
            }
            None => {
                let name = format!("lettres-{}", as_of.unwrap_or_else(|| self.today()));
                let mut written = None;
                let batch = self.print_letters_batch(as_of, |pdf| {
                    let path = self.write_to_print(&name, pdf)?;
                    written = Some(path.clone());
                    self.show(&path)
                })?;
                let path = written.ok_or_else(|| AppError::Io("the letters were not written".into()))?;
                Ok((batch.result(), path))
            }
        }
    }

    /// Hands a written PDF to the viewer; its failure becomes `NoPdfViewer` naming where the file is.
    pub(crate) fn show(&self, path: &Path) -> AppResult<()> {
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

/// How long a letter written for the viewer stays in the print folder: the viewer has long opened it.
const KEEP_PRINTED: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

/// The app's own folder for letters to print when none was given: `letters` in the OS's cache folder for the app
/// (~/.cache/encaisse/letters, ~/Library/Caches/fr.encaisse.Encaisse/letters, %LOCALAPPDATA%\Encaisse\Encaisse\cache\letters).
pub fn default_print_folder() -> AppResult<PathBuf> {
    directories::ProjectDirs::from("fr", "Encaisse", "Encaisse")
        .map(|d| d.cache_dir().join("letters"))
        .ok_or_else(|| AppError::Io("no home folder: no place for the letters to print".into()))
}

impl App {
    /// Writes a PDF to print in the app's private folder ([`private_folder`]): a new file (0600, created, never
    /// opened through an existing name or link) named after `name` with a random part; the folder's files older
    /// than [`KEEP_PRINTED`] are removed first.
    pub(crate) fn write_to_print(&self, name: &str, pdf: &[u8]) -> AppResult<PathBuf> {
        let dir = match &self.print_folder {
            Some(dir) => dir.clone(),
            None => default_print_folder()?,
        };
        private_folder(&dir)?;
        remove_old_letters(&dir);
        let io = |e: std::io::Error| AppError::Io(format!("{}: {e}", dir.display()));
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
        // tempfile creates the file new (O_EXCL: an existing name or link is never followed), 0600 on Unix.
        let mut file = tempfile::Builder::new()
            .prefix(&format!("{safe}-"))
            .suffix(".pdf")
            .tempfile_in(&dir)
            .map_err(io)?;
        std::io::Write::write_all(&mut file, pdf).map_err(io)?;
        let (_, path) = file.keep().map_err(|e| io(e.error))?;
        Ok(path)
    }
}

/// The print folder, created if needed with its parents: owner only (0700 on Unix), a real folder (not a link
/// to one elsewhere), its permissions narrowed if someone widened them.
fn private_folder(dir: &Path) -> AppResult<()> {
    let io = |e: std::io::Error| AppError::Io(format!("{}: {e}", dir.display()));
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    let meta = std::fs::symlink_metadata(dir).map_err(io)?;
    if !meta.file_type().is_dir() {
        return Err(AppError::Io(format!(
            "{}: the folder for letters to print is a link or a file, not a folder of the app: remove it",
            dir.display()
        )));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
    }
    Ok(())
}

/// Removes the folder's files written more than [`KEEP_PRINTED`] ago (by the file system's clock, which wrote
/// them: not the business day of the injected clock). A file that cannot be removed stays for the next time.
fn remove_old_letters(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age > KEEP_PRINTED);
        if old && !meta.is_dir() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
