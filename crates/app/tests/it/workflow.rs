//! The collections workflow through the app on imported FECs: the agenda contract on hand-computed cases,
//! actions moving invoices on, promises kept or broken as re-imports bring payments, disputes and their board,
//! and what users attached surviving re-imports.

use chrono::NaiveDate;
use encaisse_app::workflow::{ActionInput, DisputeInput, PromiseInput, ScenarioDto};
use encaisse_app::{App, AppError, FecImportOptions};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

use crate::common;
use common::dump_tables;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn open(path: &Path, today: &str) -> App {
    crate::backend::open(path, Box::new(FixedClock(d(today)))).unwrap()
}

/// One customer-account line with its counterpart: an invoice (VE, positive cents) or a payment (BQ, negative).
pub(crate) struct E {
    date: &'static str,
    piece: &'static str,
    customer: &'static str,
    cents: i64,
    letter: &'static str,
    letter_date: &'static str,
}

pub(crate) const fn inv(date: &'static str, piece: &'static str, customer: &'static str, cents: i64) -> E {
    E {
        date,
        piece,
        customer,
        cents,
        letter: "",
        letter_date: "",
    }
}

fn fec(entries: &[E]) -> String {
    let mut out = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t\
         PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    let money = |c: i64| format!("{},{:02}", c / 100, c % 100);
    for (n, e) in entries.iter().enumerate() {
        let date = e.date.replace('-', "");
        let let_date = e.letter_date.replace('-', "");
        let (journal, other) = if e.cents > 0 {
            ("VE", "706000")
        } else {
            ("BQ", "512000")
        };
        let (debit, credit) = if e.cents > 0 { (e.cents, 0) } else { (0, -e.cents) };
        let name = format!("Client {}", e.customer);
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t411000\tClients\t{}\t{name}\t{}\t{date}\t{}\t{}\t{}\t{}\t{let_date}\t{date}\t\t\n",
            e.customer,
            e.piece,
            e.piece,
            money(debit),
            money(credit),
            e.letter
        ));
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t{other}\tContrepartie\t\t\t{}\t{date}\t{}\t{}\t{}\t\t\t{date}\t\t\n",
            e.piece,
            e.piece,
            money(credit),
            money(debit)
        ));
    }
    out
}

pub(crate) fn write_fec(dir: &Path, name: &str, entries: &[E]) -> PathBuf {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let path = sub.join("123456789FEC20261231.txt");
    std::fs::write(&path, fec(entries)).unwrap();
    path
}

