//! `encaisse import bank` and `encaisse bank …` on the demo company: the JSON contracts (the statements and the
//! counts; the entries with their status, matches, reasons and suggestions), a decision by the CLI, a refused
//! file naming its file, line and field, and a statement removed.

use crate::common::encaisse;
use serde_json::Value;
use std::path::Path;

fn ok_json(db: &Path, args: &[&str]) -> Value {
    let out = encaisse(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// A camt.053.001.08 of one day: a payment naming `invoice` for `amount`, another from nobody known.
fn statement(path: &Path, invoice: &str, amount: &str) {
    let (units, cents) = amount.split_once('.').unwrap();
    let closing = 10_000 + units.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap() + 3_141;
    let closing = format!("{}.{:02}", closing / 100, closing % 100);
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-11-26T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>CLI-1</Id>
      <FrToDt><FrDtTm>2026-11-25T00:00:00</FrDtTm><ToDtTm>2026-11-25T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>FR7630004005680001234567890</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-25</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{closing}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-25</Dt></Dt></Bal>
      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-11-25</Dt></BookgDt>
        <AcctSvcrRef>C1</AcctSvcrRef>
        <NtryDtls><TxDtls><RmtInf><Ustrd>REGLEMENT {invoice}</Ustrd></RmtInf></TxDtls></NtryDtls>
        <AddtlNtryInf>VIR SEPA RECU</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">31.41</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-11-25</Dt></BookgDt>
        <AcctSvcrRef>C2</AcctSvcrRef>
        <AddtlNtryInf>VIR SEPA RECU INCONNU</AddtlNtryInf>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#
    );
    std::fs::write(path, xml).unwrap();
}

fn entries(db: &Path, status: Option<&str>) -> Vec<Value> {
    let mut args = vec!["bank", "entries", "--format", "json"];
    if let Some(s) = status {
        args.extend(["--status", s]);
    }
    ok_json(db, &args)["entries"].as_array().unwrap().clone()
}

#[test]
fn bank_statements_in_and_the_entries_contract() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    assert!(encaisse(&db, &["demo", "--customers", "12"]).status.success());
    let aging = ok_json(&db, &["aging", "--invoices", "--format", "json"]);
    let open = aging["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["residual"]
                .as_str()
                .is_some_and(|r| !r.starts_with('-') && r != "0.00")
        })
        .unwrap()
        .clone();
    let (invoice, residual, customer) = (
        open["piece_ref"].as_str().unwrap(),
        open["residual"].as_str().unwrap(),
        open["customer_id"].as_str().unwrap(),
    );
    let file = dir.path().join("releve.xml");
    statement(&file, invoice, residual);
    let f = file.to_str().unwrap();

    let dry = ok_json(&db, &["import", "bank", f, "--dry-run", "--format", "json"]);
    assert!(entries(&db, None).is_empty(), "a dry run writes nothing");
    let r = ok_json(&db, &["import", "bank", f, "--format", "json"]);
    assert_eq!(r["statements"], dry["statements"].clone().tap_id(&r));
    let s = &r["statements"][0];
    assert_eq!(s["file"], "releve.xml");
    assert_eq!(s["format"], "camt053.001.08");
    assert_eq!(s["account"], "FR7630004005680001234567890");
    assert_eq!(
        (s["from"].as_str(), s["to"].as_str()),
        (Some("2026-11-25"), Some("2026-11-25"))
    );
    assert_eq!(s["opening"], "100.00");
    assert!(s["closing"].is_string());
    assert_eq!(r["warnings"], serde_json::json!([]), "balanced");
    assert_eq!(s["entries"], 2);
    assert_eq!(
        (&r["credits"], &r["matched"], &r["suggested"], &r["unmatched"]),
        (&2.into(), &1.into(), &0.into(), &1.into())
    );

    let matched = entries(&db, Some("matched"));
    assert_eq!(matched.len(), 1);
    let e = &matched[0];
    for key in [
        "id",
        "date",
        "amount",
        "counterparty",
        "remittance",
        "status",
        "matches",
        "reasons",
        "suggestions",
    ] {
        assert!(e.get(key).is_some(), "{key} missing in {e}");
    }
    assert_eq!(e["amount"], residual);
    assert_eq!(e["date"], "2026-11-25");
    assert_eq!(e["status"], "matched");
    assert_eq!(e["matches"][0]["invoice"], invoice);
    assert_eq!(e["matches"][0]["customer"], customer);
    assert_eq!(e["matches"][0]["amount"], residual);
    assert_eq!(e["reasons"][0]["code"], "invoice_number_in_label");
    let s0 = &e["suggestions"][0];
    assert_eq!(
        (&s0["invoices"][0], &s0["customer"]),
        (&Value::from(invoice), &Value::from(customer))
    );
    assert!(s0["score"].as_u64().unwrap() >= 70);

    // The unknown payment, booked on account by the CLI, then ignored, then unmatched.
    let other = entries(&db, Some("unmatched"));
    let id = other[0]["id"].as_str().unwrap();
    let on = ok_json(
        &db,
        &[
            "bank",
            "on-account",
            id,
            "--customer",
            customer,
            "--format",
            "json",
        ],
    );
    assert_eq!(on["status"], "on_account");
    ok_json(&db, &["bank", "ignore", id, "--format", "json"]);
    assert_eq!(entries(&db, Some("ignored")).len(), 1);
    ok_json(&db, &["bank", "unmatch", id, "--format", "json"]);
    // A bad invoice share names the invoice.
    let out = encaisse(&db, &["bank", "match", id, "--invoice", "NOPE-1=3.00"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invoice NOPE-1"));

    // The same file again: no change.
    let again = ok_json(&db, &["import", "bank", f, "--format", "json"]);
    assert_eq!(again["entries_added"], 0);
    assert_eq!(entries(&db, None).len(), 2);

    // A refused file: file, line and field named, nothing written.
    let bad = dir.path().join("bad.xml");
    std::fs::write(
        &bad,
        std::fs::read_to_string(&file)
            .unwrap()
            .replace("<Dt>2026-11-25</Dt></BookgDt>", "<Dt>25/11/2026</Dt></BookgDt>"),
    )
    .unwrap();
    let out = encaisse(&db, &["import", "bank", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.xml:"), "{err}");

    // Remove the statement: its entries and matches go.
    let list = ok_json(&db, &["bank", "statements", "--format", "json"]);
    let sid = list["statements"][0]["id"].as_i64().unwrap().to_string();
    let removed = ok_json(&db, &["bank", "remove", &sid, "--format", "json"]);
    assert_eq!(removed["entries_removed"], 2);
    assert!(entries(&db, None).is_empty());
}

/// A dry run's statements have no number yet: compare them with the import's once numbered alike.
trait TapId {
    fn tap_id(self, imported: &Value) -> Value;
}

impl TapId for Value {
    fn tap_id(mut self, imported: &Value) -> Value {
        for (s, i) in self
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(imported["statements"].as_array().unwrap())
        {
            s["id"] = i["id"].clone();
        }
        self
    }
}

/// `--ledger-only`: a bank receipt pays an invoice in `aging`, `agenda`, `customers` and `forecast`
/// by default; with the flag they show the FEC alone.
#[test]
fn ledger_only_leaves_out_the_provisional_receipts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    assert!(encaisse(&db, &["demo", "--customers", "12"]).status.success());
    let agenda = ok_json(&db, &["agenda", "--format", "json"]);
    let action = agenda["actions"][0].clone();
    let (customer, invoice) = (
        action["customer"].as_str().unwrap(),
        action["invoices"][0].as_str().unwrap(),
    );
    let aging = ok_json(&db, &["aging", "--invoices", "--format", "json"]);
    let residual = aging["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["piece_ref"] == invoice)
        .unwrap()["residual"]
        .as_str()
        .unwrap()
        .to_string();
    let file = dir.path().join("releve.xml");
    statement(&file, invoice, &residual);
    ok_json(
        &db,
        &["import", "bank", file.to_str().unwrap(), "--format", "json"],
    );

    let has = |args: &[&str]| {
        ok_json(&db, args)["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["piece_ref"] == invoice)
    };
    assert!(!has(&["aging", "--invoices", "--format", "json"]));
    assert!(has(&["aging", "--invoices", "--format", "json", "--ledger-only"]));
    let in_agenda = |args: &[&str]| {
        ok_json(&db, args)["actions"].as_array().unwrap().iter().any(|a| {
            a["customer"] == customer && a["invoices"].as_array().unwrap().iter().any(|i| i == invoice)
        })
    };
    assert!(!in_agenda(&["agenda", "--format", "json"]));
    assert!(in_agenda(&["agenda", "--format", "json", "--ledger-only"]));
    let balance = |args: &[&str]| {
        ok_json(&db, args)
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == customer)
            .map(|c| {
                c["balance"]
                    .as_str()
                    .unwrap()
                    .parse::<rust_decimal::Decimal>()
                    .unwrap()
            })
            .unwrap_or_default()
    };
    let with = balance(&["customers", "--format", "json"]);
    let without = balance(&["customers", "--format", "json", "--ledger-only"]);
    assert_eq!(without - with, residual.parse::<rust_decimal::Decimal>().unwrap());
    let forecast = ok_json(&db, &["forecast", "--format", "json"]);
    let ledger = ok_json(&db, &["forecast", "--format", "json", "--ledger-only"]);
    assert_ne!(forecast, ledger, "the receipt's invoice is no longer expected");
}
