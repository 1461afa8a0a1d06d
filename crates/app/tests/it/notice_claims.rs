//! What a formal notice claims: invoices under an open dispute or a running promise left out and listed as
//! excluded (or included on purpose, with a warning each); the opening sentence recalls previous reminders only
//! when the actions log holds some; the same amount in the subject, the demand and the QR code; the deadline from
//! the letter's receipt; the company's legal mentions on the letterhead.

use chrono::NaiveDate;
use encaisse_app::letters::{ExcludedInvoice, LetterRequest, LetterSettings, NoticeOptions};
use encaisse_app::workflow::{ActionInput, DisputeInput, PromiseInput};
use encaisse_app::{App, DemoOptions};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::process::Command;
use std::str::FromStr;

const AS_OF: &str = "2026-11-26";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d(AS_OF)))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(d(AS_OF)),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

/// The customer with the most invoices past due at the date.
fn debtor(app: &App) -> String {
    let aging = app.aging(Some(d(AS_OF))).unwrap();
    aging
        .customers
        .iter()
        .map(|c| c.id.clone())
        .max_by_key(|id| {
            app.notice(id, Some(d(AS_OF)), &NoticeOptions::default())
                .map_or(0, |n| n.claim.invoices.len())
        })
        .unwrap()
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

fn notice_request(customer: &str, include_held: Option<bool>) -> LetterRequest {
    LetterRequest {
        customer: customer.into(),
        step: Some("formal_notice".into()),
        as_of: Some(d(AS_OF)),
        include_held,
        ..LetterRequest::default()
    }
}

#[test]
fn a_disputed_and_a_promised_invoice_are_left_out_and_listed_as_excluded() {
    let (dir, app) = demo();
    let customer = debtor(&app);
    let all = app
        .notice(&customer, Some(d(AS_OF)), &NoticeOptions::default())
        .unwrap();
    assert!(all.claim.excluded.is_empty(), "nothing held yet");
    assert!(all.claim.invoices.len() >= 3, "{:?}", all.claim.invoices);
    let disputed = all.claim.invoices[0].clone();
    let promised = all.claim.invoices[1].clone();
    app.open_dispute(&DisputeInput {
        customer: customer.clone(),
        invoices: vec![disputed.number.clone()],
        kind: "quality".into(),
        department: "quality".into(),
        amount: None,
        opened_on: Some(d("2026-11-20")),
        user: "marie".into(),
        comment: "Pièces défectueuses".into(),
    })
    .unwrap();
    app.add_promise(&PromiseInput {
        customer: customer.clone(),
        invoices: vec![promised.number.clone()],
        date: d("2026-12-05"),
        amount: promised.still_due.clone(),
        grace_days: None,
        made_on: Some(d("2026-11-25")),
        action_id: None,
        user: "marie".into(),
        comment: String::new(),
    })
    .unwrap();

    let held = app
        .notice(&customer, Some(d(AS_OF)), &NoticeOptions::default())
        .unwrap();
    let c = &held.claim;
    let numbers: Vec<&str> = c.invoices.iter().map(|i| i.number.as_str()).collect();
    assert!(!numbers.contains(&disputed.number.as_str()), "{numbers:?}");
    assert!(!numbers.contains(&promised.number.as_str()), "{numbers:?}");
    assert_eq!(c.invoices.len(), all.claim.invoices.len() - 2);
    let mut excluded = c.excluded.clone();
    excluded.sort_by(|a, b| a.reason.cmp(&b.reason));
    assert_eq!(
        excluded,
        vec![
            ExcludedInvoice {
                invoice: disputed.number.clone(),
                reason: "dispute".into()
            },
            ExcludedInvoice {
                invoice: promised.number.clone(),
                reason: "promise".into()
            },
        ]
    );
    // By hand: the claim without the two invoices is the full one less their still-due amounts, penalties and
    // EUR 40 each (the penalties are computed per invoice).
    let line =
        |i: &encaisse_app::letters::NoticeInvoice| dec(&i.still_due) + dec(&i.interest) + dec(&i.indemnity);
    assert_eq!(
        dec(&c.total),
        dec(&all.claim.total) - line(&disputed) - line(&promised)
    );
    assert_eq!(dec(&c.indemnities), dec(&all.claim.indemnities) - dec("80"));
    // No warning about held invoices (the 2026 H2 rate still to confirm is warned of, as on every notice).
    assert!(
        held.warnings.iter().all(|w| w.contains("is not confirmed")),
        "{:?}",
        held.warnings
    );
    // The JSON contract: "excluded" with invoice and reason; "deadline_days" instead of a date.
    let json: serde_json::Value = serde_json::to_value(c).unwrap();
    assert_eq!(json["excluded"][0]["reason"], "dispute");
    assert_eq!(json["deadline_days"], 8);
    assert!(json.get("deadline").is_none());
    if let Some(text) = pdftotext(&held.pdf, dir.path(), "held.pdf") {
        assert!(!text.contains(&disputed.number), "{text}");
        assert!(!text.contains(&promised.number), "{text}");
        assert!(text.contains(&numbers[0].to_string()), "{text}");
    }

    // Included on purpose: the full claim, nothing excluded, a warning naming each held invoice.
    let included = app
        .notice(
            &customer,
            Some(d(AS_OF)),
            &NoticeOptions {
                include_held: Some(true),
                ..NoticeOptions::default()
            },
        )
        .unwrap();
    assert_eq!(included.claim.invoices, all.claim.invoices);
    assert_eq!(included.claim.total, all.claim.total);
    assert!(included.claim.excluded.is_empty());
    // The two held invoices, then the 2026 H2 rate still to confirm.
    assert_eq!(included.warnings.len(), 3, "{:?}", included.warnings);
    assert!(
        included.warnings[2].contains("is not confirmed"),
        "{:?}",
        included.warnings
    );
    assert!(included.warnings[0].contains(&disputed.number) && included.warnings[0].contains("dispute"));
    assert!(included.warnings[1].contains(&promised.number) && included.warnings[1].contains("promise"));

    // The preview of the app says the same.
    let preview = app.letter_preview(&notice_request(&customer, None)).unwrap();
    assert_eq!(preview.excluded.len(), 2);
    assert!(preview.held_claimed.is_empty());
    assert_eq!(preview.invoices.len(), numbers.len());
    let preview = app
        .letter_preview(&notice_request(&customer, Some(true)))
        .unwrap();
    assert!(preview.excluded.is_empty());
    assert_eq!(preview.invoices.len(), all.claim.invoices.len());
    // Said as data (the screen words it in the user's language), not as the CLI's English warnings.
    assert!(preview.warnings.is_empty(), "{:?}", preview.warnings);
    let mut claimed = preview.held_claimed.clone();
    claimed.sort_by(|a, b| a.reason.cmp(&b.reason));
    assert_eq!(excluded, claimed);

    // After the promise's deadline (05/12 + 3 days of grace) it no longer holds; the dispute still does.
    let later = app
        .notice(&customer, Some(d("2026-12-09")), &NoticeOptions::default())
        .unwrap();
    assert_eq!(
        later.claim.excluded,
        vec![ExcludedInvoice {
            invoice: disputed.number.clone(),
            reason: "dispute".into()
        }]
    );
}

#[test]
fn the_opening_recalls_reminders_only_when_the_log_holds_some() {
    let (dir, app) = demo();
    let customer = debtor(&app);
    let first = app
        .notice(&customer, Some(d(AS_OF)), &NoticeOptions::default())
        .unwrap();
    let invoice = first.claim.invoices[0].number.clone();
    let opening = |app: &App| {
        app.letter_preview(&notice_request(&customer, None))
            .unwrap()
            .text_before
    };
    let neutral =
        "Sauf erreur ou omission de notre part, les factures ci-dessous, échues, restent impayées à ce jour.";
    let reminded =
        "Malgré nos précédentes relances, les factures ci-dessous, échues, restent impayées à ce jour.";
    assert!(opening(&app).starts_with(neutral), "{}", opening(&app));
    let action = |kind: &str, date: &str| ActionInput {
        customer: customer.clone(),
        kind: kind.into(),
        invoices: vec![invoice.clone()],
        step: None,
        outcome: None,
        date: Some(d(date)),
        user: "marie".into(),
        next_action_date: None,
        template: None,
        recipient: None,
        subject: None,
        body: "Relance".into(),
    };
    // A call is no reminder sent, a note neither; an email of the notice's own day is not a previous one.
    app.record_action(&action("call", "2026-11-10")).unwrap();
    app.record_action(&action("note", "2026-11-12")).unwrap();
    app.record_action(&action("email", AS_OF)).unwrap();
    assert!(opening(&app).starts_with(neutral), "{}", opening(&app));
    let neutral_pdf = app
        .notice(&customer, Some(d(AS_OF)), &NoticeOptions::default())
        .unwrap()
        .pdf;

    // An email sent before about one of the claimed invoices.
    app.record_action(&action("email", "2026-11-05")).unwrap();
    assert!(opening(&app).starts_with(reminded), "{}", opening(&app));
    let reminded_pdf = app
        .notice(&customer, Some(d(AS_OF)), &NoticeOptions::default())
        .unwrap()
        .pdf;
    if let (Some(before), Some(after)) = (
        pdftotext(&neutral_pdf, dir.path(), "neutral.pdf"),
        pdftotext(&reminded_pdf, dir.path(), "reminded.pdf"),
    ) {
        assert!(before.contains(neutral) && !before.contains("Malgré"), "{before}");
        assert!(after.contains(reminded), "{after}");
    }
}

#[test]
fn one_amount_in_the_subject_the_demand_and_the_qr_code_and_the_legal_mentions() {
    let (dir, app) = demo();
    let customer = debtor(&app);
    // The demo fills the company's legal mentions.
    let settings = app.letter_settings().unwrap();
    assert_eq!(settings.legal_form.as_deref(), Some("SAS"));
    assert_eq!(settings.share_capital.as_deref(), Some("150000"));
    assert_eq!(settings.rcs_city.as_deref(), Some("Lyon"));
    app.set_letter_settings(&LetterSettings {
        iban: Some("FR7630006000011234567890189".into()),
        bic: Some("AGRIFRPP".into()),
        deadline_days: Some(10),
        ..settings.clone()
    })
    .unwrap();
    let bad = LetterSettings {
        share_capital: Some("beaucoup".into()),
        ..settings
    };
    let e = app.set_letter_settings(&bad).unwrap_err();
    assert!(e.to_string().contains("share capital"), "{e}");

    // (Unapplied credits deducted in the subject too: the letters crate's unapplied_credits test.)
    let letter = app
        .notice(&customer, Some(d(AS_OF)), &NoticeOptions::default())
        .unwrap();
    let c = &letter.claim;
    assert_eq!(c.deadline_days, 10);
    assert_eq!(c.credits, "0.00");
    let preview = app.letter_preview(&notice_request(&customer, None)).unwrap();
    let to_pay = encaisse_domain::format::format_amount_fr(dec(&c.to_pay));
    assert!(preview.subject.ends_with(&to_pay), "{}", preview.subject);
    assert!(
        preview
            .sender
            .contains(&"SAS au capital de 150\u{a0}000\u{a0}€".to_string()),
        "{:?}",
        preview.sender
    );
    assert!(
        preview.sender.iter().any(|l| l.starts_with("RCS Lyon ")),
        "{:?}",
        preview.sender
    );
    if let Some(text) = pdftotext(&letter.pdf, dir.path(), "notice.pdf") {
        let amount = to_pay.replace('\u{a0}', " ");
        for needle in [
            format!("— total réclamé {amount}"),
            format!(
                "la somme de {amount} dans un délai de 10 jours à compter de la réception de la présente."
            ),
            "jusqu\u{2019}au complet paiement des sommes dues".to_string(),
            "SAS au capital de 150 000 €".to_string(),
            "RCS Lyon".to_string(),
        ] {
            assert!(text.contains(&needle), "missing {needle:?} in:\n{text}");
        }
        // The subject, the total, the demand and the transfer's amount.
        assert_eq!(text.matches(&amount).count(), 4, "{text}");
    }
}
