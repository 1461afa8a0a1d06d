//! Errors as the callers see them: a kind the UI can act on, and a message a person can read. A refused file also
//! carries its problems as data (file, line, field, reason, code) for the screen to show as rows.
//!
//! On the wire every error is `{ "code": "<kind>", "message": "<text>" }`, plus `"problems": [...]` for
//! `invalid_file` (see [`AppErrorWire`], whose TypeScript type is named `AppError`).

use encaisse_import::error::ProblemCode as ImportCode;
use encaisse_import::ImportError;
use serde::{Deserialize, Serialize, Serializer};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The database belongs to a newer Encaisse.
    #[error("{0}")]
    NewerDatabase(String),
    /// The database could not be read or written.
    #[error("{0}")]
    Database(String),
    /// Another import holds the database's write lock: this one stopped before reading its file.
    #[error("{0}")]
    Busy(String),
    /// What the user asked is not valid (a date, a number, an option).
    #[error("{0}")]
    InvalidInput(String),
    /// A file was refused; nothing was written. `message` is one `file:line: field: reason` per problem (or a
    /// summary when the problems were shown already), `problems` the same as data.
    #[error("{message}")]
    InvalidFile {
        message: String,
        problems: Vec<FileProblem>,
    },
    /// Nothing to report on yet: no company in the database.
    #[error("{0}")]
    NoData(String),
    #[error("{0}")]
    Io(String),
    /// The mail server refused or could not be reached.
    #[error("{0}")]
    Mail(String),
    /// The step would replace data the user imported or typed: it needs an explicit confirmation (a backup is
    /// made first); nothing changed.
    #[error("{0}")]
    NeedsConfirmation(String),
    /// The OS credential store (the keyring that keeps the SMTP password) is missing, locked or refused.
    #[error("{0}")]
    Keyring(String),
    /// The accredited platform refused the credentials, could not be reached, or answered an error.
    #[error("{0}")]
    Platform(String),
    /// A letter to print was written to `path` but no PDF viewer could open it: nothing was recorded.
    #[error("{message}")]
    NoPdfViewer { path: String, message: String },
    /// A colleague changed the record since the user's screen read it (team mode): `by` (their name) at `at`
    /// (HH:MM); nothing was written. The screen says "modifié par NOM à HH:MM — recharger".
    #[error("{message}")]
    Conflict { by: String, at: String, message: String },
}

/// One problem of a refused file. `line` is 1-based (the header is line 1); 0 when it concerns the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileProblem {
    pub file: String,
    pub line: u32,
    pub field: String,
    pub reason: String,
    pub code: ProblemCode,
}

/// The kind of a file's problem: a stable code the screen translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProblemCode {
    Unreadable,
    EmptyFile,
    MissingColumn,
    BadDate,
    BadAmount,
    BadValue,
    Unbalanced,
    Duplicate,
    UnknownCustomer,
    NotText,
    ControlCharacter,
    TooLong,
    UnclosedQuote,
    Other,
}

impl From<ImportCode> for ProblemCode {
    fn from(c: ImportCode) -> Self {
        match c {
            ImportCode::Unreadable => ProblemCode::Unreadable,
            ImportCode::EmptyFile => ProblemCode::EmptyFile,
            ImportCode::MissingColumn => ProblemCode::MissingColumn,
            ImportCode::BadDate => ProblemCode::BadDate,
            ImportCode::BadAmount => ProblemCode::BadAmount,
            ImportCode::BadValue => ProblemCode::BadValue,
            ImportCode::Unbalanced => ProblemCode::Unbalanced,
            ImportCode::Duplicate => ProblemCode::Duplicate,
            ImportCode::NotText => ProblemCode::NotText,
            ImportCode::ControlCharacter => ProblemCode::ControlCharacter,
            ImportCode::TooLong => ProblemCode::TooLong,
            ImportCode::UnclosedQuote => ProblemCode::UnclosedQuote,
            ImportCode::Other => ProblemCode::Other,
        }
    }
}

impl From<&ImportError> for FileProblem {
    fn from(e: &ImportError) -> Self {
        FileProblem {
            file: e.file.clone(),
            line: u32::try_from(e.line).unwrap_or(u32::MAX),
            field: e.field.clone(),
            reason: e.reason.clone(),
            code: e.code.into(),
        }
    }
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.line, self.field, self.reason)
    }
}

impl AppError {
    /// A refused file: its problems, and as message one `file:line: field: reason` line per problem.
    pub fn invalid_file(problems: Vec<FileProblem>) -> AppError {
        let message = problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        AppError::InvalidFile { message, problems }
    }

