//! E-invoicing lifecycle statuses on the demo company: every status with its effect (dispute opened with its
//! kind, suspension until 209, alerts for 210/213, payment announced on 211, 212 recorded with its amount),
//! the same file twice changes nothing, a missing reason code refused with file, line and field and nothing
//! written, and the 212 written for a paid invoice the platform knows, XSD-valid, whose echo is not counted.

use crate::common::dump_tables;
use chrono::NaiveDate;
use encaisse_app::reports::AgingOptions;
use encaisse_app::{App, AppError, DemoOptions};
use encaisse_domain::collections::{DisputeKind, DisputeStatus};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-11-26";
const TABLES: &[&str] = &["einvoice_status", "dispute", "dispute_invoice"];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub(crate) fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d(TODAY)))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(d(TODAY)),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/cdar")
            .join(name),
    )
    .unwrap()
}

/// One status: (invoice number, invoice date, code, status date YYYYMMDD, reason, amount characteristic).
pub(crate) struct St<'a>(
    pub &'a str,
    pub NaiveDate,
    pub u16,
    pub &'a str,
    pub Option<&'a str>,
    pub Option<(&'a str, &'a str)>,
);

/// A CDAR message from the fixtures' template, issued by `issuer` (SIREN) in `role`.
pub(crate) fn message(
    dir: &Path,
    name: &str,
    id: &str,
    issuer: &str,
    role: &str,
    statuses: &[St],
) -> PathBuf {
    let ack = fixture("acknowledgement.xml");
    let acks: String = statuses
        .iter()
        .map(|s| {
            let mut detail = String::new();
            if s.4.is_some() || s.5.is_some() {
                detail.push_str("      <ram:SpecifiedDocumentStatus>\n");
                if let Some(r) = s.4 {
                    detail.push_str(&format!("        <ram:ReasonCode>{r}</ram:ReasonCode>\n"));
                }
                detail.push_str("        <ram:SequenceNumeric>1</ram:SequenceNumeric>\n");
                if let Some((kind, amount)) = s.5 {
                    detail.push_str(&format!(
                        "        <ram:SpecifiedDocumentCharacteristic><ram:TypeCode>{kind}</ram:TypeCode><ram:ValueAmount>{amount}</ram:ValueAmount><ram:ValuePercent>20</ram:ValuePercent></ram:SpecifiedDocumentCharacteristic>\n"
                    ));
                }
                detail.push_str("      </ram:SpecifiedDocumentStatus>\n");
            }
            ack.replace("{INVOICE}", s.0)
                .replace("{INVOICE_DATE}", &s.1.format("%Y%m%d").to_string())
                .replace("{CODE}", &s.2.to_string())
                .replace("{DATE}", s.3)
                .replace("{DETAIL}", &detail)
        })
        .collect();
    let xml = fixture("message.xml")
        .replace("{MESSAGE_ID}", id)
        .replace("{ISSUER}", issuer)
        .replace("{ROLE}", role)
        .replace("{ACKNOWLEDGEMENTS}", &acks);
    let path = dir.join(name);
    std::fs::write(&path, xml).unwrap();
    path
}

/// The demo's open invoices: (customer, number, date, amount), largest first.
pub(crate) fn open_invoices(app: &App) -> Vec<(String, String, NaiveDate, String)> {
    let mut v: Vec<_> = app
        .aging_invoices(&AgingOptions::default(), None)
        .unwrap()
        .invoices
        .into_iter()
        .filter(|i| i.residual != "0.00")
        .map(|i| (i.customer_id, i.piece_ref, i.invoice_date, i.amount))
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v.dedup_by(|a, b| a.1 == b.1);
    v
}

fn open_dispute_of<'a>(
    board: &'a encaisse_app::workflow::disputes::DisputesBoard,
    invoice: &str,
) -> Vec<&'a encaisse_app::workflow::disputes::DisputeDto> {
    board
        .disputes
        .iter()
        .filter(|x| x.invoices.iter().any(|i| i == invoice))
        .collect()
}

