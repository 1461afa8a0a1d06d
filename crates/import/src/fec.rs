//! The FEC ("fichier des écritures comptables", art. A47 A-1 LPF) as real exporters write it: tab or pipe,
//! UTF-8 with or without BOM or an 8-bit legacy encoding, any line ending, Debit+Credit or Montant+Sens,
//! 18 to 22 columns read by header name. Keeps the customer-account lines with their dates and lettering.
//!
//! Over 600 lines on purpose: one reader of one format in one pass — the scan that detects encoding, separator and
//! line ending, the line splitter and the streaming parse share the column layout and the pass's state, and read
//! best together. Its unit tests are in fec/tests.rs.

use crate::error::{ImportError, ImportErrors};
use chrono::NaiveDate;
use encaisse_domain::ledger::OPENING_JOURNALS;
use encaisse_domain::{Customer, LedgerLine};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::io::{self, BufRead, Read};
use std::path::Path;

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
    /// Every customer-account line, in file order (empty from [`read_fec_stream`], which hands them over).
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

/// What a first pass over the bytes tells, before any record is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub encoding: Encoding,
    pub line_ending: &'static str,
    /// SHA-256 of the bytes, hex: the same file imported twice changes nothing.
    pub hash: String,
    pub size: u64,
    /// Why the file is not a text file (UTF-16, binary), when it is not: the reader refuses it at once.
    pub not_text: Option<&'static str>,
}

/// Reads the bytes once: fingerprint, encoding (UTF-8 with or without BOM, else an 8-bit legacy encoding:
/// Windows-1252 when bytes 0x80–0x9F occur, ISO 8859-15 otherwise) and line ending.
pub fn scan(reader: impl Read) -> io::Result<Scan> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut text = TextCheck::default();
    each_chunk(reader, |chunk| {
        hasher.update(chunk);
        text.update(chunk);
    })?;
    Ok(text.finish(hex(&hasher.finalize())))
}

/// [`scan`] of a file, on two threads: [`fingerprint_file`] on one, [`scan_file_text`] on the other (SHA-256
/// and the UTF-8 check each take about half of a scan's time; the second read comes from the system's cache).
/// The same result as [`scan`].
pub fn scan_file(path: &Path) -> io::Result<Scan> {
    std::thread::scope(|scope| {
        let fingerprint = scope.spawn(|| fingerprint_file(path));
        let text = scan_file_text(path)?;
        let (hash, _) = fingerprint
            .join()
            .map_err(|_| io::Error::other("the fingerprint's thread failed"))??;
        Ok(Scan { hash, ..text })
    })
}

/// The fingerprint of a file's bytes (SHA-256, hex) and their number.
pub fn fingerprint_file(path: &Path) -> io::Result<(String, u64)> {
    use sha2::{Digest, Sha256};
    let (mut hasher, mut size) = (Sha256::new(), 0u64);
    each_chunk(std::fs::File::open(path)?, |chunk| {
        size += chunk.len() as u64;
        hasher.update(chunk);
    })?;
    Ok((hex(&hasher.finalize()), size))
}

/// [`scan`] of a file but its fingerprint (`hash` left empty): what reading its records needs, for a caller that
/// takes the fingerprint apart ([`fingerprint_file`]).
pub fn scan_file_text(path: &Path) -> io::Result<Scan> {
    let mut text = TextCheck::default();
    each_chunk(std::fs::File::open(path)?, |chunk| text.update(chunk))?;
    Ok(text.finish(String::new()))
}

/// Hands the bytes of `reader` to `f`, 64 KiB at a time.
fn each_chunk(mut reader: impl Read, mut f: impl FnMut(&[u8])) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        f(&buf[..n]);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the bytes tell of the text, fed chunk by chunk.
#[derive(Default)]
struct TextCheck {
    /// Invalid UTF-8 seen.
    not_utf8: bool,
    c1_controls: bool,
    size: u64,
    head: Vec<u8>,
    /// The end of the previous chunk when it stops inside a UTF-8 sequence (at most 3 bytes).
    carry: Vec<u8>,
}

