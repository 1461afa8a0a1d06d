//! The acting user's display name ("Marie Martin"): what the audit journal, the disputes and the signatures show
//! beside or instead of the login the App acts as ([`crate::Actor`]).
//!
//! Each login keeps its own name, as a setting of the database keyed by login (`user_name:<login>`): two OS users
//! sharing a database each see and sign with their own. Until a user sets one, the name is the OS account's full
//! name (the GECOS field on Linux, the account's name on macOS and Windows) when the App acts as the OS user, else
//! the login itself.

use crate::{App, AppError, AppResult};
use encaisse_store::Store;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

const KEY_PREFIX: &str = "user_name:";
/// Long enough for any name, short enough for a signature line.
const MAX_CHARS: usize = 80;

/// The settings' "Mon nom": who the App acts as and under which name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserProfile {
    /// The login the App acts as (the session's user, or the CLI's `--user`); may be empty when none is known.
    pub login: String,
    /// The display name used in the audit journal, the disputes and the signatures.
    pub name: String,
    /// The name used when the user set none: the OS account's full name, else the login.
    pub default_name: String,
    /// True when `name` is one the user set (false: it is `default_name`).
    pub custom: bool,
}

/// The display names known to the database, by login, for the screens that show who did something.
pub(crate) struct Names {
    saved: BTreeMap<String, String>,
    actor: String,
    actor_default: String,
}

impl Names {
    pub(crate) fn load(store: &Store, actor: &str) -> AppResult<Names> {
        let saved = store
            .settings_with_prefix(KEY_PREFIX)?
            .into_iter()
            .map(|(k, v)| (k[KEY_PREFIX.len()..].to_string(), v))
            .collect();
        Ok(Names {
            saved,
            actor: actor.to_string(),
            actor_default: default_name(actor),
        })
    }

    /// The display name of a login: the one saved for it, else (for the acting user) the OS account's full name,
    /// else the login itself.
    pub(crate) fn of(&self, login: &str) -> String {
        if let Some(name) = self.saved.get(login) {
            return name.clone();
        }
        if login == self.actor {
            self.actor_default.clone()
        } else {
            login.to_string()
        }
    }
}

/// The OS account's full name when `login` is the OS user running the App, else the login.
fn default_name(login: &str) -> String {
    let os_login = whoami::username().unwrap_or_default();
    if !login.is_empty() && login == os_login {
        if let Some(full) = whoami::realname()
            .ok()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
        {
            return full;
        }
    }
    login.to_string()
}

impl App {
    /// The acting user's login and display name (Settings → "Mon nom").
    pub fn user_profile(&self) -> AppResult<UserProfile> {
        let login = self.actor().0;
        let saved = self.store().setting(&format!("{KEY_PREFIX}{login}"))?;
        let default_name = default_name(&login);
        Ok(UserProfile {
            name: saved.clone().unwrap_or_else(|| default_name.clone()),
            custom: saved.is_some(),
            login,
            default_name,
        })
    }

    /// The acting user's display name.
    pub fn user_name(&self) -> AppResult<String> {
        Ok(self.user_profile()?.name)
    }

    /// Sets the acting user's display name; a blank name brings the default back. Audited.
    pub fn set_user_name(&self, name: &str) -> AppResult<UserProfile> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() > MAX_CHARS {
            return Err(AppError::InvalidInput(format!(
                "name: {} characters, at most {MAX_CHARS}",
                name.chars().count()
            )));
        }
        let before = self.user_profile()?;
        if before.login.trim().is_empty() {
            return Err(AppError::InvalidInput(
                "name: the acting user has no login to keep a name for".into(),
            ));
        }
        self.store()
            .set_display_name(&before.login, Some(name.as_str()).filter(|n| !n.is_empty()))?;
        let after = self.user_profile()?;
        if after != before {
            let json = |p: &UserProfile| serde_json::to_string(&p.name).ok();
            self.audit(
                "",
                "user_name",
                &after.login,
                "update",
                json(&before),
                json(&after),
            )?;
        }
        Ok(after)
    }

    /// The display names of every login, for the DTOs that show who acted.
    pub(crate) fn names(&self, store: &Store) -> AppResult<Names> {
        Names::load(store, &self.actor().0)
    }

    /// Who changes something now and at what time (HH:MM): the actor's display name, for "modifié par NOM à HH:MM".
    pub(crate) fn changed_by(&self, store: &Store) -> AppResult<(String, String)> {
        let name = self.names(store)?.of(&self.actor().0);
        Ok((name, self.now().format("%H:%M").to_string()))
    }

    /// Runs `write` with the claim of the subject's next version (`encaisse_store::edits`): a screen that read
    /// `version` and finds a colleague's change saved since gets a conflict naming them, nothing written. `None`
    /// (the CLI) saves whatever the version. Returns `write`'s result and the subject's new version.
    pub(crate) fn edited<T>(
        &self,
        subject: &str,
        version: Option<i64>,
        write: impl FnOnce(&Store) -> encaisse_store::Result<T>,
    ) -> AppResult<(T, i64)> {
        let store = self.store();
        let (by, at) = self.changed_by(&store)?;
        let edit = encaisse_store::edits::Edit {
            version,
            by: &by,
            at: &at,
        };
        Ok(store.edit(subject, &edit, write)?)
    }

    /// A subject's version, for the DTO a screen sends back with its change.
    pub(crate) fn edit_version(&self, subject: &str) -> AppResult<i64> {
        Ok(self.store().edit_version(subject)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_other_than_the_os_user_is_its_own_default_name() {
        assert_eq!(
            default_name("someone-else-than-the-os-user"),
            "someone-else-than-the-os-user"
        );
        assert_eq!(default_name(""), "");
    }

    #[test]
    fn saved_names_win_then_the_actor_default_then_the_login() {
        let store = Store::open_in_memory().unwrap();
        store.set_setting("user_name:anne", "Anne Martin").unwrap();
        let names = Names::load(&store, "paul").unwrap();
        assert_eq!(names.of("anne"), "Anne Martin");
        assert_eq!(names.of("paul"), default_name("paul"));
        assert_eq!(names.of("zoe"), "zoe");
    }
}
