//! `encaisse import status` and `encaisse einvoice statuses|alerts|outbox` on the demo company: the JSON
//! contracts, a 207 opening a dispute, the same file twice, a refused file naming file, line and field.

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

/// The import crate's hand-made CDAR message with its first two statuses put on `invoice`: a 204 and a 207
/// (PU_ERR), or the 207 without its reason code.
pub(crate) fn message(path: &Path, invoice: &str, date: &str, with_reason: bool) {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/cdar/statuses.xml"),
    )
    .unwrap();
    let mut xml = src
        .replace("F2026-0101", invoice)
        .replace("F2026-0104", invoice)
        .replace("20261015", date)
        .replace("<ram:RecipientTradeParty><ram:GlobalID schemeID=\"0009\">73282932000074</ram:GlobalID><ram:RoleCode>BY</ram:RoleCode></ram:RecipientTradeParty>", "");
    if !with_reason {
        xml = xml.replace("        <ram:ReasonCode>PU_ERR</ram:ReasonCode>\n", "");
    }
    std::fs::write(path, xml).unwrap();
}

#[test]
fn statuses_in_and_their_json_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    assert!(encaisse(&db, &["demo", "--customers", "12"]).status.success());
    let aging = ok_json(&db, &["aging", "--invoices", "--format", "json"]);
    let open = aging["invoices"].as_array().unwrap()[0].clone();
    let invoice = open["piece_ref"].as_str().unwrap();
    let customer = open["customer_id"].as_str().unwrap();
    let date = open["invoice_date"].as_str().unwrap().replace('-', "");

    let bad = dir.path().join("bad.xml");
    message(&bad, invoice, &date, false);
    let out = encaisse(
        &db,
        &["import", "status", bad.to_str().unwrap(), "--format", "json"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.xml:") && err.contains("SpecifiedDocumentStatus/ReasonCode"),
        "{err}"
    );

    let file = dir.path().join("cdv.xml");
    message(&file, invoice, &date, true);
    let r = ok_json(
        &db,
        &["import", "status", file.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(r["files"][0]["file"], "cdv.xml");
    assert_eq!(r["files"][0]["message_id"], "CDV-2026-11-20-001");
    assert!(r["attached"].as_u64().unwrap() >= 2);
    assert_eq!(r["disputes_opened"].as_array().unwrap().len(), 1, "{r}");
    let again = ok_json(
        &db,
        &["import", "status", file.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(again["added"], 0);

    let s = ok_json(
        &db,
        &["einvoice", "statuses", "--customer", customer, "--format", "json"],
    );
    let inv = s["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["invoice"] == invoice)
        .unwrap();
    assert_eq!(inv["customer"], customer);
    assert_eq!(inv["current"], 207);
    assert_eq!(inv["current_label"], "En litige");
    assert_eq!(inv["payment_announced"], false);
    let t = &inv["statuses"][1];
    assert_eq!(
        (t["code"].as_u64(), t["reason"].as_str(), t["direction"].as_str()),
        (Some(207), Some("PU_ERR"), Some("in"))
    );
    assert!(t["dispute"].is_number());
    let alerts = ok_json(&db, &["einvoice", "alerts", "--format", "json"]);
    assert!(alerts["alerts"].is_array());
    let outbox = ok_json(&db, &["einvoice", "outbox", "--format", "json"]);
    assert!(
        outbox["messages"].as_array().unwrap().is_empty(),
        "the disputed invoice is not paid"
    );
}

#[test]
fn a_payment_announced_by_the_platform_leaves_the_chase_and_is_listed_in_the_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let demo = ["demo", "--customers", "12", "--seed", "3", "--end", "2026-11-26"];
    assert!(encaisse(&db, &demo).status.success());
    let agenda = ok_json(&db, &["agenda", "--as-of", "2026-11-26", "--format", "json"]);
    assert!(agenda.get("announced").is_none(), "the contract stays as it was");
    let action = &agenda["actions"][0];
    let (customer, invoice) = (
        action["customer"].as_str().unwrap(),
        action["invoices"][0].as_str().unwrap(),
    );
    let aging = ok_json(
        &db,
        &["aging", "--invoices", "--as-of", "2026-11-26", "--format", "json"],
    );
    let date = aging["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["piece_ref"] == invoice)
        .unwrap()["invoice_date"]
        .as_str()
        .unwrap()
        .replace('-', "");
    // The fixture's first status (204 on F2026-0101) made a 211 Paiement transmis of the chased invoice.
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/cdar/statuses.xml"),
    )
    .unwrap();
    let xml = src
        .replace("F2026-0101", invoice)
        .replace("<ram:ProcessConditionCode>204</ram:ProcessConditionCode>", "<ram:ProcessConditionCode>211</ram:ProcessConditionCode>")
        .replacen("20261015", &date, 1)
        .replace("20261120", "20261125")
        .replace("<ram:RecipientTradeParty><ram:GlobalID schemeID=\"0009\">73282932000074</ram:GlobalID><ram:RoleCode>BY</ram:RoleCode></ram:RecipientTradeParty>", "");
    let file = dir.path().join("paid.xml");
    std::fs::write(&file, xml).unwrap();
    let r = ok_json(
        &db,
        &["import", "status", file.to_str().unwrap(), "--format", "json"],
    );
    assert!(r["attached"].as_u64().unwrap() >= 1, "{r}");

    let agenda = ok_json(&db, &["agenda", "--as-of", "2026-11-26", "--format", "json"]);
    assert!(
        !agenda["actions"].as_array().unwrap().iter().any(|a| a["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == invoice)),
        "{agenda}"
    );
    let announced = &agenda["announced"][0];
    assert_eq!(
        (
            &announced["customer"],
            &announced["invoice"],
            &announced["expected_on"],
            &announced["hold_until"]
        ),
        (
            &Value::from(customer),
            &Value::from(invoice),
            &Value::from("2026-11-27"),
            &Value::from("2026-12-02")
        )
    );
    let out = encaisse(&db, &["agenda", "--as-of", "2026-11-26"]);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("Payments announced by the e-invoicing platform (211)") && table.contains(invoice),
        "{table}"
    );
}
