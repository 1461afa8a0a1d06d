//! The collections settings the agenda and the promises read: the minimum gap between two chases of one customer
//! and the grace period after a promised date. Each change is validated (0 to 90 days) and recorded in the audit
//! trail with its before and after.

use crate::workflow::{SETTING_MIN_GAP, SETTING_PROMISE_GRACE};
use crate::{App, AppError, AppResult};
use chrono::NaiveDateTime;
use encaisse_dunning::{DEFAULT_MIN_GAP_DAYS, DEFAULT_PROMISE_GRACE_DAYS};
use encaisse_store::edits;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The largest gap or grace a user may set, in days.
pub const MAX_SETTING_DAYS: u32 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectionSettings {
    /// A customer is not chased twice within this many days (5 by default).
    pub min_gap_days: u32,
    /// The chase resumes this many days after a promised date when the promise does not say (3 by default).
    pub promise_grace_days: u32,
    /// How many times they were saved (0: never): sent back with a change, so that a colleague's change saved
    /// meanwhile is not overwritten (team mode).
    #[serde(default)]
    #[ts(type = "number")]
    pub version: i64,
}

impl Default for CollectionSettings {
    fn default() -> Self {
        CollectionSettings {
            min_gap_days: DEFAULT_MIN_GAP_DAYS,
            promise_grace_days: DEFAULT_PROMISE_GRACE_DAYS,
            version: 0,
        }
    }
}

/// A change: the fields given are set, the others kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectionSettingsInput {
    pub min_gap_days: Option<u32>,
    pub promise_grace_days: Option<u32>,
    /// The version the screen read (`CollectionSettings::version`); absent: saved whatever it is (the CLI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
}

fn check(field: &str, days: u32) -> AppResult<u32> {
    if days > MAX_SETTING_DAYS {
        return Err(AppError::InvalidInput(format!(
            "{field}: {days} days is out of range (0 to {MAX_SETTING_DAYS})"
        )));
    }
    Ok(days)
}

impl App {
    /// The local date and time of day from the injected clock (what happens at a set time).
    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    fn stored_days(&self, key: &str, default: u32) -> AppResult<u32> {
        match self.store().setting(key)? {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| AppError::Database(format!("setting {key}: '{v}' is not a number of days"))),
        }
    }

    pub fn collection_settings(&self) -> AppResult<CollectionSettings> {
        Ok(CollectionSettings {
            min_gap_days: self.stored_days(SETTING_MIN_GAP, DEFAULT_MIN_GAP_DAYS)?,
            promise_grace_days: self.stored_days(SETTING_PROMISE_GRACE, DEFAULT_PROMISE_GRACE_DAYS)?,
            version: self.edit_version(edits::COLLECTION_SETTINGS)?,
        })
    }

    /// Sets the given fields (0 to 90 days), recorded in the audit trail when something changed.
    pub fn save_collection_settings(
        &self,
        input: &CollectionSettingsInput,
        user: &str,
    ) -> AppResult<CollectionSettings> {
        let before = self.collection_settings()?;
        let after = CollectionSettings {
            min_gap_days: match input.min_gap_days {
                Some(d) => check("min_gap_days", d)?,
                None => before.min_gap_days,
            },
            promise_grace_days: match input.promise_grace_days {
                Some(d) => check("promise_grace_days", d)?,
                None => before.promise_grace_days,
            },
            version: before.version,
        };
        if after == before {
            return Ok(after);
        }
        let (_, version) = self.edited(edits::COLLECTION_SETTINGS, input.version, |store| {
            store.set_setting(SETTING_MIN_GAP, &after.min_gap_days.to_string())?;
            store.set_setting(SETTING_PROMISE_GRACE, &after.promise_grace_days.to_string())
        })?;
        let after = CollectionSettings { version, ..after };
        // The audit keeps the values; the version is the edit's bookkeeping.
        let json = |s: &CollectionSettings| {
            serde_json::json!({"min_gap_days": s.min_gap_days, "promise_grace_days": s.promise_grace_days})
                .to_string()
        };
        self.audit(
            user,
            "collection_settings",
            "",
            "update",
            Some(json(&before)),
            Some(json(&after)),
        )?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_beyond_ninety_are_refused() {
        assert_eq!(check("x", 0).unwrap(), 0);
        assert_eq!(check("x", 90).unwrap(), 90);
        let err = check("min_gap_days", 91).unwrap_err();
        assert!(err.to_string().contains("min_gap_days"), "{err}");
    }
}
