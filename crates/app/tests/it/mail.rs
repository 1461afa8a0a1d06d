//! Email through the app on a hand-built ledger: a real SMTP conversation with a local server started by the test
//! (recipient, subject, French body, invoice table, total), one customer's failure not stopping the others, the
//! actions recorded and the agenda moving on, the password kept in the credential store only (an in-memory
//! keyring-core store here) and in no file, DTO or audit line; templates edited, refused and reset; the thank-you
//! when chased invoices are paid; the daily report; the audit trail.

use chrono::NaiveDate;
use encaisse_app::mail::{
    Keyring, MailSettings, PreviewRequest, SaveSmtp, Security, SendEmails, SmtpSettings,
};
use encaisse_app::workflow::{DisputeInput, PromiseInput};
use encaisse_app::TabularOptions;
use encaisse_app::{App, AppError, FecImportOptions};
use encaisse_domain::FixedClock;
use std::path::Path;
use std::sync::Arc;

use crate::smtp_sink;
use smtp_sink::Sink;

const PASSWORD: &str = "s3cret-Pw!ç";
const NB: char = '\u{a0}';

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One customer-account line and its counterpart: an invoice (VE) or, negative, a payment (BQ) lettered `letter`.
pub(crate) struct E(
    pub &'static str,
    pub &'static str,
    pub &'static str,
    pub i64,
    pub &'static str,
);

pub(crate) fn fec(entries: &[E]) -> String {
    let mut out = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t\
         PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    let money = |c: i64| format!("{},{:02}", c / 100, c % 100);
    for (n, E(date, piece, customer, cents, letter)) in entries.iter().enumerate() {
        let date = date.replace('-', "");
        let let_date = if letter.is_empty() {
            String::new()
        } else {
            date.clone()
        };
        let (journal, other) = if *cents > 0 {
            ("VE", "706000")
        } else {
            ("BQ", "512000")
        };
        let (debit, credit) = if *cents > 0 { (*cents, 0) } else { (0, -cents) };
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t411000\tClients\t{customer}\tClient {customer}\t{piece}\t{date}\t{piece}\t{}\t{}\t{letter}\t{let_date}\t{date}\t\t\n",
            money(debit),
            money(credit),
        ));
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t{other}\tContrepartie\t\t\t{piece}\t{date}\t{piece}\t{}\t{}\t\t\t{date}\t\t\n",
            money(credit),
            money(debit)
        ));
    }
    out
}

/// 30 days net. On 02-20: C1's F1 (1 200 €) +11 → reminder_1, F2 not due; C2's F3 +6 → reminder_1; C3's F4 +9
/// (no email address); C4's F5 +16 → reminder_2 (its address is refused by the server).
fn ledger() -> Vec<E> {
    vec![
        E("2026-01-10", "F1", "C1", 120_000, ""),
        E("2026-02-01", "F2", "C1", 30_000, ""),
        E("2026-01-15", "F3", "C2", 50_000, ""),
        E("2026-01-12", "F4", "C3", 70_000, ""),
        E("2026-01-05", "F5", "C4", 80_000, ""),
    ]
}

