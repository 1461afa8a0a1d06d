//! A promise changed after a call (new date, new amount): the chase waits for the new deadline, the change is
//! audited before and after, and a change made on an older version is refused with who changed it since.

use crate::workflow::{first_year, write_fec};
use encaisse_app::workflow::{PromiseChangeInput, PromiseInput};
use encaisse_app::{Actor, App, AppError, FecImportOptions};
use encaisse_domain::FixedClock;

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn a_promise_moved_by_a_call_holds_the_chase_until_its_new_date_and_a_stale_change_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let open = |who: &str| {
        crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2026-02-20"))))
            .unwrap()
            .with_actor(Actor::named(who))
    };
    let marie = open("marie");
    let fec = write_fec(dir.path(), "v1", &first_year());
    marie
        .import_fec(&fec, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    let promise = marie
        .add_promise(&PromiseInput {
            customer: "C2".into(),
            invoices: vec!["F3".into()],
            date: d("2026-02-21"),
            amount: "500.00".into(),
            grace_days: Some(0),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(promise.version, 0);
    let on = |app: &App, day: &str| -> bool {
        app.agenda(Some(d(day)))
            .unwrap()
            .actions
            .iter()
            .any(|a| a.customer == "C2")
    };
    assert!(on(&marie, "2026-02-25"), "the chase resumes after 02-21");

    // The customer calls back: the 6th of March. The chase now waits until then.
    let change = |version: i64, date: &str, amount: &str| PromiseChangeInput {
        id: promise.id,
        version: Some(version),
        date: d(date),
        amount: amount.into(),
        grace_days: 0,
        comment: "rappelé : virement le 6".into(),
    };
    let moved = marie.change_promise(&change(0, "2026-03-06", "500.00")).unwrap();
    assert_eq!(
        (moved.date, moved.deadline, moved.version),
        (d("2026-03-06"), d("2026-03-06"), 1)
    );
    assert!(!on(&marie, "2026-02-25"));
    assert!(on(&marie, "2026-03-09"));

    // Paul's screen still shows version 0: his change is refused, naming marie; nothing written.
    let paul = open("paul");
    match paul.change_promise(&change(0, "2026-02-27", "250.00")) {
        Err(AppError::Conflict { by, at, .. }) => {
            assert_eq!(by, "marie");
            assert_eq!(at, "00:00");
        }
        other => panic!("a stale change: {other:?}"),
    }
    let now = paul.check_promises(None, false).unwrap().promises;
    assert_eq!(
        (now[0].date, now[0].amount.as_str(), now[0].version),
        (d("2026-03-06"), "500.00", 1)
    );

    // Refused: a date before the promise was made, no amount.
    assert!(matches!(
        marie.change_promise(&change(1, "2026-02-19", "500.00")),
        Err(AppError::InvalidInput(_))
    ));
    assert!(marie.change_promise(&change(1, "2026-03-06", "0")).is_err());

    // The journal has the change, with the fields that moved.
    let trail = marie.audit_trail(None, None).unwrap();
    let changed: Vec<_> = trail
        .iter()
        .filter(|e| e.kind == encaisse_app::audit::AuditKind::PromiseChanged)
        .collect();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].user, crate::backend::login("marie"));
    assert_eq!(changed[0].facts.changed, ["date", "comment"]);
}
