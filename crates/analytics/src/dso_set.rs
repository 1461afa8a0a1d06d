//! The DSO figures beside average and countback: best possible DSO and the month ends of the trend.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// Best possible DSO: what the DSO would be if every customer paid on time, i.e. counting only the receivables
/// not yet due: not_due / sales × period, one decimal; None without sales.
pub fn best_possible_dso(not_yet_due: Decimal, sales: Decimal, period_days: u32) -> Option<Decimal> {
    (!sales.is_zero()).then(|| {
        (not_yet_due / sales * Decimal::from(period_days))
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// The last `n` month ends on or before `as_of`, oldest first (as_of itself when it is a month end).
pub fn month_ends(as_of: NaiveDate, n: u32) -> Vec<NaiveDate> {
    let first = as_of.with_day(1).unwrap_or(as_of);
    let this_end = encaisse_domain::terms::end_of_month(as_of);
    let latest = if this_end == as_of {
        as_of
    } else {
        first.pred_opt().unwrap_or(first)
    };
    let mut out: Vec<NaiveDate> = (0..n)
        .filter_map(|i| {
            latest
                .with_day(1)
                .and_then(|m| m.checked_sub_months(Months::new(i)))
                .map(encaisse_domain::terms::end_of_month)
        })
        .collect();
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn best_possible_counts_only_what_is_not_yet_due() {
        // 400 not due over 1700 of sales in 90 days: 21.18 → 21.2.
        assert_eq!(best_possible_dso(dec!(400), dec!(1700), 90), Some(dec!(21.2)));
        assert_eq!(best_possible_dso(dec!(400), dec!(0), 90), None);
    }

    #[test]
    fn twelve_month_ends() {
        let m = month_ends(d("2026-11-26"), 12);
        assert_eq!(m.len(), 12);
        assert_eq!(m[0], d("2025-11-30"));
        assert_eq!(m[11], d("2026-10-31"));
        assert!(m.contains(&d("2026-02-28")));
        let m = month_ends(d("2026-11-30"), 3);
        assert_eq!(m, [d("2026-09-30"), d("2026-10-31"), d("2026-11-30")]);
    }
}
