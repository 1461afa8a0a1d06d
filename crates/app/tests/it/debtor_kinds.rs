//! The kind of each debtor: the category first, then the segment through the mapping of the settings, else
//! professional; the demo maps its public sector to public bodies; a bad mapping is refused and nothing changes.

use chrono::NaiveDate;
use encaisse_app::letters::{DebtorKindMapping, SegmentKind};
use encaisse_app::{App, DemoOptions};
use encaisse_domain::{DebtorKind, FixedClock};

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(today))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(1),
        customers: Some(40),
        end: Some(today),
        replace: None,
    })
    .unwrap();
    (dir, app)
}

fn segment_of(app: &App, segment: &str) -> Vec<String> {
    let mut keys: Vec<String> = app
        .customers_report(None)
        .unwrap()
        .customers
        .into_iter()
        .filter(|c| c.customer_segment.as_deref() == Some(segment))
        .map(|c| c.id)
        .collect();
    keys.sort();
    keys
}

#[test]
fn category_then_segment_mapping_then_professional() {
    let (_dir, app) = demo();
    let mapping = app.debtor_kind_mapping().unwrap();
    assert_eq!(
        mapping.segments,
        vec![SegmentKind {
            segment: "secteur_public".into(),
            kind: DebtorKind::PublicBody
        }]
    );
    let public = segment_of(&app, "secteur_public");
    assert!(!public.is_empty(), "the demo has public-sector customers");
    let kinds = app.debtor_kinds().unwrap();
    for c in &public {
        assert_eq!(kinds[c], DebtorKind::PublicBody, "{c}");
    }
    let occasional = segment_of(&app, "occasionnel");
    let first = occasional.first().expect("occasional customers").clone();
    assert_eq!(app.debtor_kind(&first).unwrap(), DebtorKind::Professional);

    // The segment mapped to private persons; one of them put in the public_body category: the category wins.
    let mut segments = mapping.segments.clone();
    segments.push(SegmentKind {
        segment: "occasionnel".into(),
        kind: DebtorKind::PrivatePerson,
    });
    app.save_debtor_kind_mapping(&DebtorKindMapping { segments }, "marie")
        .unwrap();
    assert_eq!(app.debtor_kind(&first).unwrap(), DebtorKind::PrivatePerson);
    app.set_customer_category(&first, Some("public_body")).unwrap();
    assert_eq!(app.debtor_kind(&first).unwrap(), DebtorKind::PublicBody);
    assert!(app.debtor_kind("NO-SUCH").is_err());
}

#[test]
fn a_segment_listed_twice_or_blank_is_refused_and_nothing_changes() {
    let (_dir, app) = demo();
    let before = app.debtor_kind_mapping().unwrap();
    let twice = DebtorKindMapping {
        segments: vec![
            SegmentKind {
                segment: "a".into(),
                kind: DebtorKind::PublicBody,
            },
            SegmentKind {
                segment: " a".into(),
                kind: DebtorKind::PrivatePerson,
            },
        ],
    };
    let err = app.save_debtor_kind_mapping(&twice, "marie").unwrap_err();
    assert!(err.to_string().contains("'a' is listed twice"), "{err}");
    let blank = DebtorKindMapping {
        segments: vec![SegmentKind {
            segment: " ".into(),
            kind: DebtorKind::PublicBody,
        }],
    };
    assert!(app.save_debtor_kind_mapping(&blank, "marie").is_err());
    assert_eq!(app.debtor_kind_mapping().unwrap(), before);
}

