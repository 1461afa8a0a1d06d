//! How a customer pays: days late weighted by amount, share paid on time, trend, behaviour segment.

use crate::settlement::PaidInvoice;
use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// The behaviour segments live in the domain (their words are codes the screens translate); re-exported here at
/// their former name.
pub use encaisse_domain::customer::BehaviourSegment as Segment;
use encaisse_domain::customer::BehaviourSegment;

/// Statistics of a set of paid invoices. Days late count from the due date, early payments count as 0 days late.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LatenessStats {
    pub invoices: u32,
    pub amount: Decimal,
    /// Σ amount × days late / Σ amount, one decimal; None without invoices.
    pub avg_days_late: Option<Decimal>,
    /// The days late that half of the paid amount does not exceed.
    pub median_days_late: Option<i64>,
    /// Amount paid on or before the due date / amount paid, in percent with one decimal.
    pub on_time_share: Option<Decimal>,
}

pub(crate) fn one_decimal(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
}

/// Lateness of the invoices paid in (from, to].
pub fn lateness<'a>(
    paid: impl IntoIterator<Item = &'a PaidInvoice>,
    from: NaiveDate,
    to: NaiveDate,
) -> LatenessStats {
    let mut days: Vec<(i64, Decimal)> = paid
        .into_iter()
        .filter(|p| p.paid_on > from && p.paid_on <= to && p.amount > Decimal::ZERO)
        .map(|p| (p.days_late().max(0), p.amount))
        .collect();
    let amount: Decimal = days.iter().map(|(_, a)| *a).sum();
    if days.is_empty() || amount.is_zero() {
        return LatenessStats::default();
    }
    let weighted: Decimal = days.iter().map(|(d, a)| Decimal::from(*d) * a).sum();
    let on_time: Decimal = days.iter().filter(|(d, _)| *d == 0).map(|(_, a)| *a).sum();
    days.sort_unstable();
    let half = amount / Decimal::TWO;
    let mut cumulated = Decimal::ZERO;
    let mut median = 0;
    for (d, a) in &days {
        cumulated += a;
        if cumulated >= half {
            median = *d;
            break;
        }
    }
    LatenessStats {
        invoices: u32::try_from(days.len()).unwrap_or(u32::MAX),
        amount,
        avg_days_late: Some(one_decimal(weighted / amount)),
        median_days_late: Some(median),
        on_time_share: Some(one_decimal(on_time / amount * Decimal::ONE_HUNDRED)),
    }
}

/// A customer's payment behaviour at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    /// Invoices paid in the last 12 months.
    pub year: LatenessStats,
    /// Weighted days late of the last 3 months.
    pub recent: Option<Decimal>,
    /// Weighted days late of the 12 months before those 3.
    pub previous: Option<Decimal>,
    /// recent − previous, in days: positive when the customer pays later than it used to.
    pub trend: Option<Decimal>,
    pub segment: Option<BehaviourSegment>,
}

fn months_before(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(n)).unwrap_or(NaiveDate::MIN)
}

/// Behaviour at `as_of` from the customer's paid invoices (as known at `as_of`).
pub fn behaviour(paid: &[PaidInvoice], as_of: NaiveDate) -> Behaviour {
    let year = lateness(paid, months_before(as_of, 12), as_of);
    let three = months_before(as_of, 3);
    let recent = lateness(paid, three, as_of).avg_days_late;
    let previous = lateness(paid, months_before(three, 12), three).avg_days_late;
    Behaviour {
        year,
        recent,
        previous,
        trend: recent.zip(previous).map(|(r, p)| r - p),
        segment: year.avg_days_late.map(BehaviourSegment::of),
    }
}