fn import(app: &App, path: &Path) -> encaisse_app::ImportPreview {
    app.import_fec(path, &FecImportOptions::default(), &mut |_| {})
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// 30 days net: F1 (01-10) due 02-09, F2 (02-01) due 03-03, F3 (01-15) due 02-14.
pub(crate) fn first_year() -> Vec<E> {
    vec![
        inv("2026-01-10", "F1", "C1", 120_000),
        inv("2026-02-01", "F2", "C1", 30_000),
        inv("2026-01-15", "F3", "C2", 50_000),
    ]
}

const WORKFLOW_TABLES: &[&str] = &[
    "action",
    "action_invoice",
    "promise",
    "promise_invoice",
    "dispute",
    "dispute_invoice",
    "dispute_comment",
    "customer_dunning",
];

#[test]
fn agenda_contract_on_an_imported_fec_and_marking_done_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-02-20");
    let mut entries = first_year();
    // C2 paid 100 € on account, not lettered: its action is flagged.
    entries.push(inv("2026-02-18", "VIR1", "C2", -10_000));
    import(&app, &write_fec(dir.path(), "v1", &entries));

    // 02-20: F1 at +11 → reminder_1; F2 at −11 not reached; F3 at +6 → reminder_1.
    let agenda = app.agenda(None).unwrap();
    assert_eq!(
        serde_json::to_value(&agenda).unwrap(),
        serde_json::json!({"as_of": "2026-02-20", "actions": [
            {"customer": "C1", "step": "reminder_1", "channel": "email", "invoices": ["F1"],
             "not_due_invoices": [], "amount": "1200.00", "unapplied": "0.00", "needs_validation": false},
            {"customer": "C2", "step": "reminder_1", "channel": "email", "invoices": ["F3"],
             "not_due_invoices": [], "amount": "500.00", "unapplied": "-100.00", "needs_validation": true}
        ]})
    );
    let view = app.agenda_view(Some(d("2026-02-20"))).unwrap();
    assert_eq!(
        (
            view.currency.as_str(),
            view.items[0].overdue_amount.as_str(),
            view.items[0].not_due_amount.as_str()
        ),
        ("EUR", "1200.00", "0.00")
    );
    assert_eq!(view.items[0].name, "Client C1");
    assert_eq!(view.items[0].lines[0].days_late, 11);
    assert_eq!(view.items[0].template, "reminder_1");

    // 02-06: F1 at −3 → the preventive email.
    let early = app.agenda(Some(d("2026-02-06"))).unwrap();
    assert_eq!(early.actions.len(), 1);
    assert_eq!(
        (early.actions[0].customer.as_str(), early.actions[0].step.as_str()),
        ("C1", "pre_reminder")
    );
    assert_eq!(early.actions[0].not_due_invoices, ["F1"], "due 02-09");
    assert_eq!(early.actions[0].amount, "1200.00");
    let early = app.agenda_view(Some(d("2026-02-06"))).unwrap();
    assert_eq!(
        (
            early.items[0].overdue_amount.as_str(),
            early.items[0].not_due_amount.as_str()
        ),
        ("0.00", "1200.00")
    );
    assert!(app.agenda(Some(d("2026-02-05"))).unwrap().actions.is_empty());

    // Done on 02-20: C1 leaves the agenda until its next step (reminder_2 at F1 +15 = 02-24) and the gap of
    // 5 days after the email (02-25).
    app.set_actor(encaisse_app::Actor::named("marie"));
    let done = app.mark_done("C1", None).unwrap();
    assert_eq!(
        (done.kind.as_str(), done.step.as_deref()),
        ("email", Some("reminder_1"))
    );
    assert_eq!(done.invoices, ["F1"]);
    let customers = |day: &str| -> Vec<(String, String)> {
        app.agenda(Some(d(day)))
            .unwrap()
            .actions
            .into_iter()
            .map(|a| (a.customer, a.step))
            .collect()
    };
    let pair = |c: &str, s: &str| (c.to_string(), s.to_string());
    assert_eq!(customers("2026-02-20"), [pair("C2", "reminder_1")]);
    assert_eq!(customers("2026-02-24"), [pair("C2", "reminder_1")]);
    assert_eq!(
        customers("2026-02-25"),
        [pair("C1", "reminder_2"), pair("C2", "reminder_1")]
    );
    app.set_actor(encaisse_app::Actor::named(""));
    let err = app.mark_done("C1", Some(d("2026-02-21"))).unwrap_err();
    assert!(matches!(err, AppError::InvalidInput(_)), "{err:?}");

    // A call on 02-25 (not a step): the gap holds C1 until 03-02, when F2 has reached its pre-reminder too.
    app.record_action(&ActionInput {
        customer: "C1".into(),
        kind: "call".into(),
        invoices: vec!["F1".into()],
        outcome: Some("call_back".into()),
        date: Some(d("2026-02-25")),
        next_action_date: Some(d("2026-03-02")),
        body: "Rappeler la comptable lundi".into(),
        ..ActionInput::default()
    })
    .unwrap();
    assert_eq!(customers("2026-03-01"), [pair("C2", "reminder_2")]);
    let a = app.agenda(Some(d("2026-03-02"))).unwrap();
    assert_eq!(a.actions[0].step, "reminder_2");
    assert_eq!(a.actions[0].invoices, ["F1", "F2"]);

    // Paused: gone; resumed: back.
    app.set_customer_paused("C1", true, "plan de paiement", None)
        .unwrap();
    assert_eq!(customers("2026-03-02"), [pair("C2", "reminder_2")]);
    app.set_customer_paused("C1", false, "", None).unwrap();
    assert_eq!(customers("2026-03-02").len(), 2);
}

