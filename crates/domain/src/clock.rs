//! The one place that knows what "today" (and the time of day) is. Everything else takes a date.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

pub trait Clock: Send + Sync {
    fn today(&self) -> NaiveDate;

    /// The local date and time of day, for what happens at a set time (the daily report). A clock that knows only
    /// the date stands at its first minute.
    fn now(&self) -> NaiveDateTime {
        self.today().and_time(NaiveTime::MIN)
    }
}

/// The computer's local date.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }

    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }
}

/// A clock stopped on one date: tests, replays, and `ENCAISSE_TODAY`.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub NaiveDate);

impl Clock for FixedClock {
    fn today(&self) -> NaiveDate {
        self.0
    }
}

/// A clock stopped at one local date and time: tests of what happens at a set time.
#[derive(Debug, Clone, Copy)]
pub struct FixedDateTime(pub NaiveDateTime);

impl Clock for FixedDateTime {
    fn today(&self) -> NaiveDate {
        self.0.date()
    }

    fn now(&self) -> NaiveDateTime {
        self.0
    }
}

/// A clock whose time the caller moves (tests of what happens as the day goes on).
#[derive(Debug, Clone)]
pub struct ManualClock(pub std::sync::Arc<std::sync::Mutex<NaiveDateTime>>);

impl ManualClock {
    pub fn new(at: NaiveDateTime) -> ManualClock {
        ManualClock(std::sync::Arc::new(std::sync::Mutex::new(at)))
    }

    pub fn set(&self, at: NaiveDateTime) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn today(&self) -> NaiveDate {
        self.now().date()
    }

    fn now(&self) -> NaiveDateTime {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The clock the programs use: `ENCAISSE_TODAY=YYYY-MM-DD` fixes it (reproducible runs), else the system date.
pub fn from_env() -> Result<Box<dyn Clock>, String> {
    match std::env::var("ENCAISSE_TODAY") {
        Ok(s) if !s.trim().is_empty() => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(|d| Box::new(FixedClock(d)) as Box<dyn Clock>)
            .map_err(|_| format!("ENCAISSE_TODAY: '{s}' is not a date (expected YYYY-MM-DD)")),
        _ => Ok(Box::new(SystemClock)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_only_clock_stands_at_midnight_and_a_manual_one_moves() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(FixedClock(d).now(), d.and_hms_opt(0, 0, 0).unwrap());
        let c = ManualClock::new(d.and_hms_opt(7, 59, 0).unwrap());
        assert_eq!(c.today(), d);
        c.set(d.and_hms_opt(23, 30, 0).unwrap());
        assert_eq!(c.now().time(), NaiveTime::from_hms_opt(23, 30, 0).unwrap());
        assert_eq!(FixedDateTime(d.and_hms_opt(8, 0, 0).unwrap()).today(), d);
    }
}
