//! `encaisse smtp`, `email`, `report daily` and `audit` end to end on the demo company, against a local SMTP server
//! started by the test: the password read from standard input and never printed nor written to a file, a test
//! email, previews, the agenda's emails sent (and the agenda moving on), the daily report, the audit trail.

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::smtp_sink;

const PASSWORD: &str = "Tr3s-s3cret!";

fn encaisse_in(db: &Path, args: &[&str], stdin: &str) -> Output {
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

fn ok(db: &Path, args: &[&str]) -> String {
    let out = encaisse_in(db, args, "");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn files_with(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file()
            && std::fs::read(&p)
                .unwrap()
                .windows(needle.len())
                .any(|w| w == needle)
        {
            hits.push(p.display().to_string());
        }
    }
    hits
}

#[test]
fn smtp_email_report_and_audit_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&db, &["demo", "--customers", "40", "--end", "2026-11-26"]);
    // No server yet: the terminal adds the command to run; the app's own message names none.
    let out = encaisse_in(&db, &["smtp", "test", "--to", "daf@demo.test"], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no SMTP server: set it in the email settings (encaisse smtp set)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sink = smtp_sink::Sink::start();
    let port = sink.port.to_string();

    // The password through standard input: stored (in the memory keyring of this run), never printed.
    let out = encaisse_in(
        &db,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
            "--user",
            "anne",
            "--allow-insecure-login",
            "--from",
            "relances@demo.test",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let shown: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (shown["user"].as_str(), shown["has_password"].as_bool()),
        (Some("anne"), Some(true))
    );
    for stream in [&out.stdout, &out.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(PASSWORD));
    }
    assert_eq!(files_with(dir.path(), PASSWORD.as_bytes()), Vec::<String>::new());
    assert!(!files_with(dir.path(), b"relances@demo.test").is_empty());
    // Another run has another (empty) memory keyring: no password, nothing sent.
    let out = encaisse_in(&db, &["smtp", "test", "--to", "moi@demo.test"], "");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no password"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = encaisse_in(
        &db,
        &[
            "smtp",
            "set",
            "--host",
            "h",
            "--from",
            "a@b.test",
            "--user",
            "x",
            "--password-stdin",
        ],
        "",
    );
    assert!(!out.status.success(), "an empty standard input is refused");

    // Without authentication (a local relay): the test email arrives.
    ok(
        &db,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--security",
            "none",
            "--from",
            "relances@demo.test",
            "--from-name",
            "Service relances",
        ],
    );
    ok(
        &db,
        &[
            "email",
            "settings",
            "--contact-name",
            "Anne Martin",
            "--report-to",
            "daf@demo.test",
        ],
    );
    // Each collector's own report at the report's time: LOGIN=ADDRESS, the list replaced, then emptied.
    let set: Value = serde_json::from_str(&ok(
        &db,
        &[
            "email",
            "settings",
            "--collector-report",
            "Claire Martin=claire@demo.test",
            "--collector-report",
            "Julien Roux=julien@demo.test",
        ],
    ))
    .unwrap();
    assert_eq!(
        set["collector_reports"],
        serde_json::json!([
            {"collector": "Claire Martin", "address": "claire@demo.test"},
            {"collector": "Julien Roux", "address": "julien@demo.test"}
        ])
    );
    let refused = encaisse_in(
        &db,
        &["email", "settings", "--collector-report", "Claire Martin"],
        "",
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("LOGIN=ADDRESS"));
    let set: Value =
        serde_json::from_str(&ok(&db, &["email", "settings", "--no-collector-reports"])).unwrap();
    assert_eq!(set["collector_reports"], serde_json::json!([]));
    assert!(ok(&db, &["smtp", "test", "--to", "moi@demo.test"]).contains("test email sent to moi@demo.test"));
    assert_eq!(sink.received().len(), 1);
    assert!(sink.received()[0]
        .subject()
        .starts_with("Encaisse – message de test"));

    // The agenda's email actions that need no validation: previewed, listed by --dry-run, then sent.
    let agenda: Value = serde_json::from_str(&ok(&db, &["agenda", "--format", "json"])).unwrap();
    let emails: Vec<&Value> = agenda["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["channel"] == "email" && a["needs_validation"] == false)
        .collect();
    assert!(emails.len() >= 2, "the demo company has emails to send: {agenda}");
    let first = emails[0]["customer"].as_str().unwrap();
    let preview = ok(&db, &["email", "preview", "--customer", first]);
    assert!(preview.starts_with("To: "), "{preview}");
    for invoice in emails[0]["invoices"].as_array().unwrap() {
        assert!(preview.contains(invoice.as_str().unwrap()), "{preview}");
    }
    assert!(preview.contains("Anne Martin"), "{preview}");
    let dry = ok(&db, &["email", "send", "--dry-run"]);
    assert_eq!(dry.lines().count(), emails.len(), "{dry}");
    assert_eq!(sink.received().len(), 1, "a dry run sends nothing");
    let sent: Value = serde_json::from_str(&ok(&db, &["email", "send", "--json"])).unwrap();
    let sent = sent["sent"].as_array().unwrap();
    assert_eq!(sent.len(), emails.len());
    let got = sink.received();
    assert_eq!(got.len(), 1 + emails.len());
    for (s, m) in sent.iter().zip(&got[1..]) {
        assert_eq!(m.to, [s["to"].as_str().unwrap().to_string()]);
        assert_eq!(m.subject(), s["subject"].as_str().unwrap());
    }
    let text = got[1].text();
    for invoice in emails[0]["invoices"].as_array().unwrap() {
        assert!(text.contains(invoice.as_str().unwrap()), "{text}");
    }
    let after: Value = serde_json::from_str(&ok(&db, &["agenda", "--format", "json"])).unwrap();
    assert!(after["actions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["customer"] != first));

    // The daily report, printed then emailed.
    let report = ok(&db, &["report", "daily"]);
    assert!(report.contains("Rapport quotidien du 26/11/2026"), "{report}");
    let out = ok(&db, &["report", "daily", "--send"]);
    assert!(out.contains("sent to daf@demo.test"), "{out}");
    assert_eq!(sink.received().last().unwrap().to, ["daf@demo.test"]);

    // The audit trail: the settings changes and every message, the password never.
    let audit = ok(&db, &["audit", "--json"]);
    assert!(!audit.contains(PASSWORD));
    let lines: Vec<Value> = audit.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let count = |entity: &str, action: &str| {
        lines
            .iter()
            .filter(|e| e["entity"] == entity && e["action"] == action)
            .count()
    };
    assert_eq!(count("smtp", "update"), 2, "the refused one is not recorded");
    assert_eq!(count("email", "test"), 1);
    assert_eq!(count("email", "sent"), emails.len());
    assert_eq!(count("daily_report", "sent"), 1);
    assert!(lines.iter().all(|e| e["user"] == "anne"));
}
