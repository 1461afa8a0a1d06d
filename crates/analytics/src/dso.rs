//! Days sales outstanding: the average method and the countback method.

use chrono::{Datelike, Days, NaiveDate};
use encaisse_domain::LedgerLine;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dso {
    pub as_of: NaiveDate,
    pub period_days: u32,
    pub receivables: Decimal,
    /// Invoiced over (as_of − period, as_of], opening journals left out.
    pub sales: Decimal,
    /// One decimal; None when there were no sales in the period.
    pub average: Option<Decimal>,
    pub countback: Option<Decimal>,
}

const COUNTBACK_MONTHS: usize = 24;

fn one_decimal(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// DSO at `as_of` over `period_days`, from the receivables at that date and the customers' ledger lines.
pub fn dso<'a>(
    lines: impl IntoIterator<Item = &'a LedgerLine>,
    receivables: Decimal,
    as_of: NaiveDate,
    period_days: u32,
    opening_journals: &[&str],
) -> Dso {
    let period_start = as_of
        .checked_sub_days(Days::new(u64::from(period_days)))
        .unwrap_or(as_of);
    let oldest_month = (0..COUNTBACK_MONTHS - 1).fold(first_of_month(as_of), |m, _| {
        first_of_month(m.pred_opt().unwrap_or(m))
    });
    let mut sales = Decimal::ZERO;
    let mut by_month: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
    for line in lines {
        let is_sale = line.is_debit()
            && line.entry_date <= as_of
            && !opening_journals
                .iter()
                .any(|j| j.eq_ignore_ascii_case(line.journal.trim()));
        if !is_sale {
            continue;
        }
        if line.entry_date > period_start {
            sales += line.amount;
        }
        if line.entry_date >= oldest_month {
            *by_month.entry(first_of_month(line.entry_date)).or_default() += line.amount;
        }
    }
    let (average, countback) = if sales.is_zero() {
        (None, None)
    } else {
        let avg = one_decimal(receivables / sales * Decimal::from(period_days));
        (
            Some(avg),
            Some(one_decimal(countback_days(receivables, as_of, &by_month))),
        )
    };
    Dso {
        as_of,
        period_days,
        receivables,
        sales,
        average,
        countback,
    }
}

/// The sales of a ledger (debits, opening journals left out) by entry date with running totals, built once: the
/// DSO at any date from it ([`dso_indexed`]) equals [`dso`] over the lines, without walking them again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SalesIndex {
    /// Distinct entry dates, increasing.
    days: Vec<NaiveDate>,
    /// `cumulated[i]`: the sales of every day up to and including `days[i]`.
    cumulated: Vec<Decimal>,
}

impl SalesIndex {
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a LedgerLine>, opening_journals: &[&str]) -> SalesIndex {
        let mut by_day: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
        for line in lines {
            let is_sale = line.is_debit()
                && !opening_journals
                    .iter()
                    .any(|j| j.eq_ignore_ascii_case(line.journal.trim()));
            if is_sale {
                *by_day.entry(line.entry_date).or_default() += line.amount;
            }
        }
        let mut total = Decimal::ZERO;
        let (days, cumulated) = by_day
            .into_iter()
            .map(|(d, a)| {
                total += a;
                (d, total)
            })
            .unzip();
        SalesIndex { days, cumulated }
    }

    /// The index as bytes (each day's number, then its running total as `Decimal::serialize`), to be kept and
    /// read back by [`SalesIndex::from_bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + self.days.len() * 20);
        out.extend_from_slice(&u32::try_from(self.days.len()).unwrap_or(u32::MAX).to_le_bytes());
        for (d, c) in self.days.iter().zip(&self.cumulated) {
            out.extend_from_slice(&d.num_days_from_ce().to_le_bytes());
            out.extend_from_slice(&c.serialize());
        }
        out
    }

    /// An index written by [`SalesIndex::to_bytes`]; None when the bytes are not one (cut, a day out of range or
    /// out of order).
    pub fn from_bytes(bytes: &[u8]) -> Option<SalesIndex> {
        let (n, mut rest) = bytes.split_first_chunk::<4>()?;
        let n = u32::from_le_bytes(*n) as usize;
        if rest.len() != n.checked_mul(20)? {
            return None;
        }
        let mut index = SalesIndex {
            days: Vec::with_capacity(n),
            cumulated: Vec::with_capacity(n),
        };
        while let Some((day, tail)) = rest.split_first_chunk::<4>() {
            let (total, tail) = tail.split_first_chunk::<16>()?;
            let day = NaiveDate::from_num_days_from_ce_opt(i32::from_le_bytes(*day))?;
            if index.days.last().is_some_and(|last| *last >= day) {
                return None;
            }
            index.days.push(day);
            index.cumulated.push(Decimal::deserialize(*total));
            rest = tail;
        }
        Some(index)
    }

    /// Sales dated on or before `d`.
    fn up_to(&self, d: NaiveDate) -> Decimal {
        match self.days.partition_point(|x| *x <= d) {
            0 => Decimal::ZERO,
            n => self.cumulated[n - 1],
        }
    }

    /// Sales dated in (after, to].
    fn between(&self, after: NaiveDate, to: NaiveDate) -> Decimal {
        if to <= after {
            Decimal::ZERO
        } else {
            self.up_to(to) - self.up_to(after)
        }
    }
}

