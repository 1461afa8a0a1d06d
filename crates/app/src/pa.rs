//! The accredited platform (PA, issue 15 item 6): its AFNOR XP Z12-013 Flow Service through `encaisse_pa`.
//!
//! - Settings: the service's URL, the OAuth2 token URL, the client id and the Organization-Id in the database
//!   (`setting` `pa.settings`); the client secret in the OS keyring only (never in the database, the logs, the
//!   audit trail or a reply).
//! - Sync: the flows of type CustomerInvoiceLC updated since the cursor (`setting` `pa.cursor`: the platform's
//!   `updatedAt` up to which every flow is handled), each downloaded and imported through the CDAR import
//!   ([`App::import_cdar_messages`]): one flow, one transaction, with its record in `pa_flow`. A flow the
//!   platform could not give (download refused, server error) stays before the cursor and is tried again at the
//!   next sync; a flow whose CDAR is refused is recorded as failed with the problems and passed (its bytes will
//!   not change). A flow imported is never imported again.
//! - Send: the outbox's pending 212 messages ([`App::outbox_to`]) posted as CDAR flows; each one posted is
//!   recorded (a 212 out and a `pa_flow` 'sent') in the outbox's transaction, so none is posted twice.

use crate::einvoice_status::{Delivery, OutboxMessageDto};
use crate::mail::json;
use crate::{App, AppError, AppResult};
use chrono::{DateTime, FixedOffset};
use encaisse_pa::{Client, Config, Flow, FlowInfo, PaError, SearchFlowFilters, SearchFlowParams};
use encaisse_store::edits;
use encaisse_store::pa::{PaFlow, IN, OUT};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const SETTINGS_KEY: &str = "pa.settings";
const CURSOR_KEY: &str = "pa.cursor";
/// Pages of one search, at most (a platform that never ends its pagination).
const MAX_PAGES: usize = 1000;

/// The platform's settings. Never holds the secret: `has_secret` says whether the keyring has one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaSettings {
    /// The Flow Service's root URL (https; http only to this computer), `/v1/...` appended.
    pub base_url: String,
    /// The OAuth2 token endpoint (client credentials).
    pub token_url: String,
    pub client_id: String,
    /// The `Organization-Id` header, when the platform serves several organisations.
    pub organization_id: String,
    /// Read only: the keyring holds the client secret.
    #[serde(default)]
    pub has_secret: bool,
    /// Read only: the platform's `updatedAt` up to which every flow is handled.
    #[serde(default)]
    pub cursor: Option<String>,
    /// How many times they were saved, as read (0: never): sent back with a change, so that a colleague's change
    /// saved meanwhile is not overwritten (team mode); absent: saved whatever it is. Not part of the stored JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub version: Option<i64>,
}

impl PaSettings {
    /// Everything a sync needs but the secret.
    pub fn is_complete(&self) -> bool {
        !self.base_url.is_empty() && !self.token_url.is_empty() && !self.client_id.is_empty()
    }
}

/// Saving the settings: the secret, when given, goes to the keyring and nowhere else; an empty one removes it;
/// none keeps the stored one.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavePaSettings {
    pub settings: PaSettings,
    pub secret: Option<String>,
}

/// A flow (or a message to send) that failed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaFailure {
    pub flow: String,
    pub reason: String,
}

/// `encaisse pa sync --format json`: the flows found new, those imported, those that failed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaSyncReport {
    pub flows: u32,
    pub imported: u32,
    pub failed: Vec<PaFailure>,
    /// New lifecycle statuses the imported flows brought.
    pub statuses: u32,
}

/// Where a sync is: `done` of `total` flows, the one being fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaProgress {
    pub done: u32,
    pub total: u32,
    pub flow: String,
}

/// A 212 message posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaSentDto {
    pub message_id: String,
    pub customer: String,
    pub invoice: String,
    pub amount: String,
    /// The platform's flow id.
    pub flow: String,
}

/// `encaisse pa send --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaSendReport {
    pub sent: Vec<PaSentDto>,
    /// Messages the platform refused (`flow` is the message id): still pending.
    pub failed: Vec<PaFailure>,
    /// Paid invoices whose message could not be written (no company SIREN…), with why.
    pub skipped: Vec<String>,
}

fn secret_name(client_id: &str) -> String {
    format!("pa:{}", client_id.trim())
}

fn platform(e: PaError) -> AppError {
    AppError::Platform(e.to_string())
}

/// https, or http to this computer only (a local test platform): the secret never crosses a network in clear.
fn check_url(field: &str, url: &str) -> AppResult<()> {
    if url.is_empty() {
        return Err(AppError::InvalidInput(format!("{field}: empty")));
    }
    let lower = url.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("https://") {
        if !rest.is_empty() && !rest.contains(char::is_whitespace) {
            return Ok(());
        }
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let host = rest.split(['/', '?']).next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if ["127.0.0.1", "localhost", "[::1]"].contains(&host) {
            return Ok(());
        }
        return Err(AppError::InvalidInput(format!(
            "{field}: {url} is not encrypted (http): the platform's address must start with https://"
        )));
    }
    Err(AppError::InvalidInput(format!(
        "{field}: {url} is not a web address (https://…)"
    )))
}

