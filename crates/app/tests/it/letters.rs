//! Letters through the app: the formal notice of a demo customer recomputed by hand from its aged balance, the
//! settings it reads, the public-body rate from the customer's category, and the printable aged balance.

use chrono::NaiveDate;
use encaisse_app::letters::{LetterSettings, NoticeOptions};
use encaisse_app::DemoOptions;
use encaisse_app::{App, AppError};
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-11-26")))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(d("2026-11-26")),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// The customer with the most money past due at the date.
fn latest_debtor(app: &App, as_of: NaiveDate) -> String {
    let aging = app.aging(Some(as_of)).unwrap();
    aging
        .customers
        .iter()
        .max_by_key(|c| c.buckets.iter().skip(1).map(|b| dec(b)).sum::<Decimal>())
        .unwrap()
        .id
        .clone()
}

#[test]
fn the_notice_claims_every_late_invoice_with_its_penalties() {
    let (_dir, app) = demo();
    let as_of = d("2026-11-26");
    let customer = latest_debtor(&app, as_of);
    let letter = app
        .notice(&customer, Some(as_of), &NoticeOptions::default())
        .unwrap();
    let c = &letter.claim;
    assert_eq!(c.customer, customer);
    assert_eq!(c.deadline_days, 8, "8 days by default");
    assert!(!c.invoices.is_empty());
    // By hand, for each invoice: days = as-of − due date; interest = still due × rate × days / 365 over the
    // half-years (2025 H2, 2026 H1 and H2 are all at 12.15 %; 2025 H1 at 13.15 %), rounded half-up.
    let mut interest = Decimal::ZERO;
    for inv in &c.invoices {
        let days = (as_of - inv.due_date).num_days();
        assert_eq!(i64::from(inv.days_late), days);
        assert!(days > 0);
        let mut acc = Decimal::ZERO;
        let mut day = inv.due_date.succ_opt().unwrap();
        while day <= as_of {
            let rate = if day < d("2025-07-01") {
                dec("13.15")
            } else {
                dec("12.15")
            };
            assert!(day >= d("2025-01-01"), "the demo's invoices are recent");
            acc += dec(&inv.still_due) * rate;
            day = day.succ_opt().unwrap();
        }
        let expected = (acc / dec("36500"))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        assert_eq!(dec(&inv.interest), expected, "{}", inv.number);
        assert_eq!(inv.indemnity, "40.00");
        interest += expected;
    }
    let still_due: Decimal = c.invoices.iter().map(|i| dec(&i.still_due)).sum();
    assert_eq!(dec(&c.still_due), still_due);
    assert_eq!(dec(&c.interest), interest);
    assert_eq!(dec(&c.indemnities), Decimal::from(40 * c.invoices.len() as i64));
    assert_eq!(dec(&c.total), still_due + interest + dec(&c.indemnities));
    // The overdue buckets of the aged balance hold exactly the claimed amounts.
    let aging = app.aging(Some(as_of)).unwrap();
    let row = aging.customers.iter().find(|r| r.id == customer).unwrap();
    assert_eq!(
        row.buckets.iter().skip(1).map(|b| dec(b)).sum::<Decimal>(),
        still_due
    );
    assert!(c.rates.iter().all(|r| r.rate == "12.15" || r.rate == "13.15"));
    assert!(letter.pdf.starts_with(b"%PDF-"));
    // The only warning: 2026 H2's ECB rate is shipped to confirm.
    assert_eq!(letter.warnings.len(), 1, "{:?}", letter.warnings);
    assert!(letter.warnings[0].contains("2026-07-01 is not confirmed"));
    // Same data, same bytes.
    let again = app
        .notice(&customer, Some(as_of), &NoticeOptions::default())
        .unwrap();
    assert_eq!(again.pdf, letter.pdf);
}

