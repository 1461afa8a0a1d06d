//! The longest values an import accepts (500-character names and address lines, 100-character keys and invoice
//! numbers, see encaisse_import::checks) in every document: each renders, no word goes past the right margin, and
//! what is cut ends with an ellipsis.

use crate::support::{d, notice, reminder};
use encaisse_analytics::{aged_balance, Buckets};
use encaisse_domain::{Customer, Terms};
use encaisse_letters::{render_aged_balance, render_notice, render_reminder, Lang, Party};
use rust_decimal_macros::dec;
use std::process::Command;

/// 'W' is the widest letter: the longest accepted values at their widest.
fn party(prefix: &str) -> Party {
    Party {
        name: format!("{prefix} {}", "W".repeat(500)),
        address: vec!["W".repeat(500), format!("{} {}", "75011", "Paris ".repeat(80))],
        siren: Some("732829320".into()),
        legal: None,
    }
}

/// The right end of the rightmost word of every page, in points, and the text, from `pdftotext -bbox`; None when
/// poppler is missing.
fn words(pdf: &[u8], name: &str) -> Option<(Vec<(f32, f32)>, String)> {
    let dir = std::env::temp_dir().join(format!("encaisse-letters-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = String::from_utf8(out.stdout).unwrap();
    let mut pages = Vec::new();
    let mut text = String::new();
    for page in html.split("<page ").skip(1) {
        let width: f32 = attr(page, "width");
        let right = page
            .split("<word ")
            .skip(1)
            .map(|w| attr(w, "xMax"))
            .fold(0.0f32, f32::max);
        pages.push((right, width));
        for w in page.split("<word ").skip(1) {
            let word = w.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("");
            text.push_str(word);
            text.push(' ');
        }
    }
    Some((pages, text))
}

fn attr(s: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let at = s.find(&key).unwrap() + key.len();
    s[at..].split('"').next().unwrap().parse().unwrap()
}

/// Every page's words end before the right margin (`margin_mm` from the edge).
fn within(pdf: &[u8], name: &str, margin_mm: f32) {
    let Some((pages, text)) = words(pdf, name) else {
        eprintln!("SKIPPED layout checks: pdftotext (poppler-utils) is not installed");
        return;
    };
    assert!(!pages.is_empty());
    for (i, (right, width)) in pages.iter().enumerate() {
        let limit = width - margin_mm * 72.0 / 25.4 + 0.5;
        assert!(
            *right <= limit,
            "{name} page {}: a word ends at {right} pt, past {limit}",
            i + 1
        );
    }
    assert!(text.contains('…'), "{name}: nothing was cut");
}

#[test]
fn a_notice_with_the_longest_values_stays_within_its_margins() {
    let mut n = notice(3);
    n.sender = party("Émetteur");
    n.recipient = party("Client");
    n.customer_ref = "W".repeat(100);
    n.place = "W".repeat(500);
    n.signatory.name = "W".repeat(500);
    n.signatory.title = "W".repeat(500);
    if let Some(bank) = &mut n.bank {
        bank.holder = "W".repeat(500);
    }
    for inv in &mut n.claim.invoices {
        inv.invoice.number = "W".repeat(100);
    }
    let pdf = render_notice(&n);
    // The text keeps a 20 mm margin; the address in the envelope's window reaches 195 mm.
    within(&pdf, "notice-long.pdf", 15.0);
}

#[test]
fn a_reminder_with_the_longest_values_stays_within_its_margins() {
    let mut r = reminder(3, Lang::Fr);
    r.sender = party("Émetteur");
    r.recipient = party("Client");
    r.customer_ref = "W".repeat(100);
    r.subject = format!("Relance {}", "W".repeat(500));
    r.before = format!("Bonjour {},\n\nNous attendons votre règlement.", "W".repeat(500));
    for inv in &mut r.invoices {
        inv.number = "W".repeat(100);
    }
    let pdf = render_reminder(&r);
    within(&pdf, "reminder-long.pdf", 15.0);
}

#[test]
fn the_aged_balance_with_the_longest_values_stays_within_its_margins() {
    let key = "W".repeat(100);
    let c = Customer::new(&key, "W".repeat(500));
    let lines = vec![encaisse_domain::testing::line(
        &key,
        "2026-06-01",
        &"W".repeat(100),
        dec!(98765.43),
    )];
    let aged = aged_balance(
        [(&c, lines.as_slice())],
        Terms::Net(30),
        &Buckets::default(),
        d("2026-11-26"),
    );
    let pdf = render_aged_balance(&"W".repeat(500), &aged);
    within(&pdf, "aging-long.pdf", 12.0);
}