impl TextCheck {
    fn update(&mut self, chunk: &[u8]) {
        self.size += chunk.len() as u64;
        if self.head.len() < 1 << 16 {
            let room = (1 << 16) - self.head.len();
            self.head.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        if !self.c1_controls {
            // Without short-circuit, so that the loop is vectorised.
            self.c1_controls = chunk.iter().fold(false, |found, b| found | (b & 0xE0 == 0x80));
        }
        if self.not_utf8 {
            return;
        }
        let mut rest = chunk;
        // Complete the sequence cut at the end of the previous chunk, one byte at a time.
        while !self.carry.is_empty() && !rest.is_empty() {
            self.carry.push(rest[0]);
            rest = &rest[1..];
            match std::str::from_utf8(&self.carry) {
                Ok(_) => self.carry.clear(),
                Err(e) if e.error_len().is_none() => {}
                Err(_) => {
                    self.not_utf8 = true;
                    return;
                }
            }
        }
        if self.carry.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(_) => {}
                Err(e) if e.error_len().is_none() => self.carry.extend_from_slice(&rest[e.valid_up_to()..]),
                Err(_) => self.not_utf8 = true,
            }
        }
    }

    fn finish(self, hash: String) -> Scan {
        let utf8 = !self.not_utf8 && self.carry.is_empty();
        let head = &self.head;
        let bom = head.starts_with(b"\xEF\xBB\xBF");
        let encoding = match (utf8, bom, self.c1_controls) {
            (true, true, _) => Encoding::Utf8Bom,
            (true, false, _) => Encoding::Utf8,
            (false, _, true) => Encoding::Windows1252,
            (false, _, false) => Encoding::Iso885915,
        };
        let line_ending = match head.iter().position(|&b| b == b'\n') {
            Some(i) if head[..i].ends_with(b"\r\r") => "CR CR LF",
            Some(i) if head[..i].ends_with(b"\r") => "CRLF",
            Some(_) => "LF",
            None if head.contains(&b'\r') => "CR",
            None => "LF",
        };
        Scan {
            encoding,
            line_ending,
            hash,
            size: self.size,
            not_text: crate::checks::not_text(head),
        }
    }
}

/// Records one at a time with their 1-based line numbers, decoded; any run of CRs before LF belongs to the
/// line ending. Only one record is in memory at a time.
struct Lines<R> {
    reader: R,
    encoding: Encoding,
    delimiter: u8,
    /// A line that runs over the end of the reader's buffer, copied here.
    raw: Vec<u8>,
    decoded: String,
    /// The bytes of the line returned last, still in the reader's buffer: consumed when the next is asked for.
    in_buffer: usize,
    line_no: usize,
    consumed: u64,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R, scan: &Scan) -> Self {
        Lines {
            reader,
            encoding: scan.encoding,
            delimiter: if scan.line_ending == "CR" { b'\r' } else { b'\n' },
            raw: Vec::new(),
            decoded: String::new(),
            in_buffer: 0,
            line_no: 0,
            consumed: 0,
        }
    }

    /// The next line, read where the reader's buffer holds it whole (no copy), else copied.
    fn next_line(&mut self) -> io::Result<Option<(usize, &str)>> {
        self.reader.consume(std::mem::take(&mut self.in_buffer));
        let buffer = self.reader.fill_buf()?;
        let whole = memchr::memchr(self.delimiter, buffer);
        let bytes: &[u8] = match whole {
            Some(end) => {
                self.in_buffer = end + 1;
                // The reader's buffer again, borrowed for as long as the line returned (consumed next call).
                &self.reader.fill_buf()?[..end + 1]
            }
            None => {
                self.raw.clear();
                if self.reader.read_until(self.delimiter, &mut self.raw)? == 0 {
                    return Ok(None);
                }
                self.raw.as_slice()
            }
        };
        self.consumed += bytes.len() as u64;
        self.line_no += 1;
        let mut bytes = bytes;
        if self.line_no == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        while let Some(rest) = bytes.strip_suffix(b"\n").or_else(|| bytes.strip_suffix(b"\r")) {
            bytes = rest;
        }
        let text = match self.encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => {
                std::str::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?
            }
            Encoding::Windows1252 | Encoding::Iso885915 => {
                let enc = if self.encoding == Encoding::Windows1252 {
                    encoding_rs::WINDOWS_1252
                } else {
                    encoding_rs::ISO_8859_15
                };
                self.decoded.clear();
                self.decoded.push_str(&enc.decode_without_bom_handling(bytes).0);
                self.decoded.as_str()
            }
        };
        Ok(Some((self.line_no, text)))
    }
}

