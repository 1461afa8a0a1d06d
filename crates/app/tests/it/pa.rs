//! The accredited platform on the demo company, against the local Flow Service of `crates/pa/tests/pa_server`
//! (which checks every request against the swagger): settings with the secret in the keyring only, a sync that
//! imports each new flow once and whose cursor makes the next sync fetch only newer flows, a refused CDAR listed
//! in `failed` while the others are imported, a download that fails tried again at the next sync, an expired
//! token renewed once, refused credentials doing nothing, and the 212 posted once.

use crate::common::dump_tables;
use crate::einvoice_status::{demo, message, open_invoices, St};
use crate::pa_server::{PaServer, CLIENT_ID, CLIENT_SECRET, ORGANIZATION};
use encaisse_app::mail::Keyring;
use encaisse_app::pa::{PaProgress, PaSettings, SavePaSettings};
use encaisse_app::{App, AppError};
use std::path::Path;
use std::sync::Arc;

fn set_up(app: App, server: &PaServer, secret: &str) -> App {
    let app = app.with_secrets(Arc::new(Keyring::in_memory()));
    app.save_pa_settings(
        &SavePaSettings {
            settings: PaSettings {
                base_url: server.base_url.clone(),
                token_url: server.token_url.clone(),
                client_id: CLIENT_ID.into(),
                organization_id: ORGANIZATION.into(),
                ..PaSettings::default()
            },
            secret: Some(secret.into()),
        },
        "tester",
    )
    .unwrap();
    app
}

/// A CDAR message about `invoice` (customer, number, date) with status `code`, as bytes.
fn cdar(dir: &Path, id: &str, invoice: &(String, String, chrono::NaiveDate, String), code: u16) -> Vec<u8> {
    let reason = (code == 207).then_some("NON_CONFORME");
    let path = message(
        dir,
        &format!("{id}.xml"),
        id,
        "732829320",
        "BY",
        &[St(&invoice.1, invoice.2, code, "20261120", reason, None)],
    );
    std::fs::read(path).unwrap()
}

fn sync(app: &App) -> (encaisse_app::pa::PaSyncReport, Vec<PaProgress>) {
    let mut seen = Vec::new();
    let report = app.pa_sync(&mut |p: &PaProgress| seen.push(p.clone())).unwrap();
    (report, seen)
}

/// The `where` of each search the server received.
fn searches(server: &PaServer) -> Vec<serde_json::Value> {
    server
        .state()
        .requests
        .iter()
        .filter(|r| r.path.ends_with("/v1/flows/search"))
        .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["where"].clone())
        .collect()
}

/// The flows recorded: (flow, outcome, message, reason).
fn recorded(dir: &Path) -> Vec<(String, String, Option<String>, Option<String>)> {
    crate::common::query(
        &dir.join("e.db"),
        "SELECT flow_id, outcome, message_id, reason FROM pa_flow WHERE direction = 'in' ORDER BY flow_id",
    )
    .into_iter()
    .map(|r| {
        (
            r[0].clone().unwrap(),
            r[1].clone().unwrap(),
            r[2].clone(),
            r[3].clone(),
        )
    })
    .collect()
}

fn timeline(app: &App, number: &str) -> Vec<u16> {
    app.einvoice_statuses(None)
        .unwrap()
        .invoices
        .into_iter()
        .filter(|i| i.invoice == number)
        .flat_map(|i| i.statuses.into_iter().map(|s| s.code))
        .collect()
}

