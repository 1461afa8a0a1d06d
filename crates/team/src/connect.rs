//! Connecting to the server: `postgres://` or `postgresql://` URLs (libpq's form, parsed by the client crate),
//! the password from the URL, then `PGPASSWORD`, then the password file (`PGPASSFILE` or `~/.pgpass`), and TLS
//! through rustls. A certificate is always verified: against the public authorities (webpki-roots) and the
//! authority of `PGSSLROOTCERT` or `~/.postgresql/root.crt` when present (the server's own, usually private).
//! `sslmode=disable` in the URL connects without TLS; the default (`prefer`) uses TLS when the server offers it.

use crate::{server_message, Error, Result};
use postgres::config::Host;
use postgres::{Client, Config};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// Whether a database location names a PostgreSQL server rather than a SQLite file.
pub fn is_server_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// A parsed server location, its password resolved.
#[derive(Clone)]
pub struct ServerUrl {
    config: Config,
    shown: String,
}

impl std::fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl std::fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Where the authority that signed the server's certificate comes from, beside the public ones.
#[derive(Clone, Debug, Default)]
pub struct TlsOptions {
    /// A PEM file of trusted certificates; `None`: `PGSSLROOTCERT`, else `~/.postgresql/root.crt` if it exists.
    pub root_cert: Option<PathBuf>,
}

