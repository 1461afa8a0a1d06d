//! Receivables analytics as pure functions over ledger lines, as of any date
//! (rules of shared/domain/receivables-from-fec.md, steps 3–7, and the finance director's views: groupings, scores, forecast, D441-6).

pub mod aging;
pub mod behaviour;
pub mod compact_aging;
pub mod compact_forecast;
pub mod d441_6;
pub mod dso;
pub mod dso_set;
pub mod forecast;
pub mod grouping;
pub mod open_items;
pub mod provisional;
pub mod scoring;
pub mod settlement;

pub use aging::{
    aged_balance, aged_balance_by, aged_balance_of, aged_customer, AgeBasis, AgedBalance, AgedCustomer,
    Buckets,
};
pub use dso::{dso, Dso};
pub use open_items::{position, OpenItem, Position};
