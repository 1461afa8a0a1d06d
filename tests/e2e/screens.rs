//! Every screen of the sidebar as a French credit manager meets it, in the real window: the window itself never
//! scrolls (only the content area does, and after scrolling it to the end the sidebar is still there), no raw code
//! of the backend is shown where a French word belongs, and every amount in a table is right-aligned.

use super::{Result, Session};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

/// The sidebar's screens: the link's path and the screenshot's name.
const SCREENS: &[(&str, &str)] = &[
    ("/", "dashboard"),
    ("/aging", "aging"),
    ("/customers", "customers"),
    ("/reports", "reports"),
    ("/reports/penalties", "penalties"),
    ("/bank", "bank"),
    ("/agenda", "agenda"),
    ("/promises", "promises"),
    ("/disputes", "disputes"),
    ("/import", "import"),
    ("/settings/scenarios", "scenarios"),
    ("/settings/email", "email"),
    ("/settings/templates", "templates"),
    ("/settings/letters", "letters"),
    ("/settings/platform", "platform"),
    ("/settings/backups", "backups"),
    ("/settings/audit", "audit"),
];

/// Words a screen must show: the acting user's display name in the audit journal (set by the test with
/// `encaisse settings name`), the French name of the DSO's countback method on the dashboard.
const EXPECTED: &[(&str, &str)] = &[("audit", "par Marie Martin"), ("dashboard", "épuisement")];

/// Codes of the backend that must never reach a French screen as such. Plain words are looked for as whole words
/// of the visible text, the others (with punctuation) anywhere in it.
const FORBIDDEN: &[&str] = &[
    "pre_reminder",
    "reminder_1",
    "reminder_2",
    "reminder_3",
    "personal_letter",
    "formal_notice",
    "sms_task",
    "no_answer",
    "wrong_contact",
    "says_paid",
    "call_back",
    "invoicing_error",
    "missing_purchase_order",
    "key_account",
    "private_person",
    "public_body",
    "grand_compte",
    "secteur_public",
    "on_time",
    "slightly_late",
    "very_late",
    "net:",
    "days_eom",
    "eom_plus",
    "on_receipt",
    "countback",
    "Countback",
    "(s)",
    "opened",
    "added",
    "commented",
    "kind",
    "department",
    "price",
    "pme",
    "starttls",
    "test_failed",
    "mail_settings",
    "collection_settings",
    "user_name",
    "update",
    "before_import",
    "before_restore",
    "daily",
    "manual",
    "not_text",
    "invoice_table",
    "{{ company_name",
    "encaisse smtp",
    "Utilisateur —",
    "undefined",
    "null",
    "NaN",
];

/// What one screen looks like, measured in the page: document and window heights, whether the sidebar is still
/// in view after the content area was scrolled to its end, the visible text, and the amount cells not aligned right.
const MEASURE: &str = r#"
const done = arguments[arguments.length - 1];
const content = document.querySelector('main.content');
const navBefore = document.querySelector('nav');
const topBefore = navBefore ? navBefore.getBoundingClientRect().top : null;
if (content) content.scrollTop = content.scrollHeight;
window.scrollTo(0, document.documentElement.scrollHeight);
document.documentElement.scrollTop = 1e6;
requestAnimationFrame(() => requestAnimationFrame(() => {
  const nav = document.querySelector('nav');
  const box = nav ? nav.getBoundingClientRect() : null;
  const misaligned = [];
  for (const cell of document.querySelectorAll('td, th')) {
    // A cell that shows an amount and nothing else (not a sentence that mentions one).
    const amount = cell.hasAttribute('data-amount') ? cell : cell.querySelector('[data-amount]');
    if (!amount || cell.textContent.trim() !== amount.textContent.trim()) continue;
    if (/[A-Za-zÀ-ÿ]/.test(cell.textContent)) continue;
    const align = getComputedStyle(cell).textAlign;
    if (align !== 'right' && align !== 'end') misaligned.push(cell.textContent.trim() + ' (' + align + ')');
  }
  done({
    scrollHeight: document.documentElement.scrollHeight,
    windowHeight: window.innerHeight,
    documentScrolled: window.scrollY || document.documentElement.scrollTop,
    sidebarTop: box ? box.top : null,
    sidebarTopBefore: topBefore,
    text: document.body.innerText,
    misaligned: misaligned.slice(0, 5),
    rows: document.querySelectorAll('tbody tr').length,
  });
  if (content) content.scrollTop = 0;
}));
"#;

