//! Letters of the collections workflow through the app on the demo company: reminder letters written from the
//! email template the user edits, the day's batch of letter actions, printing recorded as the "letter" action,
//! unapplied credits deducted from a formal notice.

use chrono::NaiveDate;
use encaisse_app::letters::{LetterRequest, NoticeOptions};
use encaisse_app::mail::EmailTemplateInput;
use encaisse_app::App;
use encaisse_app::DemoOptions;
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::process::Command;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-26";

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d(TODAY)))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(120),
        end: Some(d(TODAY)),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// pdftotext's words joined by single spaces; None (and a note) when poppler is missing.
fn pdftotext(pdf: &[u8], dir: &std::path::Path, name: &str) -> Option<String> {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(out) if out.status.success() => Some(
            String::from_utf8(out.stdout)
                .unwrap()
                .split(|c: char| c.is_whitespace() || c == '\u{a0}')
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

fn words(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pages of a PDF, counted by poppler (None when missing).
fn page_count(pdf: &[u8], dir: &std::path::Path, name: &str) -> Option<usize> {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&path).output().ok()?;
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
}

fn letter_customers(app: &App) -> Vec<(String, String)> {
    app.agenda_view(None)
        .unwrap()
        .items
        .into_iter()
        .filter(|i| i.action.channel.split('+').any(|c| c == "letter"))
        .map(|i| (i.action.customer, i.action.step))
        .collect()
}

#[test]
fn a_reminder_letter_is_the_users_template_with_the_invoices_as_a_table() {
    let (dir, app) = demo();
    let customer = app.agenda(None).unwrap().actions[0].customer.clone();
    // The user rewrites the second reminder's template: the letter says what the email would say.
    app.save_email_template(
        &EmailTemplateInput {
            id: "reminder_2".into(),
            lang: "fr".into(),
            subject: "{{ company_name }} – rappel courtois n°2".into(),
            body: "Chère cliente, cher client ({{ customer_name }}),\n\nVoici vos {{ invoice_count }} factures :\n\n\
                   {{ invoice_table }}\n\nReste à payer : {{ total }}.\n\nBien à vous,\n{{ company_name }}\n"
                .into(),
            version: None,
        },
        "test",
    )
    .unwrap();
    let req = LetterRequest {
        customer: customer.clone(),
        step: Some("reminder_2".into()),
        ..LetterRequest::default()
    };
    let (pdf, preview) = app.letter_pdf(&req).unwrap();
    assert_eq!(preview.kind, "reminder");
    assert_eq!(preview.template, "reminder_2");
    assert!(
        preview.subject.ends_with("– rappel courtois n°2"),
        "{}",
        preview.subject
    );
    assert!(preview.text_before.starts_with("Chère cliente, cher client ("));
    assert!(preview.text_before.ends_with(" factures :"));
    assert!(preview.text_after.starts_with("Reste à payer : "));
    assert!(
        !preview.text_before.contains("F20"),
        "the invoices are a table, not text"
    );
    // The email of the same template lists every open invoice; the letter claims those past due (each row has
    // its days late), its text saying their count and total.
    let email = app
        .preview_email(&encaisse_app::mail::PreviewRequest {
            customer: customer.clone(),
            template: Some("reminder_2".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(
        preview.invoices.len() < email.invoices.len(),
        "the demo's customer has invoices not yet due"
    );
    assert!(preview.invoices.iter().all(|i| email.invoices.contains(i)));
    assert!(
        preview.rows.iter().all(|r| r[5].ends_with(" j")),
        "{:?}",
        preview.rows
    );
    let total = preview.totals.last().unwrap().amount.clone();
    assert_eq!(
        preview.text_after,
        format!("Reste à payer : {total}.\n\nBien à vous,\n{}", preview.sender[0])
    );
    assert!(preview
        .text_before
        .ends_with(&format!("Voici vos {} factures :", preview.invoices.len())));
    // By hand: the total is the sum of the rows' "left to pay".
    let sum: Decimal = preview
        .rows
        .iter()
        .map(|r| dec(&r[4].replace(['\u{a0}', ' ', '€'], "").replace(',', ".")))
        .sum();
    assert_eq!(words(&total), words(&encaisse_domain::format_amount_fr(sum)));
    let (again, _) = app.letter_pdf(&req).unwrap();
    assert_eq!(pdf, again, "same data, same bytes");
    let Some(text) = pdftotext(&pdf, dir.path(), "r2.pdf") else {
        return;
    };
    for needle in [
        words(&preview.subject),
        words(&preview.text_before),
        words(&preview.text_after),
        words(&preview.recipient[0]),
        format!("Total restant dû {}", words(&total)),
    ] {
        assert!(text.contains(&needle), "missing {needle:?} in:\n{text}");
    }
    for row in &preview.rows {
        assert!(
            text.contains(&words(&row.join(" "))),
            "missing row {row:?} in:\n{text}"
        );
    }
    // The user's own words replace the template's before printing.
    let edited = LetterRequest {
        text_before: Some("Madame,\n\nUn mot écrit à la main.".into()),
        ..req
    };
    let (pdf, preview) = app.letter_pdf(&edited).unwrap();
    assert_eq!(preview.text_before, "Madame,\n\nUn mot écrit à la main.");
    if let Some(text) = pdftotext(&pdf, dir.path(), "edited.pdf") {
        assert!(text.contains("Un mot écrit à la main."));
        assert!(!text.contains("Chère cliente"));
    }
}

#[test]
fn the_days_batch_prints_every_letter_action_and_recording_moves_the_agenda_on() {
    let (dir, app) = demo();
    let letters = letter_customers(&app);
    assert!(
        letters.iter().any(|(_, s)| s == "formal_notice")
            && letters.iter().any(|(_, s)| s == "personal_letter"),
        "{letters:?}"
    );
    let batch = app.letters_batch(None).unwrap();
    assert_eq!(
        batch
            .letters
            .iter()
            .map(|l| (l.customer.clone(), l.step.clone()))
            .collect::<Vec<_>>(),
        letters,
        "the agenda's letter actions, in its order"
    );
    for l in &batch.letters {
        assert_eq!(
            l.kind,
            if l.step == "formal_notice" {
                "notice"
            } else {
                "reminder"
            }
        );
        assert!(l.action_id.is_none());
    }
    // The batch's pages are the letters' pages, each letter printed alone.
    let alone: Vec<u32> = batch
        .letters
        .iter()
        .map(|l| {
            let (pdf, p) = app
                .letter_pdf(&LetterRequest {
                    customer: l.customer.clone(),
                    ..LetterRequest::default()
                })
                .unwrap();
            if let Some(n) = page_count(&pdf, dir.path(), "one.pdf") {
                assert_eq!(n, p.pages as usize);
            }
            p.pages
        })
        .collect();
    assert_eq!(alone, batch.letters.iter().map(|l| l.pages).collect::<Vec<_>>());
    if let Some(n) = page_count(&batch.pdf, dir.path(), "batch.pdf") {
        assert_eq!(n, alone.iter().sum::<u32>() as usize);
    }
    if let Some(text) = pdftotext(&batch.pdf, dir.path(), "batch.pdf") {
        assert_eq!(text.matches("Page 1/").count(), batch.letters.len());
        let notices = letters.iter().filter(|(_, s)| s == "formal_notice").count();
        assert_eq!(text.matches("MISE EN DEMEURE DE PAYER").count(), notices);
    }
    assert_eq!(batch.pdf, app.letters_batch(None).unwrap().pdf);

    // Printing that fails to reach a viewer or printer records nothing.
    app.set_actor(encaisse_app::Actor::named("marie"));
    let tables = &["action", "action_invoice", "audit_log"];
    let before = crate::common::dump_tables(&dir.path().join("e.db"), tables);
    let failed = app.print_letters_batch(None, |_| Err(encaisse_app::AppError::Io("no printer".into())));
    assert_eq!(failed, Err(encaisse_app::AppError::Io("no printer".into())));
    assert_eq!(
        crate::common::dump_tables(&dir.path().join("e.db"), tables),
        before
    );
    assert_eq!(letter_customers(&app), letters);

    // Printing with recording: the PDF delivered, then a "letter" action per letter, and those customers leave
    // the agenda.
    let mut delivered = Vec::new();
    let recorded = app
        .print_letters_batch(None, |pdf| {
            delivered = pdf.to_vec();
            Ok(())
        })
        .unwrap();
    assert_eq!(delivered, recorded.pdf);
    assert!(recorded.letters.iter().all(|l| l.action_id.is_some()));
    assert!(letter_customers(&app).is_empty(), "{:?}", letter_customers(&app));
    let (customer, step) = &letters[0];
    let records = app.workflow_records(customer, None).unwrap();
    let action = records
        .actions
        .iter()
        .find(|a| Some(a.id) == recorded.letters[0].action_id)
        .unwrap();
    assert_eq!(action.kind.as_str(), "letter");
    assert_eq!(action.step.as_deref(), Some(step.as_str()));
    assert_eq!(action.user, "marie");
    assert!(matches!(
        app.letters_batch(None),
        Err(encaisse_app::AppError::NoData(_))
    ));
}

#[test]
fn printing_one_letter_records_it_and_its_customer_leaves_the_agenda() {
    let (_dir, app) = demo();
    let (customer, step) = letter_customers(&app)
        .into_iter()
        .find(|(_, s)| s == "personal_letter")
        .unwrap();
    let preview = app
        .letter_preview(&LetterRequest {
            customer: customer.clone(),
            ..LetterRequest::default()
        })
        .unwrap();
    assert_eq!(preview.step, step);
    assert!(preview.on_agenda);
    app.set_actor(encaisse_app::Actor::named("paul"));
    let printed = app
        .print_letter(
            &LetterRequest {
                customer: customer.clone(),
                text_after: Some("À bientôt.".into()),
                ..LetterRequest::default()
            },
            |pdf, p| {
                assert!(pdf.starts_with(b"%PDF-") && p.customer == customer);
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(printed.action.kind.as_str(), "letter");
    assert_eq!(printed.action.step.as_deref(), Some("personal_letter"));
    assert!(printed.action.body.ends_with("À bientôt."));
    assert!(printed.pdf.starts_with(b"%PDF-"));
    assert!(!letter_customers(&app).iter().any(|(c, _)| *c == customer));
}

#[test]
fn unapplied_credits_are_deducted_from_the_notice() {
    let (_dir, app) = demo();
    let as_of = d(TODAY);
    let aging = app.aging(Some(as_of)).unwrap();
    let row = aging
        .customers
        .iter()
        .filter(|c| dec(&c.unapplied) < Decimal::ZERO)
        .find(|c| c.buckets.iter().skip(1).any(|b| dec(b) > Decimal::ZERO))
        .expect("a demo customer with a credit and something late");
    let letter = app
        .notice(&row.id, Some(as_of), &NoticeOptions::default())
        .unwrap();
    let c = &letter.claim;
    let credits = -dec(&row.unapplied);
    assert_eq!(dec(&c.credits), credits);
    // By hand: to pay = still due + interest + indemnities − credits (never below zero).
    let total = dec(&c.still_due) + dec(&c.interest) + dec(&c.indemnities);
    assert_eq!(dec(&c.total), total);
    assert_eq!(dec(&c.to_pay), (total - credits).max(Decimal::ZERO));
    // The penalties are still computed on each invoice's still-due amount, as without credits.
    let still_due: Decimal = c.invoices.iter().map(|i| dec(&i.still_due)).sum();
    assert_eq!(still_due, dec(&c.still_due));
    // The subject asks for what the demand and the QR code ask for: the net amount.
    let preview = app
        .letter_preview(&LetterRequest {
            customer: row.id.clone(),
            step: Some("formal_notice".into()),
            as_of: Some(as_of),
            ..LetterRequest::default()
        })
        .unwrap();
    let net = encaisse_domain::format::format_amount_fr(dec(&c.to_pay));
    assert!(
        preview.subject.ends_with(&format!("— net à payer {net}")),
        "{}",
        preview.subject
    );
    assert!(preview.text_after.contains(&format!("la somme de {net} ")));
}

#[test]
fn reminders_are_signed_by_the_letters_signatory_when_no_contact_is_set() {
    let (_dir, app) = demo();
    let customer = app.agenda(None).unwrap().actions[0].customer.clone();
    let company = app.status().unwrap().company.unwrap();
    let req = LetterRequest {
        customer: customer.clone(),
        step: Some("reminder_1".into()),
        ..LetterRequest::default()
    };
    // Nobody named yet: the company signs.
    let (_, before) = app.letter_pdf(&req).unwrap();
    assert!(before.text_after.contains(&company));
    assert!(!before.text_after.contains("Jeanne Morel"));
    // The letter settings' signatory signs the reminders (and the emails) when the mail settings name no contact.
    let mut settings = app.letter_settings().unwrap();
    settings.signatory_name = Some("Jeanne Morel".into());
    app.set_letter_settings(&settings).unwrap();
    let (_, after) = app.letter_pdf(&req).unwrap();
    assert!(after.text_after.contains("Jeanne Morel"), "{}", after.text_after);
    let email = app
        .preview_email(&encaisse_app::mail::PreviewRequest {
            customer,
            template: Some("reminder_1".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(email.text.contains("Jeanne Morel"));
}
