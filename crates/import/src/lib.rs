//! Readers for what users export from their accounting software. Each returns domain records, or every
//! problem found as `file:line: field: reason`; none of them writes anything.

pub mod cdar;
pub mod checks;
pub mod einvoice;
pub mod error;
pub mod fec;
pub mod lines;
pub mod tabular;

pub use error::{ImportError, ImportErrors};
pub use lines::LineIndex;

/// The fingerprint of a file's bytes (SHA-256, hex): importing the same file twice changes nothing.
pub fn content_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
