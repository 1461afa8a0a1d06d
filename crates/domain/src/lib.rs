//! Encaisse's vocabulary: money, payment terms, customers, ledger lines, the clock and the collections workflow's
//! words (scenarios, actions, promises, disputes).
//! Pure types and rules, no IO.

pub mod clock;
pub mod collections;
pub mod customer;
pub mod ledger;
pub mod money;
pub mod terms;
#[cfg(feature = "testing")]
pub mod testing;
mod words;

pub use clock::{Clock, FixedClock, FixedDateTime, ManualClock, SystemClock};
pub use customer::{Company, Customer};
pub use ledger::LedgerLine;
pub use money::{format_amount, format_amount_fr, Currency};
pub use terms::Terms;

/// Converts a day count (never money) to a float for display, one decimal.
#[allow(clippy::disallowed_methods)]
pub fn days_to_f64(days: rust_decimal::Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    days.to_f64().unwrap_or(0.0)
}