#[test]
fn actions_are_validated_and_listed_per_customer_and_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-02-20");
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    let base = ActionInput {
        customer: "C1".into(),
        kind: "letter".into(),
        invoices: vec!["F1".into(), "F2".into()],
        step: Some("reminder_2".into()),
        ..ActionInput::default()
    };
    for (bad, what) in [
        (
            ActionInput {
                kind: "fax".into(),
                ..base.clone()
            },
            "kind",
        ),
        (
            ActionInput {
                outcome: Some("maybe".into()),
                ..base.clone()
            },
            "outcome",
        ),
        (
            ActionInput {
                step: Some("reminder_9".into()),
                ..base.clone()
            },
            "no step 'reminder_9'",
        ),
        (
            ActionInput {
                invoices: vec!["F3".into()],
                ..base.clone()
            },
            "customer C1 has no invoice F3",
        ),
        (
            ActionInput {
                customer: "C9".into(),
                invoices: vec![],
                ..base.clone()
            },
            "C9",
        ),
    ] {
        match app.record_action(&bad) {
            Err(AppError::InvalidInput(m)) => assert!(m.contains(what), "{m}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    let a = app.record_action(&base).unwrap();
    assert_eq!(
        (a.scenario.as_deref(), a.date),
        (Some("default"), d("2026-02-20"))
    );
    app.record_action(&ActionInput {
        kind: "note".into(),
        invoices: vec!["F2".into()],
        step: None,
        body: "Bon de commande demandé".into(),
        ..base.clone()
    })
    .unwrap();
    let all = app.workflow_records("C1", None).unwrap();
    assert_eq!(all.actions.len(), 2);
    assert_eq!(all.scenario, "default");
    let f1 = app.workflow_records("C1", Some("F1")).unwrap();
    assert_eq!(f1.actions.len(), 1);
    assert_eq!(f1.actions[0].invoices, ["F1", "F2"]);
    assert!(app.workflow_records("C2", None).unwrap().actions.is_empty());
}

/// What users typed is never lost: a re-import of an updated FEC of the same year keeps promises, disputes and notes on their
/// invoices; the payment it brings keeps the promise; importing it twice changes nothing.
#[test]
fn reimport_keeps_a_promise_and_a_note_attached() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let app = open(&db, "2026-03-01");
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    let promise = app
        .add_promise(&PromiseInput {
            customer: "C1".into(),
            invoices: vec!["F1".into()],
            date: d("2026-03-10"),
            amount: "1200,00".into(),
            user: "marie".into(),
            ..PromiseInput::default()
        })
        .unwrap();
    assert_eq!(
        (promise.status.as_str(), promise.deadline),
        ("running", d("2026-03-13"))
    );
    let dispute = app
        .open_dispute(&DisputeInput {
            customer: "C1".into(),
            invoices: vec!["F2".into()],
            kind: "price".into(),
            department: "sales".into(),
            comment: "Remise 5 % oubliée".into(),
            ..DisputeInput::default()
        })
        .unwrap();
    assert_eq!(dispute.amount, "300.00", "the open amount of F2 on the day");
    assert_eq!(
        (promise.name.as_str(), dispute.name.as_str()),
        ("Client C1", "Client C1"),
        "lists across customers show the name"
    );
    app.record_action(&ActionInput {
        customer: "C1".into(),
        kind: "note".into(),
        invoices: vec!["F1".into()],
        body: "Virement annoncé".into(),
        ..ActionInput::default()
    })
    .unwrap();
    // C1 is out of the agenda: F1 promised, F2 disputed.
    assert!(app
        .agenda(None)
        .unwrap()
        .actions
        .iter()
        .all(|a| a.customer != "C1"));

    // The updated FEC: F1 paid on 03-09 and lettered, a new invoice F4, entries in another order.
    let mut v2 = first_year();
    v2[0].letter = "AA";
    v2[0].letter_date = "2026-03-09";
    v2.push(E {
        date: "2026-03-09",
        piece: "VIR7",
        customer: "C1",
        cents: -120_000,
        letter: "AA",
        letter_date: "2026-03-09",
    });
    v2.push(inv("2026-02-25", "F4", "C2", 9_900));
    v2.reverse();
    let v2 = write_fec(dir.path(), "v2", &v2);
    let changes = import(&app, &v2).changes;
    assert_eq!(
        (
            changes.invoices_kept,
            changes.invoices_added,
            changes.invoices_missing
        ),
        (3, 1, 0)
    );

    let f1 = app.workflow_records("C1", Some("F1")).unwrap();
    assert_eq!(f1.promises.len(), 1);
    assert_eq!(f1.promises[0].id, promise.id);
    assert_eq!(f1.actions[0].body, "Virement annoncé");
    let f2 = app.workflow_records("C1", Some("F2")).unwrap();
    assert_eq!(f2.disputes.len(), 1);
    assert_eq!(f2.disputes[0].id, dispute.id);
    assert_eq!(f2.disputes[0].comments[0].body, "Remise 5 % oubliée");
    let check = app.check_promises(Some(d("2026-03-20")), true).unwrap();
    assert_eq!((check.kept, check.broken, check.running), (1, 0, 0));
    assert_eq!(check.promises[0].status.as_str(), "kept");

    let before = dump_tables(&db, WORKFLOW_TABLES);
    assert!(import(&app, &v2).changes.unchanged);
    assert_eq!(dump_tables(&db, WORKFLOW_TABLES), before);
}

#[test]
fn a_promise_not_paid_by_its_date_plus_grace_is_broken_and_the_chase_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-03-01");
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    app.add_promise(&PromiseInput {
        customer: "C2".into(),
        invoices: vec!["F3".into()],
        date: d("2026-03-10"),
        amount: "500".into(),
        grace_days: Some(2),
        ..PromiseInput::default()
    })
    .unwrap();
    let on = |day: &str| {
        app.agenda(Some(d(day)))
            .unwrap()
            .actions
            .iter()
            .any(|a| a.customer == "C2")
    };
    assert!(!on("2026-03-01"));
    assert!(!on("2026-03-12"), "deadline 03-12 still holds");
    assert!(on("2026-03-13"));
    let status = |day: &str, record| {
        let c = app.check_promises(Some(d(day)), record).unwrap();
        (c.promises[0].status.as_str().to_string(), c.newly_broken.len())
    };
    assert_eq!(status("2026-03-12", true), ("running".into(), 0));
    assert_eq!(status("2026-03-13", false), ("broken".into(), 1));
    assert_eq!(status("2026-03-13", true), ("broken".into(), 1), "the alert");
    assert_eq!(status("2026-03-14", true), ("broken".into(), 0), "raised once");

    // Half paid on 03-05 (before the date) by a re-import: 250 of the promised 500 is not enough.
    let mut v2 = first_year();
    v2[2].letter = "AB";
    v2[2].letter_date = "2026-03-05";
    v2.push(E {
        date: "2026-03-05",
        piece: "VIR2",
        customer: "C2",
        cents: -25_000,
        letter: "AB",
        letter_date: "2026-03-05",
    });
    import(&app, &write_fec(dir.path(), "v2", &v2));
    assert_eq!(status("2026-03-11", false).0, "running");
    assert_eq!(status("2026-03-13", false).0, "broken");
    let item = app.agenda_view(Some(d("2026-03-13"))).unwrap();
    let c2 = item.items.iter().find(|i| i.action.customer == "C2").unwrap();
    assert_eq!(c2.action.amount, "250.00");
    assert_eq!(c2.overdue_amount, "250.00");
    assert_eq!(c2.action.step, "reminder_2", "F3 due 02-14 is 27 days late");
}

