//! The FEC ("fichier des écritures comptables", art. A47 A-1 LPF) as real exporters write it: tab or pipe,
//! UTF-8 with or without BOM or an 8-bit legacy encoding, any line ending, Debit+Credit or Montant+Sens,
//! 18 to 22 columns read by header name. Keeps the customer-account lines with their dates and lettering.

use crate::error::{ImportError, ImportErrors};
use chrono::NaiveDate;
use encaisse_domain::{Customer, LedgerLine};
use rust_decimal::Decimal;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FecOptions {
    /// Accounts whose number starts with one of these are customer accounts.
    pub customer_prefixes: Vec<String>,
}

impl Default for FecOptions {
    fn default() -> Self {
        FecOptions {
            customer_prefixes: vec!["411".into()],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    /// ISO 8859-15, the encoding the law names.
    Iso885915,
    /// Windows-1252: 8-bit with bytes in 0x80–0x9F (€ at 0x80, typographic quotes…).
    Windows1252,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountColumns {
    DebitCredit,
    MontantSens,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detected {
    pub encoding: Encoding,
    pub separator: char,
    /// Columns named in the header (a trailing separator is not a column).
    pub columns: usize,
    pub amounts: AmountColumns,
    /// "LF", "CRLF", "CR CR LF" or "CR".
    pub line_ending: &'static str,
}

/// A non-blocking remark with how many lines it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub message: String,
    pub count: usize,
}

/// What the file name says: SIREN + "FEC" + closing date (e.g. 123456789FEC20251231.txt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileName {
    pub siren: String,
    pub closing_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FecBook {
    pub detected: Detected,
    pub file_name: Option<FileName>,
    /// Records after the header.
    pub records: usize,
    /// Earliest and latest EcritureDate of the whole file.
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// Customers in order of first appearance (key and name only: the FEC carries nothing else).
    pub customers: Vec<Customer>,
    /// Every customer-account line, in file order.
    pub lines: Vec<LedgerLine>,
    /// 1-based file line of each customer line (same order as `lines`).
    pub line_numbers: Vec<usize>,
    /// Turnover excl. VAT: credits − debits of the 70* accounts, opening journals left out.
    pub turnover: Decimal,
    pub warnings: Vec<Warning>,
}

const REQUIRED: [&str; 14] = [
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "EcritureLet",
    "DateLet",
    "ValidDate",
];

/// Column positions, found by header name whatever the case.
struct Columns {
    journal: usize,
    entry_num: usize,
    entry_date: usize,
    account: usize,
    account_label: usize,
    aux: usize,
    aux_label: usize,
    piece_ref: usize,
    piece_date: usize,
    label: usize,
    letter: usize,
    letter_date: usize,
    valid_date: usize,
    amounts: AmountIdx,
    count: usize,
}

enum AmountIdx {
    DebitCredit(usize, usize),
    MontantSens(usize, usize),
}

fn detect_encoding(bytes: &[u8]) -> (Encoding, Cow<'_, str>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(s) = std::str::from_utf8(rest) {
            return (Encoding::Utf8Bom, Cow::Borrowed(s));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Encoding::Utf8, Cow::Borrowed(s));
    }
    if bytes.iter().any(|b| (0x80..=0x9F).contains(b)) {
        let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
        (Encoding::Windows1252, s)
    } else {
        let (s, _) = encoding_rs::ISO_8859_15.decode_without_bom_handling(bytes);
        (Encoding::Iso885915, s)
    }
}

fn detect_line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if text[..i].ends_with("\r\r") => "CR CR LF",
        Some(i) if text[..i].ends_with('\r') => "CRLF",
        Some(_) => "LF",
        None if text.contains('\r') => "CR",
        None => "LF",
    }
}

/// Records with their 1-based line numbers; any run of CRs before LF belongs to the line ending.
fn records(text: &str) -> Box<dyn Iterator<Item = (usize, &str)> + '_> {
    if !text.contains('\n') && text.contains('\r') {
        Box::new(text.split('\r').enumerate().map(|(i, l)| (i + 1, l)))
    } else {
        Box::new(
            text.split('\n')
                .enumerate()
                .map(|(i, l)| (i + 1, l.trim_end_matches('\r'))),
        )
    }
}

fn parse_file_name(file: &str) -> Option<FileName> {
    let base = file.rsplit(['/', '\\']).next()?;
    let stem = base.split('.').next()?;
    let upper = stem.to_ascii_uppercase();
    let pos = upper.find("FEC")?;
    let siren = &stem[..pos];
    let date = stem.get(pos + 3..pos + 11)?;
    let siren = siren.trim_start_matches('0');
    let siren = format!("{siren:0>9}");
    (siren.len() == 9 && siren.bytes().all(|b| b.is_ascii_digit())).then_some(())?;
    Some(FileName {
        siren,
        closing_date: NaiveDate::parse_from_str(date, "%Y%m%d").ok()?,
    })
}

