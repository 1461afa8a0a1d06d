//! The kind of each debtor: the category first, then the segment through the mapping of the settings, else
//! professional; the demo maps its public sector to public bodies; a bad mapping is refused and nothing changes.

use chrono::NaiveDate;
use encaisse_app::letters::{DebtorKindMapping, SegmentKind};
use encaisse_app::{App, DemoOptions};
use encaisse_domain::{DebtorKind, FixedClock};

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let app = App::open(&dir.path().join("e.db"), Box::new(FixedClock(today))).unwrap();
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