#[test]
fn every_status_has_its_effect_and_the_same_file_twice_changes_nothing() {
    let (dir, app) = demo();
    let inv = open_invoices(&app);
    assert!(inv.len() >= 8, "the demo has open invoices");
    // Invoices without a dispute yet.
    let board = app.disputes_board(None).unwrap();
    let chased = serde_json::to_string(&app.agenda(None).unwrap()).unwrap();
    let mut free: Vec<_> = inv
        .iter()
        .filter(|i| open_dispute_of(&board, &i.1).is_empty())
        .collect();
    // The first one is chased today: the dispute must take it out of the agenda.
    let first = free
        .iter()
        .position(|i| chased.contains(&format!("\"{}\"", i.1)))
        .expect("a chased invoice");
    free.swap(0, first);
    let [a, b, c, e, f, g, h, k] = [
        free[0], free[1], free[2], free[3], free[4], free[5], free[6], free[7],
    ];
    let path = message(
        dir.path(),
        "cdv1.xml",
        "CDV-1",
        "732829320",
        "BY",
        &[
            St(&a.1, a.2, 207, "20261120", Some("PU_ERR"), None),
            St(&b.1, b.2, 208, "20261120", Some("JUSTIF_ABS"), None),
            St(&c.1, c.2, 210, "20261121", Some("DOUBLE_FACT"), None),
            St(&e.1, e.2, 213, "20261121", Some("DEST_ERR"), None),
            St(&f.1, f.2, 211, "20261122", None, None),
            St(&g.1, g.2, 212, "20261123", None, Some(("MEN", "150.00"))),
            St(&h.1, h.2, 206, "20261120", Some("QTE_ERR"), Some(("MAP", "1.00"))),
            St(&k.1, k.2, 205, "20261120", None, None),
            St("NOPE-404", d("2026-10-01"), 204, "20261120", None, None),
        ],
    );
    let r = app.import_statuses(std::slice::from_ref(&path)).unwrap();
    assert_eq!((r.added, r.attached, r.unmatched, r.alerts), (9, 8, 1, 2));
    assert_eq!(r.disputes_opened.len(), 4, "207, 208, 210 and 206 open disputes");

    let board = app.disputes_board(None).unwrap();
    let da = open_dispute_of(&board, &a.1);
    assert_eq!(da.len(), 1);
    assert_eq!(da[0].kind, DisputeKind::Price, "PU_ERR: a price dispute");
    assert_eq!(da[0].status, DisputeStatus::Open);
    assert!(
        da[0].comments[0].body.contains("207 En litige"),
        "{:?}",
        da[0].comments
    );
    assert_eq!(open_dispute_of(&board, &c.1)[0].kind, DisputeKind::Duplicate);
    let dh = open_dispute_of(&board, &h.1);
    assert_eq!(dh[0].kind, DisputeKind::Quantity);
    let expected = h.3.parse::<rust_decimal::Decimal>().unwrap() - rust_decimal::Decimal::ONE;
    assert_eq!(
        dh[0].amount,
        format!("{expected:.2}"),
        "206: the part not approved"
    );
    let db = open_dispute_of(&board, &b.1);
    assert_eq!(
        (db[0].kind, db[0].status),
        (DisputeKind::Other, DisputeStatus::Open),
        "208 holds the invoice"
    );
    assert!(open_dispute_of(&board, &k.1).is_empty(), "205 opens nothing");

    // Disputed invoices leave the agenda's chase, as disputes do.
    let agenda = serde_json::to_string(&app.agenda(None).unwrap()).unwrap();
    assert!(
        !agenda.contains(&format!("\"{}\"", a.1)),
        "the disputed invoice is not chased"
    );

    let s = app.einvoice_statuses(None).unwrap();
    let alerts: Vec<(u16, &str)> = s.alerts.iter().map(|x| (x.code, x.invoice.as_str())).collect();
    assert_eq!(alerts.len(), 2);
    assert!(alerts.contains(&(210, c.1.as_str())) && alerts.contains(&(213, e.1.as_str())));
    assert_eq!(
        app.einvoice_alerts(Some(&c.0))
            .unwrap()
            .iter()
            .filter(|x| x.invoice == c.1)
            .count(),
        1
    );
    let fi = s.invoices.iter().find(|i| i.invoice == f.1).unwrap();
    assert!(fi.payment_announced);
    assert_eq!(fi.current_label, "Paiement transmis");
    assert!(app
        .payments_announced()
        .unwrap()
        .contains(&(f.0.clone(), f.1.clone())));
    let receipts = app.einvoice_receipts().unwrap();
    assert_eq!(receipts.len(), 1);
    assert_eq!(
        (receipts[0].invoice.as_str(), receipts[0].amount.as_str()),
        (g.1.as_str(), "150.00")
    );
    let unmatched = s.invoices.iter().find(|i| i.invoice == "NOPE-404").unwrap();
    assert_eq!(unmatched.customer, None);
    let audit = app.audit_trail(None, None).unwrap();
    let opened: Vec<_> = audit
        .iter()
        .filter(|e| e.kind == encaisse_app::audit::AuditKind::DisputeOpened)
        .collect();
    assert!(opened.len() >= 4);
    let for_a = opened
        .iter()
        .find(|e| e.facts.invoices == [a.1.clone()])
        .expect("the 207's dispute is audited");
    assert_eq!(for_a.facts.customer.as_deref(), Some(a.0.as_str()));
    assert!(for_a
        .facts
        .comment
        .as_deref()
        .is_some_and(|c| c.contains("PU_ERR")));

    // The same file again: nothing changes.
    let db_path = dir.path().join("e.db");
    let before = dump_tables(&db_path, TABLES);
    let again = app.import_statuses(&[path]).unwrap();
    assert_eq!((again.added, again.disputes_opened.len()), (0, 0));
    assert_eq!(dump_tables(&db_path, TABLES), before);

    // 209 Complétée ends the suspension.
    let done = message(
        dir.path(),
        "cdv2.xml",
        "CDV-2",
        "732829320",
        "BY",
        &[St(&b.1, b.2, 209, "20261124", None, None)],
    );
    let r = app.import_statuses(&[done]).unwrap();
    assert_eq!(r.disputes_closed.len(), 1);
    let board = app.disputes_board(None).unwrap();
    let db = open_dispute_of(&board, &b.1);
    assert_eq!(
        (db[0].status, db[0].closed_on),
        (DisputeStatus::Closed, Some(d("2026-11-24")))
    );
    assert_eq!(
        open_dispute_of(&board, &a.1)[0].status,
        DisputeStatus::Open,
        "a 209 of another invoice closes nothing"
    );
}

