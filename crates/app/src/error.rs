//! Errors as the callers see them: a kind the UI can act on, and a message a person can read.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[serde(tag = "code", content = "message", rename_all = "snake_case")]
#[ts(export)]
pub enum AppError {
    /// The database belongs to a newer Encaisse.
    #[error("{0}")]
    NewerDatabase(String),
    /// The database could not be read or written.
    #[error("{0}")]
    Database(String),
    /// What the user asked is not valid (a date, a number, an option).
    #[error("{0}")]
    InvalidInput(String),
    /// A file was refused: one `file:line: field: reason` per line of the message. Nothing was written.
    #[error("{0}")]
    InvalidFile(String),
    /// Nothing to report on yet: no company in the database.
    #[error("{0}")]
    NoData(String),
    #[error("{0}")]
    Io(String),
    /// The mail server or the credential store refused or could not be reached.
    #[error("{0}")]
    Mail(String),
}

impl From<encaisse_store::StoreError> for AppError {
    fn from(e: encaisse_store::StoreError) -> Self {
        match e {
            encaisse_store::StoreError::NewerVersion { .. } => AppError::NewerDatabase(e.to_string()),
            encaisse_store::StoreError::Refused(m) => AppError::InvalidInput(m),
            other => AppError::Database(other.to_string()),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
