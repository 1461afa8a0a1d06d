//! The one place that knows what "today" is. Everything else takes a date.

use chrono::NaiveDate;

pub trait Clock: Send + Sync {
    fn today(&self) -> NaiveDate;
}

/// The computer's local date.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
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

/// The clock the programs use: `ENCAISSE_TODAY=YYYY-MM-DD` fixes it (reproducible runs), else the system date.
pub fn from_env() -> Result<Box<dyn Clock>, String> {
    match std::env::var("ENCAISSE_TODAY") {
        Ok(s) if !s.trim().is_empty() => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(|d| Box::new(FixedClock(d)) as Box<dyn Clock>)
            .map_err(|_| format!("ENCAISSE_TODAY: '{s}' is not a date (expected YYYY-MM-DD)")),
        _ => Ok(Box::new(SystemClock)),
    }
}