#[test]
fn a_missing_reason_code_is_refused_with_file_line_and_field_and_nothing_is_written() {
    let (dir, app) = demo();
    let inv = open_invoices(&app);
    let path = message(
        dir.path(),
        "bad.xml",
        "CDV-BAD",
        "732829320",
        "BY",
        &[
            St(&inv[0].1, inv[0].2, 204, "20261120", None, None),
            St(&inv[1].1, inv[1].2, 207, "20261120", None, None),
        ],
    );
    let before = dump_tables(&dir.path().join("e.db"), TABLES);
    match app.import_statuses(std::slice::from_ref(&path)) {
        Err(AppError::InvalidFile { problems, .. }) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].file, "bad.xml");
            assert_eq!(problems[0].field, "SpecifiedDocumentStatus/ReasonCode");
            let text = std::fs::read_to_string(&path).unwrap();
            let line = text
                .lines()
                .position(|l| l.contains("<ram:ProcessConditionCode>207"))
                .unwrap()
                + 1;
            assert_eq!(problems[0].line as usize, line);
        }
        other => panic!("expected a refused file, got {other:?}"),
    }
    assert_eq!(dump_tables(&dir.path().join("e.db"), TABLES), before);
}

#[test]
fn a_paid_invoice_the_platform_knows_gets_its_212_and_the_echo_is_not_counted() {
    let (dir, app) = demo();
    // A paid invoice (lettered in the demo's FEC) of a customer.
    let customers = app.customer_list(None).unwrap();
    let (key, paid) = customers
        .customers
        .iter()
        .find_map(|c| {
            let file = app.customer_file(&c.id, None).ok()?;
            file.paid.first().cloned().map(|p| (c.id.clone(), p))
        })
        .expect("the demo has paid invoices");
    let known = message(
        dir.path(),
        "cdv.xml",
        "CDV-P",
        "732829320",
        "BY",
        &[St(
            &paid.piece_ref,
            paid.invoice_date,
            205,
            "20261001",
            None,
            None,
        )],
    );
    app.import_statuses(&[known]).unwrap();
    let preview = app.einvoice_outbox(None).unwrap();
    assert_eq!(preview.messages.len(), 1, "{preview:?}");
    assert_eq!(preview.messages[0].path, None);
    let out = dir.path().join("outbox");
    let written = app.einvoice_outbox(Some(&out)).unwrap();
    let m = &written.messages[0];
    assert_eq!(
        (m.customer.as_str(), m.invoice.as_str(), m.source.as_str()),
        (key.as_str(), paid.piece_ref.as_str(), "ledger")
    );
    assert_eq!(m.amount, paid.amount);
    assert_eq!(m.paid_on, paid.paid_on);
    let file = PathBuf::from(m.path.clone().unwrap());
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/standards/cdar-d22b/CrossDomainAcknowledgementAndResponse_100pD22B.xsd");
    match std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(&file)
        .output()
    {
        Ok(o) => assert!(
            o.status.success(),
            "the 212 is not XSD-valid: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => eprintln!(
            "SKIPPED: xmllint is not installed (libxml2-utils): the 212 was not validated against the XSD"
        ),
    }
    assert!(
        app.einvoice_outbox(Some(&out)).unwrap().messages.is_empty(),
        "written once"
    );

    // The platform sends our 212 back: kept in the timeline, marked as an echo, not counted.
    let echo_path = dir.path().join("echo.xml");
    std::fs::copy(&file, &echo_path).unwrap();
    let r = app.import_statuses(&[echo_path]).unwrap();
    assert_eq!((r.added, r.echoes), (1, 1));
    assert!(
        app.einvoice_receipts().unwrap().is_empty(),
        "an echo is not a receipt"
    );
    // A 212 issued by the company itself under another message id is an echo too.
    let company_siren = crate::common::value(&dir.path().join("e.db"), "SELECT siren FROM company");
    let own = message(
        dir.path(),
        "own.xml",
        "OTHER-ID",
        &company_siren,
        "SE",
        &[St(
            &paid.piece_ref,
            paid.invoice_date,
            212,
            "20261125",
            None,
            Some(("MEN", "10.00")),
        )],
    );
    assert_eq!(app.import_statuses(&[own]).unwrap().echoes, 1);
    assert!(app.einvoice_receipts().unwrap().is_empty());
    let s = app.einvoice_statuses(Some(&key)).unwrap();
    let timeline = &s
        .invoices
        .iter()
        .find(|i| i.invoice == paid.piece_ref)
        .unwrap()
        .statuses;
    let dirs: Vec<(&str, u16, bool)> = timeline
        .iter()
        .map(|t| (t.direction.as_str(), t.code, t.echo))
        .collect();
    assert!(
        dirs.contains(&("out", 212, false)) && dirs.contains(&("in", 212, true)),
        "{dirs:?}"
    );
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

/// The residual of an invoice in the aged balance as the app reads it now.
fn residual(app: &App, invoice: &str) -> rust_decimal::Decimal {
    app.aging_invoices(&AgingOptions::default(), None)
        .unwrap()
        .invoices
        .iter()
        .filter(|i| i.piece_ref == invoice)
        .map(|i| dec(&i.residual))
        .sum()
}

fn confirmed(app: &App, as_of: &str) -> Vec<rust_decimal::Decimal> {
    app.forecast(Some(d(as_of)), None)
        .unwrap()
        .weeks
        .iter()
        .map(|w| dec(&w.confirmed))
        .collect()
}

#[test]
fn announced_and_cashed_statuses_move_the_agenda_the_aged_balance_and_the_forecast() {
    let (dir, app) = demo();
    let board = app.disputes_board(None).unwrap();
    let agenda = app.agenda(None).unwrap();
    let chased: Vec<(String, String)> = agenda
        .actions
        .iter()
        .flat_map(|a| a.invoices.iter().map(|i| (a.customer.clone(), i.clone())))
        .collect();
    // Three chased invoices of three customers, with no dispute, whole in the aged balance.
    let inv = open_invoices(&app);
    let mut picked: Vec<&(String, String, NaiveDate, String)> = Vec::new();
    for i in &inv {
        if chased.contains(&(i.0.clone(), i.1.clone()))
            && open_dispute_of(&board, &i.1).is_empty()
            && picked.iter().all(|p| p.0 != i.0)
        {
            picked.push(i);
        }
    }
    assert!(picked.len() >= 3, "the demo chases three customers");
    let (f, g, k) = (picked[0], picked[1], picked[2]);
    let (f_due, g_due) = (residual(&app, &f.1), residual(&app, &g.1));
    let before = confirmed(&app, TODAY);
    let path = message(
        dir.path(),
        "cdv-pay.xml",
        "CDV-PAY",
        "732829320",
        "BY",
        &[
            St(&f.1, f.2, 211, "20261125", None, None),
            St(&g.1, g.2, 212, "20261125", None, Some(("MEN", "100.00"))),
            St(&k.1, k.2, 205, "20261120", None, None),
        ],
    );
    app.import_statuses(&[path]).unwrap();

    // 211: the invoice leaves the chase while the transfer is on its way, listed apart with its dates.
    let agenda = app.agenda(None).unwrap();
    assert!(
        !agenda.actions.iter().any(|a| a.invoices.contains(&f.1)),
        "an announced payment is not chased"
    );
    let announced: Vec<_> = agenda.announced.iter().filter(|a| a.invoice == f.1).collect();
    assert_eq!(announced.len(), 1, "{:?}", agenda.announced);
    assert_eq!(
        (
            announced[0].customer.as_str(),
            announced[0].announced_on,
            announced[0].expected_on,
            announced[0].hold_until,
            dec(&announced[0].amount)
        ),
        (
            f.0.as_str(),
            d("2026-11-25"),
            d("2026-11-27"),
            d("2026-12-02"),
            f_due
        )
    );
    // The money has not come a week later: the chase resumes.
    let later = app.agenda(Some(d("2026-12-03"))).unwrap();
    assert!(later.announced.iter().all(|a| a.invoice != f.1));
    assert!(
        later.actions.iter().any(|a| a.invoices.contains(&f.1)),
        "the chase resumes after the hold"
    );

    // 212: a provisional receipt of its amount, in the aged balance at once; the FEC alone does not have it.
    assert_eq!(residual(&app, &g.1), g_due - dec("100.00"));
    app.set_ledger_only(true);
    assert_eq!(residual(&app, &g.1), g_due, "the ledger alone");
    app.set_ledger_only(false);

    // The forecast: the announced invoice is expected this week (the 27th), confirmed; the approved one is
    // confirmed wherever the customer's habit puts it.
    let after = confirmed(&app, TODAY);
    assert_eq!(after.len(), before.len());
    assert!(after[0] - before[0] >= f_due, "{before:?} -> {after:?}");
    let added: rust_decimal::Decimal =
        after.iter().sum::<rust_decimal::Decimal>() - before.iter().sum::<rust_decimal::Decimal>();
    assert!(added >= f_due, "{before:?} -> {after:?}");
    let week0 = &app.forecast(Some(d(TODAY)), None).unwrap().weeks[0];
    assert!(dec(&week0.expected) >= dec(&week0.confirmed));
}
