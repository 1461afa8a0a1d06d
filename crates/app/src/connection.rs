//! Where the desktop's database is: this computer's file (the default) or a team's PostgreSQL server, chosen in
//! Settings → "Équipe". The choice is kept in `connection.json` beside the default database (the server's URL
//! with its login, never a password); the password goes to the OS keyring under `team:LOGIN@HOST:PORT/DB`.
//! `ENCAISSE_DB` (the CLI's and a test's way) comes first and cannot be changed from the window.
//!
//! A server that does not answer when the app starts leaves the window on this computer's file, with the reason
//! (`Connection::fallback`): the screens say so and Settings → "Équipe" connects again.

use crate::mail::Secrets;
use crate::{App, AppError, AppResult};
use encaisse_domain::Clock;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use ts_rs::TS;

const FILE: &str = "connection.json";

/// Moves each time the saved choice changes: the desktop reopens its database on the next command.
static GENERATION: AtomicU64 = AtomicU64::new(0);
/// Why the saved server could not be opened at the last start (the window is then on the local file).
static FALLBACK: Mutex<Option<String>> = Mutex::new(None);

pub fn generation() -> u64 {
    GENERATION.load(Ordering::SeqCst)
}

/// Why the saved server did not answer at the last start, if it did not.
pub fn fallback() -> Option<String> {
    FALLBACK.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Where the desktop looks: the folder of `connection.json` and `ENCAISSE_DB`.
#[derive(Debug, Clone)]
pub struct Places {
    pub folder: PathBuf,
    /// ENCAISSE_DB when set: it wins over the saved choice.
    pub env: Option<String>,
}

impl Places {
    /// The desktop's: the default database's folder and the process's ENCAISSE_DB.
    pub fn desktop() -> AppResult<Places> {
        let db = crate::default_database_path()?;
        Ok(Places {
            folder: db.parent().map(Path::to_path_buf).unwrap_or_default(),
            env: std::env::var("ENCAISSE_DB").ok().filter(|s| !s.is_empty()),
        })
    }

    fn file(&self) -> PathBuf {
        self.folder.join(FILE)
    }

    fn default_file(&self) -> PathBuf {
        self.folder.join("encaisse.db")
    }

    /// The server URL saved in Settings → "Équipe", if any.
    pub fn saved(&self) -> AppResult<Option<String>> {
        let path = self.file();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let saved: Saved = serde_json::from_str(&text)
                    .map_err(|e| AppError::InvalidInput(format!("{}: {e}", path.display())))?;
                Ok(Some(saved.server))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Io(format!("{}: {e}", path.display()))),
        }
    }

    /// ENCAISSE_DB, else the saved server, else this computer's file.
    pub fn location(&self) -> AppResult<String> {
        if let Some(env) = &self.env {
            return Ok(env.clone());
        }
        Ok(match self.saved()? {
            Some(server) => server,
            None => self.default_file().display().to_string(),
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Saved {
    /// postgres://login@host:port/database[?sslmode=…], never a password.
    server: String,
}

/// Settings → "Équipe": where the window's database is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Connection {
    /// The database as shown: a file's path, or the server's URL (never its password).
    pub location: String,
    pub on_server: bool,
    /// The server's login the app acts as.
    pub user: Option<String>,
    /// Chosen by ENCAISSE_DB: the window cannot change it.
    pub from_env: bool,
    /// The server saved in the settings, when there is one (the window may be on the local file meanwhile).
    pub saved_server: Option<String>,
    /// The saved server did not answer at start: why (the window is on this computer's file).
    pub fallback: Option<String>,
}

/// What Settings → "Équipe" sends to connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectInput {
    /// postgres://host[:port]/database[?sslmode=require] (a login in it is replaced by `user`).
    pub server: String,
    pub user: String,
    /// Kept in the OS keyring; empty: none (the server trusts this computer, or ~/.pgpass has it).
    pub password: String,
}

fn secret_name(server: &encaisse_team::ServerUrl) -> String {
    format!("team:{}@{}", server.user(), server.server_key())
}

/// `server` with `user` as its login (a login already in it replaced); the characters a login may hold.
fn with_login(server: &str, user: &str) -> AppResult<String> {
    let server = server.trim();
    let user = user.trim();
    if user.is_empty()
        || user.len() > 63
        || !user
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Err(AppError::InvalidInput(
            "user: 1 to 63 letters, digits, '_', '.' or '-' (the login the server knows)".into(),
        ));
    }
    let Some((scheme, rest)) = server.split_once("://") else {
        return Err(AppError::InvalidInput(format!(
            "server: '{server}' is not postgres://host/database"
        )));
    };
    if !encaisse_team::is_server_url(server) {
        return Err(AppError::InvalidInput(format!(
            "server: '{server}' is not postgres://host/database"
        )));
    }
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let host_part = match rest[..authority_end].rsplit_once('@') {
        Some((_, host)) => format!("{host}{}", &rest[authority_end..]),
        None => rest.to_string(),
    };
    if host_part.starts_with('/') || host_part.is_empty() {
        return Err(AppError::InvalidInput(format!(
            "server: '{server}' names no host"
        )));
    }
    Ok(format!("{scheme}://{user}@{host_part}"))
}

