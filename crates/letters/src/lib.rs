//! Letters as PDF bytes, and the late-payment penalties they claim: the formal notice ("mise en demeure de payer")
//! and the printable aged balance. Pure: data in, bytes out; no database, no clock.

pub mod aging;
pub mod notice;
mod pdf;
pub mod penalties;

pub use aging::render_aged_balance;
pub use notice::{render_notice, render_notices, BankDetails, Notice, Party, Signatory};
pub use penalties::{claim, Basis, Claim, InvoiceDue, PenaltyError, RateTable};
