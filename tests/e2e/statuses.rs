//! The e-invoicing platform's statuses, in the real window: a CDAR message with a 211 Paiement transmis on an
//! invoice chased today and a 207 En litige on another customer's, imported on the import screen ("Statuts
//! e-factures", its path typed); the announced payment is listed under the agenda and not chased, the customer's
//! file shows the invoice's status in its open invoices, and the disputed invoice leaves the chase (CLI).

use super::{Result, Session};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// The app's CDAR templates (crates/app/tests/fixtures/cdar): one acknowledgement per (invoice, invoice date
/// YYYYMMDD, code, status date YYYYMMDD, reason code).
fn message(statuses: &[(&str, &str, u16, &str, Option<&str>)]) -> Result<String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/app/tests/fixtures/cdar");
    let ack = std::fs::read_to_string(fixtures.join("acknowledgement.xml"))?;
    let acks: String = statuses
        .iter()
        .map(|(invoice, invoice_date, code, date, reason)| {
            let detail = reason.map_or_else(String::new, |r| {
                format!(
                    "      <ram:SpecifiedDocumentStatus>\n        <ram:ReasonCode>{r}</ram:ReasonCode>\n        \
                     <ram:SequenceNumeric>1</ram:SequenceNumeric>\n      </ram:SpecifiedDocumentStatus>\n"
                )
            });
            ack.replace("{INVOICE}", invoice)
                .replace("{INVOICE_DATE}", invoice_date)
                .replace("{CODE}", &code.to_string())
                .replace("{DATE}", date)
                .replace("{DETAIL}", &detail)
        })
        .collect();
    Ok(std::fs::read_to_string(fixtures.join("message.xml"))?
        .replace("{MESSAGE_ID}", "CDV-E2E-1")
        .replace("{ISSUER}", "732829320")
        .replace("{ROLE}", "BY")
        .replace("{ACKNOWLEDGEMENTS}", &acks))
}

pub fn statuses_imported_hold_the_chase(
    session: &Session<'_>,
    cli_json: &dyn Fn(&[&str]) -> Result<Value>,
    dir: &Path,
    shots: &Path,
) -> Result<()> {
    let within = Duration::from_secs(60);
    let agenda = cli_json(&["agenda", "--format", "json"])?;
    let day = agenda["as_of"]
        .as_str()
        .ok_or("agenda without as_of")?
        .replace('-', "");
    let actions = agenda["actions"].as_array().ok_or("agenda without actions")?;
    let first = |a: &Value| -> Option<(String, String)> {
        Some((
            a["customer"].as_str()?.to_string(),
            a["invoices"].as_array()?.first()?.as_str()?.to_string(),
        ))
    };
    let (announced_customer, announced) = actions.iter().find_map(first).ok_or("an agenda action")?;
    let (disputed_customer, disputed) = actions
        .iter()
        .filter_map(first)
        .find(|(c, _)| *c != announced_customer)
        .ok_or("an agenda action of another customer")?;
    let aging = cli_json(&["aging", "--invoices", "--format", "json"])?;
    let date_of = |number: &str| -> Result<String> {
        Ok(aging["invoices"]
            .as_array()
            .ok_or("aging without invoices")?
            .iter()
            .find(|i| i["piece_ref"] == number)
            .and_then(|i| i["invoice_date"].as_str())
            .ok_or_else(|| format!("{number} not in the aged balance"))?
            .replace('-', ""))
    };
    let file = dir.join("statuts-plateforme.xml");
    std::fs::write(
        &file,
        message(&[
            (&announced, &date_of(&announced)?, 211, &day, None),
            (&disputed, &date_of(&disputed)?, 207, &day, Some("PU_ERR")),
        ])?,
    )?;

    session.click(r#"nav a[href$="/import"]"#)?;
    session.wait_for(r#"[data-testid="import-kind-statuses"]"#, within)?;
    session.click(r#"[data-testid="import-kind-statuses"]"#)?;
    let path_field = session.wait_for(r#"[data-testid="import-path"]"#, within)?;
    session.type_into(&path_field, &file.display().to_string())?;
    session.click(r#"[data-testid="import-analyse"]"#)?;
    session.wait_for(r#"[data-testid="import-run"]"#, within)?;
    session.click(r#"[data-testid="import-run"]"#)?;
    let (added, _) =
        session.wait_for_attribute(r#"[data-testid="import-statuses-counts"]"#, "data-added", within)?;
    assert_eq!(added, "2", "both statuses attached");
    session.screenshot(&shots.join("statuses-imported.png"))?;

    // The agenda: the announced payment apart, not chased; the disputed invoice out of the chase too.
    let agenda = cli_json(&["agenda", "--format", "json"])?;
    let chased = |number: &str| {
        agenda["actions"].as_array().is_some_and(|list| {
            list.iter().any(|a| {
                a["invoices"]
                    .as_array()
                    .is_some_and(|i| i.iter().any(|n| n == number))
            })
        })
    };
    assert!(!chased(&announced) && !chased(&disputed), "{agenda}");
    assert_eq!(agenda["announced"][0]["invoice"], announced.as_str(), "{agenda}");
    session.click(r#"nav a[href$="/agenda"]"#)?;
    let row = format!(r#"[data-testid="announced-payment"][data-invoice="{announced}"]"#);
    session.wait_for(&row, within)?;
    session.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true;",
        serde_json::json!([row]),
    )?;
    session.screenshot(&shots.join("statuses-agenda.png"))?;
    let shown = session.text(&session.find(&row)?)?;
    assert!(
        shown.contains(&format!("{}/{}/{}", &day[6..8], &day[4..6], &day[..4])),
        "{shown:?}"
    );

    // The customer's file: the invoice's status in its open invoices.
    session.execute(
        "const a = document.querySelector(arguments[0]); if (a) a.click(); return !!a;",
        serde_json::json!([format!("{row} a")]),
    )?;
    session.wait_for(
        &format!(r#"[data-testid="customer-file"][data-customer="{announced_customer}"]"#),
        within,
    )?;
    let status = session.wait_for(r#"[data-testid="file-invoice-status"][data-code="211"]"#, within)?;
    assert!(session.text(&status)?.contains("Paiement transmis"));
    session.execute(
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'}); return true;",
        serde_json::json!([r#"[data-testid="file-invoice-status"]"#]),
    )?;
    session.screenshot(&shots.join("statuses-file.png"))?;
    let statuses = cli_json(&[
        "einvoice",
        "statuses",
        "--customer",
        &disputed_customer,
        "--format",
        "json",
    ])?;
    assert!(
        statuses["invoices"].as_array().is_some_and(|l| l
            .iter()
            .any(|i| i["invoice"] == disputed.as_str() && i["current"] == 207)),
        "{statuses}"
    );
    Ok(())
}
