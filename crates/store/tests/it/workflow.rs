//! The workflow's records: what users record hangs off customer keys and invoice ids, survives re-imports of the
//! ledger, refuses invoices of another customer, and goes away with the demo company only.

use encaisse_domain::collections::{
    ActionKind, AssignBy, Channel, Department, DisputeKind, Outcome, PromiseStatus, Scenario,
};
use encaisse_domain::testing::{d, invoice, payment};
use encaisse_domain::{Company, Customer, LedgerLine};
use encaisse_store::workflow::{Attached, Edit, NewAction, NewDispute, NewPromise};
use encaisse_store::{LedgerImport, Store, StoreError};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// An invoice (amount > 0) or a payment, lettered on 2026-03-01 when `letter` is given.
/// Who changes something, at what time, without a version to check (what the CLI does).
const LUC: Edit<'static> = Edit {
    version: None,
    by: "luc",
    at: "10:05",
};
const ANA: Edit<'static> = Edit {
    version: None,
    by: "ana",
    at: "10:07",
};

fn line(customer: &str, date: &str, piece: &str, amount: Decimal, letter: Option<&str>) -> LedgerLine {
    let line = if amount > Decimal::ZERO {
        invoice(customer, date, piece, amount)
    } else {
        payment(customer, date, piece, -amount)
    };
    match letter {
        Some(code) => line.lettered_on(code, "2026-03-01"),
        None => line,
    }
}

fn customers() -> Vec<Customer> {
    vec![
        Customer::new("C1", "Café de la Gare"),
        Customer::new("C2", "Boulangerie Paul"),
    ]
}

fn import(store: &mut Store, hash: &str, lines: &[LedgerLine]) -> encaisse_store::ImportChanges {
    let customers = customers();
    store
        .import_ledger(
            &LedgerImport {
                source: "fec",
                file_name: "123456789FEC20261231.txt",
                content_hash: hash,
                siren: Some("123456789"),
                fiscal_year: Some(d("2026-01-01")),
                period: Some((d("2026-01-01"), d("2026-12-31"))),
                customers: &customers,
                lines,
                default_terms: None,
                today: d("2026-03-10"),
            },
            false,
        )
        .unwrap()
}

fn first_ledger() -> Vec<LedgerLine> {
    vec![
        line("C1", "2026-01-05", "F1", dec!(100), None),
        line("C1", "2026-01-20", "F2", dec!(250.40), None),
        line("C2", "2026-01-07", "F3", dec!(80), None),
    ]
}

fn id_of(store: &Store, customer: &str, piece: &str) -> i64 {
    store.invoice_id(customer, piece).unwrap().unwrap()
}

fn action<'a>(customer: &'a str, invoice_ids: &'a [i64]) -> NewAction<'a> {
    NewAction {
        customer_key: customer,
        kind: ActionKind::Call,
        done_on: d("2026-03-02"),
        user: "marie",
        scenario_id: Some("default"),
        step_id: Some("reminder_2"),
        outcome: Some(Outcome::Promise),
        next_action_on: Some(d("2026-03-12")),
        template_id: None,
        recipient: None,
        subject: None,
        body: "Promet de payer le 10",
        invoice_ids,
        document: None,
        payment_reference: None,
    }
}

