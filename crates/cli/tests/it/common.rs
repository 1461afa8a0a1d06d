//! What several modules share: running the built `encaisse` on a database, on the tests' fixed day.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `encaisse --db DB ARGS…` with today = 2026-11-26 (the rest of the environment as the test's).
pub fn encaisse(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ENCAISSE_TODAY", "2026-11-26")
        .output()
        .expect("run encaisse")
}

/// As [`encaisse`], acting as `anne` with the in-memory keyring (the settings and safety tests).
pub fn encaisse_as_anne(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ENCAISSE_TODAY", "2026-11-26")
        .env("ENCAISSE_KEYRING", "memory")
        .env("ENCAISSE_USER", "anne")
        .output()
        .expect("run encaisse")
}

/// [`encaisse_as_anne`] that must succeed: its standard output.
pub fn ok_as_anne(db: &Path, args: &[&str]) -> String {
    let out = encaisse_as_anne(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
