//! Problems found in an input file, as data: where, which field, why.

use serde::Serialize;
use std::fmt;

/// One problem: `file:line: field: reason` (line numbers 1-based, the header being line 1; 0 when the problem
/// concerns the whole file), and its kind as a stable code a screen can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub reason: String,
    pub code: ProblemCode,
}

/// The kind of a problem, stable across versions (the screen translates it; the reason stays for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// The file cannot be read or is not of the expected format.
    Unreadable,
    /// The file holds no header or no line.
    EmptyFile,
    /// A required column is not in the header, or a mapping names a column the file lacks.
    MissingColumn,
    BadDate,
    BadAmount,
    /// Any other field whose value is refused (empty, wrong shape, out of range).
    BadValue,
    /// An entry's debits and credits differ.
    Unbalanced,
    /// A key given twice.
    Duplicate,
    /// The file is not text: UTF-16, UTF-32 or binary content.
    NotText,
    /// A text field holds a control character (NUL, escape, a line break where none belongs…).
    ControlCharacter,
    /// A text field is longer than its stated limit.
    TooLong,
    /// A quote opened in a CSV file is never closed.
    UnclosedQuote,
    Other,
}

impl ProblemCode {
    /// The kind of a problem from where it is and what the reader said: the readers name their fields and
    /// reasons consistently (dates, amounts, the header), so every site gets its code from this one rule.
    pub fn of(line: usize, field: &str, reason: &str) -> ProblemCode {
        let f = field.to_ascii_lowercase();
        if reason.contains("does not balance") {
            ProblemCode::Unbalanced
        } else if reason.contains("is already on line") {
            ProblemCode::Duplicate
        } else if reason.contains("the file is empty") {
            ProblemCode::EmptyFile
        } else if reason.contains("no column") || reason.contains("required column is missing") {
            ProblemCode::MissingColumn
        } else if line == 0 && matches!(f.as_str(), "file" | "pdf" | "xml") {
            ProblemCode::Unreadable
        } else if f.contains("date") || f.starts_with("bt-9") {
            ProblemCode::BadDate
        } else if ["debit", "credit", "montant", "amount", "paid", "credit_limit"]
            .iter()
            .any(|a| f == *a || f.contains("amount"))
        {
            ProblemCode::BadAmount
        } else if line > 0 {
            ProblemCode::BadValue
        } else {
            ProblemCode::Other
        }
    }
}

/// The longest reason kept whole, in characters.
pub const REASON_MAX: usize = 300;

impl ImportError {
    /// A problem whose code follows from its place and reason ([`ProblemCode::of`]). A reason quotes the value
    /// it refuses: beyond [`REASON_MAX`] characters (a 70,000-character cell) it is cut with an ellipsis.
    pub fn new(file: &str, line: usize, field: impl Into<String>, reason: impl Into<String>) -> Self {
        let (field, mut reason) = (field.into(), reason.into());
        let code = ProblemCode::of(line, &field, &reason);
        if let Some((end, _)) = reason.char_indices().nth(REASON_MAX) {
            reason.truncate(end);
            reason.push('…');
        }
        ImportError {
            code,
            file: file.to_string(),
            line,
            field,
            reason,
        }
    }

    /// The same problem with another code, for a site whose kind the rule cannot tell.
    pub fn with_code(mut self, code: ProblemCode) -> Self {
        self.code = code;
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_place_and_the_reason() {
        let code = |line, field: &str, reason: &str| ImportError::new("f", line, field, reason).code;
        assert_eq!(code(0, "file", "No such file"), ProblemCode::Unreadable);
        assert_eq!(code(1, "header", "the file is empty"), ProblemCode::EmptyFile);
        assert_eq!(
            code(1, "header", "required column is missing from the header"),
            ProblemCode::MissingColumn
        );
        assert_eq!(
            code(4, "EcritureDate", "'2026-13-01' is not a date"),
            ProblemCode::BadDate
        );
        assert_eq!(
            code(4, "Debit", "'1,2,3' is not an amount"),
            ProblemCode::BadAmount
        );
        assert_eq!(
            code(
                4,
                "EcritureNum",
                "entry VE 1 does not balance: debits − credits = 1"
            ),
            ProblemCode::Unbalanced
        );
        assert_eq!(
            code(5, "key", "'C1' is already on line 2"),
            ProblemCode::Duplicate
        );
        assert_eq!(
            code(5, "email", "'x' is not an email address"),
            ProblemCode::BadValue
        );
        assert_eq!(code(0, "currency", "the invoice is in USD"), ProblemCode::Other);
    }

    #[test]
    fn a_reason_quoting_a_huge_value_is_cut() {
        let e = ImportError::new(
            "f",
            2,
            "Debit",
            format!("'{}' is not an amount", "9".repeat(70_000)),
        );
        assert_eq!(e.reason.chars().count(), REASON_MAX + 1);
        assert!(e.reason.starts_with("'999") && e.reason.ends_with('…'));
        assert_eq!(e.code, ProblemCode::BadAmount);
        let short = ImportError::new("f", 2, "Debit", "'x' is not an amount");
        assert_eq!(short.reason, "'x' is not an amount");
    }
}
