//! Nothing a user did is lost, nothing a file holds can hurt, in the real window: a backup made and verified from
//! Settings → Sauvegardes, a restore that first says what it replaces (cancelled here: nothing changes), the warning
//! before an SMTP login in clear text, and a UTF-16 file named as such in one row.

use super::{Result, Session};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

fn go_to(session: &Session<'_>, path: &str, ready: &str) -> Result<String> {
    session.click(&format!(r#"nav a[href$="{path}"]"#))?;
    session.wait_for(ready, Duration::from_secs(60))
}

/// "Sauvegarder maintenant" adds a verified manual backup to the list; "Restaurer" asks first, naming the database
/// and saying a backup is made before, and "Annuler" leaves the list as it was.
pub fn backup_now_and_restore_asks_first(session: &Session<'_>, shots: &Path) -> Result<()> {
    go_to(session, "/settings/backups", r#"[data-testid="backups"]"#)?;
    let rows_before = session
        .execute(
            "return document.querySelectorAll('[data-testid=\"backup-row\"]').length;",
            json!([]),
        )?
        .as_u64()
        .unwrap_or(0);
    session.click(r#"[data-testid="backup-now"]"#)?;
    session.wait_for(
        r#"[data-testid="backup-row"][data-reason="manual"]"#,
        Duration::from_secs(60),
    )?;
    let status = session.wait_for(r#"[data-testid="backups-status"]"#, Duration::from_secs(30))?;
    let status = session.text(&status)?;
    assert!(status.contains("vérifiée"), "the backup's status: {status:?}");
    let rows = session
        .execute(
            "return document.querySelectorAll('[data-testid=\"backup-row\"]').length;",
            json!([]),
        )?
        .as_u64()
        .unwrap_or(0);
    assert_eq!(rows, rows_before + 1, "one more backup in the list");
    let shown = session.text(&session.find(r#"[data-testid="backups-list"]"#)?)?;
    assert!(shown.contains("Manuelle"), "the reason in French: {shown:?}");
    session.screenshot(&shots.join("backups.png"))?;

    session.click(r#"[data-testid="backup-row"][data-reason="manual"] [data-testid="backup-restore"]"#)?;
    let dialog = session.wait_for(r#"[data-testid="restore-confirm"]"#, Duration::from_secs(30))?;
    let said = session.text(&dialog)?;
    session.screenshot(&shots.join("backups-restore.png"))?;
    assert!(
        said.contains("Atelier Lumière") && said.to_lowercase().contains("sauvegarde"),
        "the confirmation names what is replaced and the backup made first: {said:?}"
    );
    session.click(r#"[data-testid="restore-confirm-cancel"]"#)?;
    session.wait_until(Duration::from_secs(10), "the dialog closes", || {
        Ok(!session.is_displayed(r#"[data-testid="restore-confirm"]"#)?)
    })?;
    let after = session
        .execute(
            "return document.querySelectorAll('[data-testid=\"backup-row\"]').length;",
            json!([]),
        )?
        .as_u64()
        .unwrap_or(0);
    assert_eq!(after, rows, "a cancelled restore changes nothing");
    Ok(())
}

/// Settings → E-mail: no encryption with a login shows the warning and its explicit permission.
pub fn clear_text_login_is_warned(session: &Session<'_>, shots: &Path) -> Result<()> {
    go_to(session, "/settings/email", r#"select[id^="security-"]"#)?;
    assert!(
        !session.is_displayed(r#"[data-testid="insecure-login-warning"]"#)?,
        "no warning without a login"
    );
    let user = session.find(r#"input[id^="user-"]"#)?;
    session.type_into(&user, "relances@atelier-lumiere.example")?;
    session.execute(
        "const s = document.querySelector('select[id^=\"security-\"]'); s.value = 'none'; \
         s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
        json!([]),
    )?;
    let warning = session.wait_for(
        r#"[data-testid="insecure-login-warning"]"#,
        Duration::from_secs(10),
    )?;
    let text = session.text(&warning)?;
    session.screenshot(&shots.join("email-insecure.png"))?;
    assert!(
        text.contains("chiffr") && session.find(r#"[data-testid="allow-insecure-login"]"#).is_ok(),
        "the warning says the login would go unencrypted and offers the permission: {text:?}"
    );
    Ok(())
}

/// A UTF-16 FEC on the import screen: one row saying it is not a text file, not a cascade of missing columns.
pub fn utf16_file_is_one_named_row(session: &Session<'_>, sample: &Path, shots: &Path) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let utf16 = dir.path().join("111111111FEC20221231-utf16.txt");
    let text = String::from_utf8_lossy(&std::fs::read(sample)?).into_owned();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes)?;

    let field = session.wait_for(r#"[data-testid="import-path"]"#, Duration::from_secs(30))?;
    session.execute(
        "arguments[0].value = ''; return true;",
        json!([{ super::ELEMENT_KEY: field }]),
    )?;
    session.type_into(&field, &utf16.display().to_string())?;
    session.click(r#"[data-testid="import-analyse"]"#)?;
    let row = session.wait_for(
        r#"[data-testid="import-errors"] tbody tr[data-code="not_text"]"#,
        Duration::from_secs(60),
    );
    session.screenshot(&shots.join("import-utf16.png"))?;
    row?;
    let rows = session
        .execute(
            "return document.querySelectorAll('[data-testid=\"import-errors\"] tbody tr').length;",
            json!([]),
        )?
        .as_u64()
        .unwrap_or(0);
    assert_eq!(
        rows, 1,
        "a UTF-16 file is one problem, not one per missing column"
    );
    let table = session.text(&session.find(r#"[data-testid="import-errors"] table"#)?)?;
    assert!(table.contains("UTF-16"), "the row says why: {table:?}");
    Ok(())
}
