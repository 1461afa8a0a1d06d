use encaisse_domain::testing::invoice;
use encaisse_domain::{Company, Customer, LedgerLine, Terms};
use encaisse_store::{Store, StoreError};
use rust_decimal_macros::dec;

fn sample() -> (Company, Vec<Customer>, Vec<LedgerLine>) {
    let company = Company {
        name: "Acme".into(),
        siren: None,
        address: None,
        currency: "EUR".into(),
    };
    let mut c = Customer::new("C00001", "Café de la Gare");
    c.terms = Some(Terms::DaysEndOfMonth(45));
    c.credit_limit = Some(dec!(15000.50));
    let line = invoice("C00001", "2026-01-05", "F2026-00001", dec!(1234.56))
        .with_entry_num("1")
        .with_piece_date("2026-01-04")
        .with_label("Facture")
        .lettered("AA");
    (company, vec![c], vec![line])
}

#[test]
fn sqlite_only_book_round_trips_exactly_through_the_file() {
    if !crate::backend::sqlite_only("book_round_trips_exactly") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/encaisse.db");
    // A folder that does not exist is refused: a mistyped path creates nothing.
    match Store::open(&path) {
        Err(e @ encaisse_store::StoreError::NoFolder { .. }) => {
            assert!(e.to_string().contains(&path.display().to_string()), "{e}")
        }
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("opened a database in a folder that does not exist"),
    }
    assert!(!dir.path().join("sub").exists());
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let (company, customers, lines) = sample();
    {
        let mut store = Store::open(&path).unwrap();
        store.replace_with_demo(&company, &customers, &lines).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.company().unwrap(), Some(company));
    let ledger = store.ledger(None).unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].customer, customers[0]);
    assert_eq!(ledger[0].lines, lines);
}

#[test]
fn amounts_finer_than_a_cent_are_refused_and_nothing_is_written() {
    let mut store = crate::backend::store();
    let (company, customers, mut lines) = sample();
    lines[0].amount = dec!(1.001);
    let err = store.replace_with_demo(&company, &customers, &lines).unwrap_err();
    assert!(matches!(err, StoreError::Money { .. }), "{err}");
    assert_eq!(store.customer_count().unwrap(), 0);
    assert!(store.company().unwrap().is_none());
}

#[test]
fn sqlite_only_refuses_a_database_from_a_newer_version() {
    if !crate::backend::sqlite_only("refuses_a_database_from_a_newer_version") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = Store::open(&path).err().expect("newer schema must be refused");
    assert!(matches!(err, StoreError::NewerVersion { found: 99, .. }));
    assert!(err.to_string().contains("newer version of Encaisse"), "{err}");
}

#[test]
fn settings_upsert() {
    let store = crate::backend::store();
    assert_eq!(store.setting("lang").unwrap(), None);
    store.set_setting("lang", "fr").unwrap();
    store.set_setting("lang", "en").unwrap();
    assert_eq!(store.setting("lang").unwrap().as_deref(), Some("en"));
    // Only the keys that start with the prefix, by key.
    store.set_setting("user_name:anne", "Anne Martin").unwrap();
    store.set_setting("user_name:a_b", "A B").unwrap();
    store.set_setting("user_namex", "not a name").unwrap();
    assert_eq!(
        store.settings_with_prefix("user_name:").unwrap(),
        vec![
            ("user_name:a_b".to_string(), "A B".to_string()),
            ("user_name:anne".to_string(), "Anne Martin".to_string())
        ]
    );
    // A claim moves a value once: the first claim of a day wins, a second of the same day does not.
    assert!(store.claim_setting("last_run", "2026-02-20").unwrap());
    assert!(!store.claim_setting("last_run", "2026-02-20").unwrap());
    assert!(store.claim_setting("last_run", "2026-02-21").unwrap());
    assert_eq!(store.setting("last_run").unwrap().as_deref(), Some("2026-02-21"));
}
