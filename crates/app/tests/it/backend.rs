//! Which backend the tests run on: SQLite (a file in the test's temporary folder, as the desktop app keeps it), or
//! with `ENCAISSE_TEST_BACKEND=postgres` a new database on the throwaway PostgreSQL cluster of this test binary
//! (encaisse_team::testing), prepared by `team init` and opened with `App::open_server` as its owner.
//!
//! A test names its database by the file path it would have on SQLite: on PostgreSQL the first `open` of a path
//! creates that test's database and later ones reopen the same database (a second window, a reopening). Tests
//! of what only SQLite has (its file, backups of it, its schema upgrades) are named `sqlite_only_…` or call
//! [`sqlite_only`], and skip themselves on PostgreSQL with a SKIPPED line.

use encaisse_app::{App, AppResult};
use encaisse_domain::Clock;
use encaisse_team::{ServerUrl, TlsOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub fn on_postgres() -> bool {
    std::env::var("ENCAISSE_TEST_BACKEND").is_ok_and(|v| v == "postgres")
}

/// Opens the test's database `path` on the selected backend: the SQLite file, or the PostgreSQL database that
/// stands for it (created and prepared on its first open).
pub fn open(path: &Path, clock: Box<dyn Clock>) -> AppResult<App> {
    if !on_postgres() {
        return App::open(path, clock);
    }
    App::open_server(&database_for(path), clock)
}

/// The store of the test's database `path`, as another program opens it beside the app.
pub fn store(path: &Path) -> encaisse_store::Store {
    if !on_postgres() {
        return encaisse_store::Store::open(path).unwrap();
    }
    let server = ServerUrl::parse(&database_for(path)).unwrap();
    encaisse_store::Store::open_server(&server, &TlsOptions::default()).unwrap()
}

/// The PostgreSQL database (its owner's URL) that stands for `path`, created by the first call with that path.
pub fn database_for(path: &Path) -> String {
    static DATABASES: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    let known = |path: &Path| {
        let mut map = DATABASES.lock().unwrap_or_else(|p| p.into_inner());
        map.get_or_insert_with(HashMap::new).get(path).cloned()
    };
    if let Some(url) = known(path) {
        return url;
    }
    // Created outside the lock (tests run in parallel); a path is one test's, opened from its thread.
    let cluster = encaisse_team::testing::cluster("app on PostgreSQL")
        .expect("ENCAISSE_TEST_BACKEND=postgres needs PostgreSQL (Debian package postgresql)");
    let url = cluster.new_database("app");
    init(&url);
    let mut map = DATABASES.lock().unwrap_or_else(|p| p.into_inner());
    map.get_or_insert_with(HashMap::new)
        .entry(path.to_path_buf())
        .or_insert(url)
        .clone()
}

/// `team init` on the database at `url`: the schema, the group roles (created on the cluster's first init).
pub fn init(url: &str) {
    // The first init creates the cluster's group roles: it runs alone; the others, once they exist, in parallel.
    static FIRST: Mutex<bool> = Mutex::new(false);
    let server = ServerUrl::parse(url).unwrap();
    let run = || {
        let mut client = encaisse_team::connect(&server, &TlsOptions::default()).unwrap();
        encaisse_team::init(&mut client, &server).unwrap();
    };
    let mut done = FIRST.lock().unwrap_or_else(|p| p.into_inner());
    if *done {
        drop(done);
        run();
    } else {
        run();
        *done = true;
    }
}

/// The user the audit trail records for `actor`: the actor's name in a file; on a server, whatever the app says,
/// the server's login (here the database's owner, the cluster's superuser).
pub fn login(actor: &str) -> &str {
    if on_postgres() {
        encaisse_team::testing::SUPERUSER
    } else {
        actor
    }
}

/// Skips a test of what only SQLite has when the tests run on PostgreSQL.
pub fn sqlite_only(test: &str) -> bool {
    if on_postgres() {
        eprintln!("SKIPPED {test}: SQLite only");
        return false;
    }
    true
}
