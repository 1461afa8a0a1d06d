//! Layout and typography read back from the PDF: a long name wrapped whole in the envelope's window, Cyrillic and
//! Greek printed with the embedded font, Arabic refused by field, French non-breaking spaces and apostrophes in the
//! prose (never in the data), the demand and the signature kept together across a page break, the creation date.

use crate::support::{notice, reminder};
use encaisse_letters::{render_notice, render_reminder, render_table, Lang, Notice, Table, TableCell};
use std::path::PathBuf;
use std::process::Command;

fn write(pdf: &[u8], name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("encaisse-letters-typeset-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

/// A poppler tool's output; None when poppler is missing.
fn poppler(tool: &str, args: &[&str], path: &PathBuf) -> Option<String> {
    let mut command = Command::new(tool);
    command.args(args).arg(path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    match command.output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{tool}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(_) => {
            eprintln!("SKIPPED: {tool} (poppler-utils) is not installed");
            None
        }
    }
}

/// Words separated by one space (no-break spaces too).
fn words(text: &str) -> String {
    text.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of each page.
fn page_texts(pdf: &[u8], name: &str) -> Option<Vec<String>> {
    let path = write(pdf, name);
    let count = lopdf::Document::load_mem(pdf).unwrap().get_pages().len();
    (1..=count)
        .map(|p| {
            let p = p.to_string();
            poppler("pdftotext", &["-f", &p, "-l", &p], &path).map(|t| words(&t))
        })
        .collect()
}

/// A name of exactly 120 characters.
const LONG_NAME: &str =
    "Société Coopérative Agricole et Viticole des Coteaux du Lyonnais et du Beaujolais Réunis — \
                         Établissement Principal, Anse";

#[test]
fn a_120_character_name_wraps_in_the_window_and_is_read_whole() {
    assert_eq!(LONG_NAME.chars().count(), 120);
    let mut n = notice(2);
    n.recipient.name = LONG_NAME.into();
    n.recipient.address[0] =
        "Zone d'activités économiques des Grandes Terres, bâtiment B, entrée 3, quai de chargement numéro 12"
            .into();
    let pdf = render_notice(&n);
    let path = write(&pdf, "window.pdf");
    // The envelope's window, 110 mm from the left and 50 mm from the top, 90 × 45 mm, in points.
    let pt = |mm: f32| format!("{}", (mm * 72.0 / 25.4).round());
    let (x, y, w, h) = (pt(110.0), pt(50.0), pt(90.0), pt(45.0));
    let Some(window) = poppler(
        "pdftotext",
        &["-f", "1", "-l", "1", "-x", &x, "-y", &y, "-W", &w, "-H", &h],
        &path,
    ) else {
        return;
    };
    let window = words(&window);
    assert!(
        window.contains(LONG_NAME),
        "the whole name in the window:\n{window}"
    );
    assert!(window.contains("quai de chargement numéro 12"), "{window}");
    assert!(
        window.contains("38000 Grenoble") && window.contains("SIREN 404 833 048"),
        "{window}"
    );
    assert!(!window.contains('…'), "nothing cut:\n{window}");
    // Names are data: the apostrophe stays as typed.
    assert!(window.contains("Zone d'activités"), "{window}");
}

#[test]
fn cyrillic_and_greek_are_printed_with_the_embedded_font_and_arabic_is_refused_by_field() {
    let mut n = notice(2);
    n.recipient.name = "ООО «Ромашка» — Пётр Иванов".into();
    n.recipient.address = vec!["ул. Тверская, 7".into(), "Αθήνα 105 57".into()];
    assert_eq!(n.check_printable(), Ok(()));
    let pdf = render_notice(&n);
    let path = write(&pdf, "cyrillic.pdf");
    let Some(fonts) = poppler("pdffonts", &[], &path) else {
        return;
    };
    // name type encoding emb sub uni: both weights embedded as subsets, with a ToUnicode map.
    for font in ["+LiberationSans ", "+LiberationSans-Bold "] {
        assert!(
            fonts
                .lines()
                .any(|l| l.contains(font) && l.contains(" yes yes yes ")),
            "{font} embedded:\n{fonts}"
        );
    }
    let text = words(&poppler("pdftotext", &[], &path).unwrap());
    for needle in ["ООО «Ромашка» — Пётр Иванов", "ул. Тверская, 7", "Αθήνα 105 57"]
    {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }

    let mut arabic = notice(2);
    arabic.customer_ref = "C042".into();
    arabic.recipient.name = "شركة الأمل للتجارة".into();
    let e = arabic.check_printable().unwrap_err();
    assert!(
        e.to_string()
            .starts_with("name: Arabic script is not supported in letters ("),
        "{e}"
    );
    let mut r = reminder(2, Lang::Fr);
    r.recipient.address[1] = "Tel Aviv — תל אביב".into();
    let e = r.check_printable().unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.right_to_left),
        ("address line 2", Some("Hebrew"))
    );
    r.recipient.address[1] = "38000 Grenoble".into();
    r.after = "Merci.\n\nCordialement 🙂".into();
    let e = r.check_printable().unwrap_err();
    assert_eq!((e.field.as_str(), e.character), ("text after the invoices", '🙂'));
    r.after = "Merci.\n\n株式会社".into();
    assert!(r.check_printable().unwrap_err().to_string().contains("U+682A"));
}

#[test]
fn the_prose_has_non_breaking_spaces_and_apostrophes_and_the_data_stays_as_typed() {
    let n = notice(2);
    let pdf = render_notice(&n);
    // The narrow no-break space and the apostrophe are in the fonts' subsets, mapped back to their characters.
    assert!(to_unicode(&pdf).contains("<202F>") && to_unicode(&pdf).contains("<2019>"));
    // pdftotext reads a no-break space as a space: the text reads as written, "Objet" and its colon on one line.
    let Some(raw) = poppler("pdftotext", &[], &write(&pdf, "nbsp.pdf")) else {
        return;
    };
    for needle in [
        "Objet : mise en demeure",
        "des sommes suivantes :",
        "Référence client : C00012",
        "l’article L441-10",
        "jusqu’au complet paiement",
        "Signature :",
    ] {
        assert!(
            raw.lines().any(|l| l.contains(needle)),
            "missing {needle:?} in:\n{raw}"
        );
    }
    assert!(!raw.contains("l'article"), "{raw}");
    // Data: the IBAN as typed.
    assert!(raw.contains("FR76 3000 6000 0112 3456 7890 189"), "{raw}");

    let mut r = reminder(2, Lang::Fr);
    r.before =
        "Bonjour,\n\nAvez-vous reçu notre facture ? Écrivez à l'adresse o'brien@example.com ; merci !".into();
    let pdf = render_reminder(&r);
    assert!(to_unicode(&pdf).contains("<202F>"));
    let Some(raw) = poppler("pdftotext", &[], &write(&pdf, "nbsp-r.pdf")) else {
        return;
    };
    assert!(
        words(&raw).contains("facture ? Écrivez à l’adresse o'brien@example.com ; merci !"),
        "{raw}"
    );
}

/// The fonts' ToUnicode maps, upper case.
fn to_unicode(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter_map(|s| s.decompressed_content().ok().or_else(|| Some(s.content.clone())))
        .map(|c| String::from_utf8_lossy(&c).into_owned())
        .filter(|c| c.contains("beginbfchar") || c.contains("beginbfrange"))
        .collect::<String>()
        .to_uppercase()
}

/// The page (1-based) whose text holds `needle`.
fn page_of(pages: &[String], needle: &str) -> usize {
    pages
        .iter()
        .position(|p| p.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} on no page"))
        + 1
}

#[test]
fn the_demand_and_the_signature_are_never_split_nor_alone_at_the_top_of_a_page() {
    // From 3 to 22 invoices the page turns at every point of the notice's end: in the table, the totals, the
    // rates, the demand, the legal paragraphs and the signature.
    let mut moved = [false; 2];
    for count in 3..=22 {
        let n: Notice = notice(count);
        let Some(pages) = page_texts(&render_notice(&n), &format!("keep-{count}.pdf")) else {
            return;
        };
        let demand = page_of(&pages, "En conséquence, nous vous mettons en demeure");
        assert_eq!(
            demand,
            page_of(&pages, "à compter de la réception de la présente."),
            "{count} invoices: the demand split"
        );
        // Not alone: the end of the paragraph before it is on its page.
        assert_eq!(
            demand,
            page_of(&pages, "jusqu’au complet paiement des sommes dues."),
            "{count} invoices: the demand alone at the top of page {demand}"
        );
        let signature = page_of(&pages, "Élodie Marchand");
        for with in [
            "Nous vous prions d’agréer",
            "Directrice administrative et financière",
            "Règlement par virement",
            "La présente lettre vaut mise en demeure",
        ] {
            assert_eq!(signature, page_of(&pages, with), "{count} invoices: {with:?}");
        }
        moved[0] |= demand > page_of(&pages, "selon la formule");
        moved[1] |= signature > page_of(&pages, "À défaut de paiement");
    }
    assert_eq!(
        moved,
        [true, true],
        "the page turned before the demand and before the signature"
    );
}

#[test]
fn the_personal_letter_keeps_its_signature_with_its_last_paragraph() {
    let mut moved = false;
    for count in 15..=30 {
        let r = reminder(count, Lang::Fr);
        let Some(pages) = page_texts(&render_reminder(&r), &format!("keep-r-{count}.pdf")) else {
            return;
        };
        let signature = page_of(&pages, "Élodie Marchand");
        assert_eq!(signature, page_of(&pages, "Cordialement,"), "{count} invoices");
        assert_eq!(
            signature,
            page_of(&pages, "Merci de nous indiquer la date de votre règlement."),
            "{count} invoices"
        );
        moved |= signature > page_of(&pages, "Total restant dû");
    }
    assert!(moved, "the page turned between the table and the signature");
}

#[test]
fn the_pdf_is_created_on_the_letter_s_date_and_stays_the_same_bytes() {
    let n = notice(2);
    let pdf = render_notice(&n);
    assert_eq!(pdf, render_notice(&n));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let info = doc
        .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    for key in [&b"CreationDate"[..], b"ModDate"] {
        assert_eq!(
            info.get(key).unwrap().as_str().unwrap(),
            b"D:20261126000000+00'00'",
            "{}",
            String::from_utf8_lossy(key)
        );
    }
    // A table has no date: no creation date rather than 1970-01-01.
    let table = render_table(&Table {
        title: "Clients".into(),
        headers: vec!["Client".into()],
        rows: vec![vec![TableCell::text("A")]],
        ..Table::default()
    });
    let doc = lopdf::Document::load_mem(&table).unwrap();
    let info = doc
        .get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap())
        .unwrap();
    assert!(info.get(b"CreationDate").is_err() && info.get(b"ModDate").is_err());
}

