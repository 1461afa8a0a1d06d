//! UN/CEFACT Cross Industry Invoice (D16B, as in Factur-X / ZUGFeRD 2): the receivables fields.

use super::xml::{kind_from_code, Reader};
use super::{DocumentKind, EInvoice, EInvoiceFormat};
use crate::checks::{IDENTIFIER_MAX, NAME_MAX};
use roxmltree::Node;

const DOCUMENT: &str = "rsm:ExchangedDocument";
const TRANSACTION: &str = "rsm:SupplyChainTradeTransaction";
const AGREEMENT: &str = "ram:ApplicableHeaderTradeAgreement";
const SETTLEMENT: &str = "ram:ApplicableHeaderTradeSettlement";
const SUMMATION: &str = "ram:SpecifiedTradeSettlementHeaderMonetarySummation";

/// Reads `root` (an `rsm:CrossIndustryInvoice`); `None` when an error was recorded.
pub(super) fn read<'a, 'i>(r: &mut Reader<'a, 'i>, root: Node<'a, 'i>, from_pdf: bool) -> Option<EInvoice> {
    let found = r.required(root, &[DOCUMENT, "ram:ID"], "BT-1 ExchangedDocument/ID");
    let number = r.checked(found, "BT-1 ExchangedDocument/ID", IDENTIFIER_MAX);
    let kind = r
        .required(root, &[DOCUMENT, "ram:TypeCode"], "BT-3 TypeCode")
        .and_then(|found| kind_from_code(r, found, "BT-3 TypeCode"));
    let issue_date = r.cii_date(root, &[DOCUMENT, "ram:IssueDateTime"], "BT-2 IssueDateTime", true);

    let found = r.optional(
        root,
        &[TRANSACTION, AGREEMENT, "ram:SellerTradeParty", "ram:Name"],
    );
    let seller_name = r.checked(found, "BT-27 SellerTradeParty/Name", NAME_MAX);
    let buyer_path = [TRANSACTION, AGREEMENT, "ram:BuyerTradeParty"];
    let found = r.required(
        root,
        &[TRANSACTION, AGREEMENT, "ram:BuyerTradeParty", "ram:Name"],
        "BT-44 BuyerTradeParty/Name",
    );
    let buyer_name = r.checked(found, "BT-44 BuyerTradeParty/Name", NAME_MAX);
    let buyer_siren = match r.find(root, &buyer_path) {
        Ok(buyer) => {
            let mut candidates = Vec::new();
            for node in r.find_all(buyer, &["ram:SpecifiedLegalOrganization", "ram:ID"]) {
                candidates.push((node, "BT-47 SpecifiedLegalOrganization/ID", true));
            }
            for node in r.find_all(buyer, &["ram:GlobalID"]) {
                candidates.push((node, "BT-46 BuyerTradeParty/GlobalID", false));
            }
            for node in r.find_all(buyer, &["ram:URIUniversalCommunication", "ram:URIID"]) {
                candidates.push((node, "BT-49 URIUniversalCommunication/URIID", false));
            }
            r.buyer_siren(&candidates)
        }
        Err(_) => None,
    };

    let currency_found = r.required(
        root,
        &[TRANSACTION, SETTLEMENT, "ram:InvoiceCurrencyCode"],
        "BT-5 InvoiceCurrencyCode",
    );
    let currency = r.currency(currency_found, "BT-5 InvoiceCurrencyCode");
    let due_date = r.cii_date(
        root,
        &[
            TRANSACTION,
            SETTLEMENT,
            "ram:SpecifiedTradePaymentTerms",
            "ram:DueDateDateTime",
        ],
        "BT-9 DueDateDateTime",
        false,
    );
    let found = r.optional(root, &[TRANSACTION, SETTLEMENT, "ram:PaymentReference"]);
    let payment_reference = r.checked(found, "BT-83 PaymentReference", NAME_MAX);
    let due_found = r.required(
        root,
        &[TRANSACTION, SETTLEMENT, SUMMATION, "ram:DuePayableAmount"],
        "BT-115 DuePayableAmount",
    );
    let due_node = due_found.as_ref().map(|(_, node)| *node);
    let amount_due = r.amount(due_found, "BT-115 DuePayableAmount", currency.as_deref());
    let total_found = r.optional(
        root,
        &[TRANSACTION, SETTLEMENT, SUMMATION, "ram:GrandTotalAmount"],
    );
    // A malformed optional value is recorded as an error, which refuses the file even though the value is optional.
    let total_with_vat = r.amount(total_found, "BT-112 GrandTotalAmount", currency.as_deref());

    let (kind, amount_due, total_with_vat) =
        r.credit_if_negative(kind?, amount_due?, total_with_vat, due_node);
    // A credit note has nothing to fall due.
    if due_date.is_none() && kind == DocumentKind::Invoice {
        r.no_due_date(root);
    }
    Some(EInvoice {
        format: if from_pdf {
            EInvoiceFormat::FacturX
        } else {
            EInvoiceFormat::Cii
        },
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
