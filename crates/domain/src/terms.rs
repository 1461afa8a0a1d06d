//! Payment terms and the due date they give (Code de commerce L441-10).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Terms {
    /// Invoice date + N days ("30 jours net").
    Net(u32),
    /// Invoice date + N days, then the end of that month ("45 jours fin de mois", the common reading).
    DaysEndOfMonth(u32),
    /// End of the invoice's month, then + N days ("fin de mois le 10", "fin de mois + 45 jours").
    EndOfMonthPlus(u32),
    /// Payable at once ("à réception").
    OnReceipt,
}

impl Default for Terms {
    /// L441-10: 30 days when the contract says nothing.
    fn default() -> Self {
        Terms::Net(30)
    }
}

pub fn end_of_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(d)
}

impl Terms {
    pub fn due_date(self, invoice_date: NaiveDate) -> NaiveDate {
        let plus = |d: NaiveDate, n: u32| d.checked_add_days(Days::new(u64::from(n))).unwrap_or(d);
        match self {
            Terms::Net(n) => plus(invoice_date, n),
            Terms::DaysEndOfMonth(n) => end_of_month(plus(invoice_date, n)),
            Terms::EndOfMonthPlus(n) => plus(end_of_month(invoice_date), n),
            Terms::OnReceipt => invoice_date,
        }
    }
}

impl Terms {
    /// The terms as a French reader says them (reports and exports; the screens have their own translations):
    /// "30 jours net", "45 jours fin de mois", "fin de mois + 10 jours", "à réception".
    pub fn in_french(self) -> String {
        let days = |n: u32| {
            if n > 1 {
                format!("{n} jours")
            } else {
                format!("{n} jour")
            }
        };
        match self {
            Terms::Net(n) => format!("{} net", days(n)),
            Terms::DaysEndOfMonth(n) => format!("{} fin de mois", days(n)),
            Terms::EndOfMonthPlus(n) => format!("fin de mois + {}", days(n)),
            Terms::OnReceipt => "à réception".into(),
        }
    }
}

/// Storage and CLI form: `net:30`, `days_eom:45`, `eom_plus:10`, `on_receipt`.
impl fmt::Display for Terms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Terms::Net(n) => write!(f, "net:{n}"),
            Terms::DaysEndOfMonth(n) => write!(f, "days_eom:{n}"),
            Terms::EndOfMonthPlus(n) => write!(f, "eom_plus:{n}"),
            Terms::OnReceipt => write!(f, "on_receipt"),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a payment term (expected net:N, days_eom:N, eom_plus:N or on_receipt)")]
pub struct TermsParseError(pub String);

impl FromStr for Terms {
    type Err = TermsParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t == "on_receipt" {
            return Ok(Terms::OnReceipt);
        }
        let err = || TermsParseError(s.to_string());
        let (kind, n) = t.split_once(':').ok_or_else(err)?;
        let n: u32 = n.trim().parse().map_err(|_| err())?;
        if n > 365 {
            return Err(err());
        }
        match kind.trim() {
            "net" => Ok(Terms::Net(n)),
            "days_eom" => Ok(Terms::DaysEndOfMonth(n)),
            "eom_plus" => Ok(Terms::EndOfMonthPlus(n)),
            _ => Err(err()),
        }
    }
}

impl TryFrom<String> for Terms {
    type Error = TermsParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Terms> for String {
    fn from(t: Terms) -> String {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn terms_read_in_french() {
        let fr = |s: &str| s.parse::<Terms>().unwrap().in_french();
        assert_eq!(fr("net:30"), "30 jours net");
        assert_eq!(fr("days_eom:45"), "45 jours fin de mois");
        assert_eq!(fr("eom_plus:10"), "fin de mois + 10 jours");
        assert_eq!(fr("net:1"), "1 jour net");
        assert_eq!(fr("on_receipt"), "à réception");
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn net_days() {
        assert_eq!(Terms::Net(30).due_date(d(2026, 1, 15)), d(2026, 2, 14));
        assert_eq!(Terms::Net(60).due_date(d(2026, 12, 31)), d(2027, 3, 1));
        assert_eq!(Terms::OnReceipt.due_date(d(2026, 3, 3)), d(2026, 3, 3));
    }

    #[test]
    fn days_then_end_of_month() {
        // 45 days after 15 January is 1 March, then end of March.
        assert_eq!(Terms::DaysEndOfMonth(45).due_date(d(2026, 1, 15)), d(2026, 3, 31));
        // 30 days after 30 January lands in February of a leap year.
        assert_eq!(Terms::DaysEndOfMonth(30).due_date(d(2024, 1, 30)), d(2024, 2, 29));
        assert_eq!(Terms::DaysEndOfMonth(30).due_date(d(2025, 1, 29)), d(2025, 2, 28));
    }

    #[test]
    fn end_of_month_then_days() {
        assert_eq!(Terms::EndOfMonthPlus(45).due_date(d(2026, 1, 15)), d(2026, 3, 17));
        assert_eq!(Terms::EndOfMonthPlus(10).due_date(d(2024, 2, 1)), d(2024, 3, 10));
        assert_eq!(Terms::EndOfMonthPlus(0).due_date(d(2023, 2, 14)), d(2023, 2, 28));
        assert_eq!(Terms::EndOfMonthPlus(0).due_date(d(2024, 12, 5)), d(2024, 12, 31));
    }

    #[test]
    fn leap_years() {
        assert_eq!(end_of_month(d(2024, 2, 10)), d(2024, 2, 29));
        assert_eq!(end_of_month(d(2100, 2, 10)), d(2100, 2, 28));
        assert_eq!(end_of_month(d(2000, 2, 10)), d(2000, 2, 29));
        assert_eq!(Terms::Net(30).due_date(d(2024, 2, 1)), d(2024, 3, 2));
    }

    #[test]
    fn text_form_round_trips_and_rejects_nonsense() {
        for t in [
            Terms::Net(30),
            Terms::DaysEndOfMonth(45),
            Terms::EndOfMonthPlus(10),
            Terms::OnReceipt,
        ] {
            assert_eq!(t.to_string().parse::<Terms>(), Ok(t));
        }
        assert!("net:abc".parse::<Terms>().is_err());
        assert!("weekly:3".parse::<Terms>().is_err());
        assert!("net:9999".parse::<Terms>().is_err());
    }
}