#[test]
fn actions_promises_disputes_round_trip_and_filter_by_customer_and_invoice() {
    let mut store = crate::backend::store();
    import(&mut store, "h1", &first_ledger());
    let (f1, f2, f3) = (
        id_of(&store, "C1", "F1"),
        id_of(&store, "C1", "F2"),
        id_of(&store, "C2", "F3"),
    );

    let a1 = store.add_action(&action("C1", &[f1, f2])).unwrap();
    let mut note = action("C1", &[]);
    note.kind = ActionKind::Note;
    note.step_id = None;
    note.scenario_id = None;
    note.outcome = None;
    note.body = "Client en vacances";
    note.done_on = d("2026-03-01");
    let a2 = store.add_action(&note).unwrap();
    let a3 = store.add_action(&action("C2", &[f3])).unwrap();

    let all = store.actions(Attached::All).unwrap();
    assert_eq!(
        all.iter().map(|a| a.id).collect::<Vec<_>>(),
        [a2, a1, a3],
        "by date"
    );
    let c1 = store.actions(Attached::Customer("C1")).unwrap();
    assert_eq!(c1.len(), 2);
    let got = &c1[1];
    assert_eq!(got.kind, ActionKind::Call);
    assert_eq!(got.outcome, Some(Outcome::Promise));
    assert_eq!(got.step_id.as_deref(), Some("reminder_2"));
    assert_eq!(got.next_action_on, Some(d("2026-03-12")));
    assert_eq!(got.invoice_ids, [f1, f2]);
    assert_eq!(got.user, "marie");
    let on_f2 = store.actions(Attached::Invoice(f2)).unwrap();
    assert_eq!(on_f2.iter().map(|a| a.id).collect::<Vec<_>>(), [a1]);

    let p = store
        .add_promise(&NewPromise {
            customer_key: "C1",
            made_on: d("2026-03-02"),
            promised_on: d("2026-03-10"),
            amount: dec!(350.40),
            grace_days: 3,
            action_id: Some(a1),
            user: "marie",
            comment: "",
            invoice_ids: &[f1, f2],
        })
        .unwrap();
    let promises = store.promises(Attached::Invoice(f1)).unwrap();
    assert_eq!(promises.len(), 1);
    assert_eq!(promises[0].id, p);
    assert_eq!(promises[0].amount, dec!(350.40));
    assert_eq!(promises[0].status, PromiseStatus::Running);
    assert_eq!(promises[0].rule().deadline(), d("2026-03-13"));
    assert!(store
        .set_promise_status(p, PromiseStatus::Kept, d("2026-03-11"))
        .unwrap());
    let again = &store.promises(Attached::Customer("C1")).unwrap()[0];
    assert_eq!(
        (again.status, again.status_on),
        (PromiseStatus::Kept, Some(d("2026-03-11")))
    );
    assert!(store.promises(Attached::Customer("C2")).unwrap().is_empty());

    let x = store
        .open_dispute(&NewDispute {
            customer_key: "C2",
            kind: DisputeKind::Quantity,
            department: Department::Logistics,
            opened_on: d("2026-03-03"),
            amount: dec!(80),
            user: "paul",
            comment: "2 palettes manquantes",
            invoice_ids: &[f3],
        })
        .unwrap();
    store
        .add_dispute_comment(x, d("2026-03-05"), "luc", "Bon de livraison signé retrouvé")
        .unwrap();
    let err = store.close_dispute(x, d("2026-03-02"), "", &LUC).unwrap_err();
    assert!(err.to_string().contains("cannot be closed"), "{err}");
    store
        .close_dispute(x, d("2026-03-08"), "avoir de 20 €", &LUC)
        .unwrap();
    // Closed twice (two collectors at once): the second is told who closed it and when.
    match store.close_dispute(x, d("2026-03-09"), "", &ANA).unwrap_err() {
        StoreError::Conflict { by, at, .. } => assert_eq!((by.as_str(), at.as_str()), ("luc", "10:05")),
        other => panic!("{other}"),
    }
    let disputes = store.disputes(Attached::Invoice(f3)).unwrap();
    assert_eq!(disputes.len(), 1);
    let got = &disputes[0];
    assert_eq!(
        (got.kind, got.department),
        (DisputeKind::Quantity, Department::Logistics)
    );
    assert_eq!(got.closed_on, Some(d("2026-03-08")));
    assert_eq!(got.resolution, "avoir de 20 €");
    assert_eq!(
        got.comments.iter().map(|c| c.body.as_str()).collect::<Vec<_>>(),
        ["2 palettes manquantes", "Bon de livraison signé retrouvé"]
    );
    assert!(!got.rule().open_on(d("2026-03-08")));
    assert!(store.disputes(Attached::Customer("C1")).unwrap().is_empty());
}

#[test]
fn records_refuse_invoices_of_another_customer_and_unknown_customers() {
    let mut store = crate::backend::store();
    import(&mut store, "h1", &first_ledger());
    let f3 = id_of(&store, "C2", "F3");
    let err = store.add_action(&action("C1", &[f3])).unwrap_err();
    assert!(
        matches!(err, StoreError::Refused(ref m) if m.contains("belongs to customer C2")),
        "{err}"
    );
    assert!(
        store.actions(Attached::All).unwrap().is_empty(),
        "nothing half-written"
    );
    let err = store.add_action(&action("C9", &[])).unwrap_err();
    assert!(err.to_string().contains("no customer with key C9"), "{err}");
    let err = store.add_action(&action("C1", &[987_654])).unwrap_err();
    assert!(err.to_string().contains("no invoice with id 987654"), "{err}");
    let promise = NewPromise {
        customer_key: "C2",
        made_on: d("2026-03-02"),
        promised_on: d("2026-03-10"),
        amount: dec!(0),
        grace_days: 0,
        action_id: None,
        user: "",
        comment: "",
        invoice_ids: &[f3],
    };
    assert!(store.add_promise(&promise).is_err(), "zero amount");
    assert!(
        store
            .add_promise(&NewPromise {
                amount: dec!(1.001),
                ..promise.clone()
            })
            .is_err(),
        "finer than a cent"
    );
    assert!(
        store
            .add_promise(&NewPromise {
                amount: dec!(10),
                invoice_ids: &[],
                ..promise
            })
            .is_err(),
        "no invoice"
    );
}