#[test]
fn settings_public_body_and_contractual_rate_change_the_claim() {
    let (_dir, app) = demo();
    let as_of = d("2026-11-26");
    let customer = latest_debtor(&app, as_of);
    // The demo company's legal mentions, nothing else.
    let unversioned = |s: LetterSettings| LetterSettings { version: None, ..s };
    assert_eq!(
        unversioned(app.letter_settings().unwrap()),
        LetterSettings {
            legal_form: Some("SAS".into()),
            share_capital: Some("150000".into()),
            rcs_city: Some("Lyon".into()),
            ..LetterSettings::default()
        }
    );
    let settings = LetterSettings {
        deadline_days: Some(15),
        place: Some("Villeurbanne".into()),
        signatory_name: Some("Élodie Marchand".into()),
        signatory_title: Some("DAF".into()),
        account_holder: None,
        iban: Some("FR7630006000011234567890189".into()),
        bic: Some("AGRIFRPP".into()),
        contractual_rate: None,
        legal_form: Some("SARL".into()),
        share_capital: Some("7 500,50".into()),
        rcs_city: Some("Villefranche-sur-Saône".into()),
        version: None,
    };
    app.set_letter_settings(&settings).unwrap();
    assert_eq!(unversioned(app.letter_settings().unwrap()), settings);
    let statutory = app
        .notice(&customer, Some(as_of), &NoticeOptions::default())
        .unwrap();
    assert_eq!(statutory.claim.deadline_days, 15);

    let public = NoticeOptions {
        public_body: Some(true),
        ..Default::default()
    };
    let p = app.notice(&customer, Some(as_of), &public).unwrap();
    assert!(
        p.claim
            .rates
            .iter()
            .all(|r| r.rate == "10.15" || r.rate == "11.15"),
        "{:?}",
        p.claim.rates
    );
    assert!(dec(&p.claim.interest) < dec(&statutory.claim.interest));

    let low = NoticeOptions {
        contractual_rate: Some("5".into()),
        ..Default::default()
    };
    let c = app.notice(&customer, Some(as_of), &low).unwrap();
    assert!(c.claim.rates.iter().all(|r| r.rate == "5.00"));
    assert!(!c.warnings.is_empty(), "5 % is below 3 × the legal interest rate");

    let bad = LetterSettings {
        contractual_rate: Some("abc".into()),
        ..Default::default()
    };
    assert!(matches!(
        app.set_letter_settings(&bad),
        Err(AppError::InvalidInput(_))
    ));
    assert!(matches!(
        app.set_rates_table("{}"),
        Err(AppError::InvalidInput(_))
    ));
}

