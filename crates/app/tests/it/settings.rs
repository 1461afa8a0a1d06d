//! The settings screens' use cases: the collections settings (the agenda keeps a changed gap, the promises take
//! the changed grace, out-of-range refused, each change in the audit trail), the template editor's preview of an
//! unsaved draft (HTML-escaped, nothing saved), the daily report sent once a day at a set time (a moving clock and
//! a local SMTP server), and the audit trail exported to CSV and XLSX.

use chrono::{NaiveDate, NaiveDateTime};
use encaisse_app::export_file::ExportFormat;
use encaisse_app::mail::schedule::Scheduled;
use encaisse_app::mail::{EmailTemplateInput, Keyring, MailSettings, SaveSmtp, SAMPLE_CUSTOMER};
use encaisse_app::workflow::settings::{CollectionSettings, CollectionSettingsInput};
use encaisse_app::workflow::PromiseInput;
use encaisse_app::{App, AppError, FecImportOptions};
use encaisse_domain::{FixedClock, ManualClock};
use std::path::Path;
use std::sync::Arc;

use crate::smtp_sink;
use smtp_sink::Sink;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// 30 days net: C1's F1 (01-10, due 02-09) and F2 (02-01, due 03-03); C2's F3 (01-15, due 02-14).
fn fec() -> String {
    let mut out = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t\
         PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    for (n, (date, piece, customer, amount)) in [
        ("20260110", "F1", "C1", "1200,00"),
        ("20260201", "F2", "C1", "300,00"),
        ("20260115", "F3", "C2", "500,00"),
    ]
    .into_iter()
    .enumerate()
    {
        out.push_str(&format!(
            "VE\tVE\t{n}\t{date}\t411000\tClients\t{customer}\tClient {customer}\t{piece}\t{date}\t{piece}\t{amount}\t0,00\t\t\t{date}\t\t\n\
             VE\tVE\t{n}\t{date}\t706000\tVentes\t\t\t{piece}\t{date}\t{piece}\t0,00\t{amount}\t\t\t{date}\t\t\n"
        ));
    }
    out
}

