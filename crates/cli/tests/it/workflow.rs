//! `encaisse agenda`, `action`, `promise`, `dispute`, `disputes` end to end on the demo company: the agenda
//! contract (pinned by snapshots: its header and each step's actions), and each record taking its customer out
//! of the agenda or back.

use serde_json::Value;
use std::collections::HashMap;
use std::process::{Command, Output};

fn encaisse(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_encaisse"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("ENCAISSE_TODAY", "2026-11-26")
        .env_remove("ENCAISSE_USER")
        .output()
        .expect("run encaisse")
}

fn ok_json(db: &std::path::Path, args: &[&str]) -> Value {
    let out = encaisse(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

fn customers_on(agenda: &Value) -> Vec<String> {
    agenda["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["customer"].as_str().unwrap().to_string())
        .collect()
}

const STEPS: [&str; 6] = [
    "pre_reminder",
    "reminder_1",
    "reminder_2",
    "reminder_3",
    "personal_letter",
    "formal_notice",
];

/// The agenda's date, its number of actions and how many are at each step.
fn agenda_header(agenda: &Value) -> String {
    let actions = agenda["actions"].as_array().unwrap();
    let mut out = format!(
        "as_of: {}\nactions: {}\n",
        agenda["as_of"].as_str().unwrap(),
        actions.len()
    );
    for step in STEPS {
        let n = actions.iter().filter(|a| a["step"] == step).count();
        out += &format!("{step}: {n}\n");
    }
    out
}

fn strings(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect()
}

/// The actions at one step, one line each: customer, channel, amount, unapplied, needs_validation, invoices,
/// those not yet due.
fn agenda_rows(actions: &[Value], step: &str) -> String {
    let mut out = String::new();
    for a in actions.iter().filter(|a| a["step"] == step) {
        out += &format!(
            "{} channel={} amount={} unapplied={} needs_validation={} invoices={} not_due={}\n",
            a["customer"].as_str().unwrap(),
            a["channel"].as_str().unwrap(),
            a["amount"].as_str().unwrap(),
            a["unapplied"].as_str().unwrap(),
            a["needs_validation"].as_bool().unwrap(),
            strings(&a["invoices"]).join(","),
            strings(&a["not_due_invoices"]).join(",")
        );
    }
    out
}

#[test]
fn demo_agenda_contract_and_a_day_of_collections() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = encaisse(&db, &["demo", "--end", "2026-11-26"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let agenda = ok_json(&db, &["agenda", "--format", "json"]);
    let keys: Vec<_> = agenda.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["as_of", "actions"]);
    assert_eq!(agenda["as_of"], "2026-11-26");
    let aging = ok_json(&db, &["aging", "--format", "json"]);
    let unapplied: HashMap<&str, &str> = aging["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["unapplied"].as_str().unwrap()))
        .collect();
    let actions = agenda["actions"].as_array().unwrap();
    assert!(
        actions.len() > 50,
        "a demo company has a busy day: {}",
        actions.len()
    );
    for a in actions {
        let keys: Vec<_> = a.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "customer",
                "step",
                "channel",
                "invoices",
                "not_due_invoices",
                "amount",
                "unapplied",
                "needs_validation"
            ]
        );
        let customer = a["customer"].as_str().unwrap();
        let step = a["step"].as_str().unwrap();
        assert!(STEPS.contains(&step), "{step}");
        let invoices = strings(&a["invoices"]);
        assert!(!invoices.is_empty());
        // Those not yet due are some of the invoices, in the same order.
        let not_due = strings(&a["not_due_invoices"]);
        let listed: Vec<&str> = invoices.iter().copied().filter(|i| not_due.contains(i)).collect();
        assert_eq!(listed, not_due, "{customer}");
        // A pre-reminder is about invoices not yet due (or just due); a later step has overdue ones.
        if step != "pre_reminder" {
            assert!(not_due.len() < invoices.len(), "{customer}");
        }
        // The amount is still due (positive); the flag is the customer's unapplied credit, as in the aged balance.
        assert!(!a["amount"].as_str().unwrap().starts_with('-'), "{customer}");
        assert_ne!(a["amount"], "0.00", "{customer}");
        assert_eq!(
            a["unapplied"].as_str().unwrap(),
            unapplied[customer],
            "{customer}"
        );
        let validated_step = step == "personal_letter" || step == "formal_notice";
        assert_eq!(
            a["needs_validation"].as_bool().unwrap(),
            validated_step || a["unapplied"] != "0.00",
            "{customer}"
        );
        let channel = a["channel"].as_str().unwrap();
        assert_eq!(channel == "letter+call", step == "personal_letter");
    }
    let mut sorted = customers_on(&agenda);
    sorted.sort();
    assert_eq!(sorted, customers_on(&agenda), "by customer");
    sorted.dedup();
    assert_eq!(sorted.len(), actions.len(), "one action per customer");
    // The whole contract in small snapshots: the header, then each step's actions in the agenda's order. With the
    // checks above (every action's keys in order, one per customer, by customer), they pin every field.
    insta::assert_snapshot!("agenda_demo_2026_11_26_header", agenda_header(&agenda));
    for step in STEPS {
        insta::assert_snapshot!(
            format!("agenda_demo_2026_11_26_{step}"),
            agenda_rows(actions, step)
        );
    }

    // The table shows the same actions.
    let table = String::from_utf8(encaisse(&db, &["agenda"]).stdout).unwrap();
    assert!(table.starts_with(&format!(
        "Agenda of 2026-11-26 (the whole team): {} action(s)\n",
        actions.len()
    )));
    // Each collector of the customers file has a portfolio: theirs add up to the team's agenda.
    let mut split = 0;
    for collector in ["Claire Martin", "Julien Roux", "Sophie Lambert"] {
        let theirs = ok_json(&db, &["agenda", "--collector", collector, "--format", "json"]);
        let n = theirs["actions"].as_array().unwrap().len();
        assert!(n > 0, "{collector}");
        split += n;
    }
    assert_eq!(split, actions.len());
    let nobody = ok_json(&db, &["agenda", "--unassigned", "--format", "json"]);
    assert_eq!(nobody["actions"].as_array().unwrap().len(), 0);

    // Mark the first customer's action done: it leaves the agenda.
    let first = actions[0]["customer"].as_str().unwrap().to_string();
    let done = ok_json(
        &db,
        &[
            "action",
            "done",
            "--customer",
            &first,
            "--user",
            "marie",
            "--format",
            "json",
        ],
    );
    assert_eq!(done["step"], actions[0]["step"]);
    assert_eq!(done["invoices"], actions[0]["invoices"]);
    assert_eq!(done["user"], "marie");
    let after = ok_json(&db, &["agenda", "--format", "json"]);
    assert!(!customers_on(&after).contains(&first));
    assert_eq!(customers_on(&after).len(), actions.len() - 1);

    // Customers whose action lists one invoice: a promise on it, a dispute on another's.
    let single: Vec<(String, String)> = actions
        .iter()
        .filter(|a| a["invoices"].as_array().unwrap().len() == 1 && a["customer"] != first.as_str())
        .map(|a| {
            (
                a["customer"].as_str().unwrap().to_string(),
                a["invoices"][0].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let (promised, promised_invoice) = &single[0];
    let (disputed, disputed_invoice) = &single[1];
    let p = ok_json(
        &db,
        &[
            "promise",
            "add",
            "--customer",
            promised,
            "--invoice",
            promised_invoice,
            "--date",
            "2026-12-04",
            "--amount",
            "150.00",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        (p["status"].as_str(), p["deadline"].as_str()),
        (Some("running"), Some("2026-12-07"))
    );
    let x = ok_json(
        &db,
        &[
            "dispute",
            "open",
            "--customer",
            disputed,
            "--invoice",
            disputed_invoice,
            "--kind",
            "delivery",
            "--department",
            "logistics",
            "--comment",
            "Livraison incomplète",
            "--format",
            "json",
        ],
    );
    assert_eq!(x["status"], "open");
    let after = customers_on(&ok_json(&db, &["agenda", "--format", "json"]));
    assert!(!after.contains(promised) && !after.contains(disputed));
    // The promise holds until 12-07; on 12-08 the chase resumes (nothing was paid).
    let later = customers_on(&ok_json(
        &db,
        &["agenda", "--as-of", "2026-12-08", "--format", "json"],
    ));
    assert!(later.contains(promised));
    let check = ok_json(&db, &["promises", "--as-of", "2026-12-08", "--format", "json"]);
    assert_eq!(
        (check["broken"].as_u64(), check["newly_broken"][0]["id"].clone()),
        (Some(1), p["id"].clone())
    );
    // The customer calls back: a week later (the 11th). What is not given stays (the amount); an older version is refused.
    let id = p["id"].as_i64().unwrap().to_string();
    let moved = ok_json(
        &db,
        &[
            "promise",
            "change",
            "--id",
            &id,
            "--date",
            "2026-12-11",
            "--version",
            "0",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        (
            moved["deadline"].as_str(),
            moved["amount"].as_str(),
            moved["version"].as_i64()
        ),
        (Some("2026-12-14"), Some("150.00"), Some(1))
    );
    let stale = encaisse(
        &db,
        &[
            "promise",
            "change",
            "--id",
            &id,
            "--amount",
            "90",
            "--version",
            "0",
        ],
    );
    assert!(!stale.status.success());
    assert!(
        String::from_utf8_lossy(&stale.stderr).contains("changed by"),
        "{}",
        String::from_utf8_lossy(&stale.stderr)
    );

    let board = ok_json(&db, &["disputes", "--format", "json"]);
    let keys: Vec<_> = board.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "as_of",
            "currency",
            "disputes",
            "by_kind",
            "by_department",
            "open",
            "closed",
            "average_resolution_days"
        ]
    );
    assert_eq!(board["open"]["count"], 1);
    assert_eq!(board["open"]["amount"], x["amount"]);
    let delivery = board["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "delivery")
        .unwrap();
    assert_eq!(delivery["count"], 1);
    assert_eq!(board["average_resolution_days"], Value::Null);

    let id = x["id"].to_string();
    let closed = ok_json(
        &db,
        &[
            "dispute",
            "close",
            &id,
            "--date",
            "2026-11-26",
            "--resolution",
            "Reliquat livré",
            "--format",
            "json",
        ],
    );
    assert_eq!(closed["status"], "closed");
    assert!(customers_on(&ok_json(&db, &["agenda", "--format", "json"])).contains(disputed));
    assert_eq!(
        ok_json(&db, &["disputes", "--format", "json"])["average_resolution_days"],
        0.0
    );

    let history = ok_json(&db, &["history", "--customer", &first, "--format", "json"]);
    assert_eq!(history["actions"].as_array().unwrap().len(), 1);
    let history = ok_json(
        &db,
        &[
            "history",
            "--customer",
            disputed,
            "--invoice",
            disputed_invoice,
            "--format",
            "json",
        ],
    );
    assert_eq!(
        history["disputes"][0]["comments"][0]["body"],
        "Livraison incomplète"
    );

    // A paused customer leaves the agenda.
    let paused = customers_on(&ok_json(&db, &["agenda", "--format", "json"]))[0].clone();
    assert!(encaisse(
        &db,
        &["pause", "--customer", &paused, "--reason", "procédure collective"]
    )
    .status
    .success());
    assert!(!customers_on(&ok_json(&db, &["agenda", "--format", "json"])).contains(&paused));
}

#[test]
fn bad_workflow_input_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    assert!(
        encaisse(&db, &["demo", "--customers", "20", "--end", "2026-11-26"])
            .status
            .success()
    );
    let agenda = ok_json(&db, &["agenda", "--format", "json"]);
    let a = &agenda["actions"][0];
    let (customer, invoice) = (
        a["customer"].as_str().unwrap(),
        a["invoices"][0].as_str().unwrap(),
    );
    for (args, message) in [
        (
            vec![
                "promise",
                "add",
                "--customer",
                customer,
                "--invoice",
                invoice,
                "--date",
                "2026-12-01",
                "--amount",
                "abc",
            ],
            "amount",
        ),
        (
            vec![
                "promise",
                "add",
                "--customer",
                customer,
                "--invoice",
                "NOPE",
                "--date",
                "2026-12-01",
                "--amount",
                "1",
            ],
            "has no invoice NOPE",
        ),
        (
            vec![
                "dispute",
                "open",
                "--customer",
                customer,
                "--invoice",
                invoice,
                "--kind",
                "weather",
                "--department",
                "sales",
            ],
            "kind",
        ),
        (vec!["dispute", "close", "999"], "no dispute with id 999"),
        (
            vec!["action", "add", "--customer", customer, "--kind", "fax"],
            "kind",
        ),
        (vec!["agenda", "--as-of", "2026-13-01"], "not a date"),
    ] {
        let out = encaisse(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert_eq!(
        ok_json(&db, &["agenda", "--format", "json"]),
        agenda,
        "nothing changed"
    );
}
