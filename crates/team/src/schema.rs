//! The schema on the server. One migration list per dialect, numbered like the SQLite store's: step N of
//! `migrations/postgres/` brings the server to the SQLite schema's version N. The server's list starts with
//! `0014_baseline.sql`, the SQLite schema's 14 steps written once in PostgreSQL's dialect (no server database
//! existed before); each later SQLite migration gets its PostgreSQL twin with the same number, and
//! tests/it/main.rs fails while the two catalogs differ. The version reached is the one row of
//! `encaisse_schema_version` (SQLite keeps it in `user_version`).
//!
//! Opening reads only: `open` checks the version and refuses a database `team init` has not prepared, so a
//! viewer, who may write nothing, opens it the same way as a manager.

use crate::roles::grant_group_roles;
use crate::{server_message, Error, Result, ServerUrl};
use postgres::Client;

/// (the SQLite schema version it reaches, its SQL).
const STEPS: &[(i64, &str)] = &[
    (14, include_str!("../migrations/postgres/0014_baseline.sql")),
    (15, include_str!("../migrations/postgres/0015_ledger_form.sql")),
    (16, include_str!("../migrations/postgres/0016_changed_by.sql")),
    (17, include_str!("../migrations/postgres/0017_portfolio.sql")),
    (18, include_str!("../migrations/postgres/0018_edit_version.sql")),
    (19, include_str!("../migrations/postgres/0019_bulk_load.sql")),
    (20, include_str!("../migrations/postgres/0020_display_name.sql")),
    (21, include_str!("../migrations/postgres/0021_bulk_load_ids.sql")),
    (22, include_str!("../migrations/postgres/0022_customer_index.sql")),
];

pub const LATEST_VERSION: i64 = STEPS[STEPS.len() - 1].0;

/// The table holding the schema's version: the one table the SQLite schema has not.
pub const VERSION_TABLE: &str = "encaisse_schema_version";

/// The server-only table of the bulk loads in progress (migration 0019): what makes a transaction that dropped
/// the lines' and invoices' checks unable to commit without them. No SQLite twin.
pub const BULK_LOAD_TABLE: &str = "encaisse_bulk_load";

/// What `team init` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    /// The schema and the roles' rights were created, at this version.
    Created(i64),
    /// The database already holds the Encaisse schema, at this version: nothing was changed.
    AlreadyThere(i64),
}

/// Creates the schema, the three group roles (if the server has not got them yet) and their rights, in one
/// transaction; a database already prepared is left as it is. Refuses a database holding other tables: the
/// roles' rights are given on the whole schema.
pub fn init(client: &mut Client, server: &ServerUrl) -> Result<Init> {
    let sql = server_error(server);
    let (mut tx, found) = locked(client, server)?;
    if let Some(version) = found {
        return Ok(Init::AlreadyThere(version));
    }
    let others: Vec<String> = tx
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() ORDER BY 1 LIMIT 5",
            &[],
        )
        .map_err(&sql)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if !others.is_empty() {
        return Err(Error::Schema(format!(
            "{server}: the database already holds other tables ({}): give team init an empty database",
            others.join(", ")
        )));
    }
    for (_, step) in STEPS {
        tx.batch_execute(step).map_err(&sql)?;
    }
    tx.batch_execute(&format!(
        "CREATE TABLE {VERSION_TABLE} (version BIGINT NOT NULL);
         INSERT INTO {VERSION_TABLE} (version) VALUES ({LATEST_VERSION});"
    ))
    .map_err(&sql)?;
    grant_group_roles(&mut tx).map_err(&sql)?;
    tx.commit().map_err(&sql)?;
    Ok(Init::Created(LATEST_VERSION))
}

