//! What CII and UBL reading share: decoding and parsing the XML, finding elements by namespaced path, and
//! parsing dates, amounts, currencies and SIRENs into line-numbered errors.

use super::{cii, ubl, DocumentKind, EInvoice, EInvoiceWarning, WarningCode};
use crate::error::{ImportError, ImportErrors};
use chrono::NaiveDate;
use roxmltree::{Document, Node, ParsingOptions};
use rust_decimal::Decimal;
use std::borrow::Cow;

pub(super) const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
pub(super) const RAM: &str =
    "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
pub(super) const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";
pub(super) const UBL_INVOICE: &str = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
pub(super) const UBL_CREDIT_NOTE: &str = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
pub(super) const CAC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
pub(super) const CBC: &str = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
const ZUGFERD_1: &str = "urn:ferd:CrossIndustryDocument:invoice:1p0";

/// Nodes beyond this are refused (a real invoice has a few thousand).
const NODES_LIMIT: u32 = 5_000_000;

/// Namespace of the conventional prefixes used in paths (`ram:ID`); the document's own prefixes don't matter.
fn namespace_of(prefix: &str) -> &'static str {
    match prefix {
        "rsm" => RSM,
        "ram" => RAM,
        "udt" => UDT,
        "cac" => CAC,
        "cbc" => CBC,
        _ => "",
    }
}

/// Whether `node` is the element `qname` (`prefix:local` with a conventional prefix).
pub(super) fn is(node: Node, qname: &str) -> bool {
    let (prefix, local) = qname.split_once(':').unwrap_or(("", qname));
    node.is_element()
        && node.tag_name().name() == local
        && node.tag_name().namespace().unwrap_or("") == namespace_of(prefix)
}

/// The first bytes of an XML document: optional BOM and whitespace, then `<`.
pub(super) fn looks_like_xml(bytes: &[u8]) -> bool {
    let rest = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    rest == Some(&b'<') || bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

/// UTF-8 (with or without BOM), UTF-16 with BOM, or the encoding the XML declaration names.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, String> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, malformed) = encoding.decode_with_bom_removal(bytes);
            return if malformed {
                Err(format!("the file is not valid {}", encoding.name()))
            } else {
                Ok(text)
            };
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(utf8) => {
            let declared =
                declared_encoding(bytes).and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
            match declared {
                Some(encoding) if encoding != encoding_rs::UTF_8 => {
                    let (text, malformed) = encoding.decode_without_bom_handling(bytes);
                    if malformed {
                        Err(format!("the file is not valid {}", encoding.name()))
                    } else {
                        Ok(text)
                    }
                }
                _ => Err(format!(
                    "the file is not valid UTF-8 (byte {})",
                    utf8.valid_up_to() + 1
                )),
            }
        }
    }
}

/// The `encoding="..."` of the XML declaration, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(200)];
    let head = String::from_utf8_lossy(head);
    let declaration = head.strip_prefix("<?xml")?.split("?>").next()?;
    let after = declaration
        .split("encoding")
        .nth(1)?
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = after[1..].split(quote).next()?;
    Some(value.to_string())
}

