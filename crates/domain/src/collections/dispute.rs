//! Disputes ("litiges"): what the customer disputes, the department that must solve it, and whether a dispute
//! holds the chase of its invoices on a day.

use crate::words::word_enum;
use chrono::NaiveDate;
use rust_decimal::Decimal;

word_enum!(
    /// What the customer disputes.
    DisputeKind {
        Price = "price",
        Quantity = "quantity",
        Quality = "quality",
        Delivery = "delivery",
        InvoicingError = "invoicing_error",
        MissingPurchaseOrder = "missing_purchase_order",
        Duplicate = "duplicate",
        Other = "other",
    }
);

word_enum!(
    /// The department that must solve it.
    Department {
        Sales = "sales",
        Logistics = "logistics",
        Quality = "quality",
        Accounting = "accounting",
    }
);

word_enum!(
    /// Where a dispute stands: open until closed with a resolution.
    DisputeStatus {
        Open = "open",
        Closed = "closed",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    pub kind: DisputeKind,
    pub department: Department,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// What is disputed (the open amount of its invoices when it was opened, unless said otherwise).
    pub amount: Decimal,
}

impl Dispute {
    /// Open on `day`: opened that day or before, not closed by then (closing on a day resumes the chase that day).
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.opened_on <= day && self.closed_on.is_none_or(|c| day < c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn open_until_the_day_it_is_closed() {
        let x = Dispute {
            kind: DisputeKind::Price,
            department: Department::Sales,
            opened_on: d("2026-04-01"),
            closed_on: Some(d("2026-04-10")),
            amount: dec!(10),
        };
        assert!(!x.open_on(d("2026-03-31")));
        assert!(x.open_on(d("2026-04-01")));
        assert!(x.open_on(d("2026-04-09")));
        assert!(!x.open_on(d("2026-04-10")));
    }

    #[test]
    fn words_round_trip() {
        for k in DisputeKind::ALL {
            assert_eq!(k.as_str().parse::<DisputeKind>(), Ok(*k));
        }
        for k in Department::ALL {
            assert_eq!(k.as_str().parse::<Department>(), Ok(*k));
        }
        for k in DisputeStatus::ALL {
            assert_eq!(k.as_str().parse::<DisputeStatus>(), Ok(*k));
        }
        assert!("weather"
            .parse::<DisputeKind>()
            .unwrap_err()
            .contains("missing_purchase_order"));
    }
}
