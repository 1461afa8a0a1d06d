//! E-invoicing lifecycle statuses: UN/CEFACT CDAR D22B messages ("Cross Domain Acknowledgement and Response",
//! the French "CDV" profile) read into one [`CdarStatus`] per acknowledged invoice, and the 212 "Encaissée"
//! message written back for the accredited platform (PA).
//!
//! Reading refuses a message with every problem found as `file:line: field: reason` (the French rule
//! BR-FR-CDV-15: a reason code is required for 206, 207, 208, 210 and 213; BR-FR-CDV-14: a 212 carries the
//! amount received). Writing produces a message valid against the D22B XSD that also satisfies the French
//! rules BR-FR-CDV-01/02 (guideline id), 03 (message id), 04 (issue date), 05/06 (sender and its role),
//! 07 (issuer id when type 23), 08 (recipient role), 09 (type 23), 10 (invoice number), 11 (invoice date),
//! 12 (status code), 13 (seller id), 14 (MEN amount and VAT percent on a 212), 16 (sequence number),
//! CL-01 (REGULATED), CL-02/03/04 (role codes), CL-06 (status code list).

use crate::error::{ImportError, ImportErrors};
use chrono::NaiveDate;
use roxmltree::{Document, Node};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write as _;

pub const RSM: &str = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100";
pub const RAM: &str = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
const QDT: &str = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";
const UDT: &str = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";
/// BR-FR-CDV-02: the guideline of lifecycle messages exchanged between platforms.
pub const GUIDELINE: &str = "urn.cpro.gouv.fr:1p0:CDV:invoice";

/// Status codes that must carry a reason code (BR-FR-CDV-15; 501 "Irrecevable" too).
pub const REASON_REQUIRED: [u16; 6] = [206, 207, 208, 210, 213, 501];

/// The lifecycle status codes of the French list (BR-FR-CDV-CL-06).
const KNOWN_CODES: [u16; 31] = [
    200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 220, 221, 224, 225, 226, 227,
    228, 250, 251, 300, 301, 400, 401, 500, 501, 601,
];

/// One status of one invoice, as a message carried it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CdarStatus {
    /// Line of the `AcknowledgementDocument` in the file.
    pub line: usize,
    /// The message's identifier (ExchangedDocument/ID, MDT-4).
    pub message_id: String,
    /// Rank of this status in its message (1-based): a message may acknowledge several invoices.
    pub rank: usize,
    /// The invoice number (BT-1, MDT-87) and date (BT-2, MDG-35).
    pub invoice: String,
    pub invoice_date: Option<NaiveDate>,
    /// SIREN of the invoice's seller (its IssuerTradeParty) and buyer (RecipientTradeParty), when given.
    pub seller_siren: Option<String>,
    pub buyer_siren: Option<String>,
    /// The status code (MDT-105): 204 Prise en charge … 212 Encaissée, 213 Rejetée, 220 Annulée…
    pub code: u16,
    /// When the status was set: the status detail's date, else the acknowledgement's, else the message's.
    pub date: NaiveDate,
    /// Who set the status: the message issuer's identifier (SIREN) or name, and its role (BY, SE, WK…).
    pub issuer: Option<String>,
    pub issuer_role: Option<String>,
    /// The reason code (MDT-113), required for 206/207/208/210/213, and its free text.
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    /// The amount of the status: on a 212 the amount received (MEN), on a 206 the approved part (MAP).
    pub amount: Option<Decimal>,
}

fn el<'a, 'i>(node: Node<'a, 'i>, ns: &str, local: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == local && c.tag_name().namespace() == Some(ns))
}

fn els<'a, 'i>(node: Node<'a, 'i>, ns: &'a str, local: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| {
        c.is_element() && c.tag_name().name() == local && c.tag_name().namespace() == Some(ns)
    })
}

fn ram<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    el(node, RAM, local)
}

