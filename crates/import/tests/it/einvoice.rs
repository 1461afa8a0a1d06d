//! E-invoice reader: bare CII and UBL fixtures, a Factur-X PDF built here with lopdf, and the refusals.

use chrono::NaiveDate;
use encaisse_import::einvoice::{
    read_einvoice, DocumentKind, EInvoice, EInvoiceFormat, EInvoiceWarning, WarningCode,
};
use encaisse_import::{ImportError, ImportErrors};
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use rust_decimal_macros::dec;
use std::path::PathBuf;

pub(crate) fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/einvoice")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + 1
}

/// `text` with `from` replaced once (it must be there).
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the text");
    text.replacen(from, to, 1)
}

/// The refusal, after checking every error names the file and displays as `file:line: field: reason`.
fn refused(file: &str, bytes: &[u8]) -> Vec<ImportError> {
    let errors = match read_einvoice(file, bytes) {
        Ok(invoice) => panic!("{file} was read: {invoice:?}"),
        Err(ImportErrors(errors)) => errors,
    };
    assert!(!errors.is_empty());
    for e in &errors {
        assert_eq!(e.file, file);
        assert!(!e.field.is_empty() && !e.reason.is_empty(), "{e:?}");
        assert_eq!(
            e.to_string(),
            format!("{file}:{}: {}: {}", e.line, e.field, e.reason)
        );
    }
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert!(
        lines.windows(2).all(|w| w[0] <= w[1]),
        "errors not in line order: {lines:?}"
    );
    errors
}

fn cii_invoice_expected(format: EInvoiceFormat) -> EInvoice {
    EInvoice {
        format,
        number: "FA-2026-00042".into(),
        kind: DocumentKind::Invoice,
        issue_date: date(2026, 9, 15),
        due_date: Some(date(2026, 10, 31)),
        seller_name: Some("Ateliers Durand SARL".into()),
        buyer_name: "Boulangerie Martin & Fils SAS".into(),
        buyer_siren: Some("732829320".into()),
        currency: "EUR".into(),
        amount_due: dec!(1472.80),
        total_with_vat: Some(dec!(1672.80)),
        payment_reference: Some("FA-2026-00042 / CLI-0117".into()),
        warnings: vec![],
    }
}

// ---------------------------------------------------------------- bare XML

#[test]
fn bare_cii_invoice_every_field() {
    let xml = fixture("cii-invoice.xml");
    let invoice = read_einvoice("cii-invoice.xml", xml.as_bytes()).unwrap();
    assert_eq!(invoice, cii_invoice_expected(EInvoiceFormat::Cii));
    // Exact decimals, scale kept as written.
    assert_eq!(invoice.amount_due.to_string(), "1472.80");
}

#[test]
fn bare_cii_credit_note() {
    let xml = fixture("cii-credit-note.xml");
    let invoice = read_einvoice("cii-credit-note.xml", xml.as_bytes()).unwrap();
    assert_eq!(
        invoice,
        EInvoice {
            format: EInvoiceFormat::Cii,
            number: "AV-2026-00007".into(),
            kind: DocumentKind::CreditNote,
            issue_date: date(2026, 10, 2),
            due_date: None,
            seller_name: Some("Ateliers Durand SARL".into()),
            buyer_name: "Boulangerie Martin & Fils SAS".into(),
            // From the SIRET (scheme 0009) 73282932000074.
            buyer_siren: Some("732829320".into()),
            currency: "EUR".into(),
            // Positive as written; the kind says it is a credit.
            amount_due: dec!(69.12),
            total_with_vat: Some(dec!(69.12)),
            payment_reference: None,
            warnings: vec![],
        }
    );
}

