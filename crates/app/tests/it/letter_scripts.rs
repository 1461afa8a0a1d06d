//! A letter names what it cannot print: text in Arabic or an emoji typed into a letter stops it with an error
//! naming the customer and the field; Cyrillic is printed.

use chrono::NaiveDate;
use encaisse_app::letters::{LetterRequest, NoticeOptions};
use encaisse_app::{AppError, DemoOptions};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn arabic_or_an_emoji_is_refused_by_customer_and_field_and_cyrillic_is_printed() {
    let dir = tempfile::tempdir().unwrap();
    let as_of = d("2026-11-26");
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(as_of))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(as_of),
        replace: None,
    })
    .unwrap();
    // A customer with a notice to write.
    let key = app
        .aging(Some(as_of))
        .unwrap()
        .customers
        .iter()
        .filter(|c| {
            c.buckets
                .iter()
                .skip(1)
                .any(|b| Decimal::from_str(b).unwrap() > Decimal::ZERO)
        })
        .map(|c| c.id.clone())
        .find(|k| app.notice(k, Some(as_of), &NoticeOptions::default()).is_ok())
        .unwrap();
    let intro = |text: &str| NoticeOptions {
        intro: Some(text.into()),
        ..NoticeOptions::default()
    };
    let reminder = |after: &str| LetterRequest {
        customer: key.clone(),
        step: Some("reminder_2".into()),
        as_of: Some(as_of),
        text_after: Some(after.into()),
        ..LetterRequest::default()
    };

    match app.notice(
        &key,
        Some(as_of),
        &intro("السادة شركة الأمل، نذكركم بالفواتير التالية"),
    ) {
        Err(AppError::InvalidInput(m)) => assert!(
            m.starts_with(&format!(
                "customer {key}: text before the invoices: Arabic script is not supported in letters ("
            )),
            "{m}"
        ),
        other => panic!("{:?}", other.map(|l| l.claim)),
    }
    match app.letter_pdf(&reminder("Merci et à bientôt 🙂")) {
        Err(AppError::InvalidInput(m)) => assert!(
            m.starts_with(&format!(
                "customer {key}: text after the invoices: the character “🙂” (U+1F642) is not supported in letters"
            )),
            "{m}"
        ),
        other => panic!("{:?}", other.map(|l| l.1)),
    }

    let notice = app
        .notice(
            &key,
            Some(as_of),
            &intro("Уважаемые господа, напоминаем о неоплаченных счетах."),
        )
        .unwrap();
    let (letter, _) = app.letter_pdf(&reminder("С уважением,\n\nПётр Иванов")).unwrap();
    for (pdf, name, needle) in [
        (notice.pdf, "n.pdf", "напоминаем о неоплаченных счетах."),
        (letter, "r.pdf", "Пётр Иванов"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, pdf).unwrap();
        let Ok(out) = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
        else {
            eprintln!("SKIPPED text checks: pdftotext (poppler-utils) is not installed");
            return;
        };
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(needle), "{text}");
    }
}
