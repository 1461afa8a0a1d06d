//! `encaisse letter notice` and `encaisse report aging` end to end on the demo company (deterministic for a seed
//! and an end date): the formal notice's JSON contract, pinned by snapshots, and the PDFs written.

use crate::common::encaisse;
use serde_json::Value;
use std::process::Command;

fn ok(out: &std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn pdftotext(path: &std::path::Path) -> Option<String> {
    let out = Command::new("pdftotext").arg(path).arg("-").output().ok()?;
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[test]
fn notice_json_contract_and_pdf_on_the_demo_company() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(&db, &["demo", "--end", "2026-11-26"]));

    let pdf = dir.path().join("c14.pdf");
    let json = ok(&encaisse(
        &db,
        &[
            "letter",
            "notice",
            "--customer",
            "C00014",
            "--out",
            pdf.to_str().unwrap(),
            "--json",
        ],
    ));
    let v: Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "customer",
            "as_of",
            "debtor_kind",
            "basis",
            "deadline_days",
            "invoices",
            "excluded",
            "still_due",
            "interest",
            "indemnities",
            "total",
            "credits",
            "to_pay",
            "rates",
            "rates_to_confirm"
        ]
    );
    // 2026 H2's ECB rate is shipped to confirm.
    assert_eq!(v["rates_to_confirm"], serde_json::json!(["2026-07-01"]));
    assert_eq!(
        (&v["debtor_kind"], &v["basis"]),
        (&Value::from("professional"), &Value::from("L441-10"))
    );
    let inv: Vec<_> = v["invoices"][0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        inv,
        [
            "number",
            "due_date",
            "still_due",
            "days_late",
            "interest",
            "indemnity"
        ]
    );
    let rate: Vec<_> = v["rates"][0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(rate, ["from", "to", "rate"]);
    // By hand: 1489.02 × 12.15 × 67 / 36,500 = 33.209… → 33.21; 1335.45 × 12.15 × 15 / 36,500 = 6.668… → 6.67;
    // 826.85 × 12.15 × 1 / 36,500 = 0.275… → 0.28; indemnities 3 × 40.
    assert_eq!(v["interest"], "40.16");
    assert_eq!(v["total"], "3811.48");
    insta::assert_snapshot!("notice_c00014_json", json);

    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if let Some(text) = pdftotext(&pdf) {
        for needle in [
            "MISE EN DEMEURE DE PAYER",
            "F2026-16211",
            "33,21 €",
            "3 811,48 €",
            "Objet : mise en demeure de payer 3 factures échues — total réclamé 3 811,48 €",
            "Sauf erreur ou omission de notre part",
            "la somme de 3 811,48 € dans un délai de 8 jours à compter de la réception de la présente.",
            "jusqu’au complet paiement des sommes dues",
            "SAS au capital de 150 000 €",
            "RCS Lyon",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in {text}");
        }
    } else {
        eprintln!("SKIPPED text checks: pdftotext (poppler-utils) is not installed");
    }

    // Late across four half-years (2025 H1 at 13.15 %, then 12.15 %).
    let json = ok(&encaisse(
        &db,
        &[
            "letter",
            "notice",
            "--customer",
            "C00030",
            "--out",
            pdf.to_str().unwrap(),
            "--json",
        ],
    ));
    // By hand, F2025-00992 (192.47 due 6 February 2025, 658 days): 144 days of 2025 H1 at 13.15 %, then 184 + 181
    // + 149 days at 12.15 %: 192.47 × (13.15 × 144 + 12.15 × 514) / 36,500 = 192.47 × 8138.7 / 36,500 = 42.916…
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["invoices"][0]["number"], "F2025-00992");
    assert_eq!(v["invoices"][0]["days_late"], 658);
    assert_eq!(v["invoices"][0]["interest"], "42.92");
    assert_eq!(v["rates"].as_array().unwrap().len(), 4);
    insta::assert_snapshot!("notice_c00030_json", json);

    // The same notice twice: the same bytes.
    let again = dir.path().join("again.pdf");
    ok(&encaisse(
        &db,
        &[
            "letter",
            "notice",
            "--customer",
            "C00030",
            "--out",
            again.to_str().unwrap(),
        ],
    ));
    assert_eq!(std::fs::read(&pdf).unwrap(), std::fs::read(&again).unwrap());
}