/// The number of reminders needed before payment: over the invoices paid in (from, to], the average number of
/// reminders (emails, letters, calls about the invoice) dated from its invoice date to the day before its payment,
/// one decimal; None without such invoice. Each paid invoice comes with the dates of the reminders about it.
pub fn reminders_before_payment<'a>(
    paid: impl IntoIterator<Item = (&'a PaidInvoice, &'a [NaiveDate])>,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Decimal> {
    let (invoices, reminders) = paid
        .into_iter()
        .filter(|(p, _)| p.paid_on > from && p.paid_on <= to && p.amount > Decimal::ZERO)
        .fold((0u32, 0u32), |(n, r), (p, dates)| {
            let before = dates
                .iter()
                .filter(|d| **d >= p.invoice_date && **d < p.paid_on)
                .count();
            (n + 1, r + u32::try_from(before).unwrap_or(u32::MAX))
        });
    (invoices > 0).then(|| one_decimal(Decimal::from(reminders) / Decimal::from(invoices)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn paid(due: &str, days_late: i64, amount: Decimal) -> PaidInvoice {
        let due = d(due);
        PaidInvoice {
            line: 0,
            invoice_date: due,
            due_date: due,
            amount,
            lettered_on: NaiveDate::MAX,
            paid_on: if days_late >= 0 {
                due + Days::new(days_late as u64)
            } else {
                due - Days::new((-days_late) as u64)
            },
        }
    }

    #[test]
    fn weighted_average_median_and_on_time_share() {
        let as_of = d("2026-06-30");
        let set = [
            paid("2026-06-01", -4, dec!(100)), // early: 0 days late
            paid("2026-05-01", 10, dec!(300)),
            paid("2026-04-01", 40, dec!(100)),
            paid("2025-06-01", 90, dec!(1000)), // paid 2025-08-30: within 12 months
            paid("2025-01-01", 90, dec!(5000)), // paid 2025-04-01: out of the 12 months
        ];
        let s = lateness(&set, d("2025-06-30"), as_of);
        assert_eq!(s.invoices, 4);
        assert_eq!(s.amount, dec!(1500));
        // (0×100 + 10×300 + 40×100 + 90×1000) / 1500 = 97000 / 1500 = 64.67
        assert_eq!(s.avg_days_late, Some(dec!(64.7)));
        // Sorted: 0 (100), 10 (300), 40 (100), 90 (1000): half (750) is reached in the 90-day invoice.
        assert_eq!(s.median_days_late, Some(90));
        assert_eq!(s.on_time_share, Some(dec!(6.7)));
    }

    #[test]
    fn trend_compares_the_last_3_months_with_the_12_before() {
        let as_of = d("2026-06-30");
        let set = [
            paid("2026-05-20", 20, dec!(100)), // paid 06-09: recent
            paid("2026-02-01", 5, dec!(100)),  // paid 02-06: previous
            paid("2025-12-01", 15, dec!(300)), // paid 12-16: previous
            paid("2024-12-01", 99, dec!(100)), // paid 2025-03-10: before the 15 months
        ];
        let b = behaviour(&set, as_of);
        assert_eq!(b.recent, Some(dec!(20.0)));
        // (5×100 + 15×300) / 400 = 12.5
        assert_eq!(b.previous, Some(dec!(12.5)));
        assert_eq!(b.trend, Some(dec!(7.5)));
        // Year: (20×100 + 5×100 + 15×300) / 500 = 14.0 → slightly late.
        assert_eq!(b.year.avg_days_late, Some(dec!(14.0)));
        assert_eq!(b.segment, Some(BehaviourSegment::SlightlyLate));
        assert_eq!(behaviour(&[], as_of).segment, None);
    }

    #[test]
    fn segment_edges() {
        let cases = [
            (dec!(0), "on_time"),
            (dec!(5.0), "on_time"),
            (dec!(5.1), "slightly_late"),
            (dec!(15), "slightly_late"),
            (dec!(15.1), "late"),
            (dec!(45), "late"),
            (dec!(45.1), "very_late"),
        ];
        for (days, code) in cases {
            assert_eq!(BehaviourSegment::of(days).code(), code, "{days}");
        }
    }

    #[test]
    fn reminders_before_payment_counts_those_before_the_payment_day() {
        let as_of = d("2026-06-30");
        let year = d("2025-06-30");
        // Invoice dates are the due dates here.
        let a = paid("2026-05-01", 10, dec!(300)); // paid 05-11
        let b = paid("2026-04-01", 0, dec!(100)); // paid 04-01
        let c = paid("2026-03-01", 30, dec!(50)); // paid 03-31
        let old = paid("2025-01-01", 5, dec!(80)); // paid 2025-01-06: out of the 12 months
        let a_dates = [d("2026-05-02"), d("2026-05-09"), d("2026-05-11")]; // the payment day's does not count
        let b_dates = [d("2026-03-20")]; // before the invoice date: not about this invoice's payment
        let c_dates = [d("2026-03-05"), d("2026-03-15"), d("2026-03-25")];
        let old_dates = [d("2025-01-03")];
        let set: [(&PaidInvoice, &[NaiveDate]); 4] =
            [(&a, &a_dates), (&b, &b_dates), (&c, &c_dates), (&old, &old_dates)];
        // (2 + 0 + 3) / 3 = 1.67 → 1.7
        assert_eq!(reminders_before_payment(set, year, as_of), Some(dec!(1.7)));
        assert_eq!(
            reminders_before_payment([(&b, &b_dates[..])], year, as_of),
            Some(dec!(0.0))
        );
        assert_eq!(
            reminders_before_payment([(&old, &old_dates[..])], year, as_of),
            None
        );
    }
}
