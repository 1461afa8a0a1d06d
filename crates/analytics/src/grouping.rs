//! The aged balance regrouped (by segment, collector, risk class…) and drilled down to its invoices.

use crate::aging::{AgeBasis, AgedBalance, AgedCustomer, Buckets};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One group's totals: the sum of its customers' rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgedGroup {
    /// The group's key; customers without a value are grouped under an empty key.
    pub key: String,
    pub customers: u32,
    pub balance: Decimal,
    pub unapplied: Decimal,
    pub buckets: Vec<Decimal>,
}

/// Regroups an aged balance's customers by `key_of`; groups sorted by key. Totals are unchanged: every customer is
/// in exactly one group.
pub fn group_aged(aged: &AgedBalance, mut key_of: impl FnMut(&AgedCustomer) -> String) -> Vec<AgedGroup> {
    let mut groups: BTreeMap<String, AgedGroup> = BTreeMap::new();
    for c in &aged.customers {
        let key = key_of(c);
        let g = groups.entry(key.clone()).or_insert_with(|| AgedGroup {
            key,
            customers: 0,
            balance: Decimal::ZERO,
            unapplied: Decimal::ZERO,
            buckets: vec![Decimal::ZERO; aged.labels.len()],
        });
        g.customers += 1;
        g.balance += c.balance;
        g.unapplied += c.unapplied;
        for (t, v) in g.buckets.iter_mut().zip(&c.buckets) {
            *t += *v;
        }
    }
    groups.into_values().collect()
}

/// One open invoice of the aged balance, with its days and bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgedInvoice {
    pub customer_key: String,
    pub piece_ref: String,
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// Days on the report's basis (late, or since issue).
    pub days: i64,
    pub bucket: usize,
    pub amount: Decimal,
    pub residual: Decimal,
}

/// The open invoices behind an aged balance, for the customers `keep` accepts, by customer then due date.
pub fn aged_invoices(
    aged: &AgedBalance,
    buckets: &Buckets,
    basis: AgeBasis,
    mut keep: impl FnMut(&AgedCustomer) -> bool,
) -> Vec<AgedInvoice> {
    let mut out = Vec::new();
    for c in aged.customers.iter().filter(|c| keep(c)) {
        for item in &c.position.open_items {
            let days = basis.days(item, aged.as_of);
            out.push(AgedInvoice {
                customer_key: c.key.clone(),
                piece_ref: item.piece_ref.clone(),
                invoice_date: item.invoice_date,
                due_date: item.due_date,
                days,
                bucket: buckets.index(days),
                amount: item.amount,
                residual: item.residual,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aging::aged_balance;
    use encaisse_domain::testing::{d, invoice};
    use encaisse_domain::{Customer, LedgerLine, Terms};
    use rust_decimal_macros::dec;

    fn inv(key: &str, date: &str, piece: &str, amount: Decimal) -> LedgerLine {
        invoice(key, date, piece, amount)
    }

    #[test]
    fn groups_sum_their_customers_and_drill_down_lists_invoices() {
        let mut a = Customer::new("A", "A");
        a.segment = Some("pme".into());
        let mut b = Customer::new("B", "B");
        b.segment = Some("pme".into());
        let c = Customer::new("C", "C");
        let la = [
            inv("A", "2026-01-01", "F1", dec!(100)),
            inv("A", "2026-03-01", "F2", dec!(10)),
        ];
        let lb = [
            inv("B", "2026-02-20", "F3", dec!(40)),
            inv("B", "2026-02-21", "AV", dec!(-5)),
        ];
        let lc = [inv("C", "2026-03-10", "F4", dec!(7))];
        let aged = aged_balance(
            [(&a, &la[..]), (&b, &lb[..]), (&c, &lc[..])],
            Terms::Net(30),
            &Buckets::default(),
            d("2026-03-31"),
        );
        let segment_of = |key: &str| {
            [&a, &b, &c]
                .iter()
                .find(|x| x.key == key)
                .and_then(|x| x.segment.clone())
        };
        let groups = group_aged(&aged, |c| segment_of(&c.key).unwrap_or_default());
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].key, "");
        assert_eq!(groups[0].balance, dec!(7));
        let pme = &groups[1];
        assert_eq!(pme.customers, 2);
        // F1 due 01-31 (59 days late), F2 due 03-31 (not due), F3 due 03-22 (9 late), AV unapplied.
        assert_eq!(pme.buckets, vec![dec!(10), dec!(40), dec!(100), dec!(0), dec!(0)]);
        assert_eq!(pme.unapplied, dec!(-5));
        assert_eq!(pme.balance, dec!(145));

        let invoices = aged_invoices(&aged, &Buckets::default(), AgeBasis::DueDate, |c| c.key == "A");
        let seen: Vec<_> = invoices
            .iter()
            .map(|i| (i.piece_ref.as_str(), i.days, i.bucket))
            .collect();
        assert_eq!(seen, [("F1", 59, 2), ("F2", 0, 0)]);
    }
}
