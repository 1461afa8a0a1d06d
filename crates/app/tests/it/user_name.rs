//! The acting user's display name ("Mon nom"): kept per login, recorded with each audit entry as it was then, shown
//! on the disputes, signing the formal notices, the reminder letters and the emails when nobody else is named.

use crate::backend::login;
use chrono::NaiveDate;
use encaisse_app::letters::{LetterRequest, NoticeOptions};
use encaisse_app::mail::PreviewRequest;
use encaisse_app::workflow::DisputeInput;
use encaisse_app::{Actor, App, DemoOptions};
use encaisse_domain::FixedClock;
use std::process::Command;

const TODAY: &str = "2026-11-26";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn open(path: &std::path::Path, login: &str) -> App {
    crate::backend::open(path, Box::new(FixedClock(d(TODAY))))
        .unwrap()
        .with_actor(Actor::named(login))
}

#[test]
fn each_login_keeps_its_own_name_and_a_blank_one_brings_the_default_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db, "marie");
    // Not the OS user running the tests: the login is the default.
    let p = app.user_profile().unwrap();
    assert_eq!(
        (
            p.login.as_str(),
            p.name.as_str(),
            p.default_name.as_str(),
            p.custom
        ),
        ("marie", "marie", "marie", false)
    );
    // Spaces are tidied.
    let p = app.set_user_name("  Marie   Martin ").unwrap();
    assert_eq!((p.name.as_str(), p.custom), ("Marie Martin", true));
    assert_eq!(app.user_name().unwrap(), "Marie Martin");
    // Another login on the same database has its own name; Marie's is kept on reopening.
    app.set_actor(Actor::named("paul"));
    assert_eq!(app.user_name().unwrap(), "paul");
    app.set_user_name("Paul Durand").unwrap();
    drop(app);
    let app = open(&db, "marie");
    assert_eq!(app.user_name().unwrap(), "Marie Martin");
    app.set_actor(Actor::named("paul"));
    assert_eq!(app.user_name().unwrap(), "Paul Durand");
    // Blank: the default again.
    let p = app.set_user_name("   ").unwrap();
    assert_eq!((p.name.as_str(), p.custom), ("paul", false));

    let long = "x".repeat(81);
    let err = app.set_user_name(&long).unwrap_err();
    assert!(err.to_string().contains("at most 80"), "{err}");
    app.set_actor(Actor::named(""));
    assert!(app.set_user_name("Quelqu’un").is_err());

    // Each change is in the audit trail, with the name before and after.
    let trail = app.audit_trail(None, None).unwrap();
    let changes: Vec<(&str, &str, Option<&str>, Option<&str>)> = trail
        .iter()
        .filter(|e| e.entity == "user_name")
        .map(|e| {
            (
                e.user.as_str(),
                e.user_name.as_str(),
                e.before.as_deref(),
                e.after.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                login("marie"),
                "Marie Martin",
                Some("\"marie\""),
                Some("\"Marie Martin\"")
            ),
            (
                login("paul"),
                "Paul Durand",
                Some("\"paul\""),
                Some("\"Paul Durand\"")
            ),
            (login("paul"), "paul", Some("\"Paul Durand\""), Some("\"paul\"")),
        ]
    );
}

fn demo(dir: &std::path::Path) -> App {
    let app = open(&dir.join("e.db"), "marie");
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(60),
        end: Some(d(TODAY)),
        replace: None,
    })
    .unwrap();
    app
}

