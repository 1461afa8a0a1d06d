//! This morning's bank statement, in the real window: a camt.053 with a transfer naming an overdue invoice and one
//! from a customer that names nothing but pays the whole of the day's action on it (several invoices), imported
//! through the import screen (its path typed: the OS file dialog and drops are outside the web page); the first is
//! matched on its own, the second waits as a suggestion, confirmed in the Banque screen; the CLI sees the user's
//! decision, and the customer leaves the agenda, in the window and in the CLI.

use super::{Result, Session};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// A camt.053.001.02 statement of one day: (bank reference, amount, payer, remittance), balanced from zero.
fn camt(day: &str, entries: &[(&str, &str, &str, &str)]) -> String {
    let cents = |a: &str| -> i64 {
        let (units, frac) = a.split_once('.').unwrap_or((a, "0"));
        units.parse::<i64>().unwrap_or(0) * 100 + format!("{frac:0<2}")[..2].parse::<i64>().unwrap_or(0)
    };
    let total: i64 = entries.iter().map(|e| cents(e.1)).sum();
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\
         <GrpHdr><MsgId>E2E-{day}</MsgId><CreDtTm>{day}T06:00:00</CreDtTm></GrpHdr>\
         <Stmt><Id>E2E-{day}</Id><FrToDt><FrDtTm>{day}T00:00:00</FrDtTm><ToDtTm>{day}T23:59:59</ToDtTm></FrToDt>\
         <Acct><Id><IBAN>FR7630004005680001234567890</IBAN></Id><Ccy>EUR</Ccy></Acct>\
         <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\
         <Dt><Dt>{day}</Dt></Dt></Bal>\
         <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}.{:02}</Amt>\
         <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>\n",
        total / 100,
        total % 100
    );
    for (reference, amount, payer, remittance) in entries {
        xml.push_str(&format!(
            "<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\
             <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{reference}</AcctSvcrRef><NtryDtls><TxDtls>\
             <RltdPties><Dbtr><Nm>{}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>{}</Ustrd></RmtInf>\
             </TxDtls></NtryDtls></Ntry>\n",
            escape(payer),
            escape(remittance)
        ));
    }
    xml.push_str("</Stmt></BkToCstmrStmt></Document>\n");
    xml
}