/// A disputed invoice and a promised one are left out of the notice and listed as excluded; `--include-held`
/// claims them with a warning each.
#[test]
fn notice_leaves_out_disputed_and_promised_invoices() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(&db, &["demo", "--end", "2026-11-26"]));
    let pdf = dir.path().join("c14.pdf");
    let notice = |extra: &[&str]| {
        let mut args = vec![
            "letter",
            "notice",
            "--customer",
            "C00014",
            "--out",
            pdf.to_str().unwrap(),
            "--json",
        ];
        args.extend_from_slice(extra);
        let out = encaisse(&db, &args);
        let v: Value = serde_json::from_str(&ok(&out)).unwrap();
        (v, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (all, _) = notice(&[]);
    assert_eq!(
        all["excluded"],
        serde_json::json!([]),
        "always present, empty when none"
    );
    ok(&encaisse(
        &db,
        &[
            "dispute",
            "open",
            "--customer",
            "C00014",
            "--invoice",
            "F2026-16211",
            "--kind",
            "quality",
            "--department",
            "quality",
            "--date",
            "2026-11-20",
        ],
    ));
    ok(&encaisse(
        &db,
        &[
            "promise",
            "add",
            "--customer",
            "C00014",
            "--invoice",
            "F2026-17508",
            "--date",
            "2026-12-01",
            "--amount",
            "1335.45",
            "--made-on",
            "2026-11-24",
        ],
    ));
    let (held, stderr) = notice(&[]);
    assert_eq!(
        held["excluded"],
        serde_json::json!([
            {"invoice": "F2026-16211", "reason": "dispute"},
            {"invoice": "F2026-17508", "reason": "promise"}
        ])
    );
    // Nothing said of held invoices when they are left out (the 2026 H2 rate still to confirm is said, as always).
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.contains("is not confirmed"))
        .collect();
    assert!(said.is_empty(), "{stderr}");
    // By hand: only F2026-17861 is claimed: 826.85 + 0.28 of penalties + 40.00 = 867.13.
    let numbers: Vec<&str> = held["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["F2026-17861"]);
    assert_eq!(held["total"], "867.13");
    assert_eq!(held["to_pay"], "867.13");
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            !text.contains("F2026-16211") && !text.contains("F2026-17508"),
            "{text}"
        );
        assert!(text.contains("total réclamé 867,13 €"), "{text}");
    }
    let (included, stderr) = notice(&["--include-held"]);
    assert_eq!(included["excluded"], serde_json::json!([]));
    assert_eq!(included["total"], all["total"]);
    assert!(
        stderr.contains("F2026-16211") && stderr.contains("dispute"),
        "{stderr}"
    );
    assert!(
        stderr.contains("F2026-17508") && stderr.contains("promise"),
        "{stderr}"
    );
    // Without --json: the invoices left out are named.
    let said = ok(&encaisse(
        &db,
        &[
            "letter",
            "notice",
            "--customer",
            "C00014",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    assert!(said.contains("left out: F2026-16211 (open dispute)"), "{said}");
    assert!(said.contains("left out: F2026-17508 (running promise)"), "{said}");
}

#[test]
fn report_aging_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(
        &db,
        &["demo", "--customers", "30", "--end", "2026-11-26"],
    ));
    let pdf = dir.path().join("aging.pdf");
    let msg = ok(&encaisse(
        &db,
        &[
            "report",
            "aging",
            "--as-of",
            "2026-11-26",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    assert!(msg.contains("aged balance"));
    let aging: Value = serde_json::from_str(&ok(&encaisse(&db, &["aging", "--format", "json"]))).unwrap();
    if let Some(text) = pdftotext(&pdf) {
        assert!(text.contains("Balance âgée des comptes clients"));
        let total = aging["totals"]["balance"].as_str().unwrap();
        let (int, frac) = total.split_once('.').unwrap();
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(' ');
            }
            grouped.push(c);
        }
        assert!(
            text.contains(&format!("{grouped},{frac}")),
            "total {total} not in {text}"
        );
    }

    let out = encaisse(
        &db,
        &[
            "letter",
            "notice",
            "--customer",
            "NOPE",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE"));
    let out = encaisse(&db, &["letter", "notice", "--customer", "C00001"]);
    assert!(!out.status.success(), "--out is required");
}

/// `encaisse letter reminder` writes the step's template as a letter; `encaisse letters batch --record` prints the
/// day's letters in one PDF and records them: the agenda has no letter left.
#[test]
fn reminder_letter_and_the_days_batch_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(&db, &["demo", "--end", "2026-11-26"]));
    let pdf = dir.path().join("r2.pdf");
    let said = ok(&encaisse(
        &db,
        &[
            "letter",
            "reminder",
            "--customer",
            "C00014",
            "--step",
            "reminder_2",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    assert!(
        said.contains("reminder_2 letter to C00014 as of 2026-11-26"),
        "{said}"
    );
    if let Some(text) = pdftotext(&pdf) {
        for needle in [
            "Objet : Atelier",
            "deuxième relance : factures impayées",
            // No reminder sent before in the demo's log for these invoices: the neutral opening.
            "Sauf erreur de notre part, nous n’avons pas reçu le règlement des factures échues suivantes :",
            "Total restant dû 3 651,32 €",
            // The invoices not yet due of the action, apart.
            "À échoir Facture Date Échéance Montant TTC Reste dû F2026-18324",
            "Total à échoir",
            "sous 8 jours à compter de la réception",
            "40 € par facture payée en retard",
            "Page 1/1",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
    }
    let letters_on_agenda = |db: &std::path::Path| {
        let v: Value = serde_json::from_str(&ok(&encaisse(db, &["agenda", "--format", "json"]))).unwrap();
        v["actions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["channel"].as_str().unwrap().contains("letter"))
            .count()
    };
    let before = letters_on_agenda(&db);
    assert!(before > 0);
    // A file that cannot be written prints nothing, so nothing is recorded.
    let nowhere = dir.path().join("no-such-folder").join("batch.pdf");
    for args in [
        &["letters", "batch", "--record"][..],
        &["letter", "reminder", "--customer", "C00014", "--record"][..],
    ] {
        let mut args = args.to_vec();
        args.extend(["--out", nowhere.to_str().unwrap()]);
        let out = encaisse(&db, &args);
        assert!(!out.status.success(), "{args:?}");
        assert_eq!(letters_on_agenda(&db), before, "{args:?}: nothing recorded");
    }
    let batch = dir.path().join("batch.pdf");
    let json = ok(&encaisse(
        &db,
        &[
            "letters",
            "batch",
            "--out",
            batch.to_str().unwrap(),
            "--record",
            "--by",
            "marie",
            "--json",
        ],
    ));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["left_out"], serde_json::json!([]), "nobody left out");
    let list = v["letters"].as_array().unwrap();
    assert_eq!(list.len(), before);
    assert!(list.iter().all(|l| l["action_id"].is_i64()));
    let pages: u64 = list.iter().map(|l| l["pages"].as_u64().unwrap()).sum();
    if let Ok(out) = Command::new("pdfinfo").arg(&batch).output() {
        let info = String::from_utf8(out.stdout).unwrap();
        let counted = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse::<u64>().unwrap()));
        assert_eq!(counted, Some(pages), "{info}");
    }
    assert_eq!(letters_on_agenda(&db), 0);
    let out = encaisse(&db, &["letters", "batch", "--out", batch.to_str().unwrap()]);
    assert!(!out.status.success(), "nothing left to print");
}

/// `encaisse letters settings` sets the signatory printed in the notice's signature block.
#[test]
fn the_signatory_setting_signs_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(&db, &["demo", "--end", "2026-11-26"]));
    let json = ok(&encaisse(
        &db,
        &[
            "letters",
            "settings",
            "--signatory-name",
            "Élodie Marchand",
            "--signatory-title",
            "Directrice administrative et financière",
        ],
    ));
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["signatory_name"], "Élodie Marchand");
    let again: Value = serde_json::from_str(&ok(&encaisse(&db, &["letters", "settings"]))).unwrap();
    assert_eq!(again, v, "kept");
    let pdf = dir.path().join("n.pdf");
    ok(&encaisse(
        &db,
        &[
            "letter",
            "notice",
            "--customer",
            "C00014",
            "--out",
            pdf.to_str().unwrap(),
        ],
    ));
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            text.contains("Élodie Marchand Directrice administrative et financière"),
            "{text}"
        );
    }
}