/// How the database sorts text, when not byte by byte as SQLite does (and as README's `createdb --locale=C` gives):
/// a sentence for whoever runs `team init`, None when it sorts as a local file does. Asked of the server's own
/// comparison (C, POSIX and C.UTF-8 put "B" before "a"; a language's order, libc or ICU, puts "a" first), so it
/// holds whichever provider and version.
pub fn text_order(client: &mut Client, server: &ServerUrl) -> Result<Option<String>> {
    let sql = server_error(server);
    let row = client
        .query_one(
            "SELECT 'a' < 'B', datcollate::text FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .map_err(&sql)?;
    let (by_language, collate): (bool, String) = (row.get(0), row.get(1));
    Ok(by_language.then(|| {
        format!(
            "{server}: the database sorts text in a language's order (collation {collate}), not byte by byte: \
             customers and lists will sort differently from a database on one computer. To sort the same, create \
             the database with `createdb --locale=C --template=template0` before `team init`"
        )
    }))
}

/// What `team upgrade` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upgrade {
    /// The schema went from the first version to the second.
    Upgraded(i64, i64),
    /// The schema was at this build's version already: nothing changed.
    Current(i64),
}

/// Brings a database `team init` prepared with an older Encaisse up to this build's schema: the later steps in
/// order, the version and the group roles' rights on the new tables, in one transaction (run by the database's
/// owner). A newer schema is refused; a database without the Encaisse schema is `team init`'s.
pub fn upgrade(client: &mut Client, server: &ServerUrl) -> Result<Upgrade> {
    let sql = server_error(server);
    let (mut tx, found) = locked(client, server)?;
    let found = match found {
        None => return Err(no_schema(server)),
        Some(v) if v > LATEST_VERSION => return Err(newer(server, v)),
        Some(v) if v == LATEST_VERSION => return Ok(Upgrade::Current(v)),
        Some(v) => v,
    };
    for (_, step) in STEPS.iter().filter(|(n, _)| *n > found) {
        tx.batch_execute(step).map_err(&sql)?;
    }
    tx.execute(
        &format!("UPDATE {VERSION_TABLE} SET version = $1"),
        &[&LATEST_VERSION],
    )
    .map_err(&sql)?;
    grant_group_roles(&mut tx).map_err(&sql)?;
    tx.commit().map_err(&sql)?;
    Ok(Upgrade::Upgraded(found, LATEST_VERSION))
}

/// Checks, reading only, that the database holds the Encaisse schema at a version this build knows.
pub fn open(client: &mut Client, server: &ServerUrl) -> Result<i64> {
    match version(client).map_err(server_error(server))? {
        None => Err(no_schema(server)),
        Some(v) if v > LATEST_VERSION => Err(newer(server, v)),
        Some(v) if v < LATEST_VERSION => Err(Error::Schema(format!(
            "{server}: the database's schema is at version {v}: a manager upgrades it (encaisse team upgrade)"
        ))),
        Some(v) => Ok(v),
    }
}

/// A server error, naming the server and saying the server's own words.
fn server_error(server: &ServerUrl) -> impl Fn(postgres::Error) -> Error + '_ {
    move |e| Error::Server {
        server: server.to_string(),
        message: server_message(&e),
    }
}

fn no_schema(server: &ServerUrl) -> Error {
    Error::Schema(format!(
        "{server}: no Encaisse schema in this database: a manager runs encaisse team init first"
    ))
}

fn newer(server: &ServerUrl, v: i64) -> Error {
    Error::Schema(format!(
        "{server}: the database's schema is at version {v}, newer than this Encaisse knows ({LATEST_VERSION}): update Encaisse"
    ))
}

/// A transaction holding the schema's lock (two `team init` or `upgrade` at once on one database: the second
/// waits, then finds the first's work), with the version found.
fn locked<'c>(
    client: &'c mut Client,
    server: &ServerUrl,
) -> Result<(postgres::Transaction<'c>, Option<i64>)> {
    let sql = server_error(server);
    let mut tx = client.transaction().map_err(&sql)?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('encaisse team init'))",
        &[],
    )
    .map_err(&sql)?;
    let found = version(&mut tx).map_err(&sql)?;
    Ok((tx, found))
}

fn version(client: &mut impl postgres::GenericClient) -> std::result::Result<Option<i64>, postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass(format('%I.%I', current_schema(), $1::text)) IS NOT NULL",
            &[&VERSION_TABLE],
        )?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let row = client.query_one(&format!("SELECT max(version) FROM {VERSION_TABLE}"), &[])?;
    Ok(row.get(0))
}
