//! What a file is, from its content (a dropped file's name says little: banks name their exports anything): a
//! bank statement (camt, CFONB 120, OFX), a bank CSV export (its usual headers found), lifecycle statuses (CDAR),
//! an FEC, an e-invoice (Factur-X, CII, UBL) or a table (customers or open invoices). Nothing is written; the
//! screen then runs the right import.

use super::fec::file_label;
use super::FieldHeader;
use crate::{App, AppError, AppResult};
use encaisse_bank::CsvMapping;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FileKind {
    /// camt.053, camt.054, CFONB 120 or OFX.
    BankStatement,
    /// A CSV or spreadsheet whose headers look like a bank's export (date, label, amount or debit/credit).
    BankCsv,
    /// E-invoicing lifecycle statuses (CDAR D22B).
    Statuses,
    Fec,
    /// Factur-X PDF, CII or UBL XML.
    Einvoice,
    /// Another table: customers or open invoices (the user says which).
    Table,
    Unknown,
}

/// A file as recognised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DetectedFile {
    pub path: String,
    /// The file's name.
    pub file: String,
    pub kind: FileKind,
    /// A statement's format (camt053.001.02, camt053.001.08, camt054, cfonb120, ofx); null otherwise.
    pub format: Option<String>,
    /// A table's headers (a bank CSV, a customers or invoices table), as written in the file.
    pub headers: Vec<String>,
    /// A bank CSV's columns as guessed from the usual headers (date, amount, label…).
    pub mapping: Vec<FieldHeader>,
}

/// The first bytes of a text file as text (enough to see a root element or a header line).
fn head(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned()
}

/// An FEC's header line names its first columns (JournalCode, …, EcritureNum).
fn is_fec_header(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("").to_lowercase();
    first.contains("journalcode") && first.contains("ecriturenum")
}

/// The guessed bank CSV mapping as the import options take it.
fn mapping_fields(m: &CsvMapping) -> Vec<FieldHeader> {
    let mut out = Vec::new();
    let mut add = |field: &str, header: Option<&String>| {
        if let Some(h) = header.filter(|h| !h.is_empty()) {
            out.push(FieldHeader {
                field: field.into(),
                header: h.clone(),
            });
        }
    };
    add("date", Some(&m.date));
    add("value_date", m.value_date.as_ref());
    add("amount", m.amount.as_ref());
    add("debit", m.debit.as_ref());
    add("credit", m.credit.as_ref());
    add("label", Some(&m.label));
    add("reference", m.reference.as_ref());
    add("counterparty", m.counterparty.as_ref());
    add("counterparty_iban", m.counterparty_iban.as_ref());
    add("bank_reference", m.bank_reference.as_ref());
    out
}

/// What `bytes` (the file `label`) hold.
pub fn detect_bytes(path: &str, label: &str, bytes: &[u8]) -> DetectedFile {
    let mut out = DetectedFile {
        path: path.to_string(),
        file: label.to_string(),
        kind: FileKind::Unknown,
        format: None,
        headers: Vec::new(),
        mapping: Vec::new(),
    };
    let text = head(bytes);
    let start = text.trim_start();
    if start.starts_with('<') && text.contains("CrossDomainAcknowledgementAndResponse") {
        out.kind = FileKind::Statuses;
    } else if let Some(format) = encaisse_bank::detect(bytes) {
        out.kind = FileKind::BankStatement;
        out.format = Some(format.as_str().to_string());
    } else if bytes.starts_with(b"%PDF")
        || (start.starts_with('<')
            && (text.contains("CrossIndustryInvoice")
                || text.contains("urn:oasis:names:specification:ubl:schema:xsd:Invoice")
                || text.contains("urn:oasis:names:specification:ubl:schema:xsd:CreditNote")))
    {
        out.kind = FileKind::Einvoice;
    } else if is_fec_header(&text) {
        out.kind = FileKind::Fec;
    } else if let Ok(table) = encaisse_import::tabular::read_table(label, bytes, None) {
        match CsvMapping::guess("", &table.headers) {
            Some(m) => {
                out.kind = FileKind::BankCsv;
                out.mapping = mapping_fields(&m);
            }
            None => out.kind = FileKind::Table,
        }
        out.headers = table.headers;
    }
    out
}

impl App {
    /// What each file is, from its content (nothing written).
    pub fn detect_files(&self, paths: &[impl AsRef<Path>]) -> AppResult<Vec<DetectedFile>> {
        paths
            .iter()
            .map(|p| {
                let p = p.as_ref();
                let bytes = std::fs::read(p).map_err(|e| AppError::Io(format!("{}: {e}", p.display())))?;
                Ok(detect_bytes(&p.display().to_string(), &file_label(p), &bytes))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(bytes: &str) -> FileKind {
        detect_bytes("x", "x", bytes.as_bytes()).kind
    }

    #[test]
    fn each_kind_is_recognised_by_its_content() {
        assert_eq!(
            kind("<?xml version=\"1.0\"?>\n<rsm:CrossDomainAcknowledgementAndResponse xmlns:rsm=\"x\"/>"),
            FileKind::Statuses
        );
        let camt = detect_bytes(
            "x",
            "x",
            b"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>",
        );
        assert_eq!(camt.kind, FileKind::BankStatement);
        assert_eq!(camt.format.as_deref(), Some("camt053.001.02"));
        assert_eq!(kind("%PDF-1.7\n..."), FileKind::Einvoice);
        assert_eq!(
            kind("<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece\"/>"),
            FileKind::Einvoice
        );
        assert_eq!(
            kind("JournalCode|JournalLib|EcritureNum|EcritureDate\nVE|Ventes|1|20260101\n"),
            FileKind::Fec
        );
        assert_eq!(
            kind("Nom;SIREN;Email\nDupont;123456789;a@b.fr\n"),
            FileKind::Table
        );
        assert_eq!(kind("\u{1}\u{2}\u{3}binary"), FileKind::Unknown);
    }

    #[test]
    fn a_bank_csv_gives_its_headers_and_the_guessed_columns() {
        let f = detect_bytes(
            "x",
            "x",
            "Date opération;Libellé;Montant;Référence\n01/12/2026;VIR ACME;120,00;F1\n".as_bytes(),
        );
        assert_eq!(f.kind, FileKind::BankCsv);
        assert_eq!(f.headers, ["Date opération", "Libellé", "Montant", "Référence"]);
        let fields: Vec<(&str, &str)> = f
            .mapping
            .iter()
            .map(|m| (m.field.as_str(), m.header.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("date", "Date opération"),
                ("amount", "Montant"),
                ("label", "Libellé"),
                ("reference", "Référence")
            ]
        );
    }

    #[test]
    fn a_bank_csv_with_unusual_headers_is_a_table_with_its_headers() {
        let f = detect_bytes("x", "x", b"Jour;Texte;Valeur\n01/12/2026;VIR ACME;120,00\n");
        assert_eq!(f.kind, FileKind::Table);
        assert_eq!(f.headers, ["Jour", "Texte", "Valeur"]);
        assert!(f.mapping.is_empty());
    }
}
