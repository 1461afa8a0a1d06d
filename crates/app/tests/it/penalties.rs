//! The penalty statement on an imported FEC: invoices paid late in full, in parts and on time, across three
//! half-years, hand-computed with the ECB rates of the built-in table; a professional, a public body and a private
//! person; a waiver that stays listed outside the totals, audited, and survives a re-import.

use chrono::NaiveDate;
use encaisse_app::imports::FecImportOptions;
use encaisse_app::penalties::{PenaltiesQuery, WaiverInput};
use encaisse_app::App;
use encaisse_domain::FixedClock;
use serde_json::json;
use std::path::{Path, PathBuf};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One customer-account line with its counterpart: an invoice (VE, positive cents) or a payment (BQ, negative),
/// lettered with `letter` on `letter_date` when given.
struct E(
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
    &'static str,
);

fn fec(entries: &[E]) -> String {
    let mut out = String::from(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\t\
         PieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
    );
    let money = |c: i64| format!("{},{:02}", c / 100, c % 100);
    for (n, E(date, piece, customer, cents, letter, letter_date)) in entries.iter().enumerate() {
        let date = date.replace('-', "");
        let let_date = letter_date.replace('-', "");
        let (journal, other) = if *cents > 0 {
            ("VE", "706000")
        } else {
            ("BQ", "512000")
        };
        let (debit, credit) = if *cents > 0 { (*cents, 0) } else { (0, -cents) };
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t411000\tClients\t{customer}\tClient {customer}\t{piece}\t{date}\t{piece}\t{}\t{}\t{letter}\t{let_date}\t{date}\t\t\n",
            money(debit),
            money(credit),
        ));
        out.push_str(&format!(
            "{journal}\t{journal}\t{n}\t{date}\t{other}\tContrepartie\t\t\t{piece}\t{date}\t{piece}\t{}\t{}\t\t\t{date}\t\t\n",
            money(credit),
            money(debit)
        ));
    }
    out
}

fn write_fec(dir: &Path, name: &str, entries: &[E]) -> PathBuf {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let path = sub.join("123456789FEC20251231.txt");
    std::fs::write(&path, fec(entries)).unwrap();
    path
}

/// 30 days net. C1 (professional): F1 due 2024-12-15 paid in full 2025-07-20 (three half-years), F2 due 2025-03-31
/// paid 400 on time and 600 on 2025-08-09, F3 paid before its due date, F4 due 2025-05-31 paid 2025-06-30.
/// C2 (public body): F5 like F1. C3 (private person): F6 due 2025-02-09 paid 2025-03-31.
fn ledger() -> Vec<E> {
    vec![
        E("2024-11-15", "F1", "C1", 120_000, "A", "2025-07-20"),
        E("2025-07-20", "R1", "C1", -120_000, "A", "2025-07-20"),
        E("2025-03-01", "F2", "C1", 100_000, "B", "2025-08-09"),
        E("2025-03-20", "R2A", "C1", -40_000, "B", "2025-08-09"),
        E("2025-08-09", "R2B", "C1", -60_000, "B", "2025-08-09"),
        E("2025-04-01", "F3", "C1", 50_000, "C", "2025-04-25"),
        E("2025-04-25", "R3", "C1", -50_000, "C", "2025-04-25"),
        E("2025-05-01", "F4", "C1", 30_000, "D", "2025-06-30"),
        E("2025-06-30", "R4", "C1", -30_000, "D", "2025-06-30"),
        E("2024-11-15", "F5", "C2", 120_000, "E", "2025-07-20"),
        E("2025-07-20", "R5", "C2", -120_000, "E", "2025-07-20"),
        E("2025-01-10", "F6", "C3", 10_000, "F", "2025-03-31"),
        E("2025-03-31", "R6", "C3", -10_000, "F", "2025-03-31"),
    ]
}

fn setup() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = crate::backend::open(&dir.path().join("e.db"), Box::new(FixedClock(d("2025-12-31")))).unwrap();
    let path = write_fec(dir.path(), "v1", &ledger());
    app.import_fec(&path, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    app.set_customer_category("C2", Some("public_body")).unwrap();
    app.set_customer_category("C3", Some("private_person")).unwrap();
    (dir, app)
}