#[test]
fn disputes_leave_the_chase_until_closed_and_feed_the_board() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-03-01");
    let mut entries = first_year();
    entries.push(inv("2026-01-20", "F5", "C2", 2_050));
    import(&app, &write_fec(dir.path(), "v1", &entries));
    let x = app
        .open_dispute(&DisputeInput {
            customer: "C2".into(),
            invoices: vec!["F3".into(), "F5".into()],
            kind: "quality".into(),
            department: "quality".into(),
            opened_on: Some(d("2026-02-20")),
            ..DisputeInput::default()
        })
        .unwrap();
    assert_eq!(x.amount, "520.50");
    let y = app
        .open_dispute(&DisputeInput {
            customer: "C1".into(),
            invoices: vec!["F1".into()],
            kind: "missing_purchase_order".into(),
            department: "sales".into(),
            amount: Some("100".into()),
            opened_on: Some(d("2026-02-25")),
            ..DisputeInput::default()
        })
        .unwrap();
    for (kind, department) in [("weather", "sales"), ("price", "marketing")] {
        let bad = app.open_dispute(&DisputeInput {
            customer: "C1".into(),
            invoices: vec!["F1".into()],
            kind: kind.into(),
            department: department.into(),
            ..DisputeInput::default()
        });
        assert!(
            matches!(bad, Err(AppError::InvalidInput(_))),
            "{kind} {department}"
        );
    }
    assert!(app
        .agenda(None)
        .unwrap()
        .actions
        .iter()
        .all(|a| a.customer != "C2"));
    let closed = app
        .close_dispute(x.id, Some(d("2026-03-01")), "Avoir émis")
        .unwrap();
    assert_eq!(closed.status.as_str(), "closed");
    assert!(app
        .agenda(None)
        .unwrap()
        .actions
        .iter()
        .any(|a| a.customer == "C2"));
    assert!(app.close_dispute(x.id, None, "").is_err(), "already closed");
    app.set_actor(encaisse_app::Actor::named("luc"));
    app.comment_dispute(y.id, "Relancé le commercial").unwrap();

    let board = app.disputes_board(None).unwrap();
    assert_eq!(board.currency, "EUR");
    let by_kind: Vec<_> = board
        .by_kind
        .iter()
        .filter(|t| t.count > 0)
        .map(|t| (t.key.as_str(), t.count, t.amount.as_str()))
        .collect();
    assert_eq!(
        by_kind,
        [("quality", 1, "520.50"), ("missing_purchase_order", 1, "100.00")]
    );
    assert_eq!(board.by_kind.len(), 8);
    let sales = board.by_department.iter().find(|t| t.key == "sales").unwrap();
    assert_eq!((sales.count, sales.amount.as_str()), (1, "100.00"));
    assert_eq!((board.open.count, board.closed.count), (1, 1));
    assert_eq!(board.average_resolution_days, Some(9.0), "02-20 to 03-01");
    assert_eq!(board.disputes[0].id, y.id, "open ones first");
    assert_eq!(board.disputes[0].comments.len(), 1);
    // As of 02-22 only the first one existed, still open.
    let early = app.disputes_board(Some(d("2026-02-22"))).unwrap();
    assert_eq!(
        (
            early.disputes.len(),
            early.open.count,
            early.average_resolution_days
        ),
        (1, 1, None)
    );
}