#[test]
fn a_long_name_wraps_in_a_report_s_cell_and_the_aged_balance() {
    let row = |name: &str| {
        vec![
            TableCell::text("C00042"),
            TableCell::text(name),
            TableCell::number("1\u{a0}234,56"),
            TableCell::number("98\u{a0}765,43"),
            TableCell::text("Grenoble"),
        ]
    };
    let table = Table {
        title: "Clients".into(),
        subtitle: "Atelier — au 26/11/2026".into(),
        headers: ["Client", "Raison sociale", "Échu", "Solde", "Ville"]
            .map(String::from)
            .to_vec(),
        rows: vec![
            row(LONG_NAME),
            row("Café de la Gare"),
            row(&"Très long libellé ".repeat(80)),
        ],
    };
    let pdf = render_table(&table);
    let Some(text) = poppler("pdftotext", &[], &write(&pdf, "table-wrap.pdf")).map(|t| words(&t)) else {
        return;
    };
    assert!(text.contains(LONG_NAME), "{text}");
    assert!(text.contains("Café de la Gare"), "{text}");
    // Beyond three lines, the third is cut.
    assert!(text.contains('…'), "{text}");

    let key = "C00042";
    let c = encaisse_domain::Customer::new(key, LONG_NAME);
    let lines = vec![encaisse_domain::testing::line(
        key,
        "2026-06-01",
        "FA-1",
        rust_decimal_macros::dec!(98765.43),
    )];
    let aged = encaisse_analytics::aged_balance(
        [(&c, lines.as_slice())],
        encaisse_domain::Terms::Net(30),
        &encaisse_analytics::Buckets::default(),
        crate::support::d("2026-11-26"),
    );
    let pdf = encaisse_letters::render_aged_balance("Atelier", &aged);
    let Some(text) = poppler("pdftotext", &[], &write(&pdf, "aging-wrap.pdf")).map(|t| words(&t)) else {
        return;
    };
    assert!(text.contains(LONG_NAME), "{text}");
}