#[test]
fn cii_type_codes_map_to_kinds() {
    let xml = fixture("cii-invoice.xml");
    for (code, kind) in [
        ("380", DocumentKind::Invoice),
        ("384", DocumentKind::Invoice),
        ("389", DocumentKind::Invoice),
        ("381", DocumentKind::CreditNote),
        ("261", DocumentKind::CreditNote),
        ("262", DocumentKind::CreditNote),
    ] {
        let edited = edit(
            &xml,
            "<ram:TypeCode>380</ram:TypeCode>",
            &format!("<ram:TypeCode>{code}</ram:TypeCode>"),
        );
        assert_eq!(
            read_einvoice("t.xml", edited.as_bytes()).unwrap().kind,
            kind,
            "code {code}"
        );
    }
    let edited = edit(
        &xml,
        "<ram:TypeCode>380</ram:TypeCode>",
        "<ram:TypeCode>999</ram:TypeCode>",
    );
    let errors = refused("t.xml", edited.as_bytes());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, line_of(&xml, "<ram:TypeCode>380"));
    assert_eq!(errors[0].field, "BT-3 TypeCode");
}

#[test]
fn bare_ubl_invoice_every_field() {
    let xml = fixture("ubl-invoice.xml");
    let invoice = read_einvoice("ubl-invoice.xml", xml.as_bytes()).unwrap();
    assert_eq!(
        invoice,
        EInvoice {
            format: EInvoiceFormat::Ubl,
            number: "F2026-1187".into(),
            kind: DocumentKind::Invoice,
            issue_date: date(2026, 9, 20),
            due_date: Some(date(2026, 11, 19)),
            seller_name: Some("Transports Lefèvre SA".into()),
            // The legal name (BT-44), not the trading name.
            buyer_name: "Fromagerie Besson SARL".into(),
            // Written "380 129 866".
            buyer_siren: Some("380129866".into()),
            currency: "EUR".into(),
            amount_due: dec!(11502.00),
            total_with_vat: Some(dec!(11502.00)),
            payment_reference: Some("RF18 F2026 1187".into()),
            warnings: vec![],
        }
    );
}

#[test]
fn bare_ubl_credit_note() {
    let xml = fixture("ubl-credit-note.xml");
    let invoice = read_einvoice("ubl-credit-note.xml", xml.as_bytes()).unwrap();
    assert_eq!(
        invoice,
        EInvoice {
            format: EInvoiceFormat::Ubl,
            number: "AV2026-0031".into(),
            kind: DocumentKind::CreditNote,
            issue_date: date(2026, 10, 5),
            // UBL 2.1 credit notes keep it in PaymentMeans.
            due_date: Some(date(2026, 10, 20)),
            seller_name: Some("Transports Lefèvre SA".into()),
            buyer_name: "Fromagerie Besson SARL".into(),
            // A 14-digit CompanyID without scheme: a SIRET.
            buyer_siren: Some("380129866".into()),
            currency: "EUR".into(),
            amount_due: dec!(540.00),
            total_with_vat: Some(dec!(540.00)),
            payment_reference: None,
            warnings: vec![],
        }
    );
    // Without its type code the root element decides.
    let edited = edit(&xml, "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", "");
    assert_eq!(
        read_einvoice("cn.xml", edited.as_bytes()).unwrap().kind,
        DocumentKind::CreditNote
    );
}

#[test]
fn ubl_buyer_trading_name_when_no_legal_name_and_error_when_neither() {
    let xml = fixture("ubl-invoice.xml");
    let no_legal = edit(
        &xml,
        "<cbc:RegistrationName>Fromagerie Besson SARL</cbc:RegistrationName>",
        "",
    );
    assert_eq!(
        read_einvoice("u.xml", no_legal.as_bytes()).unwrap().buyer_name,
        "Fromagerie Besson"
    );

    let neither = edit(&no_legal, "<cbc:Name>Fromagerie Besson</cbc:Name>", "");
    let errors = refused("u.xml", neither.as_bytes());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "BT-44 PartyLegalEntity/RegistrationName");
    // Reported where the name should be: the buyer's PartyLegalEntity.
    let buyer_entity = line_of(&xml, "<cbc:RegistrationName>Fromagerie Besson SARL") - 1;
    assert_eq!(errors[0].line, buyer_entity);
}

