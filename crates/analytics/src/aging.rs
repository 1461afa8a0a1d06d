//! The aged balance ("balance âgée"): open invoices by days past due, unapplied credits apart.

use crate::open_items::{position, Position};
use chrono::NaiveDate;
use encaisse_domain::{Customer, LedgerLine, Terms};
use rust_decimal::Decimal;

/// Bucket limits in days late: the default `[30, 60, 90]` gives not_due, 1-30, 31-60, 61-90, 91+.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buckets {
    limits: Vec<i64>,
}

impl Default for Buckets {
    fn default() -> Self {
        Buckets {
            limits: vec![30, 60, 90],
        }
    }
}

impl Buckets {
    /// The upper limits in days ([30, 60, 90] by default).
    pub fn limits(&self) -> &[i64] {
        &self.limits
    }
    /// Strictly increasing positive limits.
    pub fn new(limits: Vec<i64>) -> Option<Self> {
        let ok = !limits.is_empty() && limits[0] > 0 && limits.windows(2).all(|w| w[0] < w[1]);
        ok.then_some(Buckets { limits })
    }
    pub fn len(&self) -> usize {
        self.limits.len() + 2
    }
    pub fn is_empty(&self) -> bool {
        false
    }
    /// "not_due", "1-30", …, "91+".
    pub fn labels(&self) -> Vec<String> {
        let mut out = vec!["not_due".to_string()];
        let mut low = 1;
        for &l in &self.limits {
            out.push(format!("{low}-{l}"));
            low = l + 1;
        }
        out.push(format!("{low}+"));
        out
    }
    pub fn index(&self, days_late: i64) -> usize {
        if days_late <= 0 {
            return 0;
        }
        1 + self.limits.iter().take_while(|&&l| days_late > l).count()
    }
}

/// What the days are counted from: the due date (the default: days late) or the invoice date (days since issue).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AgeBasis {
    #[default]
    DueDate,
    InvoiceDate,
}

