//! Disputes ("litiges"): a disputed invoice leaves the chase until the dispute is closed; the board counts
//! them by cause and by the department that owns them, so that the causes can be fixed.

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use encaisse_domain::collections::dispute::{Department, Dispute, DisputeKind};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: u32,
    pub amount: Decimal,
}

impl Tally {
    fn add(&mut self, amount: Decimal) {
        self.count += 1;
        self.amount += amount;
    }
}

/// The disputes board's figures as of a date, over every dispute opened by then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeStats {
    /// Every kind, in [`DisputeKind::ALL`] order (zero counts included, for a stable chart).
    pub by_kind: Vec<(DisputeKind, Tally)>,
    pub by_department: Vec<(Department, Tally)>,
    pub open: Tally,
    pub closed: Tally,
    /// Mean days from opening to closing of the disputes closed by then, one decimal; None when none closed.
    pub average_resolution_days: Option<Decimal>,
}

pub fn stats(disputes: &[Dispute], as_of: NaiveDate) -> DisputeStats {
    let mut by_kind: Vec<(DisputeKind, Tally)> =
        DisputeKind::ALL.iter().map(|k| (*k, Tally::default())).collect();
    let mut by_department: Vec<(Department, Tally)> =
        Department::ALL.iter().map(|k| (*k, Tally::default())).collect();
    let (mut open, mut closed) = (Tally::default(), Tally::default());
    let mut resolution_days = 0i64;
    for d in disputes.iter().filter(|d| d.opened_on <= as_of) {
        if let Some(t) = by_kind.iter_mut().find(|(k, _)| *k == d.kind) {
            t.1.add(d.amount);
        }
        if let Some(t) = by_department.iter_mut().find(|(k, _)| *k == d.department) {
            t.1.add(d.amount);
        }
        match d.closed_on.filter(|c| *c <= as_of) {
            Some(c) => {
                closed.add(d.amount);
                resolution_days += (c - d.opened_on).num_days();
            }
            None => open.add(d.amount),
        }
    }
    let average_resolution_days = (closed.count > 0).then(|| {
        (Decimal::from(resolution_days) / Decimal::from(closed.count))
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    });
    DisputeStats {
        by_kind,
        by_department,
        open,
        closed,
        average_resolution_days,
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
    fn board_figures_by_hand() {
        let mk = |kind, department, opened: &str, closed: Option<&str>, amount| Dispute {
            kind,
            department,
            opened_on: d(opened),
            closed_on: closed.map(d),
            amount,
        };
        use Department::{Accounting, Logistics, Sales};
        use DisputeKind::{Delivery, Duplicate, Price};
        let all = [
            mk(Price, Sales, "2026-01-01", Some("2026-01-11"), dec!(100)), // 10 days
            mk(Price, Sales, "2026-01-05", Some("2026-01-20"), dec!(50)),  // 15 days
            mk(Delivery, Logistics, "2026-02-01", None, dec!(30.5)),
            mk(
                DisputeKind::Quality,
                Department::Quality,
                "2026-02-01",
                Some("2026-03-15"),
                dec!(7),
            ), // closed after as_of
            mk(Duplicate, Accounting, "2026-03-01", None, dec!(1)), // opened after as_of
        ];
        let s = stats(&all, d("2026-02-28"));
        let kind = |k| s.by_kind.iter().find(|(x, _)| *x == k).unwrap().1;
        assert_eq!(
            kind(Price),
            Tally {
                count: 2,
                amount: dec!(150)
            }
        );
        assert_eq!(
            kind(Delivery),
            Tally {
                count: 1,
                amount: dec!(30.5)
            }
        );
        assert_eq!(kind(DisputeKind::Quality).count, 1);
        assert_eq!(kind(Duplicate).count, 0);
        assert_eq!(s.by_kind.len(), 8);
        let dep = |k| s.by_department.iter().find(|(x, _)| *x == k).unwrap().1;
        assert_eq!(
            dep(Sales),
            Tally {
                count: 2,
                amount: dec!(150)
            }
        );
        assert_eq!(dep(Logistics).amount, dec!(30.5));
        assert_eq!(dep(Accounting).count, 0);
        assert_eq!(
            s.open,
            Tally {
                count: 2,
                amount: dec!(37.5)
            }
        );
        assert_eq!(
            s.closed,
            Tally {
                count: 2,
                amount: dec!(150)
            }
        );
        assert_eq!(s.average_resolution_days, Some(dec!(12.5)));
        assert_eq!(stats(&all, d("2025-12-31")).average_resolution_days, None);
    }
}