#[test]
fn penalties_on_invoices_paid_late_in_full_in_parts_and_on_time_with_a_waiver() {
    let (dir, app) = setup();
    app.waive_penalty(&WaiverInput {
        customer: "C1".into(),
        invoice: "F4".into(),
        reason: "Geste commercial accordé".into(),
    })
    .unwrap();
    let report = app.penalties(&PenaltiesQuery::default()).unwrap();
    // F1: 1,200 × (16 × 14.25 + 181 × 13.15 + 20 × 12.15) / 36,500 = 1,200 × 2,851.15 / 36,500 = 93.74
    // F2: 400 paid on time; 600 × (91 × 13.15 + 40 × 12.15) / 36,500 = 27.66
    // F3: paid before its due date, not listed. F4 (waived): 300 × 30 × 13.15 / 36,500 = 3.24, out of the totals.
    // F5 (public body, R2192-31): 1,200 × 217 × (4.25 + 8) / 36,500 = 87.39
    // F6 (private person): left out.
    let expected = json!({
        "customers": [
            {"id": "C1", "invoices": [
                {"invoice": "F1", "due_date": "2024-12-15", "paid_parts": [
                    {"date": "2025-07-20", "amount": "1200.00", "days_late": 217, "interest": "93.74"}],
                 "interest": "93.74", "indemnity": "40.00", "waived": false, "waiver_reason": null},
                {"invoice": "F2", "due_date": "2025-03-31", "paid_parts": [
                    {"date": "2025-03-20", "amount": "400.00", "days_late": 0, "interest": "0.00"},
                    {"date": "2025-08-09", "amount": "600.00", "days_late": 131, "interest": "27.66"}],
                 "interest": "27.66", "indemnity": "40.00", "waived": false, "waiver_reason": null},
                {"invoice": "F4", "due_date": "2025-05-31", "paid_parts": [
                    {"date": "2025-06-30", "amount": "300.00", "days_late": 30, "interest": "3.24"}],
                 "interest": "3.24", "indemnity": "40.00", "waived": true,
                 "waiver_reason": "Geste commercial accordé"}],
             "interest": "121.40", "indemnities": "80.00"},
            {"id": "C2", "invoices": [
                {"invoice": "F5", "due_date": "2024-12-15", "paid_parts": [
                    {"date": "2025-07-20", "amount": "1200.00", "days_late": 217, "interest": "87.39"}],
                 "interest": "87.39", "indemnity": "40.00", "waived": false, "waiver_reason": null}],
             "interest": "87.39", "indemnities": "40.00"}],
        "interest": "208.79",
        "indemnities": "120.00"
    });
    assert_eq!(serde_json::to_value(&report.statement).unwrap(), expected);
    assert_eq!(report.private_persons_left_out, 1);
    let bases: Vec<(&str, &str)> = report
        .customers
        .iter()
        .map(|c| (c.id.as_str(), c.basis.as_str()))
        .collect();
    assert_eq!(bases, [("C1", "L441-10"), ("C2", "R2192-31")]);
    assert!(report.rates_to_confirm.is_empty());

    // The period filters payment dates: from July only F1, F2 (paid late in July, August) and F5.
    let h2 = app
        .penalty_statement(&PenaltiesQuery {
            from: Some(d("2025-07-01")),
            to: Some(d("2025-12-31")),
            customer: Some("C1".into()),
            ..PenaltiesQuery::default()
        })
        .unwrap();
    assert_eq!(h2.customers.len(), 1);
    let numbers: Vec<&str> = h2.customers[0]
        .invoices
        .iter()
        .map(|i| i.invoice.as_str())
        .collect();
    assert_eq!(numbers, ["F1", "F2"]);
    assert_eq!(
        (h2.interest.as_str(), h2.indemnities.as_str()),
        ("121.40", "80.00")
    );

    // The waiver is in the audit trail with its reason.
    let trail = app.audit_trail(None, None).unwrap();
    let waived = trail
        .iter()
        .find(|e| e.kind == encaisse_app::audit::AuditKind::PenaltyWaived)
        .expect("the waiver is audited");
    assert_eq!(waived.facts.customer.as_deref(), Some("C1"));
    assert_eq!(waived.facts.invoices, ["F4"]);
    assert_eq!(waived.facts.comment.as_deref(), Some("Geste commercial accordé"));

    // A re-import of an updated FEC (one more invoice) keeps the waiver.
    let mut v2 = ledger();
    v2.push(E("2025-11-02", "F7", "C1", 9_900, "", ""));
    v2.reverse();
    let path = write_fec(dir.path(), "v2", &v2);
    let changes = app
        .import_fec(&path, &FecImportOptions::default(), &mut |_| {})
        .unwrap()
        .changes;
    assert!(!changes.unchanged);
    let again = app.penalty_statement(&PenaltiesQuery::default()).unwrap();
    assert_eq!(serde_json::to_value(&again).unwrap(), expected);

    // Unwaived, F4 counts again; a second unwaive is refused.
    app.unwaive_penalty("C1", "F4").unwrap();
    let after = app.penalty_statement(&PenaltiesQuery::default()).unwrap();
    assert_eq!(
        (
            after.customers[0].interest.as_str(),
            after.customers[0].indemnities.as_str()
        ),
        ("124.64", "120.00")
    );
    assert!(app.unwaive_penalty("C1", "F4").is_err());
    assert!(app
        .audit_trail(None, None)
        .unwrap()
        .iter()
        .any(|e| e.kind == encaisse_app::audit::AuditKind::PenaltyUnwaived));
}