/// What users attach to an invoice survives a re-import of the same year.
#[test]
fn reimport_keeps_actions_promises_and_disputes_attached() {
    let mut store = crate::backend::store();
    import(&mut store, "h1", &first_ledger());
    let (f1, f2) = (id_of(&store, "C1", "F1"), id_of(&store, "C1", "F2"));
    store.add_action(&action("C1", &[f1, f2])).unwrap();
    store
        .add_promise(&NewPromise {
            customer_key: "C1",
            made_on: d("2026-03-02"),
            promised_on: d("2026-03-10"),
            amount: dec!(100),
            grace_days: 3,
            action_id: None,
            user: "",
            comment: "",
            invoice_ids: &[f1],
        })
        .unwrap();
    store
        .open_dispute(&NewDispute {
            customer_key: "C1",
            kind: DisputeKind::Price,
            department: Department::Sales,
            opened_on: d("2026-03-03"),
            amount: dec!(250.40),
            user: "",
            comment: "",
            invoice_ids: &[f2],
        })
        .unwrap();
    // The updated file: F1 paid and lettered, a new invoice F4; lines in another order.
    let mut updated = first_ledger();
    updated[0].letter = Some("AA".into());
    updated[0].letter_date = Some(d("2026-03-01"));
    updated.push(line("C1", "2026-03-01", "VIR1", dec!(-100), Some("AA")));
    updated.push(line("C1", "2026-02-15", "F4", dec!(40), None));
    updated.reverse();
    let changes = import(&mut store, "h2", &updated);
    assert_eq!(
        (
            changes.invoices_kept,
            changes.invoices_added,
            changes.invoices_missing
        ),
        (3, 1, 0)
    );
    assert_eq!(id_of(&store, "C1", "F1"), f1);
    assert_eq!(id_of(&store, "C1", "F2"), f2);
    assert_eq!(store.promises(Attached::Invoice(f1)).unwrap().len(), 1);
    assert_eq!(store.disputes(Attached::Invoice(f2)).unwrap().len(), 1);
    assert_eq!(store.actions(Attached::Invoice(f2)).unwrap().len(), 1);
    // The same file again: nothing changes.
    assert!(import(&mut store, "h2", &updated).unchanged);
    assert_eq!(store.promises(Attached::All).unwrap()[0].invoice_ids, [f1]);
}

#[test]
fn scenarios_round_trip_assignments_and_overrides() {
    let mut store = crate::backend::store();
    import(&mut store, "h1", &first_ledger());
    assert!(store.scenarios().unwrap().is_empty());
    let mut short = Scenario::standard();
    short.id = "short".into();
    short.name = "Mauvais payeurs".into();
    short
        .steps
        .retain(|s| s.id != "pre_reminder" && s.id != "reminder_2");
    short.steps[0].channels = vec![Channel::Email, Channel::SmsTask];
    store.save_scenario(&short, d("2026-03-01"), &LUC).unwrap();
    store.save_scenario(&short, d("2026-03-02"), &LUC).unwrap();
    // Saved on the version read: the first of two saves made on version 2 goes through, the second is refused.
    let read = Edit {
        version: Some(2),
        ..ANA
    };
    store.save_scenario(&short, d("2026-03-02"), &read).unwrap();
    match store.save_scenario(
        &short,
        d("2026-03-02"),
        &Edit {
            version: Some(2),
            ..LUC
        },
    ) {
        Err(StoreError::Conflict { by, at, .. }) => assert_eq!((by.as_str(), at.as_str()), ("ana", "10:07")),
        other => panic!("{other:?}"),
    }
    assert_eq!(store.scenarios().unwrap(), [short.clone()]);

    let mut bad = short.clone();
    bad.steps.reverse();
    assert!(matches!(
        store.save_scenario(&bad, d("2026-03-02"), &LUC),
        Err(StoreError::Refused(_))
    ));
    assert_eq!(store.scenarios().unwrap(), [short]);

    store
        .assign_scenario(AssignBy::Segment, "pme", Some("short"))
        .unwrap();
    store
        .assign_scenario(AssignBy::Category, "public_body", Some("default"))
        .unwrap();
    assert!(store
        .assign_scenario(AssignBy::Segment, "x", Some("nope"))
        .is_err());
    let a = store.scenario_assignments().unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(
        (a[1].by, a[1].value.as_str(), a[1].scenario_id.as_str()),
        (AssignBy::Segment, "pme", "short")
    );
    store.assign_scenario(AssignBy::Segment, "pme", None).unwrap();
    assert_eq!(store.scenario_assignments().unwrap().len(), 1);

    store.set_customer_scenario("C1", Some("short")).unwrap();
    store
        .set_customer_paused("C1", true, "redressement judiciaire")
        .unwrap();
    store.set_customer_paused("C2", true, "").unwrap();
    store.set_customer_paused("C2", false, "").unwrap();
    let cd = store.customer_dunning().unwrap();
    assert_eq!(cd.len(), 2);
    assert_eq!(
        cd[0].scenario_id.as_deref(),
        Some("short"),
        "pausing kept the override"
    );
    assert!(cd[0].paused && !cd[1].paused);
    assert_eq!(cd[0].pause_reason, "redressement judiciaire");
    assert!(store.set_customer_paused("C9", true, "").is_err());
}

