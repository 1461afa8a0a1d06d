//! Readers for what users export from their accounting software. Each returns domain records, or every
//! problem found as `file:line: field: reason`; none of them writes anything.

pub mod einvoice;
pub mod error;
pub mod fec;

pub use error::{ImportError, ImportErrors};