#[test]
fn scenarios_assigned_by_segment_category_and_customer() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-02-20");
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    let mut short: ScenarioDto = app.scenarios().unwrap().scenarios[0].clone();
    assert_eq!(short.id, "default");
    assert_eq!(short.steps.len(), 6);
    short.id = "short".into();
    short.name = "Mauvais payeurs".into();
    short.steps[1].offset_days = 1;
    short.steps[1].channels = vec!["email".into(), "sms_task".into()];
    short.steps[2].offset_days = 10;
    app.save_scenario(&short).unwrap();
    let mut bad = short.clone();
    bad.steps[1].channels = vec!["pigeon".into()];
    assert!(matches!(app.save_scenario(&bad), Err(AppError::InvalidInput(_))));

    // 02-20: C1's F1 at +11, C2's F3 at +6.
    let steps = || -> Vec<(String, String, String)> {
        app.agenda(None)
            .unwrap()
            .actions
            .into_iter()
            .map(|a| (a.customer, a.step, a.channel))
            .collect()
    };
    app.set_customer_scenario("C1", Some("short"), None).unwrap();
    assert_eq!(
        steps(),
        [
            ("C1".into(), "reminder_2".into(), "email".into()),
            ("C2".into(), "reminder_1".into(), "email".into())
        ]
    );
    assert!(app.set_customer_scenario("C1", Some("nope"), None).is_err());
    app.set_customer_scenario("C1", None, None).unwrap();
    assert_eq!(steps()[0].1, "reminder_1");
    app.assign_scenario("segment", "", None).unwrap();
    assert!(app.assign_scenario("colour", "red", Some("short")).is_err());
    assert_eq!(app.scenarios().unwrap().scenarios.len(), 2);
}

