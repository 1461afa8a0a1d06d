//! What a credit manager claims beyond the day's letters, in the real window: the penalties owed on invoices paid
//! late (Rapports → Pénalités de retard), one waived with its reason and the total lowered, the CLI seeing the same
//! waiver, then undone; the customer's file showing the penalties owed; and the litigation file saved through the
//! desktop command as a zip whose manifest lists its documents with their SHA-256; the file names the debtor's
//! kind.

use super::{Result, Session};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

const CUSTOMER: &str = "C00014";

pub fn penalty_waived_and_litigation_file_saved(
    session: &Session<'_>,
    cli_json: &dyn Fn(&[&str]) -> Result<Value>,
    out: &Path,
    shots: &Path,
) -> Result<()> {
    let within = Duration::from_secs(60);
    session.click(r#"nav a[href$="/reports/penalties"]"#)?;
    let customer = format!(r#"[data-testid="penalties-customer"][data-customer="{CUSTOMER}"]"#);
    session.wait_for(&customer, within)?;
    let total = session.text(&session.find(r#"[data-testid="penalties-total"]"#)?)?;
    assert!(
        total.contains('€') && total.contains("intérêts"),
        "the total in French: {total:?}"
    );
    // Its first invoice paid late: waived with a reason.
    let row = session.find(&format!(r#"{customer} [data-testid="penalties-invoice"]"#))?;
    let invoice = session
        .attribute(&row, "data-invoice")?
        .ok_or("penalty row without data-invoice")?;
    let row = format!(r#"{customer} [data-testid="penalties-invoice"][data-invoice="{invoice}"]"#);
    session.execute(
        "document.querySelector(arguments[0]).open = true;",
        json!([customer]),
    )?;
    session.click(&format!(r#"{row} [data-testid="penalties-waive"]"#))?;
    let reason = session.wait_for(r#"[data-testid="penalties-reason"]"#, within)?;
    session.type_into(&reason, "Geste commercial accordé par la direction")?;
    session.screenshot(&shots.join("penalties-waive.png"))?;
    session.click(r#"[data-testid="penalties-waive-dialog"] [data-testid="form-save"]"#)?;
    session.wait_for(&format!(r#"{row} [data-testid="penalties-waived"]"#), within)?;
    session.wait_until(within, "the total lowered by the waiver", || {
        Ok(session.text(&session.find(r#"[data-testid="penalties-total"]"#)?)? != total)
    })?;
    session.screenshot(&shots.join("penalties-waived.png"))?;
    let cli = cli_json(&[
        "penalties",
        "--customer",
        CUSTOMER,
        "--from",
        "2026-01-01",
        "--format",
        "json",
    ])?;
    let waived = cli["customers"][0]["invoices"]
        .as_array()
        .and_then(|list| list.iter().find(|i| i["invoice"] == invoice.as_str()))
        .ok_or_else(|| format!("{invoice} not in `encaisse penalties`: {cli}"))?;
    assert_eq!(waived["waived"], true, "{waived}");
    assert_eq!(
        waived["waiver_reason"], "Geste commercial accordé par la direction",
        "{waived}"
    );

    // The customer's file (its name in the report is a link) shows the penalties owed.
    // The report reloads after the waiver: click the name once its row is back.
    let link = format!(r#"{customer} summary a"#);
    session.wait_until(within, "the customer's link in the report", || {
        Ok(session
            .execute(
                "const a = document.querySelector(arguments[0]); if (a) a.click(); return !!a;",
                json!([link]),
            )?
            .as_bool()
            == Some(true))
    })?;
    session.wait_for(
        &format!(r#"[data-testid="customer-file"][data-customer="{CUSTOMER}"]"#),
        within,
    )?;
    // A company (segment PME, no category): a professional debtor.
    let kind = session.wait_for(r#"[data-testid="file-debtor-kind"]"#, within)?;
    assert_eq!(
        session.attribute(&kind, "data-kind")?.as_deref(),
        Some("professional")
    );
    assert_eq!(session.text(&kind)?.trim(), "Professionnel");
    // The creditor reference (ISO 11649) the letters and emails ask the customer to quote, in groups of four.
    let reference = session.wait_for(r#"[data-testid="file-payment-reference"]"#, within)?;
    let reference = session.text(&reference)?;
    let groups: Vec<&str> = reference.split_whitespace().collect();
    assert!(
        groups
            .first()
            .is_some_and(|g| g.len() == 4 && g.starts_with("RF"))
            && groups.iter().all(|g| (1..=4).contains(&g.len())),
        "the payment reference in the customer file: {reference:?}"
    );
    // The panel loads its statement after the file: wait for its amounts.
    let owed = session.wait_for(r#"[data-testid="file-penalties"]"#, within)?;
    session.wait_until(within, "the penalties owed in the file", || {
        Ok(session.text(&owed)?.contains('€'))
    })?;
    session.wait_for(r#"[data-testid="file-dossier"]"#, within)?;
    session.screenshot(&shots.join("customer-file-penalties.png"))?;

    // The litigation file, through the command the "Dossier contentieux" button calls once a path is chosen (the
    // OS save dialog is outside the web page).
    let zip = out.join("dossier-C00014.zip");
    let done = session.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('save_dossier', { customer: arguments[0], asOf: null, path: arguments[1] })
           .then((r) => done({ ok: r }), (e) => done({ error: e }));",
        json!([CUSTOMER, zip.to_string_lossy()]),
    )?;
    assert!(done.get("ok").is_some(), "save_dossier: {done}");
    let bytes = std::fs::read(&zip)?;
    assert!(bytes.starts_with(b"PK"), "a zip");
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<std::result::Result<_, _>>()?;
    for name in [
        "manifest.json",
        "00-fiche-de-synthese.pdf",
        "-releve-des-penalites.pdf",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(name)),
            "{name} in the litigation file: {names:?}"
        );
    }

    // Undone: the waiver leaves the statement as it was.
    session.click(r#"nav a[href$="/reports/penalties"]"#)?;
    // The report reloads on arrival: open the customer's invoices once its row is there to stay.
    let unwaive = format!(r#"{row} [data-testid="penalties-unwaive"]"#);
    // Clicked through the page, in the same turn as it is found: the report re-renders its rows while it settles.
    session.wait_until(within, "the waived invoice in the report, undone", || {
        Ok(session
            .execute(
                "const c = document.querySelector(arguments[0]);
                 if (c) c.open = true;
                 const b = document.querySelector(arguments[1]);
                 if (b) b.click();
                 return !!b;",
                json!([customer, unwaive]),
            )?
            .as_bool()
            == Some(true))
    })?;
    session.wait_for(&format!(r#"{row} [data-testid="penalties-waive"]"#), within)?;
    Ok(())
}