/// Opens the desktop's database: ENCAISSE_DB, else the saved server (its password from the URL, PGPASSWORD,
/// ~/.pgpass or the OS keyring), else this computer's file. A saved server that does not answer leaves the
/// window on the file, the reason kept for [`current`].
pub fn open(
    places: &Places,
    clock: &dyn Fn() -> Box<dyn Clock>,
    secrets: std::sync::Arc<dyn Secrets>,
) -> AppResult<App> {
    *FALLBACK.lock().unwrap_or_else(|p| p.into_inner()) = None;
    let location = places.location()?;
    if !encaisse_team::is_server_url(&location) {
        return Ok(App::open_location(Path::new(&location), clock())?.with_secrets(secrets));
    }
    let server =
        encaisse_team::ServerUrl::parse(&location).map_err(|e| AppError::InvalidInput(e.to_string()))?;
    let server = match server.has_password() {
        true => server,
        // A keyring that cannot be read is no password: the server's refusal then says what is missing.
        false => match secrets.get(&secret_name(&server)).ok().flatten() {
            Some(password) => server.with_password(&password),
            None => server,
        },
    };
    let opened = App::open_server_at(&server, clock());
    match opened {
        Ok(app) => Ok(app.with_secrets(secrets)),
        Err(e) if places.env.is_none() => {
            *FALLBACK.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
            Ok(App::open(&places.default_file(), clock())?.with_secrets(secrets))
        }
        Err(e) => Err(e),
    }
}

/// Where the window's database is, as Settings → "Équipe" shows it.
pub fn current(places: &Places, app: &App) -> AppResult<Connection> {
    Ok(Connection {
        location: app.database_location(),
        on_server: app.on_server(),
        user: app.on_server().then(|| app.actor().0),
        from_env: places.env.is_some(),
        saved_server: places.saved()?,
        fallback: fallback(),
    })
}

/// Signs in to a team's server: refused unless the server answers with an Encaisse schema for this login;
/// then the password goes to the OS keyring and the server to `connection.json` (the window reopens on it).
pub fn connect(
    places: &Places,
    input: &ConnectInput,
    clock: Box<dyn Clock>,
    secrets: &dyn Secrets,
) -> AppResult<String> {
    if let Some(env) = &places.env {
        return Err(AppError::InvalidInput(format!(
            "server: ENCAISSE_DB ({}) chooses the database of this window; unset it to choose here",
            hide(env)
        )));
    }
    let location = with_login(&input.server, &input.user)?;
    let parsed =
        encaisse_team::ServerUrl::parse(&location).map_err(|e| AppError::InvalidInput(e.to_string()))?;
    let server = if input.password.is_empty() {
        parsed.clone()
    } else {
        parsed.with_password(&input.password)
    };
    // Signed in and the schema there, or nothing saved.
    drop(App::open_server_at(&server, clock)?);
    if !input.password.is_empty() {
        secrets.set(&secret_name(&parsed), &input.password)?;
    }
    // The URL as built: the login in it, no password (any in the address typed was dropped).
    let text = serde_json::to_string_pretty(&Saved {
        server: location.clone(),
    })
    .map_err(|e| AppError::Io(e.to_string()))?;
    std::fs::create_dir_all(&places.folder)
        .map_err(|e| AppError::Io(format!("{}: {e}", places.folder.display())))?;
    std::fs::write(places.file(), text)
        .map_err(|e| AppError::Io(format!("{}: {e}", places.file().display())))?;
    GENERATION.fetch_add(1, Ordering::SeqCst);
    Ok(location)
}

/// Back to this computer's file: forgets the saved server and its password.
pub fn disconnect(places: &Places, secrets: &dyn Secrets) -> AppResult<()> {
    if let Some(saved) = places.saved()? {
        if let Ok(server) = encaisse_team::ServerUrl::parse(&saved) {
            secrets.delete(&secret_name(&server))?;
        }
        std::fs::remove_file(places.file())
            .map_err(|e| AppError::Io(format!("{}: {e}", places.file().display())))?;
    }
    GENERATION.fetch_add(1, Ordering::SeqCst);
    Ok(())
}

fn hide(location: &str) -> String {
    match encaisse_team::ServerUrl::parse(location) {
        Ok(s) => s.to_string(),
        Err(_) if encaisse_team::is_server_url(location) => "a server".into(),
        Err(_) => location.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_goes_into_the_url_in_place_of_any_other() {
        assert_eq!(
            with_login("postgres://db.local:5433/compta?sslmode=require", "marie").unwrap(),
            "postgres://marie@db.local:5433/compta?sslmode=require"
        );
        assert_eq!(
            with_login(" postgresql://paul:old@db/compta ", "marie").unwrap(),
            "postgresql://marie@db/compta"
        );
        assert!(with_login("db.local/compta", "marie").is_err());
        assert!(with_login("postgres:///compta", "marie").is_err());
        assert!(with_login("postgres://db/compta", "ma rie").is_err());
        assert!(with_login("postgres://db/compta", "").is_err());
    }
}
