//! What the tests share: sample letters, and the PDFs read back as a person and a machine read them (pdftotext,
//! zbarimg, the page sizes).

use chrono::NaiveDate;
use encaisse_dunning::claims::{claim, Basis, InvoiceDue, RateTable};
use encaisse_letters::{BankDetails, Lang, Legal, Notice, Party, Reminder, ReminderInvoice, Signatory};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::process::Command;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn invoice(number: &str, date: &str, due: &str, amount: Decimal, still_due: Decimal) -> InvoiceDue {
    InvoiceDue {
        number: number.into(),
        invoice_date: d(date),
        due_date: d(due),
        amount,
        still_due,
    }
}

pub fn notice(invoices: usize) -> Notice {
    let mut list = vec![
        invoice(
            "FA-2026-0042",
            "2026-05-10",
            "2026-06-09",
            dec!(1234.56),
            dec!(1234.56),
        ),
        invoice(
            "FA-2026-0107",
            "2026-09-01",
            "2026-10-01",
            dec!(4000.00),
            dec!(1000.00),
        ),
    ];
    for i in 0..invoices.saturating_sub(2) {
        list.push(invoice(
            &format!("FA-2026-{:04}", 200 + i),
            "2026-08-01",
            "2026-08-31",
            dec!(99.90),
            dec!(99.90),
        ));
    }
    let as_of = d("2026-11-26");
    Notice {
        sender: Party {
            name: "Atelier Rhône Équipement SAS".into(),
            address: vec!["12 rue de la République".into(), "69002 Lyon".into()],
            siren: Some("732829320".into()),
            legal: Some(Legal {
                form: Some("SAS".into()),
                capital: Some(dec!(250000)),
                rcs_city: Some("Lyon".into()),
            }),
        },
        recipient: Party {
            name: "Boulangerie Pâtissière Lefèvre & Fils".into(),
            address: vec!["3 place de l'Église".into(), "38000 Grenoble".into()],
            siren: Some("404833048".into()),
            legal: None,
        },
        customer_ref: "C00012".into(),
        creditor_reference: None,
        place: "Lyon".into(),
        date: as_of,
        deadline_days: 8,
        reminded: true,
        signatory: Signatory {
            name: "Élodie Marchand".into(),
            title: "Directrice administrative et financière".into(),
        },
        bank: Some(BankDetails {
            holder: "Atelier Rhône Équipement SAS".into(),
            iban: "FR7630006000011234567890189".into(),
            bic: Some("AGRIFRPP".into()),
        }),
        claim: claim(&list, as_of, &RateTable::builtin(), Basis::Statutory).unwrap(),
        credits: Decimal::ZERO,
        intro: None,
    }
}

/// pdftotext's text of a PDF, every run of spaces (no-break spaces too) and line breaks made one space, so that a
/// phrase wrapped over two lines is still found; None when poppler is missing.
pub fn pdftotext(pdf: &[u8], name: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("encaisse-letters-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    match Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) => {
            assert!(
                out.status.success(),
                "pdftotext: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8(out.stdout).unwrap();
            Some(
                text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        }
        Err(_) => {
            eprintln!("SKIPPED text checks: pdftotext (poppler-utils) is not installed");
            None
        }
    }
}

pub fn pages(pdf: &[u8]) -> Vec<(f32, f32)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.get_pages()
        .values()
        .map(|id| {
            let page = doc.get_dictionary(*id).unwrap();
            let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
            let num = |o: &lopdf::Object| o.as_float().unwrap();
            (
                (num(&mb[2]) - num(&mb[0])).round(),
                (num(&mb[3]) - num(&mb[1])).round(),
            )
        })
        .collect()
}

/// The QR code on the first page, as zbarimg reads it; None when poppler or zbar is missing.
pub fn scan_qr(pdf: &[u8], name: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("encaisse-letters-qr-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("n.pdf"), pdf).unwrap();
    let rendered = Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-f", "1", "-l", "1"])
        .arg(dir.join("n.pdf"))
        .arg(dir.join("page"))
        .status();
    let scanned = Command::new("zbarimg")
        .arg("-q")
        .arg("--raw")
        .arg(dir.join("page-1.png"))
        .output();
    match (rendered, scanned) {
        (Ok(status), Ok(out)) if status.success() => {
            Some(String::from_utf8(out.stdout).unwrap().trim_end().to_string())
        }
        _ => {
            eprintln!("SKIPPED QR scan: pdftoppm (poppler-utils) or zbarimg (zbar-tools) is not installed");
            None
        }
    }
}

pub fn reminder(invoices: usize, lang: Lang) -> Reminder {
    let n = notice(2);
    let mut list = vec![
        ReminderInvoice {
            number: "FA-2026-0042".into(),
            invoice_date: d("2026-05-10"),
            due_date: d("2026-06-09"),
            amount: dec!(1234.56),
            still_due: dec!(1234.56),
            days_late: 170,
        },
        ReminderInvoice {
            number: "FA-2026-0107".into(),
            invoice_date: d("2026-09-01"),
            due_date: d("2026-10-01"),
            amount: dec!(4000.00),
            still_due: dec!(1000.00),
            days_late: 56,
        },
    ];
    for i in 0..invoices.saturating_sub(2) {
        list.push(ReminderInvoice {
            number: format!("FA-2026-{:04}", 200 + i),
            invoice_date: d("2026-08-01"),
            due_date: d("2026-08-31"),
            amount: dec!(99.90),
            still_due: dec!(99.90),
            days_late: 87,
        });
    }
    Reminder {
        sender: n.sender,
        recipient: n.recipient,
        customer_ref: "C00012".into(),
        creditor_reference: None,
        place: "Lyon".into(),
        date: d("2026-11-26"),
        lang,
        subject: "Atelier Rhône Équipement SAS – deuxième relance : factures impayées".into(),
        before: "Bonjour,\n\nMalgré notre précédent message, nous n'avons pas reçu le règlement des factures suivantes :".into(),
        invoices: list,
        not_due: Vec::new(),
        after: "Montant total : 2 234,56 €.\nMerci de nous indiquer la date de votre règlement.\n\nCordialement,\n\nÉlodie Marchand\nAtelier Rhône Équipement SAS".into(),
    }
}
