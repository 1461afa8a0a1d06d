//! When invoices were paid: inside each lettering group, credits (by date) pay debits (earliest due date first),
//! which dates every part payment of an invoice.

use crate::open_items::due_date;
use chrono::NaiveDate;
use encaisse_domain::{LedgerLine, Terms};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Part of a credit that paid part of a debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    /// Index of the paid invoice's line in the customer's slice.
    pub line: usize,
    /// The credit's date: when the money came (or the credit note was issued).
    pub date: NaiveDate,
    pub amount: Decimal,
    /// When its lettering group was complete (latest line date or lettering date): known from then on.
    pub lettered_on: NaiveDate,
}

/// An invoice fully paid, with the date of the credit that completed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidInvoice {
    pub line: usize,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    pub amount: Decimal,
    pub paid_on: NaiveDate,
    /// Known as paid from this date on (its lettering group complete): the invoices `paid_invoices` gives at a
    /// date D are those it gives at any later date with `lettered_on <= D`.
    pub lettered_on: NaiveDate,
}

impl PaidInvoice {
    /// Days between the due date and the payment; negative when paid early.
    pub fn days_late(&self) -> i64 {
        (self.paid_on - self.due_date).num_days()
    }
}

/// Every payment of the groups lettered by `as_of` (same rule as the open items: every line and the lettering
/// date on or before `as_of`). Unlettered credits pay nothing: the ledger does not say which invoice they pay.
pub fn payments(lines: &[LedgerLine], terms: Terms, as_of: NaiveDate) -> Vec<Payment> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(code) = line.letter.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            groups.entry(code).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    let mut debits: Vec<(usize, Decimal)> = Vec::new();
    let mut credits: Vec<(usize, Decimal)> = Vec::new();
    for group in groups.values() {
        let lettered_on = group
            .iter()
            .map(|&i| {
                let l = &lines[i];
                l.letter_date.map_or(l.entry_date, |d| d.max(l.entry_date))
            })
            .max()
            .unwrap_or(NaiveDate::MIN);
        if lettered_on > as_of {
            continue;
        }
        debits.clear();
        credits.clear();
        for &i in group {
            if lines[i].is_debit() {
                debits.push((i, lines[i].amount));
            } else if lines[i].amount < Decimal::ZERO {
                credits.push((i, -lines[i].amount));
            }
        }
        debits.sort_by_key(|&(i, _)| (due_date(&lines[i], terms), lines[i].entry_date, i));
        credits.sort_by_key(|&(i, _)| (lines[i].entry_date, i));
        let mut c = 0;
        for (debit, left) in debits.iter_mut() {
            while *left > Decimal::ZERO && c < credits.len() {
                let take = credits[c].1.min(*left);
                *left -= take;
                credits[c].1 -= take;
                out.push(Payment {
                    line: *debit,
                    date: lines[credits[c].0].entry_date,
                    amount: take,
                    lettered_on,
                });
                if credits[c].1.is_zero() {
                    c += 1;
                }
            }
        }
    }
    out
}

/// The invoices fully paid by `as_of`, from [`payments`], each dated by its last payment.
pub fn paid_invoices(lines: &[LedgerLine], terms: Terms, as_of: NaiveDate) -> Vec<PaidInvoice> {
    let mut pays = payments(lines, terms, as_of);
    pays.sort_by_key(|p| (p.line, p.date));
    let mut out = Vec::new();
    let mut i = 0;
    while i < pays.len() {
        let line = pays[i].line;
        let mut paid = Decimal::ZERO;
        let mut last = pays[i].date;
        let lettered_on = pays[i].lettered_on;
        while i < pays.len() && pays[i].line == line {
            paid += pays[i].amount;
            last = last.max(pays[i].date);
            i += 1;
        }
        let l = &lines[line];
        if paid == l.amount {
            out.push(PaidInvoice {
                line,
                invoice_date: l.document_date(),
                due_date: due_date(l, terms),
                amount: l.amount,
                paid_on: last,
                lettered_on,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use encaisse_domain::testing::{self, d};
    use rust_decimal_macros::dec;

    fn line(date: &str, piece: &str, amount: Decimal, letter: Option<&str>) -> LedgerLine {
        let line = testing::line("C1", date, piece, amount);
        match letter {
            Some(code) => line.lettered(code),
            None => line,
        }
    }

    #[test]
    fn part_payments_are_dated_and_the_last_one_pays_the_invoice() {
        // F1 due 02-04, F2 due 02-19: 150 on 02-10 pays F1 (100) and 50 of F2; 150 on 03-01 pays the rest of F2
        // and leaves 50 of unapplied credit inside the group.
        let lines = [
            line("2026-01-20", "F2", dec!(200), Some("A")),
            line("2026-01-05", "F1", dec!(100), Some("A")),
            line("2026-03-01", "R2", dec!(-150), Some("A")),
            line("2026-02-10", "R1", dec!(-150), Some("A")),
            line("2026-02-01", "F3", dec!(70), None),
        ];
        let p = payments(&lines, Terms::Net(30), d("2026-03-31"));
        assert_eq!(
            p,
            vec![
                Payment {
                    line: 1,
                    date: d("2026-02-10"),
                    amount: dec!(100),
                    lettered_on: d("2026-03-01"),
                },
                Payment {
                    line: 0,
                    date: d("2026-02-10"),
                    amount: dec!(50),
                    lettered_on: d("2026-03-01"),
                },
                Payment {
                    line: 0,
                    date: d("2026-03-01"),
                    amount: dec!(150),
                    lettered_on: d("2026-03-01"),
                },
            ]
        );
        let paid = paid_invoices(&lines, Terms::Net(30), d("2026-03-31"));
        assert_eq!(paid.len(), 2);
        assert_eq!((paid[0].line, paid[0].days_late()), (0, 10)); // due 02-19, paid 03-01
        assert_eq!((paid[1].line, paid[1].days_late()), (1, 6)); // due 02-04, paid 02-10
                                                                 // Before the second payment the group is not lettered yet: nothing is known to be paid.
        assert!(paid_invoices(&lines, Terms::Net(30), d("2026-02-20")).is_empty());
    }

    #[test]
    fn a_partial_group_pays_only_what_it_covers() {
        let lines = [
            line("2026-01-05", "F1", dec!(100), Some("B")),
            line("2026-01-06", "F2", dec!(100), Some("B")),
            line("2026-02-01", "R1", dec!(-130), Some("B")),
        ];
        let paid = paid_invoices(&lines, Terms::Net(30), d("2026-03-01"));
        assert_eq!(paid.len(), 1);
        assert_eq!(paid[0].line, 0);
        assert_eq!(paid[0].days_late(), -3);
    }
}
