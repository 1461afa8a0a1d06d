//! The customer's payment reference (ISO 11649 "RF…"): printed on its letters (a notice's transfer block and QR
//! code, a reminder letter's heading) and given in its emails, recorded on the action that carried it and as the
//! customer's issued reference, shown in the customer file; a bank payment quoting it, with nothing else naming
//! the customer, is matched to that customer.

use crate::bank::{camt, demo, open_invoices, Ntry};
use crate::mail::{import, E};
use crate::smtp_sink::Sink;
use chrono::NaiveDate;
use encaisse_app::bank::{BankImportOptions, BankStatus};
use encaisse_app::letters::LetterRequest;
use encaisse_app::mail::{EmailTemplateInput, Keyring, PreviewRequest, SendEmails};
use encaisse_app::{App, TabularOptions};
use encaisse_bank::rf;
use encaisse_domain::FixedClock;
use std::process::Command;
use std::sync::Arc;

/// pdftotext's words joined by single spaces; None (and a note) when poppler is missing.
fn pdftotext(pdf: &[u8], dir: &std::path::Path, name: &str) -> Option<String> {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(
            String::from_utf8(out.stdout)
                .unwrap()
                .split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => {
            eprintln!("SKIPPED text checks: pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

fn with_bank_details(app: &App) {
    let mut settings = app.letter_settings().unwrap();
    settings.iban = Some("FR76 3000 6000 0112 3456 7890 189".into());
    settings.bic = Some("AGRIFRPP".into());
    app.set_letter_settings(&settings).unwrap();
}

#[test]
fn a_printed_letter_carries_the_reference_and_a_payment_quoting_it_is_matched_to_the_customer() {
    let (dir, app) = demo();
    with_bank_details(&app);
    let open = open_invoices(&app);
    // An invoice whose amount no other open invoice of its customer owes (the allocation is not ambiguous), of a
    // customer a formal notice can be written to.
    let notice_of = |customer: &str| {
        app.letter_pdf(&LetterRequest {
            customer: customer.to_string(),
            step: Some("formal_notice".into()),
            include_held: Some(true),
            ..LetterRequest::default()
        })
    };
    let ((customer, _, number, due), (notice_pdf, notice)) = open
        .iter()
        .filter(|(c, _, n, d)| !open.iter().any(|(c2, _, n2, d2)| c2 == c && n2 != n && d2 == d))
        .find_map(|i| notice_of(&i.0).ok().map(|n| (i.clone(), n)))
        .unwrap();
    let reference = app.payment_reference(&customer).unwrap();
    assert_eq!(rf::rf_valid(&reference).as_deref(), Some(reference.as_str()));
    let printed = rf::rf_printed(&reference);
    assert_eq!(
        app.customer_file(&customer, None).unwrap().payment_reference,
        printed
    );

    // A reminder letter printed: the reference in its heading, recorded on the action and issued.
    let req = LetterRequest {
        customer: customer.clone(),
        step: Some("reminder_1".into()),
        ..LetterRequest::default()
    };
    let letter = app.print_letter(&req, |_, _| Ok(())).unwrap();
    assert_eq!(
        letter.preview.payment_reference.as_deref(),
        Some(reference.as_str())
    );
    assert_eq!(
        letter.action.payment_reference.as_deref(),
        Some(reference.as_str())
    );
    if let Some(text) = pdftotext(&letter.pdf, dir.path(), "reminder.pdf") {
        assert!(
            text.contains(&format!("Référence à rappeler avec votre virement : {printed}")),
            "{text}"
        );
    }
    let actions = app.workflow_records(&customer, None).unwrap().actions;
    assert!(actions
        .iter()
        .any(|a| a.id == letter.action.id && a.payment_reference.as_deref() == Some(reference.as_str())));
    // Issued: the same reference from now on.
    assert_eq!(app.payment_reference(&customer).unwrap(), reference);

    // A formal notice asks to quote it in its transfer block (and its QR code carries it: the letters' tests).
    assert_eq!(notice.payment_reference.as_deref(), Some(reference.as_str()));
    if let Some(text) = pdftotext(&notice_pdf, dir.path(), "notice.pdf") {
        assert!(
            text.contains(&format!("Référence à rappeler : {printed}")),
            "{text}"
        );
    }

    // The bank: a transfer quoting only the reference, for the amount of one of the customer's invoices, from a
    // payer whose name and IBAN say nothing.
    let file = camt(
        dir.path(),
        "rf.xml",
        "SRF",
        "2026-11-25",
        &[Ntry("RF-1", due, "X", &format!("VIR {printed}"))],
    );
    let report = app.import_bank(&[file], &BankImportOptions::default()).unwrap();
    assert_eq!((report.credits, report.matched), (1, 1), "{report:?}");
    let matched = app.bank_entries(Some(BankStatus::Matched)).unwrap().entries;
    let m = &matched[0];
    assert_eq!(m.decided_by, "auto");
    assert_eq!(
        (m.matches[0].customer.as_str(), m.matches[0].invoice.as_str()),
        (customer.as_str(), number.as_str())
    );
    assert!(
        m.reasons
            .iter()
            .any(|r| r.code == "creditor_reference" && r.reference.as_deref() == Some(reference.as_str())),
        "{:?}",
        m.reasons
    );

    // The demo company replaced by a real FEC (analysed first, then imported): its references go with its
    // customers, as their actions do.
    let fec = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/fec/111111111FEC20221231.TXT");
    let options = encaisse_app::FecImportOptions::default();
    app.inspect_fec(&fec, &options)
        .expect("the analysis of a real FEC over the demo");
    app.import_fec(&fec, &options, &mut |_| {})
        .expect("a real FEC replaces the demo");
    assert!(
        app.customer_file(&customer, None).is_err(),
        "the demo's customer is gone"
    );
}

#[test]
fn a_reminder_email_gives_the_reference_and_its_action_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Sink::start();
    let app = crate::backend::open(
        &dir.path().join("e.db"),
        Box::new(FixedClock("2026-02-20".parse::<NaiveDate>().unwrap())),
    )
    .unwrap()
    .with_secrets(Arc::new(Keyring::in_memory()));
    import(
        &app,
        dir.path(),
        "v1",
        &[
            E("2026-01-10", "F1", "C1", 120_000, ""),
            E("2026-01-10", "F2", "C2", 50_000, ""),
        ],
    );
    let customers = dir.path().join("clients.csv");
    std::fs::write(&customers, "Code client;Raison sociale;Email\nC1;Café de la Gare;compta@cafe.test\nC2;Boulangerie Paul;paul@pain.test\n").unwrap();
    app.import_customers_file(&customers, &TabularOptions::default())
        .unwrap();
    crate::common::smtp_to_local_sink(&app, sink.port);
    // 98 − ("C1RF00" mod 97) = 35.
    let reference = app.payment_reference("C1").unwrap();
    assert_eq!(reference, "RF35C1");
    let preview = app
        .preview_email(&PreviewRequest {
            customer: "C1".into(),
            ..PreviewRequest::default()
        })
        .unwrap();
    assert!(
        preview
            .text
            .contains("Référence à rappeler avec votre règlement : RF35 C1"),
        "{}",
        preview.text
    );
    assert!(preview.placeholders.contains(&"reference_paiement".to_string()));

    let report = app
        .send_emails(
            &SendEmails {
                as_of: None,
                customers: vec!["C1".into()],
                user: "anne".into(),
            },
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(report.sent.len(), 1, "{report:?}");
    assert!(sink.received()[0].text().contains("RF35 C1"));
    let action = &app.workflow_records("C1", None).unwrap().actions[0];
    assert_eq!(action.payment_reference.as_deref(), Some("RF35C1"));

    // A template the user rewrote without it: the email carries none, and its action records none.
    app.save_email_template(
        &EmailTemplateInput {
            id: "reminder_1".into(),
            lang: "fr".into(),
            subject: "Factures échues".into(),
            body: "Bonjour,\n\n{{ tableau_factures }}\n".into(),
            version: None,
        },
        "anne",
    )
    .unwrap();
    let report = app
        .send_emails(
            &SendEmails {
                as_of: None,
                customers: vec!["C2".into()],
                user: "anne".into(),
            },
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(report.sent.len(), 1, "{report:?}");
    let action = &app.workflow_records("C2", None).unwrap().actions[0];
    assert_eq!(action.kind.as_str(), "email");
    assert_eq!(action.payment_reference, None);
}
