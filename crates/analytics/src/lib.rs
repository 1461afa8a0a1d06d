//! Receivables analytics as pure functions over ledger lines, as of any date
//! (rules of shared/domain/receivables-from-fec.md, steps 3–7).

pub mod aging;
pub mod dso;
pub mod open_items;

pub use aging::{aged_balance, AgedBalance, AgedCustomer, Buckets};
pub use dso::{dso, Dso};
pub use open_items::{position, OpenItem, Position};