#[test]
fn the_demo_company_has_invoice_identities_and_its_records_go_with_it() {
    let mut store = crate::backend::store();
    let company = Company {
        name: "Demo".into(),
        siren: None,
        address: None,
        currency: "EUR".into(),
    };
    let lines = first_ledger();
    store.replace_with_demo(&company, &customers(), &lines).unwrap();
    let invoices = store.invoices(None).unwrap();
    assert_eq!(
        invoices
            .iter()
            .map(|i| (i.customer_key.as_str(), i.piece_ref.as_str(), i.amount))
            .collect::<Vec<_>>(),
        [
            ("C1", "F1", dec!(100)),
            ("C1", "F2", dec!(250.40)),
            ("C2", "F3", dec!(80))
        ]
    );
    assert_eq!(invoices[0].invoice_date, d("2026-01-05"));
    let f1 = id_of(&store, "C1", "F1");
    store.add_action(&action("C1", &[f1])).unwrap();
    store.set_customer_paused("C1", true, "").unwrap();
    // A new demo company (and the first import) replaces everything, the records with it.
    store.replace_with_demo(&company, &customers(), &lines).unwrap();
    assert!(store.actions(Attached::All).unwrap().is_empty());
    assert!(store.customer_dunning().unwrap().is_empty());
    let f1 = id_of(&store, "C1", "F1");
    store.add_action(&action("C1", &[f1])).unwrap();
    import(&mut store, "h1", &first_ledger());
    assert!(store.actions(Attached::All).unwrap().is_empty());
    assert_eq!(store.invoices(Some("C2")).unwrap().len(), 1);
}

#[test]
fn a_document_sent_is_kept_once_by_its_hash_and_named_by_its_action() {
    use encaisse_store::documents::{sha256_hex, NewDocument};
    let mut store = crate::backend::store();
    import(&mut store, "h1", &first_ledger());
    let f1 = [id_of(&store, "C1", "F1")];
    let pdf = b"%PDF-1.7 a letter".to_vec();
    let mut sent = action("C1", &f1);
    sent.kind = ActionKind::Letter;
    sent.outcome = None;
    sent.document = Some(NewDocument {
        media_type: "application/pdf",
        bytes: &pdf,
        created_on: d("2026-03-02"),
    });
    let a1 = store.add_action(&sent).unwrap();
    // The same bytes sent again: one document, two actions naming it.
    let a2 = store.add_action(&sent).unwrap();
    let a3 = store.add_action(&action("C1", &f1)).unwrap();
    let by_id: std::collections::HashMap<i64, Option<String>> = store
        .actions(Attached::Customer("C1"))
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.document_sha256))
        .collect();
    let hash = sha256_hex(&pdf);
    assert_eq!(by_id[&a1].as_deref(), Some(hash.as_str()));
    assert_eq!(by_id[&a2].as_deref(), Some(hash.as_str()));
    assert_eq!(by_id[&a3], None);
    let kept = store.document(&hash).unwrap().unwrap();
    assert_eq!(
        (kept.media_type.as_str(), kept.bytes, kept.created_on),
        ("application/pdf", pdf, d("2026-03-02"))
    );
    assert_eq!(store.document(&"0".repeat(64)).unwrap(), None);
}