/// Parses the XML and reads it as CII or UBL according to its root element.
pub(super) fn read(file: &str, bytes: &[u8], from_pdf: bool) -> Result<EInvoice, ImportErrors> {
    let one = |line: usize, field: &str, reason: String| {
        ImportErrors(vec![ImportError::new(file, line, field, reason)])
    };
    let text = decode(bytes).map_err(|reason| one(0, "XML", reason))?;
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES_LIMIT,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&text, options)
        .map_err(|e| one(e.pos().row as usize, "XML", format!("malformed XML: {e}")))?;
    let root = doc.root_element();
    let mut reader = Reader {
        file,
        doc: &doc,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let invoice = match (root.tag_name().namespace().unwrap_or(""), root.tag_name().name()) {
        (RSM, "CrossIndustryInvoice") => cii::read(&mut reader, root, from_pdf),
        (UBL_INVOICE, "Invoice") => ubl::read(&mut reader, root, DocumentKind::Invoice),
        (UBL_CREDIT_NOTE, "CreditNote") => ubl::read(&mut reader, root, DocumentKind::CreditNote),
        (ZUGFERD_1, _) => {
            reader.error(root, "root element", "ZUGFeRD 1.0 (CrossIndustryDocument) is not supported; expected CII D16B (Factur-X / ZUGFeRD 2) or UBL 2.1");
            None
        }
        (namespace, name) => {
            let reason = format!(
                "<{name}> in namespace '{namespace}' is neither a CII CrossIndustryInvoice nor a UBL 2.1 Invoice or CreditNote"
            );
            reader.error(root, "root element", reason);
            None
        }
    };
    let mut errors = reader.errors;
    match invoice {
        Some(mut invoice) if errors.is_empty() => {
            let mut warnings = reader.warnings;
            warnings.sort_by_key(|w| w.line);
            invoice.warnings = warnings;
            Ok(invoice)
        }
        _ => {
            if errors.is_empty() {
                // Not reached: every None comes with an error. Kept so a refusal always says something.
                errors.push(ImportError::new(file, 0, "file", "not a readable e-invoice"));
            }
            errors.sort_by_key(|e| e.line);
            Err(ImportErrors(errors))
        }
    }
}

/// Reads elements of one parsed document and collects the problems found.
pub(super) struct Reader<'a, 'input> {
    file: &'a str,
    doc: &'a Document<'input>,
    pub errors: Vec<ImportError>,
    pub warnings: Vec<EInvoiceWarning>,
}

/// A trimmed element text and the element.
pub(super) type Found<'a, 'input> = (String, Node<'a, 'input>);

impl<'a, 'input> Reader<'a, 'input> {
    /// 1-based line where `node` starts.
    pub fn line(&self, node: Node) -> usize {
        self.doc.text_pos_at(node.range().start).row as usize
    }

    pub fn error(&mut self, node: Node, field: &str, reason: impl Into<String>) {
        let line = self.line(node);
        self.errors.push(ImportError::new(self.file, line, field, reason));
    }

    pub fn warn(&mut self, node: Node, field: &str, code: WarningCode, reason: impl Into<String>) {
        let line = self.line(node);
        self.warnings.push(EInvoiceWarning {
            line,
            field: field.to_string(),
            reason: reason.into(),
            code,
        });
    }

    /// BT-9 is absent (a MINIMUM or BASIC WL Factur-X has none): the importer takes the customer's terms.
    pub fn no_due_date(&mut self, root: Node) {
        self.warn(
            root,
            "BT-9 due date",
            WarningCode::NoDueDate,
            "no due date (BT-9) in the e-invoice: the customer's payment terms give it",
        );
    }

    /// An invoice type code (380…) with a negative amount due is a credit: a credit note of the opposite amounts
    /// (amounts stay positive for a credit note, see the module documentation).
    pub fn credit_if_negative(
        &mut self,
        kind: DocumentKind,
        amount_due: Decimal,
        total_with_vat: Option<Decimal>,
        due_node: Option<Node>,
    ) -> (DocumentKind, Decimal, Option<Decimal>) {
        if kind != DocumentKind::Invoice || amount_due >= Decimal::ZERO {
            return (kind, amount_due, total_with_vat);
        }
        if let Some(node) = due_node {
            self.warn(
                node,
                "BT-115 amount due",
                WarningCode::NegativeInvoice,
                format!("an invoice type code with a negative amount due ({amount_due}): imported as a credit note"),
            );
        }
        (DocumentKind::CreditNote, -amount_due, total_with_vat.map(|t| -t))
    }

