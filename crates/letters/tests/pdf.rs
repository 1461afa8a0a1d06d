//! The PDFs as a person and a machine read them: the text pdftotext extracts holds every mandatory mention and the
//! computed numbers, the bytes are the same for the same data, the pages are A4 and counted per letter.

use chrono::NaiveDate;
use encaisse_analytics::{aged_balance, Buckets};
use encaisse_domain::money::format_amount_fr;
use encaisse_domain::{Customer, LedgerLine, Terms};
use encaisse_letters::{
    claim, render_aged_balance, render_letters, render_notice, render_notices, render_reminder, BankDetails,
    Basis, InvoiceDue, Lang, Letter, Notice, Party, RateTable, Reminder, ReminderInvoice, Signatory,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::process::Command;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn invoice(number: &str, date: &str, due: &str, amount: Decimal, still_due: Decimal) -> InvoiceDue {
    InvoiceDue {
        number: number.into(),
        invoice_date: d(date),
        due_date: d(due),
        amount,
        still_due,
    }
}

fn notice(invoices: usize) -> Notice {
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
        },
        recipient: Party {
            name: "Boulangerie Pâtissière Lefèvre & Fils".into(),
            address: vec!["3 place de l'Église".into(), "38000 Grenoble".into()],
            siren: Some("404833048".into()),
        },
        customer_ref: "C00012".into(),
        place: "Lyon".into(),
        date: as_of,
        deadline: d("2026-12-04"),
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
fn pdftotext(pdf: &[u8], name: &str) -> Option<String> {
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

fn pages(pdf: &[u8]) -> Vec<(f32, f32)> {
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

#[test]
fn the_notice_holds_every_mandatory_mention_and_the_numbers() {
    let n = notice(2);
    // Hand computation: F-0042, 1,234.56 due 9 June 2026, as of 26 November: 170 days, 21 in 2026 H1 and 149 in
    // 2026 H2, both at 12.15 %: 1234.56 × 12.15 × 170 / 36,500 = 69.8621… → 69.86.
    // F-0107, 1,000.00 still due since 1 October: 56 days: 1000 × 12.15 × 56 / 36,500 = 18.641… → 18.64.
    assert_eq!(n.claim.invoices[0].days_late, 170);
    assert_eq!(n.claim.invoices[0].interest, dec!(69.86));
    assert_eq!(n.claim.invoices[1].interest, dec!(18.64));
    assert_eq!(n.claim.total, dec!(2234.56) + dec!(88.50) + dec!(80));
    let pdf = render_notice(&n);
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    assert_eq!(pages(&pdf), vec![(595.0, 842.0)], "one A4 page");
    let Some(text) = pdftotext(&pdf, "notice.pdf") else {
        return;
    };
    for needle in [
        "MISE EN DEMEURE DE PAYER",
        "Lettre recommandée avec accusé de réception",
        "Lyon, le 26/11/2026",
        "Atelier Rhône Équipement SAS",
        "SIREN 732 829 320",
        "Boulangerie Pâtissière Lefèvre & Fils",
        "3 place de l'Église",
        "38000 Grenoble",
        "SIREN 404 833 048",
        "FA-2026-0042",
        "10/05/2026",
        "09/06/2026",
        "1 234,56 €",
        "4 000,00 €",
        "1 000,00 €",
        "170",
        "69,86 €",
        "18,64 €",
        "40,00 €",
        "80,00 €",
        "88,50 €",
        "2 403,06 €",
        "04/12/2026",
        "L441-10",
        "D441-5",
        "injonction de payer",
        "1344 du Code civil",
        "12,15 % du 01/01/2026 au 30/06/2026",
        "12,15 % du 01/07/2026 au 31/12/2026",
        "/ 365",
        "Élodie Marchand",
        "Directrice administrative",
        "FR76 3000 6000 0112 3456 7890 189",
        "AGRIFRPP",
        "MED C00012 20261126",
        "Page 1/1",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert_eq!(
        format_amount_fr(n.claim.total).replace('\u{a0}', " "),
        "2 403,06 €"
    );
}

/// The QR code on the first page, as zbarimg reads it; None when poppler or zbar is missing.
fn scan_qr(pdf: &[u8], name: &str) -> Option<String> {
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

/// The QR code a banking app scans holds the EPC payload of the total (checked with zbarimg when it is installed).
#[test]
fn the_qr_code_scans_to_the_sepa_transfer_of_the_total() {
    let pdf = render_notice(&notice(2));
    if let Some(text) = scan_qr(&pdf, "total") {
        assert_eq!(
            text,
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Rhône Équipement SAS\nFR7630006000011234567890189\nEUR2403.06\n\n\nMED C00012 20261126"
        );
    }
}

/// Unapplied credits are shown and deducted from what is asked for and from the QR code; the penalties stay
/// computed per invoice on its still-due amount.
#[test]
fn unapplied_credits_are_deducted_from_the_amount_to_pay() {
    let mut n = notice(2);
    let before = n.claim.clone();
    n.credits = dec!(500.00);
    // By hand: total claimed 2,234.56 + 88.50 + 80.00 = 2,403.06 (unchanged: penalties on the still-due amounts);
    // to pay 2,403.06 − 500.00 = 1,903.06.
    assert_eq!(n.claim, before);
    assert_eq!(n.to_pay(), dec!(1903.06));
    let pdf = render_notice(&n);
    if let Some(text) = pdftotext(&pdf, "credits.pdf") {
        for needle in [
            "Total réclamé 2 403,06 €",
            "Avoirs et règlements non imputés à déduire -500,00 €",
            "Net à payer 1 903,06 €",
            "la somme de 1 903,06 €",
            "Montant : 1 903,06 €",
            "69,86 €",
            "18,64 €",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
    }
    if let Some(text) = scan_qr(&pdf, "credits") {
        assert!(text.contains("\nEUR1903.06\n"), "{text}");
    }
    // Credits larger than the claim: nothing to pay, no QR code to pay a negative amount.
    n.credits = dec!(5000);
    assert_eq!(n.to_pay(), Decimal::ZERO);
}

fn reminder(invoices: usize, lang: Lang) -> Reminder {
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
        place: "Lyon".into(),
        date: d("2026-11-26"),
        lang,
        subject: "Atelier Rhône Équipement SAS – deuxième relance : factures impayées".into(),
        before: "Bonjour,\n\nMalgré notre précédent message, nous n'avons pas reçu le règlement des factures suivantes :".into(),
        invoices: list,
        after: "Montant total : 2 234,56 €.\nMerci de nous indiquer la date de votre règlement.\n\nCordialement,\n\nÉlodie Marchand\nAtelier Rhône Équipement SAS".into(),
    }
}

#[test]
fn a_reminder_letter_holds_the_template_text_the_invoices_and_the_total() {
    let r = reminder(2, Lang::Fr);
    assert_eq!(r.total(), dec!(2234.56));
    let pdf = render_reminder(&r);
    assert_eq!(pages(&pdf), vec![(595.0, 842.0)], "one A4 page");
    assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    assert_eq!(pdf, render_reminder(&r), "same data, same bytes");
    let Some(text) = pdftotext(&pdf, "reminder.pdf") else {
        return;
    };
    for needle in [
        "Atelier Rhône Équipement SAS",
        "Boulangerie Pâtissière Lefèvre & Fils",
        "38000 Grenoble",
        "Lyon, le 26/11/2026",
        "Référence client : C00012",
        "Objet : Atelier Rhône Équipement SAS – deuxième relance : factures impayées",
        "Bonjour,",
        "nous n'avons pas reçu le règlement des factures suivantes :",
        "FA-2026-0042 10/05/2026 09/06/2026 1 234,56 € 1 234,56 € 170 j",
        "FA-2026-0107 01/09/2026 01/10/2026 4 000,00 € 1 000,00 € 56 j",
        "Total restant dû 2 234,56 €",
        "Merci de nous indiquer la date de votre règlement.",
        "Cordialement,",
        "Élodie Marchand",
        "Page 1/1",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("MISE EN DEMEURE"));
    let en = render_reminder(&reminder(2, Lang::En));
    if let Some(text) = pdftotext(&en, "reminder-en.pdf") {
        for needle in [
            "Lyon, 26/11/2026",
            "Customer reference: C00012",
            "Due date",
            "€1,234.56",
            "Total left to pay €2,234.56",
            "170 d",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
    }
}

/// A batch of notices and reminders: each letter on its own sheets, numbered on its own, as many pages as the
/// letters printed one by one.
#[test]
fn a_mixed_batch_has_the_pages_of_its_letters() {
    let letters = vec![
        Letter::Reminder(reminder(2, Lang::Fr)),
        Letter::Notice(notice(60)),
        Letter::Reminder(reminder(80, Lang::Fr)),
        Letter::Notice(notice(2)),
    ];
    let batch = render_letters(&letters);
    assert_eq!(batch, render_letters(&letters), "same data, same bytes");
    let one_by_one: Vec<usize> = letters
        .iter()
        .map(|l| pages(&render_letters(std::slice::from_ref(l))).len())
        .collect();
    assert_eq!(
        one_by_one,
        letters.iter().map(Letter::page_count).collect::<Vec<_>>()
    );
    assert!(one_by_one[1] >= 2 && one_by_one[2] >= 2, "{one_by_one:?}");
    assert_eq!(pages(&batch).len(), one_by_one.iter().sum::<usize>());
    let Some(text) = pdftotext(&batch, "mixed.pdf") else {
        return;
    };
    assert_eq!(text.matches("MISE EN DEMEURE DE PAYER").count(), 2);
    assert_eq!(text.matches("deuxième relance").count(), 2);
    assert_eq!(text.matches("Page 1/1").count(), 2);
    assert_eq!(text.matches("Page 1/").count(), 4, "each letter starts at page 1");
}

#[test]
fn same_data_same_bytes() {
    let a = render_notice(&notice(3));
    let b = render_notice(&notice(3));
    assert_eq!(a, b);
    let other = render_notice(&notice(4));
    assert_ne!(a, other);
    assert!(!String::from_utf8_lossy(&a).contains("PLACEHOLDER"));
}

#[test]
fn a_long_notice_turns_pages_and_a_batch_numbers_each_letter() {
    let long = render_notice(&notice(60));
    assert!(pages(&long).len() >= 2);
    let batch = render_notices(&[notice(2), notice(60), notice(2)]);
    let long_pages = pages(&long).len();
    assert_eq!(pages(&batch).len(), 2 + long_pages);
    let Some(text) = pdftotext(&batch, "batch.pdf") else {
        return;
    };
    assert_eq!(text.matches("MISE EN DEMEURE DE PAYER").count(), 3);
    assert_eq!(text.matches("Page 1/1").count(), 2);
    assert!(text.contains(&format!("Page {long_pages}/{long_pages}")));
    // The table's header is repeated on the next page.
    assert!(
        text.matches("Échéance").count() > 3,
        "the header on every page of the tables"
    );
}

#[test]
fn the_aged_balance_prints_customers_buckets_and_totals() {
    let line = |key: &str, piece: &str, date: &str, amount: Decimal| LedgerLine {
        customer_key: key.into(),
        journal: "VE".into(),
        entry_num: piece.into(),
        entry_date: d(date),
        piece_ref: piece.into(),
        piece_date: None,
        label: String::new(),
        amount,
        letter: None,
        letter_date: None,
        due_date: None,
    };
    let c1 = Customer::new("C1", "Café de la Gare");
    let c2 = Customer::new("C2", "Société Générale d'Électricité");
    let l1 = vec![
        line("C1", "F1", "2026-10-01", dec!(1234.56)),
        line("C1", "AV", "2026-11-01", dec!(-100)),
    ];
    let l2 = vec![line("C2", "F2", "2026-06-01", dec!(98765.43))];
    let aged = aged_balance(
        [(&c1, l1.as_slice()), (&c2, l2.as_slice())],
        Terms::Net(30),
        &Buckets::default(),
        d("2026-11-26"),
    );
    let pdf = render_aged_balance("Atelier Rhône Équipement SAS", &aged);
    assert_eq!(pages(&pdf), vec![(842.0, 595.0)], "one A4 landscape page");
    assert_eq!(pdf, render_aged_balance("Atelier Rhône Équipement SAS", &aged));
    let Some(text) = pdftotext(&pdf, "aging.pdf") else {
        return;
    };
    for needle in [
        "Balance âgée des comptes clients",
        "au 26/11/2026",
        "Non échu",
        "1 à 30 j",
        "91 j et plus",
        "Non affecté",
        "Café de la Gare",
        "Société Générale d'Électricité",
        "1 234,56",
        "98 765,43",
        "-100,00",
        "99 899,99",
        "TOTAL",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
#[ignore = "writes the sample PDFs to LETTERS_OUT for a person to look at"]
fn write_samples() {
    let out = std::path::PathBuf::from(std::env::var("LETTERS_OUT").unwrap_or_else(|_| "/tmp".into()));
    std::fs::write(out.join("notice-sample.pdf"), render_notice(&notice(3))).unwrap();
    std::fs::write(out.join("notice-long-sample.pdf"), render_notice(&notice(60))).unwrap();
    let mut credited = notice(3);
    credited.credits = dec!(500);
    std::fs::write(out.join("notice-credits-sample.pdf"), render_notice(&credited)).unwrap();
    std::fs::write(
        out.join("reminder-sample.pdf"),
        render_reminder(&reminder(3, Lang::Fr)),
    )
    .unwrap();
    std::fs::write(
        out.join("reminder-long-sample.pdf"),
        render_reminder(&reminder(70, Lang::En)),
    )
    .unwrap();
}

/// A large batch is laid out on several threads: still in order, still the same bytes.
#[test]
fn a_large_batch_keeps_order_and_bytes() {
    let notices: Vec<Notice> = (0..40).map(|i| notice(2 + i % 5)).collect();
    let a = render_notices(&notices);
    assert_eq!(a, render_notices(&notices));
    let one_by_one: usize = notices.iter().map(|n| pages(&render_notice(n)).len()).sum();
    assert_eq!(pages(&a).len(), one_by_one);
    let Some(text) = pdftotext(&a, "large.pdf") else {
        return;
    };
    assert_eq!(text.matches("MISE EN DEMEURE DE PAYER").count(), 40);
    // Letter i has 2 + i % 5 invoices: the subjects follow in that order.
    let counts: Vec<usize> = text
        .split("mise en demeure de payer ")
        .skip(1)
        .map(|s| s.split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(counts, (0..40).map(|i| 2 + i % 5).collect::<Vec<_>>());
}