pub(crate) fn import(app: &App, dir: &Path, name: &str, entries: &[E]) {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let path = sub.join("123456789FEC20261231.txt");
    std::fs::write(&path, fec(entries)).unwrap();
    app.import_fec(&path, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
}

fn open(db: &Path, today: &str, keyring: &Arc<Keyring>) -> App {
    crate::backend::open(db, Box::new(FixedClock(d(today))))
        .unwrap()
        .with_secrets(keyring.clone())
}

/// The ledger, the customers' names and addresses, the SMTP settings pointing at the sink with the password.
fn setup(dir: &Path, sink: &Sink, keyring: &Arc<Keyring>) -> App {
    let app = open(&dir.join("e.db"), "2026-02-20", keyring);
    import(&app, dir, "v1", &ledger());
    let customers = dir.join("clients.csv");
    std::fs::write(
        &customers,
        "Code client;Raison sociale;Email\nC1;Café de la Gare;compta@cafe.test\nC2;Dupont & <Fils>;paie@dupont.test\n\
         C3;Sans Adresse;\nC4;Refusé SA;refuse@c4.test\n",
    )
    .unwrap();
    app.import_customers_file(&customers, &TabularOptions::default())
        .unwrap();
    app.save_smtp(
        &SaveSmtp {
            settings: SmtpSettings {
                host: "127.0.0.1".into(),
                port: sink.port,
                security: Security::None,
                user: "anne".into(),
                // The test server has no TLS: the login goes unencrypted, by choice.
                allow_insecure_login: true,
                from_address: "relances@atelier.test".into(),
                from_name: "Atelier Dupuis".into(),
                ..SmtpSettings::default()
            },
            password: Some(PASSWORD.into()),
        },
        "anne",
    )
    .unwrap();
    app.save_mail_settings(
        &MailSettings {
            contact_name: "Anne Martin".into(),
            contact_phone: "04 72 00 00 00".into(),
            report_recipients: vec!["daf@atelier.test".into(), "ventes@atelier.test".into()],
            ..MailSettings::default()
        },
        "anne",
    )
    .unwrap();
    app
}

/// Before any SMTP setting: the port shown is the security's usual one (never 0), and sending says what to do in
/// the app's words, naming no terminal command (the CLI adds its own hint).
#[test]
fn without_a_server_the_port_is_the_usual_one_and_the_error_names_no_command() {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Arc::new(Keyring::in_memory());
    let app = open(&dir.path().join("e.db"), "2026-02-20", &keyring);
    import(&app, dir.path(), "v1", &ledger());
    let s = app.smtp_settings().unwrap();
    assert_eq!((s.security, s.port), (Security::Starttls, 587));
    let err = app.send_test_email("daf@atelier.test", "anne").unwrap_err();
    let message = err.to_string();
    assert!(message.contains("no SMTP server"), "{message}");
    assert!(!message.contains("encaisse"), "{message}");
}

fn auth_sink(refuse: &[&str]) -> Sink {
    Sink::with(
        refuse.iter().map(|s| s.to_string()).collect(),
        Some(("anne", PASSWORD)),
    )
}

/// Every file of the data folder, as bytes.
fn files_contain(dir: &Path, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for e in walk(dir) {
        let bytes = std::fs::read(&e).unwrap();
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            hits.push(e.display().to_string());
        }
    }
    hits
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn agenda_emails_go_through_a_real_smtp_conversation_and_one_failure_stops_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let sink = auth_sink(&["refuse@c4.test"]);
    let keyring = Arc::new(Keyring::in_memory());
    let app = setup(dir.path(), &sink, &keyring);
    let company = app.status().unwrap().company.unwrap();

    let mut progress = Vec::new();
    let report = app
        .send_emails(
            &SendEmails {
                as_of: None,
                customers: vec!["C1".into(), "C2".into(), "C3".into(), "C4".into()],
                user: "anne".into(),
            },
            &mut |p| progress.push((p.done, p.total, p.customer.clone(), p.error.is_some())),
        )
        .unwrap();
    assert_eq!(
        progress,
        [
            (1, 4, "C1".to_string(), false),
            (2, 4, "C2".to_string(), false),
            (3, 4, "C3".to_string(), true),
            (4, 4, "C4".to_string(), true)
        ]
    );
    let sent: Vec<_> = report
        .sent
        .iter()
        .map(|s| (s.customer.as_str(), s.to.as_str()))
        .collect();
    assert_eq!(sent, [("C1", "compta@cafe.test"), ("C2", "paie@dupont.test")]);
    assert_eq!(report.failed.len(), 2);
    assert!(
        report.failed[0].error.contains("no email address"),
        "{:?}",
        report.failed
    );
    assert!(report.failed[1].error.contains("550"), "{:?}", report.failed);

    // What the server received: the sender, the recipient, the French subject and body with the invoice table.
    let got = sink.received();
    assert_eq!(got.len(), 2);
    let m = &got[0];
    assert_eq!(m.auth, Some(("anne".to_string(), PASSWORD.to_string())));
    assert_eq!(
        (m.from.as_str(), m.to.as_slice()),
        (
            "relances@atelier.test",
            ["compta@cafe.test".to_string()].as_slice()
        )
    );
    assert_eq!(m.subject(), format!("{company} – factures échues"));
    let text = m.text();
    assert!(
        text.starts_with(
            "Bonjour,\n\nSauf erreur de notre part, les factures suivantes, échues, restent impayées"
        ),
        "{text}"
    );
    let f1 = text
        .lines()
        .find(|l| l.starts_with("F1 "))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        f1.split("  ")
            .filter(|c| !c.is_empty())
            .map(str::trim)
            .collect::<Vec<_>>(),
        [
            "F1",
            "10/01/2026",
            "09/02/2026",
            &format!("1{NB}200,00{NB}€"),
            &format!("1{NB}200,00{NB}€"),
            "11 j"
        ]
    );
    assert!(!text.contains("F2"), "F2 is not due: {text}");
    assert!(
        text.contains(&format!("Montant échu : 1{NB}200,00{NB}€.")),
        "{text}"
    );
    assert!(text.contains("Anne Martin\n"), "{text}");
    assert!(
        m.data
            .contains("From: \"Atelier Dupuis\" <relances@atelier.test>"),
        "{}",
        m.data
    );
    // The HTML part escapes the customer's data.
    let html = got[1].html();
    assert!(
        html.contains("<td style=\"text-align:left;padding:4px 8px;border-bottom:1px solid #ddd\">F3</td>"),
        "{html}"
    );

    // Recorded: the step is done, the agenda moves on; the audit trail has each send and the failure.
    let records = app.workflow_records("C1", None).unwrap();
    let a = &records.actions[0];
    assert_eq!(
        (
            a.kind.as_str(),
            a.step.as_deref(),
            a.recipient.as_deref(),
            a.template.as_deref(),
            a.user.as_str()
        ),
        (
            "email",
            Some("reminder_1"),
            Some("compta@cafe.test"),
            Some("reminder_1"),
            "anne"
        )
    );
    assert_eq!(a.subject.as_deref(), Some(m.subject().as_str()));
    assert_eq!(a.invoices, ["F1"]);
    let left: Vec<String> = app
        .agenda(None)
        .unwrap()
        .actions
        .into_iter()
        .map(|a| a.customer)
        .collect();
    assert_eq!(left, ["C3", "C4"]);
    let audit = app.audit_trail(None, None).unwrap();
    let emails: Vec<_> = audit
        .iter()
        .filter(|e| e.entity == "email")
        .map(|e| (e.entity_id.as_str(), e.action.as_str(), e.user.as_str(), e.date))
        .collect();
    let day = Some(d("2026-02-20"));
    // The user: on a server, its login.
    let anne = crate::backend::login("anne");
    assert_eq!(
        emails,
        [
            ("C1", "sent", anne, day),
            ("C2", "sent", anne, day),
            ("C4", "failed", anne, day)
        ]
    );
    let c1: serde_json::Value = serde_json::from_str(
        audit
            .iter()
            .find(|e| e.entity == "email" && e.entity_id == "C1")
            .unwrap()
            .after
            .as_deref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(c1["recipient"], "compta@cafe.test");
    assert_eq!(c1["subject"], m.subject());

    // The password: in the credential store, and in no file of the data folder, DTO or audit line.
    assert_eq!(
        encaisse_app::mail::Secrets::get(keyring.as_ref(), "smtp:anne@127.0.0.1")
            .unwrap()
            .as_deref(),
        Some(PASSWORD)
    );
    drop(app);
    assert_eq!(files_contain(dir.path(), PASSWORD), Vec::<String>::new());
    assert!(
        !files_contain(dir.path(), "compta@cafe.test").is_empty(),
        "the search itself finds what is written"
    );
    let app = open(&dir.path().join("e.db"), "2026-02-20", &keyring);
    let settings = app.smtp_settings().unwrap();
    assert!(settings.has_password);
    let dto = serde_json::to_string(&settings).unwrap();
    assert!(!dto.contains(PASSWORD) && !dto.contains("s3cret"), "{dto}");
    let trail = serde_json::to_string(&app.audit_trail(None, None).unwrap()).unwrap();
    assert!(!trail.contains("s3cret"), "{trail}");
    assert!(trail.contains("\"password\\\":\\\"changed\\\""), "{trail}");
}