/// A flow's `updatedAt` as a time (None: not RFC 3339).
fn updated(f: &Flow) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(f.updated_at.trim()).ok()
}

impl App {
    fn stored_pa(&self) -> AppResult<PaSettings> {
        let store = self.store();
        let mut s: PaSettings = crate::mail::read_json(store.setting(SETTINGS_KEY)?, SETTINGS_KEY)?;
        s.has_secret = false;
        s.cursor = store.setting(CURSOR_KEY)?;
        Ok(s)
    }

    /// The platform's settings, and whether the keyring holds the secret (false when it cannot be reached).
    pub fn pa_settings(&self) -> AppResult<PaSettings> {
        let mut s = self.stored_pa()?;
        if !s.client_id.is_empty() {
            s.has_secret = matches!(self.secrets.get(&secret_name(&s.client_id)), Ok(Some(_)));
        }
        s.version = Some(self.edit_version(edits::PA_SETTINGS)?);
        Ok(s)
    }

    /// Saves the platform's settings (all empty: the platform is forgotten); the secret goes to the keyring only.
    /// The cursor is kept unless the platform (its URL or organisation) changes.
    pub fn save_pa_settings(&self, input: &SavePaSettings, user: &str) -> AppResult<PaSettings> {
        let mut s = input.settings.clone();
        let read = s.version.take();
        s.base_url = s.base_url.trim().trim_end_matches('/').to_string();
        s.token_url = s.token_url.trim().to_string();
        s.client_id = s.client_id.trim().to_string();
        s.organization_id = s.organization_id.trim().to_string();
        s.has_secret = false;
        s.cursor = None;
        let cleared = s.base_url.is_empty() && s.token_url.is_empty() && s.client_id.is_empty();
        if !cleared {
            check_url("base_url", &s.base_url)?;
            check_url("token_url", &s.token_url)?;
            if s.client_id.is_empty() {
                return Err(AppError::InvalidInput("client_id: empty".into()));
            }
        }
        let before = self.stored_pa()?;
        // A colleague's change saved since: refused before the keyring is touched.
        self.store().check_edit(edits::PA_SETTINGS, read)?;
        if let Some(secret) = &input.secret {
            if s.client_id.is_empty() {
                return Err(AppError::InvalidInput(
                    "secret: give the client id it belongs to".into(),
                ));
            }
            if secret.is_empty() {
                self.secrets.delete(&secret_name(&s.client_id))?;
            } else {
                self.secrets.set(&secret_name(&s.client_id), secret)?;
            }
        }
        let moved = before.base_url != s.base_url || before.organization_id != s.organization_id;
        self.edited(edits::PA_SETTINGS, read, |store| {
            store.set_setting(SETTINGS_KEY, &json(&s))?;
            if moved {
                store.delete_setting(CURSOR_KEY)?;
            }
            Ok(())
        })?;
        let mut after = serde_json::to_value(&s).unwrap_or_default();
        after["secret"] = serde_json::Value::from(match &input.secret {
            None => "unchanged",
            Some(p) if p.is_empty() => "removed",
            Some(_) => "changed",
        });
        let mut before = serde_json::to_value(&before).unwrap_or_default();
        if let Some(o) = before.as_object_mut() {
            o.remove("cursor");
            o.remove("has_secret");
        }
        if let Some(o) = after.as_object_mut() {
            o.remove("cursor");
            o.remove("has_secret");
        }
        self.audit(
            user,
            "pa_settings",
            "",
            "update",
            Some(before.to_string()),
            Some(after.to_string()),
        )?;
        self.pa_settings()
    }

    /// Whether a sync can be tried: every setting and the secret.
    pub fn pa_ready(&self) -> bool {
        self.pa_settings().is_ok_and(|s| s.is_complete() && s.has_secret)
    }

    /// The client; `secret` replaces the keyring's for this run (a terminal given it on its standard input).
    fn pa_client(&self, secret: Option<&str>) -> AppResult<Client> {
        let s = self.stored_pa()?;
        if !s.is_complete() {
            return Err(AppError::InvalidInput(
                "the accredited platform is not set up: give its address, token address and client id in the \
                 settings"
                    .into(),
            ));
        }
        let stored = match secret {
            Some(given) => Some(given.to_string()),
            None => self.secrets.get(&secret_name(&s.client_id))?,
        };
        let secret = stored.ok_or_else(|| {
            AppError::InvalidInput(
                "the accredited platform's client secret is not in the system keyring: give it in the settings"
                    .into(),
            )
        })?;
        Ok(Client::new(Config {
            base_url: s.base_url,
            token_url: s.token_url,
            client_id: s.client_id,
            client_secret: secret,
            organization_id: s.organization_id,
        }))
    }