/// What an FEC's file name says (SIREN + "FEC" + closing date), if it follows the rule.
pub fn parse_file_name(file: &str) -> Option<FileName> {
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
        closing_date: NaiveDate::parse_from_str(date, "%Y%m%d")
            .ok()
            .filter(|d| crate::checks::check_date(*d, date).is_ok())?,
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
    let t = trimmed(s);
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
    let date = parsed.ok_or_else(|| format!("'{t}' is not a date (expected AAAAMMJJ)"))?;
    crate::checks::check_date(date, t).map(Some)
}

/// FEC amounts: decimal comma (or dot), optional sign, zero- or space-padded, no thousands separator,
/// at most two decimals (trailing zeros aside).
pub fn parse_amount(s: &str) -> Result<Decimal, String> {
    let t = trimmed(s);
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
    for b in int
        .bytes()
        .chain(frac.bytes())
        .chain(std::iter::repeat_n(b'0', 2 - frac.len()))
    {
        cents = cents * 10 + i64::from(b - b'0');
    }
    Ok(Decimal::new(if negative { -cents } else { cents }, 2))
}

/// `s.trim()`, without decoding a character when `s` starts and ends with a visible ASCII character: every
/// character `trim` removes is an ASCII space or control, or not ASCII. Each record's 18 fields are trimmed, and
/// `trim` decodes the first and last character of each.
#[inline]
fn trimmed(s: &str) -> &str {
    match s.as_bytes() {
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        [only] if only.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Calls `f` with the position of each `sep` (an ASCII byte) in `bytes`, in order, looking at eight bytes at a
/// time. A record's fields are a few bytes long: `memchr_iter`, one search call per field, spent more in each
/// call's setup than in the search.
#[inline]
fn each_separator(bytes: &[u8], sep: u8, mut f: impl FnMut(usize)) {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let pattern = u64::from_le_bytes([sep; 8]);
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ pattern;
        // The high bit of each byte equal to `sep` (a zero byte of x); exact, no carry crosses a byte.
        let mut found = !(((x & LOW) + LOW) | x) & HIGH;
        while found != 0 {
            f(at + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
        }
        at += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == sep {
            f(at + i);
        }
    }
}

/// The text columns a record's reading keeps, with their limits (see [`crate::checks`]).
fn text_columns(cols: &Columns) -> [(&'static str, usize, usize); 9] {
    use crate::checks::{IDENTIFIER_MAX, NAME_MAX};
    [
        ("JournalCode", cols.journal, IDENTIFIER_MAX),
        ("EcritureNum", cols.entry_num, IDENTIFIER_MAX),
        ("CompteNum", cols.account, IDENTIFIER_MAX),
        ("CompteLib", cols.account_label, NAME_MAX),
        ("CompAuxNum", cols.aux, IDENTIFIER_MAX),
        ("CompAuxLib", cols.aux_label, NAME_MAX),
        ("PieceRef", cols.piece_ref, IDENTIFIER_MAX),
        ("EcritureLib", cols.label, NAME_MAX),
        ("EcritureLet", cols.letter, IDENTIFIER_MAX),
    ]
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

const MAX_FIELDS: usize = 64;

/// Reads a whole FEC held in memory. `file` names it in errors. Every problem is reported; nothing is
/// returned on error.
pub fn read_fec(file: &str, bytes: &[u8], options: &FecOptions) -> Result<FecBook, ImportErrors> {
    let scan = scan(bytes).map_err(|e| io_error(file, &e))?;
    read_fec_from(file, bytes, &scan, options, &mut |_, _| {})
}

/// Reads an FEC file from disk without holding it in memory: a scan, then the records one at a time.
/// `progress(done, total)` is called in bytes every few thousand records.
pub fn read_fec_file(
    path: &Path,
    file: &str,
    options: &FecOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<(FecBook, Scan), ImportErrors> {
    let open = || std::fs::File::open(path).map_err(|e| io_error(file, &e));
    let scan = scan_file(path).map_err(|e| io_error(file, &e))?;
    let book = read_fec_from(
        file,
        io::BufReader::with_capacity(1 << 16, open()?),
        &scan,
        options,
        progress,
    )?;
    Ok((book, scan))
}

fn io_error(file: &str, e: &io::Error) -> ImportErrors {
    ImportErrors(vec![ImportError::new(file, 0, "file", e.to_string())])
}

/// Reads the records of an FEC whose bytes were scanned, with every customer line in `FecBook::lines`.
pub fn read_fec_from(
    file: &str,
    reader: impl BufRead,
    scan: &Scan,
    options: &FecOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<FecBook, ImportErrors> {
    let mut lines = Vec::new();
    let mut numbers = Vec::new();
    let mut book = read_fec_stream(file, reader, scan, options, progress, &mut |batch| {
        lines.extend(batch.lines);
        numbers.extend(batch.line_numbers);
        None
    })?;
    book.lines = lines;
    book.line_numbers = numbers;
    Ok(book)
}

/// Customer lines as they are read, for a caller that writes them while the rest of the file is read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FecBatch {
    /// Customers first seen in this batch, with the name they had there (`FecBook::customers` has the final
    /// ones).
    pub customers: Vec<Customer>,
    pub lines: Vec<LedgerLine>,
    /// 1-based file line of each line.
    pub line_numbers: Vec<usize>,
    /// Earliest and latest EcritureDate of the records read so far.
    pub period: Option<(NaiveDate, NaiveDate)>,
}

/// Customer lines per batch handed to the sink.
const BATCH_LINES: usize = 4096;

/// Reads the records of an FEC whose bytes were scanned, handing the customer lines to `sink` in batches of a
/// few thousand as they are read; the returned book has the customers, the period, the warnings, but no lines.
/// `sink` may give back a batch it was handed and is done with: its vectors and its lines are written over for
/// the next ones (their text buffers reused: no allocation per line, none freed by another thread).
/// As soon as a problem is found no more batches are handed over (the caller's writes are to be rolled back:
/// the result is then `Err` with every problem of the file).
pub fn read_fec_stream(
    file: &str,
    reader: impl BufRead,
    scan: &Scan,
    options: &FecOptions,
    progress: &mut dyn FnMut(u64, u64),
    sink: &mut dyn FnMut(FecBatch) -> Option<FecBatch>,
) -> Result<FecBook, ImportErrors> {
    let encoding = scan.encoding;
    let line_ending = scan.line_ending;
    let fail = |e: ImportError| ImportErrors(vec![e]);
    if let Some(reason) = scan.not_text {
        return Err(fail(crate::checks::not_text_error(file, reason)));
    }
    let mut rows = Lines::new(reader, scan);
    let header = match rows.next_line().map_err(|e| io_error(file, &e))? {
        Some((_, h)) if !h.trim().is_empty() => h.to_string(),
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
    let cols = find_columns(file, &header, separator).map_err(ImportErrors)?;
    let sep = if separator == '\t' { b'\t' } else { b'|' };
    let texts = text_columns(&cols);
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
    let mut customer_index: FxHashMap<String, usize> = FxHashMap::default();
    // "journal\0entry number" → (balance, first line)
    let mut entries: FxHashMap<String, (Decimal, usize)> = FxHashMap::default();
    // About one entry per 300 bytes (2 to 3 records of about 120): grown once instead of doubling from empty.
    entries.reserve(usize::try_from(scan.size / 300).unwrap_or(0).min(1 << 22));
    // Each batch's vectors sized once (grown by doubling, each step was a new block of fresh pages to zero).
    let new_batch = || FecBatch {
        lines: Vec::with_capacity(BATCH_LINES),
        line_numbers: Vec::with_capacity(BATCH_LINES),
        ..FecBatch::default()
    };
    let mut pending = new_batch();
    // Lines of the batches given back, written over before any new line is made.
    let mut spares: Vec<LedgerLine> = Vec::new();
    let mut hand_over =
        |pending: &mut FecBatch, spares: &mut Vec<LedgerLine>| match sink(std::mem::take(pending)) {
            Some(mut back) => {
                if spares.is_empty() {
                    std::mem::swap(spares, &mut back.lines);
                } else {
                    spares.append(&mut back.lines);
                }
                back.lines.reserve(BATCH_LINES);
                back.customers.clear();
                back.line_numbers.clear();
                back.period = None;
                *pending = back;
            }
            None => *pending = new_batch(),
        };
    let mut customer_lines = 0usize;
    let mut entry_key = String::new();
    let mut without_piece_date = 0usize;
    let mut renamed = 0usize;

    loop {
        if book.records.is_multiple_of(20_000) {
            progress(rows.consumed, scan.size);
        }
        let Some((line_no, record)) = rows.next_line().map_err(|e| io_error(file, &e))? else {
            break;
        };
        if trimmed(record).is_empty() {
            continue;
        }
        book.records += 1;
        // Fields in a fixed array: no allocation per record (an FEC has at most 22 columns, +1 trailing).
        let mut slots = [""; MAX_FIELDS];
        let mut count = 0;
        // The separator is one ASCII byte: its positions are where the text splits (str::split on a char compares
        // its UTF-8 bytes at each candidate, a call per field).
        let mut start = 0;
        let mut field = |end: usize| {
            if count < MAX_FIELDS {
                // Trimmed once here: every check and value reads the field trimmed.
                slots[count] = trimmed(&record[start..end]);
            }
            count += 1;
            start = end + 1;
        };
        each_separator(record.as_bytes(), sep, &mut field);
        field(record.len());
        let fields = &slots[..count.min(MAX_FIELDS)];
        let extra_empty = fields.len() > cols.count && fields[cols.count..].iter().all(|f| f.is_empty());
        if count > MAX_FIELDS || (fields.len() != cols.count && !extra_empty) {
            errors.push(ImportError::new(
                file,
                line_no,
                "record",
                format!("expected {} fields, found {count}", cols.count),
            ));
            continue;
        }
        let f = |i: usize| fields[i];
        let before = errors.len();
        // A record with no byte a text check looks at (the separator apart: no field holds it) has no field to
        // refuse but for its length.
        let plain = !crate::checks::suspicious(record.as_bytes(), sep);
        for &(name, i, limit) in &texts {
            if plain && f(i).len() <= limit {
                continue;
            }
            if let Some(e) = crate::checks::text_error(file, line_no, name, f(i), limit) {
                errors.push(e);
            }
        }
        let text_refused = errors.len() > before;
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
        // The other dates of a record are often its entry's date, written the same: read once.
        let mut date_field = |name: &str, i: usize| match (entry_date, f(i) == f(cols.entry_date)) {
            (Some(d), true) => Some(d),
            _ => match parse_date(f(i)) {
                Ok(d) => d,
                Err(e) => {
                    bad(name, e);
                    None
                }
            },
        };
        // 19000101 is what some exporters write for "no date": as if empty (the entry's date stands for a piece
        // date, the lettered lines' dates for a lettering date).
        let no_date = |d: &NaiveDate| *d != crate::checks::FIRST_DATE;
        let piece_date = date_field("PieceDate", cols.piece_date).filter(no_date);
        let letter_date = date_field("DateLet", cols.letter_date).filter(no_date);
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
        if text_refused {
            continue;
        }

        let journal = f(cols.journal);
        entry_key.clear();
        entry_key.push_str(journal);
        entry_key.push('\0');
        entry_key.push_str(fields[cols.entry_num]);
        match entries.get_mut(entry_key.as_str()) {
            Some(entry) => entry.0 += amount,
            None => {
                entries.insert(entry_key.clone(), (amount, line_no));
            }
        }
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
                pending.customers.push(Customer::new(customer_key, name));
            }
        }
        if piece_date.is_none() {
            without_piece_date += 1;
        }
        let letter = f(cols.letter);
        customer_lines += 1;
        let letter = (!letter.is_empty()).then_some(letter);
        let line = match spares.pop() {
            Some(mut line) => {
                let set = |s: &mut String, value: &str| {
                    s.clear();
                    s.push_str(value);
                };
                set(&mut line.customer_key, customer_key);
                set(&mut line.journal, journal);
                set(&mut line.entry_num, f(cols.entry_num));
                set(&mut line.piece_ref, f(cols.piece_ref));
                set(&mut line.label, f(cols.label));
                match (&mut line.letter, letter) {
                    (Some(buffer), Some(letter)) => set(buffer, letter),
                    (kept, letter) => *kept = letter.map(str::to_string),
                }
                line.entry_date = entry_date;
                line.piece_date = piece_date;
                line.amount = amount;
                line.letter_date = letter_date;
                line.due_date = None;
                line
            }
            None => LedgerLine {
                customer_key: customer_key.to_string(),
                journal: journal.to_string(),
                entry_num: f(cols.entry_num).to_string(),
                entry_date,
                piece_ref: f(cols.piece_ref).to_string(),
                piece_date,
                label: f(cols.label).to_string(),
                amount,
                letter: letter.map(str::to_string),
                letter_date,
                due_date: None,
            },
        };
        pending.lines.push(line);
        pending.line_numbers.push(line_no);
        if pending.lines.len() >= BATCH_LINES {
            if errors.is_empty() {
                pending.period = book.period;
                hand_over(&mut pending, &mut spares);
            } else {
                pending = new_batch();
            }
        }
    }

    let mut unbalanced: Vec<_> = entries
        .into_iter()
        .filter(|(_, (sum, _))| !sum.is_zero())
        .collect();
    unbalanced.sort_by_key(|(_, (_, line))| *line);
    for (key, (sum, line)) in unbalanced {
        let (journal, num) = key.split_once('\0').unwrap_or((key.as_str(), ""));
        errors.push(ImportError::new(
            file,
            line,
            "EcritureNum",
            format!("entry {journal} {num} does not balance: debits − credits = {sum}"),
        ));
    }
    if book.records == 0 {
        errors.push(
            ImportError::new(
                file,
                rows.line_no.max(1),
                "file",
                "the file has a header but no line: nothing to import",
            )
            .with_code(crate::error::ProblemCode::EmptyFile),
        );
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ImportErrors(errors));
    }
    if !pending.lines.is_empty() || !pending.customers.is_empty() {
        pending.period = book.period;
        hand_over(&mut pending, &mut spares);
    }
    for c in &mut book.customers {
        if c.name.is_empty() {
            c.name = c.key.clone();
        }
    }
    if without_piece_date > 0 {
        book.warnings.push(Warning {
            message:
                "customer lines without PieceDate (or with 19000101 for none): their invoice date is EcritureDate"
                    .into(),
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
    if customer_lines == 0 {
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
mod tests;
