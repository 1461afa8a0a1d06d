//! Provisional receipts: bank entries matched to invoices (or booked on a customer's account) before the
//! accountant's FEC shows them. They count at once, as of their booking date, and are reconciled — counted no more —
//! once the ledger shows them: the invoice they pay is lettered (paid in full), or the customer has a payment of
//! the receipt's amount booked within [`WINDOW_DAYS`] of its date (each ledger payment reconciles one receipt).
//!
//! The rule: for each invoice, open amount = ledger open amount − unreconciled provisional receipts on it, never
//! below zero (what a receipt pays beyond that, and what it puts on account, is an unapplied credit). It is applied
//! by adding lines to the customer's ledger ([`with_receipts`]), so that every report reading lines (aged balance,
//! agenda, letters, penalties, scores) counts the receipts the same way.

use crate::open_items::position;
use chrono::NaiveDate;
use encaisse_domain::ledger::OPENING_JOURNALS;
use encaisse_domain::{LedgerLine, Terms};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashSet};

/// How far (days, either side) a ledger payment of the receipt's amount may be from the receipt's date to
/// reconcile it.
pub const WINDOW_DAYS: i64 = 10;

/// The journal of the lines a provisional receipt adds.
pub const PROVISIONAL_JOURNAL: &str = "~BANQUE";

/// A bank receipt of one customer: what it pays on which invoice; the rest (`amount` − allocations) is on account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Names the receipt (the lines it adds carry it as piece reference).
    pub id: String,
    /// The booking date: the receipt counts from this day on.
    pub date: NaiveDate,
    /// The amount received (> 0).
    pub amount: Decimal,
    /// (invoice number, amount put on it).
    pub allocations: Vec<(String, Decimal)>,
}

/// A customer's lines with its unreconciled receipts added, and which receipts the ledger already shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithReceipts {
    pub lines: Vec<LedgerLine>,
    /// Per receipt (in the order given): true when the ledger shows it (it adds nothing).
    pub reconciled: Vec<bool>,
}

/// Invoice numbers whose lines are lettered in a group that nets to zero, with the indexes of that group's credits.
fn settled_invoices(lines: &[LedgerLine]) -> BTreeMap<&str, Vec<usize>> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, l) in lines.iter().enumerate() {
        if let Some(code) = l.letter.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            groups.entry(code).or_default().push(i);
        }
    }
    let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for group in groups.values() {
        if !group.iter().map(|&i| lines[i].amount).sum::<Decimal>().is_zero() {
            continue;
        }
        let credits: Vec<usize> = group.iter().copied().filter(|&i| !lines[i].is_debit()).collect();
        for &i in group.iter().filter(|&&i| lines[i].is_debit()) {
            out.entry(lines[i].piece_ref.as_str())
                .or_insert_with(|| credits.clone());
        }
    }
    out
}

/// Which receipts the ledger already shows (see the module's rule), in the order given.
pub fn reconciled(lines: &[LedgerLine], receipts: &[Receipt]) -> Vec<bool> {
    let settled = settled_invoices(lines);
    let mut used: HashSet<usize> = HashSet::new();
    let mut out = vec![false; receipts.len()];
    // First the receipts on invoices the ledger shows paid: their payments are the group's credits.
    for (k, r) in receipts.iter().enumerate() {
        if !r.allocations.is_empty()
            && r.allocations
                .iter()
                .all(|(inv, _)| settled.contains_key(inv.as_str()))
        {
            out[k] = true;
            for (inv, _) in &r.allocations {
                used.extend(settled[inv.as_str()].iter().copied());
            }
        }
    }
    // Then a payment of the amount within the window: receipts by date take the earliest such payment left.
    let mut payments: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let l = &lines[i];
            !l.is_debit()
                && !l.amount.is_zero()
                && !OPENING_JOURNALS.contains(&l.journal.as_str())
                && !used.contains(&i)
        })
        .collect();
    payments.sort_by_key(|&i| (lines[i].entry_date, i));
    let mut order: Vec<usize> = (0..receipts.len()).filter(|&k| !out[k]).collect();
    order.sort_by_key(|&k| (receipts[k].date, k));
    for k in order {
        let r = &receipts[k];
        let found = payments.iter().position(|&i| {
            let l = &lines[i];
            -l.amount == r.amount && (l.entry_date - r.date).num_days().abs() <= WINDOW_DAYS
        });
        if let Some(p) = found {
            payments.remove(p);
            out[k] = true;
        }
    }
    out
}