fn find_columns(file: &str, header: &str, sep: char) -> Result<Columns, Vec<ImportError>> {
    let mut names: Vec<String> = header.split(sep).map(|h| h.trim().to_ascii_lowercase()).collect();
    while names.last().is_some_and(|n| n.is_empty()) {
        names.pop();
    }
    let mut errors = Vec::new();
    let index = |name: &str, errors: &mut Vec<ImportError>| -> usize {
        match names.iter().position(|n| n == &name.to_ascii_lowercase()) {
            Some(i) => i,
            None => {
                errors.push(ImportError::new(
                    file,
                    1,
                    name,
                    "required column is missing from the header",
                ));
                usize::MAX
            }
        }
    };
    let has = |n: &str| names.iter().any(|h| h == &n.to_ascii_lowercase());
    let idx: Vec<usize> = REQUIRED.iter().map(|n| index(n, &mut errors)).collect();
    let amounts = if has("Debit") || has("Credit") || !(has("Montant") || has("Sens")) {
        AmountIdx::DebitCredit(index("Debit", &mut errors), index("Credit", &mut errors))
    } else {
        AmountIdx::MontantSens(index("Montant", &mut errors), index("Sens", &mut errors))
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Columns {
        journal: idx[0],
        entry_num: idx[2],
        entry_date: idx[3],
        account: idx[4],
        account_label: idx[5],
        aux: idx[6],
        aux_label: idx[7],
        piece_ref: idx[8],
        piece_date: idx[9],
        label: idx[10],
        letter: idx[11],
        letter_date: idx[12],
        valid_date: idx[13],
        amounts,
        count: names.len(),
    })
}

fn parse_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let b = t.as_bytes();
    let parsed = if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        let n = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
        NaiveDate::from_ymd_opt(n(0..4) as i32, n(4..6), n(6..8))
    } else {
        NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
    };
    parsed.map(Some).ok_or_else(|| format!("'{t}' is not a date (expected AAAAMMJJ)"))
}

/// FEC amounts: decimal comma (or dot), optional sign, zero- or space-padded, no thousands separator,
/// at most two decimals (trailing zeros aside).
pub fn parse_amount(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let bad = || format!("'{t}' is not an amount");
    let (negative, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (int, frac) = match body.find([',', '.']) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, ""),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 2 {
        return Err(format!("'{t}' has more than two decimals"));
    }
    let int = int.trim_start_matches('0');
    if int.len() > 15 {
        return Err(format!("'{t}' is too large"));
    }
    let mut cents: i64 = 0;
    for b in int.bytes().chain(frac.bytes()).chain(std::iter::repeat_n(b'0', 2 - frac.len())) {
        cents = cents * 10 + i64::from(b - b'0');
    }
    Ok(Decimal::new(if negative { -cents } else { cents }, 2))
}

fn sens_sign(s: &str) -> Result<Decimal, String> {
    match s.trim().to_ascii_uppercase().as_str() {
        "D" | "+1" | "1" | "+" => Ok(Decimal::ONE),
        "C" | "-1" | "-" => Ok(Decimal::NEGATIVE_ONE),
        other => Err(format!(
            "'{other}' is not a direction (expected D or C, +1 or -1)"
        )),
    }
}

const OPENING_JOURNALS: [&str; 3] = ["AN", "RAN", "ANO"];

/// Reads a whole FEC. `file` names it in errors. Every problem is reported; nothing is returned on error.
pub fn read_fec(file: &str, bytes: &[u8], options: &FecOptions) -> Result<FecBook, ImportErrors> {
    read_fec_with_progress(file, bytes, options, &mut |_, _| {})
}

