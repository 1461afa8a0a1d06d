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
