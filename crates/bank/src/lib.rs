//! Bank statements in, and their matching to open invoices: pure, no IO.
//!
//! [`read_statements`] recognises a file by its content ([`detect`]) and reads ISO 20022 camt.053 (.001.02 and
//! .001.08) and camt.054 notifications, CFONB 120 ("relevé 120 caractères"), OFX 1.x (SGML) and 2.x (XML), and
//! bank CSV exports through a [`CsvMapping`]. A file is read whole or refused with every problem found, each
//! naming the file, the line and the field ([`encaisse_import::ImportErrors`]). Each entry gets a stable identity
//! ([`Entry::id`]) so that a statement imported twice, or two overlapping statements, de-duplicate.
//!
//! [`matching::match_entries`] proposes, for each credit entry, the open invoices it pays, with a score and the
//! reasons as data; [`rf`] makes and checks ISO 11649 creditor references.

// The generator of `testing` names the crate as its users do.
extern crate self as encaisse_bank;

mod camt;
mod cfonb;
mod csv_bank;
pub mod matching;
mod ofx;
pub mod rf;
#[cfg(feature = "testing")]
pub mod testing;
mod text;

pub use csv_bank::CsvMapping;
pub use encaisse_import::{ImportError, ImportErrors};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The formats read, with the names the CLI's JSON prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Format {
    #[serde(rename = "camt053.001.02")]
    Camt053V02,
    #[serde(rename = "camt053.001.08")]
    Camt053V08,
    /// A camt.054 debit/credit notification (any version): entries without balances.
    #[serde(rename = "camt054")]
    Camt054,
    #[serde(rename = "cfonb120")]
    Cfonb120,
    #[serde(rename = "ofx")]
    Ofx,
    #[serde(rename = "csv")]
    Csv,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Camt053V02 => "camt053.001.02",
            Format::Camt053V08 => "camt053.001.08",
            Format::Camt054 => "camt054",
            Format::Cfonb120 => "cfonb120",
            Format::Ofx => "ofx",
            Format::Csv => "csv",
        }
    }
}

/// One statement of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub format: Format,
    /// The account: its IBAN when the file gives one (compact, upper case), else the bank's account id
    /// (CFONB: bank code, branch code and account number; OFX: BANKID/BRANCHID/ACCTID as given).
    pub account: String,
    /// The statement's own id when the file has one (camt `Stmt/Id`, OFX none, CFONB none).
    pub statement_id: Option<String>,
    pub currency: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Opening and closing balances when the format carries them (OFX gives only the closing one, a CSV export
    /// none).
    pub opening: Option<Decimal>,
    pub closing: Option<Decimal>,
    pub entries: Vec<Entry>,
    /// The line where the statement starts in the file.
    pub line: usize,
}

impl Statement {
    /// How a person names this statement: account, dates, and its id when there is one.
    pub fn name(&self) -> String {
        match &self.statement_id {
            Some(id) => format!("{} {} → {} ({id})", self.account, self.from, self.to),
            None => format!("{} {} → {}", self.account, self.from, self.to),
        }
    }
}

/// One booked movement. `amount` is signed: positive = credit (money in), negative = debit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The identity: `ref:` and the bank's reference when the file has one (camt AcctSvcrRef, else NtryRef; OFX
    /// FITID), else `key:` account, booking date, amount, label and the rank among identical entries of the same
    /// statement (1, 2…). Two overlapping statements give the same id to the same entry.
    pub id: String,
    pub line: usize,
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    pub amount: Decimal,
    /// The bank's one-line label (camt AddtlNtryInf, CFONB 04 label, OFX NAME, CSV label).
    pub label: String,
    pub counterparty_name: Option<String>,
    /// The counterparty's IBAN, compact and upper case.
    pub counterparty_iban: Option<String>,
    /// Free remittance text: camt `Ustrd`, CFONB 05 LIB/LCC/LC2 records, OFX MEMO, CSV extra columns.
    pub remittance: Vec<String>,
    /// Structured references: camt `RfrdDocInf/Nb` and `CdtrRefInf/Ref`, CFONB 05 REF/RCN, OFX CHECKNUM/REFNUM,
    /// a CSV reference column.
    pub references: Vec<String>,
    /// The bank's reference of the entry, when there is one.
    pub bank_reference: Option<String>,
    /// The payer's end-to-end id (camt EndToEndId), when given and not "NOTPROVIDED".
    pub end_to_end_id: Option<String>,
}

impl Entry {
    /// All the texts where an invoice number or a creditor reference may be written, label first.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.label.as_str())
            .chain(self.remittance.iter().map(String::as_str))
            .chain(self.references.iter().map(String::as_str))
            .chain(self.end_to_end_id.as_deref())
    }
}

