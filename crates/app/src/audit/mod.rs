//! The audit trail: who changed what and when (settings, templates, messages sent), and its export.

pub mod export;

use crate::{App, AppResult};
use chrono::NaiveDate;
use encaisse_store::mail::AuditEntry;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub date: Option<NaiveDate>,
    /// The login of who acted.
    pub user: String,
    /// Their display name when it happened ("Marie Martin"); for entries written before names existed, the
    /// name known now for that login.
    pub user_name: String,
    /// email, smtp, mail_settings, mail_template …
    pub entity: String,
    pub entity_id: String,
    /// sent, failed, test, update, reset …
    pub action: String,
    /// JSON, never a secret.
    pub before: Option<String>,
    pub after: Option<String>,
}

impl App {
    /// Appends to the audit trail (today, by `user`, else the actor), with the display name of who acted.
    pub(crate) fn audit(
        &self,
        user: &str,
        entity: &str,
        entity_id: &str,
        action: &str,
        before: Option<String>,
        after: Option<String>,
    ) -> AppResult<()> {
        let user = self.user_or_actor(user);
        let store = self.store();
        let user_name = self.names(&store)?.of(&user);
        store.audit(&AuditEntry {
            id: 0,
            on_day: Some(self.today()),
            user,
            user_name,
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            action: action.to_string(),
            before,
            after,
        })?;
        Ok(())
    }

    /// The audit trail between two days (inclusive), oldest first.
    pub fn audit_trail(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> AppResult<Vec<AuditEvent>> {
        let store = self.store();
        let names = self.names(&store)?;
        Ok(store
            .audit_log(from, to)?
            .into_iter()
            .map(|e| AuditEvent {
                id: e.id,
                date: e.on_day,
                user_name: if e.user_name.is_empty() {
                    names.of(&e.user)
                } else {
                    e.user_name
                },
                user: e.user,
                entity: e.entity,
                entity_id: e.entity_id,
                action: e.action,
                before: e.before,
                after: e.after,
            })
            .collect())
    }
}