#[test]
fn xml_with_bom_and_latin1_declaration() {
    let xml = fixture("cii-invoice.xml");
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(xml.as_bytes());
    assert_eq!(
        read_einvoice("bom.xml", &with_bom).unwrap(),
        cii_invoice_expected(EInvoiceFormat::Cii)
    );

    let latin = edit(
        &fixture("ubl-invoice.xml"),
        "encoding=\"UTF-8\"",
        "encoding=\"ISO-8859-1\"",
    );
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&latin);
    assert!(!unmappable);
    assert_eq!(
        read_einvoice("latin1.xml", &bytes)
            .unwrap()
            .seller_name
            .as_deref(),
        Some("Transports Lefèvre SA")
    );
}

// ---------------------------------------------------------------- Factur-X PDF

/// Where the PDF references its attachment from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reference {
    /// Catalog /Names /EmbeddedFiles (a flat name tree) and /AF, as Factur-X writers do.
    NameTreeAndAf,
    /// A name tree whose leaves are under /Kids, and no /AF.
    NameTreeKids,
    /// Only the catalog's /AF array.
    AfOnly,
    /// Not referenced from the catalog at all (a broken file): found by scanning the objects.
    Nowhere,
}

/// A one-page PDF with `attachments` embedded (name, content), FlateDecode-compressed.
///
/// This is a structural Factur-X: the embedded file, its file specification (/F and /UF, /AFRelationship,
/// /EF /F with /Subtype /text#2Fxml) and the catalog references are those of Factur-X, but the PDF/A-3
/// conformance parts (XMP metadata with the fx: extension schema, output intent, embedded fonts) are left out:
/// reading doesn't use them.
pub(crate) fn pdf_with_attachments(attachments: &[(&str, &[u8])], reference: Reference) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 14.into()]),
            Operation::new("Td", vec![72.into(), 760.into()]),
            Operation::new(
                "Tj",
                vec![Object::string_literal(
                    "Facture FA-2026-00042 - Ateliers Durand SARL",
                )],
            ),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );

    let mut specs: Vec<(&str, ObjectId)> = Vec::new();
    for (name, content) in attachments {
        let mut file = Stream::new(
            dictionary! {
                "Type" => "EmbeddedFile",
                "Subtype" => Object::Name(b"text/xml".to_vec()),
                "Params" => dictionary! { "Size" => i64::try_from(content.len()).unwrap() },
            },
            content.to_vec(),
        );
        file.compress().unwrap();
        // lopdf keeps a tiny stream uncompressed when compression wouldn't shrink it; XML always shrinks.
        if content.len() > 200 {
            assert_eq!(
                file.dict.get(b"Filter").unwrap().as_name().unwrap(),
                b"FlateDecode"
            );
        }
        let file_id = doc.add_object(file);
        let spec_id = doc.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => Object::string_literal(*name),
            "UF" => Object::string_literal(*name),
            "Desc" => Object::string_literal("Factur-X invoice"),
            "AFRelationship" => "Alternative",
            "EF" => dictionary! { "F" => file_id, "UF" => file_id },
        });
        specs.push((name, spec_id));
    }
    let leaves = |specs: &[(&str, ObjectId)]| -> Vec<Object> {
        specs
            .iter()
            .flat_map(|(name, id)| [Object::string_literal(*name), (*id).into()])
            .collect()
    };
    let af: Vec<Object> = specs.iter().map(|(_, id)| (*id).into()).collect();
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    match reference {
        Reference::NameTreeAndAf => {
            catalog.set(
                "Names",
                dictionary! { "EmbeddedFiles" => dictionary! { "Names" => leaves(&specs) } },
            );
            catalog.set("AF", af);
        }
        Reference::NameTreeKids => {
            let leaf_id = doc.add_object(dictionary! { "Names" => leaves(&specs) });
            let names_id = doc.add_object(
                dictionary! { "EmbeddedFiles" => dictionary! { "Kids" => vec![leaf_id.into()] } },
            );
            catalog.set("Names", names_id);
        }
        Reference::AfOnly => catalog.set("AF", af),
        Reference::Nowhere => {}
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    doc.save(&path).unwrap();
    std::fs::read(&path).unwrap()
}