#[test]
fn a_call_back_date_holds_the_customer_then_brings_a_follow_up_call() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-02-20");
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    let of = |day: &str, who: &str| {
        app.agenda_view(Some(d(day)))
            .unwrap()
            .items
            .into_iter()
            .find(|i| i.action.customer == who)
    };
    // 02-20: reminder_1 of F1 (due 02-09) sent.
    app.set_actor(encaisse_app::Actor::named("marie"));
    app.mark_done("C1", None).unwrap();
    // 02-21: the accountant asks to be called back on 03-05.
    app.record_action(&ActionInput {
        customer: "C1".into(),
        kind: "call".into(),
        invoices: vec!["F1".into()],
        outcome: Some("call_back".into()),
        date: Some(d("2026-02-21")),
        next_action_date: Some(d("2026-03-05")),
        user: "marie".into(),
        body: "Rappeler la comptable le 5 mars".into(),
        ..ActionInput::default()
    })
    .unwrap();
    // reminder_2 is reached on 02-24 and the 5-day gap ends on 02-26, but the agreed date holds C1 until 03-05.
    assert!(of("2026-02-26", "C1").is_none());
    assert!(of("2026-03-04", "C1").is_none());
    let due = of("2026-03-05", "C1").expect("back on the agreed day");
    assert_eq!(due.action.step, "reminder_2");
    assert_eq!(due.action.channel, "email");
    assert_eq!(due.follow_up, Some(d("2026-03-05")));
    assert_eq!(due.action.invoices, ["F1", "F2"]);

    // The email of reminder_2 is sent that day; the promised call is still owed: the next day it is a call at the
    // step reached, needing a person, though nothing is pending and the gap would hold an email.
    app.set_actor(encaisse_app::Actor::named("marie"));
    app.mark_done("C1", Some(d("2026-03-05"))).unwrap();
    let call = of("2026-03-06", "C1").expect("the call back is owed");
    assert_eq!(
        (call.action.step.as_str(), call.action.channel.as_str()),
        ("reminder_2", "call")
    );
    assert!(call.action.needs_validation);
    assert_eq!(call.follow_up, Some(d("2026-03-05")));
    // The CLI contract shows it the same way.
    let contract = app.agenda(Some(d("2026-03-06"))).unwrap();
    assert!(contract
        .actions
        .iter()
        .any(|a| a.customer == "C1" && a.channel == "call" && a.needs_validation));

    // Called on 03-06: done, C1 waits for its next step.
    app.record_action(&ActionInput {
        customer: "C1".into(),
        kind: "call".into(),
        invoices: vec!["F1".into()],
        outcome: Some("no_answer".into()),
        date: Some(d("2026-03-06")),
        user: "marie".into(),
        ..ActionInput::default()
    })
    .unwrap();
    assert!(of("2026-03-06", "C1").is_none());
    assert!(of("2026-03-10", "C1").is_none());
}

