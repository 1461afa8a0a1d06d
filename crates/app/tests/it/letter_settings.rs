//! The letters' settings and the rates table as the settings screen edits them: dated rates by half-year (newest
//! first), a new half-year's ECB rate used by the next notices, bad tables refused with the reason and nothing
//! saved, back to the built-in table; every change in the audit trail.

use chrono::NaiveDate;
use encaisse_app::letters::{LetterSettings, RateRow, RatesDto};
use encaisse_app::AppError;
use encaisse_app::DemoOptions;
use encaisse_domain::FixedClock;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn rates_are_dated_by_half_year_edited_checked_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-11-26")))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(2),
        customers: Some(30),
        end: Some(d("2026-11-26")),
        replace: None,
    })
    .unwrap();

    let builtin = app.rates().unwrap();
    assert!(builtin.builtin);
    assert!(
        builtin.ecb.windows(2).all(|w| w[0].from > w[1].from),
        "newest first"
    );
    assert!(builtin
        .ecb
        .iter()
        .any(|r| r.from == d("2016-07-01") && r.rate == "0.00"));

    // The ECB rate of the first half of 2027 is published: the user adds it.
    let mut edited = builtin.clone();
    edited.ecb.insert(
        0,
        RateRow {
            from: d("2027-01-01"),
            rate: "1,90".into(),
            confirmed: true,
        },
    );
    let saved = app.save_rates(&edited, "claire").unwrap();
    assert!(!saved.builtin);
    assert_eq!(
        saved.ecb[0],
        RateRow {
            from: d("2027-01-01"),
            rate: "1.90".into(),
            confirmed: true,
        }
    );
    assert_eq!(
        app.rates_table().unwrap().ecb_rate(d("2027-03-15")).unwrap(),
        "1.90".parse().unwrap()
    );

    // Not the first day of a half-year, twice the same half-year, not a rate: refused, nothing saved.
    for (from, rate, says) in [
        ("2027-02-01", "2.00", "1 January or 1 July"),
        ("2027-01-01", "2.00", "once each"),
        ("2027-07-01", "deux", "not a rate"),
    ] {
        let mut bad = saved.clone();
        bad.ecb.insert(
            0,
            RateRow {
                from: d(from),
                rate: rate.into(),
                confirmed: true,
            },
        );
        match app.save_rates(&bad, "claire") {
            Err(AppError::InvalidInput(m)) => assert!(m.contains(says), "{m}"),
            other => panic!("{from} {rate}: {other:?}"),
        }
        assert_eq!(app.rates().unwrap(), saved);
    }

    let reset = app.reset_rates(None, "paul").unwrap();
    let unversioned = |r: RatesDto| RatesDto { version: None, ..r };
    assert_eq!(unversioned(reset), unversioned(builtin));

    // The letters' settings, saved and audited only when they change.
    let mut settings = app.letter_settings().unwrap();
    settings.signatory_name = Some("Jeanne Morel".into());
    settings.iban = Some("FR7630006000011234567890189".into());
    let after = app.save_letter_settings(&settings, "claire").unwrap();
    assert_eq!(after.signatory_name.as_deref(), Some("Jeanne Morel"));
    // Saved again as the screen does, on the version the first save answered with.
    app.save_letter_settings(&after, "claire").unwrap();
    let refused = app.save_letter_settings(
        &LetterSettings {
            deadline_days: Some(200),
            ..settings.clone()
        },
        "claire",
    );
    assert!(matches!(refused, Err(AppError::InvalidInput(_))));

    let trail: Vec<(String, String, String)> = app
        .audit_trail(None, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "rates" || e.entity == "letter_settings")
        .map(|e| (e.user, e.entity, e.action))
        .collect();
    // The user: on a server, its login.
    let t = |u: &str, e: &str, a: &str| {
        let u = crate::backend::login(u);
        (u.to_string(), e.to_string(), a.to_string())
    };
    assert_eq!(
        trail,
        [
            t("claire", "rates", "changed"),
            t("paul", "rates", "reset"),
            t("claire", "letter_settings", "changed"),
        ]
    );
}