    /// The first element at `path` below `from` (depth first, so `A/B` finds the B of a later A when the first A
    /// has none), or the deepest element reached and how many steps matched.
    pub fn find(
        &self,
        from: Node<'a, 'input>,
        path: &[&str],
    ) -> Result<Node<'a, 'input>, (Node<'a, 'input>, usize)> {
        let Some((first, rest)) = path.split_first() else {
            return Ok(from);
        };
        let mut deepest = (from, 0);
        for child in from.children().filter(|c| is(*c, first)) {
            match self.find(child, rest) {
                Ok(found) => return Ok(found),
                Err((node, depth)) => {
                    if depth + 1 > deepest.1 {
                        deepest = (node, depth + 1);
                    }
                }
            }
        }
        Err(deepest)
    }

    /// Every element at `path` below `from`, in document order.
    pub fn find_all(&self, from: Node<'a, 'input>, path: &[&str]) -> Vec<Node<'a, 'input>> {
        let Some((first, rest)) = path.split_first() else {
            return vec![from];
        };
        from.children()
            .filter(|c| is(*c, first))
            .flat_map(|c| self.find_all(c, rest))
            .collect()
    }

    /// The trimmed text of the element at `path`, `None` when it is absent or empty.
    pub fn optional(&self, from: Node<'a, 'input>, path: &[&str]) -> Option<Found<'a, 'input>> {
        self.find_all(from, path).into_iter().find_map(|node| {
            let text = text_of(node);
            (!text.is_empty()).then_some((text, node))
        })
    }

    /// Like [`Reader::optional`], but an absent or empty element is an error, on the line of the element found
    /// deepest along the path.
    pub fn required(
        &mut self,
        from: Node<'a, 'input>,
        path: &[&str],
        field: &str,
    ) -> Option<Found<'a, 'input>> {
        if let Some(found) = self.optional(from, path) {
            return Some(found);
        }
        match self.find(from, path) {
            Ok(node) => self.error(node, field, "required value is empty"),
            Err((node, depth)) => {
                let missing = path[depth..].join("/");
                let parent = node.tag_name().name().to_string();
                self.error(
                    node,
                    field,
                    format!("required element is missing (no {missing} in {parent})"),
                );
            }
        }
        None
    }

    /// A text value checked for control characters and its length limit (see [`crate::checks`]); `None` when
    /// refused (the error is recorded).
    pub fn checked(
        &mut self,
        found: Option<Found<'a, 'input>>,
        field: &str,
        limit: usize,
    ) -> Option<Found<'a, 'input>> {
        let (text, node) = found?;
        match crate::checks::check_text(&text, limit, false) {
            Ok(()) => Some((text, node)),
            Err((code, reason)) => {
                let line = self.line(node);
                self.errors
                    .push(ImportError::new(self.file, line, field, reason).with_code(code));
                None
            }
        }
    }

    /// A date within the accepted range (see [`crate::checks`]), else the error is recorded.
    fn in_range(
        &mut self,
        node: Node,
        field: &str,
        date: Option<NaiveDate>,
        text: &str,
    ) -> Option<NaiveDate> {
        match crate::checks::check_date(date?, text) {
            Ok(d) => Some(d),
            Err(reason) => {
                self.error(node, field, reason);
                None
            }
        }
    }

    /// A CII date: the `udt:DateTimeString` (format 102) below the element at `path`.
    pub fn cii_date(
        &mut self,
        from: Node<'a, 'input>,
        path: &[&str],
        field: &str,
        required: bool,
    ) -> Option<NaiveDate> {
        let path: Vec<&str> = path.iter().copied().chain(["udt:DateTimeString"]).collect();
        let (text, node) = if required {
            self.required(from, &path, field)?
        } else {
            self.optional(from, &path)?
        };
        match node.attribute("format") {
            None | Some("102") => {}
            Some(other) => {
                self.error(
                    node,
                    field,
                    format!("date format '{other}' is not supported (only 102, YYYYMMDD)"),
                );
                return None;
            }
        }
        let date = (text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| NaiveDate::parse_from_str(&text, "%Y%m%d").ok())
            .flatten();
        if date.is_none() {
            self.error(
                node,
                field,
                format!("'{text}' is not a date in format 102 (YYYYMMDD)"),
            );
        }
        self.in_range(node, field, date, &text)
    }