#[test]
fn factur_x_pdf_built_in_the_test() {
    let xml = fixture("cii-invoice.xml");
    let pdf = pdf_with_attachments(&[("factur-x.xml", xml.as_bytes())], Reference::NameTreeAndAf);
    assert!(pdf.starts_with(b"%PDF-1.7"));
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("/text#2Fxml"),
        "the MIME subtype is written as a PDF name"
    );
    assert!(raw.contains("/FlateDecode"));
    assert!(
        !raw.contains("DuePayableAmount"),
        "the XML is stored compressed, so reading must decompress"
    );

    let invoice = read_einvoice("FA-2026-00042.pdf", &pdf).unwrap();
    assert_eq!(invoice, cii_invoice_expected(EInvoiceFormat::FacturX));
}

#[test]
fn factur_x_attachment_found_however_referenced() {
    let xml = fixture("cii-invoice.xml");
    for reference in [Reference::NameTreeKids, Reference::AfOnly, Reference::Nowhere] {
        let pdf = pdf_with_attachments(&[("factur-x.xml", xml.as_bytes())], reference);
        let invoice = read_einvoice("f.pdf", &pdf).unwrap_or_else(|e| panic!("{reference:?}: {e}"));
        assert_eq!(
            invoice,
            cii_invoice_expected(EInvoiceFormat::FacturX),
            "{reference:?}"
        );
    }
}

#[test]
fn zugferd_name_and_preference_for_factur_x() {
    let xml = fixture("cii-invoice.xml");
    let pdf = pdf_with_attachments(
        &[("zugferd-invoice.xml", xml.as_bytes())],
        Reference::NameTreeAndAf,
    );
    assert_eq!(
        read_einvoice("z.pdf", &pdf).unwrap(),
        cii_invoice_expected(EInvoiceFormat::FacturX)
    );

    // Several attachments: factur-x.xml is the invoice, whatever comes first.
    let credit = fixture("cii-credit-note.xml");
    let pdf = pdf_with_attachments(
        &[
            ("notes.txt", b"bonjour".as_slice()),
            ("xrechnung.xml", credit.as_bytes()),
            ("factur-x.xml", xml.as_bytes()),
        ],
        Reference::NameTreeAndAf,
    );
    assert_eq!(read_einvoice("m.pdf", &pdf).unwrap().number, "FA-2026-00042");
}

#[test]
fn ubl_inside_a_pdf_is_read_as_ubl() {
    let xml = fixture("ubl-invoice.xml");
    let pdf = pdf_with_attachments(&[("xrechnung.xml", xml.as_bytes())], Reference::NameTreeAndAf);
    let invoice = read_einvoice("x.pdf", &pdf).unwrap();
    assert_eq!(invoice.format, EInvoiceFormat::Ubl);
    assert_eq!(invoice.number, "F2026-1187");
}

#[test]
fn errors_in_the_embedded_xml_name_its_lines() {
    let xml = fixture("cii-invoice.xml");
    let bad = edit(&xml, "20261031", "2026-10-31");
    let pdf = pdf_with_attachments(&[("factur-x.xml", bad.as_bytes())], Reference::NameTreeAndAf);
    let errors = refused("f.pdf", &pdf);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].to_string(),
        format!(
            "f.pdf:{}: BT-9 DueDateDateTime: '2026-10-31' is not a date in format 102 (YYYYMMDD)",
            line_of(&xml, "20261031")
        )
    );
}

// ---------------------------------------------------------------- refusals

/// A MINIMUM or BASIC WL Factur-X has no due date: read, with a warning (the importer takes the customer's terms).
#[test]
fn missing_due_date_is_a_warning() {
    let xml = fixture("cii-invoice.xml");
    let without = edit(
        &xml,
        "<ram:DueDateDateTime>\n          <udt:DateTimeString format=\"102\">20261031</udt:DateTimeString>\n        </ram:DueDateDateTime>",
        "",
    );
    let invoice = read_einvoice("no-due.xml", without.as_bytes()).unwrap();
    assert_eq!(invoice.due_date, None);
    assert_eq!(
        invoice,
        EInvoice {
            due_date: None,
            warnings: vec![EInvoiceWarning {
                line: 2,
                field: "BT-9 due date".into(),
                reason: "no due date (BT-9) in the e-invoice: the customer's payment terms give it".into(),
                code: WarningCode::NoDueDate,
            }],
            ..cii_invoice_expected(EInvoiceFormat::Cii)
        }
    );
}

