//! A reminder letter: the template's text, the invoices and the total, in French and in English.

use crate::support::{pages, pdftotext, reminder};
use encaisse_letters::{render_reminder, Lang};
use rust_decimal_macros::dec;

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
        // French typography: a typographic apostrophe, a no-break space before the colon.
        "nous n’avons pas reçu le règlement des factures suivantes :",
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

/// The customer's creditor reference is printed under the customer's reference, in groups of four, for the
/// transfer to quote; none without one.
#[test]
fn a_reminder_letter_prints_the_creditor_reference_to_quote() {
    let mut r = reminder(2, Lang::Fr);
    r.creditor_reference = Some("RF08C00012".into());
    if let Some(text) = pdftotext(&render_reminder(&r), "reminder-rf.pdf") {
        assert!(
            text.contains("Référence à rappeler avec votre virement : RF08 C000 12"),
            "{text}"
        );
    }
    r.lang = Lang::En;
    if let Some(text) = pdftotext(&render_reminder(&r), "reminder-rf-en.pdf") {
        assert!(
            text.contains("Reference to quote with your transfer: RF08 C000 12"),
            "{text}"
        );
    }
    if let Some(text) = pdftotext(&render_reminder(&reminder(2, Lang::Fr)), "reminder-no-rf.pdf") {
        assert!(!text.contains("Référence à rappeler"), "{text}");
    }
}

/// Invoices not yet due are in their own table, "À échoir" ("Not yet due"), with their own total, after the overdue
/// ones and their "Total restant dû"; never in the overdue table.
#[test]
fn invoices_not_yet_due_have_their_own_table() {
    use encaisse_letters::ReminderInvoice;
    let mut r = reminder(2, Lang::Fr);
    let coming = |number: &str, due: &str, amount| ReminderInvoice {
        number: number.into(),
        invoice_date: crate::support::d("2026-11-01"),
        due_date: crate::support::d(due),
        amount,
        still_due: amount,
        days_late: 0,
    };
    r.not_due = vec![
        coming("FA-2026-0300", "2026-11-28", dec!(5000.00)),
        coming("FA-2026-0301", "2026-11-29", dec!(4819.84)),
    ];
    assert_eq!(r.not_due_total(), dec!(9819.84));
    let pdf = render_reminder(&r);
    let Some(text) = pdftotext(&pdf, "reminder-not-due.pdf") else {
        return;
    };
    let overdue = text.find("Total restant dû 2 234,56 €").expect(&text);
    let heading = text.find("À échoir").expect(&text);
    let first = text
        .find("FA-2026-0300 01/11/2026 28/11/2026 5 000,00 € 5 000,00 €")
        .expect(&text);
    let total = text.find("Total à échoir 9 819,84 €").expect(&text);
    assert!(overdue < heading && heading < first && first < total, "{text}");
    assert!(text.contains("FA-2026-0301 01/11/2026 29/11/2026 4 819,84 € 4 819,84 €"));
    r.lang = Lang::En;
    r.not_due.truncate(1);
    if let Some(text) = pdftotext(&render_reminder(&r), "reminder-not-due-en.pdf") {
        assert!(text.contains("Not yet due"), "{text}");
        assert!(text.contains("Total not yet due €5,000.00"), "{text}");
    }
}
