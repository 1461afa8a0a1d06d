//! `encaisse settings collections` (print, set, refuse out of range, audited) and `encaisse audit --format
//! csv|xlsx --out` on an empty database; `encaisse email draft` escaping the fictional customer in HTML.

use serde_json::Value;
use std::process::Command;

use super::common::{encaisse_as_anne as encaisse, ok_as_anne as ok};

#[test]
fn collections_settings_and_the_audit_export_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let json = |s: String| serde_json::from_str::<Value>(&s).unwrap();
    assert_eq!(
        json(ok(&db, &["settings", "collections"])),
        serde_json::json!({"min_gap_days": 5, "promise_grace_days": 3, "version": 0})
    );
    assert_eq!(
        json(ok(&db, &["settings", "collections", "--min-gap", "8"])),
        serde_json::json!({"min_gap_days": 8, "promise_grace_days": 3, "version": 1})
    );
    let refused = encaisse(&db, &["settings", "collections", "--grace", "91"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("promise_grace_days"));
    assert_eq!(
        json(ok(&db, &["settings", "collections"]))["promise_grace_days"],
        3
    );

    // The change in the audit trail, as CSV on standard output and as a file.
    let csv = ok(&db, &["audit", "--format", "csv"]);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "N°;Date;Heure;Utilisateur;Identifiant;Objet;Référence;Action;Avant;Après"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].starts_with("1;26/11/2026;00:00;anne;anne;collection_settings;;update;"),
        "{}",
        lines[1]
    );
    let xlsx = dir.path().join("audit.xlsx");
    ok(
        &db,
        &["audit", "--format", "xlsx", "--out", xlsx.to_str().unwrap()],
    );
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    assert!(!encaisse(&db, &["audit", "--format", "xlsx"]).status.success());
    assert!(
        ok(&db, &["audit", "--from", "2026-11-27", "--format", "csv"])
            .lines()
            .count()
            == 1
    );
}

#[test]
fn the_users_display_name_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let json = |s: String| serde_json::from_str::<Value>(&s).unwrap();
    // ENCAISSE_USER is "anne": not the OS account, so her login is the default name.
    assert_eq!(
        json(ok(&db, &["settings", "name"])),
        serde_json::json!({"login": "anne", "name": "anne", "default_name": "anne", "custom": false})
    );
    assert_eq!(
        json(ok(&db, &["settings", "name", "Anne  Martin"])),
        serde_json::json!({"login": "anne", "name": "Anne Martin", "default_name": "anne", "custom": true})
    );
    assert_eq!(json(ok(&db, &["settings", "name"]))["name"], "Anne Martin");
    // The change is in the audit trail with the new name; --reset brings the default back.
    let csv = ok(&db, &["audit", "--format", "csv"]);
    assert!(
        csv.contains(r#";Anne Martin;anne;user_name;anne;update;"""anne""";"""Anne Martin""""#),
        "{csv}"
    );
    assert_eq!(json(ok(&db, &["settings", "name", "--reset"]))["custom"], false);
    let refused = encaisse(&db, &["settings", "name", "x", "--reset"]);
    assert!(!refused.status.success());
    // Without ENCAISSE_USER there is no login to keep a name for: refused, with the hint.
    let out = Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .arg("--db")
        .arg(&db)
        .args(["settings", "name", "Quelqu'un"])
        .env("ENCAISSE_TODAY", "2026-11-26")
        .env("ENCAISSE_KEYRING", "memory")
        .env_remove("ENCAISSE_USER")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ENCAISSE_USER"));
}

#[test]
fn a_template_draft_is_rendered_on_the_fictional_customer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&db, &["demo", "--customers", "5", "--end", "2026-11-26"]);
    let body = dir.path().join("body.txt");
    std::fs::write(&body, "Bonjour {{ customer_name }},\n\n{{ invoice_table }}").unwrap();
    let p: Value = serde_json::from_str(&ok(
        &db,
        &[
            "email",
            "draft",
            "--id",
            "reminder_1",
            "--subject",
            "À {{ customer_name }}",
            "--body-file",
            body.to_str().unwrap(),
        ],
    ))
    .unwrap();
    assert_eq!(p["subject"], "À Dupont & Fils <SARL>");
    assert!(
        p["html"]
            .as_str()
            .unwrap()
            .contains("Bonjour Dupont &amp; Fils &lt;SARL&gt;,"),
        "{}",
        p["html"]
    );
    assert!(p["text"]
        .as_str()
        .unwrap()
        .contains("Bonjour Dupont & Fils <SARL>,"));
    // Nothing saved.
    let templates: Value = serde_json::from_str(&ok(&db, &["email", "templates"])).unwrap();
    assert!(templates.as_array().unwrap().iter().all(|t| t["edited"] == false));
}