#[test]
fn malformed_due_date_is_an_error_naming_its_line() {
    let xml = fixture("cii-invoice.xml");
    let line = line_of(&xml, "20261031");
    let bad = edit(&xml, "20261031", "20261340");
    let errors = refused("bad-date.xml", bad.as_bytes());
    assert_eq!(
        errors,
        vec![ImportError::new(
            "bad-date.xml",
            line,
            "BT-9 DueDateDateTime",
            "'20261340' is not a date in format 102 (YYYYMMDD)"
        )]
    );
    assert_eq!(
        errors[0].to_string(),
        format!(
            "bad-date.xml:{line}: BT-9 DueDateDateTime: '20261340' is not a date in format 102 (YYYYMMDD)"
        )
    );

    // Another date format than 102 is refused too.
    let other = edit(&xml, "format=\"102\">20261031", "format=\"203\">202610311200");
    let errors = refused("fmt.xml", other.as_bytes());
    assert_eq!(
        (errors[0].line, errors[0].field.as_str()),
        (line, "BT-9 DueDateDateTime")
    );
    assert!(errors[0].reason.contains("'203'"), "{}", errors[0].reason);

    // UBL dates are YYYY-MM-DD.
    let ubl = fixture("ubl-invoice.xml");
    let bad = edit(
        &ubl,
        "<cbc:DueDate>2026-11-19</cbc:DueDate>",
        "<cbc:DueDate>19/11/2026</cbc:DueDate>",
    );
    let errors = refused("u.xml", bad.as_bytes());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, line_of(&ubl, "<cbc:DueDate>"));
    assert_eq!(errors[0].field, "BT-9 DueDate");
    assert_eq!(errors[0].reason, "'19/11/2026' is not a date (YYYY-MM-DD)");
}

#[test]
fn missing_buyer_name_is_an_error() {
    let xml = fixture("cii-invoice.xml");
    let bad = edit(&xml, "<ram:Name>Boulangerie Martin &amp; Fils SAS</ram:Name>", "");
    let errors = refused("no-buyer.xml", bad.as_bytes());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, line_of(&xml, "<ram:BuyerTradeParty>"));
    assert_eq!(errors[0].field, "BT-44 BuyerTradeParty/Name");
    assert!(errors[0].reason.contains("missing"), "{}", errors[0].reason);

    // Present but empty is no better.
    let empty = edit(
        &xml,
        "<ram:Name>Boulangerie Martin &amp; Fils SAS</ram:Name>",
        "<ram:Name>  </ram:Name>",
    );
    let errors = refused("empty-buyer.xml", empty.as_bytes());
    assert_eq!(errors[0].field, "BT-44 BuyerTradeParty/Name");
    assert_eq!(errors[0].line, line_of(&xml, "Boulangerie Martin"));
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let xml = fixture("cii-invoice.xml");
    let mut bad = edit(&xml, "<ram:ID>FA-2026-00042</ram:ID>", "");
    bad = edit(
        &bad,
        "<udt:DateTimeString format=\"102\">20260915</udt:DateTimeString>",
        "",
    );
    bad = edit(&bad, "<ram:Name>Boulangerie Martin &amp; Fils SAS</ram:Name>", "");
    bad = edit(&bad, "<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>", "");
    bad = edit(&bad, "<ram:DuePayableAmount>1472.80</ram:DuePayableAmount>", "");
    bad = edit(
        &bad,
        "<ram:GrandTotalAmount>1672.80</ram:GrandTotalAmount>",
        "<ram:GrandTotalAmount>1 672,80</ram:GrandTotalAmount>",
    );
    let errors = refused("many.xml", bad.as_bytes());
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "BT-1 ExchangedDocument/ID",
            "BT-2 IssueDateTime",
            "BT-44 BuyerTradeParty/Name",
            "BT-5 InvoiceCurrencyCode",
            // Reported on the summation's first line, before the GrandTotalAmount inside it.
            "BT-115 DuePayableAmount",
            "BT-112 GrandTotalAmount",
        ]
    );
    let grand = errors
        .iter()
        .find(|e| e.field == "BT-112 GrandTotalAmount")
        .unwrap();
    assert_eq!(grand.line, line_of(&bad, "<ram:GrandTotalAmount>"));
    assert!(
        grand.reason.starts_with("'1 672,80' is not an amount"),
        "{}",
        grand.reason
    );
    // The missing amount is reported on the summation that should hold it.
    let due = errors
        .iter()
        .find(|e| e.field == "BT-115 DuePayableAmount")
        .unwrap();
    assert_eq!(
        due.line,
        line_of(&bad, "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>")
    );
}

