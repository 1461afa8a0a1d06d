//! `encaisse penalties`: the JSON contract of the penalty statement on the demo company, a waiver through the CLI
//! (listed, out of the totals), the CSV, and `letter penalties` as text.

use crate::common::encaisse;
use serde_json::Value;
use std::process::Command;

fn ok(db: &std::path::Path, args: &[&str]) -> String {
    let out = encaisse(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn cents(v: &Value) -> i64 {
    let s = v.as_str().expect("amounts are strings");
    let (units, frac) = s.split_once('.').expect("two decimals");
    assert_eq!(frac.len(), 2, "{s}");
    units.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn the_penalty_statement_contract_a_waiver_and_the_printed_statement() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(
        &db,
        &["demo", "--customers", "12", "--seed", "3", "--end", "2026-11-26"],
    );
    let args = [
        "penalties",
        "--from",
        "2026-07-01",
        "--to",
        "2026-11-26",
        "--format",
        "json",
    ];
    let first: Value = serde_json::from_str(&ok(&db, &args)).unwrap();
    let customer = first["customers"][0]["id"].as_str().unwrap().to_string();
    let invoice = first["customers"][0]["invoices"][0]["invoice"]
        .as_str()
        .unwrap()
        .to_string();
    ok(
        &db,
        &[
            "penalties",
            "waive",
            "--customer",
            &customer,
            "--invoice",
            &invoice,
            "--reason",
            "Geste commercial",
        ],
    );
    let without_reason = encaisse(
        &db,
        &[
            "penalties",
            "waive",
            "--customer",
            &customer,
            "--invoice",
            &invoice,
        ],
    );
    assert!(!without_reason.status.success(), "the reason is required");

    let s: Value = serde_json::from_str(&ok(&db, &args)).unwrap();
    assert_eq!(keys(&s), ["customers", "indemnities", "interest"]);
    let (mut interest, mut indemnities, mut waived) = (0, 0, 0);
    for c in s["customers"].as_array().unwrap() {
        assert_eq!(keys(c), ["id", "indemnities", "interest", "invoices"]);
        let (mut ci, mut ce) = (0, 0);
        for inv in c["invoices"].as_array().unwrap() {
            assert_eq!(
                keys(inv),
                [
                    "due_date",
                    "indemnity",
                    "interest",
                    "invoice",
                    "paid_parts",
                    "waived",
                    "waiver_reason"
                ]
            );
            assert_eq!(cents(&inv["indemnity"]), 4000);
            let parts = inv["paid_parts"].as_array().unwrap();
            let mut late_in_period = false;
            let mut sum = 0;
            for p in parts {
                assert_eq!(keys(p), ["amount", "date", "days_late", "interest"]);
                let date = p["date"].as_str().unwrap();
                late_in_period |=
                    p["days_late"].as_i64().unwrap() > 0 && ("2026-07-01"..="2026-11-26").contains(&date);
                sum += cents(&p["interest"]);
            }
            assert!(
                late_in_period,
                "{inv}: listed without a late payment in the period"
            );
            assert_eq!(
                sum,
                cents(&inv["interest"]),
                "an invoice's interest is the sum of its parts'"
            );
            if inv["waived"] == Value::Bool(true) {
                waived += 1;
                assert_eq!(
                    (c["id"].as_str().unwrap(), inv["invoice"].as_str().unwrap()),
                    (customer.as_str(), invoice.as_str())
                );
                assert_eq!(inv["waiver_reason"], "Geste commercial");
            } else {
                assert_eq!(inv["waiver_reason"], Value::Null);
                ci += cents(&inv["interest"]);
                ce += cents(&inv["indemnity"]);
            }
        }
        assert_eq!(
            (cents(&c["interest"]), cents(&c["indemnities"])),
            (ci, ce),
            "{}",
            c["id"]
        );
        interest += ci;
        indemnities += ce;
    }
    assert_eq!(waived, 1);
    assert_eq!(
        (cents(&s["interest"]), cents(&s["indemnities"])),
        (interest, indemnities)
    );
    assert_eq!(
        cents(&first["indemnities"]) - cents(&s["indemnities"]),
        4000,
        "the waived EUR 40 left the totals"
    );

    let csv = ok(&db, &["penalties", "--customer", &customer, "--format", "csv"]);
    assert!(csv.contains("Client;Nom;Base légale;Facture;Échéance"), "{csv}");
    assert!(csv.contains("Geste commercial"));

    let xlsx = dir.path().join("p.xlsx");
    ok(
        &db,
        &["penalties", "--format", "xlsx", "--out", xlsx.to_str().unwrap()],
    );
    assert!(
        std::fs::read(&xlsx).unwrap().starts_with(b"PK"),
        "an XLSX is a zip"
    );

    let pdf = dir.path().join("p.pdf");
    ok(
        &db,
        &[
            "letter",
            "penalties",
            "--customer",
            &customer,
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    let Ok(out) = Command::new("pdftotext").arg(&pdf).arg("-").output() else {
        eprintln!("SKIPPED text checks: pdftotext (poppler-utils) is not installed");
        return;
    };
    let text = String::from_utf8(out.stdout)
        .unwrap()
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for needle in [
        "Relevé des pénalités de retard — note de débit",
        "il ne constitue pas une facture de vente",
        &invoice,
        "pénalités abandonnées (motif : Geste commercial)",
        "Total dû",
    ] {
        assert!(text.contains(needle), "{needle} missing from: {text}");
    }
}
