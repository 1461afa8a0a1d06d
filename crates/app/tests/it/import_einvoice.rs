//! E-invoices into the ledger: the due date of an invoice the FEC brought (and the aging bucket it moves to),
//! invoices and credit notes the ledger lacks created, re-imports changing nothing, one bad file refusing all.

use chrono::NaiveDate;
use encaisse_app::einvoices::EInvoiceWarningCode;
use encaisse_app::{App, AppError, FecImportOptions};
use encaisse_domain::FixedClock;
use std::path::{Path, PathBuf};

use crate::common;
use common::{dump, execute, query, value};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn open(path: &Path) -> App {
    crate::backend::open(path, Box::new(FixedClock(today()))).unwrap()
}

fn fixture(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../import/tests/fixtures/einvoice")
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

const FEC_HEADER: &str = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise";

/// One sales entry: customer debit, sales and VAT credits.
#[allow(clippy::too_many_arguments)]
fn sale(
    num: u32,
    date: &str,
    aux: &str,
    aux_lib: &str,
    piece: &str,
    ht: &str,
    tva: &str,
    ttc: &str,
) -> String {
    let l = |account: &str, lib: &str, aux: &str, aux_lib: &str, debit: &str, credit: &str| {
        format!(
            "VE\tVentes\t{num}\t{date}\t{account}\t{lib}\t{aux}\t{aux_lib}\t{piece}\t{date}\tFacture {piece}\t{debit}\t{credit}\t\t\t{date}\t\t\n"
        )
    };
    l("411000", "Clients", aux, aux_lib, ttc, "0,00")
        + &l("706000", "Prestations", "", "", "0,00", ht)
        + &l("445710", "TVA collectée", "", "", "0,00", tva)
}

/// A small FEC: FA-2026-00042 for Boulangerie Martin (upper case, no SIREN in the ledger), F2026-1187 for
/// Fromagerie Besson under another name, and an unrelated invoice.
fn fec(extra: &str) -> String {
    format!(
        "{FEC_HEADER}\n{}{}{}{extra}",
        sale(
            1,
            "20260915",
            "CMARTIN",
            "BOULANGERIE MARTIN & FILS SAS",
            "FA-2026-00042",
            "1394,00",
            "278,80",
            "1672,80"
        ),
        sale(
            2,
            "20260920",
            "CBESSON",
            "BESSON FROMAGES",
            "F2026-1187",
            "9585,00",
            "1917,00",
            "11502,00"
        ),
        sale(
            3,
            "20260801",
            "CAUTRE",
            "Autre client",
            "FA-2026-00001",
            "100,00",
            "20,00",
            "120,00"
        ),
    )
}

struct Setup {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: PathBuf,
    app: App,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let db = path.join("e.db");
    let app = open(&db);
    let fec_path = path.join("ledger.txt");
    std::fs::write(&fec_path, fec("")).unwrap();
    app.import_fec(&fec_path, &FecImportOptions::default(), &mut |_| {})
        .unwrap();
    Setup {
        _dir: dir,
        dir: path,
        db,
        app,
    }
}

/// The file's name carries no SIREN: a second import into the company it created says whose it is.
fn reimport() -> FecImportOptions {
    FecImportOptions {
        siren: Some("123456782".into()),
        ..FecImportOptions::default()
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn buckets(app: &App, id: &str) -> (Vec<String>, String) {
    let aging = app.aging(None).unwrap();
    let c = aging
        .customers
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id} not in {aging:#?}"));
    (c.buckets.clone(), c.unapplied.clone())
}

#[test]
fn due_date_of_an_existing_invoice_moves_its_bucket() {
    let s = setup();
    // 30 days net: FA-2026-00042 of 15 September is due 15 October, 42 days late on 26 November.
    assert_eq!(
        buckets(&s.app, "CMARTIN").0,
        ["0.00", "0.00", "1672.80", "0.00", "0.00"]
    );
    // F2026-1187 of 20 September: due 20 October, 37 days late.
    assert_eq!(
        buckets(&s.app, "CBESSON").0,
        ["0.00", "0.00", "11502.00", "0.00", "0.00"]
    );
    let cii = write(&s.dir, "facture.xml", &fixture("cii-invoice.xml"));
    let ubl = write(&s.dir, "f.xml", &fixture("ubl-invoice.xml"));
    let report = s.app.import_einvoices(&[cii.clone(), ubl.clone()]).unwrap();
    assert_eq!((report.matched, report.created, report.unchanged), (2, 0, 0));
    let f = &report.files[0];
    assert_eq!(
        (
            f.number.as_str(),
            f.action.as_str(),
            f.customer.as_str(),
            f.format.as_str()
        ),
        ("FA-2026-00042", "matched", "CMARTIN", "cii")
    );
    assert!(!f.matched_by_number);
    assert_eq!(f.due_date, NaiveDate::from_ymd_opt(2026, 10, 31));
    assert!(f.due_date_changed);
    assert_eq!(f.amount, "1472.80");
    // Besson's ledger name differs and it has no SIREN: found by the invoice number alone.
    let f = &report.files[1];
    assert_eq!((f.customer.as_str(), f.matched_by_number), ("CBESSON", true));
    // Due 31 October: 26 days late. Due 19 November: 7 days late.
    assert_eq!(
        buckets(&s.app, "CMARTIN").0,
        ["0.00", "1672.80", "0.00", "0.00", "0.00"]
    );
    assert_eq!(
        buckets(&s.app, "CBESSON").0,
        ["0.00", "11502.00", "0.00", "0.00", "0.00"]
    );
    // No customer and no invoice created; the other customer untouched.
    let status = s.app.status().unwrap();
    assert_eq!(status.customers, 3);

    // Again: nothing changes.
    let before = dump(&s.db);
    let again = s.app.import_einvoices(&[cii, ubl]).unwrap();
    assert_eq!((again.matched, again.unchanged, again.created), (2, 2, 0));
    assert_eq!(dump(&s.db), before);

    // An updated FEC of the same year keeps the due dates the e-invoices gave.
    let fec_path = write(
        &s.dir,
        "ledger.txt",
        &fec(&sale(
            4,
            "20260925",
            "CAUTRE",
            "Autre client",
            "FA-2026-00002",
            "10,00",
            "2,00",
            "12,00",
        )),
    );
    s.app.import_fec(&fec_path, &reimport(), &mut |_| {}).unwrap();
    assert_eq!(
        buckets(&s.app, "CMARTIN").0,
        ["0.00", "1672.80", "0.00", "0.00", "0.00"]
    );
    assert_eq!(
        buckets(&s.app, "CBESSON").0,
        ["0.00", "11502.00", "0.00", "0.00", "0.00"]
    );
}

#[test]
fn unknown_invoices_and_credit_notes_are_created() {
    let s = setup();
    // A new invoice for a known buyer (found by name), one for an unknown buyer, and a credit note.
    let new_number = fixture("cii-invoice.xml").replace("FA-2026-00042", "FA-2026-00077");
    let new_buyer = fixture("ubl-invoice.xml")
        .replace("F2026-1187", "F2026-2000")
        .replace("Fromagerie Besson SARL", "Nouvelle Fromagerie")
        .replace("380 129 866", "552 032 534");
    let files = [
        write(&s.dir, "a.xml", &new_number),
        write(&s.dir, "b.xml", &new_buyer),
        write(&s.dir, "c.xml", &fixture("cii-credit-note.xml")),
    ];
    let report = s.app.import_einvoices(&files).unwrap();
    assert_eq!((report.matched, report.created), (0, 3));
    let r = &report.files;
    assert_eq!(
        (r[0].customer.as_str(), r[0].customer_created),
        ("CMARTIN", false)
    );
    assert_eq!(
        (r[1].customer.as_str(), r[1].customer_created),
        ("SIREN552032534", true)
    );
    assert_eq!(
        (r[2].kind.as_str(), r[2].amount.as_str()),
        ("credit_note", "-69.12")
    );
    assert_eq!(r[2].customer, "CMARTIN");

    // FA-2026-00077: 1472.80 due on 31 October (1-30); the credit note is an unapplied credit.
    let (b, unapplied) = buckets(&s.app, "CMARTIN");
    assert_eq!(b, ["0.00", "1472.80", "1672.80", "0.00", "0.00"]);
    assert_eq!(unapplied, "-69.12");
    // The new customer: due 19 November, 7 days late.
    let (b, _) = buckets(&s.app, "SIREN552032534");
    assert_eq!(b, ["0.00", "11502.00", "0.00", "0.00", "0.00"]);
    let aging = s.app.aging(None).unwrap();
    let new = aging.customers.iter().find(|c| c.id == "SIREN552032534").unwrap();
    assert_eq!(new.name, "Nouvelle Fromagerie");

    // Re-importing creates nothing twice.
    let before = dump(&s.db);
    let again = s.app.import_einvoices(&files).unwrap();
    assert_eq!((again.matched, again.created, again.unchanged), (3, 0, 3));
    assert_eq!(dump(&s.db), before);

    // A later FEC re-import of the year keeps them (they belong to no FEC year).
    let fec_path = write(
        &s.dir,
        "ledger.txt",
        &fec(&sale(
            4,
            "20260925",
            "CAUTRE",
            "Autre client",
            "FA-2026-00002",
            "10,00",
            "2,00",
            "12,00",
        )),
    );
    s.app.import_fec(&fec_path, &reimport(), &mut |_| {}).unwrap();
    assert_eq!(buckets(&s.app, "CMARTIN").1, "-69.12");
    assert_eq!(buckets(&s.app, "SIREN552032534").0[1], "11502.00");
}

#[test]
fn an_fec_that_brings_an_invoice_first_created_from_its_e_invoice_replaces_it() {
    let s = setup();
    let new_number = fixture("cii-invoice.xml").replace("FA-2026-00042", "FA-2026-00077");
    let file = write(&s.dir, "a.xml", &new_number);
    let report = s.app.import_einvoices(&[file]).unwrap();
    assert_eq!(report.created, 1);
    let invoice = value(&s.db, "SELECT id FROM invoice WHERE piece_ref = 'FA-2026-00077'");
    execute(
        &s.db,
        &format!(
            "INSERT INTO note (customer_key, invoice_id, written_on, author, body)
             VALUES ('CMARTIN', {invoice}, '2026-11-20', 'me', 'promis pour fin novembre')"
        ),
        &[],
    );
    // The accountant's next FEC has it (with its full amount, the e-invoice said what was left to pay).
    let fec_path = write(
        &s.dir,
        "ledger.txt",
        &fec(&sale(
            4,
            "20260915",
            "CMARTIN",
            "BOULANGERIE MARTIN & FILS SAS",
            "FA-2026-00077",
            "1394,00",
            "278,80",
            "1672,80",
        )),
    );
    let preview = s.app.import_fec(&fec_path, &reimport(), &mut |_| {}).unwrap();
    assert_eq!(preview.changes.invoices_kept, 4);
    // Once, with the FEC's amount and the e-invoice's due date (31 October: 1-30 days late).
    let (b, _) = buckets(&s.app, "CMARTIN");
    assert_eq!(b, ["0.00", "1672.80", "1672.80", "0.00", "0.00"]);
    let lines = value(
        &s.db,
        "SELECT count(*) FROM ledger_line WHERE piece_ref = 'FA-2026-00077'",
    );
    assert_eq!(lines, "1");
    let found = query(
        &s.db,
        "SELECT invoice_id, i.source FROM ledger_line l JOIN invoice i ON i.id = l.invoice_id
         WHERE l.piece_ref = 'FA-2026-00077'",
    );
    assert_eq!(found, [[Some(invoice.clone()), Some("fec".to_string())]]);
    let notes = value(
        &s.db,
        &format!("SELECT count(*) FROM note WHERE invoice_id = {invoice}"),
    );
    assert_eq!(notes, "1");
    // The e-invoice again: found, nothing changes.
    let again = s.app.import_einvoices(&[s.dir.join("a.xml")]).unwrap();
    assert_eq!((again.matched, again.unchanged), (1, 1));
}

#[test]
fn one_bad_file_among_several_writes_nothing() {
    let s = setup();
    let before = dump(&s.db);
    let good = write(&s.dir, "good.xml", &fixture("cii-invoice.xml"));
    let new = write(
        &s.dir,
        "new.xml",
        &fixture("ubl-invoice.xml").replace("F2026-1187", "F2026-3000"),
    );
    let garbage = write(&s.dir, "notes.txt", "pas une facture");
    let bad_date = write(
        &s.dir,
        "bad.xml",
        &fixture("cii-invoice.xml").replace("20261031", "20261331"),
    );
    let dollars = write(
        &s.dir,
        "usd.xml",
        &fixture("cii-invoice.xml")
            .replace(
                "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>",
                "<ram:InvoiceCurrencyCode>USD</ram:InvoiceCurrencyCode>",
            )
            .replace("currencyID=\"EUR\"", "currencyID=\"USD\""),
    );
    let err = s
        .app
        .import_einvoices(&[good, garbage, new, bad_date, dollars, s.dir.join("absent.xml")])
        .unwrap_err();
    let AppError::InvalidFile { message: text, .. } = err else {
        panic!("{err:?}")
    };
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("notes.txt:0: file: "), "{text}");
    assert!(
        lines[1].starts_with("bad.xml:") && lines[1].contains("20261331"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("usd.xml:0: currency: the invoice is in USD"),
        "{text}"
    );
    assert!(lines[3].starts_with("absent.xml:0: file: "), "{text}");
    assert_eq!(dump(&s.db), before);
}

#[test]
fn inspecting_writes_nothing() {
    let s = setup();
    let before = dump(&s.db);
    let cii = write(&s.dir, "facture.xml", &fixture("cii-invoice.xml"));
    let report = s.app.inspect_einvoices(&[cii]).unwrap();
    assert_eq!(report.matched, 1);
    assert!(report.files[0].due_date_changed);
    assert_eq!(dump(&s.db), before);
}

fn french_sample() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/standards/einvoice-samples/facturFrMinimum.xml");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The public French Factur-X MINIMUM sample (a SIRET in BT-47 under scheme 0002, no due date) imports: the buyer
/// is created under the SIRET's SIREN, the default terms (30 days net) date the invoice, with a warning. Another
/// copy whose SIREN fails its check digit is a warning too, its buyer found by name and dated by its own terms
/// (45 days end of month), as the aging reads it; a 380 with a negative total is a credit.
#[test]
fn the_public_french_minimum_sample_imports_with_its_warnings() {
    let s = setup();
    let sample = french_sample();
    let report = s
        .app
        .import_einvoices(&[write(&s.dir, "facturFrMinimum.xml", &sample)])
        .unwrap();
    assert_eq!((report.created, report.warnings), (1, 1));
    let f = &report.files[0];
    assert_eq!(f.number, "FA-2017-0010");
    assert_eq!(
        (f.customer.as_str(), f.customer_created),
        ("SIREN787878784", true)
    );
    assert_eq!(f.amount, "470.15");
    assert_eq!(
        f.due_date,
        NaiveDate::from_ymd_opt(2017, 12, 13),
        "13 November + 30 days"
    );
    assert!(f.due_date_from_terms);
    assert_eq!(f.warnings.len(), 1);
    assert_eq!(f.warnings[0].code, EInvoiceWarningCode::NoDueDate);
    assert_eq!(
        f.warnings[0].reason,
        "no due date (BT-9) in the e-invoice: due on 2017-12-13, by the default payment terms (net:30)"
    );
    let text = encaisse_app::einvoices::report_text(&report, false);
    assert!(
        text.contains("warning: facturFrMinimum.xml:2: BT-9 due date: no due date (BT-9)"),
        "{text}"
    );
    assert!(
        text.contains("0 matched (0 unchanged), 1 created, 1 warning;"),
        "{text}"
    );

    // Boulangerie Martin, 45 days end of month, under a SIRET whose SIREN fails its Luhn check.
    execute(
        &s.db,
        "UPDATE customer SET terms = 'days_eom:45' WHERE key = 'CMARTIN'",
        &[],
    );
    let martin = sample
        .replace("FA-2017-0010", "FA-2026-00100")
        .replace("20171113", "20261015")
        .replace("Ma jolie boutique", "Boulangerie Martin &amp; Fils SAS")
        .replace("78787878400035", "78787878500035");
    let credit = sample
        .replace("FA-2017-0010", "FA-2026-00101")
        .replace("20171113", "20261015")
        .replace(">470.15<", ">-470.15<")
        .replace(">671.15<", ">-671.15<");
    let report = s
        .app
        .import_einvoices(&[
            write(&s.dir, "martin.xml", &martin),
            write(&s.dir, "credit.xml", &credit),
        ])
        .unwrap();
    let m = &report.files[0];
    assert_eq!((m.customer.as_str(), m.action.as_str()), ("CMARTIN", "created"));
    // 15 October + 45 days = 29 November, end of month: 30 November.
    assert_eq!(m.due_date, NaiveDate::from_ymd_opt(2026, 11, 30));
    let codes: Vec<_> = m.warnings.iter().map(|w| w.code).collect();
    assert_eq!(
        codes,
        [
            EInvoiceWarningCode::NoDueDate,
            EInvoiceWarningCode::BuyerIdentifier
        ]
    );
    assert!(m.warnings[0]
        .reason
        .contains("by the customer's payment terms (days_eom:45)"));
    assert_eq!(m.warnings[1].field, "BT-47 SpecifiedLegalOrganization/ID");
    // Not yet due on 26 November: the aging reads the same terms (which also move FA-2026-00042 of 15 September
    // to 31 October, 26 days late).
    let (b, _) = buckets(&s.app, "CMARTIN");
    assert_eq!(b, ["470.15", "1672.80", "0.00", "0.00", "0.00"]);

    let c = &report.files[1];
    assert_eq!((c.kind.as_str(), c.amount.as_str()), ("credit_note", "-470.15"));
    assert_eq!(c.customer, "SIREN787878784");
    assert!(!c.due_date_from_terms);
    let codes: Vec<_> = c.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [EInvoiceWarningCode::NegativeInvoice]);
    assert_eq!(report.warnings, 3);
}
