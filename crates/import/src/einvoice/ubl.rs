//! UBL 2.1 Invoice and CreditNote: the receivables fields.

use super::xml::{kind_from_code, Reader};
use super::{DocumentKind, EInvoice, EInvoiceFormat};
use crate::checks::{IDENTIFIER_MAX, NAME_MAX};
use roxmltree::Node;

const SUPPLIER: &str = "cac:AccountingSupplierParty";
const CUSTOMER: &str = "cac:AccountingCustomerParty";
const PARTY: &str = "cac:Party";
const LEGAL_ENTITY: &str = "cac:PartyLegalEntity";
const TOTAL: &str = "cac:LegalMonetaryTotal";

/// Reads `root` (an `Invoice` or `CreditNote`, `root_kind` saying which); `None` when an error was recorded.
pub(super) fn read<'a, 'i>(
    r: &mut Reader<'a, 'i>,
    root: Node<'a, 'i>,
    root_kind: DocumentKind,
) -> Option<EInvoice> {
    let found = r.required(root, &["cbc:ID"], "BT-1 ID");
    let number = r.checked(found, "BT-1 ID", IDENTIFIER_MAX);
    let type_code = match root_kind {
        DocumentKind::Invoice => "cbc:InvoiceTypeCode",
        DocumentKind::CreditNote => "cbc:CreditNoteTypeCode",
    };
    let type_field = format!("BT-3 {}", &type_code[4..]);
    let kind = match r.optional(root, &[type_code]) {
        Some(found) => kind_from_code(r, found, &type_field),
        None => Some(root_kind),
    };
    let issue_found = r.required(root, &["cbc:IssueDate"], "BT-2 IssueDate");
    let issue_date = r.ubl_date(issue_found, "BT-2 IssueDate");
    let due_date = match r.optional(root, &["cbc:DueDate"]) {
        Some(found) => r.ubl_date(Some(found), "BT-9 DueDate"),
        None => {
            let found = r.optional(root, &["cac:PaymentMeans", "cbc:PaymentDueDate"]);
            r.ubl_date(found, "BT-9 PaymentMeans/PaymentDueDate")
        }
    };

    let found = r
        .optional(root, &[SUPPLIER, PARTY, LEGAL_ENTITY, "cbc:RegistrationName"])
        .or_else(|| r.optional(root, &[SUPPLIER, PARTY, "cac:PartyName", "cbc:Name"]));
    let seller_name = r.checked(found, "BT-27 Seller name", NAME_MAX);
    let buyer_name_path = [CUSTOMER, PARTY, LEGAL_ENTITY, "cbc:RegistrationName"];
    let found = match r.optional(root, &[CUSTOMER, PARTY, "cac:PartyName", "cbc:Name"]) {
        // The legal name (BT-44) first; the trading name (BT-45) only when there is no legal name.
        Some(trading) => Some(r.optional(root, &buyer_name_path).unwrap_or(trading)),
        None => r.required(root, &buyer_name_path, "BT-44 PartyLegalEntity/RegistrationName"),
    };
    let buyer_name = r.checked(found, "BT-44 Buyer name", NAME_MAX);
    let buyer_siren = match r.find(root, &[CUSTOMER, PARTY]) {
        Ok(buyer) => {
            let mut candidates = Vec::new();
            for node in r.find_all(buyer, &[LEGAL_ENTITY, "cbc:CompanyID"]) {
                candidates.push((node, "BT-47 PartyLegalEntity/CompanyID", true));
            }
            for node in r.find_all(buyer, &["cac:PartyIdentification", "cbc:ID"]) {
                candidates.push((node, "BT-46 PartyIdentification/ID", false));
            }
            for node in r.find_all(buyer, &["cbc:EndpointID"]) {
                candidates.push((node, "BT-49 EndpointID", false));
            }
            r.buyer_siren(&candidates)
        }
        Err(_) => None,
    };

    let currency_found = r.required(root, &["cbc:DocumentCurrencyCode"], "BT-5 DocumentCurrencyCode");
    let currency = r.currency(currency_found, "BT-5 DocumentCurrencyCode");
    let due_found = r.required(root, &[TOTAL, "cbc:PayableAmount"], "BT-115 PayableAmount");
    let due_node = due_found.as_ref().map(|(_, node)| *node);
    let amount_due = r.amount(due_found, "BT-115 PayableAmount", currency.as_deref());
    let total_found = r.optional(root, &[TOTAL, "cbc:TaxInclusiveAmount"]);
    // A malformed optional value is recorded as an error, which refuses the file even though the value is optional.
    let total_with_vat = r.amount(total_found, "BT-112 TaxInclusiveAmount", currency.as_deref());
    let found = r.optional(root, &["cac:PaymentMeans", "cbc:PaymentID"]);
    let payment_reference = r.checked(found, "BT-83 PaymentMeans/PaymentID", NAME_MAX);

    let (kind, amount_due, total_with_vat) =
        r.credit_if_negative(kind?, amount_due?, total_with_vat, due_node);
    // A credit note has nothing to fall due.
    if due_date.is_none() && kind == DocumentKind::Invoice {
        r.no_due_date(root);
    }
    Some(EInvoice {
        format: EInvoiceFormat::Ubl,
        number: number?.0,
        kind,
        issue_date: issue_date?,
        due_date,
        seller_name: seller_name.map(|(name, _)| name),
        buyer_name: buyer_name?.0,
        buyer_siren,
        currency: currency?,
        amount_due,
        total_with_vat,
        payment_reference: payment_reference.map(|(reference, _)| reference),
        warnings: Vec::new(),
    })
}
