//! The cash-in forecast by week and its measured accuracy (backtest).

use crate::book::{Loaded, PaidIndex};
use crate::collection::CollectionRecords;
use crate::reports::days;
use crate::{App, AppError, AppResult};
use chrono::{Days, Months, NaiveDate};
use encaisse_analytics::behaviour::lateness;
use encaisse_analytics::compact_forecast::forecast_compact;
use encaisse_analytics::forecast::{
    backtest, forecast, habit_days, monday_of, paid_by_week, weighted_absolute_error,
    weighted_absolute_error_of_week, Backtest, ForecastInputs, ForecastOptions,
};
use encaisse_analytics::settlement::{payments, PaidInvoice};
use encaisse_analytics::{AgeBasis, AgedBalance, Buckets};
use encaisse_domain::format_amount;
use encaisse_store::CustomerLedger;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// `encaisse forecast --format json`, exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastReport {
    pub as_of: NaiveDate,
    pub weeks: Vec<ForecastWeek>,
    pub later: String,
    pub uncertain: String,
    /// Equals the open invoices of the aged balance (its buckets' sum) at the date.
    pub total: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastWeek {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub expected: String,
    /// The part of `expected` the buyers confirmed: promised, or approved (205) or announced (211) on the
    /// e-invoicing platform.
    pub confirmed: String,
}