#[test]
fn a_payment_reference_is_recorded_on_its_action_and_issued_once_per_customer() {
    let mut store = crate::backend::store();
    import(&mut store, "h1", &first_ledger());
    let f1 = [id_of(&store, "C1", "F1")];
    let f3 = [id_of(&store, "C2", "F3")];
    let mut sent = action("C1", &f1);
    sent.kind = ActionKind::Letter;
    sent.payment_reference = Some("RF45C1");
    let a1 = store.add_action(&sent).unwrap();
    // Sent again: the same reference, still one row.
    store.add_action(&sent).unwrap();
    let a3 = store.add_action(&action("C1", &f1)).unwrap();
    let refs: std::collections::HashMap<i64, Option<String>> = store
        .actions(Attached::Customer("C1"))
        .unwrap()
        .into_iter()
        .map(|a| (a.id, a.payment_reference))
        .collect();
    assert_eq!(refs[&a1].as_deref(), Some("RF45C1"));
    assert_eq!(refs[&a3], None);
    assert_eq!(
        store.payment_references().unwrap(),
        vec![("C1".to_string(), "RF45C1".to_string())]
    );
    assert_eq!(store.payment_reference("C1").unwrap().as_deref(), Some("RF45C1"));
    assert_eq!(store.payment_reference("C2").unwrap(), None);
    assert_eq!(
        store.payment_reference_holder("RF45C1").unwrap().as_deref(),
        Some("C1")
    );
    // Another reference for C1, or C1's for C2: refused, nothing written.
    let mut other = action("C1", &f1);
    other.payment_reference = Some("RF18C1X");
    assert!(matches!(store.add_action(&other), Err(StoreError::Refused(_))));
    let mut taken = action("C2", &f3);
    taken.payment_reference = Some("RF45C1");
    assert!(matches!(store.add_action(&taken), Err(StoreError::Refused(_))));
    assert_eq!(store.actions(Attached::All).unwrap().len(), 3);
    assert_eq!(store.payment_references().unwrap().len(), 1);
}

#[test]
fn portfolios_keep_rules_and_customers_given_by_hand_and_move_them_in_one_go() {
    use encaisse_domain::collections::{AssignBy, PortfolioRule};
    let mut store = crate::backend::store();
    import(&mut store, "h1", &first_ledger());
    store
        .set_portfolio_rule(AssignBy::Category, "public_body", Some("paul"))
        .unwrap();
    store
        .set_portfolio_rule(AssignBy::Segment, "pme", Some("ana"))
        .unwrap();
    // Set again: the rule changes, it is not doubled.
    store
        .set_portfolio_rule(AssignBy::Segment, "pme", Some("paul"))
        .unwrap();
    store.set_customer_collector("C1", Some("ana")).unwrap();
    store.set_customer_collector("C1", Some("paul")).unwrap();
    assert!(matches!(
        store.set_customer_collector("NOPE", Some("paul")),
        Err(StoreError::Refused(_))
    ));
    assert_eq!(
        store.portfolio_rules().unwrap(),
        [
            PortfolioRule {
                by: AssignBy::Category,
                value: "public_body".into(),
                collector: "paul".into()
            },
            PortfolioRule {
                by: AssignBy::Segment,
                value: "pme".into(),
                collector: "paul".into()
            },
        ]
    );
    assert_eq!(store.customer_collectors().unwrap()["C1"], "paul");

    // paul leaves: his rules, C1 and C2 (his through the customers file) go to zoe in one transaction.
    let moved = store
        .reassign_portfolio("paul", "zoe", &["C2".to_string()])
        .unwrap();
    assert_eq!((moved.customers, moved.rules), (2, 2));
    let by_hand = store.customer_collectors().unwrap();
    assert_eq!((by_hand["C1"].as_str(), by_hand["C2"].as_str()), ("zoe", "zoe"));
    assert!(store
        .portfolio_rules()
        .unwrap()
        .iter()
        .all(|r| r.collector == "zoe"));
    // A refused customer rolls the whole reassignment back.
    assert!(store
        .reassign_portfolio("zoe", "max", &["NOPE".to_string()])
        .is_err());
    assert!(store
        .portfolio_rules()
        .unwrap()
        .iter()
        .all(|r| r.collector == "zoe"));

    store.set_customer_collector("C1", None).unwrap();
    store.set_portfolio_rule(AssignBy::Segment, "pme", None).unwrap();
    assert_eq!(store.customer_collectors().unwrap().len(), 1);
    assert_eq!(store.portfolio_rules().unwrap().len(), 1);
    // One computer's file has no users of its own; a server lists its Encaisse logins.
    if !crate::backend::on_postgres() {
        assert!(store.team_members().unwrap().is_empty());
    }
}