#[test]
fn every_change_to_collections_data_is_in_the_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-02-20");
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    app.set_actor(encaisse_app::Actor::named("marie"));
    let action = app.mark_done("C1", None).unwrap();
    let promise = app
        .add_promise(&PromiseInput {
            customer: "C2".into(),
            invoices: vec!["F3".into()],
            date: d("2026-02-25"),
            amount: "500.00".into(),
            grace_days: Some(0),
            made_on: None,
            action_id: None,
            user: "paul".into(),
            comment: String::new(),
        })
        .unwrap();
    let dispute = app
        .open_dispute(&DisputeInput {
            customer: "C1".into(),
            invoices: vec!["F2".into()],
            kind: "price".into(),
            department: "sales".into(),
            amount: None,
            opened_on: None,
            user: "marie".into(),
            comment: "Remise oubliée".into(),
        })
        .unwrap();
    app.set_actor(encaisse_app::Actor::named("paul"));
    app.comment_dispute(dispute.id, "Avoir demandé au commercial")
        .unwrap();
    app.close_dispute(dispute.id, None, "Avoir émis").unwrap();
    app.set_customer_paused("C2", true, "plan de paiement", None)
        .unwrap();
    app.set_customer_scenario("C2", Some("default"), None).unwrap();
    let mut gentle = app.scenarios().unwrap().scenarios[0].clone();
    gentle.id = "gentle".into();
    gentle.name = "Grands comptes".into();
    app.save_scenario(&gentle).unwrap();
    app.assign_scenario("category", "key_account", Some("gentle"))
        .unwrap();
    // Past the promised date with nothing paid: broken, and the change of status is recorded.
    app.check_promises(Some(d("2026-03-01")), true).unwrap();

    let trail: Vec<(String, String, String, String)> = app
        .audit_trail(None, None)
        .unwrap()
        .into_iter()
        // The ledger's import is recorded too (by the session's user): not a collections change.
        .filter(|e| e.entity != "import")
        .map(|e| (e.user, e.entity, e.entity_id, e.action))
        .collect();
    // The user: on a server, its login.
    let t = |u: &str, e: &str, id: &str, a: &str| {
        let u = crate::backend::login(u);
        (u.into(), e.into(), id.into(), a.into())
    };
    assert_eq!(
        trail,
        [
            t("marie", "action", &action.id.to_string(), "added"),
            t("paul", "promise", &promise.id.to_string(), "added"),
            t("marie", "dispute", &dispute.id.to_string(), "opened"),
            t("paul", "dispute", &dispute.id.to_string(), "commented"),
            // A change whose input names nobody is the actor's.
            t("paul", "dispute", &dispute.id.to_string(), "closed"),
            t("paul", "customer_dunning", "C2", "paused"),
            t("paul", "customer_dunning", "C2", "scenario"),
            t("paul", "scenario", "gentle", "saved"),
            t("paul", "scenario_assignment", "category:key_account", "assigned"),
            t("paul", "promise", &promise.id.to_string(), "status"),
        ]
    );
    let events: Vec<_> = app
        .audit_trail(None, None)
        .unwrap()
        .into_iter()
        .filter(|e| e.entity != "import")
        .collect();
    let closed = &events[4];
    assert!(closed.before.as_deref().unwrap().contains("\"closed_on\":null"));
    assert!(closed.after.as_deref().unwrap().contains("Avoir émis"));
    let paused = &events[5];
    assert!(paused.before.as_deref().unwrap().contains("\"paused\":false"));
    assert!(paused.after.as_deref().unwrap().contains("plan de paiement"));
    assert_eq!(
        (events[9].before.as_deref(), events[9].after.as_deref()),
        (Some("running"), Some("broken"))
    );

    // Each event with what the journal says in words: its kind and typed facts, the time of day.
    use encaisse_app::audit::AuditKind;
    use encaisse_domain::collections::{Department, DisputeKind, PromiseStatus};
    let kinds: Vec<AuditKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            AuditKind::ActionRecorded,
            AuditKind::PromiseMade,
            AuditKind::DisputeOpened,
            AuditKind::DisputeCommented,
            AuditKind::DisputeClosed,
            AuditKind::CustomerPaused,
            AuditKind::CustomerScenarioChanged,
            AuditKind::ScenarioSaved,
            AuditKind::ScenarioAssigned,
            AuditKind::PromiseStatusChanged,
        ]
    );
    let opened = &events[2].facts;
    assert_eq!(opened.customer.as_deref(), Some("C1"));
    assert!(opened.customer_name.as_deref().is_some_and(|n| !n.is_empty()));
    assert_eq!(opened.invoices, ["F2"]);
    assert_eq!(
        (opened.dispute_kind, opened.department),
        (Some(DisputeKind::Price), Some(Department::Sales))
    );
    assert_eq!(opened.comment.as_deref(), Some("Remise oubliée"));
    assert_eq!(opened.currency.as_deref(), Some("EUR"));
    assert!(opened.amount.is_some());
    assert_eq!(events[2].time.as_deref(), Some("00:00"));
    assert_eq!(
        events[3].facts.comment.as_deref(),
        Some("Avoir demandé au commercial")
    );
    assert_eq!(events[4].facts.comment.as_deref(), Some("Avoir émis"));
    assert_eq!(events[4].facts.date, Some(d("2026-02-20")));
    assert_eq!(events[5].facts.comment.as_deref(), Some("plan de paiement"));
    assert_eq!(events[5].facts.customer.as_deref(), Some("C2"));
    assert_eq!(events[7].facts.scenario_name.as_deref(), Some("Grands comptes"));
    assert_eq!(events[8].facts.assign_value.as_deref(), Some("key_account"));
    assert_eq!(events[8].facts.scenario.as_deref(), Some("gentle"));
    let promise = &events[1].facts;
    assert_eq!(
        (promise.amount.as_deref(), promise.date),
        (Some("500.00"), Some(d("2026-02-25")))
    );
    assert_eq!(
        (events[9].facts.status_before, events[9].facts.status),
        (Some(PromiseStatus::Running), Some(PromiseStatus::Broken))
    );
}