    /// A UBL date (`YYYY-MM-DD`, an `xs:date` time zone suffix is ignored).
    pub fn ubl_date(&mut self, found: Option<Found<'a, 'input>>, field: &str) -> Option<NaiveDate> {
        let (text, node) = found?;
        let cut = text.len().min(10);
        let (day, zone) = if text.is_char_boundary(cut) {
            text.split_at(cut)
        } else {
            ("", "")
        };
        let zone_ok = zone.is_empty() || zone == "Z" || is_offset(zone);
        let date = (zone_ok && day.len() == 10 && day.as_bytes()[4] == b'-' && day.as_bytes()[7] == b'-')
            .then(|| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
            .flatten()
            .filter(|_| {
                day.bytes()
                    .enumerate()
                    .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
            });
        if date.is_none() {
            self.error(node, field, format!("'{text}' is not a date (YYYY-MM-DD)"));
        }
        self.in_range(node, field, date, &text)
    }

    /// An amount, checked against the invoice currency when the element names its own (`currencyID`).
    pub fn amount(
        &mut self,
        found: Option<Found<'a, 'input>>,
        field: &str,
        currency: Option<&str>,
    ) -> Option<Decimal> {
        let (text, node) = found?;
        let Some(amount) = parse_amount(&text) else {
            self.error(
                node,
                field,
                format!("'{text}' is not an amount (digits, optional sign, '.' as decimal point)"),
            );
            return None;
        };
        let amount = match crate::checks::check_amount(amount, &text) {
            Ok(a) => a,
            Err(reason) => {
                self.error(node, field, reason);
                return None;
            }
        };
        if let (Some(own), Some(invoice)) = (node.attribute("currencyID"), currency) {
            if own.trim() != invoice {
                self.error(
                    node,
                    field,
                    format!(
                        "amount in {} but the invoice currency (BT-5) is {invoice}",
                        own.trim()
                    ),
                );
                return None;
            }
        }
        Some(amount)
    }

    /// BT-5: three capital letters (ISO 4217 form).
    pub fn currency(&mut self, found: Option<Found<'a, 'input>>, field: &str) -> Option<String> {
        let (text, node) = found?;
        if text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase()) {
            Some(text)
        } else {
            self.error(
                node,
                field,
                format!("'{text}' is not an ISO 4217 currency code (three capital letters)"),
            );
            None
        }
    }

    /// BT-47 from candidate identifiers, best first. `legal` candidates (the legal registration identifier) are
    /// also taken without a scheme when they have the length of a SIREN or SIRET. A malformed identifier under
    /// scheme 0002/0009, or one whose SIREN fails its Luhn check, is a warning and the next candidate is tried.
    pub fn buyer_siren(&mut self, candidates: &[(Node<'a, 'input>, &str, bool)]) -> Option<String> {
        for &(node, field, legal) in candidates {
            let text = text_of(node);
            let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            let shaped =
                digits.bytes().all(|b| b.is_ascii_digit()) && (digits.len() == 9 || digits.len() == 14);
            let siren = shaped
                .then(|| digits[..9].to_string())
                .filter(|s| encaisse_domain::customer::siren_is_valid(s));
            match node.attribute("schemeID").map(str::trim) {
                Some("0002" | "0009") => {
                    if siren.is_some() {
                        return siren;
                    }
                    let why = if shaped {
                        format!(
                            "the SIREN {} of '{text}' fails its check digit (Luhn)",
                            &digits[..9]
                        )
                    } else {
                        format!("'{text}' is neither a SIREN (9 digits) nor a SIRET (14 digits)")
                    };
                    self.warn(
                        node,
                        field,
                        WarningCode::BuyerIdentifier,
                        format!("{why}: ignored, the buyer is found by its name"),
                    );
                }
                None if legal && siren.is_some() => return siren,
                _ => {}
            }
        }
        None
    }
}

