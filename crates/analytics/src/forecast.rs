//! The cash-in forecast: each open invoice lands in exactly one place (a week, "later" or "uncertain"), and its
//! backtest against the payments that really came.
//!
//! Weeks run Monday to Sunday; the first is the week of the as-of date (it may start before it). An invoice is
//! expected at its due date shifted by its customer's habit (weighted days late, whole days); a payment promise
//! dated on or after the as-of date overrides that; a disputed invoice is uncertain; so is an invoice whose expected
//! date passed more than `uncertain_after_days` ago. An expected date already past (but not by that much) is
//! expected now, in the first week.

use crate::compact_aging::day;
use crate::open_items::OpenItem;
use crate::settlement::Payment;
use chrono::{Datelike, Days, NaiveDate};
use encaisse_domain::money::from_minor;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForecastOptions {
    pub weeks: u32,
    pub uncertain_after_days: i64,
}

impl Default for ForecastOptions {
    fn default() -> Self {
        ForecastOptions {
            weeks: 13,
            uncertain_after_days: 60,
        }
    }
}

/// A customer's promise to pay an invoice on a date: all of what is left on it, or `amount` of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    pub customer_key: String,
    pub piece_ref: String,
    pub date: NaiveDate,
    /// The part of the invoice promised (None: all its residual).
    pub amount: Option<Decimal>,
}

/// What the dunning work knows about invoices: promises and disputes, by (customer key, piece ref).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForecastInputs {
    pub promises: HashMap<(String, String), NaiveDate>,
    /// Promises of part of an invoice: that amount is expected at the promised date, the rest by the habit. Absent:
    /// the whole residual is promised.
    pub promised_amounts: HashMap<(String, String), Decimal>,
    pub disputed: HashSet<(String, String)>,
    /// Invoices the buyer approved (e-invoice status 205) or whose payment it announced (211): with the promised
    /// ones, what the forecast expects of them is also counted in its week's `confirmed`.
    pub approved: HashSet<(String, String)>,
}

