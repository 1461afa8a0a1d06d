//! What is still owed at a date: lettering groups, partial matches, unapplied credits.

use chrono::NaiveDate;
use encaisse_domain::{LedgerLine, Terms};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenItem {
    /// Index of the invoice's line in the customer's slice of ledger lines.
    pub line: usize,
    pub piece_ref: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// The invoice's full amount.
    pub amount: Decimal,
    /// What is left to pay at the date.
    pub residual: Decimal,
}

/// One customer's open invoices and unapplied credits at a date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    pub open_items: Vec<OpenItem>,
    /// Credits not matched to an invoice (≤ 0): payments on account, credit notes not yet lettered.
    pub unapplied: Decimal,
}

impl Position {
    pub fn balance(&self) -> Decimal {
        self.open_items.iter().map(|i| i.residual).sum::<Decimal>() + self.unapplied
    }
    pub fn is_empty(&self) -> bool {
        self.open_items.is_empty() && self.unapplied.is_zero()
    }
}

pub(crate) fn due_date(line: &LedgerLine, terms: Terms) -> NaiveDate {
    line.due_date
        .unwrap_or_else(|| terms.due_date(line.document_date()))
}

fn open_item(index: usize, line: &LedgerLine, terms: Terms, residual: Decimal) -> OpenItem {
    OpenItem {
        line: index,
        piece_ref: line.piece_ref.clone(),
        invoice_date: line.document_date(),
        due_date: due_date(line, terms),
        amount: line.amount,
        residual,
    }
}

/// The position of one customer at `as_of`, from all its ledger lines (any date; later ones are ignored).
pub fn position(lines: &[LedgerLine], terms: Terms, as_of: NaiveDate) -> Position {
    let mut groups: BTreeMap<&str, Vec<(usize, &LedgerLine)>> = BTreeMap::new();
    let mut pos = Position::default();
    let mut unlettered: Vec<(usize, &LedgerLine)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match line.letter.as_deref().map(str::trim) {
            Some(code) if !code.is_empty() => groups.entry(code).or_default().push((i, line)),
            _ => unlettered.push((i, line)),
        }
    }
    for group in groups.values() {
        let lettered_by_then = group
            .iter()
            .all(|(_, l)| l.entry_date <= as_of && l.letter_date.is_none_or(|d| d <= as_of));
        if !lettered_by_then {
            unlettered.extend(group.iter().filter(|(_, l)| l.entry_date <= as_of));
            continue;
        }
        let sum: Decimal = group.iter().map(|(_, l)| l.amount).sum();
        if sum.is_zero() {
            continue;
        }
        settle_partial(group, terms, &mut pos);
    }
    for (i, line) in unlettered.into_iter().filter(|(_, l)| l.entry_date <= as_of) {
        if line.is_debit() {
            pos.open_items.push(open_item(i, line, terms, line.amount));
        } else {
            pos.unapplied += line.amount;
        }
    }
    pos.open_items
        .sort_by(|a, b| (a.due_date, &a.piece_ref).cmp(&(b.due_date, &b.piece_ref)));
    pos
}

/// A lettered group that does not net to zero: its credits pay its debits, earliest due date first.
fn settle_partial(group: &[(usize, &LedgerLine)], terms: Terms, pos: &mut Position) {
    let mut credit: Decimal = -group
        .iter()
        .filter(|(_, l)| !l.is_debit())
        .map(|(_, l)| l.amount)
        .sum::<Decimal>();
    let mut debits: Vec<(usize, &LedgerLine)> = group.iter().copied().filter(|(_, l)| l.is_debit()).collect();
    debits.sort_by_key(|(_, l)| (due_date(l, terms), l.entry_date));
    for (i, debit) in debits {
        let paid = credit.min(debit.amount);
        credit -= paid;
        let left = debit.amount - paid;
        if left > Decimal::ZERO {
            pos.open_items.push(open_item(i, debit, terms, left));
        }
    }
    pos.unapplied -= credit;
}

#[cfg(test)]
mod tests {
    use super::*;
    use encaisse_domain::testing::{self, d};
    use rust_decimal_macros::dec;

