//! Letters as PDF bytes, and the late-payment penalties they claim: the formal notice ("mise en demeure de payer"),
//! the reminder letters written from the user's templates, a batch of letters for printing, the printable aged
//! balance, and any report as a printable table. Pure: data in, bytes out; no database, no clock.

pub mod aging;
pub mod batch;
pub mod notice;
mod pdf;
pub mod penalties;
pub mod reminder;
pub mod table;

pub use aging::render_aged_balance;
pub use batch::{render_letters, Letter};
pub use notice::{render_notice, render_notices, BankDetails, Notice, Party, Signatory};
pub use penalties::{claim, Basis, Claim, InvoiceDue, PenaltyError, RateTable};
pub use reminder::{render_reminder, Lang, Reminder, ReminderInvoice};
pub use table::{render_table, Table, TableCell};
