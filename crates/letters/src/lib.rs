//! Letters as PDF bytes, and the late-payment penalties they claim: the formal notice ("mise en demeure de payer")
//! and the printable aged balance. Pure: data in, bytes out; no database, no clock.

pub mod penalties;

pub use penalties::{claim, Basis, Claim, InvoiceDue, RateTable};
