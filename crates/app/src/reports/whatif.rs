//! The DAF's what-if: the cash freed by bringing the DSO down by N days, and the financing
//! cost that cash no longer carries at a yearly rate the user enters. Exact decimals end to end.

use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use encaisse_domain::format_amount;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The simulation, with what it was computed from so the screen can show the working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WhatIf {
    pub as_of: NaiveDate,
    /// The DSO period: sales are those of the last `period_days` days (incl. VAT, as the DSO's).
    pub period_days: u32,
    pub sales: String,
    /// sales / period_days, to the cent.
    pub sales_per_day: String,
    /// The DSO reduction simulated, in days.
    pub days: u32,
    /// sales / period_days × days, to the cent: the receivables that would be cash.
    pub cash_freed: String,
    /// The yearly financing rate entered, in percent (e.g. "4.5").
    pub rate: String,
    /// cash_freed × rate / 100, to the cent: the financing cost saved per year.
    pub financing_saved: String,
}

/// The three figures of the what-if, exact: sales per day, cash freed, financing saved per year.
/// The cash freed is computed from the unrounded sales per day, then rounded once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhatIfFigures {
    pub sales_per_day: Decimal,
    pub cash_freed: Decimal,
    pub financing_saved: Decimal,
}

fn cents(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Sales over `period_days`, `days` of DSO less, at a yearly `rate_percent`.
pub fn what_if(
    sales: Decimal,
    period_days: u32,
    days: u32,
    rate_percent: Decimal,
) -> AppResult<WhatIfFigures> {
    if period_days == 0 {
        return Err(AppError::InvalidInput("period: must be at least one day".into()));
    }
    if rate_percent < Decimal::ZERO || rate_percent > Decimal::ONE_HUNDRED {
        return Err(AppError::InvalidInput(format!(
            "rate: {rate_percent} % is out of range (0 to 100)"
        )));
    }
    let per_day = sales / Decimal::from(period_days);
    let freed = cents(per_day * Decimal::from(days));
    Ok(WhatIfFigures {
        sales_per_day: cents(per_day),
        cash_freed: freed,
        financing_saved: cents(freed * rate_percent / Decimal::ONE_HUNDRED),
    })
}

impl App {
    /// The what-if at a date: the DSO's sales (period `period_days`, 90 by default) × `days`, and the yearly
    /// financing cost of that cash at `rate_percent`.
    pub fn what_if(
        &self,
        as_of: Option<NaiveDate>,
        period_days: Option<u32>,
        days: u32,
        rate_percent: Decimal,
    ) -> AppResult<WhatIf> {
        if days > 3660 {
            return Err(AppError::InvalidInput(format!(
                "days: {days} is out of range (0 to 3660)"
            )));
        }
        let dso = self.dso(as_of, period_days)?;
        let sales: Decimal = dso
            .sales
            .parse()
            .map_err(|_| AppError::Database(format!("sales: '{}' is not an amount", dso.sales)))?;
        let f = what_if(sales, dso.period_days, days, rate_percent)?;
        Ok(WhatIf {
            as_of: dso.as_of,
            period_days: dso.period_days,
            sales: dso.sales,
            sales_per_day: format_amount(f.sales_per_day),
            days,
            cash_freed: format_amount(f.cash_freed),
            rate: rate_percent.normalize().to_string(),
            financing_saved: format_amount(f.financing_saved),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn cash_freed_is_sales_per_day_times_days() {
        // 900 000.00 over 90 days = 10 000.00 a day; 5 days = 50 000.00; at 4.5 % a year = 2 250.00.
        let f = what_if(dec!(900000.00), 90, 5, dec!(4.5)).unwrap();
        assert_eq!(f.sales_per_day, dec!(10000.00));
        assert_eq!(f.cash_freed, dec!(50000.00));
        assert_eq!(f.financing_saved, dec!(2250.00));
    }

    #[test]
    fn rounds_once_at_the_end_not_per_day() {
        // 1 000.00 / 3 = 333.333…/day: 7 days = 2 333.33 (not 333.33 × 7 = 2 333.31).
        let f = what_if(dec!(1000.00), 3, 7, dec!(3)).unwrap();
        assert_eq!(f.sales_per_day, dec!(333.33));
        assert_eq!(f.cash_freed, dec!(2333.33));
        // 2 333.33 × 3 % = 69.9999 → 70.00.
        assert_eq!(f.financing_saved, dec!(70.00));
        // Half a cent rounds away from zero: 0.05 a day × 1 day at 10 % = 0.005 → 0.01.
        let g = what_if(dec!(4.50), 90, 1, dec!(10)).unwrap();
        assert_eq!(g.cash_freed, dec!(0.05));
        assert_eq!(g.financing_saved, dec!(0.01));
    }

    #[test]
    fn zero_days_or_rate_frees_or_saves_nothing() {
        let f = what_if(dec!(123456.78), 90, 0, dec!(5)).unwrap();
        assert_eq!(f.cash_freed, Decimal::ZERO);
        assert_eq!(f.financing_saved, Decimal::ZERO);
        let g = what_if(dec!(123456.78), 90, 10, Decimal::ZERO).unwrap();
        assert_eq!(g.cash_freed, dec!(13717.42));
        assert_eq!(g.financing_saved, Decimal::ZERO);
    }

    #[test]
    fn refuses_a_rate_out_of_range_and_an_empty_period() {
        assert!(matches!(
            what_if(dec!(1), 90, 1, dec!(-1)),
            Err(AppError::InvalidInput(_))
        ));
        assert!(matches!(
            what_if(dec!(1), 90, 1, dec!(100.01)),
            Err(AppError::InvalidInput(_))
        ));
        assert!(matches!(
            what_if(dec!(1), 0, 1, dec!(1)),
            Err(AppError::InvalidInput(_))
        ));
    }
}