#[test]
fn without_the_password_nothing_is_sent_and_a_wrong_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sink = auth_sink(&[]);
    let keyring = Arc::new(Keyring::in_memory());
    let app = setup(dir.path(), &sink, &keyring);
    // Another machine's keyring (empty): the send stops before the first message.
    let bare = open(
        &dir.path().join("e.db"),
        "2026-02-20",
        &Arc::new(Keyring::in_memory()),
    );
    assert!(!bare.smtp_settings().unwrap().has_password);
    let err = bare
        .send_emails(
            &SendEmails {
                customers: vec!["C1".into()],
                ..SendEmails::default()
            },
            &mut |_| {},
        )
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Mail(m) if m.contains("no password")),
        "{err:?}"
    );
    // A wrong password: the server refuses it, the test email fails with the server's answer, in the audit too.
    let mut s = app.smtp_settings().unwrap();
    s.has_password = true;
    app.save_smtp(
        &SaveSmtp {
            settings: s.clone(),
            password: Some("wrong".into()),
        },
        "anne",
    )
    .unwrap();
    let err = app.send_test_email("moi@atelier.test", "anne").unwrap_err();
    assert!(matches!(&err, AppError::Mail(m) if m.contains("535")), "{err:?}");
    // Saved again as the screen does, on the settings as they now are.
    app.save_smtp(
        &SaveSmtp {
            settings: app.smtp_settings().unwrap(),
            password: Some(PASSWORD.into()),
        },
        "anne",
    )
    .unwrap();
    app.send_test_email("moi@atelier.test", "anne").unwrap();
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, ["moi@atelier.test"]);
    assert!(got[0].subject().starts_with("Encaisse – message de test"));
    assert!(got[0].text().contains("serveur 127.0.0.1"));
    let tests: Vec<_> = app
        .audit_trail(None, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "email")
        .map(|e| e.action)
        .collect();
    assert_eq!(tests, ["test_failed", "test"]);
    // An empty password removes it.
    let s = app.smtp_settings().unwrap();
    app.save_smtp(
        &SaveSmtp {
            settings: s,
            password: Some(String::new()),
        },
        "anne",
    )
    .unwrap();
    assert!(!app.smtp_settings().unwrap().has_password);
    // No server there: a Mail error, not a panic.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut s = app.smtp_settings().unwrap();
    s.port = port;
    s.user.clear();
    app.save_smtp(
        &SaveSmtp {
            settings: s,
            password: None,
        },
        "anne",
    )
    .unwrap();
    assert!(matches!(
        app.send_test_email("moi@atelier.test", "anne"),
        Err(AppError::Mail(_))
    ));
}

