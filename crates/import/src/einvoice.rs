//! E-invoices of the French reform: a Factur-X PDF (its embedded CII XML), or a bare CII or UBL 2.1 XML file.
//!
//! [`read_einvoice`] keeps what receivables need (number, kind, dates, buyer, currency, amount due, payment
//! reference) and refuses a file with every problem found as `file:line: field: reason`. Line numbers are those
//! of the XML (for a Factur-X PDF, of its embedded XML); line 0 means the whole file (not a PDF or XML, no
//! attachment in the PDF, ...).
//!
//! Choices worth knowing:
//! - Amounts are kept as written, without sign change: a credit note carries positive amounts (EN 16931), its
//!   [`DocumentKind`] says which way they go.
//! - Document kind (BT-3, UNTDID 1001 codes of EN 16931 and of the French CIUS): 81, 83, 261 (self-billed credit
//!   note), 262 (consolidated credit note), 296, 308, 381, 396 (factored credit note), 420, 458, 502, 503 (credit
//!   note on a prepayment) and 532 are credit notes; 380, 384 (corrected), 389 (self-billed), 386 (prepayment),
//!   393 (factored), 383 (debit note), 471-473, 500, 501, 751 and the other invoice codes are invoices. An unknown
//!   code is refused. In UBL a missing type code takes the root element (Invoice or CreditNote).
//! - Buyer SIREN (BT-47): the legal registration identifier with scheme 0002 (SIRENE: a SIREN of 9 digits or a
//!   SIRET of 14, as real French invoices write it) or 0009 (SIRET), the SIREN being a SIRET's first 9 digits,
//!   then the buyer's other identifiers (BT-46) and electronic address (BT-49) with those schemes. A legal
//!   identifier without scheme is taken when it is 9 or 14 digits. A SIREN/SIRET under scheme 0002/0009 that is
//!   malformed or whose SIREN fails its Luhn check is a warning ([`WarningCode::BuyerIdentifier`]: the buyer is
//!   then found by its name), never a refusal; only the SIREN's check digit is checked (a SIRET's own Luhn check
//!   has exceptions, La Poste's establishments, and the SIREN is what finds the customer). Identifiers under
//!   other schemes (foreign buyers) are ignored.
//! - Due date (BT-9): CII `DueDateDateTime` of the first payment terms that have one; UBL `cbc:DueDate`, else
//!   `cac:PaymentMeans/cbc:PaymentDueDate` (where UBL 2.1 credit notes keep it). None (a MINIMUM or BASIC WL
//!   Factur-X has none) is a warning ([`WarningCode::NoDueDate`]): the customer's terms give it.
//! - An invoice type code (380…) with a negative amount due (BT-115) is a credit: read as a credit note with the
//!   amounts' sign turned, and a warning ([`WarningCode::NegativeInvoice`]).
//! - Buyer name (BT-44): CII `BuyerTradeParty/Name`; UBL `PartyLegalEntity/RegistrationName`, else the trading
//!   name `PartyName/Name` (BT-45).
//! - An amount whose `currencyID` differs from the invoice currency (BT-5) is an error.
//! - A UBL XML inside a PDF (e.g. an `xrechnung.xml` attachment) is read as [`EInvoiceFormat::Ubl`].

mod cii;
mod pdf;
mod ubl;
mod xml;

use crate::error::{ImportError, ImportErrors};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Where the invoice came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EInvoiceFormat {
    /// CII XML found inside a PDF (Factur-X / ZUGFeRD 2).
    FacturX,
    /// Bare UN/CEFACT Cross Industry Invoice XML.
    Cii,
    /// UBL 2.1 Invoice or CreditNote XML.
    Ubl,
}

/// BT-3, reduced to what receivables need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

/// Why an e-invoice was read with a reservation: the file is imported all the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// A SIREN or SIRET under scheme 0002/0009 that is malformed or fails its check digit: ignored, the buyer is
    /// found by its name.
    BuyerIdentifier,
    /// No due date (BT-9): the customer's payment terms (else the default terms) give it.
    NoDueDate,
    /// An invoice type code with a negative amount due: read as a credit note.
    NegativeInvoice,
}

/// A reservation on one e-invoice, where it is in the file (line 0: the whole file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EInvoiceWarning {
    pub line: usize,
    pub field: String,
    pub reason: String,
    pub code: WarningCode,
}

/// The receivables fields of one e-invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EInvoice {
    pub format: EInvoiceFormat,
    /// BT-1.
    pub number: String,
    /// BT-3.
    pub kind: DocumentKind,
    /// BT-2.
    pub issue_date: NaiveDate,
    /// BT-9.
    pub due_date: Option<NaiveDate>,
    /// BT-27.
    pub seller_name: Option<String>,
    /// BT-44.
    pub buyer_name: String,
    /// BT-47 (9 digits; from a SIRET when only that is given).
    pub buyer_siren: Option<String>,
    /// BT-5.
    pub currency: String,
    /// BT-115, as written (positive for a credit note too).
    pub amount_due: Decimal,
    /// BT-112.
    pub total_with_vat: Option<Decimal>,
    /// BT-83.
    pub payment_reference: Option<String>,
    /// What was read with a reservation (never a refusal), in the order of the file.
    pub warnings: Vec<EInvoiceWarning>,
}

/// Reads one e-invoice: a PDF (Factur-X: the embedded factur-x.xml, also accept zugferd-invoice.xml /
/// xrechnung.xml names) or bare XML (CII or UBL, detected from the root element's namespace).
///
/// `file` is only used to name the file in errors.
pub fn read_einvoice(file: &str, bytes: &[u8]) -> Result<EInvoice, ImportErrors> {
    if pdf::is_pdf(bytes) {
        let xml = pdf::embedded_invoice_xml(file, bytes).map_err(|e| ImportErrors(vec![e]))?;
        xml::read(file, &xml, true)
    } else if xml::looks_like_xml(bytes) {
        xml::read(file, bytes, false)
    } else {
        Err(ImportErrors(vec![ImportError::new(
            file,
            0,
            "file",
            "not a PDF or XML file (expected a Factur-X PDF, or CII or UBL XML)",
        )]))
    }
}
