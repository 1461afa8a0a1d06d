//! Imports: an FEC, a customers or open-invoices file (CSV, spreadsheet), e-invoices. Each is read, checked
//! (line-numbered problems), previewed, then written in one transaction.

pub mod detect;
pub mod einvoices;
pub mod fec;
pub mod tabular;
pub mod tabular_preview;

pub use detect::*;
pub use einvoices::*;
pub use fec::*;
pub use tabular::*;
pub use tabular_preview::*;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Progress of a long import: stage "read" (done/total in bytes), "write" then "done" (in lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub stage: String,
    /// A JSON number in the window (files and line counts stay far below 2^53).
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}