#[test]
fn amounts_are_exact_signed_and_strict() {
    let xml = fixture("ubl-invoice.xml");
    let payable = "<cbc:PayableAmount currencyID=\"EUR\">11502.00</cbc:PayableAmount>";
    // An invoice (380) with a negative amount due is a credit note of the opposite amount.
    for (written, expected, kind) in [
        ("-12.345", dec!(12.345), DocumentKind::CreditNote),
        ("+0.10", dec!(0.10), DocumentKind::Invoice),
        ("7", dec!(7), DocumentKind::Invoice),
    ] {
        let edited = edit(
            &xml,
            payable,
            &format!("<cbc:PayableAmount currencyID=\"EUR\">{written}</cbc:PayableAmount>"),
        );
        let read = read_einvoice("a.xml", edited.as_bytes()).unwrap();
        assert_eq!((read.amount_due, read.kind), (expected, kind), "{written}");
    }
    for garbage in ["12,50", "1e3", "EUR 12", "--1", "", "0x10", "1.2.3"] {
        let edited = edit(
            &xml,
            payable,
            &format!("<cbc:PayableAmount currencyID=\"EUR\">{garbage}</cbc:PayableAmount>"),
        );
        let errors = refused("a.xml", edited.as_bytes());
        assert_eq!(errors.len(), 1, "{garbage:?}");
        assert_eq!(errors[0].field, "BT-115 PayableAmount");
        assert_eq!(errors[0].line, line_of(&xml, "<cbc:PayableAmount"));
    }
    // An amount in another currency than the invoice's.
    let edited = edit(
        &xml,
        payable,
        "<cbc:PayableAmount currencyID=\"USD\">11502.00</cbc:PayableAmount>",
    );
    let errors = refused("a.xml", edited.as_bytes());
    assert_eq!(errors[0].field, "BT-115 PayableAmount");
    assert!(errors[0].reason.contains("USD"), "{}", errors[0].reason);
}

/// A SIREN failing its check digit, or an identifier of neither 9 nor 14 digits, under scheme 0002/0009: a
/// warning naming its line, the buyer then found by its name; never a refused file.
#[test]
fn invalid_buyer_identifier_is_a_warning() {
    let xml = fixture("cii-invoice.xml");
    let bad = edit(
        &xml,
        "<ram:ID schemeID=\"0002\">732829320</ram:ID>",
        "<ram:ID schemeID=\"0002\">732829321</ram:ID>",
    );
    // The electronic address (BT-49, scheme 0225) gives no SIREN either.
    let bad = edit(&bad, "<ram:URIID schemeID=\"0225\">732829320</ram:URIID>", "");
    let read = read_einvoice("siren.xml", bad.as_bytes()).unwrap();
    assert_eq!(read.buyer_siren, None);
    assert_eq!(read.buyer_name, "Boulangerie Martin & Fils SAS");
    assert_eq!(
        read.warnings,
        [EInvoiceWarning {
            line: line_of(&xml, "732829320</ram:ID>"),
            field: "BT-47 SpecifiedLegalOrganization/ID".into(),
            reason: "the SIREN 732829321 of '732829321' fails its check digit (Luhn): ignored, the buyer is found by its name".into(),
            code: WarningCode::BuyerIdentifier,
        }]
    );
    for malformed in ["73282932", "7328293200007A", "732 829 320 000 7"] {
        let edited = edit(
            &xml,
            "<ram:ID schemeID=\"0002\">732829320</ram:ID>",
            &format!("<ram:ID schemeID=\"0009\">{malformed}</ram:ID>"),
        );
        let read = read_einvoice("m.xml", edited.as_bytes()).unwrap();
        assert_eq!(read.warnings.len(), 1, "{malformed}");
        assert!(
            read.warnings[0]
                .reason
                .contains("neither a SIREN (9 digits) nor a SIRET (14 digits)"),
            "{:?}",
            read.warnings
        );
    }

    // A foreign buyer with another scheme has no SIREN, and that is fine.
    let foreign = edit(
        &xml,
        "<ram:ID schemeID=\"0002\">732829320</ram:ID>",
        "<ram:ID schemeID=\"0088\">4000001000005</ram:ID>",
    );
    let foreign = edit(&foreign, "<ram:URIID schemeID=\"0225\">732829320</ram:URIID>", "");
    assert_eq!(
        read_einvoice("f.xml", foreign.as_bytes()).unwrap().buyer_siren,
        None
    );
}