#[test]
fn unknown_customer_nothing_late_and_rates_missing_are_errors() {
    let (_dir, app) = demo();
    let e = app.notice("NOPE", None, &NoticeOptions::default()).unwrap_err();
    assert!(matches!(e, AppError::InvalidInput(m) if m.contains("NOPE")));
    // Before the demo's first invoice, nothing is late.
    let customer = latest_debtor(&app, d("2026-11-26"));
    let e = app
        .notice(&customer, Some(d("2020-01-01")), &NoticeOptions::default())
        .unwrap_err();
    assert!(matches!(e, AppError::InvalidInput(m) if m.contains("past due")));
    // A table without the half-years of the delay.
    app.set_rates_table(r#"{"ecb":[{"from":"2020-01-01","rate":"0"}],"legal_interest":[]}"#)
        .unwrap();
    let e = app
        .notice(&customer, Some(d("2026-11-26")), &NoticeOptions::default())
        .unwrap_err();
    assert!(matches!(e, AppError::InvalidInput(m) if m.contains("ECB rate")));
}

#[test]
fn the_aged_balance_prints() {
    let (_dir, app) = demo();
    let pdf = app.aging_report_pdf(Some(d("2026-11-26"))).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(pdf, app.aging_report_pdf(Some(d("2026-11-26"))).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let empty =
        crate::backend::open(&dir.path().join("x.db"), Box::new(FixedClock(d("2026-11-26")))).unwrap();
    assert!(matches!(empty.aging_report_pdf(None), Err(AppError::NoData(_))));
}

#[test]
fn a_batch_holds_each_customers_notice() {
    let (_dir, app) = demo();
    let as_of = d("2026-11-26");
    let aging = app.aging(Some(as_of)).unwrap();
    let late: Vec<String> = aging
        .customers
        .iter()
        .filter(|c| c.buckets.iter().skip(1).any(|b| dec(b) > Decimal::ZERO))
        .take(5)
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(late.len(), 5);
    let (pdf, claims) = app
        .notices_pdf(&late, Some(as_of), &NoticeOptions::default())
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    for (id, claim) in late.iter().zip(&claims) {
        let one = app.notice(id, Some(as_of), &NoticeOptions::default()).unwrap();
        assert_eq!(&one.claim, claim);
    }
    let e = app.notices_pdf(&["NOPE".to_string()], Some(as_of), &NoticeOptions::default());
    assert!(e.is_err());
}

#[test]
fn a_batch_on_several_threads_is_byte_identical_to_the_batch_on_one() {
    let (_dir, app) = demo();
    // Bank details: each notice draws its SEPA QR code, the costliest part of the layout.
    app.set_letter_settings(&LetterSettings {
        iban: Some("FR7630006000011234567890189".into()),
        bic: Some("AGRIFRPP".into()),
        ..app.letter_settings().unwrap()
    })
    .unwrap();
    let as_of = d("2026-11-26");
    let aging = app.aging(Some(as_of)).unwrap();
    let late: Vec<String> = aging
        .customers
        .iter()
        .filter(|c| c.buckets.iter().skip(1).any(|b| dec(b) > Decimal::ZERO))
        .map(|c| c.id.clone())
        .collect();
    assert!(late.len() >= 5, "{late:?}");
    // 34 letters, the late customers in turn: more than a part of the file (32 letters), each thread taking
    // several letters, in any order.
    let ids: Vec<String> = late.iter().cycle().take(34).cloned().collect();
    let options = NoticeOptions::default();
    let threads = |n: usize| std::num::NonZeroUsize::new(n).unwrap();
    let (one, claims) = app
        .notices_pdf_on(&ids, Some(as_of), &options, threads(1))
        .unwrap();
    let (pdf, parallel_claims) = app
        .notices_pdf_on(&ids, Some(as_of), &options, threads(3))
        .unwrap();
    assert!(
        pdf == one,
        "3 threads: the PDF differs from the one written on a single thread"
    );
    assert_eq!(parallel_claims, claims);
    assert_eq!(
        claims.iter().map(|c| c.customer.clone()).collect::<Vec<_>>(),
        ids,
        "the claims in the order asked"
    );
    // The order is kept: the same letters the other way round make another file.
    let reversed: Vec<String> = ids.iter().rev().cloned().collect();
    let (other, _) = app
        .notices_pdf_on(&reversed, Some(as_of), &options, threads(2))
        .unwrap();
    assert!(other != one);
    // A letter that cannot be written: the first in the list is named, whatever thread met it first.
    let mut wrong = ids.clone();
    wrong[30] = "NOPE-LATE".into();
    wrong[3] = "NOPE-EARLY".into();
    let e = app
        .notices_pdf_on(&wrong, Some(as_of), &options, threads(2))
        .unwrap_err();
    assert!(
        matches!(&e, AppError::InvalidInput(m) if m.contains("NOPE-EARLY")),
        "{e:?}"
    );
}

#[test]
fn invalid_bank_details_are_refused_when_saved_and_when_a_letter_would_print_them() {
    let (dir, app) = demo();
    // The demo's own settings (its letterhead's legal mentions): a refused save leaves them as they are.
    let before = app.letter_settings().unwrap();
    // The issue's case: an IBAN far too short for France, a BIC of two letters.
    for (iban, bic, word) in [
        (Some("FR76 1234 5678"), None, "IBAN"),
        // One digit changed: the mod-97 check fails.
        (Some("FR76 3000 6000 0112 3456 7890 188"), None, "IBAN"),
        (None, Some("XX"), "BIC"),
    ] {
        let bad = LetterSettings {
            iban: iban.map(str::to_string),
            bic: bic.map(str::to_string),
            ..Default::default()
        };
        let e = app.save_letter_settings(&bad, "test").unwrap_err();
        assert!(
            matches!(&e, AppError::InvalidInput(m) if m.contains(word) && m.contains("Letters and rates")),
            "{e:?}"
        );
        assert_eq!(app.letter_settings().unwrap(), before, "nothing saved");
    }
    // A valid one is kept normalised: no spaces, upper case.
    let good = LetterSettings {
        iban: Some("fr76 3000 6000 0112 3456 7890 189".into()),
        bic: Some("agrifrpp".into()),
        ..Default::default()
    };
    let saved = app.save_letter_settings(&good, "test").unwrap();
    assert_eq!(saved.iban.as_deref(), Some("FR7630006000011234567890189"));
    assert_eq!(saved.bic.as_deref(), Some("AGRIFRPP"));

    // A value saved before bank details were checked: the notice and the emails refuse it, naming the screen.
    crate::common::execute(
        &dir.path().join("e.db"),
        "UPDATE setting SET value = ?1 WHERE key = 'letters'",
        &[r#"{"iban":"FR76 1234 5678","bic":"XX"}"#],
    );
    let customer = latest_debtor(&app, d("2026-11-26"));
    let e = app
        .notice(&customer, None, &NoticeOptions::default())
        .unwrap_err();
    assert!(
        matches!(&e, AppError::InvalidInput(m) if m.contains("'FR76 1234 5678' is not a valid IBAN")
            && m.contains("Settings, Letters and rates")),
        "{e:?}"
    );
    let e = app
        .preview_email(&encaisse_app::mail::PreviewRequest {
            customer,
            template: None,
            as_of: None,
            lang: None,
            subject: None,
            body: None,
        })
        .unwrap_err();
    assert!(
        matches!(&e, AppError::InvalidInput(m) if m.contains("IBAN")),
        "{e:?}"
    );
}

/// The built-in table ships 2026 H2's ECB rate to confirm: a notice whose delay runs into 2026 H2 lists it in
/// `rates_to_confirm` (and warns); once marked confirmed in the settings, the list is empty (but present). The
/// settings show the legal interest rates from 2023 H1 in both columns.
#[test]
fn a_notice_lists_the_half_years_whose_rate_is_to_confirm() {
    let (_dir, app) = demo();
    let as_of = d("2026-11-26");
    let rates = app.rates().unwrap();
    let row = |list: &[encaisse_app::letters::RateRow], from: &str| {
        let r = list.iter().find(|r| r.from == d(from)).unwrap();
        (r.rate.clone(), r.confirmed)
    };
    assert_eq!(row(&rates.ecb, "2026-07-01"), ("2.15".into(), false));
    assert_eq!(row(&rates.ecb, "2026-01-01"), ("2.15".into(), true));
    assert_eq!(row(&rates.legal_interest, "2023-01-01"), ("2.06".into(), true));
    assert_eq!(row(&rates.legal_interest, "2026-01-01"), ("2.62".into(), true));
    assert_eq!(
        row(&rates.legal_interest_individuals, "2023-01-01"),
        ("4.47".into(), true)
    );
    assert_eq!(
        row(&rates.legal_interest_individuals, "2024-07-01"),
        ("8.16".into(), true)
    );
    assert_eq!(
        rates.legal_interest.last().unwrap().from,
        d("2023-01-01"),
        "oldest last"
    );

    let customer = latest_debtor(&app, as_of);
    let letter = app
        .notice(&customer, Some(as_of), &NoticeOptions::default())
        .unwrap();
    assert_eq!(letter.claim.rates_to_confirm, [d("2026-07-01")]);
    let json = serde_json::to_value(&letter.claim).unwrap();
    assert_eq!(json["rates_to_confirm"], serde_json::json!(["2026-07-01"]));
    assert!(
        letter
            .warnings
            .iter()
            .any(|w| w.contains("2026-07-01 is not confirmed") && w.contains("Settings → Lettres et taux")),
        "{:?}",
        letter.warnings
    );

    let mut edited = rates.clone();
    edited
        .ecb
        .iter_mut()
        .find(|r| r.from == d("2026-07-01"))
        .unwrap()
        .confirmed = true;
    let saved = app.save_rates(&edited, "claire").unwrap();
    assert!(saved.ecb.iter().all(|r| r.confirmed));
    let letter = app
        .notice(&customer, Some(as_of), &NoticeOptions::default())
        .unwrap();
    assert!(letter.claim.rates_to_confirm.is_empty());
    let json = serde_json::to_value(&letter.claim).unwrap();
    assert_eq!(json["rates_to_confirm"], serde_json::json!([]));
    assert!(!letter.warnings.iter().any(|w| w.contains("not confirmed")));
}