    pub(crate) fn line(
        date: &str,
        piece: &str,
        amount: Decimal,
        letter: Option<(&str, Option<&str>)>,
    ) -> LedgerLine {
        let line = testing::line("C1", date, piece, amount);
        match letter {
            Some((code, Some(on))) => line.lettered_on(code, on),
            Some((code, None)) => line.lettered(code),
            None => line,
        }
    }

    #[test]
    fn cleared_group_leaves_nothing() {
        let lines = [
            line("2026-01-10", "F1", dec!(100), Some(("A", Some("2026-02-01")))),
            line("2026-02-01", "R1", dec!(-100), Some(("A", Some("2026-02-01")))),
        ];
        let p = position(&lines, Terms::Net(30), d("2026-03-01"));
        assert!(p.is_empty());
    }

    #[test]
    fn group_lettered_after_the_date_counts_as_unlettered() {
        let lines = [
            line("2026-01-10", "F1", dec!(100), Some(("A", Some("2026-02-10")))),
            line("2026-02-01", "R1", dec!(-100), Some(("A", Some("2026-02-10")))),
        ];
        let p = position(&lines, Terms::Net(30), d("2026-02-05"));
        assert_eq!(p.open_items.len(), 1);
        assert_eq!(p.unapplied, dec!(-100));
        assert_eq!(p.balance(), dec!(0));
        // Before the payment existed only the invoice is there.
        let p = position(&lines, Terms::Net(30), d("2026-01-20"));
        assert_eq!(p.balance(), dec!(100));
        assert_eq!(p.unapplied, dec!(0));
    }

    #[test]
    fn group_with_a_line_after_the_date_is_not_lettered_yet_even_without_date_let() {
        let lines = [
            line("2026-01-10", "F1", dec!(100), Some(("A", None))),
            line("2026-03-01", "R1", dec!(-100), Some(("A", None))),
        ];
        assert_eq!(
            position(&lines, Terms::Net(30), d("2026-02-15")).balance(),
            dec!(100)
        );
        assert!(position(&lines, Terms::Net(30), d("2026-03-01")).is_empty());
    }

    #[test]
    fn partial_group_pays_earliest_due_first() {
        let lines = [
            line("2026-01-20", "F2", dec!(300), Some(("B", Some("2026-02-15")))),
            line("2026-01-05", "F1", dec!(200), Some(("B", Some("2026-02-15")))),
            line("2026-02-15", "R1", dec!(-350), Some(("B", Some("2026-02-15")))),
        ];
        let p = position(&lines, Terms::Net(30), d("2026-03-01"));
        assert_eq!(p.open_items.len(), 1);
        assert_eq!(p.open_items[0].piece_ref, "F2");
        assert_eq!(p.open_items[0].residual, dec!(150));
        assert_eq!(p.open_items[0].amount, dec!(300));
        assert_eq!(p.unapplied, dec!(0));
    }

    #[test]
    fn partial_group_with_more_credit_leaves_unapplied() {
        let lines = [
            line("2026-01-05", "F1", dec!(200), Some(("B", Some("2026-02-15")))),
            line("2026-02-15", "R1", dec!(-250), Some(("B", Some("2026-02-15")))),
        ];
        let p = position(&lines, Terms::Net(30), d("2026-03-01"));
        assert!(p.open_items.is_empty());
        assert_eq!(p.unapplied, dec!(-50));
    }

    #[test]
    fn same_code_is_a_group_per_customer_call_and_unlettered_credit_is_unapplied() {
        let lines = [
            line("2026-01-05", "F1", dec!(80), None),
            line("2026-01-07", "AV1", dec!(-30), None),
        ];
        let p = position(&lines, Terms::Net(30), d("2026-01-31"));
        assert_eq!(p.open_items[0].due_date, d("2026-02-04"));
        assert_eq!(p.unapplied, dec!(-30));
        assert_eq!(p.balance(), dec!(50));
    }

    #[test]
    fn due_date_from_piece_date_or_explicit() {
        let mut l = line("2026-01-31", "F1", dec!(10), None);
        l.piece_date = Some(d("2026-01-15"));
        assert_eq!(
            position(&[l.clone()], Terms::Net(30), d("2026-02-01")).open_items[0].due_date,
            d("2026-02-14")
        );
        l.due_date = Some(d("2026-04-01"));
        assert_eq!(
            position(&[l], Terms::Net(30), d("2026-02-01")).open_items[0].due_date,
            d("2026-04-01")
        );
    }
}