#[test]
fn previews_use_the_agenda_step_and_edited_templates() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start();
    let keyring = Arc::new(Keyring::in_memory());
    let app = setup(dir.path(), &sink, &keyring);
    let company = app.status().unwrap().company.unwrap();

    let p = app
        .preview_email(&PreviewRequest {
            customer: "C2".into(),
            ..PreviewRequest::default()
        })
        .unwrap();
    assert_eq!(
        (p.template.as_str(), p.step.as_deref(), p.to.as_deref()),
        ("reminder_1", Some("reminder_1"), Some("paie@dupont.test"))
    );
    assert_eq!(p.invoices, ["F3"]);
    assert_eq!(p.total, "500.00");
    assert!(p.placeholders.contains(&"tableau_factures".to_string()));
    let en = app
        .preview_email(&PreviewRequest {
            customer: "C1".into(),
            lang: Some("en".into()),
            ..PreviewRequest::default()
        })
        .unwrap();
    assert_eq!(en.subject, format!("{company} – overdue invoices"));
    assert!(en.text.contains("Amount overdue: €1,200.00."), "{}", en.text);
    // Another template than the agenda's: every open invoice, no step.
    let pre = app
        .preview_email(&PreviewRequest {
            customer: "C1".into(),
            template: Some("pre_reminder".into()),
            ..PreviewRequest::default()
        })
        .unwrap();
    assert_eq!(
        (pre.invoices.clone(), pre.step.clone()),
        (vec!["F1".to_string(), "F2".to_string()], None)
    );
    assert!(pre.text.contains(&format!("1{NB}500,00{NB}€")), "{}", pre.text);

    // The user's version wins; a broken one is refused with its line; reset brings the default back.
    // A template saved with the English names (before the French ones) keeps working.
    let edited = app
        .save_email_template(
            &encaisse_app::mail::EmailTemplateInput {
                id: "reminder_1".into(),
                lang: "fr".into(),
                subject: "Relance {{ customer_name }}".into(),
                body: "Madame, Monsieur,\n\n{{ invoice_table }}\n\nReste dû : {{ total }}".into(),
                version: None,
            },
            "anne",
        )
        .unwrap();
    assert!(edited.edited);
    let p = app
        .preview_email(&PreviewRequest {
            customer: "C2".into(),
            ..PreviewRequest::default()
        })
        .unwrap();
    assert_eq!(p.subject, "Relance Dupont & <Fils>");
    assert!(p.html.contains("<p>Madame, Monsieur,</p>"), "{}", p.html);
    assert!(
        p.text.ends_with(&format!("Reste dû : 500,00{NB}€\n")),
        "{}",
        p.text
    );
    let err = app
        .save_email_template(
            &encaisse_app::mail::EmailTemplateInput {
                id: "reminder_1".into(),
                lang: "fr".into(),
                subject: "x".into(),
                body: "ok\n{% for %}".into(),
                version: None,
            },
            "anne",
        )
        .unwrap_err();
    assert!(
        matches!(&err, AppError::InvalidInput(m) if m.contains("line 2")),
        "{err:?}"
    );
    // An unsaved version can be previewed.
    let draft = app
        .preview_email(&PreviewRequest {
            customer: "C2".into(),
            body: Some("Brouillon {{ customer_id }}".into()),
            ..PreviewRequest::default()
        })
        .unwrap();
    assert_eq!(draft.text, "Brouillon C2\n");
    let back = app
        .reset_email_template("reminder_1", "fr", None, "anne")
        .unwrap();
    assert!(!back.edited);
    assert_eq!(back.subject, "{{ raison_sociale }} – factures échues");
    let all = app.email_templates().unwrap();
    assert_eq!(all.len(), 16);
    let changes: Vec<_> = app
        .audit_trail(None, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "mail_template")
        .map(|e| (e.entity_id, e.action))
        .collect();
    assert_eq!(
        changes,
        [
            ("reminder_1/fr".to_string(), "update".to_string()),
            ("reminder_1/fr".to_string(), "reset".to_string())
        ]
    );
    // A customer without an action that day needs a template.
    assert!(app
        .preview_email(&PreviewRequest {
            customer: "C1".into(),
            as_of: Some(d("2026-01-01")),
            ..PreviewRequest::default()
        })
        .is_err());
}