#[test]
fn the_rates_table_is_shown_edited_and_reset() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&encaisse(&db, &["demo", "--customers", "20"]));
    let shown: Value = serde_json::from_str(&ok(&encaisse(&db, &["letters", "rates"]))).unwrap();
    assert_eq!(shown["builtin"], true);
    let edited: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &["letters", "rates", "--ecb", "2027-01-01=1,90", "--by", "claire"],
    )))
    .unwrap();
    assert_eq!(edited["builtin"], false);
    assert_eq!(
        edited["ecb"][0],
        serde_json::json!({"from": "2027-01-01", "rate": "1.90", "confirmed": true})
    );
    let refused = encaisse(&db, &["letters", "rates", "--ecb", "2027-03-01=2"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("1 January or 1 July"));
    let mut reset: Value =
        serde_json::from_str(&ok(&encaisse(&db, &["letters", "rates", "--reset"]))).unwrap();
    // The same rates; the version counts the edit and the reset.
    assert_eq!(reset["version"], 2);
    reset["version"] = shown["version"].clone();
    assert_eq!(reset, shown);
    let audit = ok(&encaisse(&db, &["audit", "--format", "json"]));
    assert!(audit.contains("\"rates\""), "{audit}");
}

/// `encaisse letters settings` refuses an IBAN that fails ISO 13616 (mod 97, the country's length) and a BIC
/// that is not ISO 9362, saving nothing; a valid pair is kept without spaces.
#[test]
fn invalid_bank_details_are_refused_by_the_settings_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    ok(&encaisse(&db, &["demo", "--customers", "20"]));
    for (flag, value, message) in [
        ("--iban", "FR76 1234 5678", "'FR76 1234 5678' is not a valid IBAN"),
        (
            "--iban",
            "FR76 3000 6000 0112 3456 7890 188",
            "check digits are wrong",
        ),
        ("--bic", "XX", "'XX' is not a valid BIC (ISO 9362"),
    ] {
        let out = encaisse(&db, &["letters", "settings", flag, value]);
        assert!(!out.status.success(), "{flag} {value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{err}");
    }
    let shown: Value = serde_json::from_str(&ok(&encaisse(&db, &["letters", "settings"]))).unwrap();
    assert_eq!(shown["iban"], Value::Null, "nothing saved");
    let saved: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &[
            "letters",
            "settings",
            "--iban",
            "FR76 3000 6000 0112 3456 7890 189",
            "--bic",
            "agrifrpp",
        ],
    )))
    .unwrap();
    assert_eq!(saved["iban"], "FR7630006000011234567890189");
    assert_eq!(saved["bic"], "AGRIFRPP");
}

