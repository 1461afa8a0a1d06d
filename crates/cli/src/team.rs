//! `encaisse team init|upgrade|add-user|remove-user|migrate`: team mode on a PostgreSQL server (issue 16, in progress).
//!
//! `team init URL` creates the schema and the three group roles' rights once; the users' commands act on the
//! server of `--db`/`ENCAISSE_DB`. They run as a role that may create roles (the database's administrator).
//! TLS: the server's authority from `PGSSLROOTCERT` or `~/.postgresql/root.crt`; the password from the URL,
//! `PGPASSWORD` or `~/.pgpass`. A new user's password comes from standard input (`--password-stdin`, its first
//! line) and goes to the server as a SCRAM verifier, never printed.

use clap::Subcommand;
use encaisse_app::{App, AppError};
use encaisse_team::{Client, Init, Role, ServerUrl, TlsOptions};
use std::io::{BufRead, Write};

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Creates the Encaisse schema and the roles encaisse_manager, encaisse_collector, encaisse_viewer with their
    /// rights on an empty database of a PostgreSQL server (postgres://user@host/database); a second run changes
    /// nothing.
    Init {
        /// The server and database: postgres://user@host[:port]/database (or postgresql://).
        url: String,
    },
    /// Brings the server's Encaisse schema up to this version's (after installing a newer Encaisse); run by the
    /// database's owner, once, before the team opens it.
    Upgrade {
        /// The server and database: postgres://user@host[:port]/database (or postgresql://).
        url: String,
    },
    /// Creates a login role on the server of --db, member of the role's group (an Encaisse user removed before is
    /// enabled again, with this role only).
    AddUser {
        name: String,
        #[arg(long, value_parser = ["manager", "collector", "viewer"])]
        role: String,
        /// Reads the user's password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disables the login of an Encaisse user on the server of --db; what they recorded stays.
    RemoveUser {
        name: String,
        /// Hands the user's portfolio (customers given by hand or by the customers file, segment and category
        /// rules) over to this collector first, audited under the login of --db.
        #[arg(long)]
        reassign_to: Option<String>,
    },
    /// Copies a whole database in one transaction: a file of this computer onto the team's server, or the server
    /// into a new file (a read-only copy for working offline, unless --detach); counts, totals, the aged balance
    /// and the DSO are checked equal on both sides.
    Migrate {
        /// A database file, or the server (postgres://user@host/database).
        #[arg(long)]
        from: String,
        /// The server, or a database file.
        #[arg(long)]
        to: String,
        /// Replaces what the target holds (its audit trail is kept; this database's is added after it).
        #[arg(long)]
        force: bool,
        /// The file made from the server is a database of its own, not a read-only copy.
        #[arg(long)]
        detach: bool,
    },
}

fn team_error(e: encaisse_team::Error) -> AppError {
    match e {
        encaisse_team::Error::InvalidInput(m) => AppError::InvalidInput(m),
        other => AppError::Database(other.to_string()),
    }
}

/// Today from ENCAISSE_TODAY (tests, a rerun of a past day), else the system's.
fn clock() -> Box<dyn encaisse_domain::Clock> {
    encaisse_domain::clock::from_env().unwrap_or_else(|_| Box::new(encaisse_domain::clock::SystemClock))
}

fn server(location: &str) -> Result<(ServerUrl, Client), AppError> {
    let url = ServerUrl::parse(location).map_err(team_error)?;
    let client = encaisse_team::connect(&url, &TlsOptions::default()).map_err(team_error)?;
    Ok((url, client))
}

pub fn run(cmd: TeamCommand, db: Option<&std::path::Path>, out: &mut impl Write) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::Io(e.to_string());
    let db_url = || -> Result<String, AppError> {
        db.and_then(|p| p.to_str())
            .filter(|s| encaisse_team::is_server_url(s))
            .map(str::to_string)
            .ok_or_else(|| {
                AppError::InvalidInput(
                    "database: give the team's server as postgres://user@host/database".into(),
                )
            })
    };
    match cmd {
        TeamCommand::Init { url } => {
            let (url, mut client) = server(&url)?;
            match encaisse_team::init(&mut client, &url).map_err(team_error)? {
                Init::Created(v) => writeln!(
                    out,
                    "{url}: Encaisse schema created (version {v}), roles encaisse_manager, encaisse_collector, encaisse_viewer ready"
                ),
                Init::AlreadyThere(v) => writeln!(
                    out,
                    "{url}: the Encaisse schema is already there (version {v}): nothing changed"
                ),
            }
            .map_err(io)?;
            if let Some(warning) = encaisse_team::text_order(&mut client, &url).map_err(team_error)? {
                eprintln!("warning: {warning}");
            }
        }
        TeamCommand::Upgrade { url } => {
            let (url, mut client) = server(&url)?;
            match encaisse_team::upgrade(&mut client, &url).map_err(team_error)? {
                encaisse_team::Upgrade::Upgraded(from, to) => {
                    writeln!(out, "{url}: Encaisse schema upgraded from version {from} to {to}")
                }
                encaisse_team::Upgrade::Current(v) => {
                    writeln!(
                        out,
                        "{url}: the Encaisse schema is at version {v} already: nothing changed"
                    )
                }
            }
            .map_err(io)?;
        }
        TeamCommand::AddUser {
            name,
            role,
            password_stdin,
        } => {
            let role: Role = role.parse().map_err(team_error)?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line).map_err(io)?;
                let p = line.trim_end_matches(['\r', '\n']).to_string();
                if p.is_empty() {
                    return Err(AppError::InvalidInput("password: standard input is empty".into()));
                }
                Some(p)
            } else {
                None
            };
            let (url, mut client) = server(&db_url()?)?;
            let done = encaisse_team::add_user(&mut client, &url, &name, role, password.as_deref())
                .map_err(team_error)?;
            let what = match done {
                encaisse_team::AddUser::Created => "created",
                encaisse_team::AddUser::Updated => "enabled again",
            };
            writeln!(out, "{name}: {what}, member of {}", role.group()).map_err(io)?;
        }
        TeamCommand::Migrate {
            from,
            to,
            force,
            detach,
        } => {
            let done = encaisse_app::team::migrate(&from, &to, force, detach, &clock)?;
            let rows: u64 = done.tables.iter().map(|(_, n)| n).sum();
            writeln!(
                out,
                "{} -> {}: {} tables, {rows} rows copied; counts, totals, aged balance and DSO equal{}",
                done.from,
                done.to,
                done.tables.len(),
                if done.read_only {
                    "; the file is a read-only copy of the server"
                } else {
                    ""
                }
            )
            .map_err(io)?;
        }
        TeamCommand::RemoveUser { name, reassign_to } => {
            let location = db_url()?;
            let (url, mut client) = server(&location)?;
            // The portfolio moves first: refused (a collector's --db, an unknown name), nobody is disabled.
            if let Some(to) = reassign_to {
                let app = App::open_server(&location, clock())?;
                let done = app.reassign_portfolio(&name, &to)?;
                writeln!(
                    out,
                    "{name}: {} customer(s) and {} rule(s) now followed by {to}",
                    done.customers, done.rules
                )
                .map_err(io)?;
            }
            encaisse_team::remove_user(&mut client, &url, &name).map_err(team_error)?;
            writeln!(out, "{name}: login disabled").map_err(io)?;
        }
    }
    Ok(())
}