fn import(app: &App, dir: &Path) {
    let path = dir.join("123456789FEC20261231.txt");
    std::fs::write(&path, fec()).unwrap();
    app.import_fec(&path, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
}

fn steps(app: &App, day: &str) -> Vec<(String, String)> {
    app.agenda(Some(d(day)))
        .unwrap()
        .actions
        .into_iter()
        .map(|a| (a.customer, a.step))
        .collect()
}

#[test]
fn the_agenda_keeps_a_changed_gap_and_promises_take_the_changed_grace() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-02-20")))).unwrap();
    import(&app, dir.path());
    assert_eq!(app.collection_settings().unwrap(), CollectionSettings::default());
    assert_eq!(
        (
            CollectionSettings::default().min_gap_days,
            CollectionSettings::default().promise_grace_days
        ),
        (5, 3)
    );

    // C1's reminder_1 done on 02-20; its reminder_2 is reached on 02-24 (F1 +15).
    app.set_actor(encaisse_app::Actor::named("anne"));
    app.mark_done("C1", None).unwrap();
    let pair = |c: &str, s: &str| (c.to_string(), s.to_string());
    // Default gap of 5 days: back on 02-25.
    assert_eq!(steps(&app, "2026-02-24"), [pair("C2", "reminder_1")]);
    assert_eq!(steps(&app, "2026-02-25")[0], pair("C1", "reminder_2"));

    // A gap of 10 days: held until 03-02.
    let saved = app
        .save_collection_settings(
            &CollectionSettingsInput {
                min_gap_days: Some(10),
                promise_grace_days: None,
                version: None,
            },
            "anne",
        )
        .unwrap();
    assert_eq!(
        saved,
        CollectionSettings {
            min_gap_days: 10,
            promise_grace_days: 3,
            version: 1,
        }
    );
    assert_eq!(app.collection_settings().unwrap(), saved);
    for day in ["2026-02-25", "2026-03-01"] {
        assert!(!steps(&app, day).iter().any(|(c, _)| c == "C1"), "{day}");
    }
    assert!(steps(&app, "2026-03-02").contains(&pair("C1", "reminder_2")));

    // No gap: back as soon as the next step is reached.
    app.save_collection_settings(
        &CollectionSettingsInput {
            min_gap_days: Some(0),
            ..Default::default()
        },
        "anne",
    )
    .unwrap();
    assert!(steps(&app, "2026-02-24").contains(&pair("C1", "reminder_2")));

    // Out of range: refused, nothing changed.
    let err = app
        .save_collection_settings(
            &CollectionSettingsInput {
                min_gap_days: Some(91),
                ..Default::default()
            },
            "anne",
        )
        .unwrap_err();
    assert!(matches!(err, AppError::InvalidInput(_)), "{err:?}");
    assert_eq!(app.collection_settings().unwrap().min_gap_days, 0);

    // The grace a promise gets when it does not say.
    app.save_collection_settings(
        &CollectionSettingsInput {
            promise_grace_days: Some(8),
            ..Default::default()
        },
        "anne",
    )
    .unwrap();
    let p = app
        .add_promise(&PromiseInput {
            customer: "C2".into(),
            invoices: vec!["F3".into()],
            date: d("2026-02-27"),
            amount: "500.00".into(),
            ..PromiseInput::default()
        })
        .unwrap();
    assert_eq!(p.grace_days, 8);

    // Each change in the audit trail, with before and after; an unchanged save records nothing.
    app.save_collection_settings(&CollectionSettingsInput::default(), "anne")
        .unwrap();
    let changes: Vec<_> = app
        .audit_trail(None, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "collection_settings")
        .collect();
    assert_eq!(changes.len(), 3);
    assert_eq!(changes[0].user, crate::backend::login("anne"));
    assert_eq!(
        changes[0].before.as_deref(),
        Some(r#"{"min_gap_days":5,"promise_grace_days":3}"#)
    );
    assert_eq!(
        changes[0].after.as_deref(),
        Some(r#"{"min_gap_days":10,"promise_grace_days":3}"#)
    );
}

#[test]
fn the_editor_preview_renders_a_draft_escaped_and_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-02-20")))).unwrap();
    import(&app, dir.path());
    let before = app.email_template("reminder_1", "fr").unwrap();
    let p = app
        .preview_template(&EmailTemplateInput {
            id: "reminder_1".into(),
            lang: "fr".into(),
            subject: "Relance – {{ customer_name }}".into(),
            body: "<b>Bonjour</b> {{ customer_name }},\n\n{{ invoice_table }}\n\nTotal : {{ total }}".into(),
            version: None,
        })
        .unwrap();
    assert_eq!(p.name, SAMPLE_CUSTOMER);
    assert_eq!(p.subject, "Relance – Dupont & Fils <SARL>");
    assert!(p.text.contains("Bonjour</b> Dupont & Fils <SARL>,"), "{}", p.text);
    // The value is escaped, the invoice number with its quotes too; what the user wrote around stays.
    assert!(p.html.contains("Dupont &amp; Fils &lt;SARL&gt;"), "{}", p.html);
    assert!(!p.html.contains("Fils <SARL>"), "{}", p.html);
    assert!(p.html.contains("F2026-0031 &quot;B&quot;"), "{}", p.html);
    assert!(p.html.contains("<table"), "{}", p.html);
    assert!(
        p.text.contains("1\u{a0}860,00\u{a0}€") || p.text.contains("1\u{202f}860,00\u{a0}€"),
        "{}",
        p.text
    );
    // The editor lists the French names (the English ones still render, as aliases).
    for key in [
        "nom_client",
        "tableau_factures",
        "total_du",
        "lien_paiement",
        "iban",
        "plus_ancienne_echeance",
    ] {
        assert!(
            p.placeholders.iter().any(|k| k == key),
            "{key}: {:?}",
            p.placeholders
        );
    }
    // English, and a mistake reported with its line.
    let en = app
        .preview_template(&EmailTemplateInput {
            id: "thank_you".into(),
            lang: "en".into(),
            subject: "Thanks".into(),
            body: "Paid: {{ total }}".into(),
            version: None,
        })
        .unwrap();
    assert_eq!(en.lang, "en");
    assert!(
        en.text.contains("€1,860.00") || en.text.contains("1,860.00"),
        "{}",
        en.text
    );
    let err = app
        .preview_template(&EmailTemplateInput {
            id: "reminder_1".into(),
            lang: "fr".into(),
            subject: "x".into(),
            body: "ok\n{% if %}".into(),
            version: None,
        })
        .unwrap_err();
    assert!(
        matches!(&err, AppError::InvalidInput(m) if m.contains("line 2")),
        "{err:?}"
    );
    // The daily report's tables exist in the preview too.
    let daily = app
        .email_templates()
        .unwrap()
        .into_iter()
        .find(|t| t.id == "daily_report" && t.lang == "fr")
        .unwrap();
    let r = app
        .preview_template(&EmailTemplateInput {
            id: daily.id,
            lang: daily.lang,
            subject: daily.subject,
            body: daily.body,
            version: None,
        })
        .unwrap();
    assert!(r.html.contains("Dupont &amp; Fils"), "{}", r.html);
    assert_eq!(app.email_template("reminder_1", "fr").unwrap(), before);
    assert!(app
        .audit_trail(None, None)
        .unwrap()
        .iter()
        .all(|e| e.entity != "mail_template"));
}

#[test]
fn the_daily_report_goes_once_a_day_after_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start();
    let clock = ManualClock::new(at("2026-02-20 07:00"));
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(clock.clone()))
        .unwrap()
        .with_secrets(Arc::new(Keyring::in_memory()));
    import(&app, dir.path());
    // No time set: off.
    assert_eq!(app.send_scheduled_daily_report("app").unwrap(), Scheduled::Off);
    crate::common::smtp_to_local_sink(&app, sink.port);
    // A time needs recipients; a bad time is refused.
    let mut mail = MailSettings {
        report_time: "8:00".into(),
        ..MailSettings::default()
    };
    assert!(matches!(
        app.save_mail_settings(&mail, "anne"),
        Err(AppError::InvalidInput(_))
    ));
    mail.report_recipients = vec!["daf@atelier.test".into()];
    mail.report_time = "8h".into();
    assert!(matches!(
        app.save_mail_settings(&mail, "anne"),
        Err(AppError::InvalidInput(_))
    ));
    mail.report_time = "8:00".into();
    assert_eq!(
        app.save_mail_settings(&mail, "anne").unwrap().report_time,
        "08:00"
    );
    assert_eq!(app.mail_settings().unwrap().report_time, "08:00");

    assert_eq!(app.send_scheduled_daily_report("app").unwrap(), Scheduled::NotYet);
    clock.set(at("2026-02-20 07:59"));
    assert_eq!(app.send_scheduled_daily_report("app").unwrap(), Scheduled::NotYet);
    assert!(sink.received().is_empty());
    clock.set(at("2026-02-20 08:00"));
    match app.send_scheduled_daily_report("app").unwrap() {
        Scheduled::Sent { reports, failed } => {
            assert!(failed.is_empty(), "{failed:?}");
            let [r] = reports.as_slice() else {
                panic!("{reports:?}")
            };
            assert_eq!(
                (r.as_of, r.sent_to.as_slice(), r.collector.as_deref()),
                (d("2026-02-20"), ["daf@atelier.test".to_string()].as_slice(), None)
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sink.received().len(), 1);
    assert_eq!(sink.received()[0].to, ["daf@atelier.test"]);
    for t in ["2026-02-20 08:01", "2026-02-20 23:59"] {
        clock.set(at(t));
        assert_eq!(
            app.send_scheduled_daily_report("app").unwrap(),
            Scheduled::Done,
            "{t}"
        );
    }
    // The next day: before the time nothing, after it once more.
    clock.set(at("2026-02-21 07:30"));
    assert_eq!(app.send_scheduled_daily_report("app").unwrap(), Scheduled::NotYet);
    clock.set(at("2026-02-21 09:15"));
    assert!(matches!(
        app.send_scheduled_daily_report("app").unwrap(),
        Scheduled::Sent { .. }
    ));
    assert_eq!(sink.received().len(), 2);

    // Sent by hand that day (encaisse report daily --send): the app does not send it again.
    clock.set(at("2026-02-22 06:00"));
    app.send_daily_report(None, "anne").unwrap();
    clock.set(at("2026-02-22 08:00"));
    assert_eq!(app.send_scheduled_daily_report("app").unwrap(), Scheduled::Done);
    assert_eq!(sink.received().len(), 3);

    // A failure (no server) is recorded and not retried every minute.
    let mut smtp = app.smtp_settings().unwrap();
    smtp.port = 1;
    app.save_smtp(
        &SaveSmtp {
            settings: smtp,
            password: None,
        },
        "anne",
    )
    .unwrap();
    clock.set(at("2026-02-23 08:00"));
    assert!(matches!(
        app.send_scheduled_daily_report("app").unwrap(),
        Scheduled::Failed(_)
    ));
    clock.set(at("2026-02-23 08:01"));
    assert_eq!(app.send_scheduled_daily_report("app").unwrap(), Scheduled::Done);
    let failed = app
        .audit_trail(Some(d("2026-02-23")), None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "daily_report" && e.action == "failed")
        .count();
    assert_eq!(failed, 1);
}

#[test]
fn the_audit_trail_exports_to_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-02-20")))).unwrap();
    for (gap, grace) in [(7, 3), (7, 10)] {
        app.save_collection_settings(
            &CollectionSettingsInput {
                min_gap_days: Some(gap),
                promise_grace_days: Some(grace),
                version: None,
            },
            "Anne Müller; compta",
        )
        .unwrap();
    }
    let csv_path = dir.path().join("audit.csv");
    let done = app
        .export_audit(
            Some(d("2026-02-01")),
            Some(d("2026-02-28")),
            ExportFormat::Csv,
            &csv_path,
        )
        .unwrap();
    assert_eq!(done.rows, 2);
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    // On a server, the login is the server's.
    let login = match crate::backend::login("Anne Müller; compta") {
        "Anne Müller; compta" => r#""Anne Müller; compta""#,
        login => login,
    };
    assert!(
        // The time, the display name (none set: the login itself), then the login.
        lines[2].contains(&format!(
            r#";20/02/2026;00:00;"Anne Müller; compta";{login};collection_settings;;update;"#
        )),
        "{}",
        lines[2]
    );
    // Outside the period: no rows; a reversed period is refused.
    assert_eq!(
        app.audit_export(Some(d("2026-03-01")), None, ExportFormat::Csv)
            .unwrap()
            .1,
        0
    );
    assert!(matches!(
        app.audit_export(Some(d("2026-03-01")), Some(d("2026-02-01")), ExportFormat::Csv),
        Err(AppError::InvalidInput(_))
    ));
    let xlsx_path = dir.path().join("audit.xlsx");
    let done = app
        .export_audit(None, None, ExportFormat::Xlsx, &xlsx_path)
        .unwrap();
    assert_eq!(done.rows, 2);
    let bytes = std::fs::read(&xlsx_path).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    assert_eq!(done.bytes as usize, bytes.len());
}
