//! The formal notice: every mandatory mention and the computed numbers in the text, the QR code, the credits,
//! the same bytes for the same data, the pages turned and numbered.

use crate::support::{notice, pages, pdftotext, scan_qr};
use encaisse_domain::format_amount_fr;
use encaisse_letters::{render_notice, render_notices};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

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
        "SAS au capital de 250 000 €",
        "RCS Lyon 732 829 320",
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
        "total réclamé 2 403,06 €",
        "Malgré nos précédentes relances",
        "la somme de 2 403,06 € dans un délai de 8 jours à compter de la réception de la présente.",
        "Ces pénalités continuent de courir après le 26/11/2026 jusqu’au complet paiement des sommes dues.",
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
            "net à payer 1 903,06 €",
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
    if let Some(text) = pdftotext(&pdf, "credits.pdf") {
        assert!(
            !text.contains("total réclamé 2 403,06 €"),
            "the subject asks for the net amount:\n{text}"
        );
    }
    // Credits larger than the claim: nothing to pay, no QR code to pay a negative amount.
    n.credits = dec!(5000);
    assert_eq!(n.to_pay(), Decimal::ZERO);
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

/// With the customer's creditor reference (ISO 11649), the transfer block asks to quote it, in groups of four,
/// and the QR code carries it in the structured field (the remittance text left empty).
#[test]
fn the_creditor_reference_is_printed_and_in_the_qr_code() {
    let mut n = notice(2);
    // RF + check digits of "C00012" (98 − mod 97 of "C00012RF00", letters as numbers).
    n.creditor_reference = Some("RF08C00012".into());
    assert_eq!(n.payment_reference(), "RF08 C000 12");
    let pdf = render_notice(&n);
    if let Some(text) = pdftotext(&pdf, "rf.pdf") {
        assert!(
            text.contains("Référence à rappeler : RF08 C000 12"),
            "missing the reference in:\n{text}"
        );
        assert!(!text.contains("MED C00012"), "{text}");
    }
    if let Some(text) = scan_qr(&pdf, "rf") {
        assert_eq!(
            text,
            "BCD\n002\n1\nSCT\nAGRIFRPP\nAtelier Rhône Équipement SAS\nFR7630006000011234567890189\nEUR2403.06\n\nRF08C00012"
        );
    }
}