impl ForecastInputs {
    pub fn new(promises: &[Promise], disputed: impl IntoIterator<Item = (String, String)>) -> Self {
        ForecastInputs {
            promises: promises
                .iter()
                .map(|p| ((p.customer_key.clone(), p.piece_ref.clone()), p.date))
                .collect(),
            promised_amounts: promises
                .iter()
                .filter_map(|p| Some(((p.customer_key.clone(), p.piece_ref.clone()), p.amount?)))
                .collect(),
            disputed: disputed.into_iter().collect(),
            approved: HashSet::new(),
        }
    }
    pub fn is_approved(&self, customer: &str, piece: &str) -> bool {
        !self.approved.is_empty() && self.approved.contains(&Self::key(customer, piece))
    }
    fn key(customer: &str, piece: &str) -> (String, String) {
        (customer.to_string(), piece.to_string())
    }
    pub fn is_disputed(&self, customer: &str, piece: &str) -> bool {
        !self.disputed.is_empty() && self.disputed.contains(&Self::key(customer, piece))
    }
    pub fn promise(&self, customer: &str, piece: &str) -> Option<NaiveDate> {
        if self.promises.is_empty() {
            return None;
        }
        self.promises.get(&Self::key(customer, piece)).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Index of the week (0 = the week of the as-of date).
    Week(usize),
    Later,
    Uncertain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Week {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub expected: Decimal,
    /// The part of `expected` on confirmed invoices (promised, approved or announced by the buyer).
    pub confirmed: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    pub as_of: NaiveDate,
    pub weeks: Vec<Week>,
    pub later: Decimal,
    pub uncertain: Decimal,
    /// Every open invoice's residual: weeks + later + uncertain.
    pub total: Decimal,
}

/// The Monday of the week of `d`.
pub fn monday_of(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// A customer's habit in whole days late (half up), 0 without history.
pub fn habit_days(avg_days_late: Option<Decimal>) -> i64 {
    avg_days_late
        .map(|d| d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .and_then(|d| i64::try_from(d).ok())
        .unwrap_or(0)
}

/// Where one open invoice lands, and the date it is expected (None when uncertain).
pub fn place(
    customer_key: &str,
    item: &OpenItem,
    habit: i64,
    inputs: &ForecastInputs,
    options: &ForecastOptions,
    as_of: NaiveDate,
) -> (Placement, Option<NaiveDate>) {
    place_by(
        inputs.is_disputed(customer_key, &item.piece_ref),
        inputs.promise(customer_key, &item.piece_ref),
        item,
        habit,
        options,
        as_of,
    )
}

fn place_by(
    disputed: bool,
    promise: Option<NaiveDate>,
    item: &OpenItem,
    habit: i64,
    options: &ForecastOptions,
    as_of: NaiveDate,
) -> (Placement, Option<NaiveDate>) {
    let at = day(as_of);
    let (placement, expected) = place_day(
        disputed,
        promise,
        day(item.due_date),
        habit,
        options,
        at,
        at - monday_offset(as_of),
    );
    (placement, expected.and_then(NaiveDate::from_num_days_from_ce_opt))
}

fn monday_offset(as_of: NaiveDate) -> i32 {
    i32::try_from(as_of.weekday().num_days_from_monday()).unwrap_or(0)
}

/// `place_by` on day numbers: the due date's and the as-of date's, and its Monday's.
fn place_day(
    disputed: bool,
    promise: Option<NaiveDate>,
    due: i32,
    habit: i64,
    options: &ForecastOptions,
    at: i32,
    monday: i32,
) -> (Placement, Option<i32>) {
    if disputed {
        return (Placement::Uncertain, None);
    }
    let expected = match promise.map(day).filter(|d| *d >= at) {
        Some(promised) => promised,
        None => {
            // The due date moved by the habit; left where it is when that falls outside the calendar.
            let by_habit = i64::from(due)
                .checked_add(habit)
                .filter(|d| (i64::from(day(NaiveDate::MIN))..=i64::from(day(NaiveDate::MAX))).contains(d))
                .and_then(|d| i32::try_from(d).ok())
                .unwrap_or(due);
            if i64::from(at) - i64::from(by_habit) > options.uncertain_after_days {
                return (Placement::Uncertain, None);
            }
            by_habit.max(at)
        }
    };
    let week = (i64::from(expected) - i64::from(monday)) / 7;
    match usize::try_from(week) {
        Ok(w) if w < options.weeks as usize => (Placement::Week(w), Some(expected)),
        _ => (Placement::Later, Some(expected)),
    }
}

fn empty_weeks(as_of: NaiveDate, weeks: u32) -> Vec<Week> {
    let monday = monday_of(as_of);
    (0..u64::from(weeks))
        .map(|w| Week {
            start: monday + Days::new(7 * w),
            end: monday + Days::new(7 * w + 6),
            expected: Decimal::ZERO,
            confirmed: Decimal::ZERO,
        })
        .collect()
}

/// The forecast at `as_of` from each customer's open items and habit (whole days late). A promise of part of an
/// invoice splits it: the promised amount (at most the residual; shared in line order by the open items of one
/// number) goes where the promise says, the rest where the habit says.
pub fn forecast<'a>(
    customers: impl IntoIterator<Item = (&'a str, &'a [OpenItem], i64)>,
    inputs: &ForecastInputs,
    options: &ForecastOptions,
    as_of: NaiveDate,
) -> Forecast {
    let mut b = ForecastBuilder::new(inputs, options, as_of, 0);
    for (key, items, habit) in customers {
        for item in items {
            b.item(key, &item.piece_ref, day(item.due_date), item.residual, habit);
        }
    }
    b.finish()
}

/// The forecast built one open item at a time, in the order [`forecast`] takes them. The items of customers that
/// no input names (no promise, dispute or approval) can be given in minor units: they are summed as integers.
pub struct ForecastBuilder<'i> {
    inputs: &'i ForecastInputs,
    options: ForecastOptions,
    at: i32,
    monday: i32,
    digits: u32,
    promised_left: HashMap<(String, String), Decimal>,
    /// The customers some input names.
    named: HashSet<&'i str>,
    f: Forecast,
    /// Minor units per week, then later, uncertain and total.
    minor: Vec<i64>,
}

impl<'i> ForecastBuilder<'i> {
    /// `digits`: the minor digits of the amounts given to [`ForecastBuilder::plain`].
    pub fn new(inputs: &'i ForecastInputs, options: &ForecastOptions, as_of: NaiveDate, digits: u32) -> Self {
        let at = day(as_of);
        let named = inputs
            .promises
            .keys()
            .chain(inputs.promised_amounts.keys())
            .chain(&inputs.disputed)
            .chain(&inputs.approved)
            .map(|(customer, _)| customer.as_str())
            .collect();
        ForecastBuilder {
            inputs,
            options: *options,
            at,
            monday: at - monday_offset(as_of),
            digits,
            promised_left: inputs.promised_amounts.clone(),
            named,
            f: Forecast {
                as_of,
                weeks: empty_weeks(as_of, options.weeks),
                later: Decimal::ZERO,
                uncertain: Decimal::ZERO,
                total: Decimal::ZERO,
            },
            minor: vec![0; options.weeks as usize + 3],
        }
    }

    /// Whether an input names the customer: its items then go through [`ForecastBuilder::item`].
    pub fn is_named(&self, customer: &str) -> bool {
        !self.named.is_empty() && self.named.contains(customer)
    }

    fn add(&mut self, placement: Placement, amount: Decimal, confirmed: bool) {
        match placement {
            Placement::Week(w) => {
                self.f.weeks[w].expected += amount;
                if confirmed {
                    self.f.weeks[w].confirmed += amount;
                }
            }
            Placement::Later => self.f.later += amount,
            Placement::Uncertain => self.f.uncertain += amount,
        }
    }

    /// One open item of a customer no input names (see [`ForecastBuilder::is_named`]): its due day, its residual
    /// in minor units.
    pub fn plain(&mut self, due: i32, residual: i64, habit: i64) {
        let weeks = self.options.weeks as usize;
        let (placement, _) = place_day(false, None, due, habit, &self.options, self.at, self.monday);
        let slot = match placement {
            Placement::Week(w) => w,
            Placement::Later => weeks,
            Placement::Uncertain => weeks + 1,
        };
        self.minor[slot] += residual;
        self.minor[weeks + 2] += residual;
    }

    /// One open item: its customer, piece, due day, residual.
    pub fn item(&mut self, key: &str, piece: &str, due: i32, residual: Decimal, habit: i64) {
        let inputs = self.inputs;
        let (at, monday, options) = (self.at, self.monday, self.options);
        self.f.total += residual;
        let approved = inputs.is_approved(key, piece);
        let disputed = inputs.is_disputed(key, piece);
        let promise = inputs.promise(key, piece);
        let confirmed = approved || promise.is_some();
        let left = match promise {
            Some(_) if !self.promised_left.is_empty() => self
                .promised_left
                .get_mut(&ForecastInputs::key(key, piece))
                .map(|l| {
                    let promised = residual.min(*l).max(Decimal::ZERO);
                    *l -= promised;
                    promised
                }),
            _ => None,
        };
        let Some(promised) = left else {
            let (placement, _) = place_day(disputed, promise, due, habit, &options, at, monday);
            self.add(placement, residual, confirmed);
            return;
        };
        if promised > Decimal::ZERO {
            let (placement, _) = place_day(disputed, promise, due, habit, &options, at, monday);
            self.add(placement, promised, confirmed);
        }
        let rest = residual - promised;
        if rest != Decimal::ZERO {
            // The rest of a partly promised invoice is confirmed only when the buyer approved the invoice.
            let (placement, _) = place_day(disputed, None, due, habit, &options, at, monday);
            self.add(placement, rest, approved);
        }
    }

    pub fn finish(mut self) -> Forecast {
        let weeks = self.options.weeks as usize;
        let money = |m: i64| from_minor(m, self.digits);
        for (w, m) in self.f.weeks.iter_mut().zip(&self.minor) {
            w.expected += money(*m);
        }
        self.f.later += money(self.minor[weeks]);
        self.f.uncertain += money(self.minor[weeks + 1]);
        self.f.total += money(self.minor[weeks + 2]);
        self.f
    }
}

/// What was really paid, week by week after `as_of`, on the invoices open at `as_of`. `payments` are the
/// customer's (as known today), sorted by line; a payment dated on or before `as_of` was already known then.
pub fn paid_by_week(items: &[OpenItem], payments: &[Payment], as_of: NaiveDate, out: &mut [Decimal]) {
    let monday = monday_of(as_of);
    for item in items {
        let start = payments.partition_point(|p| p.line < item.line);
        let mut left = item.residual;
        for p in payments[start..].iter().take_while(|p| p.line == item.line) {
            if p.date <= as_of || left <= Decimal::ZERO {
                continue;
            }
            let amount = p.amount.min(left);
            left -= amount;
            let week = (p.date - monday).num_days() / 7;
            if let Some(slot) = usize::try_from(week).ok().and_then(|w| out.get_mut(w)) {
                *slot += amount;
            }
        }
    }
}

/// One week of a backtest: what the forecast made then expected, and what came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BacktestWeek {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub expected: Decimal,
    pub actual: Decimal,
}

/// The forecast made at a past date against what came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backtest {
    pub as_of: NaiveDate,
    pub weeks: Vec<BacktestWeek>,
}