#[test]
fn settings_keep_the_secret_in_the_keyring_only() {
    let (dir, app) = demo();
    let server = PaServer::start();
    let app = set_up(app, &server, CLIENT_SECRET);
    let s = app.pa_settings().unwrap();
    assert!(s.has_secret && s.is_complete());
    assert_eq!(s.organization_id, ORGANIZATION);
    assert!(app.pa_ready());
    let db = dump_tables(&dir.path().join("e.db"), &["setting", "audit_log"]);
    assert!(!db.contains(CLIENT_SECRET), "the secret is in the database");
    assert!(!serde_json::to_string(&s).unwrap().contains(CLIENT_SECRET));
    // An address in clear to another computer is refused: the secret would travel unencrypted.
    let e = app
        .save_pa_settings(
            &SavePaSettings {
                settings: PaSettings {
                    base_url: "http://pa.example.com/flow-service".into(),
                    ..s.clone()
                },
                secret: None,
            },
            "tester",
        )
        .unwrap_err();
    assert!(
        matches!(e, AppError::InvalidInput(ref m) if m.contains("https")),
        "{e:?}"
    );
    // Saving without a secret keeps it; an empty one removes it.
    app.save_pa_settings(
        &SavePaSettings {
            settings: s.clone(),
            secret: None,
        },
        "tester",
    )
    .unwrap();
    assert!(app.pa_settings().unwrap().has_secret);
    app.save_pa_settings(
        &SavePaSettings {
            settings: app.pa_settings().unwrap(),
            secret: Some(String::new()),
        },
        "tester",
    )
    .unwrap();
    assert!(!app.pa_ready());
    assert!(matches!(app.pa_sync(&mut |_| {}), Err(AppError::InvalidInput(_))));
}

#[test]
fn a_sync_imports_each_new_flow_once_and_the_next_fetches_only_newer_flows() {
    let (dir, app) = demo();
    let server = PaServer::start();
    let inv = open_invoices(&app);
    server.add_flow(
        "F1",
        "2026-12-01T08:00:00Z",
        &cdar(dir.path(), "M1", &inv[0], 204),
    );
    server.add_flow(
        "F2",
        "2026-12-01T09:00:00Z",
        &cdar(dir.path(), "M2", &inv[1], 205),
    );
    server.add_flow(
        "F3",
        "2026-12-01T09:30:00+01:00",
        &cdar(dir.path(), "M3", &inv[2], 211),
    );
    let app = set_up(app, &server, CLIENT_SECRET);

    let (report, progress) = sync(&app);
    assert_eq!(
        (report.flows, report.imported, report.statuses),
        (3, 3, 3),
        "{report:?}"
    );
    assert!(report.failed.is_empty());
    assert_eq!(progress.len(), 4, "one step per flow, then the end");
    assert_eq!((progress[3].done, progress[3].total), (3, 3));
    assert_eq!(timeline(&app, &inv[0].1), [204]);
    assert_eq!(timeline(&app, &inv[2].1), [211]);
    let flows = recorded(dir.path());
    assert_eq!(
        flows[0],
        ("F1".into(), "imported".into(), Some("M1".into()), None)
    );
    // Two pages (the server's pages hold two flows), no cursor yet.
    let first = searches(&server);
    assert_eq!(first.len(), 2);
    assert!(first[0].get("updatedAfter").is_none());
    assert_eq!(first[0]["flowType"], serde_json::json!(["CustomerInvoiceLC"]));
    assert_eq!(
        app.pa_settings().unwrap().cursor.as_deref(),
        Some("2026-12-01T09:00:00Z"),
        "the latest updatedAt (09:30+01:00 is 08:30Z)"
    );

    server.add_flow(
        "F4",
        "2026-12-02T08:00:00Z",
        &cdar(dir.path(), "M4", &inv[3], 207),
    );
    let (report, _) = sync(&app);
    assert_eq!((report.flows, report.imported), (1, 1), "{report:?}");
    let last = searches(&server).pop().unwrap();
    assert_eq!(last["updatedAfter"], "2026-12-01T09:00:00Z");
    assert_eq!(timeline(&app, &inv[3].1), [207]);
    assert_eq!(
        server
            .state()
            .requests
            .iter()
            .filter(|r| r.method == "GET")
            .count(),
        4,
        "each flow downloaded once"
    );

    let (report, _) = sync(&app);
    assert_eq!((report.flows, report.imported), (0, 0));
    server.assert_no_faults();
    assert_eq!(server.state().tokens_issued, 3, "one token per sync");
}

