//! The app crate as its callers see it: typed errors that serialize as {code, message}, and reports as of a date.

use chrono::NaiveDate;
use encaisse_app::DemoOptions;
use encaisse_app::{parse_date, App, AppError};
use encaisse_domain::FixedClock;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

#[test]
fn errors_reach_callers_as_code_and_message() {
    let e = parse_date("--as-of", "26/11/2026").unwrap_err();
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["code"], "invalid_input");
    assert_eq!(
        v["message"],
        "--as-of: '26/11/2026' is not a date (expected YYYY-MM-DD)"
    );
}

#[test]
fn sqlite_only_a_database_from_a_newer_version_is_refused_with_its_own_code() {
    // The file's user_version (the server's schema version is the store suite's).
    if !crate::backend::sqlite_only("a_database_from_a_newer_version_is_refused_with_its_own_code") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("encaisse.db");
    drop(App::open(&path, Box::new(FixedClock(today()))).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 1000).unwrap();
    drop(conn);
    let err = App::open(&path, Box::new(FixedClock(today()))).err().unwrap();
    assert!(matches!(err, AppError::NewerDatabase(_)), "{err:?}");
    assert!(err.to_string().contains("update Encaisse"));
}

#[test]
fn reports_follow_the_as_of_date_and_validate_options() {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(today()))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(5),
        customers: Some(30),
        end: None,
        replace: None,
    })
    .unwrap();
    let now = app.aging(None).unwrap();
    let explicit = app.aging(Some(today())).unwrap();
    assert_eq!(now, explicit);
    assert!(matches!(app.dso(None, Some(0)), Err(AppError::InvalidInput(_))));
    assert!(matches!(
        app.create_demo(&DemoOptions {
            seed: None,
            customers: Some(0),
            end: None,
            replace: None,
        }),
        Err(AppError::InvalidInput(_))
    ));
    let status = app.status().unwrap();
    assert_eq!(status.customers, 30);
    assert_eq!(status.today, today());
}
