//! Story: a credit manager runs a day of collections on the demo company, through the app crate as the desktop
//! and the CLI do: the morning's reminders go out through the company's SMTP server (a local one started here,
//! with a login whose password lives only in the credential store), a call ends in a promise, another customer
//! disputes an invoice, the evening's daily report goes to the finance director; days later the promise is broken
//! and the chase resumes. Every change is in the audit trail, and the password in no file.

#[path = "../crates/app/tests/smtp_sink/mod.rs"]
mod smtp_sink;

use chrono::NaiveDate;
use encaisse_app::mail::{Keyring, MailSettings, SaveSmtp, Security, SendEmails, SmtpSettings};
use encaisse_app::workflow::{ActionInput, AgendaItem, DisputeInput, PromiseInput};
use encaisse_app::App;
use encaisse_app::DemoOptions;
use encaisse_domain::FixedClock;
use std::path::Path;
use std::sync::Arc;

const PASSWORD: &str = "Relances-2026!é";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            hits.extend(files_holding(&path, needle));
        } else if std::fs::read(&path)
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
        {
            hits.push(path.display().to_string());
        }
    }
    hits
}

fn item<'a>(items: &'a [AgendaItem], customer: &str) -> Option<&'a AgendaItem> {
    items.iter().find(|i| i.action.customer == customer)
}

