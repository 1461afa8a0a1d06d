//! The `encaisse` binary end to end: contracts of `aging` and `dso`, errors and exit codes.

use crate::common::encaisse;
use serde_json::Value;

fn two_decimals(v: &Value) -> bool {
    let s = v.as_str().unwrap();
    let (int, frac) = s.split_once('.').unwrap();
    frac.len() == 2 && int.trim_start_matches('-').chars().all(|c| c.is_ascii_digit())
}

#[test]
fn demo_then_aging_and_dso_print_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = encaisse(&db, &["demo", "--customers", "60", "--seed", "3"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let out = encaisse(&db, &["aging", "--as-of", "2026-11-15", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["as_of", "currency", "buckets", "customers", "totals"]);
    assert_eq!(v["as_of"], "2026-11-15");
    assert_eq!(v["currency"], "EUR");
    assert_eq!(
        v["buckets"],
        serde_json::json!(["not_due", "1-30", "31-60", "61-90", "91+"])
    );
    let first = &v["customers"][0];
    let keys: Vec<_> = first.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["id", "name", "balance", "unapplied", "buckets"]);
    assert!(two_decimals(&first["balance"]) && two_decimals(&first["unapplied"]));
    assert_eq!(first["buckets"].as_array().unwrap().len(), 5);
    assert!(two_decimals(&v["totals"]["balance"]));

    let out = encaisse(&db, &["dso", "--as-of", "2026-11-15", "--format", "json"]);
    assert!(out.status.success());
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<_> = d.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "as_of",
            "period_days",
            "receivables",
            "sales",
            "dso_average",
            "dso_countback",
            "ledger_only"
        ]
    );
    assert_eq!(d["period_days"], 90);
    assert_eq!(d["receivables"], v["totals"]["balance"]);
    let avg = d["dso_average"].as_f64().unwrap();
    assert_eq!((avg * 10.0).round() / 10.0, avg, "one decimal");

    let out = encaisse(&db, &["aging", "--as-of", "2026-11-15", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("id,name,balance,unapplied,not_due,1-30,31-60,61-90,91+\n"));
    assert!(csv
        .lines()
        .last()
        .unwrap()
        .starts_with(&format!("TOTAL,,{}", v["totals"]["balance"].as_str().unwrap())));
}

#[test]
fn bad_input_is_an_error_on_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.db");
    let out = encaisse(&db, &["aging", "--format", "json"]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("database is empty"));

    let out = encaisse(&db, &["aging", "--as-of", "2026-13-01"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-13-01"));

    let out = encaisse(&db, &["demo", "--customers", "5"]);
    assert!(out.status.success());
    let out = encaisse(&db, &["dso", "--period-days", "0"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--period-days"));
}

/// `encaisse import einvoice` on the public French sample (a SIRET in BT-47, no due date): imported, and the
/// warning shown in the table and in the JSON.
#[test]
fn the_french_minimum_sample_imports_with_its_warning_shown() {
    let sample = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/standards/einvoice-samples/facturFrMinimum.xml");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let out = encaisse(&db, &["demo", "--customers", "20"]);
    assert!(out.status.success());
    let out = encaisse(
        &db,
        &[
            "import",
            "einvoice",
            sample.to_str().unwrap(),
            "--dry-run",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["warnings"], 1);
    let f = &v["files"][0];
    assert_eq!(f["customer"], "SIREN787878784");
    assert_eq!(f["due_date"], "2017-12-13");
    assert_eq!(f["due_date_from_terms"], true);
    assert_eq!(f["warnings"][0]["code"], "no_due_date");
    assert_eq!(f["warnings"][0]["field"], "BT-9 due date");

    let out = encaisse(&db, &["import", "einvoice", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("warning: facturFrMinimum.xml:2: BT-9 due date: no due date (BT-9) in the e-invoice: due on 2017-12-13, by the default payment terms (net:30)"),
        "{text}"
    );
    assert!(text.contains("FA-2017-0010"), "{text}");
}