#[test]
fn the_audit_records_the_name_of_the_moment_and_the_disputes_show_who_opened_them() {
    let dir = tempfile::tempdir().unwrap();
    let app = demo(dir.path());
    app.set_user_name("Marie Martin").unwrap();
    let customer = app.agenda(None).unwrap().actions[0].clone();
    let dispute = app
        .open_dispute(&DisputeInput {
            customer: customer.customer.clone(),
            invoices: vec![customer.invoices[0].clone()],
            kind: "price".into(),
            department: "sales".into(),
            comment: "Remise oubliée".into(),
            ..DisputeInput::default()
        })
        .unwrap();
    assert_eq!(
        (dispute.user.as_str(), dispute.user_name.as_str()),
        ("marie", "Marie Martin")
    );
    assert_eq!(dispute.comments[0].user_name, "Marie Martin");
    // Paul comments, then Marie renames herself: the dispute shows the names as they are now…
    app.set_actor(Actor::named("paul"));
    app.set_user_name("Paul Durand").unwrap();
    app.comment_dispute(dispute.id, "Avoir demandé").unwrap();
    app.set_actor(Actor::named("marie"));
    app.set_user_name("Marie Martin-Leroy").unwrap();
    let board = app.disputes_board(None).unwrap();
    let shown = board.disputes.iter().find(|x| x.id == dispute.id).unwrap();
    assert_eq!(shown.user_name, "Marie Martin-Leroy");
    let who: Vec<&str> = shown.comments.iter().map(|c| c.user_name.as_str()).collect();
    assert_eq!(who, ["Marie Martin-Leroy", "Paul Durand"]);
    // …the audit trail as they were when it happened.
    let trail = app.audit_trail(None, None).unwrap();
    let of = |entity: &str, action: &str| {
        trail
            .iter()
            .find(|e| e.entity == entity && e.action == action)
            .map(|e| (e.user.as_str(), e.user_name.as_str()))
            .unwrap()
    };
    assert_eq!(of("dispute", "opened"), (login("marie"), "Marie Martin"));
    assert_eq!(of("dispute", "commented"), (login("paul"), "Paul Durand"));
    // A change whose input names nobody is recorded as the actor's, with the name.
    app.close_dispute(dispute.id, None, "Avoir émis").unwrap();
    let trail = app.audit_trail(None, None).unwrap();
    let closed = trail.iter().find(|e| e.action == "closed").unwrap();
    assert_eq!(
        (closed.user.as_str(), closed.user_name.as_str()),
        (login("marie"), "Marie Martin-Leroy")
    );
}

fn pdftotext(pdf: &[u8], dir: &std::path::Path) -> String {
    let path = dir.join("letter.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by scripts/install.sh)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_user_signs_the_letters_and_the_emails_when_nobody_else_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let app = demo(dir.path());
    app.set_user_name("Marie Martin").unwrap();
    let company = app.status().unwrap().company.unwrap();
    let agenda = app.agenda(None).unwrap();
    let customer = agenda.actions[0].customer.clone();

    // The email: the user's name, then the company's name once.
    let email = app
        .preview_email(&PreviewRequest {
            customer: customer.clone(),
            template: Some("reminder_1".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(
        email
            .text
            .contains(&format!("Cordialement,\n\nMarie Martin\n{company}")),
        "{}",
        email.text
    );
    assert!(
        !email.text.contains(&format!("{company}\n{company}")),
        "{}",
        email.text
    );
    // The reminder letter, written from the same template.
    let req = LetterRequest {
        customer: customer.clone(),
        step: Some("reminder_1".into()),
        ..LetterRequest::default()
    };
    let (_, letter) = app.letter_pdf(&req).unwrap();
    assert!(
        letter.text_after.contains(&format!("Marie Martin\n{company}")),
        "{}",
        letter.text_after
    );

    // The formal notice: signed by the user above the default title.
    let late = app
        .aging(None)
        .unwrap()
        .customers
        .into_iter()
        .find(|c| c.buckets.iter().skip(1).any(|b| b != "0.00"))
        .expect("a late customer");
    let notice = app.notice(&late.id, None, &NoticeOptions::default()).unwrap();
    let text = pdftotext(&notice.pdf, dir.path());
    assert!(text.contains("Marie Martin"), "{text}");
    assert!(text.contains("Service recouvrement"), "{text}");

    // A signatory set in the letter settings signs instead.
    let mut settings = app.letter_settings().unwrap();
    settings.signatory_name = Some("Jeanne Morel".into());
    app.set_letter_settings(&settings).unwrap();
    let notice = app.notice(&late.id, None, &NoticeOptions::default()).unwrap();
    let text = pdftotext(&notice.pdf, dir.path());
    assert!(
        text.contains("Jeanne Morel") && !text.contains("Marie Martin"),
        "{text}"
    );

    // Nobody known at all: no empty line, the company once.
    app.set_actor(Actor::named(""));
    settings.signatory_name = None;
    app.set_letter_settings(&settings).unwrap();
    let email = app
        .preview_email(&PreviewRequest {
            customer,
            template: Some("reminder_1".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(
        email.text.contains(&format!("Cordialement,\n\n{company}")),
        "{}",
        email.text
    );
}