#[test]
fn a_refused_cdar_is_listed_with_why_and_the_other_flows_are_imported() {
    let (dir, app) = demo();
    let server = PaServer::start();
    let inv = open_invoices(&app);
    server.add_flow(
        "F1",
        "2026-12-01T08:00:00Z",
        &cdar(dir.path(), "M1", &inv[0], 204),
    );
    let mut bad = cdar(dir.path(), "M2", &inv[1], 207);
    // A 207 without its reason code (BR-FR-CDV-15).
    let text = String::from_utf8(bad)
        .unwrap()
        .replace("<ram:ReasonCode>NON_CONFORME</ram:ReasonCode>", "");
    bad = text.into_bytes();
    server.add_flow("F2", "2026-12-01T09:00:00Z", &bad);
    server.add_flow(
        "F3",
        "2026-12-01T10:00:00Z",
        &cdar(dir.path(), "M3", &inv[2], 205),
    );
    let app = set_up(app, &server, CLIENT_SECRET);
    let before = dump_tables(&dir.path().join("e.db"), &["dispute"]);

    let (report, _) = sync(&app);
    assert_eq!((report.flows, report.imported), (3, 2), "{report:?}");
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].flow, "F2");
    assert!(report.failed[0].reason.contains("F2.xml"), "{:?}", report.failed);
    assert!(timeline(&app, &inv[1].1).is_empty(), "nothing of F2 written");
    assert_eq!(dump_tables(&dir.path().join("e.db"), &["dispute"]), before);
    assert_eq!(timeline(&app, &inv[2].1), [205]);
    let flows = recorded(dir.path());
    assert_eq!((flows[1].0.as_str(), flows[1].1.as_str()), ("F2", "failed"));
    assert!(flows[1].3.as_deref().unwrap().contains("ReasonCode"), "{flows:?}");
    // Its bytes will not change: the cursor passes it, it is not fetched again.
    assert_eq!(
        app.pa_settings().unwrap().cursor.as_deref(),
        Some("2026-12-01T10:00:00Z")
    );
    server.assert_no_faults();
}

#[test]
fn a_flow_the_platform_could_not_give_is_tried_again_at_the_next_sync() {
    let (dir, app) = demo();
    let server = PaServer::start();
    let inv = open_invoices(&app);
    server.add_flow(
        "F1",
        "2026-12-01T08:00:00Z",
        &cdar(dir.path(), "M1", &inv[0], 204),
    );
    server.add_flow(
        "F2",
        "2026-12-01T09:00:00Z",
        &cdar(dir.path(), "M2", &inv[1], 205),
    );
    server.add_flow(
        "F3",
        "2026-12-01T10:00:00Z",
        &cdar(dir.path(), "M3", &inv[2], 211),
    );
    server.state().broken_downloads.insert("F2".into());
    let app = set_up(app, &server, CLIENT_SECRET);

    let (report, _) = sync(&app);
    assert_eq!((report.flows, report.imported), (3, 2), "{report:?}");
    assert_eq!(report.failed[0].flow, "F2");
    assert!(report.failed[0].reason.contains("500"), "{:?}", report.failed);
    assert_eq!(
        app.pa_settings().unwrap().cursor.as_deref(),
        Some("2026-12-01T08:00:00Z"),
        "the cursor stays before the flow left"
    );

    server.state().broken_downloads.clear();
    let (report, _) = sync(&app);
    assert_eq!(
        (report.flows, report.imported),
        (1, 1),
        "F3 is not imported twice: {report:?}"
    );
    assert_eq!(timeline(&app, &inv[1].1), [205]);
    assert_eq!(timeline(&app, &inv[2].1), [211]);
    assert_eq!(
        app.pa_settings().unwrap().cursor.as_deref(),
        Some("2026-12-01T10:00:00Z")
    );
    server.assert_no_faults();
}

#[test]
fn an_expired_token_is_renewed_once_and_the_sync_goes_on() {
    let (dir, app) = demo();
    let server = PaServer::start();
    let inv = open_invoices(&app);
    server.add_flow(
        "F1",
        "2026-12-01T08:00:00Z",
        &cdar(dir.path(), "M1", &inv[0], 204),
    );
    server.add_flow(
        "F2",
        "2026-12-01T09:00:00Z",
        &cdar(dir.path(), "M2", &inv[1], 205),
    );
    let app = set_up(app, &server, CLIENT_SECRET);
    // The search gets the first token; the first download finds it expired.
    server.state().page_size = 10;
    let mut expired = false;
    let report = app
        .pa_sync(&mut |p: &PaProgress| {
            if p.done == 0 && !expired {
                expired = true;
                server.state().expire_token = true;
            }
        })
        .unwrap();
    assert_eq!((report.flows, report.imported), (2, 2), "{report:?}");
    assert!(report.failed.is_empty());
    assert_eq!(server.state().tokens_issued, 2);
    server.assert_no_faults();
}