#[test]
fn bad_currency_is_an_error() {
    let xml = fixture("cii-invoice.xml");
    let bad = edit(
        &xml,
        "<ram:InvoiceCurrencyCode>EUR<",
        "<ram:InvoiceCurrencyCode>euro<",
    );
    let errors = refused("cur.xml", bad.as_bytes());
    assert_eq!(errors[0].field, "BT-5 InvoiceCurrencyCode");
    assert_eq!(errors[0].line, line_of(&xml, "<ram:InvoiceCurrencyCode>"));
}

#[test]
fn pdf_without_attachment_is_refused_at_line_0() {
    let pdf = pdf_with_attachments(&[], Reference::NameTreeAndAf);
    let errors = refused("plain.pdf", &pdf);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 0);
    assert_eq!(errors[0].field, "PDF");
    assert!(
        errors[0]
            .to_string()
            .starts_with("plain.pdf:0: PDF: PDF has no factur-x.xml attachment"),
        "{}",
        errors[0]
    );

    // Other attachments are named, to help the user.
    let pdf = pdf_with_attachments(&[("notes.txt", b"hello".as_slice())], Reference::NameTreeAndAf);
    let errors = refused("other.pdf", &pdf);
    assert_eq!(errors[0].line, 0);
    assert!(errors[0].reason.contains("notes.txt"), "{}", errors[0].reason);
}

#[test]
fn garbage_is_refused_at_line_0() {
    let errors = refused("random.bin", &[0x00, 0x9f, 0x42, 0xff, 0x13, 0x37]);
    assert_eq!(
        errors,
        vec![ImportError::new(
            "random.bin",
            0,
            "file",
            "not a PDF or XML file (expected a Factur-X PDF, or CII or UBL XML)"
        )]
    );
    assert_eq!(
        errors[0].to_string(),
        "random.bin:0: file: not a PDF or XML file (expected a Factur-X PDF, or CII or UBL XML)"
    );
    refused("empty.xml", b"");
    refused("text.csv", b"Num;Date;Montant\n1;2026-01-01;12.00\n");

    // A PDF header followed by nothing readable.
    let errors = refused("broken.pdf", b"%PDF-1.7\nthis is not a PDF body at all");
    assert_eq!((errors[0].line, errors[0].field.as_str()), (0, "PDF"));
}

#[test]
fn malformed_or_foreign_xml_is_refused_with_its_line() {
    let xml = fixture("cii-invoice.xml");
    let bad = edit(&xml, "</ram:TypeCode>", "</ram:TypeCod>");
    let errors = refused("broken.xml", bad.as_bytes());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "XML");
    assert_eq!(errors[0].line, line_of(&xml, "</ram:TypeCode>"));

    let errors = refused(
        "order.xml",
        b"<?xml version=\"1.0\"?>\n<Order xmlns=\"urn:example:order\"/>\n",
    );
    assert_eq!((errors[0].line, errors[0].field.as_str()), (2, "root element"));
}

