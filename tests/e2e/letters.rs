//! Settings → Lettres et taux as the credit manager finds it on the demo company: the letterhead's legal mentions
//! filled in, the half-year whose rate is still to confirm said in French with its row unticked, and the demo's
//! public sector mapped to public bodies.

use super::{Result, Session};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

pub fn letters_settings_show_mentions_and_rates_to_confirm(
    session: &Session<'_>,
    shots: &Path,
) -> Result<()> {
    session.click(r#"nav a[href$="/settings/letters"]"#)?;
    let note = session.wait_for(r#"[data-testid="rates-to-confirm"]"#, Duration::from_secs(60))?;
    let said = session.text(&note)?;
    session.screenshot(&shots.join("letters-settings.png"))?;
    assert!(
        said.contains("01/07/2026") && said.contains("Confirmé"),
        "the half-year to confirm, in French: {said:?}"
    );
    let value = |css: &str| -> Result<String> {
        let field = session.find(css)?;
        Ok(session
            .property(&field, "value")?
            .as_str()
            .unwrap_or_default()
            .to_string())
    };
    assert_eq!(value(r#"[data-testid="letters-legal-form"]"#)?, "SAS");
    assert_eq!(value(r#"[data-testid="letters-rcs-city"]"#)?, "Lyon");
    // The demo's public sector is mapped to public bodies (their notices follow the Code de la commande publique).
    assert_eq!(
        value(r#"[data-testid="debtor-kind-row"][data-segment="secteur_public"] select"#)?,
        "public_body",
        "the demo's segment mapping"
    );
    let unticked: Value = session.execute(
        "return [...document.querySelectorAll('[data-testid=\"rate-confirmed\"]')].filter((c) => !c.checked).length;",
        serde_json::json!([]),
    )?;
    assert_eq!(
        unticked.as_u64(),
        Some(1),
        "one rate to confirm: 2026 H2's ECB rate"
    );
    Ok(())
}
