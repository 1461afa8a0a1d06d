//! Problems found in an input file, as data: where, which field, why.

use serde::Serialize;
use std::fmt;

/// One problem: `file:line: field: reason` (line numbers 1-based, the header being line 1; 0 when the problem
/// concerns the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub reason: String,
}

impl ImportError {
    pub fn new(file: &str, line: usize, field: impl Into<String>, reason: impl Into<String>) -> Self {
        ImportError {
            file: file.to_string(),
            line,
            field: field.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: {}", self.file, self.line, self.field, self.reason)
    }
}

/// Every problem of a refused file, in line order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ImportErrors(pub Vec<ImportError>);

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}