pub fn backtest(forecast: &Forecast, actual: &[Decimal]) -> Backtest {
    Backtest {
        as_of: forecast.as_of,
        weeks: forecast
            .weeks
            .iter()
            .zip(actual)
            .map(|(w, a)| BacktestWeek {
                start: w.start,
                end: w.end,
                expected: w.expected,
                actual: *a,
            })
            .collect(),
    }
}

/// Weighted absolute error, in percent with one decimal: Σ |expected − actual| / Σ actual over the first
/// `horizon` weeks of every backtest; None when nothing came.
pub fn weighted_absolute_error(backtests: &[Backtest], horizon: usize) -> Option<Decimal> {
    let (err, actual) = backtests
        .iter()
        .flat_map(|b| b.weeks.iter().take(horizon))
        .fold((Decimal::ZERO, Decimal::ZERO), |(e, a), w| {
            (e + (w.expected - w.actual).abs(), a + w.actual)
        });
    (actual > Decimal::ZERO).then(|| {
        (err / actual * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// The same error for week `index` alone (0 = the first week of each backtest).
pub fn weighted_absolute_error_of_week(backtests: &[Backtest], index: usize) -> Option<Decimal> {
    let only: Vec<Backtest> = backtests
        .iter()
        .map(|b| Backtest {
            as_of: b.as_of,
            weeks: b.weeks.get(index).copied().into_iter().collect(),
        })
        .collect();
    weighted_absolute_error(&only, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(line: usize, piece: &str, due: &str, residual: Decimal) -> OpenItem {
        OpenItem {
            line,
            piece_ref: piece.into(),
            invoice_date: d(due) - Days::new(30),
            due_date: d(due),
            amount: residual,
            residual,
        }
    }

    #[test]
    fn each_invoice_lands_in_one_place() {
        // Thursday 2026-11-26: week 0 is Mon 11-23 to Sun 11-29.
        let as_of = d("2026-11-26");
        let items = [
            item(0, "F1", "2026-11-20", dec!(100)), // +10 days → 11-30: week 1
            item(1, "F2", "2026-11-01", dec!(200)), // +10 → 11-11, passed 15 days ago: now, week 0
            item(2, "F3", "2026-09-01", dec!(300)), // +10 → 09-11, 76 days ago (> 60): uncertain
            item(3, "F4", "2027-02-15", dec!(400)), // +10 → 02-25, after the 13th week (ends 02-21): later
            item(4, "F5", "2026-12-01", dec!(500)), // disputed: uncertain
            item(5, "F6", "2026-09-01", dec!(600)), // far late, but promised 12-07: week 2
            item(6, "F7", "2026-12-10", dec!(700)), // promised 11-01, in the past: habit → 12-20, week 3
        ];
        let inputs = ForecastInputs::new(
            &[
                Promise {
                    customer_key: "C".into(),
                    piece_ref: "F6".into(),
                    date: d("2026-12-07"),
                    amount: None,
                },
                Promise {
                    customer_key: "C".into(),
                    piece_ref: "F7".into(),
                    date: d("2026-11-01"),
                    amount: None,
                },
            ],
            [("C".to_string(), "F5".to_string())],
        );
        let f = forecast(
            [("C", &items[..], 10)],
            &inputs,
            &ForecastOptions::default(),
            as_of,
        );
        assert_eq!(f.weeks.len(), 13);
        assert_eq!(
            (f.weeks[0].start, f.weeks[0].end),
            (d("2026-11-23"), d("2026-11-29"))
        );
        assert_eq!(f.weeks[12].end, d("2027-02-21"));
        let expected: Vec<Decimal> = f.weeks.iter().map(|w| w.expected).take(4).collect();
        assert_eq!(expected, [dec!(200), dec!(100), dec!(600), dec!(700)]);
        assert_eq!(f.later, dec!(400));
        assert_eq!(f.uncertain, dec!(800));
        assert_eq!(f.total, dec!(2800));
        assert_eq!(
            f.weeks.iter().map(|w| w.expected).sum::<Decimal>() + f.later + f.uncertain,
            f.total
        );
    }

    #[test]
    fn a_promise_of_part_of_an_invoice_splits_it() {
        // Thursday 2026-11-26, habit 10 days.
        let as_of = d("2026-11-26");
        let items = [
            item(0, "F1", "2026-11-20", dec!(1000)), // 400 promised 12-14 (week 3), 600 by habit 11-30 (week 1)
            item(1, "F2", "2026-09-01", dec!(300)),  // one number, two lines: 350 promised 12-07 (week 2)…
            item(2, "F2", "2026-09-01", dec!(200)), // …300 from the first, 50 here, 150 uncertain (habit 09-11)
            item(3, "F3", "2026-12-01", dec!(100)), // promised 999 (more than left): all 100 on 12-21 (week 4)
            item(4, "F4", "2026-12-01", dec!(80)),  // promised 50 but disputed: all uncertain
        ];
        let promise = |piece: &str, date: &str, amount: Decimal| Promise {
            customer_key: "C".into(),
            piece_ref: piece.into(),
            date: d(date),
            amount: Some(amount),
        };
        let inputs = ForecastInputs::new(
            &[
                promise("F1", "2026-12-14", dec!(400)),
                promise("F2", "2026-12-07", dec!(350)),
                promise("F3", "2026-12-21", dec!(999)),
                promise("F4", "2026-12-21", dec!(50)),
            ],
            [("C".to_string(), "F4".to_string())],
        );
        let f = forecast(
            [("C", &items[..], 10)],
            &inputs,
            &ForecastOptions::default(),
            as_of,
        );
        let expected: Vec<Decimal> = f.weeks.iter().map(|w| w.expected).take(5).collect();
        assert_eq!(expected, [dec!(0), dec!(600), dec!(350), dec!(400), dec!(100)]);
        // What was promised is confirmed; the rest of F1, expected by the habit, is not…
        let confirmed: Vec<Decimal> = f.weeks.iter().map(|w| w.confirmed).take(5).collect();
        assert_eq!(confirmed, [dec!(0), dec!(0), dec!(350), dec!(400), dec!(100)]);
        // …unless the buyer approved the invoice (e-invoice status 205).
        let mut approved = inputs.clone();
        approved.approved.insert(("C".to_string(), "F1".to_string()));
        let g = forecast(
            [("C", &items[..], 10)],
            &approved,
            &ForecastOptions::default(),
            as_of,
        );
        let confirmed: Vec<Decimal> = g.weeks.iter().map(|w| w.confirmed).take(5).collect();
        assert_eq!(confirmed, [dec!(0), dec!(600), dec!(350), dec!(400), dec!(100)]);
        assert_eq!(f.uncertain, dec!(230));
        assert_eq!(f.later, dec!(0));
        assert_eq!(f.total, dec!(1680));
        assert_eq!(
            f.weeks.iter().map(|w| w.expected).sum::<Decimal>() + f.later + f.uncertain,
            f.total
        );
    }

    #[test]
    fn uncertain_edge_is_exactly_the_limit() {
        let as_of = d("2026-11-26");
        let none = ForecastInputs::default();
        let opts = ForecastOptions::default();
        // Expected 60 days ago: still expected now; 61 days ago: uncertain.
        let at = item(0, "F", "2026-09-27", dec!(1));
        assert_eq!(place("C", &at, 0, &none, &opts, as_of).0, Placement::Week(0));
        let beyond = item(0, "F", "2026-09-26", dec!(1));
        assert_eq!(
            place("C", &beyond, 0, &none, &opts, as_of).0,
            Placement::Uncertain
        );
        // Sunday 2026-11-29 is the last day of week 0; Monday 11-30 starts week 1.
        let sunday = item(0, "F", "2026-11-29", dec!(1));
        assert_eq!(
            place("C", &sunday, 0, &none, &opts, as_of),
            (Placement::Week(0), Some(d("2026-11-29")))
        );
        let monday = item(0, "F", "2026-11-30", dec!(1));
        assert_eq!(place("C", &monday, 0, &none, &opts, as_of).0, Placement::Week(1));
        assert_eq!(habit_days(Some(dec!(12.5))), 13);
        assert_eq!(habit_days(None), 0);
    }

    #[test]
    fn backtest_counts_later_payments_capped_at_the_residual() {
        let as_of = d("2026-11-02"); // a Monday
        let items = [
            item(0, "F1", "2026-11-05", dec!(100)),
            item(2, "F2", "2026-11-20", dec!(50)),
        ];
        let payments = [
            Payment {
                line: 0,
                date: d("2026-11-01"),
                amount: dec!(20),
                lettered_on: d("2026-12-31"),
            }, // known before: not counted
            Payment {
                line: 0,
                date: d("2026-11-03"),
                amount: dec!(30),
                lettered_on: d("2026-12-31"),
            },
            Payment {
                line: 0,
                date: d("2026-11-10"),
                amount: dec!(70),
                lettered_on: d("2026-12-31"),
            }, // capped at 100 − 30 = 70
            Payment {
                line: 1,
                date: d("2026-11-10"),
                amount: dec!(999),
                lettered_on: d("2026-12-31"),
            }, // not an open item
            Payment {
                line: 2,
                date: d("2026-12-20"),
                amount: dec!(50),
                lettered_on: d("2026-12-31"),
            }, // beyond 4 weeks
        ];
        let mut actual = vec![Decimal::ZERO; 4];
        paid_by_week(&items, &payments, as_of, &mut actual);
        assert_eq!(actual, [dec!(30), dec!(70), dec!(0), dec!(0)]);
        let f = forecast(
            [("C", &items[..], 0)],
            &ForecastInputs::default(),
            &ForecastOptions {
                weeks: 4,
                ..Default::default()
            },
            as_of,
        );
        // Expected: F1 (due 11-05) week 0: 100; F2 (due 11-20) week 2: 50.
        let b = backtest(&f, &actual);
        // |100 − 30| + |0 − 70| + |50 − 0| + 0 = 190 over 100 that came: 190 %.
        assert_eq!(
            weighted_absolute_error(std::slice::from_ref(&b), 4),
            Some(dec!(190.0))
        );
        assert_eq!(weighted_absolute_error_of_week(&[b], 0), Some(dec!(233.3)));
    }
}
