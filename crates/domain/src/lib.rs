//! Encaisse's vocabulary: money, payment terms, customers, ledger lines, the clock, the collections workflow's
//! words (scenarios, actions, promises, disputes), and how amounts and dates read in French and English.
//! Pure types and rules, no IO.

pub mod bank;
pub mod clock;
pub mod collections;
pub mod cores;
pub mod customer;
pub mod format;
pub mod ledger;
pub mod money;
pub mod terms;
#[cfg(feature = "testing")]
pub mod testing;
mod words;

pub use clock::{Clock, FixedClock, FixedDateTime, ManualClock, SystemClock};
pub use customer::{Company, Customer, DebtorKind};
pub use format::{
    format_amount, format_amount_en, format_amount_fr, format_date, format_date_fr, format_money,
    format_number_fr, format_percent_fr, Lang,
};
pub use ledger::LedgerLine;
pub use money::Currency;
pub use terms::Terms;

/// Converts a day count (never money) to a float for display, one decimal.
#[allow(clippy::disallowed_methods)]
pub fn days_to_f64(days: rust_decimal::Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    days.to_f64().unwrap_or(0.0)
}
