//! Secrets (the SMTP password, the team server's) live in the OS credential store only: Keychain on macOS, Credential Manager on
//! Windows, the Secret Service (GNOME Keyring, KWallet) on Linux, all through keyring-core. Tests use keyring-core's
//! in-memory mock store through the same code.

use crate::{AppError, AppResult};
use keyring_core::{CredentialStore, Entry, Error as KeyringError};
use std::sync::{Arc, OnceLock};

/// The service name of Encaisse's entries in the credential store.
pub const SERVICE: &str = "fr.encaisse.Encaisse";

/// Where the app keeps secrets. Implementations never write a secret anywhere else.
pub trait Secrets: Send + Sync {
    fn get(&self, name: &str) -> AppResult<Option<String>>;
    fn set(&self, name: &str, secret: &str) -> AppResult<()>;
    /// Deleting a secret that does not exist is not an error.
    fn delete(&self, name: &str) -> AppResult<()>;
}

/// What the user can do when the OS credential store fails, then the store's own words (a D-Bus or Keychain
/// error means little to a credit manager). The screen says it in its language from the `keyring` code.
fn keyring_error(e: KeyringError) -> AppError {
    let what = match &e {
        KeyringError::NoStorageAccess(_) => {
            "the system keyring is locked or refused access: unlock it (log in again, or open your keyring or \
             password manager and unlock it), then try again"
        }
        KeyringError::PlatformFailure(_) | KeyringError::NoDefaultStore => {
            "the system keyring could not be reached: start or install one (Secret Service: GNOME Keyring or \
             KWallet on Linux; the Keychain on macOS; the Credential Manager on Windows), then try again"
        }
        _ => "the system keyring refused the password: save it again (the SMTP password in the email settings, the team server's in Settings → Équipe)",
    };
    AppError::Keyring(format!("{what} (details: {e})"))
}

/// No credential store could be opened at all (no Secret Service on the session bus…).
fn no_keyring(e: KeyringError) -> AppError {
    AppError::Keyring(format!(
        "no system keyring is available to keep the password (SMTP, team server): start or install one (Secret Service: GNOME \
         Keyring or KWallet on Linux; the Keychain on macOS; the Credential Manager on Windows), then try again \
         (details: {e})"
    ))
}

/// A keyring-core credential store: the OS's, or the in-memory mock.
pub struct Keyring {
    store: Arc<CredentialStore>,
}

impl Keyring {
    pub fn with_store(store: Arc<CredentialStore>) -> Keyring {
        Keyring { store }
    }

    /// keyring-core's in-memory store: forgets everything when dropped (tests, or a machine without a keyring).
    pub fn in_memory() -> Keyring {
        let store: Arc<CredentialStore> =
            keyring_core::mock::Store::new().expect("the mock store never fails");
        Keyring { store }
    }

    /// The OS credential store.
    pub fn native() -> AppResult<Keyring> {
        #[cfg(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))))]
        let store: Arc<CredentialStore> =
            zbus_secret_service_keyring_store::Store::new().map_err(no_keyring)?;
        #[cfg(target_os = "macos")]
        let store: Arc<CredentialStore> =
            apple_native_keyring_store::keychain::Store::new().map_err(no_keyring)?;
        #[cfg(target_os = "windows")]
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new().map_err(no_keyring)?;
        #[cfg(not(any(
            all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android"))),
            target_os = "macos",
            target_os = "windows"
        )))]
        return Err(AppError::Keyring("no credential store on this platform".into()));
        #[allow(unreachable_code)]
        Ok(Keyring { store })
    }

    pub fn vendor(&self) -> String {
        self.store.vendor()
    }

    fn entry(&self, name: &str) -> AppResult<Entry> {
        Entry::new_in_store(&self.store, SERVICE, name).map_err(keyring_error)
    }
}

impl Secrets for Keyring {
    fn get(&self, name: &str) -> AppResult<Option<String>> {
        match self.entry(name)?.get_password() {
            Ok(p) => Ok(Some(p)),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn set(&self, name: &str, secret: &str) -> AppResult<()> {
        self.entry(name)?.set_password(secret).map_err(keyring_error)
    }

    fn delete(&self, name: &str) -> AppResult<()> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// The OS credential store, opened on first use: an app that never sends mail never needs a keyring (and a
/// machine without one still runs everything else).
#[derive(Default)]
pub struct NativeKeyring {
    opened: OnceLock<Result<Keyring, AppError>>,
}

impl NativeKeyring {
    fn keyring(&self) -> AppResult<&Keyring> {
        self.opened
            .get_or_init(Keyring::native)
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl Secrets for NativeKeyring {
    fn get(&self, name: &str) -> AppResult<Option<String>> {
        self.keyring()?.get(name)
    }
    fn set(&self, name: &str, secret: &str) -> AppResult<()> {
        self.keyring()?.set(name, secret)
    }
    fn delete(&self, name: &str) -> AppResult<()> {
        self.keyring()?.delete(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mock_store_keeps_a_secret_between_entries() {
        let k = Keyring::in_memory();
        assert_eq!(k.get("smtp:anne@mail.example").unwrap(), None);
        k.set("smtp:anne@mail.example", "s3cret").unwrap();
        assert_eq!(
            k.get("smtp:anne@mail.example").unwrap().as_deref(),
            Some("s3cret")
        );
        assert_eq!(k.get("smtp:other@mail.example").unwrap(), None);
        k.delete("smtp:anne@mail.example").unwrap();
        k.delete("smtp:anne@mail.example").unwrap();
        assert_eq!(k.get("smtp:anne@mail.example").unwrap(), None);
    }

    #[test]
    fn a_locked_keyring_says_what_to_do_without_the_platform_error_first() {
        let k = Keyring::in_memory();
        let name = "smtp:anne@mail.example";
        let entry = k.entry(name).unwrap();
        let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(KeyringError::NoStorageAccess(Box::new(std::io::Error::other(
            "zbus error: org.freedesktop.Secret.Error.IsLocked",
        ))));
        let e = k.set(name, "s3cret").unwrap_err();
        assert_eq!(e.code(), "keyring");
        let m = e.to_string();
        assert!(m.starts_with("the system keyring is locked"), "{m}");
        assert!(m.contains("unlock it"), "{m}");
    }

    /// The real Secret Service, once: run with
    /// `dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets; cargo test -p
    /// encaisse-app real_secret_service -- --ignored'`.
    #[test]
    #[ignore = "needs a session D-Bus with an unlocked Secret Service (gnome-keyring)"]
    fn real_secret_service() {
        let k = Keyring::native().unwrap();
        let name = "smtp:test-user@encaisse.invalid";
        k.set(name, "pässwörd with spaces").unwrap();
        assert_eq!(k.get(name).unwrap().as_deref(), Some("pässwörd with spaces"));
        // Another handle on the store (as a second run of the app) finds it.
        assert_eq!(
            Keyring::native().unwrap().get(name).unwrap().as_deref(),
            Some("pässwörd with spaces")
        );
        k.delete(name).unwrap();
        assert_eq!(k.get(name).unwrap(), None);
    }
}
