//! Letters as PDF bytes: the formal notice ("mise en demeure de payer") with the late-payment claim computed by
//! `encaisse_dunning::claims`, the reminder letters written from the user's templates, a batch of letters for
//! printing, the printable aged balance, and any report as a printable table. Pure: data in, bytes out; no
//! database, no clock.
//!
//! Each module uses only those below it: `pdf` (fonts, drawing, deterministic bytes) and `typography` (French
//! spacing and apostrophes, applied as text is drawn) ← `layout` (pages, margins, text flow, headers and footers)
//! ← `notice`, `reminder`, `penalties`, `table`, `aging` ← `batch`. `printable` checks a letter's texts before it is drawn:
//! what the embedded font cannot print as written (Arabic, Hebrew, CJK, emoji…) is refused by field.

pub mod aging;
pub mod batch;
pub use encaisse_domain::cores;
pub mod dossier;
mod layout;
pub mod notice;
mod pdf;
pub mod penalties;
pub mod printable;
pub mod reminder;
pub mod table;
mod typography;

pub use aging::render_aged_balance;
pub use batch::{render_letters, render_letters_on, Letter};
pub use dossier::{render_dossier_summary, DossierSummary, SummaryAmount, SummaryDocument};
pub use encaisse_domain::format::Lang;
pub use layout::letter::{Legal, Party};
pub use notice::{render_notice, render_notices, render_notices_on, BankDetails, Notice, Signatory};
pub use penalties::{
    render_penalty_statement, render_penalty_statements, PenaltyStatement, StatementInvoice,
};
pub use printable::{check_text, Unprintable};
pub use reminder::{render_reminder, Reminder, ReminderInvoice};
pub use table::{render_table, Table, TableCell};