#[test]
fn thank_you_after_the_chased_invoice_is_paid_and_the_daily_report() {
    let dir = tempfile::tempdir().unwrap();
    let sink = auth_sink(&[]);
    let keyring = Arc::new(Keyring::in_memory());
    let app = setup(dir.path(), &sink, &keyring);
    let first = app
        .send_emails(
            &SendEmails {
                customers: vec!["C1".into(), "C2".into()],
                user: "anne".into(),
                ..SendEmails::default()
            },
            &mut |_| {},
        )
        .unwrap();
    assert_eq!((first.sent.len(), first.failed.len()), (2, 0));
    // C4 promises to pay F5 by 02-25 (+4 days of grace: deadline 03-01), and does not.
    app.add_promise(&PromiseInput {
        customer: "C4".into(),
        invoices: vec!["F5".into()],
        date: d("2026-02-25"),
        amount: "800".into(),
        grace_days: Some(4),
        user: "anne".into(),
        ..PromiseInput::default()
    })
    .unwrap();
    assert!(app.thank_you_candidates(None).unwrap().is_empty());
    drop(app);

    // 03-01: C1 pays F1 (chased) and C3 pays F4 (never chased); C2 disputes F3.
    let app = open(&dir.path().join("e.db"), "2026-03-02", &keyring);
    let mut entries = ledger();
    entries[0].4 = "A";
    entries[3].4 = "B";
    entries.push(E("2026-03-01", "VIR-C1", "C1", -120_000, "A"));
    entries.push(E("2026-03-01", "VIR-C3", "C3", -70_000, "B"));
    import(&app, dir.path(), "v2", &entries);
    app.open_dispute(&DisputeInput {
        customer: "C2".into(),
        invoices: vec!["F3".into()],
        kind: "quality".into(),
        department: "quality".into(),
        opened_on: Some(d("2026-03-01")),
        user: "anne".into(),
        ..DisputeInput::default()
    })
    .unwrap();

    let candidates = app.thank_you_candidates(None).unwrap();
    assert_eq!(candidates.len(), 1, "{candidates:?}");
    let c = &candidates[0];
    assert_eq!(
        (
            c.customer.as_str(),
            c.invoices.as_slice(),
            c.total.as_str(),
            c.paid_on
        ),
        ("C1", ["F1".to_string()].as_slice(), "1200.00", d("2026-03-01"))
    );
    let sent = app.send_thank_you("C1", None, "anne").unwrap();
    assert_eq!(sent.template, "thank_you");
    let m = sink.received().pop().unwrap();
    assert_eq!(m.to, ["compta@cafe.test"]);
    assert!(
        m.subject().ends_with("merci pour votre règlement"),
        "{}",
        m.subject()
    );
    assert!(m.text().contains("F1 "), "{}", m.text());
    assert!(!m.text().contains("F2"), "{}", m.text());
    // Thanked once.
    assert!(app.thank_you_candidates(None).unwrap().is_empty());
    // And the step log keeps the thank-you apart (no step).
    let last = app.workflow_records("C1", None).unwrap().actions.pop().unwrap();
    assert_eq!((last.template.as_deref(), last.step), (Some("thank_you"), None));

    // The daily report of 03-02: 1 900 € received on 03-01 in two payments, the promise broken on 03-01, the
    // dispute opened on 03-01, the day's agenda.
    let report = app.daily_report(None).unwrap();
    assert_eq!(
        (report.collections.as_str(), report.collections_count),
        ("1900.00", 2)
    );
    assert_eq!((report.broken_promises, report.new_disputes), (1, 1));
    let agenda = app.agenda(None).unwrap();
    assert_eq!(report.agenda_count as usize, agenda.actions.len());
    assert!(
        report.text.contains(&format!(
            "Encaissements de la veille (01/03/2026) : 1{NB}900,00{NB}€ en 2 règlements."
        )),
        "{}",
        report.text
    );
    // The agenda's step and channel in words, never their codes.
    assert!(
        report
            .text
            .lines()
            .any(|l| l.starts_with("C4") && l.contains("Relance 2  E-mail")),
        "{}",
        report.text
    );
    assert!(!report.text.contains("reminder_2") && !report.text.contains("quality"));
    assert!(
        report.text.contains("Promesses non tenues : 1."),
        "{}",
        report.text
    );
    assert!(
        report
            .text
            .lines()
            .any(|l| l.starts_with("C4") && l.contains("25/02/2026") && l.ends_with("F5")),
        "{}",
        report.text
    );
    assert!(
        report
            .text
            .lines()
            .any(|l| l.starts_with("C2") && l.contains("Qualité  Qualité")),
        "{}",
        report.text
    );
    assert!(report.sent_to.is_empty());
    let before = sink.received().len();
    let sent = app.send_daily_report(None, "anne").unwrap();
    assert_eq!(sent.sent_to, ["daf@atelier.test", "ventes@atelier.test"]);
    let got = sink.received();
    assert_eq!(got.len(), before + 2);
    assert!(got[before]
        .subject()
        .starts_with("Encaisse – rapport du 02/03/2026"));
    let reports: Vec<_> = app
        .audit_trail(Some(d("2026-03-02")), None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "daily_report")
        .map(|e| e.action)
        .collect();
    assert_eq!(reports, ["sent", "sent"]);
}