    /// A refused file from the import readers' problems.
    pub fn refused<'a>(errors: impl IntoIterator<Item = &'a ImportError>) -> AppError {
        AppError::invalid_file(errors.into_iter().map(FileProblem::from).collect())
    }

    /// The kind, as on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NewerDatabase(_) => "newer_database",
            AppError::Database(_) => "database",
            AppError::Busy(_) => "busy",
            AppError::InvalidInput(_) => "invalid_input",
            AppError::InvalidFile { .. } => "invalid_file",
            AppError::NoData(_) => "no_data",
            AppError::Io(_) => "io",
            AppError::Mail(_) => "mail",
            AppError::NeedsConfirmation(_) => "needs_confirmation",
            AppError::Keyring(_) => "keyring",
            AppError::Platform(_) => "platform",
            AppError::NoPdfViewer { .. } => "no_pdf_viewer",
            AppError::Conflict { .. } => "conflict",
        }
    }
}

/// What an [`AppError`] looks like to the UI: a union keyed by `code`, each with its `message`.
#[derive(Serialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export, rename = "AppError")]
pub enum AppErrorWire<'a> {
    NewerDatabase {
        message: &'a str,
    },
    Database {
        message: &'a str,
    },
    Busy {
        message: &'a str,
    },
    InvalidInput {
        message: &'a str,
    },
    InvalidFile {
        message: &'a str,
        problems: &'a [FileProblem],
    },
    NoData {
        message: &'a str,
    },
    Io {
        message: &'a str,
    },
    Mail {
        message: &'a str,
    },
    NeedsConfirmation {
        message: &'a str,
    },
    Keyring {
        message: &'a str,
    },
    Platform {
        message: &'a str,
    },
    NoPdfViewer {
        message: &'a str,
        /// Where the PDF was saved.
        path: &'a str,
    },
    Conflict {
        message: &'a str,
        /// Who changed the record meanwhile (their display name).
        by: &'a str,
        /// At what time (HH:MM).
        at: &'a str,
    },
}

impl<'a> From<&'a AppError> for AppErrorWire<'a> {
    fn from(e: &'a AppError) -> Self {
        match e {
            AppError::NewerDatabase(m) => AppErrorWire::NewerDatabase { message: m },
            AppError::Database(m) => AppErrorWire::Database { message: m },
            AppError::Busy(m) => AppErrorWire::Busy { message: m },
            AppError::InvalidInput(m) => AppErrorWire::InvalidInput { message: m },
            AppError::InvalidFile { message, problems } => AppErrorWire::InvalidFile { message, problems },
            AppError::NoData(m) => AppErrorWire::NoData { message: m },
            AppError::Io(m) => AppErrorWire::Io { message: m },
            AppError::Mail(m) => AppErrorWire::Mail { message: m },
            AppError::NeedsConfirmation(m) => AppErrorWire::NeedsConfirmation { message: m },
            AppError::Keyring(m) => AppErrorWire::Keyring { message: m },
            AppError::Platform(m) => AppErrorWire::Platform { message: m },
            AppError::NoPdfViewer { path, message } => AppErrorWire::NoPdfViewer { message, path },
            AppError::Conflict { by, at, message } => AppErrorWire::Conflict { message, by, at },
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        AppErrorWire::from(self).serialize(serializer)
    }
}

impl From<encaisse_store::StoreError> for AppError {
    fn from(e: encaisse_store::StoreError) -> Self {
        match e {
            encaisse_store::StoreError::NewerVersion { .. } => AppError::NewerDatabase(e.to_string()),
            encaisse_store::StoreError::Refused(m) => AppError::InvalidInput(m),
            encaisse_store::StoreError::Busy { .. } => AppError::Busy(e.to_string()),
            encaisse_store::StoreError::Conflict { ref by, ref at, .. } => AppError::Conflict {
                by: by.clone(),
                at: at.clone(),
                message: e.to_string(),
            },
            other => AppError::Database(other.to_string()),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_a_code_and_a_message_and_a_refused_file_its_problems() {
        let e = AppError::NoData("empty".into());
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "no_data", "message": "empty"})
        );
        let e = AppError::refused(&[
            ImportError::new("a.csv", 3, "due_date", "'x' is not a date"),
            ImportError::new("a.csv", 0, "file", "cannot read"),
        ]);
        assert_eq!(
            e.to_string(),
            "a.csv:3: due_date: 'x' is not a date\na.csv:0: file: cannot read"
        );
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({
                "code": "invalid_file",
                "message": "a.csv:3: due_date: 'x' is not a date\na.csv:0: file: cannot read",
                "problems": [
                    {"file": "a.csv", "line": 3, "field": "due_date", "reason": "'x' is not a date", "code": "bad_date"},
                    {"file": "a.csv", "line": 0, "field": "file", "reason": "cannot read", "code": "unreadable"},
                ]
            })
        );
        let e = AppError::NoPdfViewer {
            path: "/tmp/a.pdf".into(),
            message: "no viewer".into(),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "no_pdf_viewer", "message": "no viewer", "path": "/tmp/a.pdf"})
        );
    }
}
