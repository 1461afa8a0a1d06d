//! Promises to pay: the chase of the promised invoices pauses until the promised date plus a grace period; the
//! promise is kept when the money came by then, broken when it did not.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
/// Where a promise to pay stands, computed from the ledger.
pub enum PromiseStatus {
    /// Not yet due (promised date + grace not passed) and not yet paid.
    Running,
    Kept,
    /// Past the promised date + grace and still unpaid: an alert, and the chase resumes.
    Broken,
}

impl PromiseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PromiseStatus::Running => "running",
            PromiseStatus::Kept => "kept",
            PromiseStatus::Broken => "broken",
        }
    }
}

impl FromStr for PromiseStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "running" => Ok(PromiseStatus::Running),
            "kept" => Ok(PromiseStatus::Kept),
            "broken" => Ok(PromiseStatus::Broken),
            other => Err(format!("'{other}' is not a promise status")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    /// The day the customer promised (the chase pauses from then).
    pub made_on: NaiveDate,
    /// The day the customer said the money would be paid.
    pub date: NaiveDate,
    pub amount: Decimal,
    pub grace_days: u32,
}

impl Promise {
    /// The last day the chase waits for the money.
    pub fn deadline(&self) -> NaiveDate {
        self.date
            .checked_add_days(Days::new(u64::from(self.grace_days)))
            .unwrap_or(self.date)
    }

    /// Whether the promise holds the chase of its invoices on `day`: from the day it was made to its deadline.
    pub fn holds(&self, day: NaiveDate) -> bool {
        self.made_on <= day && day <= self.deadline()
    }

    /// The status as of `as_of`. `settled(d)` says whether, as of day `d`, the promised money has come (the
    /// dunning crate's `promise::settled` answers it from the invoices' residuals); it is asked about one day
    /// only: `as_of`, or the deadline once it has passed, so that money coming after the deadline does not turn a
    /// broken promise into a kept one.
    pub fn status(&self, as_of: NaiveDate, settled: impl Fn(NaiveDate) -> bool) -> PromiseStatus {
        let deadline = self.deadline();
        if settled(as_of.min(deadline)) {
            PromiseStatus::Kept
        } else if as_of > deadline {
            PromiseStatus::Broken
        } else {
            PromiseStatus::Running
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn promise() -> Promise {
        Promise {
            made_on: d("2026-03-02"),
            date: d("2026-03-10"),
            amount: dec!(500),
            grace_days: 3,
        }
    }

    #[test]
    fn holds_from_the_day_made_to_date_plus_grace() {
        let p = promise();
        assert_eq!(p.deadline(), d("2026-03-13"));
        assert!(!p.holds(d("2026-03-01")));
        assert!(p.holds(d("2026-03-02")));
        assert!(p.holds(d("2026-03-13")), "the deadline itself still holds");
        assert!(!p.holds(d("2026-03-14")));
    }

    #[test]
    fn kept_running_broken() {
        let p = promise();
        // Paid on 03-12 (inside the grace period).
        let paid_on = d("2026-03-12");
        let settled_by = |day: NaiveDate| day >= paid_on;
        assert_eq!(p.status(d("2026-03-11"), settled_by), PromiseStatus::Running);
        assert_eq!(p.status(d("2026-03-12"), settled_by), PromiseStatus::Kept);
        assert_eq!(p.status(d("2026-05-01"), settled_by), PromiseStatus::Kept);
        // Never paid: running up to the deadline, broken the day after.
        assert_eq!(p.status(d("2026-03-13"), |_| false), PromiseStatus::Running);
        assert_eq!(p.status(d("2026-03-14"), |_| false), PromiseStatus::Broken);
        // Paid a day after the deadline: still broken.
        let late = |day: NaiveDate| day >= d("2026-03-14");
        assert_eq!(p.status(d("2026-03-20"), late), PromiseStatus::Broken);
    }
}