#[test]
fn a_day_of_collections_on_the_demo_company() {
    let dir = tempfile::tempdir().unwrap();
    let today = date("2026-11-26");
    let keyring = Arc::new(Keyring::in_memory());
    let app = App::open(&dir.path().join("encaisse.db"), Box::new(FixedClock(today)))
        .unwrap()
        .with_secrets(keyring.clone());
    app.create_demo(&DemoOptions {
        seed: Some(7),
        customers: Some(120),
        end: Some(today),
        replace: None,
    })
    .unwrap();

    let sink = smtp_sink::Sink::with(Vec::new(), Some(("claire", PASSWORD)));
    app.save_smtp(
        &SaveSmtp {
            settings: SmtpSettings {
                host: "127.0.0.1".into(),
                port: sink.port,
                security: Security::None,
                user: "claire".into(),
                // The test server has no TLS: the login goes unencrypted, by choice.
                allow_insecure_login: true,
                from_address: "relances@demo.example".into(),
                from_name: "Service recouvrement".into(),
                ..SmtpSettings::default()
            },
            password: Some(PASSWORD.into()),
        },
        "Claire Martin",
    )
    .unwrap();
    assert!(app.smtp_settings().unwrap().has_password);
    app.save_mail_settings(
        &MailSettings {
            contact_name: "Claire Martin".into(),
            report_recipients: vec!["daf@demo.example".into()],
            ..MailSettings::default()
        },
        "Claire Martin",
    )
    .unwrap();

    // Morning: the agenda. The first three email reminders that need no validation are previewed and sent.
    let morning = app.agenda_view(None).unwrap();
    assert!(!morning.items.is_empty(), "the demo company has work today");
    let emails: Vec<&AgendaItem> = morning
        .items
        .iter()
        .filter(|i| i.action.channel == "email" && !i.action.needs_validation && i.email.is_some())
        .take(3)
        .collect();
    assert_eq!(emails.len(), 3, "the demo has email reminders to send");
    let chosen: Vec<String> = emails.iter().map(|i| i.action.customer.clone()).collect();
    let report = app
        .send_emails(
            &SendEmails {
                as_of: None,
                customers: chosen.clone(),
                user: "Claire Martin".into(),
            },
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(report.sent.len(), 3, "{:?}", report.failed);
    let received = sink.received();
    assert_eq!(received.len(), 3);
    for (message, item) in received.iter().zip(&emails) {
        assert_eq!(message.to, [item.email.clone().unwrap()]);
        assert_eq!(
            message.auth,
            Some(("claire".to_string(), PASSWORD.to_string())),
            "the password comes from the credential store"
        );
        let text = message.text();
        for number in &item.action.invoices {
            assert!(text.contains(number.as_str()), "{number} missing from {text}");
        }
    }

    // A call on the personal-letter step: the customer promises to pay on 12-05.
    let call = morning
        .items
        .iter()
        .find(|i| i.action.step == "personal_letter" && !chosen.contains(&i.action.customer))
        .expect("a customer at the personal letter and call step");
    let promised = call.action.customer.clone();
    let recorded = app
        .record_action(&ActionInput {
            customer: promised.clone(),
            kind: "call".into(),
            invoices: call.action.invoices.clone(),
            step: Some("personal_letter".into()),
            outcome: Some("promise".into()),
            user: "Claire Martin".into(),
            body: "Le gérant promet un virement pour le 5 décembre".into(),
            ..ActionInput::default()
        })
        .unwrap();
    app.add_promise(&PromiseInput {
        customer: promised.clone(),
        invoices: call.action.invoices.clone(),
        date: date("2026-12-05"),
        amount: call.action.amount.clone(),
        grace_days: None,
        made_on: None,
        action_id: Some(recorded.id),
        user: "Claire Martin".into(),
        comment: String::new(),
    })
    .unwrap();

    // Another customer disputes its oldest listed invoice (quality, for the quality department).
    let disputing = morning
        .items
        .iter()
        .find(|i| {
            i.action.customer != promised
                && !chosen.contains(&i.action.customer)
                && i.action.invoices.len() >= 2
        })
        .expect("a customer with several listed invoices");
    let disputed_invoice = disputing.action.invoices[0].clone();
    app.open_dispute(&DisputeInput {
        customer: disputing.action.customer.clone(),
        invoices: vec![disputed_invoice.clone()],
        kind: "quality".into(),
        department: "quality".into(),
        amount: None,
        opened_on: None,
        user: "Claire Martin".into(),
        comment: "Lot défectueux selon le client".into(),
    })
    .unwrap();

    // The agenda now: the emailed customers and the promised one are gone, the disputed invoice is left out.
    let after = app.agenda_view(None).unwrap();
    for c in chosen.iter().chain([&promised]) {
        assert!(item(&after.items, c).is_none(), "{c} was handled today");
    }
    if let Some(i) = item(&after.items, &disputing.action.customer) {
        assert!(!i.action.invoices.contains(&disputed_invoice));
    }
    let board = app.disputes_board(None).unwrap();
    assert_eq!(board.open.count, 1);
    assert_eq!(
        board.by_kind.iter().find(|t| t.key == "quality").map(|t| t.count),
        Some(1)
    );

    // Evening: the daily report to the finance director.
    let daily = app.send_daily_report(None, "Claire Martin").unwrap();
    assert_eq!(daily.sent_to, ["daf@demo.example"]);
    assert_eq!(daily.new_disputes, 0, "yesterday's disputes: none");
    assert_eq!(daily.agenda_count as usize, after.items.len());
    let report_mail = sink.received().pop().unwrap();
    assert_eq!(report_mail.to, ["daf@demo.example"]);
    assert_eq!(report_mail.subject(), daily.subject);

    // 12-09: no payment came by 12-05 + 3 days of grace: the promise is broken and the chase resumes.
    let check = app.check_promises(Some(date("2026-12-09")), true).unwrap();
    assert!(check.newly_broken.iter().any(|p| p.customer == promised));
    let later = app.agenda_view(Some(date("2026-12-09"))).unwrap();
    assert!(
        item(&later.items, &promised).is_some(),
        "the chase of {promised} resumes"
    );

    // Every change is in the audit trail, and the password in no file of the data folder.
    let audit = app.audit_trail(None, None).unwrap();
    assert!(audit
        .iter()
        .any(|e| e.entity == "promise" && e.action == "status" && e.after.as_deref() == Some("broken")));
    for entity in [
        "smtp",
        "mail_settings",
        "email",
        "action",
        "promise",
        "dispute",
        "daily_report",
    ] {
        assert!(
            audit.iter().any(|e| e.entity == entity),
            "no {entity} in the audit trail: {:?}",
            audit.iter().map(|e| &e.entity).collect::<Vec<_>>()
        );
    }
    assert!(audit.iter().all(|e| !format!("{e:?}").contains(PASSWORD)));
    assert_eq!(files_holding(dir.path(), PASSWORD), Vec::<String>::new());
}