/// Visits every screen from the sidebar and checks it (see the module's comment); screenshots in target/e2e/.
pub fn visit_every_screen(session: &Session<'_>, shots: &Path) -> Result<()> {
    let within = Duration::from_secs(60);
    for (path, name) in SCREENS {
        let link = if *path == "/" {
            r#"nav a[href="/"]"#.to_string()
        } else {
            format!(r#"nav a[href$="{path}"]"#)
        };
        session.click(&link)?;
        session.wait_until(within, &format!("{name}: the page is loaded"), || {
            let busy: Value = session.execute(
                "return location.pathname === arguments[0] && !document.querySelector('[aria-busy=\"true\"], .loading');",
                json!([path]),
            )?;
            Ok(busy.as_bool() == Some(true))
        })?;
        let measure = session.execute_async(MEASURE, json!([]))?;
        session.screenshot(&shots.join(format!("screen-{name}.png")))?;

        let height = |k: &str| measure[k].as_f64().unwrap_or(f64::NAN);
        assert!(
            height("scrollHeight") <= height("windowHeight") + 1.0,
            "{name}: the window scrolls as a whole ({} px of document for a {} px window)",
            height("scrollHeight"),
            height("windowHeight")
        );
        assert_eq!(
            height("documentScrolled"),
            0.0,
            "{name}: the document moved when scrolled to the end"
        );
        assert!(
            measure["sidebarTop"].as_f64().is_some() && measure["sidebarTop"] == measure["sidebarTopBefore"],
            "{name}: scrolling to the end moved the sidebar: from {} to {}",
            measure["sidebarTopBefore"],
            measure["sidebarTop"]
        );
        let text = measure["text"].as_str().unwrap_or_default();
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || "«»\"“”(),;.!?".contains(c))
            .collect();
        for code in FORBIDDEN {
            let found = if !code.chars().all(|c| c.is_alphanumeric() || c == '_') {
                text.contains(code)
            } else {
                words.contains(code)
            };
            assert!(!found, "{name}: the raw code {code:?} is shown: {text}");
        }
        for (screen, words) in EXPECTED {
            if screen == name {
                assert!(text.contains(words), "{name}: {words:?} is not shown: {text}");
            }
        }
        let misaligned = measure["misaligned"].as_array().cloned().unwrap_or_default();
        assert!(
            misaligned.is_empty(),
            "{name}: amounts not right-aligned: {misaligned:?}"
        );
        eprintln!("{name}: ok ({} table rows rendered)", measure["rows"]);
    }
    Ok(())
}