/// A half-year without its ECB rate (2027 H1 for a batch of February 2027) leaves the notices out of the day's
/// batch, each named with its reason and the screen where to add the rate; the other letters print and the
/// command exits 2. The rate added "to confirm" through `letters rates` lets them print (exit 0) and every notice
/// that uses it lists it in `rates_to_confirm` until it is confirmed.
#[test]
fn a_missing_rate_leaves_its_letters_out_of_the_batch_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(&db, &["demo", "--end", "2026-11-26"]));
    let pdf = dir.path().join("b.pdf");
    let batch = |db: &std::path::Path| {
        encaisse(
            db,
            &[
                "letters",
                "batch",
                "--as-of",
                "2027-02-15",
                "--out",
                pdf.to_str().unwrap(),
                "--json",
            ],
        )
    };
    let out = batch(&db);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let letters = v["letters"].as_array().unwrap();
    let left_out = v["left_out"].as_array().unwrap();
    assert!(!letters.is_empty() && !left_out.is_empty(), "{v}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for l in left_out {
        let customer = l["customer"].as_str().unwrap();
        assert_eq!(l["missing_rate"], "2027-01-01", "{l}");
        assert_eq!(
            l["reason"],
            format!(
                "customer {customer}: no ECB rate for the half-year starting 2027-01-01: add it in Settings → \
                 Lettres et taux (penalty rates by half-year)"
            )
        );
        assert!(
            !letters.iter().any(|p| p["customer"] == customer),
            "{customer} both printed and left out"
        );
        assert!(
            stderr.contains(&format!("left out (formal_notice): customer {customer}: ")),
            "{stderr}"
        );
    }
    let first = left_out[0]["customer"].as_str().unwrap().to_string();

    // The rate added, to confirm: nobody left out, exit 0; the notice lists the half-year to confirm.
    let rates: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &[
            "letters",
            "rates",
            "--ecb",
            "2027-01-01=2,00",
            "--to-confirm",
            "ecb=2027-01-01",
        ],
    )))
    .unwrap();
    assert_eq!(
        rates["ecb"][0],
        serde_json::json!({"from": "2027-01-01", "rate": "2.00", "confirmed": false})
    );
    let out = batch(&db);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["left_out"], serde_json::json!([]));
    assert_eq!(
        v["letters"].as_array().unwrap().len(),
        letters.len() + left_out.len()
    );
    let notice = |db: &std::path::Path| -> Value {
        let json = ok(&encaisse(
            db,
            &[
                "letter",
                "notice",
                "--customer",
                &first,
                "--as-of",
                "2027-02-15",
                "--out",
                pdf.to_str().unwrap(),
                "--json",
            ],
        ));
        serde_json::from_str(&json).unwrap()
    };
    assert_eq!(
        notice(&db)["rates_to_confirm"],
        serde_json::json!(["2026-07-01", "2027-01-01"])
    );
    let rates: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &[
            "letters",
            "rates",
            "--confirm",
            "ecb=2027-01-01",
            "--confirm",
            "ecb=2026-07-01",
        ],
    )))
    .unwrap();
    assert!(rates["ecb"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["confirmed"] == true));
    assert_eq!(notice(&db)["rates_to_confirm"], serde_json::json!([]));

    // A half-year the list does not have, a list that does not exist: refused, exit 1.
    for (arg, says) in [
        ("ecb=2030-01-01", "no rate from 2030-01-01"),
        ("bce=2026-07-01", "bce is not ecb, legal or legal-individuals"),
    ] {
        let out = encaisse(&db, &["letters", "rates", "--to-confirm", arg]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(says), "{arg}");
    }
    // The built-in legal interest rates, both columns, from 2023 H1.
    let rates: Value = serde_json::from_str(&ok(&encaisse(&db, &["letters", "rates", "--reset"]))).unwrap();
    let last = |list: &str| rates[list].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last("legal_interest"),
        serde_json::json!({"from": "2023-01-01", "rate": "2.06", "confirmed": true})
    );
    assert_eq!(
        last("legal_interest_individuals"),
        serde_json::json!({"from": "2023-01-01", "rate": "4.47", "confirmed": true})
    );
}