/// As `read_fec`, calling `progress(done, total)` in decoded bytes every few thousand records.
pub fn read_fec_with_progress(
    file: &str,
    bytes: &[u8],
    options: &FecOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<FecBook, ImportErrors> {
    let (encoding, text) = detect_encoding(bytes);
    let line_ending = detect_line_ending(&text);
    let mut rows = records(&text);
    let fail = |e: ImportError| ImportErrors(vec![e]);
    let header = match rows.next() {
        Some((_, h)) if !h.trim().is_empty() => h,
        _ => return Err(fail(ImportError::new(file, 1, "header", "the file is empty"))),
    };
    let separator = if header.contains('\t') {
        '\t'
    } else if header.contains('|') {
        '|'
    } else {
        return Err(fail(ImportError::new(
            file,
            1,
            "header",
            "unknown separator: the FEC separates fields with a tab or '|'",
        )));
    };
    let cols = find_columns(file, header, separator).map_err(ImportErrors)?;
    let amounts_kind = match cols.amounts {
        AmountIdx::DebitCredit(..) => AmountColumns::DebitCredit,
        AmountIdx::MontantSens(..) => AmountColumns::MontantSens,
    };

    let mut errors = Vec::new();
    let mut book = FecBook {
        detected: Detected {
            encoding,
            separator,
            columns: cols.count,
            amounts: amounts_kind,
            line_ending,
        },
        file_name: parse_file_name(file),
        records: 0,
        period: None,
        customers: Vec::new(),
        lines: Vec::new(),
        line_numbers: Vec::new(),
        turnover: Decimal::ZERO,
        warnings: Vec::new(),
    };
    let mut customer_index: HashMap<String, usize> = HashMap::new();
    // (journal, entry number) → (balance, first line)
    let mut entries: HashMap<(&str, &str), (Decimal, usize)> = HashMap::new();
    let mut without_piece_date = 0usize;
    let mut renamed = 0usize;
    let mut fields: Vec<&str> = Vec::with_capacity(cols.count + 1);

    let start = text.as_ptr() as usize;
    for (line_no, record) in rows {
        if record.trim().is_empty() {
            continue;
        }
        book.records += 1;
        if book.records.is_multiple_of(20_000) {
            progress(record.as_ptr() as usize - start, text.len());
        }
        fields.clear();
        fields.extend(record.split(separator));
        let extra_empty =
            fields.len() > cols.count && fields[cols.count..].iter().all(|f| f.trim().is_empty());
        if fields.len() != cols.count && !extra_empty {
            errors.push(ImportError::new(
                file,
                line_no,
                "record",
                format!("expected {} fields, found {}", cols.count, fields.len()),
            ));
            continue;
        }
        let f = |i: usize| fields[i].trim();
        let mut bad =
            |field: &str, reason: String| errors.push(ImportError::new(file, line_no, field, reason));

        let entry_date = match parse_date(f(cols.entry_date)) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                bad("EcritureDate", "is empty".into());
                None
            }
            Err(e) => {
                bad("EcritureDate", e);
                None
            }
        };
        let mut date_field = |name: &str, i: usize| match parse_date(f(i)) {
            Ok(d) => d,
            Err(e) => {
                bad(name, e);
                None
            }
        };
        let piece_date = date_field("PieceDate", cols.piece_date);
        let letter_date = date_field("DateLet", cols.letter_date);
        let _ = date_field("ValidDate", cols.valid_date);
        let amount = match cols.amounts {
            AmountIdx::DebitCredit(d, c) => match (parse_amount(f(d)), parse_amount(f(c))) {
                (Ok(d), Ok(c)) => Some(d - c),
                (d, c) => {
                    if let Err(e) = d {
                        bad("Debit", e);
                    }
                    if let Err(e) = c {
                        bad("Credit", e);
                    }
                    None
                }
            },
            AmountIdx::MontantSens(m, s) => match (parse_amount(f(m)), sens_sign(f(s))) {
                (Ok(m), Ok(s)) => Some(m * s),
                (m, s) => {
                    if let Err(e) = m {
                        bad("Montant", e);
                    }
                    if let Err(e) = s {
                        bad("Sens", e);
                    }
                    None
                }
            },
        };
        let account = f(cols.account);
        if account.is_empty() {
            bad("CompteNum", "is empty".into());
        }
        let (Some(entry_date), Some(amount)) = (entry_date, amount) else {
            continue;
        };

        let journal = f(cols.journal);
        let key = (journal, fields[cols.entry_num].trim());
        entries.entry(key).or_insert((Decimal::ZERO, line_no)).0 += amount;
        book.period = Some(match book.period {
            None => (entry_date, entry_date),
            Some((a, b)) => (a.min(entry_date), b.max(entry_date)),
        });
        let opening = OPENING_JOURNALS.iter().any(|j| j.eq_ignore_ascii_case(journal));
        if account.starts_with("70") && !opening {
            book.turnover -= amount;
        }
        if !options
            .customer_prefixes
            .iter()
            .any(|p| account.starts_with(p.as_str()))
        {
            continue;
        }
        let aux = f(cols.aux);
        let (customer_key, name) = if aux.is_empty() {
            (account, f(cols.account_label))
        } else {
            (aux, f(cols.aux_label))
        };
        match customer_index.get(customer_key) {
            Some(&i) => {
                if book.customers[i].name.is_empty() && !name.is_empty() {
                    book.customers[i].name = name.to_string();
                } else if !name.is_empty() && book.customers[i].name != name {
                    renamed += 1;
                }
            }
            None => {
                customer_index.insert(customer_key.to_string(), book.customers.len());
                book.customers.push(Customer::new(customer_key, name));
            }
        }
        if piece_date.is_none() {
            without_piece_date += 1;
        }
        let letter = f(cols.letter);
        book.lines.push(LedgerLine {
            customer_key: customer_key.to_string(),
            journal: journal.to_string(),
            entry_num: f(cols.entry_num).to_string(),
            entry_date,
            piece_ref: f(cols.piece_ref).to_string(),
            piece_date,
            label: f(cols.label).to_string(),
            amount,
            letter: (!letter.is_empty()).then(|| letter.to_string()),
            letter_date,
            due_date: None,
        });
        book.line_numbers.push(line_no);
    }

    let mut unbalanced: Vec<_> = entries
        .into_iter()
        .filter(|(_, (sum, _))| !sum.is_zero())
        .collect();
    unbalanced.sort_by_key(|(_, (_, line))| *line);
    for ((journal, num), (sum, line)) in unbalanced {
        errors.push(ImportError::new(
            file,
            line,
            "EcritureNum",
            format!("entry {journal} {num} does not balance: debits − credits = {sum}"),
        ));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ImportErrors(errors));
    }
    for c in &mut book.customers {
        if c.name.is_empty() {
            c.name = c.key.clone();
        }
    }
    if without_piece_date > 0 {
        book.warnings.push(Warning {
            message: "customer lines without PieceDate: their invoice date is EcritureDate".into(),
            count: without_piece_date,
        });
    }
    if renamed > 0 {
        book.warnings.push(Warning {
            message:
                "customer lines whose name differs from the customer's first name in the file (first kept)"
                    .into(),
            count: renamed,
        });
    }
    if book.lines.is_empty() {
        book.warnings.push(Warning {
            message: format!(
                "no customer lines (accounts starting with {})",
                options.customer_prefixes.join(", ")
            ),
            count: 0,
        });
    }
    Ok(book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_as_exporters_write_them() {
        assert_eq!(parse_amount("0000000074,70"), Ok(dec!(74.70)));
        assert_eq!(parse_amount("  1234,5 "), Ok(dec!(1234.5)));
        assert_eq!(parse_amount("-12.30"), Ok(dec!(-12.30)));
        assert_eq!(parse_amount(""), Ok(dec!(0)));
        assert_eq!(parse_amount("1,000"), Ok(dec!(1)));
        assert!(parse_amount("1 234,56").is_err());
        assert!(parse_amount("12,34,5").is_err());
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("1,234").is_err());
        assert!(parse_amount("--1").is_err());
    }

    #[test]
    fn dates_and_directions() {
        assert_eq!(parse_date("20260131"), Ok(NaiveDate::from_ymd_opt(2026, 1, 31)));
        assert_eq!(parse_date(" "), Ok(None));
        assert!(parse_date("20260231").is_err());
        assert!(parse_date("31/01/2026").is_err());
        assert_eq!(sens_sign("d"), Ok(Decimal::ONE));
        assert_eq!(sens_sign("-1"), Ok(Decimal::NEGATIVE_ONE));
        assert!(sens_sign("X").is_err());
    }

    #[test]
    fn file_names() {
        let n = parse_file_name("/x/123456789FEC20251231.txt").unwrap();
        assert_eq!(n.siren, "123456789");
        assert_eq!(n.closing_date, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        assert!(parse_file_name("ledger.txt").is_none());
    }

    #[test]
    fn line_endings() {
        assert_eq!(detect_line_ending("a\r\r\nb"), "CR CR LF");
        assert_eq!(detect_line_ending("a\r\nb"), "CRLF");
        assert_eq!(detect_line_ending("a\nb"), "LF");
        assert_eq!(detect_line_ending("a\rb"), "CR");
        let r: Vec<_> = records("h\r\r\nx\r\r\n").collect();
        assert_eq!(r, vec![(1, "h"), (2, "x"), (3, "")]);
    }

    #[test]
    fn legacy_encodings() {
        let (e, s) = detect_encoding(b"Soci\xe9t\xe9 \xa4");
        assert_eq!(e, Encoding::Iso885915);
        assert_eq!(s, "Société €");
        let (e, s) = detect_encoding(b"\x80 caf\xe9");
        assert_eq!(e, Encoding::Windows1252);
        assert_eq!(s, "€ café");
        let (e, _) = detect_encoding(b"\xEF\xBB\xBFabc");
        assert_eq!(e, Encoding::Utf8Bom);
    }
}