fn text<'a>(node: Option<Node<'a, '_>>) -> Option<&'a str> {
    node.and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

struct Reader<'a, 'i> {
    file: &'a str,
    doc: &'a Document<'i>,
    errors: Vec<ImportError>,
}

impl<'a, 'i> Reader<'a, 'i> {
    fn line(&self, node: Node) -> usize {
        self.doc.text_pos_at(node.range().start).row as usize
    }

    fn error(&mut self, node: Node, field: &str, reason: impl Into<String>) {
        let line = self.line(node);
        self.errors.push(ImportError::new(self.file, line, field, reason));
    }

    /// A date-time element (`udt:DateTimeString` or `qdt:DateTimeString`, formats 102/203/204: the first
    /// eight digits are the day).
    fn date(&mut self, node: Option<Node>, field: &str) -> Option<NaiveDate> {
        let node = node?;
        let string = node
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == "DateTimeString");
        let Some(string) = string else {
            self.error(node, field, "no DateTimeString");
            return None;
        };
        let raw = string.text().unwrap_or("").trim();
        let parsed = raw
            .get(..8)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok());
        if parsed.is_none() {
            self.error(string, field, format!("\"{raw}\" is not a date (YYYYMMDD)"));
        }
        parsed
    }

    fn party_id(&self, party: Option<Node>) -> Option<String> {
        let party = party?;
        let ids = els(party, RAM, "GlobalID").chain(els(party, RAM, "ID"));
        let mut first = None;
        for id in ids {
            let Some(value) = text(Some(id)) else { continue };
            let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
            // SIREN (scheme 0002) or a SIRET, whose first nine digits are the SIREN.
            if value.len() >= 9 && value.bytes().all(|b| b.is_ascii_digit()) {
                return Some(value[..9].to_string());
            }
            first.get_or_insert(value);
        }
        first
    }
}