fn added_line(customer: &str, r: &Receipt, amount: Decimal, letter: Option<String>) -> LedgerLine {
    LedgerLine {
        customer_key: customer.to_string(),
        journal: PROVISIONAL_JOURNAL.to_string(),
        entry_num: r.id.clone(),
        entry_date: r.date,
        piece_ref: r.id.clone(),
        piece_date: None,
        label: "Encaissement bancaire provisoire".to_string(),
        amount: -amount,
        letter_date: letter.as_ref().map(|_| r.date),
        letter,
        due_date: None,
    }
}

/// One customer's lines with its unreconciled receipts added: each allocation is lettered with its invoice's
/// lines up to what the invoice still owes (the invoice's open amount never goes below zero); the rest of the
/// receipt is an unlettered credit (unapplied). Several receipts on one invoice join one lettering group, lettered
/// on the last one's date: at a date between them the balance counts the earlier ones, as an unapplied credit.
pub fn with_receipts(
    customer: &str,
    lines: &[LedgerLine],
    terms: Terms,
    receipts: &[Receipt],
) -> WithReceipts {
    let reconciled = reconciled(lines, receipts);
    let mut out = lines.to_vec();
    for (r, _) in receipts.iter().zip(&reconciled).filter(|(_, done)| !**done) {
        let mut rest = r.amount;
        for (n, (invoice, amount)) in r.allocations.iter().enumerate() {
            let mut left = (*amount).min(rest).max(Decimal::ZERO);
            rest -= left;
            let open = position(&out, terms, NaiveDate::MAX).open_items;
            for item in open.iter().filter(|i| &i.piece_ref == invoice) {
                let paid = left.min(item.residual);
                if paid <= Decimal::ZERO {
                    continue;
                }
                left -= paid;
                let code = match out[item.line].letter.as_deref().map(str::trim) {
                    Some(c) if !c.is_empty() => c.to_string(),
                    _ => {
                        let code = format!("~{}.{n}.{}", r.id, item.line);
                        out[item.line].letter = Some(code.clone());
                        out[item.line].letter_date = Some(r.date.max(out[item.line].entry_date));
                        code
                    }
                };
                out.push(added_line(customer, r, paid, Some(code)));
            }
            rest += left; // beyond what the invoice owes: unapplied
        }
        if rest > Decimal::ZERO {
            out.push(added_line(customer, r, rest, None));
        }
    }
    WithReceipts {
        lines: out,
        reconciled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open_items::Position;
    use encaisse_domain::testing::{self, d};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    fn receipt(id: &str, date: &str, amount: Decimal, on: &[(&str, Decimal)]) -> Receipt {
        Receipt {
            id: id.into(),
            date: d(date),
            amount,
            allocations: on.iter().map(|(i, a)| (i.to_string(), *a)).collect(),
        }
    }

    fn residual(p: &Position, invoice: &str) -> Decimal {
        p.open_items
            .iter()
            .filter(|i| i.piece_ref == invoice)
            .map(|i| i.residual)
            .sum()
    }

    const T: Terms = Terms::Net(30);

    #[test]
    fn a_receipt_pays_its_invoice_from_its_date() {
        let lines = [
            testing::line("C1", "2026-01-10", "F1", dec!(100)),
            testing::line("C1", "2026-01-12", "F2", dec!(50)),
        ];
        let r = [receipt("B1", "2026-02-05", dec!(100), &[("F1", dec!(100))])];
        let w = with_receipts("C1", &lines, T, &r);
        assert_eq!(w.reconciled, [false]);
        let before = position(&w.lines, T, d("2026-02-04"));
        assert_eq!(residual(&before, "F1"), dec!(100));
        let after = position(&w.lines, T, d("2026-02-05"));
        assert_eq!(residual(&after, "F1"), dec!(0));
        assert_eq!(after.balance(), dec!(50));
    }

    #[test]
    fn partial_overpaid_and_on_account() {
        let lines = [testing::line("C1", "2026-01-10", "F1", dec!(100))];
        let r = [
            receipt("B1", "2026-02-05", dec!(30), &[("F1", dec!(30))]),
            receipt("B2", "2026-02-06", dec!(120), &[("F1", dec!(120))]),
            receipt("B3", "2026-02-07", dec!(25), &[]),
        ];
        let w = with_receipts("C1", &lines, T, &r);
        let p = position(&w.lines, T, d("2026-02-05"));
        assert_eq!(p.balance(), dec!(70));
        let p = position(&w.lines, T, d("2026-03-01"));
        assert_eq!(residual(&p, "F1"), dec!(0), "never below zero");
        assert_eq!(p.unapplied, dec!(-75), "50 beyond the invoice and 25 on account");
    }

    #[test]
    fn the_ledger_reconciles_by_lettering_or_by_amount_within_the_window() {
        let paid = [
            testing::line("C1", "2026-01-10", "F1", dec!(100)).lettered_on("A", "2026-02-20"),
            testing::line("C1", "2026-02-20", "R1", dec!(-100)).lettered_on("A", "2026-02-20"),
        ];
        let r = [receipt("B1", "2026-02-05", dec!(100), &[("F1", dec!(100))])];
        assert_eq!(reconciled(&paid, &r), [true], "lettered, 15 days later");
        let booked = [
            testing::line("C1", "2026-01-10", "F1", dec!(100)),
            testing::line("C1", "2026-02-15", "R1", dec!(-100)),
        ];
        assert_eq!(reconciled(&booked, &r), [true], "10 days: in the window");
        let late = [
            testing::line("C1", "2026-01-10", "F1", dec!(100)),
            testing::line("C1", "2026-02-16", "R1", dec!(-100)),
        ];
        assert_eq!(reconciled(&late, &r), [false], "11 days: out of it");
        let other = [
            testing::line("C1", "2026-01-10", "F1", dec!(100)),
            testing::line("C1", "2026-02-06", "R1", dec!(-99)),
        ];
        assert_eq!(reconciled(&other, &r), [false], "another amount");
        // One ledger payment reconciles one receipt.
        let two = [r[0].clone(), receipt("B2", "2026-02-06", dec!(100), &[])];
        assert_eq!(reconciled(&booked, &two), [true, false]);
        let w = with_receipts("C1", &booked, T, &two);
        assert_eq!(position(&w.lines, T, d("2026-03-01")).balance(), dec!(-100));
    }

    fn cents(n: i64) -> Decimal {
        Decimal::new(n, 2)
    }

    proptest! {
        /// The rule itself, on any ledger and any receipts: open amount of each invoice = ledger open amount −
        /// unreconciled receipts on it, never below zero; the customer's balance drops by exactly the unreconciled
        /// receipts.
        #[test]
        fn open_amounts_are_the_ledger_less_unreconciled_receipts(
            invoices in prop::collection::vec((1i64..100_000, 0u8..3), 1..5),
            receipts in prop::collection::vec((0usize..6, 1i64..100_000, 0i64..60, prop::bool::ANY), 0..6),
        ) {
            let base = d("2026-01-01");
            let mut lines = Vec::new();
            for (k, (amount, paid)) in invoices.iter().enumerate() {
                let piece = format!("F{k}");
                let code = format!("L{k}");
                let inv = testing::line("C1", base, &piece, cents(*amount));
                match paid {
                    0 => lines.push(inv),
                    1 => { // lettered in full
                        lines.push(inv.lettered_on(&code, base));
                        lines.push(testing::line("C1", base, &format!("R{k}"), -cents(*amount)).lettered_on(&code, base));
                    }
                    _ => { // half lettered
                        lines.push(inv.lettered_on(&code, base));
                        lines.push(testing::line("C1", base, &format!("R{k}"), -cents(*amount / 2)).lettered_on(&code, base));
                    }
                }
            }
            let rs: Vec<Receipt> = receipts.iter().enumerate().map(|(k, (on, amount, day, alloc))| Receipt {
                id: format!("B{k}"),
                date: base + chrono::Days::new(*day as u64),
                amount: cents(*amount),
                allocations: if *alloc { vec![(format!("F{on}"), cents(*amount))] } else { vec![] },
            }).collect();
            let w = with_receipts("C1", &lines, T, &rs);
            let far = d("2027-01-01");
            let ledger = position(&lines, T, far);
            let adjusted = position(&w.lines, T, far);
            let mut unreconciled_total = Decimal::ZERO;
            for (r, done) in rs.iter().zip(&w.reconciled) {
                if !done { unreconciled_total += r.amount; }
            }
            for k in 0..invoices.len() {
                let inv = format!("F{k}");
                let on: Decimal = rs.iter().zip(&w.reconciled).filter(|(_, done)| !**done)
                    .flat_map(|(r, _)| r.allocations.iter()).filter(|(i, _)| *i == inv).map(|(_, a)| *a).sum();
                prop_assert_eq!(residual(&adjusted, &inv), (residual(&ledger, &inv) - on).max(Decimal::ZERO));
            }
            prop_assert_eq!(adjusted.balance(), ledger.balance() - unreconciled_total);
        }

        /// No double count across statements and FEC imports: payments reach the bank on their day and the FEC
        /// 0 to 10 days later (lettered with their invoice when they complete it, else unlettered); at any moment
        /// the customer owes the invoices less every payment known, once, and no invoice is below zero.
        #[test]
        fn each_payment_counts_once_whatever_the_imports(
            invoices in prop::collection::vec(1i64..50_000, 1..4),
            payments in prop::collection::vec((0usize..4, 1i64..100, 0i64..40, 0i64..11), 0..8),
            at in 0i64..60,
        ) {
            let base = d("2026-01-01");
            let day = |n: i64| base + chrono::Days::new(n as u64);
            // The true payments: (invoice, amount, bank day, FEC delay), never beyond what the invoice owes.
            let mut left: Vec<i64> = invoices.clone();
            let mut paid = Vec::new();
            for (on, share, bank, delay) in payments {
                let on = on % invoices.len();
                let amount = (invoices[on] * share / 100).min(left[on]);
                if amount == 0 { continue; }
                left[on] -= amount;
                paid.push((on, amount, bank, delay));
            }
            let now = at;
            // The FEC imported at `now`: the payments booked by then.
            let mut lines: Vec<LedgerLine> = invoices.iter().enumerate()
                .map(|(k, a)| testing::line("C1", base, &format!("F{k}"), cents(*a))).collect();
            let mut booked_of = vec![0i64; invoices.len()];
            for (n, (on, amount, bank, delay)) in paid.iter().enumerate() {
                if bank + delay <= now {
                    booked_of[*on] += amount;
                    lines.push(testing::line("C1", day(bank + delay), &format!("P{n}"), -cents(*amount)));
                }
            }
            for (k, a) in invoices.iter().enumerate() {
                if booked_of[k] == *a { // paid in full in the FEC: lettered
                    let code = format!("L{k}");
                    let idx: Vec<usize> = std::iter::once(k).chain(paid.iter().enumerate()
                        .filter(|(_, (on, _, bank, delay))| *on == k && bank + delay <= now)
                        .map(|(n, _)| invoices.len() + paid.iter().take(n).filter(|(_, _, b, d)| b + d <= now).count()))
                        .collect();
                    for i in idx { lines[i] = lines[i].clone().lettered_on(&code, day(now)); }
                }
            }
            // The statements imported by `now`: every payment whose bank day has come.
            let rs: Vec<Receipt> = paid.iter().enumerate().filter(|(_, p)| p.2 <= now)
                .map(|(n, (on, amount, bank, _))| Receipt {
                    id: format!("B{n}"), date: day(*bank), amount: cents(*amount),
                    allocations: vec![(format!("F{on}"), cents(*amount))],
                }).collect();
            let w = with_receipts("C1", &lines, T, &rs);
            let p = position(&w.lines, T, day(now));
            let known: i64 = paid.iter().filter(|p| p.2 <= now).map(|p| p.1).sum();
            prop_assert_eq!(p.balance(), cents(invoices.iter().sum::<i64>() - known));
            for item in &p.open_items { prop_assert!(item.residual >= Decimal::ZERO); }
        }
    }
}