/// A hand-built ledger (30 days net), as of 1 March 2026: four customers each owing one invoice of 2,000.00 dated
/// 15 November 2025, due 15 December 2025, 76 days late (16 days of 2025 H2, 60 of 2026 H1; ECB 2.15 in both):
/// P1 a professional, B1 a public body by its category, S1 by its segment (mapped), V1 a private person.
fn kinds_ledger() -> (tempfile::TempDir, App) {
    use crate::mail::{import, E};
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-03-01")))).unwrap();
    let entries: Vec<E> = ["P1", "B1", "S1", "V1"]
        .iter()
        .zip(["FP1", "FB1", "FS1", "FV1"])
        .map(|(c, f)| E("2025-11-15", f, c, 200_000, ""))
        .collect();
    import(&app, dir.path(), "v1", &entries);
    let customers = dir.path().join("clients.csv");
    std::fs::write(
        &customers,
        "Code client;Raison sociale;Segment\nP1;Atelier Pro SARL;industrie\nB1;Mairie de Villeurbanne;\n\
         S1;Syndicat des eaux;collectivites\nV1;Jean Dupont;\n",
    )
    .unwrap();
    app.import_customers_file(&customers, &encaisse_app::TabularOptions::default())
        .unwrap();
    app.set_customer_category("B1", Some("public_body")).unwrap();
    app.set_customer_category("V1", Some("private_person")).unwrap();
    app.save_debtor_kind_mapping(
        &DebtorKindMapping {
            segments: vec![SegmentKind {
                segment: "collectivites".into(),
                kind: DebtorKind::PublicBody,
            }],
        },
        "marie",
    )
    .unwrap();
    (dir, app)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// What each kind's notice claims, by hand:
/// - P1 (L441-10): 2000 × 12.15 × 76 / 36,500 = 50.5972… → 50.60, + 40.00 = 2,090.60; ECB + 10 in each half-year.
/// - B1 and S1 (R2192-31): ECB of 2025 H2 (interest began 16 December 2025) + 8 = 10.15 % for the whole delay:
///   2000 × 10.15 × 76 / 36,500 = 42.2684… → 42.27, + 40.00 (D2192-35) = 2,082.27; one rate, from 2025 H2.
/// - V1 (civil): 2,000.00 only; the legal rate of 2026 H1 (2.62 %) runs from the notice.
#[test]
fn each_kind_of_debtor_is_claimed_what_the_law_allows() {
    use encaisse_app::letters::NoticeOptions;
    let (_dir, app) = kinds_ledger();
    let kinds = app.debtor_kinds().unwrap();
    assert_eq!(kinds["P1"], DebtorKind::Professional);
    assert_eq!(kinds["B1"], DebtorKind::PublicBody);
    assert_eq!(kinds["S1"], DebtorKind::PublicBody);
    assert_eq!(kinds["V1"], DebtorKind::PrivatePerson);
    let notice = |c: &str, o: &NoticeOptions| app.notice(c, None, o).unwrap().claim;
    let rates = |c: &encaisse_app::letters::NoticeClaim| -> Vec<(String, String, String)> {
        c.rates
            .iter()
            .map(|r| (r.from.to_string(), r.to.to_string(), r.rate.clone()))
            .collect()
    };
    let none = NoticeOptions::default();

    let p = notice("P1", &none);
    assert_eq!(
        (p.basis.as_str(), p.debtor_kind),
        ("L441-10", DebtorKind::Professional)
    );
    assert_eq!(p.invoices[0].days_late, 76);
    assert_eq!(
        (p.interest.as_str(), p.indemnities.as_str(), p.total.as_str()),
        ("50.60", "40.00", "2090.60")
    );
    assert_eq!(
        rates(&p),
        [
            ("2025-07-01".into(), "2025-12-31".into(), "12.15".into()),
            ("2026-01-01".into(), "2026-06-30".into(), "12.15".into())
        ]
    );

    for c in ["B1", "S1"] {
        let b = notice(c, &none);
        assert_eq!(
            (b.basis.as_str(), b.debtor_kind),
            ("R2192-31", DebtorKind::PublicBody),
            "{c}"
        );
        assert_eq!(
            (b.interest.as_str(), b.indemnities.as_str(), b.total.as_str()),
            ("42.27", "40.00", "2082.27"),
            "{c}"
        );
        assert_eq!(
            rates(&b),
            [("2025-07-01".into(), "2025-12-31".into(), "10.15".into())],
            "{c}: the one fixed rate and the half-year it comes from"
        );
    }

    let v = notice("V1", &none);
    assert_eq!(
        (v.basis.as_str(), v.debtor_kind),
        ("civil", DebtorKind::PrivatePerson)
    );
    assert_eq!(
        (
            v.still_due.as_str(),
            v.interest.as_str(),
            v.indemnities.as_str(),
            v.total.as_str()
        ),
        ("2000.00", "0.00", "0.00", "2000.00")
    );
    assert_eq!(v.invoices[0].indemnity, "0.00");
    assert_eq!(
        rates(&v),
        [("2026-01-01".into(), "2026-06-30".into(), "2.62".into())]
    );

    // The letter's override: one letter as from a public buyer, or a public body's as from a professional.
    let public = NoticeOptions {
        public_body: Some(true),
        ..NoticeOptions::default()
    };
    let o = notice("P1", &public);
    assert_eq!((o.basis.as_str(), o.total.as_str()), ("R2192-31", "2082.27"));
    let not_public = NoticeOptions {
        public_body: Some(false),
        ..NoticeOptions::default()
    };
    let o = notice("S1", &not_public);
    assert_eq!((o.basis.as_str(), o.total.as_str()), ("L441-10", "2090.60"));
    // A contractual rate is a professional's: a public body and a private person keep their basis.
    let contractual = NoticeOptions {
        contractual_rate: Some("15".into()),
        ..NoticeOptions::default()
    };
    assert_eq!(notice("P1", &contractual).rates[0].rate, "15.00");
    assert_eq!(notice("B1", &contractual).total, "2082.27");
    assert_eq!(notice("V1", &contractual).total, "2000.00");
    // The customer file shows the kind.
    assert_eq!(
        app.customer_file("S1", None).unwrap().debtor_kind,
        DebtorKind::PublicBody
    );
}
