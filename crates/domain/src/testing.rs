//! Ledger lines for tests, built in one place (feature `testing`, for the dev-dependencies of the crates above).
//!
//! A line starts as the common case — the sales journal (VE), its entry numbered and referenced by its piece, no
//! piece date, label, lettering or due date — and the `with_*` methods change what a test needs:
//! `invoice("C1", "2026-01-10", "F1", dec!(100)).lettered_on("A", "2026-02-01")`.

use crate::LedgerLine;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A date written `YYYY-MM-DD`, or already a date.
pub trait Day {
    fn day(self) -> NaiveDate;
}

impl Day for &str {
    fn day(self) -> NaiveDate {
        d(self)
    }
}

impl Day for NaiveDate {
    fn day(self) -> NaiveDate {
        self
    }
}

/// `YYYY-MM-DD` as a date; panics on anything else (a test's typo).
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A customer's line of `amount` (debit − credit) in the sales journal (VE), entry and piece `piece`.
pub fn line(customer: &str, date: impl Day, piece: &str, amount: Decimal) -> LedgerLine {
    LedgerLine {
        customer_key: customer.into(),
        journal: "VE".into(),
        entry_num: piece.into(),
        entry_date: date.day(),
        piece_ref: piece.into(),
        piece_date: None,
        label: String::new(),
        amount,
        letter: None,
        letter_date: None,
        due_date: None,
    }
}

/// An invoice: a debit of `amount` in the sales journal (VE).
pub fn invoice(customer: &str, date: impl Day, piece: &str, amount: Decimal) -> LedgerLine {
    line(customer, date, piece, amount)
}

/// A payment received: a credit of `amount` (given positive) in the bank journal (BQ).
pub fn payment(customer: &str, date: impl Day, piece: &str, amount: Decimal) -> LedgerLine {
    line(customer, date, piece, -amount).with_journal("BQ")
}

impl LedgerLine {
    pub fn with_journal(mut self, journal: &str) -> Self {
        self.journal = journal.into();
        self
    }

    pub fn with_entry_num(mut self, entry_num: &str) -> Self {
        self.entry_num = entry_num.into();
        self
    }

    pub fn with_piece_date(mut self, date: impl Day) -> Self {
        self.piece_date = Some(date.day());
        self
    }

    pub fn with_label(mut self, label: &str) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_due_date(mut self, date: impl Day) -> Self {
        self.due_date = Some(date.day());
        self
    }

    /// Lettered with `code`, the matching undated.
    pub fn lettered(mut self, code: &str) -> Self {
        self.letter = Some(code.into());
        self.letter_date = None;
        self
    }

    /// Lettered with `code`, matched on `date`.
    pub fn lettered_on(mut self, code: &str, date: impl Day) -> Self {
        self.letter = Some(code.into());
        self.letter_date = Some(date.day());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn a_payment_is_a_bank_credit_and_lettering_is_dated_on_request() {
        let p = payment("C1", "2026-02-01", "R1", dec!(100)).lettered_on("A", "2026-02-02");
        assert_eq!((p.journal.as_str(), p.amount), ("BQ", dec!(-100)));
        assert_eq!(p.letter_date, Some(d("2026-02-02")));
        let i = invoice("C1", d("2026-01-10"), "F1", dec!(100)).lettered("A");
        assert_eq!((i.journal.as_str(), i.entry_num.as_str()), ("VE", "F1"));
        assert_eq!(i.letter_date, None);
    }
}