/// `encaisse letters debtor-kinds` shows and sets the segment → kind mapping (audited); the notice's JSON follows the
/// kind: C00009, of the demo's `secteur_public` segment, is a public body (R2192-31, one fixed rate), a professional
/// once the segment is cleared (L441-10), a private person when mapped so (civil: nothing but the principal).
#[test]
fn debtor_kinds_are_shown_set_and_decide_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    ok(&encaisse(&db, &["demo", "--end", "2026-11-26"]));
    assert_eq!(
        ok(&encaisse(&db, &["letters", "debtor-kinds"])),
        "secteur_public\tpublic_body\n"
    );
    let pdf = dir.path().join("c9.pdf");
    let notice = || -> Value {
        serde_json::from_str(&ok(&encaisse(
            &db,
            &[
                "letter",
                "notice",
                "--customer",
                "C00009",
                "--out",
                pdf.to_str().unwrap(),
                "--json",
            ],
        )))
        .unwrap()
    };
    let public = notice();
    assert_eq!(
        (&public["basis"], &public["debtor_kind"]),
        (&Value::from("R2192-31"), &Value::from("public_body"))
    );
    assert_eq!(
        public["rates"],
        serde_json::json!([{"from": "2026-07-01", "to": "2026-12-31", "rate": "10.15"}])
    );
    if let Some(text) = pdftotext(&pdf) {
        assert!(
            text.contains("référé-provision") && text.contains("R2192-31"),
            "{text}"
        );
        assert!(!text.contains("injonction de payer"), "{text}");
    }

    let cleared: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &[
            "letters",
            "debtor-kinds",
            "--clear",
            "secteur_public",
            "--json",
            "--by",
            "claire",
        ],
    )))
    .unwrap();
    assert_eq!(cleared, serde_json::json!({"segments": []}));
    let professional = notice();
    assert_eq!(
        (&professional["basis"], &professional["debtor_kind"]),
        (&Value::from("L441-10"), &Value::from("professional"))
    );
    assert_eq!(professional["rates"][0]["rate"], "12.15");

    let private: Value = serde_json::from_str(&ok(&encaisse(
        &db,
        &[
            "letters",
            "debtor-kinds",
            "--segment",
            "secteur_public=private_person",
            "--json",
        ],
    )))
    .unwrap();
    assert_eq!(
        private,
        serde_json::json!({"segments": [{"segment": "secteur_public", "kind": "private_person"}]})
    );
    let civil = notice();
    assert_eq!(
        (&civil["basis"], &civil["debtor_kind"]),
        (&Value::from("civil"), &Value::from("private_person"))
    );
    assert_eq!(
        (&civil["interest"], &civil["indemnities"]),
        (&Value::from("0.00"), &Value::from("0.00"))
    );
    assert_eq!(civil["total"], civil["still_due"]);
    assert!(civil["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["indemnity"] == "0.00"));

    let refused = encaisse(&db, &["letters", "debtor-kinds", "--segment", "pme=public"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("professional, public_body or private_person"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let audit = ok(&encaisse(&db, &["audit", "--format", "json"]));
    assert!(audit.contains("\"debtor_kinds\""), "{audit}");
}
