//! The daily report at a set time while the desktop app is open. The shell only ticks every
//! minute; whether to send is decided here, from the injected clock: once the local time has reached the time of
//! the mail settings, once a day. A day counts as done when the report was sent that day (by the app, or by hand
//! with `encaisse report daily --send`: both are in the audit trail) or when the app already tried that day — a
//! failure is recorded in the audit trail and not retried every minute.

use super::DailyReport;
use crate::{App, AppError, AppResult};
use chrono::{NaiveDate, NaiveTime};

/// Setting: the last day the app tried to send the daily report by itself.
const LAST_ATTEMPT_KEY: &str = "daily_report_last_attempt";

/// "HH:MM" (or "H:MM"); empty: no set time.
pub fn report_time(s: &str) -> AppResult<Option<NaiveTime>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveTime::parse_from_str(s, "%H:%M").map(Some).map_err(|_| {
        AppError::InvalidInput(format!(
            "report_time: '{s}' is not a time (expected HH:MM, e.g. 08:30)"
        ))
    })
}

/// What a tick did.
#[derive(Debug, Clone, PartialEq)]
pub enum Scheduled {
    /// No time set, or no recipient; or, on a team's server, a desktop not signed in as a manager (the managers'
    /// desktops send the team's report: a collector or a viewer may not record the day's attempt).
    Off,
    /// The time of day has not come yet.
    NotYet,
    /// Already sent (or tried) today.
    Done,
    /// To send now, as of this day.
    Due(NaiveDate),
    /// The team's report to the recipients and each collector's to their address: those sent, and those that
    /// failed (each also in the audit trail).
    Sent {
        reports: Vec<DailyReport>,
        failed: Vec<String>,
    },
    /// Tried and failed (recorded in the audit trail); tried again tomorrow.
    Failed(AppError),
}

impl App {
    /// Whether the daily report should go now: a time is set, it has come, and today was neither sent nor tried.
    pub fn daily_report_due(&self) -> AppResult<Scheduled> {
        let mail = self.mail_settings()?;
        let Some(at) = report_time(&mail.report_time)? else {
            return Ok(Scheduled::Off);
        };
        if mail.report_recipients.is_empty() && mail.collector_reports.is_empty() {
            return Ok(Scheduled::Off);
        }
        if self.store().team_role()?.is_some_and(|role| role != "manager") {
            return Ok(Scheduled::Off);
        }
        let now = self.now();
        if now.time() < at {
            return Ok(Scheduled::NotYet);
        }
        let today = now.date();
        let store = self.store();
        if store.setting(LAST_ATTEMPT_KEY)?.as_deref() == Some(today.to_string().as_str()) {
            return Ok(Scheduled::Done);
        }
        let sent_today = store.audit_log(Some(today), Some(today))?.into_iter().any(|e| {
            e.entity == "daily_report"
                && e.action == "sent"
                && e.entity_id == today.to_string()
                && !of_a_collector(e.after.as_deref())
        });
        Ok(if sent_today {
            Scheduled::Done
        } else {
            Scheduled::Due(today)
        })
    }

    /// One tick of the desktop's timer: sends today's report when it is due (see [`App::daily_report_due`]).
    pub fn send_scheduled_daily_report(&self, user: &str) -> AppResult<Scheduled> {
        match self.daily_report_due()? {
            Scheduled::Due(today) => {
                // Several desktops of a team tick at the same minute: the one whose claim moves the day sends.
                if !self.store().claim_setting(LAST_ATTEMPT_KEY, &today.to_string())? {
                    return Ok(Scheduled::Done);
                }
                let mail = self.mail_settings()?;
                let mut sends: Vec<AppResult<DailyReport>> = Vec::new();
                if !mail.report_recipients.is_empty() {
                    sends.push(self.send_daily_report(Some(today), user));
                }
                for c in &mail.collector_reports {
                    sends.push(self.send_daily_report_of(
                        Some(today),
                        user,
                        Some(&c.collector),
                        std::slice::from_ref(&c.address),
                    ));
                }
                let (mut reports, mut failed) = (Vec::new(), Vec::new());
                let mut first_error = None;
                for sent in sends {
                    match sent {
                        Ok(r) => reports.push(r),
                        Err(e) => {
                            failed.push(e.to_string());
                            first_error.get_or_insert(e);
                        }
                    }
                }
                Ok(match first_error {
                    Some(e) if reports.is_empty() => Scheduled::Failed(e),
                    _ => Scheduled::Sent { reports, failed },
                })
            }
            other => Ok(other),
        }
    }
}

/// Whether a daily report's audit entry is of one collector's report (a team's counts as the day's report).
fn of_a_collector(after: Option<&str>) -> bool {
    after
        .and_then(|a| serde_json::from_str::<serde_json::Value>(a).ok())
        .is_some_and(|v| v.get("collector").is_some_and(|c| !c.is_null()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_hours_and_minutes() {
        assert_eq!(report_time("").unwrap(), None);
        assert_eq!(report_time(" 8:05 ").unwrap(), NaiveTime::from_hms_opt(8, 5, 0));
        assert_eq!(report_time("23:59").unwrap(), NaiveTime::from_hms_opt(23, 59, 0));
        for bad in ["24:00", "8h30", "08:60", "noon"] {
            assert!(
                matches!(report_time(bad), Err(AppError::InvalidInput(_))),
                "{bad}"
            );
        }
    }
}
