//! Moving a database between this computer and the team's server (`encaisse team migrate`): a single user's file
//! onto a PostgreSQL server prepared by `team init`, or the server into a new file for working offline (read-only
//! unless detached). The store copies every table in one transaction of the target and checks the counts and
//! totals before it commits; here both databases are then opened as the app opens them and their aged balance
//! and DSO compared.

use crate::{App, AppError, AppResult};
use encaisse_domain::Clock;
use encaisse_store::Store;
use serde::Serialize;
use std::path::Path;

/// What `team migrate` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Migrated {
    pub from: String,
    pub to: String,
    /// Each table copied with its rows.
    pub tables: Vec<(String, u64)>,
    /// The target is a read-only copy of the server (a file made without `--detach`).
    pub read_only: bool,
}

fn open_store(location: &str, create: bool) -> AppResult<Store> {
    if encaisse_team::is_server_url(location) {
        let url =
            encaisse_team::ServerUrl::parse(location).map_err(|e| AppError::InvalidInput(e.to_string()))?;
        return Ok(Store::open_server(&url, &encaisse_team::TlsOptions::default())?);
    }
    let path = Path::new(location);
    Ok(if create {
        Store::open(path)?
    } else {
        Store::open_existing(path)?
    })
}

fn shown(location: &str) -> String {
    match encaisse_team::ServerUrl::parse(location) {
        Ok(url) if encaisse_team::is_server_url(location) => url.to_string(),
        _ => location.to_string(),
    }
}

/// Copies the database at `from` into `to` (a file path or a postgres:// URL, one of each). A target holding data
/// is refused unless `force`; a file made from the server is a read-only copy unless `detach`. `clock` gives each
/// opened App its today (the reports compared are as of it).
pub fn migrate(
    from: &str,
    to: &str,
    force: bool,
    detach: bool,
    clock: &dyn Fn() -> Box<dyn Clock>,
) -> AppResult<Migrated> {
    let (from_server, to_server) = (
        encaisse_team::is_server_url(from),
        encaisse_team::is_server_url(to),
    );
    if from_server == to_server {
        return Err(AppError::InvalidInput(
            "to: one side is a database file of this computer, the other the team's server (postgres://…)"
                .into(),
        ));
    }
    let source = open_store(from, false)?;
    let mut target = open_store(to, true)?;
    if target.holds_data()? && !force {
        return Err(AppError::InvalidInput(format!(
            "to: {} already holds data: nothing was copied (force replaces it; its audit trail is kept)",
            shown(to)
        )));
    }
    let copied = source.copy_into(&mut target)?;
    let read_only = from_server && !detach;
    if read_only {
        target.set_setting(encaisse_store::transfer::COPY_OF, &shown(from))?;
    }
    drop(target);
    drop(source);
    // The same figures through the app, as each side's users will see them.
    let before = App::open_location(Path::new(from), clock())?;
    let after = App::open_location(Path::new(to), clock())?;
    for (what, a, b) in [
        (
            "aged balance",
            serde_json::to_value(before.aging(None)?).ok(),
            serde_json::to_value(after.aging(None)?).ok(),
        ),
        (
            "DSO",
            serde_json::to_value(before.dso_set(None, None)?).ok(),
            serde_json::to_value(after.dso_set(None, None)?).ok(),
        ),
    ] {
        if a != b {
            return Err(AppError::Database(format!(
                "{}: the copy's {what} differs from {}'s: check both before using the copy",
                shown(to),
                shown(from)
            )));
        }
    }
    Ok(Migrated {
        from: shown(from),
        to: shown(to),
        tables: copied.tables,
        read_only,
    })
}
