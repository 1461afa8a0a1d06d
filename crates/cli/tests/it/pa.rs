//! `encaisse pa settings|sync|send` on the demo company against the local Flow Service of
//! `crates/pa/tests/pa_server` (which checks each request against the swagger): the JSON contract, exit 2 when a
//! flow failed (the others imported), 0 when none, 1 when nothing could be done; the secret never printed.

use crate::einvoice::message;
use crate::pa_server::{PaServer, CLIENT_ID, CLIENT_SECRET, ORGANIZATION};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn encaisse(db: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ENCAISSE_TODAY", "2026-11-26")
        .env("ENCAISSE_KEYRING", "memory")
        .env("ENCAISSE_USER", "anne")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run encaisse");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {} / {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A CDAR file of the import crate's fixtures on `invoice`, with the message id `id`.
fn cdar(dir: &Path, id: &str, invoice: &str, date: &str, with_reason: bool) -> Vec<u8> {
    let path = dir.join(format!("{id}.xml"));
    message(&path, invoice, date, with_reason);
    let xml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("CDV-2026-11-20-001", id);
    xml.into_bytes()
}

#[test]
fn sync_exits_2_when_a_flow_failed_0_when_none_and_1_when_nothing_could_be_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    assert!(encaisse(&db, &["demo", "--customers", "12"], "").status.success());
    let aging = stdout_json(&encaisse(&db, &["aging", "--invoices", "--format", "json"], ""));
    let open = aging["invoices"].as_array().unwrap()[0].clone();
    let invoice = open["piece_ref"].as_str().unwrap();
    let date = open["invoice_date"].as_str().unwrap().replace('-', "");

    let server = PaServer::start();
    server.add_flow(
        "F1",
        "2026-12-01T08:00:00Z",
        &cdar(dir.path(), "M1", invoice, &date, true),
    );
    server.add_flow(
        "F2",
        "2026-12-01T09:00:00Z",
        &cdar(dir.path(), "M2", invoice, &date, false),
    );

    // Not set up: nothing can be done.
    let out = encaisse(&db, &["pa", "sync", "--format", "json"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("encaisse pa settings"));

    let out = encaisse(
        &db,
        &[
            "pa",
            "settings",
            "--base-url",
            &server.base_url,
            "--token-url",
            &server.token_url,
            "--client-id",
            CLIENT_ID,
            "--organization-id",
            ORGANIZATION,
        ],
        "",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let s = stdout_json(&out);
    assert_eq!(s["base_url"], server.base_url.as_str());
    assert_eq!(s["has_secret"], false, "the in-memory keyring forgets at exit");
    let shown = stdout_json(&encaisse(&db, &["pa", "settings"], ""));
    assert_eq!(shown["organization_id"], ORGANIZATION);

    // Refused credentials: nothing could be done.
    let out = encaisse(
        &db,
        &["pa", "sync", "--secret-stdin", "--format", "json"],
        "wrong\n",
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_client"));

    let secret = format!("{CLIENT_SECRET}\n");
    let out = encaisse(
        &db,
        &["pa", "sync", "--secret-stdin", "--format", "json"],
        &secret,
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = stdout_json(&out);
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["flows", "imported", "failed", "statuses"]);
    assert_eq!(
        (r["flows"].as_u64(), r["imported"].as_u64()),
        (Some(2), Some(1)),
        "{r}"
    );
    assert_eq!(r["failed"][0]["flow"], "F2");
    assert!(
        r["failed"][0]["reason"].as_str().unwrap().contains("ReasonCode"),
        "{r}"
    );
    for stream in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(CLIENT_SECRET));
    }

    server.add_flow(
        "F3",
        "2026-12-02T08:00:00Z",
        &cdar(dir.path(), "M3", invoice, &date, true),
    );
    let out = encaisse(
        &db,
        &["pa", "sync", "--secret-stdin", "--format", "json"],
        &secret,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = stdout_json(&out);
    assert_eq!(
        (r["flows"].as_u64(), r["imported"].as_u64()),
        (Some(1), Some(1)),
        "only the new flow: {r}"
    );
    assert_eq!(r["failed"], serde_json::json!([]));

    // Nothing paid that the platform knows: nothing to send.
    let out = encaisse(
        &db,
        &["pa", "send", "--secret-stdin", "--format", "json"],
        &secret,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout_json(&out)["sent"], serde_json::json!([]));
    server.assert_no_faults();
    assert!(std::fs::read(&db)
        .unwrap()
        .windows(CLIENT_SECRET.len())
        .all(|w| w != CLIENT_SECRET.as_bytes()));
}