/// The forecast's backtest: forecasts made at past Mondays from what was known then, against what came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastAccuracy {
    pub as_of: NaiveDate,
    pub horizon_weeks: u32,
    /// Σ |expected − actual| / Σ actual over the horizon of every backtest, percent; null when nothing came.
    pub weighted_absolute_error: Option<f64>,
    /// The same per week ahead (1 = the forecast's first week), with the sums.
    pub by_week: Vec<AccuracyWeek>,
    pub backtests: Vec<BacktestReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccuracyWeek {
    pub week: u32,
    pub expected: String,
    pub actual: String,
    pub weighted_absolute_error: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BacktestReport {
    pub as_of: NaiveDate,
    pub weeks: Vec<BacktestWeekReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BacktestWeekReport {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub expected: String,
    pub actual: String,
}

/// The forecast at `as_of` from its aged balance, habits from the invoices known paid by then (`paid` may hold
/// invoices lettered later: they are left out).
pub(crate) fn forecast_from(
    aged: &AgedBalance,
    paid: &HashMap<&str, Vec<PaidInvoice>>,
    inputs: &ForecastInputs,
    weeks: u32,
    as_of: NaiveDate,
) -> encaisse_analytics::forecast::Forecast {
    let mut known: Vec<PaidInvoice> = Vec::new();
    // The habit is the behaviour's 12-month weighted days late (behaviour().year), without its trend.
    let year_before = as_of
        .checked_sub_months(Months::new(12))
        .unwrap_or(NaiveDate::MIN);
    let habits: Vec<i64> = aged
        .customers
        .iter()
        .map(|c| {
            known.clear();
            if let Some(list) = paid.get(c.key.as_str()) {
                known.extend(list.iter().filter(|p| p.lettered_on <= as_of));
            }
            habit_days(lateness(&known, year_before, as_of).avg_days_late)
        })
        .collect();
    forecast(
        aged.customers
            .iter()
            .zip(&habits)
            .map(|(c, h)| (c.key.as_str(), c.position.open_items.as_slice(), *h)),
        inputs,
        &ForecastOptions {
            weeks,
            ..ForecastOptions::default()
        },
        as_of,
    )
}

/// The forecast at `as_of` over the book: from the compact form of the ledger in force and the paid invoices in
/// minor units when `compact` and the book has them (the same figures: property tests in
/// `encaisse_analytics::compact_forecast`, the demo in this crate's tests), else from the positions.
pub(crate) fn forecast_of(
    book: &Loaded,
    inputs: &ForecastInputs,
    weeks: u32,
    as_of: NaiveDate,
    compact: bool,
) -> encaisse_analytics::forecast::Forecast {
    let (ledger, index, form) = book.compact_at(as_of);
    if let (true, Some(form), Some(paid)) = (compact, form, book.paid_index()) {
        let counts = PaidIndex::counts(book, as_of);
        let year_before = as_of
            .checked_sub_months(Months::new(12))
            .unwrap_or(NaiveDate::MIN);
        return forecast_compact(
            form,
            |i| (ledger[i].customer.key.as_str(), ledger[i].lines.as_slice()),
            |i| {
                paid.lateness(Some((index, i)), &counts, year_before, as_of)
                    .habit_days()
            },
            inputs,
            &ForecastOptions {
                weeks,
                ..ForecastOptions::default()
            },
            as_of,
        );
    }
    let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, as_of);
    forecast_from(&aged, &book.paid(as_of), inputs, weeks, as_of)
}

impl App {
    /// The cash-in forecast over `weeks` weeks (13 by default), "later" and "uncertain".
    pub fn forecast(&self, as_of: Option<NaiveDate>, weeks: Option<u32>) -> AppResult<ForecastReport> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let weeks = weeks.unwrap_or(13);
        if !(1..=104).contains(&weeks) {
            return Err(AppError::InvalidInput(format!(
                "weeks: {weeks} is out of range (1 to 104)"
            )));
        }
        let store = self.store();
        let book = self.book_at(&store, as_of)?;
        let inputs = self.collection_inputs(&store, as_of)?;
        let f = forecast_of(&book, &inputs.forecast, weeks, as_of, true);
        Ok(ForecastReport {
            as_of,
            weeks: f
                .weeks
                .iter()
                .map(|w| ForecastWeek {
                    start: w.start,
                    end: w.end,
                    expected: format_amount(w.expected),
                    confirmed: format_amount(w.confirmed),
                })
                .collect(),
            later: format_amount(f.later),
            uncertain: format_amount(f.uncertain),
            total: format_amount(f.total),
        })
    }

    /// The forecast's backtest: at each of the last `origins` Mondays whose `horizon` weeks are over by `as_of`,
    /// the forecast from what was known then (positions, habits, the promises running and disputes open then)
    /// against the payments that came on the invoices open then.
    pub fn forecast_accuracy(
        &self,
        as_of: Option<NaiveDate>,
        origins: Option<u32>,
        horizon: Option<u32>,
    ) -> AppResult<ForecastAccuracy> {
        let as_of = as_of.unwrap_or_else(|| self.today());
        let origins = origins.unwrap_or(26);
        let horizon = horizon.unwrap_or(4);
        if !(1..=260).contains(&origins) || !(1..=13).contains(&horizon) {
            return Err(AppError::InvalidInput(format!(
                "origins {origins} (1 to 260) or horizon {horizon} weeks (1 to 13) out of range"
            )));
        }
        // The latest Monday whose horizon ended on or before as_of.
        let last = monday_of(as_of - Days::new(7 * u64::from(horizon) - 1));
        let last = if last + Days::new(7 * u64::from(horizon) - 1) > as_of {
            last - Days::new(7)
        } else {
            last
        };
        let mondays: Vec<NaiveDate> = (0..u64::from(origins))
            .rev()
            .filter_map(|i| last.checked_sub_days(Days::new(7 * i)))
            .collect();
        let store = self.store();
        let book = self.book_at(&store, mondays.first().copied().unwrap_or(as_of))?;
        // What came, as known today, per ledger and customer, sorted by line.
        let mut paid_now: HashMap<
            (*const CustomerLedger, usize),
            Vec<encaisse_analytics::settlement::Payment>,
        > = HashMap::new();
        let records = CollectionRecords::load(&store)?;
        // Paid invoices as known today; each backtest keeps those lettered by its date.
        let paid = book.paid(as_of);
        let mut tests: Vec<Backtest> = Vec::new();
        for &origin in &mondays {
            let ledger = book.at(origin);
            let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, origin);
            let known = records.inputs_at(&book, origin);
            let f = forecast_from(&aged, &paid, &known.forecast, horizon, origin);
            let index: HashMap<&str, usize> = ledger
                .iter()
                .enumerate()
                .map(|(i, c)| (c.customer.key.as_str(), i))
                .collect();
            let mut actual = vec![Decimal::ZERO; horizon as usize];
            for row in &aged.customers {
                let Some(&i) = index.get(row.key.as_str()) else {
                    continue;
                };
                let c = &ledger[i];
                let pays = paid_now.entry((ledger.as_ptr(), i)).or_insert_with(|| {
                    let mut p = payments(&c.lines, book.terms_of(&c.customer), as_of);
                    p.sort_by_key(|p| (p.line, p.date));
                    p
                });
                paid_by_week(&row.position.open_items, pays, origin, &mut actual);
            }
            tests.push(backtest(&f, &actual));
        }
        let by_week = (0..horizon as usize)
            .map(|w| {
                let (e, a) = tests
                    .iter()
                    .filter_map(|t| t.weeks.get(w))
                    .fold((Decimal::ZERO, Decimal::ZERO), |(e, a), x| {
                        (e + x.expected, a + x.actual)
                    });
                AccuracyWeek {
                    week: u32::try_from(w + 1).unwrap_or(u32::MAX),
                    expected: format_amount(e),
                    actual: format_amount(a),
                    weighted_absolute_error: days(weighted_absolute_error_of_week(&tests, w)),
                }
            })
            .collect();
        Ok(ForecastAccuracy {
            as_of,
            horizon_weeks: horizon,
            weighted_absolute_error: days(weighted_absolute_error(&tests, horizon as usize)),
            by_week,
            backtests: tests
                .iter()
                .map(|t| BacktestReport {
                    as_of: t.as_of,
                    weeks: t
                        .weeks
                        .iter()
                        .map(|w| BacktestWeekReport {
                            start: w.start,
                            end: w.end,
                            expected: format_amount(w.expected),
                            actual: format_amount(w.actual),
                        })
                        .collect(),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::dso::dso_set_of;
    use crate::DemoOptions;
    use encaisse_analytics::dso_set::month_ends;
    use encaisse_domain::FixedClock;

    /// On the demo company (its bank receipts included), at the month ends over two years: the forecast from the
    /// compact form equals the one from the positions — with the demo's promises and disputes, and with inputs on
    /// many open invoices (whole and partial promises, disputes, approvals) — and so does the DSO set.
    #[test]
    fn compact_forecast_and_dso_set_equal_the_full_computation_on_the_demo() {
        let dir = tempfile::tempdir().unwrap();
        let end = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let app = App::open(&dir.path().join("demo.db"), Box::new(FixedClock(end))).unwrap();
        app.create_demo(&DemoOptions {
            seed: Some(7),
            customers: Some(60),
            end: Some(end),
            replace: None,
        })
        .unwrap();
        let store = app.store();
        let book = app.book(&store).unwrap();
        assert!(book.paid_index().is_some() && book.compact_at(end).2.is_some());
        let mut dates = month_ends(end, 24);
        dates.push(end + Days::new(45));
        for (n, &as_of) in dates.iter().enumerate() {
            let mut inputs = app.collection_inputs(&store, as_of).unwrap().forecast;
            // Inputs on every seventh open invoice: promises (whole or part, before or after the date), disputes,
            // approvals.
            let aged = book.aged(&Buckets::default(), AgeBasis::DueDate, as_of);
            let items = aged.customers.iter().flat_map(|c| {
                c.position
                    .open_items
                    .iter()
                    .map(move |i| (c.key.clone(), i.piece_ref.clone(), i.residual))
            });
            for (k, (key, piece, residual)) in items.enumerate().filter(|(k, _)| k % 7 == n % 7) {
                let id = (key, piece);
                match k % 4 {
                    0 => {
                        inputs.promises.insert(id, as_of + Days::new(k as u64 % 50));
                    }
                    1 => {
                        inputs
                            .promises
                            .insert(id.clone(), as_of + Days::new(k as u64 % 20));
                        inputs.promised_amounts.insert(id, residual / Decimal::TWO);
                    }
                    2 => {
                        inputs.disputed.insert(id);
                    }
                    _ => {
                        inputs.approved.insert(id);
                    }
                }
            }
            let options = ForecastInputs::default();
            for inputs in [&options, &inputs] {
                for weeks in [1, 13] {
                    assert_eq!(
                        forecast_of(&book, inputs, weeks, as_of, true),
                        forecast_of(&book, inputs, weeks, as_of, false),
                        "forecast as of {as_of}, {weeks} weeks"
                    );
                }
            }
            for period in [30, 90] {
                assert_eq!(
                    dso_set_of(&book, as_of, period, true),
                    dso_set_of(&book, as_of, period, false),
                    "DSO set as of {as_of} over {period} days"
                );
            }
        }
    }
}

#[cfg(test)]
mod large {
    use super::*;
    use crate::reports::dso::dso_set_of;
    use encaisse_domain::FixedClock;

    /// The same check on a large database (BENCHMARKS.md's 1,000,000-line FEC imported), at four month ends:
    /// `ENCAISSE_LARGE_DB=/tmp/fec1m.db cargo test -p encaisse-app --lib large -- --ignored` (not run in CI).
    #[test]
    #[ignore = "needs ENCAISSE_LARGE_DB"]
    fn compact_forecast_and_dso_set_equal_the_full_computation_on_a_large_database() {
        let path = std::env::var("ENCAISSE_LARGE_DB").expect("ENCAISSE_LARGE_DB: a database file");
        let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let app = App::open(std::path::Path::new(&path), Box::new(FixedClock(end))).unwrap();
        let store = app.store();
        let book = app.book(&store).unwrap();
        assert!(book.paid_index().is_some() && book.compact_at(end).2.is_some());
        for as_of in ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"] {
            let as_of: NaiveDate = as_of.parse().unwrap();
            let inputs = app.collection_inputs(&store, as_of).unwrap().forecast;
            assert_eq!(
                forecast_of(&book, &inputs, 13, as_of, true),
                forecast_of(&book, &inputs, 13, as_of, false),
                "forecast as of {as_of}"
            );
            assert_eq!(
                dso_set_of(&book, as_of, 90, true),
                dso_set_of(&book, as_of, 90, false),
                "DSO set as of {as_of}"
            );
        }
    }
}