// ---------------------------------------------------------------- robustness

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_einvoice("random.bin", &bytes);
            let mut pdf = b"%PDF-1.7\n".to_vec();
            pdf.extend_from_slice(&bytes);
            prop_assert!(read_einvoice("random.pdf", &pdf).is_err());
        }

        #[test]
        fn on_a_truncated_factur_x(per_mille in 0usize..1000) {
            let xml = fixture("cii-invoice.xml");
            let pdf = pdf_with_attachments(&[("factur-x.xml", xml.as_bytes())], Reference::NameTreeAndAf);
            let cut = pdf.len() * per_mille / 1000;
            let _ = read_einvoice("cut.pdf", &pdf[..cut]);
        }

        #[test]
        fn on_mangled_xml(at in 0usize..7000, byte in any::<u8>()) {
            let mut xml = fixture("cii-invoice.xml").into_bytes();
            let at = at % xml.len();
            xml[at] = byte;
            if let Err(ImportErrors(errors)) = read_einvoice("m.xml", &xml) {
                let lines = xml.split(|b| *b == b'\n').count();
                prop_assert!(errors.iter().all(|e| e.line <= lines), "{errors:?}");
            }
        }
    }
}

/// A 14-digit SIRET under scheme 0002 (SIRENE), as real French invoices write BT-47: its first nine digits are
/// the SIREN.
#[test]
fn siret_under_scheme_0002_gives_the_siren() {
    let xml = fixture("cii-invoice.xml");
    let siret = edit(
        &xml,
        "<ram:ID schemeID=\"0002\">732829320</ram:ID>",
        "<ram:ID schemeID=\"0002\">73282932000074</ram:ID>",
    );
    let read = read_einvoice("siret.xml", siret.as_bytes()).unwrap();
    assert_eq!(read.buyer_siren.as_deref(), Some("732829320"));
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

/// The public French sample of shared/standards (Factur-X MINIMUM, mustangproject): a SIRET in BT-47 under
/// scheme 0002, no due date, an amount due below the total (a prepayment).
#[test]
fn the_public_french_minimum_sample_is_read() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/standards/einvoice-samples/facturFrMinimum.xml");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let read = read_einvoice("facturFrMinimum.xml", &bytes).unwrap();
    assert_eq!(read.number, "FA-2017-0010");
    assert_eq!(read.kind, DocumentKind::Invoice);
    assert_eq!(read.issue_date, date(2017, 11, 13));
    assert_eq!(read.buyer_name, "Ma jolie boutique");
    // 78787878400035: the SIREN 787878784 passes its Luhn check.
    assert_eq!(read.buyer_siren.as_deref(), Some("787878784"));
    assert_eq!(read.amount_due, dec!(470.15));
    assert_eq!(read.total_with_vat, Some(dec!(671.15)));
    assert_eq!(read.due_date, None);
    let codes: Vec<WarningCode> = read.warnings.iter().map(|w| w.code).collect();
    assert_eq!(codes, [WarningCode::NoDueDate]);
}

/// CII too: a 380 with a negative amount due is a credit note, with a warning on the amount's line.
#[test]
fn negative_invoice_is_a_credit_note() {
    let xml = fixture("cii-invoice.xml");
    let negative = edit(
        &xml,
        "<ram:DuePayableAmount>1472.80</ram:DuePayableAmount>",
        "<ram:DuePayableAmount>-1472.80</ram:DuePayableAmount>",
    );
    let negative = edit(
        &negative,
        "<ram:GrandTotalAmount>1672.80</ram:GrandTotalAmount>",
        "<ram:GrandTotalAmount>-1672.80</ram:GrandTotalAmount>",
    );
    let read = read_einvoice("neg.xml", negative.as_bytes()).unwrap();
    assert_eq!(read.kind, DocumentKind::CreditNote);
    assert_eq!(read.amount_due, dec!(1472.80));
    assert_eq!(read.total_with_vat, Some(dec!(1672.80)));
    assert_eq!(read.warnings.len(), 1);
    assert_eq!(read.warnings[0].code, WarningCode::NegativeInvoice);
    assert_eq!(read.warnings[0].line, line_of(&xml, "<ram:DuePayableAmount"));
}