#[test]
fn the_audit_trail_keeps_the_time_of_day_and_the_changed_settings() {
    let dir = tempfile::tempdir().unwrap();
    let at = d("2026-02-20").and_hms_opt(14, 32, 40).unwrap();
    let app = crate::backend::open(
        &dir.path().join("e.db"),
        Box::new(encaisse_domain::FixedDateTime(at)),
    )
    .unwrap()
    .with_actor(encaisse_app::Actor::named("marie"));
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    app.save_collection_settings(
        &encaisse_app::workflow::settings::CollectionSettingsInput {
            min_gap_days: Some(7),
            promise_grace_days: None,
            version: None,
        },
        "",
    )
    .unwrap();
    let events = app.audit_trail(None, None).unwrap();
    let e = events.last().unwrap();
    assert_eq!(
        (e.date, e.time.as_deref(), e.user.as_str()),
        (
            Some(d("2026-02-20")),
            Some("14:32"),
            crate::backend::login("marie")
        )
    );
    assert_eq!(e.kind, encaisse_app::audit::AuditKind::CollectionSettingsChanged);
    assert_eq!(e.facts.changed, ["min_gap_days"]);
}

#[test]
fn the_actor_is_recorded_when_an_input_names_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(&dir.path().join("e.db"), "2026-02-20").with_actor(encaisse_app::Actor::named("claire"));
    assert_eq!(app.actor().name(), "claire");
    import(&app, &write_fec(dir.path(), "v1", &first_year()));
    let note = |user: &str| ActionInput {
        customer: "C1".into(),
        kind: "note".into(),
        body: "Appel du client".into(),
        user: user.into(),
        ..ActionInput::default()
    };
    assert_eq!(app.record_action(&note("")).unwrap().user, "claire");
    assert_eq!(app.record_action(&note("  ")).unwrap().user, "claire");
    assert_eq!(app.record_action(&note("marc")).unwrap().user, "marc");
    app.set_actor(encaisse_app::Actor::named("paul"));
    assert_eq!(app.record_action(&note("")).unwrap().user, "paul");
}