impl ServerUrl {
    /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=…]`; without a password in it, takes
    /// `PGPASSWORD`, else the matching line of the password file.
    pub fn parse(url: &str) -> Result<ServerUrl> {
        Self::parse_with(url, &|name| std::env::var_os(name), home_dir())
    }

    pub(crate) fn parse_with(
        url: &str,
        env: &dyn Fn(&str) -> Option<std::ffi::OsString>,
        home: Option<PathBuf>,
    ) -> Result<ServerUrl> {
        if !is_server_url(url) {
            return Err(Error::InvalidInput(format!(
                "not a PostgreSQL server URL (postgres://user@host/database): {}",
                hide_password(url)
            )));
        }
        let mut config = Config::from_str(url)
            .map_err(|e| Error::InvalidInput(format!("{}: {}", hide_password(url), server_message(&e))))?;
        let Some(user) = config.get_user().map(str::to_string) else {
            return Err(Error::InvalidInput(format!(
                "{}: the URL names no user (postgres://USER@host/database)",
                hide_password(url)
            )));
        };
        let host = match config.get_hosts().first() {
            Some(Host::Tcp(h)) => h.clone(),
            // libpq's password file names a Unix socket's server "localhost".
            Some(Host::Unix(_)) => "localhost".to_string(),
            None => {
                return Err(Error::InvalidInput(format!(
                    "{}: the URL names no server (postgres://user@HOST/database)",
                    hide_password(url)
                )))
            }
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let database = config.get_dbname().unwrap_or(&user).to_string();
        let shown = format!("{user}@{host}:{port}/{database}");
        if config.get_password().is_none() {
            if let Some(p) = env("PGPASSWORD").filter(|p| !p.is_empty()) {
                config.password(p.into_encoded_bytes());
            } else {
                let file = env("PGPASSFILE")
                    .map(PathBuf::from)
                    .or_else(|| home.map(|h| h.join(".pgpass")));
                if let Some(p) = file
                    .and_then(|f| std::fs::read_to_string(f).ok())
                    .and_then(|text| password_from_file(&text, &host, port, &database, &user))
                {
                    config.password(p);
                }
            }
        }
        Ok(ServerUrl { config, shown })
    }

    pub fn user(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    /// Whether the URL, `PGPASSWORD` or the password file gave a password.
    pub fn has_password(&self) -> bool {
        self.config.get_password().is_some()
    }

    /// The same location with this password (the desktop's, kept in the OS keyring).
    pub fn with_password(&self, password: &str) -> ServerUrl {
        let mut config = self.config.clone();
        config.password(password);
        ServerUrl {
            config,
            shown: self.shown.clone(),
        }
    }

    /// `host:port/database`, what a saved password is kept under.
    pub fn server_key(&self) -> String {
        let host = match self.config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        };
        let port = self.config.get_ports().first().copied().unwrap_or(5432);
        format!("{host}:{port}/{}", self.config.get_dbname().unwrap_or_default())
    }

    /// The same server and database as another user (the tests, `team add-user`'s checks).
    pub fn as_user(&self, user: &str, password: &str) -> ServerUrl {
        let mut config = self.config.clone();
        config.user(user).password(password);
        let shown = self.shown.replacen(self.user(), user, 1);
        ServerUrl { config, shown }
    }
}

/// Connects, TLS as the URL's `sslmode` says (certificate verified, see the module's comment).
pub fn connect(url: &ServerUrl, tls: &TlsOptions) -> Result<Client> {
    let connector = tls_connector(tls, home_dir()).map_err(|message| Error::Connect {
        server: url.shown.clone(),
        message,
    })?;
    url.config.connect(connector).map_err(|e| Error::Connect {
        server: url.shown.clone(),
        message: server_message(&e),
    })
}

fn tls_connector(
    options: &TlsOptions,
    home: Option<PathBuf>,
) -> std::result::Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let file = options
        .root_cert
        .clone()
        .or_else(|| std::env::var_os("PGSSLROOTCERT").map(PathBuf::from))
        .or_else(|| {
            home.map(|h| h.join(".postgresql/root.crt"))
                .filter(|p| p.exists())
        });
    if let Some(file) = file {
        for cert in read_certificates(&file)? {
            roots.add(cert).map_err(|e| format!("{}: {e}", file.display()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

fn read_certificates(file: &Path) -> std::result::Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_file_iter(file)
        .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", file.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no PEM certificate in it", file.display()));
    }
    Ok(certs)
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// The password of the first line of a libpq password file matching the server (hostname:port:database:
/// username:password, `*` matching anything, `\:` and `\\` escaped); comments start with #.
fn password_from_file(text: &str, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let fields = split_escaped(line);
            let [h, p, d, u, password] = fields.as_slice() else {
                return None;
            };
            let matches = |field: &str, value: &str| field == "*" || field == value;
            (matches(h, host) && matches(p, &port) && matches(d, database) && matches(u, user))
                .then(|| password.clone())
        })
}

fn split_escaped(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut().expect("one field").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

/// A URL as it may be shown: its password replaced.
fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    #[test]
    fn both_schemes_are_accepted_and_a_file_path_is_not_a_server() {
        for url in [
            "postgres://marie@db.example/encaisse",
            "postgresql://marie@db.example/encaisse",
        ] {
            let parsed = ServerUrl::parse_with(url, &no_env, None).unwrap();
            assert_eq!(parsed.to_string(), "marie@db.example:5432/encaisse");
            assert!(parsed.config.get_password().is_none());
        }
        assert!(!is_server_url("/home/marie/encaisse.db"));
        let e = ServerUrl::parse_with("mysql://marie@db/x", &no_env, None).unwrap_err();
        assert!(e.to_string().starts_with("not a PostgreSQL server URL"), "{e}");
        let e = ServerUrl::parse_with("postgres://db.example/x", &no_env, None).unwrap_err();
        assert!(e.to_string().contains("names no user"), "{e}");
    }

    #[test]
    fn the_password_comes_from_the_url_then_pgpassword_then_the_password_file() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(
            home.path().join(".pgpass"),
            "# team server\nother:5432:*:marie:wrong\ndb.example:5433:encaisse:marie:from\\:file\n*:*:*:*:any\n",
        )
        .unwrap();
        let url = "postgres://marie@db.example:5433/encaisse";
        let password = |u: &ServerUrl| u.config.get_password().map(|p| p.to_vec());

        let from_url = ServerUrl::parse_with(
            "postgresql://marie:s%40cret@db.example:5433/encaisse",
            &|_| Some("env".into()),
            Some(home.path().into()),
        )
        .unwrap();
        assert_eq!(password(&from_url), Some(b"s@cret".to_vec()));
        assert!(!format!("{from_url}").contains("cret"));

        let from_env =
            ServerUrl::parse_with(url, &|n| (n == "PGPASSWORD").then(|| "env".into()), None).unwrap();
        assert_eq!(password(&from_env), Some(b"env".to_vec()));

        let from_file = ServerUrl::parse_with(url, &no_env, Some(home.path().into())).unwrap();
        assert_eq!(password(&from_file), Some(b"from:file".to_vec()));

        let wildcard = ServerUrl::parse_with(
            "postgres://paul@elsewhere/encaisse",
            &no_env,
            Some(home.path().into()),
        )
        .unwrap();
        assert_eq!(password(&wildcard), Some(b"any".to_vec()));
    }

    #[test]
    fn a_url_shown_in_an_error_hides_its_password() {
        assert_eq!(
            hide_password("postgres://marie:secret@db/x?sslmode=require"),
            "postgres://marie:***@db/x?sslmode=require"
        );
        let e =
            ServerUrl::parse_with("postgres://marie:secret@db/x?sslmode=bogus", &no_env, None).unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}