/// The as-of date reads JJ/MM/AAAA in French although the OS locale (LANG=C.UTF-8) is not French, and a date typed
/// the French way is understood.
pub fn dates_in_the_apps_language(session: &Session<'_>, today: &str) -> Result<()> {
    let within = Duration::from_secs(60);
    let field = session.wait_for(r#"[data-testid="asof-date"]"#, within)?;
    let value = session.property(&field, "value")?;
    let (y, rest) = today.split_once('-').ok_or("today is not ISO")?;
    let (m, d) = rest.split_once('-').ok_or("today is not ISO")?;
    assert_eq!(
        value.as_str(),
        Some(format!("{d}/{m}/{y}").as_str()),
        "the as-of date under LANG=C.UTF-8"
    );
    assert_eq!(
        session.attribute(&field, "data-iso")?.as_deref(),
        Some(today),
        "the date the app works with"
    );
    Ok(())
}

/// On the aged balance, a click on a row (on an amount, not on the name's link) opens that customer's file.
pub fn aged_balance_row_opens_the_customer_file(session: &Session<'_>, shots: &Path) -> Result<()> {
    let within = Duration::from_secs(60);
    session.click(r#"nav a[href$="/aging"]"#)?;
    let row = r#"[data-testid="aging-table"] tbody tr[data-customer-key]"#;
    let first = session.wait_for(row, within)?;
    let key = session
        .attribute(&first, "data-customer-key")?
        .ok_or("aged balance row without data-customer-key")?;
    session.click(&format!(r#"{row} td.num"#))?;
    let file = session.wait_for(
        &format!(r#"[data-testid="customer-file"][data-customer="{key}"]"#),
        within,
    );
    session.screenshot(&shots.join("aging-row-opened.png"))?;
    file?;
    Ok(())
}

/// The agenda's first letter: its row shows the overdue amount the letter claims (the agenda's invoices minus those
/// not yet due), the letter's sheet says the same; "Imprimer" with no PDF viewer installed (this machine has none)
/// says so in French, offers to save the PDF, and records nothing: the row stays, the history and the audit trail
/// are unchanged.
pub fn printing_without_a_viewer_records_nothing(
    session: &Session<'_>,
    cli_json: &dyn Fn(&[&str]) -> Result<Value>,
    cli_text: &dyn Fn(&[&str]) -> Result<String>,
    shots: &Path,
) -> Result<()> {
    let within = Duration::from_secs(60);
    let agenda = cli_json(&["agenda", "--format", "json"])?;
    let action = agenda["actions"]
        .as_array()
        .ok_or("agenda JSON without actions")?
        .iter()
        .find(|a| a["channel"] == "letter")
        .ok_or("the demo's agenda has no letter to print")?;
    let customer = action["customer"].as_str().ok_or("action without customer")?;
    let words = |key: &str| -> Vec<String> {
        action[key]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let not_due = words("not_due_invoices");
    let claimed: Vec<String> = words("invoices")
        .into_iter()
        .filter(|i| !not_due.contains(i))
        .collect();
    let history_len = |cli_json: &dyn Fn(&[&str]) -> Result<Value>| -> Result<usize> {
        let h = cli_json(&["history", "--customer", customer, "--format", "json"])?;
        Ok(h["actions"].as_array().map_or(0, Vec::len))
    };
    // One JSON object per line, one line per event.
    let audit_len = || -> Result<usize> { Ok(cli_text(&["audit", "--format", "json"])?.lines().count()) };
    let (history_before, audit_before) = (history_len(cli_json)?, audit_len()?);

    session.click(r#"nav a[href$="/agenda"]"#)?;
    let row = format!(r#"[data-testid="agenda-item"][data-customer="{customer}"]"#);
    session.wait_for(&row, within)?;
    let (overdue, _) = session.wait_for_amount(
        &format!(r#"{row} [data-testid="agenda-overdue"] [data-amount]"#),
        within,
    )?;
    session.click(&format!(r#"{row} [data-testid="agenda-print-one"]"#))?;
    let sheet = session.wait_for(r#"[data-testid="letter-sheet"][data-still-due]"#, within)?;
    let still_due = session.attribute(&sheet, "data-still-due")?.unwrap_or_default();
    let invoices = session.attribute(&sheet, "data-invoices")?.unwrap_or_default();
    assert_eq!(
        still_due, overdue,
        "the letter claims the agenda's overdue amount"
    );
    assert_eq!(
        invoices.split(',').filter(|s| !s.is_empty()).collect::<Vec<_>>(),
        claimed,
        "the letter claims the agenda's overdue invoices"
    );

    session.click(r#"[data-testid="letter-print"]"#)?;
    let error = session.wait_for(
        r#"[data-testid="letter-error"][data-code="no_pdf_viewer"]"#,
        within,
    );
    session.screenshot(&shots.join("letter-no-viewer.png"))?;
    let error = error?;
    let said = session.text(&error)?;
    assert!(
        said.contains("Aucune visionneuse PDF n'est installée") && said.contains(".pdf"),
        "the message says why and where the PDF is: {said:?}"
    );
    assert!(
        !said.contains("Launcher") && !said.contains("gio"),
        "no opener's English message: {said:?}"
    );
    assert!(
        session.is_displayed(r#"[data-testid="letter-save-as"]"#)?,
        "saving is offered"
    );
    session.click(r#"[data-testid="letter-close"]"#)?;
    session.wait_until(within, "the dialog closes", || {
        Ok(!session.is_displayed(r#"[data-testid="letter-sheet"]"#)?)
    })?;
    assert!(
        session.find(&row).is_ok(),
        "the unprinted letter stays on the agenda"
    );
    assert_eq!(history_len(cli_json)?, history_before, "no action recorded");
    assert_eq!(audit_len()?, audit_before, "nothing audited");
    Ok(())
}
