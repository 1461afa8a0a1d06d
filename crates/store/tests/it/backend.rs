//! Which backend the tests run on: SQLite in memory, or with `ENCAISSE_TEST_BACKEND=postgres` a new database on
//! the throwaway PostgreSQL cluster (encaisse_team::testing), prepared by `team init` and opened as its owner.
//! Tests of what only SQLite has (its file, its schema upgrades) are named `sqlite_only_…` and skip themselves
//! on PostgreSQL.

use encaisse_store::Store;
use encaisse_team::{ServerUrl, TlsOptions};
use std::sync::Mutex;

pub fn on_postgres() -> bool {
    std::env::var("ENCAISSE_TEST_BACKEND").is_ok_and(|v| v == "postgres")
}

/// A new, empty store on the selected backend.
pub fn store() -> Store {
    store_and_url().0
}

/// A new, empty store on the selected backend, with the server URL it is on (None for SQLite), for a test that
/// looks at the server's catalog.
pub fn store_and_url() -> (Store, Option<String>) {
    if !on_postgres() {
        return (Store::open_in_memory().unwrap(), None);
    }
    // `team init` creates the cluster's group roles on its first run: one at a time.
    static INIT: Mutex<()> = Mutex::new(());
    let cluster = encaisse_team::testing::cluster("store on PostgreSQL")
        .expect("ENCAISSE_TEST_BACKEND=postgres needs PostgreSQL (Debian package postgresql)");
    let url = cluster.new_database("store");
    let server = ServerUrl::parse(&url).unwrap();
    {
        let _one = INIT.lock().unwrap_or_else(|p| p.into_inner());
        let mut client = encaisse_team::connect(&server, &TlsOptions::default()).unwrap();
        encaisse_team::init(&mut client, &server).unwrap();
    }
    (
        Store::open_server(&server, &TlsOptions::default()).unwrap(),
        Some(url),
    )
}

/// Skips a test of what only SQLite has when the tests run on PostgreSQL.
pub fn sqlite_only(test: &str) -> bool {
    if on_postgres() {
        eprintln!("SKIPPED {test}: SQLite only");
        return false;
    }
    true
}