pub fn statement_imported_and_suggestion_confirmed(
    session: &Session<'_>,
    cli_json: &dyn Fn(&[&str]) -> Result<Value>,
    dir: &Path,
    shots: &Path,
) -> Result<()> {
    let within = Duration::from_secs(60);
    let aging = cli_json(&["aging", "--invoices", "--format", "json"])?;
    let overdue: Vec<&Value> = aging["invoices"]
        .as_array()
        .ok_or("aging --invoices without invoices")?
        .iter()
        .filter(|i| i["days"].as_i64().unwrap_or(0) > 0)
        .collect();
    // A customer of today's agenda chased for several invoices: its transfer of their total, naming nothing, is
    // only suggested (name and amount, no invoice number); confirmed, it pays them all.
    let agenda = cli_json(&["agenda", "--format", "json"])?;
    let chased = agenda["actions"]
        .as_array()
        .ok_or("agenda JSON without actions")?
        .iter()
        .find(|a| a["invoices"].as_array().is_some_and(|i| i.len() >= 2) && a["unapplied"] == "0.00")
        .ok_or("no agenda action on several invoices")?;
    let other_id = chased["customer"].as_str().ok_or("customer")?;
    let other = overdue
        .iter()
        .find(|i| i["customer_id"] == other_id)
        .ok_or("the chased customer has no overdue invoice")?;
    let total = chased["amount"].as_str().ok_or("amount")?;
    let paid = overdue
        .iter()
        .find(|i| i["customer_id"] != other_id)
        .ok_or("no overdue invoice of another customer")?;
    let number = paid["piece_ref"].as_str().ok_or("piece_ref")?;
    let statement = dir.join("releve-2026-11-25.xml");
    std::fs::write(
        &statement,
        camt(
            "2026-11-25",
            &[
                (
                    "E2E-1",
                    paid["residual"].as_str().ok_or("residual")?,
                    "VIR SEPA",
                    &format!("FACTURE {number}"),
                ),
                (
                    "E2E-2",
                    total,
                    other["customer_name"].as_str().ok_or("customer_name")?,
                    "VIREMENT",
                ),
            ],
        ),
    )?;
    // The import screen: the kind "Relevés bancaires", the file's path, analysed (nothing written), then imported.
    session.click(r#"nav a[href$="/import"]"#)?;
    session.wait_for(r#"[data-testid="import-kind-bank"]"#, within)?;
    session.click(r#"[data-testid="import-kind-bank"]"#)?;
    let path_field = session.wait_for(r#"[data-testid="import-path"]"#, within)?;
    session.type_into(&path_field, &statement.display().to_string())?;
    session.click(r#"[data-testid="import-analyse"]"#)?;
    let counts = r#"[data-testid="import-bank-counts"]"#;
    let (matched, _) = session.wait_for_attribute(counts, "data-matched", within)?;
    let counted = session.find(counts)?;
    let suggested = session.attribute(&counted, "data-suggested")?;
    assert_eq!(
        (matched.as_str(), suggested.as_deref()),
        ("1", Some("1")),
        "the analysis: one matched, one suggested"
    );
    session.screenshot(&shots.join("bank-import-analysed.png"))?;
    session.click(r#"[data-testid="import-run"]"#)?;
    let (kind, _) =
        session.wait_for_attribute(r#"[data-testid="import-result-kind"]"#, "data-kind", within)?;
    assert_eq!(kind, "bank");
    session.screenshot(&shots.join("bank-imported.png"))?;
    let entries = cli_json(&["bank", "entries", "--format", "json"])?;
    let statuses: Vec<&str> = entries["entries"]
        .as_array()
        .ok_or("bank entries JSON without entries")?
        .iter()
        .filter_map(|e| e["status"].as_str())
        .collect();
    assert!(
        statuses.contains(&"matched") && statuses.contains(&"suggested"),
        "{entries}"
    );

    // The Banque screen: the suggestion is listed (the default filter: to confirm).
    session.click(r#"nav a[href$="/bank"]"#)?;
    let row = r#"[data-testid="bank-entries"] li[data-status="suggested"]"#;
    session.wait_for(&format!("{row} [data-testid=\"bank-confirm\"]"), within)?;
    let shown = session.text(&session.find(row)?)?;
    let french = {
        let (units, cents) = total.split_once('.').unwrap_or((total, "00"));
        let digits: Vec<char> = units.chars().collect();
        let mut grouped = String::new();
        for (i, c) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(*c);
        }
        format!("{grouped},{cents}")
    };
    let plain = |s: &str| s.replace(['\u{202f}', '\u{a0}'], " ");
    assert!(
        plain(&shown).contains(&plain(&french)) && shown.contains('€'),
        "the suggested payment, in French ({french}): {shown:?}"
    );
    session.screenshot(&shots.join("bank-suggested.png"))?;
    session.click(&format!("{row} [data-testid=\"bank-confirm\"]"))?;
    session.wait_until(within, "the suggestion confirmed", || {
        Ok(!session.is_displayed(row)?)
    })?;
    session.screenshot(&shots.join("bank-confirmed.png"))?;
    let entries = cli_json(&["bank", "entries", "--format", "json"])?;
    let confirmed = entries["entries"]
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|e| e["id"].as_str().is_some_and(|id| id.ends_with("E2E-2")))
        })
        .ok_or_else(|| format!("E2E-2 not in `encaisse bank entries`: {entries}"))?;
    assert_eq!(confirmed["status"], "matched", "{confirmed}");
    assert_eq!(
        confirmed["matches"][0]["customer"], other["customer_id"],
        "{confirmed}"
    );

    // The money is here: the customer leaves the day's agenda, in the CLI and in the window.
    let agenda = cli_json(&["agenda", "--format", "json"])?;
    assert!(
        !agenda["actions"]
            .as_array()
            .ok_or("agenda JSON without actions")?
            .iter()
            .any(|a| a["customer"] == other_id),
        "{other_id} paid its action and is still chased: {agenda}"
    );
    session.click(r#"nav a[href$="/agenda"]"#)?;
    session.wait_for(r#"[data-testid="agenda-item"]"#, within)?;
    let gone = format!(r#"[data-testid="agenda-item"][data-customer="{other_id}"]"#);
    session.wait_until(within, "the paid customer leaves the agenda", || {
        Ok(!session.is_displayed(&gone)?)
    })?;
    session.screenshot(&shots.join("bank-agenda.png"))?;

    // The dashboard: this week's cash in counts the two transfers of the 25th.
    session.click(r#"nav a[href="/"]"#)?;
    let (received, _) =
        session.wait_for_attribute(r#"[data-testid="cash-week"]"#, "data-received", within)?;
    let received: rust_decimal::Decimal = received
        .parse()
        .map_err(|e| format!("data-received {received:?}: {e}"))?;
    let paid_amount: rust_decimal::Decimal = paid["residual"].as_str().ok_or("residual")?.parse()?;
    assert!(
        received >= paid_amount,
        "this week's cash in ({received}) counts the transfer of {paid_amount}"
    );
    session.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true;",
        serde_json::json!([r#"[data-testid="cash-week"]"#]),
    )?;
    session.screenshot(&shots.join("bank-dashboard.png"))?;
    Ok(())
}