/// [`dso`] from a [`SalesIndex`] of the same lines and opening journals.
pub fn dso_indexed(index: &SalesIndex, receivables: Decimal, as_of: NaiveDate, period_days: u32) -> Dso {
    let period_start = as_of
        .checked_sub_days(Days::new(u64::from(period_days)))
        .unwrap_or(as_of);
    let sales = index.between(period_start, as_of);
    let (average, countback) = if sales.is_zero() {
        (None, None)
    } else {
        // The countback months: the date's month and the 23 before, each up to the date.
        let mut by_month: BTreeMap<NaiveDate, Decimal> = BTreeMap::new();
        let mut month = first_of_month(as_of);
        for _ in 0..COUNTBACK_MONTHS {
            let before = month.pred_opt().unwrap_or(month);
            let end = encaisse_domain::terms::end_of_month(month).min(as_of);
            let amount = index.between(before, end);
            if !amount.is_zero() {
                by_month.insert(month, amount);
            }
            if before == month {
                break;
            }
            month = first_of_month(before);
        }
        let avg = one_decimal(receivables / sales * Decimal::from(period_days));
        (
            Some(avg),
            Some(one_decimal(countback_days(receivables, as_of, &by_month))),
        )
    };
    Dso {
        as_of,
        period_days,
        receivables,
        sales,
        average,
        countback,
    }
}

fn countback_days(
    receivables: Decimal,
    as_of: NaiveDate,
    by_month: &BTreeMap<NaiveDate, Decimal>,
) -> Decimal {
    let mut left = receivables;
    let mut days = Decimal::ZERO;
    let mut month = first_of_month(as_of);
    for i in 0..COUNTBACK_MONTHS {
        if left <= Decimal::ZERO {
            break;
        }
        let month_days = if i == 0 {
            as_of.day()
        } else {
            crate_days_in_month(month)
        };
        let month_sales = by_month.get(&month).copied().unwrap_or_default();
        if month_sales > left {
            days += left / month_sales * Decimal::from(month_days);
            left = Decimal::ZERO;
        } else {
            days += Decimal::from(month_days);
            left -= month_sales;
        }
        month = first_of_month(month.pred_opt().unwrap_or(month));
    }
    days
}

fn crate_days_in_month(first: NaiveDate) -> u32 {
    encaisse_domain::terms::end_of_month(first).day()
}

#[cfg(test)]
mod tests {
    use super::{crate_days_in_month, dso, first_of_month, Decimal, LedgerLine, NaiveDate};
    use encaisse_domain::ledger::OPENING_JOURNALS;
    use encaisse_domain::testing::line;
    use rust_decimal_macros::dec;

    fn sale(date: &str, amount: Decimal, journal: &str) -> LedgerLine {
        line("C1", date, "F", amount)
            .with_journal(journal)
            .with_entry_num("1")
    }

    #[test]
    fn hand_computed_average_and_countback() {
        let lines = [
            sale("2025-12-10", dec!(999), "VE"), // before the 90-day window, in the countback months
            sale("2026-01-20", dec!(800), "VE"),
            sale("2026-02-10", dec!(500), "VE"),
            sale("2026-03-05", dec!(400), "VE"),
            sale("2026-03-20", dec!(7777), "VE"),  // after the date
            sale("2026-03-01", dec!(5000), "ANO"), // opening balance
            sale("2026-03-02", dec!(-300), "VE"),  // a payment is not a sale
        ];
        let d = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let r = dso(&lines, dec!(1000), d, 90, &OPENING_JOURNALS);
        assert_eq!(r.sales, dec!(1700));
        // 1000 / 1700 × 90 = 52.94…
        assert_eq!(r.average, Some(dec!(52.9)));
        // March 15 days (400), February 28 days (500), then 100 / 800 of January's 31 days = 3.875.
        assert_eq!(r.countback, Some(dec!(46.9)));
    }

    #[test]
    fn no_sales_gives_none_and_nothing_owed_gives_zero() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let r = dso(&[], dec!(1000), d, 90, &OPENING_JOURNALS);
        assert_eq!((r.average, r.countback), (None, None));
        let lines = [sale("2026-03-05", dec!(400), "VE")];
        let r = dso(&lines, dec!(0), d, 90, &OPENING_JOURNALS);
        assert_eq!((r.average, r.countback), (Some(dec!(0.0)), Some(dec!(0))));
    }

    #[test]
    fn countback_stops_after_24_months() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        let lines = [sale("2026-03-05", dec!(1), "VE")];
        let r = dso(&lines, dec!(1_000_000), d, 90, &OPENING_JOURNALS);
        // 15 days of March 2026, then 23 whole months back to April 2024.
        let expected = 15
            + (1..24)
                .fold(
                    (0u32, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
                    |(acc, m), _| {
                        let prev = first_of_month(m.pred_opt().unwrap());
                        (acc + crate_days_in_month(prev), prev)
                    },
                )
                .0;
        assert_eq!(r.countback, Some(Decimal::from(expected)));
    }
}