/// Something to tell the user about a file that was read whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// `unbalanced_statement`.
    pub code: &'static str,
    /// The statement concerned ([`Statement::name`]).
    pub statement: String,
    pub line: usize,
    pub message: String,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementFile {
    pub format: Format,
    pub statements: Vec<Statement>,
    pub warnings: Vec<Warning>,
}

/// The format of a file from its content, when it is one of those read ([`Format::Csv`] is never guessed: a CSV
/// file needs a mapping, and [`read_statements`] takes it as the fallback).
pub fn detect(bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.contains("camt.053.001.08") {
        return Some(Format::Camt053V08);
    }
    if t.contains("camt.053.001.") || t.contains("<BkToCstmrStmt") {
        return Some(Format::Camt053V02);
    }
    if t.contains("camt.054.001.") || t.contains("<BkToCstmrDbtCdtNtfctn") {
        return Some(Format::Camt054);
    }
    if t.starts_with("OFXHEADER") || t.contains("<OFX>") || t.contains("<?OFX") {
        return Some(Format::Ofx);
    }
    if cfonb::looks_like(t) {
        return Some(Format::Cfonb120);
    }
    None
}

/// Reads a statement file (`file` names it in errors). A CSV file is read with `csv` (the mapping its columns
/// follow), or refused when none is given. Everything or nothing: any problem refuses the file.
pub fn read_statements(
    file: &str,
    bytes: &[u8],
    csv: Option<&CsvMapping>,
) -> Result<StatementFile, ImportErrors> {
    let format = match detect(bytes) {
        Some(f) => f,
        None => match csv {
            Some(_) => Format::Csv,
            None => {
                return Err(ImportErrors(vec![ImportError::new(
                    file,
                    0,
                    "file",
                    "not a bank statement this version reads (camt.053, camt.054, CFONB 120, OFX) and no CSV column mapping was given",
                )]))
            }
        },
    };
    let mut statements = match format {
        Format::Camt053V02 | Format::Camt053V08 | Format::Camt054 => camt::read(file, bytes, format)?,
        Format::Cfonb120 => cfonb::read(file, bytes)?,
        Format::Ofx => ofx::read(file, bytes)?,
        Format::Csv => csv_bank::read(file, bytes, csv.expect("checked above"))?,
    };
    for s in &mut statements {
        assign_ids(s);
    }
    let warnings = statements.iter().filter_map(balance_warning).collect();
    Ok(StatementFile {
        format,
        statements,
        warnings,
    })
}

/// The warning of a statement whose opening balance plus its entries is not its closing balance.
pub fn balance_warning(s: &Statement) -> Option<Warning> {
    let (opening, closing) = (s.opening?, s.closing?);
    let sum: Decimal = s.entries.iter().map(|e| e.amount).sum();
    if opening + sum == closing {
        return None;
    }
    Some(Warning {
        code: "unbalanced_statement",
        statement: s.name(),
        line: s.line,
        message: format!(
            "statement {}: opening balance {opening} + entries {sum} = {}, but the closing balance is {closing}",
            s.name(),
            opening + sum
        ),
    })
}

/// Gives each entry of a statement its identity (see [`Entry::id`]).
pub fn assign_ids(s: &mut Statement) {
    let mut seen: rustc_hash::FxHashMap<String, u32> = Default::default();
    for e in &mut s.entries {
        e.id = match e.bank_reference.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => format!("ref:{}:{}", s.account, r.trim()),
            None => {
                let key = format!(
                    "key:{}:{}:{}:{}",
                    s.account,
                    e.booking_date,
                    e.amount.normalize(),
                    text::collapse_spaces(&e.label)
                );
                let rank = seen.entry(key.clone()).or_insert(0);
                *rank += 1;
                format!("{key}:{rank}")
            }
        };
    }
}

/// Text from bytes: UTF-8 (with or without BOM), else Windows-1252 (what French banks' exports often are).
pub(crate) fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(b) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(b).0,
    }
}

pub(crate) fn err(file: &str, line: usize, field: &str, reason: impl Into<String>) -> ImportError {
    ImportError::new(file, line, field, reason)
}

/// An empty entry to fill (id assigned later).
pub(crate) fn entry(line: usize, booking_date: NaiveDate, amount: Decimal) -> Entry {
    Entry {
        id: String::new(),
        line,
        booking_date,
        value_date: None,
        amount,
        label: String::new(),
        counterparty_name: None,
        counterparty_iban: None,
        remittance: Vec::new(),
        references: Vec::new(),
        bank_reference: None,
        end_to_end_id: None,
    }
}