/// Reminder 2 for C1 on 02-20 (F1 1,200.00 overdue by 11 days, F2 300.00 due 03-03): F2 in its own "À échoir"
/// table with its own total, never among the unpaid; the opening recalls a previous message only once an email was
/// sent for F1 before that day; the deadline of the letter settings and what the debtor's kind allows are said
/// (a professional: ECB 2.15 + 10 = 12.15 % and EUR 40; a public body: + 8 = 10.15 % and EUR 40; a private person:
/// neither); the letter draws the same two tables.
#[test]
fn reminders_put_invoices_not_yet_due_apart_and_recall_only_a_sent_reminder() {
    use encaisse_app::letters::LetterRequest;
    use encaisse_app::workflow::ActionInput;
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start();
    let keyring = Arc::new(Keyring::in_memory());
    let app = setup(dir.path(), &sink, &keyring);
    let preview = |app: &App| {
        app.preview_email(&PreviewRequest {
            customer: "C1".into(),
            template: Some("reminder_2".into()),
            ..PreviewRequest::default()
        })
        .unwrap()
    };
    let p = preview(&app);
    let text = p.text.clone();
    assert_eq!(p.invoices, ["F1", "F2"]);
    let (overdue, coming) = text
        .split_once("À échoir (pour information, ces factures ne sont pas encore exigibles) :")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        overdue.contains(
            "Sauf erreur de notre part, nous n'avons pas reçu le règlement des factures échues suivantes :"
        ),
        "{text}"
    );
    assert!(!text.contains("Malgré"), "{text}");
    assert!(overdue.contains("\nF1 ") && !overdue.contains("\nF2 "), "{text}");
    assert!(coming.contains("\nF2 ") && !coming.contains("\nF1 "), "{text}");
    for needle in [
        format!("Montant échu : 1{NB}200,00{NB}€."),
        format!("Montant à échoir : 300,00{NB}€."),
        format!("des pénalités de retard au taux de 12,15{NB}% l'an (taux de la BCE majoré de 10 points)"),
        format!("40{NB}€ par facture payée en retard (article D441-5 du Code de commerce)"),
        "sous 8 jours à compter de la réception du présent message".to_string(),
    ] {
        assert!(text.contains(&needle), "missing {needle:?} in\n{text}");
    }

    // The letter: the same invoices, F2 under "À échoir" with its own total.
    let (pdf, letter) = app
        .letter_pdf(&LetterRequest {
            customer: "C1".into(),
            step: Some("reminder_2".into()),
            ..LetterRequest::default()
        })
        .unwrap();
    assert_eq!(letter.invoices, ["F1"]);
    let path = dir.path().join("r2.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        let words = String::from_utf8(out.stdout).unwrap();
        let words: Vec<&str> = words
            .split(|c: char| c.is_whitespace() || c == NB)
            .filter(|w| !w.is_empty())
            .collect();
        let pdf_text = words.join(" ");
        let heading = pdf_text.find("À échoir").unwrap_or_else(|| panic!("{pdf_text}"));
        assert!(
            pdf_text[..heading].contains("Total restant dû 1 200,00 €"),
            "{pdf_text}"
        );
        assert!(pdf_text[heading..].contains("Total à échoir"), "{pdf_text}");
        assert!(pdf_text[heading..].contains("300,00 €"), "{pdf_text}");
        assert!(pdf_text[heading..].contains("F2 ") && !pdf_text[..heading].contains("F2 "));
    }

    // An email sent for F1 before that day: the opening recalls it.
    app.record_action(&ActionInput {
        customer: "C1".into(),
        kind: "email".into(),
        invoices: vec!["F1".into()],
        step: None,
        outcome: None,
        date: Some(d("2026-02-12")),
        user: "anne".into(),
        next_action_date: None,
        template: None,
        recipient: None,
        subject: None,
        body: "Relance".into(),
    })
    .unwrap();
    let text = preview(&app).text;
    assert!(
        text.contains("Malgré notre précédent message, nous n'avons pas reçu le règlement des factures échues suivantes :"),
        "{text}"
    );

    // A public body: ECB + 8 of the half-year interest began (F1 late from 02-10: 2026 H1), the EUR 40 of the CCP.
    app.set_customer_category("C1", Some("public_body")).unwrap();
    let text = preview(&app).text;
    assert!(
        text.contains(&format!(
            "au taux de la BCE majoré de 8 points (soit 10,15{NB}% l'an)"
        )),
        "{text}"
    );
    assert!(text.contains("D2192-35") && !text.contains("L441-10"), "{text}");
    // A private person: neither penalties nor EUR 40.
    app.set_customer_category("C1", Some("private_person")).unwrap();
    let text = preview(&app).text;
    assert!(!text.contains("pénalités") && !text.contains("40"), "{text}");
    assert!(text.contains("sous 8 jours à compter de la réception"), "{text}");
}
