//! The collections workflow as pure rules: dunning scenarios and the agenda they give for a day, promises to pay
//! and their status from the ledger, disputes and their statistics, and the late-payment penalties and indemnities
//! a formal notice claims, and those owed on invoices paid late (`late_payments`). No IO: the store keeps the records, the app
//! feeds them in with the open items of `encaisse_analytics`.

pub mod action;
pub mod agenda;
pub mod claims;
pub mod dispute;
pub mod late_payments;
pub mod promise;
pub mod scenario;

pub use agenda::{agenda, Action, AgendaRules, CustomerCase, FollowUp, InvoiceCase, ListedInvoice};
pub use dispute::DisputeStats;

// The workflow's names live in `encaisse_domain::collections` (the store shares them without depending on the
// rules); they stay reachable at their former paths here, in this crate's root and in its modules, until every
// caller imports them from the domain.

/// Minimum days between two chases of one customer when the setting is absent.
pub const DEFAULT_MIN_GAP_DAYS: u32 = 5;
/// Days after a promised date before the chase resumes, when the promise does not say.
pub const DEFAULT_PROMISE_GRACE_DAYS: u32 = 3;