/// Reads one CDAR D22B message: every acknowledged invoice's status, or every problem found.
pub fn read_cdar(file: &str, bytes: &[u8]) -> Result<Vec<CdarStatus>, ImportErrors> {
    let fail = |line: usize, field: &str, reason: String| {
        ImportErrors(vec![ImportError::new(file, line, field, reason)])
    };
    let source = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| fail(0, "file", format!("the file is not UTF-8 text ({e})")))?;
    let doc = Document::parse(source).map_err(|e| fail(e.pos().row as usize, "xml", e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "CrossDomainAcknowledgementAndResponse"
        || root.tag_name().namespace() != Some(RSM)
    {
        return Err(fail(
            1,
            "xml",
            format!(
                "the root element is {} and not a CDAR CrossDomainAcknowledgementAndResponse (D22B)",
                root.tag_name().name()
            ),
        ));
    }
    let mut r = Reader {
        file,
        doc: &doc,
        errors: Vec::new(),
    };
    let exchanged = el(root, RSM, "ExchangedDocument");
    let Some(exchanged) = exchanged else {
        r.error(root, "ExchangedDocument", "the message has no ExchangedDocument");
        return Err(ImportErrors(r.errors));
    };
    let message_id = match text(ram(exchanged, "ID")) {
        Some(id) => id.to_string(),
        None => {
            r.error(
                exchanged,
                "ExchangedDocument/ID",
                "the message has no identifier (BR-FR-CDV-03)",
            );
            String::new()
        }
    };
    let message_date = r.date(ram(exchanged, "IssueDateTime"), "ExchangedDocument/IssueDateTime");
    let issuer_party = ram(exchanged, "IssuerTradeParty").or_else(|| ram(exchanged, "SenderTradeParty"));
    let issuer = r
        .party_id(issuer_party)
        .or_else(|| text(issuer_party.and_then(|p| ram(p, "Name"))).map(str::to_string));
    let issuer_role = text(issuer_party.and_then(|p| ram(p, "RoleCode"))).map(str::to_string);

    let mut statuses = Vec::new();
    for (i, ack) in els(root, RSM, "AcknowledgementDocument").enumerate() {
        let line = r.line(ack);
        let ack_date = r.date(ram(ack, "IssueDateTime"), "AcknowledgementDocument/IssueDateTime");
        let Some(referenced) = ram(ack, "ReferenceReferencedDocument") else {
            r.error(
                ack,
                "ReferenceReferencedDocument",
                "the acknowledgement names no invoice",
            );
            continue;
        };
        let invoice = match text(ram(referenced, "IssuerAssignedID")) {
            Some(n) => n.to_string(),
            None => {
                r.error(
                    referenced,
                    "IssuerAssignedID",
                    "the invoice number (BT-1) is missing (BR-FR-CDV-10)",
                );
                continue;
            }
        };
        let invoice_date = r.date(
            ram(referenced, "FormattedIssueDateTime"),
            "FormattedIssueDateTime",
        );
        let code_node = ram(referenced, "ProcessConditionCode");
        let code = match text(code_node) {
            Some(c) => match c.parse::<u16>().ok().filter(|c| KNOWN_CODES.contains(c)) {
                Some(code) => code,
                None => {
                    r.error(
                        code_node.unwrap_or(referenced),
                        "ProcessConditionCode",
                        format!("\"{c}\" is not a lifecycle status code (BR-FR-CDV-CL-06)"),
                    );
                    continue;
                }
            },
            None => {
                r.error(
                    referenced,
                    "ProcessConditionCode",
                    "the status code is missing (BR-FR-CDV-12)",
                );
                continue;
            }
        };
        let details: Vec<Node> = els(referenced, RAM, "SpecifiedDocumentStatus").collect();
        let reason_node = details.iter().find_map(|d| ram(*d, "ReasonCode"));
        let reason = text(reason_node).map(str::to_string);
        let reason_text = details
            .iter()
            .find_map(|d| text(ram(*d, "Reason")).or_else(|| text(ram(*d, "ReasonInformation"))))
            .map(str::to_string);
        if REASON_REQUIRED.contains(&code) && reason.is_none() {
            let at = details.first().copied().or(code_node).unwrap_or(referenced);
            r.error(
                at,
                "SpecifiedDocumentStatus/ReasonCode",
                format!("status {code} requires a reason code (BR-FR-CDV-15)"),
            );
        }
        let status_date = match details.iter().find_map(|d| ram(*d, "ReferenceDateTime")) {
            Some(n) => r.date(Some(n), "SpecifiedDocumentStatus/ReferenceDateTime"),
            None => None,
        };
        // The amount: MEN (encaissé) on a 212, MAP/MAPTTC (approved part) on a 206.
        let wanted: &[&str] = if code == 212 {
            &["MEN"]
        } else {
            &["MAP", "MAPTTC", "MPA"]
        };
        let mut amount = None;
        for characteristic in details
            .iter()
            .flat_map(|d| els(*d, RAM, "SpecifiedDocumentCharacteristic"))
        {
            let kind = text(ram(characteristic, "TypeCode")).unwrap_or("");
            if !wanted.contains(&kind) {
                continue;
            }
            let value = ram(characteristic, "ValueAmount");
            match text(value).map(|v| v.parse::<Decimal>()) {
                Some(Ok(v)) => *amount.get_or_insert(Decimal::ZERO) += v,
                Some(Err(_)) => r.error(
                    value.unwrap_or(characteristic),
                    "ValueAmount",
                    format!("\"{}\" is not an amount", text(value).unwrap_or("")),
                ),
                None => r.error(
                    characteristic,
                    "ValueAmount",
                    format!("the {kind} characteristic has no amount"),
                ),
            }
        }
        if code == 212 && amount.is_none() {
            r.error(
                details.first().copied().unwrap_or(referenced),
                "SpecifiedDocumentCharacteristic/ValueAmount",
                "status 212 requires the amount received (a MEN characteristic, BR-FR-CDV-14)",
            );
        }
        let Some(date) = status_date.or(ack_date).or(message_date) else {
            r.error(ack, "IssueDateTime", "the status has no date");
            continue;
        };
        statuses.push(CdarStatus {
            line,
            message_id: message_id.clone(),
            rank: i + 1,
            invoice,
            invoice_date,
            seller_siren: r.party_id(ram(referenced, "IssuerTradeParty")),
            buyer_siren: r.party_id(ram(referenced, "RecipientTradeParty")),
            code,
            date,
            issuer: issuer.clone(),
            issuer_role: issuer_role.clone(),
            reason,
            reason_text,
            amount,
        });
    }
    if statuses.is_empty() && r.errors.is_empty() {
        r.error(
            root,
            "AcknowledgementDocument",
            "the message acknowledges no invoice",
        );
    }
    if r.errors.is_empty() {
        Ok(statuses)
    } else {
        r.errors.sort_by_key(|e| e.line);
        Err(ImportErrors(r.errors))
    }
}

/// What a 212 "Encaissée" message says: the seller (the company) declares the amount received on an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encaissee {
    pub message_id: String,
    /// When the message is written, and when the money was received.
    pub issued: NaiveDate,
    pub received: NaiveDate,
    pub seller_siren: String,
    pub seller_name: String,
    pub buyer_siren: Option<String>,
    pub invoice: String,
    pub invoice_date: NaiveDate,
    pub amount: Decimal,
    /// The VAT rate of the amount (BR-FR-CDV-14 requires one per MEN block), in percent.
    pub vat_percent: Decimal,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The checks of the French rules a 212 must pass before it is written (amounts on 2 decimals: BR-FR-DEC-01;
/// VAT percent positive on 2 decimals: BR-FR-DEC-04; SIREN of nine digits).
pub fn check_encaissee(m: &Encaissee) -> Result<(), String> {
    let siren_ok = |s: &str| s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit());
    if !siren_ok(&m.seller_siren) {
        return Err(format!(
            "the company's SIREN \"{}\" is not nine digits",
            m.seller_siren
        ));
    }
    if m.buyer_siren.as_deref().is_some_and(|s| !siren_ok(s)) {
        return Err("the customer's SIREN is not nine digits".into());
    }
    if m.amount.scale() > 2 && m.amount != m.amount.round_dp(2) {
        return Err(format!(
            "the amount {} has more than two decimals (BR-FR-DEC-01)",
            m.amount
        ));
    }
    if m.vat_percent.is_sign_negative() || m.vat_percent.round_dp(2) != m.vat_percent {
        return Err(format!(
            "the VAT rate {} is not a positive percent on two decimals (BR-FR-DEC-04)",
            m.vat_percent
        ));
    }
    if m.invoice.trim().is_empty() || m.message_id.trim().is_empty() {
        return Err("the invoice number and the message identifier are required (BR-FR-CDV-03/10)".into());
    }
    Ok(())
}

/// The 212 "Encaissée" CDAR D22B message (XSD-valid; see the module's list of French rules it satisfies).
pub fn write_encaissee(m: &Encaissee) -> Result<String, String> {
    check_encaissee(m)?;
    let d = |date: NaiveDate| date.format("%Y%m%d").to_string();
    let mut x = String::new();
    let _ = write!(
        x,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm="{RSM}" xmlns:ram="{RAM}" xmlns:qdt="{QDT}" xmlns:udt="{UDT}">
  <rsm:ExchangedDocumentContext>
    <ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>REGULATED</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{GUIDELINE}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{id}</ram:ID>
    <ram:Name>Encaissée</ram:Name>
    <ram:IssueDateTime><udt:DateTimeString format="102">{issued}</udt:DateTimeString></ram:IssueDateTime>
    <ram:SenderTradeParty><ram:GlobalID schemeID="0002">{seller}</ram:GlobalID><ram:Name>{name}</ram:Name><ram:RoleCode>SE</ram:RoleCode></ram:SenderTradeParty>
    <ram:IssuerTradeParty><ram:GlobalID schemeID="0002">{seller}</ram:GlobalID><ram:Name>{name}</ram:Name><ram:RoleCode>SE</ram:RoleCode></ram:IssuerTradeParty>
    <ram:RecipientTradeParty><ram:RoleCode>WK</ram:RoleCode></ram:RecipientTradeParty>
  </rsm:ExchangedDocument>
  <rsm:AcknowledgementDocument>
    <ram:MultipleReferencesIndicator><udt:IndicatorString>false</udt:IndicatorString></ram:MultipleReferencesIndicator>
    <ram:TypeCode>23</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{issued}</udt:DateTimeString></ram:IssueDateTime>
    <ram:ReferenceReferencedDocument>
      <ram:IssuerAssignedID>{invoice}</ram:IssuerAssignedID>
      <ram:StatusCode>45</ram:StatusCode>
      <ram:TypeCode>380</ram:TypeCode>
      <ram:FormattedIssueDateTime><qdt:DateTimeString format="102">{invoice_date}</qdt:DateTimeString></ram:FormattedIssueDateTime>
      <ram:ProcessConditionCode>212</ram:ProcessConditionCode>
      <ram:IssuerTradeParty><ram:GlobalID schemeID="0002">{seller}</ram:GlobalID><ram:RoleCode>SE</ram:RoleCode></ram:IssuerTradeParty>
"#,
        id = escape(&m.message_id),
        issued = d(m.issued),
        seller = m.seller_siren,
        name = escape(&m.seller_name),
        invoice = escape(&m.invoice),
        invoice_date = d(m.invoice_date),
    );
    if let Some(buyer) = &m.buyer_siren {
        let _ = writeln!(
            x,
            r#"      <ram:RecipientTradeParty><ram:GlobalID schemeID="0002">{buyer}</ram:GlobalID><ram:RoleCode>BY</ram:RoleCode></ram:RecipientTradeParty>"#
        );
    }
    let _ = write!(
        x,
        r#"      <ram:SpecifiedDocumentStatus>
        <ram:ReferenceDateTime><udt:DateTimeString format="102">{received}</udt:DateTimeString></ram:ReferenceDateTime>
        <ram:SequenceNumeric>1</ram:SequenceNumeric>
        <ram:SpecifiedDocumentCharacteristic>
          <ram:TypeCode>MEN</ram:TypeCode>
          <ram:ValueAmount>{amount}</ram:ValueAmount>
          <ram:ValuePercent>{vat}</ram:ValuePercent>
        </ram:SpecifiedDocumentCharacteristic>
      </ram:SpecifiedDocumentStatus>
    </ram:ReferenceReferencedDocument>
  </rsm:AcknowledgementDocument>
</rsm:CrossDomainAcknowledgementAndResponse>
"#,
        received = d(m.received),
        amount = m.amount.round_dp(2),
        vat = m.vat_percent.normalize(),
    );
    Ok(x)
}