    /// Fetches the lifecycle flows updated since the cursor and imports each (see the module's notes). An error
    /// when nothing could be done (not set up, credentials refused, platform unreachable); else the report, whose
    /// `failed` lists every flow that failed with why.
    pub fn pa_sync(&self, progress: &mut dyn FnMut(&PaProgress)) -> AppResult<PaSyncReport> {
        self.pa_sync_using(None, progress)
    }

    /// [`App::pa_sync`] with the client secret given for this run (not stored) instead of the keyring's.
    pub fn pa_sync_using(
        &self,
        secret: Option<&str>,
        progress: &mut dyn FnMut(&PaProgress),
    ) -> AppResult<PaSyncReport> {
        let client = self.pa_client(secret)?;
        let cursor = self.store().setting(CURSOR_KEY)?;
        let mut found: Vec<Flow> = Vec::new();
        let mut page: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let content = client
                .search(&SearchFlowParams {
                    limit: Some(100),
                    cursor: page.clone(),
                    filters: SearchFlowFilters {
                        updated_after: cursor.clone(),
                        flow_type: vec![encaisse_pa::CUSTOMER_INVOICE_LC.into()],
                        flow_direction: vec!["In".into()],
                    },
                })
                .map_err(platform)?;
            found.extend(content.results);
            match content.next_cursor {
                Some(next) if !next.is_empty() && page.as_deref() != Some(next.as_str()) => page = Some(next),
                _ => break,
            }
        }
        found.sort_by(|a, b| {
            updated(a)
                .cmp(&updated(b))
                .then_with(|| a.flow_id.cmp(&b.flow_id))
        });
        found.dedup_by(|a, b| a.flow_id == b.flow_id);
        let today = self.today();
        let mut pending = Vec::new();
        {
            let store = self.store();
            for f in &found {
                let done = store
                    .pa_flow(IN, &f.flow_id)?
                    .is_some_and(|r| r.outcome == "imported");
                if !done {
                    pending.push(f.clone());
                }
            }
        }
        let total = pending.len() as u32;
        let mut report = PaSyncReport {
            flows: total,
            ..PaSyncReport::default()
        };
        // The first flow left for the next sync: the cursor stays before it.
        let mut blocked: Option<DateTime<FixedOffset>> = None;
        let record = |f: &Flow, outcome: &str, reason: Option<String>, message: Option<String>| PaFlow {
            direction: IN.into(),
            flow_id: f.flow_id.clone(),
            updated_at: Some(f.updated_at.clone()),
            message_id: message,
            outcome: outcome.into(),
            reason,
            recorded_on: today,
        };
        for (i, f) in pending.iter().enumerate() {
            progress(&PaProgress {
                done: i as u32,
                total,
                flow: f.flow_id.clone(),
            });
            let Some(at) = updated(f) else {
                let reason = format!("the platform gave no valid updatedAt ({:?})", f.updated_at);
                self.store()
                    .record_pa_flow(&record(f, "failed", Some(reason.clone()), None))?;
                report.failed.push(PaFailure {
                    flow: f.flow_id.clone(),
                    reason,
                });
                continue;
            };
            let bytes = match client.download(&f.flow_id) {
                Ok(bytes) => bytes,
                Err(e) if e.is_fatal() && report.imported == 0 && report.failed.is_empty() => {
                    return Err(platform(e));
                }
                Err(e) => {
                    let fatal = e.is_fatal();
                    let reason = e.to_string();
                    blocked = blocked.or(Some(at));
                    self.store()
                        .record_pa_flow(&record(f, "failed", Some(reason.clone()), None))?;
                    report.failed.push(PaFailure {
                        flow: f.flow_id.clone(),
                        reason: reason.clone(),
                    });
                    if fatal {
                        // The platform is gone: the flows left wait for the next sync.
                        for rest in &pending[i + 1..] {
                            report.failed.push(PaFailure {
                                flow: rest.flow_id.clone(),
                                reason: format!("not downloaded: {reason}"),
                            });
                        }
                        break;
                    }
                    continue;
                }
            };
            let label = if f.name.trim().is_empty() {
                format!("{}.xml", f.flow_id)
            } else {
                f.name.trim().to_string()
            };
            let imported = self.import_cdar_messages(&[(label, bytes)], |store, r| {
                let message = r.files.first().map(|file| file.message_id.clone());
                Ok(store.record_pa_flow(&record(f, "imported", None, message))?)
            });
            match imported {
                Ok(r) => {
                    report.imported += 1;
                    report.statuses += r.added;
                }
                Err(AppError::InvalidFile { message, .. }) => {
                    // The file itself is refused: handled (recorded with why), the cursor passes it.
                    self.store()
                        .record_pa_flow(&record(f, "failed", Some(message.clone()), None))?;
                    report.failed.push(PaFailure {
                        flow: f.flow_id.clone(),
                        reason: message,
                    });
                }
                Err(e @ (AppError::NoData(_) | AppError::NewerDatabase(_))) if report.imported == 0 => {
                    return Err(e);
                }
                Err(e) => {
                    blocked = blocked.or(Some(at));
                    let reason = e.to_string();
                    self.store()
                        .record_pa_flow(&record(f, "failed", Some(reason.clone()), None))?;
                    report.failed.push(PaFailure {
                        flow: f.flow_id.clone(),
                        reason,
                    });
                }
            }
        }
        progress(&PaProgress {
            done: total,
            total,
            flow: String::new(),
        });
        // The cursor: the latest updatedAt before the first flow left for later (strictly, as the search is).
        let last = found
            .iter()
            .filter_map(|f| updated(f).map(|t| (t, f)))
            .filter(|(t, _)| blocked.is_none_or(|b| *t < b))
            .max_by_key(|(t, _)| *t)
            .map(|(_, f)| f.updated_at.trim().to_string());
        let before = cursor
            .as_deref()
            .and_then(|c| DateTime::parse_from_rfc3339(c).ok());
        if let Some(last) = last {
            let t = DateTime::parse_from_rfc3339(&last).ok();
            if before.is_none() || t > before {
                self.store().set_setting(CURSOR_KEY, &last)?;
            }
        }
        Ok(report)
    }

    /// Posts the outbox's pending 212 messages to the platform as CDAR flows; each posted is recorded so it is
    /// never posted again. An error when nothing could be done (not set up, credentials refused, unreachable).
    pub fn pa_send(&self) -> AppResult<PaSendReport> {
        self.pa_send_using(None)
    }

    /// [`App::pa_send`] with the client secret given for this run (not stored) instead of the keyring's.
    pub fn pa_send_using(&self, secret: Option<&str>) -> AppResult<PaSendReport> {
        let client = self.pa_client(secret)?;
        let today = self.today();
        let mut sent = Vec::new();
        let mut failed = Vec::new();
        let mut fatal: Option<PaError> = None;
        let mut send = |store: &encaisse_store::Store,
                        m: &OutboxMessageDto,
                        file_name: &str,
                        bytes: &[u8]|
         -> AppResult<Option<String>> {
            if let Some(e) = &fatal {
                failed.push(PaFailure {
                    flow: m.message_id.clone(),
                    reason: format!("not sent: {e}"),
                });
                return Ok(None);
            }
            let info = FlowInfo {
                tracking_id: Some(m.message_id.chars().take(64).collect()),
                name: file_name.to_string(),
                processing_rule: None,
                flow_syntax: "CDAR".into(),
                flow_profile: None,
            };
            match client.submit(&info, file_name, bytes) {
                Ok(done) => {
                    store.record_pa_flow(&PaFlow {
                        direction: OUT.into(),
                        flow_id: done.flow_id.clone(),
                        updated_at: Some(done.submitted_at.clone()),
                        message_id: Some(m.message_id.clone()),
                        outcome: "sent".into(),
                        reason: None,
                        recorded_on: today,
                    })?;
                    sent.push(PaSentDto {
                        message_id: m.message_id.clone(),
                        customer: m.customer.clone(),
                        invoice: m.invoice.clone(),
                        amount: m.amount.clone(),
                        flow: done.flow_id.clone(),
                    });
                    Ok(Some(format!("pa:{}", done.flow_id)))
                }
                Err(e) => {
                    failed.push(PaFailure {
                        flow: m.message_id.clone(),
                        reason: e.to_string(),
                    });
                    if e.is_fatal() {
                        fatal = Some(e);
                    }
                    Ok(None)
                }
            }
        };
        let outbox = self.outbox_to(Delivery::Send(&mut send))?;
        if sent.is_empty() {
            if let Some(e) = fatal {
                return Err(platform(e));
            }
        }
        Ok(PaSendReport {
            sent,
            failed,
            skipped: outbox.skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn the_secret_travels_encrypted_or_stays_on_this_computer() {
        assert!(check_url("base_url", "https://api.flow.example.com/flow-service").is_ok());
        assert!(check_url("base_url", "http://127.0.0.1:8080/flow-service").is_ok());
        assert!(check_url("base_url", "http://localhost/x").is_ok());
        assert!(check_url("base_url", "http://pa.example.com/flow-service").is_err());
        assert!(check_url("base_url", "http://localhost.evil.com/").is_err());
        assert!(check_url("base_url", "ftp://x").is_err());
        assert!(check_url("base_url", "").is_err());
    }
}
