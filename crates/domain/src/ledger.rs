//! A customer's ledger line: an invoice (debit), a payment or credit note (credit), with its lettering.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The journals that carry opening balances (à-nouveaux), not sales: the DSO leaves them out of the sales and
/// the FEC reader recognises the opening entries by them (compared without case).
pub const OPENING_JOURNALS: [&str; 3] = ["AN", "RAN", "ANO"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub customer_key: String,
    pub journal: String,
    pub entry_num: String,
    /// EcritureDate: the line exists from this date on.
    pub entry_date: NaiveDate,
    /// PieceRef: the invoice or payment number.
    pub piece_ref: String,
    /// PieceDate: the invoice date, when the ledger has it.
    pub piece_date: Option<NaiveDate>,
    pub label: String,
    /// Debit − Credit: positive for an invoice, negative for a payment or credit note.
    pub amount: Decimal,
    /// EcritureLet: lines of one customer with the same code are matched together.
    pub letter: Option<String>,
    /// DateLet: when the matching was made.
    pub letter_date: Option<NaiveDate>,
    /// A due date known from the invoice itself (e-invoice BT-9, CSV); overrides the terms.
    pub due_date: Option<NaiveDate>,
}

impl LedgerLine {
    pub fn is_debit(&self) -> bool {
        self.amount > Decimal::ZERO
    }
    /// The invoice date: PieceDate, else EcritureDate.
    pub fn document_date(&self) -> NaiveDate {
        self.piece_date.unwrap_or(self.entry_date)
    }
}
