//! `encaisse backup`, `backups`, `restore`, and the demo that asks before replacing imported data.

use crate::common::encaisse;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec")
        .join(name)
}

fn status(db: &Path) -> Value {
    serde_json::from_str(&ok(&encaisse(db, &["status"]))).unwrap()
}

#[test]
fn demo_over_imported_data_is_refused_and_replace_backs_it_up_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("books.db");
    let fec = sample("111111111FEC20221231.TXT");
    ok(&encaisse(&db, &["import", "fec", fec.to_str().unwrap()]));
    let before = status(&db);

    let out = encaisse(&db, &["demo", "--customers", "5"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&db.display().to_string()),
        "names the database: {err}"
    );
    assert!(err.contains("--replace"), "{err}");
    assert_eq!(status(&db), before, "nothing changed");

    ok(&encaisse(&db, &["demo", "--customers", "5", "--replace"]));
    assert_eq!(status(&db)["customers"], 5);
    let list: Value = serde_json::from_str(&ok(&encaisse(&db, &["backups", "--format", "json"]))).unwrap();
    let copies = list["backups"].as_array().unwrap();
    assert_eq!(copies.len(), 1, "{list}");
    assert_eq!(copies[0]["reason"], "before_demo");
    assert!(copies[0]["bytes"].as_u64().unwrap() > 0);
    assert!(copies[0]["created_at"]
        .as_str()
        .unwrap()
        .starts_with("2026-11-26"));
    // The copy is the imported ledger.
    let copy = copies[0]["path"].as_str().unwrap();
    assert_eq!(status(Path::new(copy))["customers"], before["customers"]);
}

#[test]
fn backup_restore_and_the_confirmation_a_restore_asks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("encaisse.db");
    ok(&encaisse(&db, &["demo", "--customers", "7"]));
    let out_file = dir.path().join("copy.db");
    let done: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &["backup", "--out", out_file.to_str().unwrap(), "--format", "json"],
    )))
    .unwrap();
    assert_eq!(done["path"], out_file.display().to_string());
    assert_eq!(done["integrity"], "ok");
    assert_eq!(
        done["bytes"].as_u64().unwrap(),
        std::fs::metadata(&out_file).unwrap().len()
    );
    assert!(done["created_at"].is_string());
    // The same file again: refused, the copy kept.
    assert!(!encaisse(&db, &["backup", "--out", out_file.to_str().unwrap()])
        .status
        .success());

    ok(&encaisse(&db, &["demo", "--customers", "9"]));
    assert_eq!(status(&db)["customers"], 9);

    // Without --yes and without a terminal: refused, nothing changed.
    let out = Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .arg("--db")
        .arg(&db)
        .args(["restore", out_file.to_str().unwrap()])
        .env("ENCAISSE_TODAY", "2026-11-26")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--yes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(status(&db)["customers"], 9);

    let text = ok(&encaisse(&db, &["restore", out_file.to_str().unwrap(), "--yes"]));
    assert!(text.contains("restored"), "{text}");
    assert_eq!(status(&db)["customers"], 7);
    let list: Value = serde_json::from_str(&ok(&encaisse(&db, &["backups", "--format", "json"]))).unwrap();
    assert_eq!(list["backups"][0]["reason"], "before_restore");

    // Not a database: refused with the file named.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "hello").unwrap();
    let out = encaisse(&db, &["restore", junk.to_str().unwrap(), "--yes"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an Encaisse database"));
    assert_eq!(status(&db)["customers"], 7);
}

#[test]
fn an_fec_without_siren_into_another_companys_database_needs_the_siren() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&encaisse(
        &db,
        &[
            "import",
            "fec",
            sample("123456789FEC20500930.txt").to_str().unwrap(),
        ],
    ));
    let unnamed = dir.path().join("export.txt");
    std::fs::copy(sample("111111111FEC20221231.TXT"), &unnamed).unwrap();
    let out = encaisse(&db, &["import", "fec", unnamed.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no SIREN") && err.contains("--siren"), "{err}");
    ok(&encaisse(
        &db,
        &["import", "fec", unnamed.to_str().unwrap(), "--siren", "123456789"],
    ));
}
