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
