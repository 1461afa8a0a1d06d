//! Every report printable: the PDF export of the D441-6 table and of the customers list on the demo company, read
//! back with pdftotext and pdfinfo (poppler-utils): the title, the company, the French headers, the figures as the
//! report gives them (1 234,56 €), several pages with their numbers; same data, same bytes.

use chrono::NaiveDate;
use encaisse_app::export_file::{ExportFormat, ExportReport};
use encaisse_app::DemoOptions;
use encaisse_domain::format_amount_fr;
use encaisse_domain::FixedClock;
use rust_decimal::Decimal;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils, installed by scripts/install.sh): {e}"));
    assert!(out.status.success(), "{name} failed on {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("a page count")
}

/// pdftotext keeps the no-break spaces of French amounts as they are; compare with plain spaces.
fn plain(s: &str) -> String {
    s.replace(['\u{a0}', '\u{202f}'], " ")
}

#[test]
fn reports_print_as_pdf_with_their_figures() {
    let dir = tempfile::tempdir().unwrap();
    let today = d("2026-11-26");
    let app = crate::backend::open(&dir.path().join("demo.db"), Box::new(FixedClock(today))).unwrap();
    app.create_demo(&DemoOptions {
        seed: Some(3),
        customers: Some(150),
        end: Some(today),
        replace: None,
    })
    .unwrap();
    let company = app.status().unwrap().company.unwrap();

    // The D441-6 table at the last year end.
    let year_end = d("2025-12-31");
    let table = app.d441_6(year_end, None).unwrap();
    let report = ExportReport::D4416 {
        year_end,
        turnover: None,
    };
    let pdf = dir.path().join("d441-6.pdf");
    app.export_report(&report, ExportFormat::Pdf, &pdf).unwrap();
    let text = plain(&tool("pdftotext", &["-layout"], &pdf));
    assert!(text.contains("Tableau D441-6"), "{text}");
    assert!(text.contains(&company), "the company is named: {text}");
    assert!(text.contains("91 jours et plus") && text.contains("Total (1 jour et plus)"));
    let total = plain(&format_amount_fr(Decimal::from_str(&table.total.amount).unwrap()));
    assert!(text.contains(&total), "the total {total} is printed: {text}");
    assert!(text.contains("Page 1/1"));
    let again = dir.path().join("d441-6-again.pdf");
    app.export_report(&report, ExportFormat::Pdf, &again).unwrap();
    assert_eq!(std::fs::read(&pdf).unwrap(), std::fs::read(&again).unwrap());

    // The customers list: 150 rows over several pages, each numbered, every customer's balance printed.
    let customers = app.customers_report(None).unwrap();
    let pdf = dir.path().join("clients.pdf");
    let done = app
        .export_report(&ExportReport::Customers { as_of: None }, ExportFormat::Pdf, &pdf)
        .unwrap();
    assert_eq!(done.rows as usize, customers.customers.len());
    let n = pages(&pdf);
    assert!(n > 1, "150 customers take more than one page");
    let text = plain(&tool("pdftotext", &["-layout"], &pdf));
    assert!(text.contains(&format!("Page {n}/{n}")));
    for c in customers.customers.iter().take(20) {
        let balance = plain(&format_amount_fr(Decimal::from_str(&c.balance).unwrap()));
        assert!(text.contains(&balance), "{} {balance} missing", c.id);
    }
}
