//! Team mode (issue 16): one portfolio on a PostgreSQL server.
//!
//! This crate is the groundwork, beside the SQLite store it leaves untouched: connecting to the server (both URL
//! schemes, the password from the URL, `PGPASSWORD` or the password file, TLS through rustls), the schema in
//! PostgreSQL's dialect (`migrations/postgres/`, the same tables and columns as the SQLite schema), `team init`
//! with the three group roles and their rights, and the login roles of `team add-user` / `team remove-user`.
//! Rights are PostgreSQL's own: the server refuses what a role may not do, whatever the client.

mod connect;
mod roles;
mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use connect::{connect, is_server_url, ServerUrl, TlsOptions};
pub use postgres::Client;
pub use roles::{add_user, remove_user, AddUser, Role, GROUP_ROLES};
pub use schema::{
    init, open, text_order, upgrade, Init, Upgrade, BULK_LOAD_TABLE, LATEST_VERSION, VERSION_TABLE,
};

/// What went wrong, in words naming the server, the user or the thing refused; never a password.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    InvalidInput(String),
    #[error("cannot connect to {server}: {message}")]
    Connect { server: String, message: String },
    #[error("{server}: {message}")]
    Server { server: String, message: String },
    #[error("{0}")]
    Schema(String),
}

pub type Result<T> = std::result::Result<T, Error>;

/// The server's message itself (`permission denied for table setting`) rather than the client's `db error`.
pub fn server_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message = format!("{message}: {s}");
                source = s.source();
            }
            message
        }
    }
}

/// Whether this process runs as root (`initdb` refuses root: a throwaway cluster is then the `postgres` user's).
pub fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as a throwaway cluster's owner: `postgres` (through `runuser`) when `root`, else this user.
pub fn as_owner(program: &std::path::Path, root: bool) -> std::process::Command {
    if root {
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        std::process::Command::new(program)
    }
}

/// The machine's PostgreSQL server binaries (initdb, pg_ctl): on PATH, else the newest
/// /usr/lib/postgresql/*/bin (Debian); for the tests' and the benchmark's throwaway clusters.
pub fn server_binaries() -> Option<std::path::PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).find(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
    });
    on_path.or_else(|| {
        let mut found: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| {
                let e = e.ok()?;
                let major = e.file_name().to_str()?.parse::<u32>().ok()?;
                let bin = e.path().join("bin");
                bin.join("initdb").is_file().then_some((major, bin))
            })
            .collect();
        found.sort();
        found.pop().map(|(_, bin)| bin)
    })
}