#[test]
fn refused_credentials_or_a_platform_down_change_nothing() {
    let (dir, app) = demo();
    let server = PaServer::start();
    let inv = open_invoices(&app);
    server.add_flow(
        "F1",
        "2026-12-01T08:00:00Z",
        &cdar(dir.path(), "M1", &inv[0], 204),
    );
    let app = set_up(app, &server, "not-the-secret");
    let tables = ["einvoice_status", "pa_flow"];
    let before = dump_tables(&dir.path().join("e.db"), &tables);
    let e = app.pa_sync(&mut |_| {}).unwrap_err();
    assert!(
        matches!(e, AppError::Platform(ref m) if m.contains("invalid_client")),
        "{e:?}"
    );
    assert!(!e.to_string().contains("not-the-secret"));
    assert_eq!(dump_tables(&dir.path().join("e.db"), &tables), before);
    assert_eq!(app.pa_settings().unwrap().cursor, None);

    let down = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut s = app.pa_settings().unwrap();
    s.base_url = format!("http://127.0.0.1:{down}/flow-service");
    s.token_url = format!("http://127.0.0.1:{down}/token");
    app.save_pa_settings(
        &SavePaSettings {
            settings: s,
            secret: None,
        },
        "tester",
    )
    .unwrap();
    let e = app.pa_sync(&mut |_| {}).unwrap_err();
    assert!(
        matches!(e, AppError::Platform(ref m) if m.contains("could not be reached")),
        "{e:?}"
    );
    assert_eq!(dump_tables(&dir.path().join("e.db"), &tables), before);
}

#[test]
fn send_posts_the_212_of_a_paid_invoice_the_platform_knows_once() {
    let (dir, app) = demo();
    let server = PaServer::start();
    // A paid invoice (lettered in the demo's FEC) that the platform knows from a 205 it sent.
    let customers = app.customer_list(None).unwrap();
    let (key, paid) = customers
        .customers
        .iter()
        .find_map(|c| {
            let file = app.customer_file(&c.id, None).ok()?;
            file.paid.first().cloned().map(|p| (c.id.clone(), p))
        })
        .expect("the demo has paid invoices");
    let invoice = (
        key.clone(),
        paid.piece_ref.clone(),
        paid.invoice_date,
        paid.amount.clone(),
    );
    server.add_flow(
        "F1",
        "2026-12-01T08:00:00Z",
        &cdar(dir.path(), "M1", &invoice, 205),
    );
    let app = set_up(app, &server, CLIENT_SECRET);
    assert_eq!(sync(&app).0.imported, 1);

    let report = app.pa_send().unwrap();
    assert_eq!(report.sent.len(), 1, "{report:?}");
    assert!(report.failed.is_empty());
    let sent = &report.sent[0];
    assert_eq!(
        (sent.customer.as_str(), sent.invoice.as_str()),
        (key.as_str(), paid.piece_ref.as_str())
    );
    assert_eq!(sent.flow, "OUT-1");
    {
        let st = server.state();
        assert_eq!(st.submitted.len(), 1);
        let (info, file) = &st.submitted[0];
        assert_eq!(info["flowSyntax"], "CDAR");
        assert_eq!(info["trackingId"], sent.message_id.as_str());
        let xml = String::from_utf8_lossy(file);
        assert!(
            xml.contains(&sent.message_id) && xml.contains(&paid.piece_ref),
            "{xml}"
        );
    }
    assert!(app.pa_send().unwrap().sent.is_empty(), "posted once");
    assert!(
        app.einvoice_outbox(None).unwrap().messages.is_empty(),
        "nothing left in the outbox"
    );
    assert_eq!(server.state().submitted.len(), 1);
    server.assert_no_faults();
}