impl AgeBasis {
    /// Days of an open item at `as_of` on this basis.
    pub fn days(self, item: &crate::OpenItem, as_of: NaiveDate) -> i64 {
        match self {
            AgeBasis::DueDate => (as_of - item.due_date).num_days(),
            AgeBasis::InvoiceDate => (as_of - item.invoice_date).num_days(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgedCustomer {
    pub key: String,
    pub name: String,
    pub balance: Decimal,
    pub unapplied: Decimal,
    pub buckets: Vec<Decimal>,
    pub position: Position,
}

impl AgedCustomer {
    /// Past due: every bucket but not_due.
    pub fn overdue(&self) -> Decimal {
        self.buckets.iter().skip(1).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgedBalance {
    pub as_of: NaiveDate,
    pub labels: Vec<String>,
    /// Customers with an open item, by key.
    pub customers: Vec<AgedCustomer>,
    pub balance: Decimal,
    pub unapplied: Decimal,
    pub buckets: Vec<Decimal>,
}

impl AgedBalance {
    pub fn overdue(&self) -> Decimal {
        self.buckets.iter().skip(1).sum()
    }
}

/// Ages every customer's open items at `as_of`. `ledger` pairs each customer with all its lines.
pub fn aged_balance<'a>(
    ledger: impl IntoIterator<Item = (&'a Customer, &'a [LedgerLine])>,
    default_terms: Terms,
    buckets: &Buckets,
    as_of: NaiveDate,
) -> AgedBalance {
    aged_balance_by(ledger, default_terms, buckets, AgeBasis::DueDate, as_of)
}

/// The aged balance with days counted on `basis`; the first bucket holds items of 0 days or fewer.
pub fn aged_balance_by<'a>(
    ledger: impl IntoIterator<Item = (&'a Customer, &'a [LedgerLine])>,
    default_terms: Terms,
    buckets: &Buckets,
    basis: AgeBasis,
    as_of: NaiveDate,
) -> AgedBalance {
    aged_balance_of(
        ledger.into_iter().filter_map(|(customer, lines)| {
            aged_customer(customer, lines, default_terms, buckets, basis, as_of)
        }),
        buckets,
        as_of,
    )
}

/// One customer's row of [`aged_balance_by`], None when nothing of it is open at `as_of`: the rows of customers
/// can be computed apart (on several threads) and summed by [`aged_balance_of`].
pub fn aged_customer(
    customer: &Customer,
    lines: &[LedgerLine],
    default_terms: Terms,
    buckets: &Buckets,
    basis: AgeBasis,
    as_of: NaiveDate,
) -> Option<AgedCustomer> {
    let pos = position(lines, customer.terms.unwrap_or(default_terms), as_of);
    if pos.is_empty() {
        return None;
    }
    let mut row = vec![Decimal::ZERO; buckets.len()];
    for item in &pos.open_items {
        row[buckets.index(basis.days(item, as_of))] += item.residual;
    }
    Some(AgedCustomer {
        key: customer.key.clone(),
        name: customer.name.clone(),
        balance: pos.balance(),
        unapplied: pos.unapplied,
        buckets: row,
        position: pos,
    })
}

/// The aged balance of these customers' rows (from [`aged_customer`] with the same buckets and date), sorted
/// by key.
pub fn aged_balance_of(
    rows: impl IntoIterator<Item = AgedCustomer>,
    buckets: &Buckets,
    as_of: NaiveDate,
) -> AgedBalance {
    let mut total = AgedBalance {
        as_of,
        labels: buckets.labels(),
        customers: Vec::new(),
        balance: Decimal::ZERO,
        unapplied: Decimal::ZERO,
        buckets: vec![Decimal::ZERO; buckets.len()],
    };
    for row in rows {
        for (t, v) in total.buckets.iter_mut().zip(&row.buckets) {
            *t += *v;
        }
        total.balance += row.balance;
        total.unapplied += row.unapplied;
        total.customers.push(row);
    }
    total.customers.sort_by(|a, b| a.key.cmp(&b.key));
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use encaisse_domain::testing::{d, invoice, line};
    use rust_decimal_macros::dec;

    #[test]
    fn bucket_edges() {
        let b = Buckets::default();
        assert_eq!(b.labels(), ["not_due", "1-30", "31-60", "61-90", "91+"]);
        for (days, idx) in [
            (-5, 0),
            (0, 0),
            (1, 1),
            (30, 1),
            (31, 2),
            (60, 2),
            (61, 3),
            (90, 3),
            (91, 4),
            (900, 4),
        ] {
            assert_eq!(b.index(days), idx, "{days} days late");
        }
    }

    #[test]
    fn custom_buckets() {
        let b = Buckets::new(vec![15, 30, 45, 60, 90, 120]).unwrap();
        assert_eq!(
            b.labels(),
            ["not_due", "1-15", "16-30", "31-45", "46-60", "61-90", "91-120", "121+"]
        );
        assert_eq!(b.index(16), 2);
        assert!(Buckets::new(vec![30, 30]).is_none());
        assert!(Buckets::new(vec![0]).is_none());
    }

    #[test]
    fn ages_by_invoice_date_on_request() {
        let mut l = invoice("C1", "2026-05-31", "F1", dec!(100)).with_entry_num("1");
        let c = Customer::new("C1", "A");
        let lines = [l.clone()];
        // 30 days after the invoice date, due on 06-30: not due by due date, 1-30 by invoice date.
        let by_due = aged_balance(
            [(&c, &lines[..])],
            Terms::Net(30),
            &Buckets::default(),
            d("2026-06-30"),
        );
        assert_eq!(by_due.buckets[0], dec!(100));
        let by_invoice = aged_balance_by(
            [(&c, &lines[..])],
            Terms::Net(30),
            &Buckets::default(),
            AgeBasis::InvoiceDate,
            d("2026-06-30"),
        );
        assert_eq!(by_invoice.buckets[1], dec!(100));
        // Dated the same day: 0 days since issue, first bucket.
        l.entry_date = d("2026-06-30");
        let lines = [l];
        let same_day = aged_balance_by(
            [(&c, &lines[..])],
            Terms::Net(30),
            &Buckets::default(),
            AgeBasis::InvoiceDate,
            d("2026-06-30"),
        );
        assert_eq!(same_day.buckets[0], dec!(100));
    }

    #[test]
    fn ages_by_due_date_and_keeps_unapplied_apart() {
        let mk = |date: &str, piece: &str, amount| line("C1", date, piece, amount);
        let c = Customer::new("C1", "Café de la Gare");
        // As of 2026-06-30 with 30 days net: due dates 05-31 (30 late), 05-30 (31 late), 07-10 (not due).
        let lines = vec![
            mk("2026-05-01", "F1", dec!(100)),
            mk("2026-04-30", "F2", dec!(200)),
            mk("2026-06-10", "F3", dec!(50)),
            mk("2026-06-20", "AV1", dec!(-20)),
        ];
        let empty = Customer::new("C2", "Nobody");
        let ab = aged_balance(
            [(&c, lines.as_slice()), (&empty, &[][..])],
            Terms::Net(30),
            &Buckets::default(),
            d("2026-06-30"),
        );
        assert_eq!(ab.customers.len(), 1);
        let row = &ab.customers[0];
        assert_eq!(
            row.buckets,
            vec![dec!(50), dec!(100), dec!(200), dec!(0), dec!(0)]
        );
        assert_eq!(row.unapplied, dec!(-20));
        assert_eq!(row.balance, dec!(330));
        assert_eq!(ab.overdue(), dec!(300));
        assert_eq!(ab.buckets.iter().sum::<Decimal>() + ab.unapplied, ab.balance);
    }
}