#[test]
fn a_waiver_needs_a_reason_and_a_known_customer_and_bad_periods_are_refused() {
    let (_dir, app) = setup();
    let refused = app
        .waive_penalty(&WaiverInput {
            customer: "C1".into(),
            invoice: "F4".into(),
            reason: "  ".into(),
        })
        .unwrap_err();
    assert!(refused.to_string().contains("reason"), "{refused}");
    assert!(app
        .waive_penalty(&WaiverInput {
            customer: "NOPE".into(),
            invoice: "F4".into(),
            reason: "x".into(),
        })
        .is_err());
    let unknown = app
        .waive_penalty(&WaiverInput {
            customer: "C1".into(),
            invoice: "F99".into(),
            reason: "x".into(),
        })
        .unwrap_err();
    assert!(unknown.to_string().contains("no invoice F99"), "{unknown}");
    assert!(app
        .penalties(&PenaltiesQuery {
            from: Some(d("2025-12-01")),
            to: Some(d("2025-01-01")),
            ..PenaltiesQuery::default()
        })
        .is_err());
    assert!(app
        .penalties(&PenaltiesQuery {
            customer: Some("NOPE".into()),
            ..PenaltiesQuery::default()
        })
        .is_err());
    // Nothing was waived.
    let s = app.penalty_statement(&PenaltiesQuery::default()).unwrap();
    assert!(s.customers.iter().flat_map(|c| &c.invoices).all(|i| !i.waived));
}

#[test]
fn the_statement_pdf_says_what_it_is_and_lists_the_waiver() {
    let (dir, app) = setup();
    app.waive_penalty(&WaiverInput {
        customer: "C1".into(),
        invoice: "F4".into(),
        reason: "Geste commercial".into(),
    })
    .unwrap();
    let pdf = app
        .penalty_statement_pdf(&PenaltiesQuery {
            customer: Some("C1".into()),
            ..PenaltiesQuery::default()
        })
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    else {
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
        "Relevé des pénalités de retard",
        "note de débit",
        "ne constitue pas une facture de vente",
        "L441-10",
        "D441-5",
        "93,74 €",
        "27,66 €",
        "Geste commercial",
        "Total dû 201,40 €",
    ] {
        assert!(text.contains(needle), "{needle} missing from: {text}");
    }
    // A private person owes nothing: no statement, and the refusal says why.
    let refused = app
        .penalty_statement_pdf(&PenaltiesQuery {
            customer: Some("C3".into()),
            ..PenaltiesQuery::default()
        })
        .unwrap_err()
        .to_string();
    assert!(refused.contains("private person"), "{refused}");
}
