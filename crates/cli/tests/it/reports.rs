//! The finance director's reports end to end: JSON contracts (key order), the forecast adding up to the aged
//! balance, the first `aging` and `dso` outputs unchanged without the new flags, exports to files.

use crate::common::encaisse;
use serde_json::Value;

fn ok_json(db: &std::path::Path, args: &[&str]) -> Value {
    let out = encaisse(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn cents(v: &Value) -> i64 {
    v.as_str().unwrap().replace('.', "").parse().unwrap()
}

#[test]
fn reports_print_their_contracts_on_the_demo_company() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = encaisse(
        &db,
        &["demo", "--customers", "40", "--seed", "3", "--end", "2026-11-26"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Forecast: exactly the contract, weeks Monday to Sunday, total = the aged balance's buckets.
    let f = ok_json(&db, &["forecast", "--as-of", "2026-11-15", "--format", "json"]);
    assert_eq!(keys(&f), ["as_of", "weeks", "later", "uncertain", "total"]);
    let weeks = f["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 13);
    // `confirmed` (issue 15): the part of `expected` promised, approved (205) or announced (211) by the buyer.
    assert_eq!(keys(&weeks[0]), ["start", "end", "expected", "confirmed"]);
    for w in weeks {
        let amount = |k: &str| w[k].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap();
        assert!(amount("confirmed") <= amount("expected"), "{w}");
    }
    assert_eq!(weeks[0]["start"], "2026-11-09");
    assert_eq!(weeks[0]["end"], "2026-11-15");
    let aging = ok_json(&db, &["aging", "--as-of", "2026-11-15", "--format", "json"]);
    let open: i64 = aging["totals"]["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(cents)
        .sum();
    assert_eq!(cents(&f["total"]), open);
    let placed: i64 = weeks.iter().map(|w| cents(&w["expected"])).sum::<i64>()
        + cents(&f["later"])
        + cents(&f["uncertain"]);
    assert_eq!(placed, open);
    let f6 = ok_json(
        &db,
        &[
            "forecast",
            "--as-of",
            "2026-11-15",
            "--weeks",
            "6",
            "--format",
            "json",
        ],
    );
    assert_eq!(f6["weeks"].as_array().unwrap().len(), 6);
    assert_eq!(f6["total"], f["total"]);
    insta::assert_json_snapshot!("forecast_demo40", f);

    // Customers: key order as the contract writes it.
    let c = ok_json(&db, &["customers", "--as-of", "2026-11-15", "--format", "json"]);
    let rows = c.as_array().unwrap();
    assert_eq!(rows.len(), 40);
    assert_eq!(
        keys(&rows[0]),
        [
            "id",
            "name",
            "balance",
            "overdue",
            "avg_days_late",
            "score",
            "class",
            "credit_limit",
            "segment"
        ]
    );
    let balances: i64 = rows.iter().map(|r| cents(&r["balance"])).sum();
    assert_eq!(balances, cents(&aging["totals"]["balance"]));

    // DSO: the first contract unless --all.
    let d = ok_json(&db, &["dso", "--as-of", "2026-11-15", "--format", "json"]);
    assert_eq!(
        keys(&d),
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
    let all = ok_json(
        &db,
        &["dso", "--as-of", "2026-11-15", "--all", "--format", "json"],
    );
    assert_eq!(&keys(&all)[..7], &keys(&d)[..]);
    assert_eq!(all["dso_average"], d["dso_average"]);
    assert_eq!(all["trend"].as_array().unwrap().len(), 12);

    // Aging options: other buckets, invoice date, groups; totals unchanged.
    let g = ok_json(
        &db,
        &[
            "aging",
            "--as-of",
            "2026-11-15",
            "--buckets",
            "15,30,45",
            "--by",
            "invoice-date",
            "--group-by",
            "segment",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        g["buckets"],
        serde_json::json!(["not_due", "1-15", "16-30", "31-45", "46+"])
    );
    assert_eq!(g["totals"]["balance"], aging["totals"]["balance"]);
    let inv = ok_json(
        &db,
        &["aging", "--as-of", "2026-11-15", "--invoices", "--format", "json"],
    );
    let residuals: i64 = inv["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| cents(&i["residual"]))
        .sum();
    assert_eq!(residuals, open);

    // D441-6 with an entered turnover.
    let t = ok_json(
        &db,
        &[
            "d441-6",
            "--year-end",
            "2025-12-31",
            "--turnover",
            "2000000",
            "--format",
            "json",
        ],
    );
    assert_eq!(t["turnover"], "2000000.00");
    assert_eq!(t["turnover_source"], "user");
    assert_eq!(t["bands"].as_array().unwrap().len(), 4);
    insta::assert_json_snapshot!("d441_6_demo40", t);

    let acc = ok_json(
        &db,
        &[
            "forecast",
            "accuracy",
            "--as-of",
            "2026-11-15",
            "--origins",
            "8",
            "--format",
            "json",
        ],
    );
    assert_eq!(acc["backtests"].as_array().unwrap().len(), 8);
    assert_eq!(acc["horizon_weeks"], 4);

    // Exports: XLSX to a file (a zip), CSV for a French spreadsheet; xlsx without --out is refused.
    let xlsx = dir.path().join("aging.xlsx");
    let out = encaisse(
        &db,
        &["aging", "--format", "xlsx", "--out", xlsx.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(&std::fs::read(&xlsx).unwrap()[..2], b"PK");
    for args in [
        &["customers", "--format", "xlsx", "--out"][..],
        &["forecast", "--format", "xlsx", "--out"][..],
        &["d441-6", "--year-end", "2025-12-31", "--format", "xlsx", "--out"][..],
    ] {
        let file = dir.path().join(format!("{}.xlsx", args[0]));
        let mut a = args.to_vec();
        a.push(file.to_str().unwrap());
        let out = encaisse(&db, &a);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(&std::fs::read(&file).unwrap()[..2], b"PK");
    }
    let out = encaisse(&db, &["forecast", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.starts_with("\u{feff}Semaine;Du;Au;Encaissement attendu;Dont confirmé\n"),
        "{csv}"
    );
    let out = encaisse(&db, &["customers", "--format", "xlsx"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
    // Printable: every report as a PDF table with --format pdf --out (pdftotext reads its title back).
    for args in [
        &["aging", "--group-by", "segment", "--format", "pdf", "--out"][..],
        &["customers", "--format", "pdf", "--out"][..],
        &["forecast", "--format", "pdf", "--out"][..],
        &["d441-6", "--year-end", "2025-12-31", "--format", "pdf", "--out"][..],
        &["audit", "--format", "pdf", "--out"][..],
    ] {
        let file = dir.path().join(format!("{}.pdf", args[0]));
        let mut a = args.to_vec();
        a.push(file.to_str().unwrap());
        let out = encaisse(&db, &a);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(&std::fs::read(&file).unwrap()[..5], b"%PDF-");
        let text = std::process::Command::new("pdftotext")
            .arg(&file)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        assert!(
            !String::from_utf8_lossy(&text.stdout).trim().is_empty(),
            "{args:?}"
        );
    }
    let out = encaisse(&db, &["d441-6", "--year-end", "2025-12-31", "--format", "pdf"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
    let out = encaisse(&db, &["aging", "--buckets", "30,10"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("buckets"));

    // Categories.
    let out = encaisse(&db, &["category", "C00001", "public_body"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let g = ok_json(&db, &["aging", "--group-by", "category", "--format", "json"]);
    assert!(
        g["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["key"] == "public_body")
            || aging["customers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["id"] != "C00001")
    );
}