fn is_offset(zone: &str) -> bool {
    let b = zone.as_bytes();
    b.len() == 6
        && (b[0] == b'+' || b[0] == b'-')
        && b[1..3].iter().all(u8::is_ascii_digit)
        && b[3] == b':'
        && b[4..].iter().all(u8::is_ascii_digit)
}

/// The element's text (all its text children, so a comment or CDATA inside doesn't cut it), trimmed.
pub(super) fn text_of(node: Node) -> String {
    let text: String = node
        .children()
        .filter(Node::is_text)
        .filter_map(|c| c.text())
        .collect();
    text.trim().to_string()
}

/// `[+-]digits[.digits]` (or `.5`, `5.`), read exactly; anything else, or beyond what a Decimal holds, is `None`.
pub(super) fn parse_amount(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.len() + frac.len() == 0 || !digits(int) || !digits(frac) {
        return None;
    }
    let int = if int.is_empty() { "0" } else { int };
    let plain = if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    };
    let amount = Decimal::from_str_exact(&plain).ok()?;
    Some(if negative { -amount } else { amount })
}

/// BT-3 codes (UNTDID 1001) of EN 16931 and of the French CIUS; see the module documentation.
pub(super) fn document_kind(code: &str) -> Option<DocumentKind> {
    const CREDIT_NOTES: &[&str] = &[
        "81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "502", "503", "532",
    ];
    const INVOICES: &[&str] = &[
        "71", "80", "82", "84", "102", "130", "202", "203", "204", "211", "218", "219", "295", "325", "326",
        "331", "380", "382", "383", "384", "385", "386", "387", "388", "389", "390", "393", "394", "395",
        "456", "457", "471", "472", "473", "500", "501", "527", "553", "575", "623", "633", "751", "780",
        "817", "870", "875", "876", "877", "935",
    ];
    if CREDIT_NOTES.contains(&code) {
        Some(DocumentKind::CreditNote)
    } else if INVOICES.contains(&code) {
        Some(DocumentKind::Invoice)
    } else {
        None
    }
}

/// Reads BT-3 from `found`; an unknown code is an error.
pub(super) fn kind_from_code(reader: &mut Reader, found: Found, field: &str) -> Option<DocumentKind> {
    let (code, node) = found;
    let kind = document_kind(&code);
    if kind.is_none() {
        reader.error(
            node,
            field,
            format!("'{code}' is not an invoice or credit note type code (UNTDID 1001)"),
        );
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_and_strict() {
        assert_eq!(parse_amount("1234.56"), Some(Decimal::new(123456, 2)));
        assert_eq!(parse_amount("-0.10"), Some(Decimal::new(-10, 2)));
        assert_eq!(parse_amount("+7"), Some(Decimal::new(7, 0)));
        assert_eq!(parse_amount(".5"), Some(Decimal::new(5, 1)));
        assert_eq!(parse_amount(" 12.00 "), Some(Decimal::new(1200, 2)));
        for bad in [
            "", "-", ".", "12,50", "1e3", "1_000", "--1", "12.5.0", "abc", "1 000", "NaN", "+-1",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad:?}");
        }
        assert_eq!(parse_amount("99999999999999999999999999999999"), None);
    }

    #[test]
    fn declared_encoding_is_found() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding='ISO-8859-1'?><a/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<a/>"), None);
    }

    #[test]
    fn latin1_xml_is_decoded() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Soci\xE9t\xE9</a>";
        assert_eq!(
            decode(bytes).unwrap(),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Soci\u{e9}t\u{e9}</a>"
        );
    }

    #[test]
    fn type_codes() {
        assert_eq!(document_kind("380"), Some(DocumentKind::Invoice));
        assert_eq!(document_kind("384"), Some(DocumentKind::Invoice));
        assert_eq!(document_kind("389"), Some(DocumentKind::Invoice));
        assert_eq!(document_kind("381"), Some(DocumentKind::CreditNote));
        assert_eq!(document_kind("261"), Some(DocumentKind::CreditNote));
        assert_eq!(document_kind("262"), Some(DocumentKind::CreditNote));
        assert_eq!(document_kind("999"), None);
    }
}
