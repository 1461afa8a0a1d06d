//! Customers and open invoices from a CSV or spreadsheet export, read through a column mapping.
//!
//! [`read_table`] turns a file into a header and rows, each row with the number a person sees: the 1-based line
//! of the file for CSV (the header is line 1 when it is the first line), the sheet's row number for a workbook.
//! [`choose_mapping`] finds which column holds each target field from the header names, French or English,
//! whatever their case, accents and punctuation; a saved mapping and the user's overrides come first. Then
//! [`read_customers`] and [`read_open_invoices`] check every row and return records, or every problem found as
//! `file:line: field: reason`.
//!
//! Slightly over 600 lines: reading a table (CSV or workbook) and choosing its mapping are one step the user sees
//! (the preview shows both); the fields' rules are in tabular/values.rs, the records in customers.rs and
//! invoices.rs, the unit tests in tabular/tests.rs.
//!
//! Choices worth knowing:
//! - CSV: UTF-8 with or without BOM, else Windows-1252 (a superset of Latin-1 for printable text). The
//!   separator is the most frequent of `;` `,` tab `|` in the header line outside quotes (ties in that order).
//! - Workbooks (.xlsx, .xlsm, .xls, .ods) are recognised by their content, not their name: the first sheet, or
//!   the one named. The header is the sheet's first non-empty row.
//! - Amounts: "15 000,50" (spaces, no-break spaces as thousands separators), "15000.50", "1.234,56", "1,234.56",
//!   with or without "€"/"EUR". A single separator followed by exactly three digits ("1,000", "1.500") is refused
//!   as ambiguous; more than two decimals are refused. Spreadsheet numbers are read from the cell's value.
//! - Dates: DD/MM/YYYY (also with - or .), DD/MM/YY, YYYY-MM-DD, YYYYMMDD and spreadsheet dates. Month-first
//!   (US) dates are not read: a French export never writes them.
//! - A mapped column is authoritative: an empty cell clears the field (terms back to the company default).

mod customers;
mod invoices;
mod values;

pub use customers::{read_customers, CustomerRecord, CUSTOMER_FIELDS};
pub use invoices::{read_open_invoices, OpenInvoiceRecord, INVOICE_FIELDS};
pub use values::{parse_amount, parse_date, parse_siren, parse_terms};

use crate::error::{ImportError, ImportErrors};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// How a CSV file's text was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Windows1252,
}

impl TextEncoding {
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// What the file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TableSource {
    Csv {
        encoding: TextEncoding,
        separator: char,
    },
    /// A workbook: "xlsx", "xls", "xlsb" or "ods", and the sheet read.
    Workbook {
        format: String,
        sheet: String,
    },
}

/// One data row: the number a person sees in the file and the cells in header order (trimmed, padded with "").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The file's name, used in errors.
    pub file: String,
    pub source: TableSource,
    pub header_line: usize,
    pub headers: Vec<String>,
    /// Non-empty rows after the header.
    pub rows: Vec<Row>,
}

fn one(file: &str, line: usize, field: &str, reason: impl Into<String>) -> ImportErrors {
    ImportErrors(vec![ImportError::new(file, line, field, reason)])
}

fn is_workbook(bytes: &[u8]) -> bool {
    // ZIP (xlsx, xlsm, xlsb, ods) or OLE compound document (xls).
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// A workbook's sheet names in order; empty for a CSV file or a workbook that cannot be opened. Read apart from
/// [`read_table`] so a screen can offer another sheet when the chosen one is refused.
pub fn workbook_sheets(bytes: &[u8]) -> Vec<String> {
    use calamine::Reader;
    if !is_workbook(bytes) {
        return Vec::new();
    }
    calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map(|book| book.sheet_names())
        .unwrap_or_default()
}

/// Reads a CSV file or a workbook (recognised by its content). `sheet` chooses a workbook's sheet by name
/// (the first one when absent); it is an error for a CSV file.
pub fn read_table(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    if is_workbook(bytes) {
        read_workbook(file, bytes, sheet)
    } else if let Some(reason) = crate::checks::not_text(bytes) {
        Err(ImportErrors(vec![crate::checks::not_text_error(file, reason)]))
    } else if let Some(s) = sheet {
        Err(one(file, 0, "sheet", format!("'{s}': a CSV file has no sheets")))
    } else {
        read_csv(file, bytes)
    }
}

/// The line where a quoted cell opens and never closes, if any. Quoting as the csv crate reads it (RFC 4180): a
/// quote opens a quoted cell only at the cell's start, `""` inside is one quote, the next quote closes it.
fn unclosed_quote(text: &str, separator: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let breaks = if text.contains('\n') { b'\n' } else { b'\r' };
    let (mut line, mut at_start, mut opened_on) = (1, true, None);
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == breaks {
            line += 1;
        }
        if opened_on.is_some() {
            if c == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    opened_on = None;
                    at_start = false;
                }
            }
        } else {
            if c == b'"' && at_start {
                opened_on = Some(line);
            }
            at_start = c == separator || c == b'\n' || c == b'\r';
        }
        i += 1;
    }
    opened_on
}

/// The most characters a mapped cell of `field` may hold (see [`crate::checks`]).
fn limit_of(field: &str) -> usize {
    use crate::checks::{EMAIL_MAX, IDENTIFIER_MAX, NAME_MAX, PHONE_MAX};
    match field {
        "email" => EMAIL_MAX,
        "phone" => PHONE_MAX,
        "key" | "number" | "customer" | "postal_code" | "siren" | "invoice_date" | "due_date" | "amount"
        | "paid" | "residual" | "credit_limit" => IDENTIFIER_MAX,
        _ => NAME_MAX,
    }
}

/// Checks every mapped cell of a row for control characters (line breaks are allowed in the address lines, a
/// cell an export may write on several lines) and for its field's length limit; `false` when one was refused.
pub(crate) fn check_row(
    file: &str,
    row: &Row,
    choices: &[FieldChoice],
    errors: &mut Vec<ImportError>,
) -> bool {
    let before = errors.len();
    for choice in choices {
        let Some(col) = choice.column else {
            continue;
        };
        let value = row.cells.get(col).map_or("", String::as_str);
        let field = choice.field;
        let line_breaks = matches!(field, "address" | "address2");
        if let Err((code, reason)) = crate::checks::check_text(value, limit_of(field), line_breaks) {
            errors.push(ImportError::new(file, row.line, field, reason).with_code(code));
        }
    }
    errors.len() == before
}

fn decode(bytes: &[u8]) -> (TextEncoding, Cow<'_, str>) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(s) = std::str::from_utf8(rest) {
            return (TextEncoding::Utf8Bom, Cow::Borrowed(s));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (TextEncoding::Utf8, Cow::Borrowed(s));
    }
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    (TextEncoding::Windows1252, s)
}

/// The most frequent candidate outside double quotes; ties go to the earlier candidate.
fn detect_separator(header: &str) -> Option<char> {
    const CANDIDATES: [char; 4] = [';', ',', '\t', '|'];
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for c in header.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = CANDIDATES.iter().position(|&s| s == c) {
                counts[i] += 1;
            }
        }
    }
    let (best, &n) = counts.iter().enumerate().rev().max_by_key(|(_, &n)| n)?;
    (n > 0).then_some(CANDIDATES[best])
}

fn read_csv(file: &str, bytes: &[u8]) -> Result<Table, ImportErrors> {
    let (encoding, text) = decode(bytes);
    let first = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty());
    let Some((_, header_text)) = first else {
        return Err(one(file, 1, "header", "the file is empty"));
    };
    let separator = detect_separator(header_text).ok_or_else(|| {
        one(
            file,
            1,
            "header",
            "no separator found in the header line (expected ; , tab or |)",
        )
    })?;
    if let Some(line) = unclosed_quote(&text, separator as u8) {
        return Err(ImportErrors(vec![ImportError::new(
            file,
            line,
            "record",
            "a quote opens a cell on this line and is never closed (the rest of the file would be read as one cell)",
        )
        .with_code(crate::error::ProblemCode::UnclosedQuote)]));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // The csv crate counts a record's line before it consumes the previous line ending (and skips blank lines):
    // the line a person sees is found from the record's first byte instead.
    let breaks = if text.contains('\n') { b'\n' } else { b'\r' };
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == breaks)
        .map(|(i, _)| i)
        .collect();
    let bytes_of_text = text.as_bytes();
    let line_at = |byte: u64| {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(bytes_of_text.len());
        while at < bytes_of_text.len() && matches!(bytes_of_text[at], b'\r' | b'\n') {
            at += 1;
        }
        1 + newlines.partition_point(|&n| n < at)
    };
    let mut errors = Vec::new();
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                errors.push(ImportError::new(file, line, "record", e.to_string()));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, |p| line_at(p.byte()));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => header = Some((line, cells)),
            Some((_, h)) => {
                if let Some(row) = fit_row(file, line, cells, h.len(), &mut errors) {
                    rows.push(row);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportErrors(errors));
    }
    let (header_line, headers) = header.ok_or_else(|| one(file, 1, "header", "the file is empty"))?;
    check_headers(file, header_line, &headers)?;
    Ok(Table {
        file: file.to_string(),
        source: TableSource::Csv { encoding, separator },
        header_line,
        headers,
        rows,
    })
}

/// Pads a short row; a row with more non-empty cells than the header has columns is an error.
fn fit_row(
    file: &str,
    line: usize,
    mut cells: Vec<String>,
    columns: usize,
    errors: &mut Vec<ImportError>,
) -> Option<Row> {
    if cells.len() > columns {
        if cells[columns..].iter().any(|c| !c.is_empty()) {
            errors.push(ImportError::new(
                file,
                line,
                "record",
                format!("{} fields, the header has {columns}", cells.len()),
            ));
            return None;
        }
        cells.truncate(columns);
    }
    cells.resize(columns, String::new());
    Some(Row { line, cells })
}

fn check_headers(file: &str, line: usize, headers: &[String]) -> Result<(), ImportErrors> {
    let errors: Vec<ImportError> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.is_empty())
        .map(|(i, _)| ImportError::new(file, line, "header", format!("column {} has no name", i + 1)))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ImportErrors(errors))
    }
}

/// A header without a row after it is refused by the records' readers: nothing to import, the file is probably
/// not the one meant (the table itself is read, so that a screen can show its header and offer another sheet).
pub(crate) fn no_rows(table: &Table) -> Result<(), ImportErrors> {
    if table.rows.is_empty() {
        Err(ImportErrors(vec![ImportError::new(
            &table.file,
            table.header_line,
            "file",
            "the file has a header but no row: nothing to import",
        )
        .with_code(crate::error::ProblemCode::EmptyFile)]))
    } else {
        Ok(())
    }
}

/// A spreadsheet number as text: integers without decimals, others with the shortest exact form; binary noise
/// from formulas (0.1 + 0.2) is cut at 9 decimals.
fn number_text(f: f64) -> String {
    let s = format!("{f}");
    match s.split_once('.') {
        Some((_, frac)) if frac.len() > 9 => {
            let t = format!("{f:.9}");
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        _ => s,
    }
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(d) if dt.is_datetime() => d.date().format("%Y-%m-%d").to_string(),
            _ => number_text(dt.as_f64()),
        },
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_workbook(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    use calamine::{Reader, Sheets};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| one(file, 0, "file", format!("not a readable workbook: {e}")))?;
    let format = match &book {
        Sheets::Xls(_) => "xls",
        Sheets::Xlsx(_) => "xlsx",
        Sheets::Xlsb(_) => "xlsb",
        Sheets::Ods(_) => "ods",
    };
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .cloned()
            .ok_or_else(|| {
                one(
                    file,
                    0,
                    "sheet",
                    format!("no sheet named '{wanted}' (sheets: {})", names.join(", ")),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| one(file, 0, "sheet", "the workbook has no sheet"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| one(file, 0, "sheet", format!("'{name}': {e}")))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut header: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let line = first_row as usize + i + 1;
        // Columns before the range's first are empty: keep positions as a person sees them.
        let mut cells: Vec<String> = vec![String::new(); first_col as usize];
        cells.extend(r.iter().map(cell_text));
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match &header {
            None => {
                while cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                // Leading empty columns are not columns of the table.
                header = Some((line, cells));
            }
            Some((_, h)) => {
                if let Some(row) = fit_row(file, line, cells, h.len(), &mut errors) {
                    rows.push(row);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportErrors(errors));
    }
    let (header_line, headers) =
        header.ok_or_else(|| one(file, 1, "header", format!("sheet '{name}' is empty")))?;
    // Drop leading empty columns (a table that starts in column B).
    let skip = headers.iter().take_while(|h| h.is_empty()).count();
    let headers: Vec<String> = headers[skip..].to_vec();
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|mut r| {
            r.cells.drain(..skip);
            r
        })
        .collect();
    check_headers(file, header_line, &headers)?;
    Ok(Table {
        file: file.to_string(),
        source: TableSource::Workbook {
            format: format.into(),
            sheet: name,
        },
        header_line,
        headers,
        rows,
    })
}

// -------------------------------------------------------------------------------------------------------------
// Column mapping

/// A field a file can fill, with the header names that mean it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub required: bool,
    pub aliases: &'static [&'static str],
}

/// Lower case, accents off, "N°" read as "no", every other non-alphanumeric character a single space.
pub fn normalize_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' | 'ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' | '°' | 'º' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ç' => "c",
            'ñ' => "n",
            'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        out.push_str(mapped);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a field got its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappedBy {
    /// Recognised from the header name.
    Detected,
    /// The mapping saved by the last import of a file with the same headers.
    Saved,
    /// Given by the user.
    User,
    /// No column.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChoice {
    pub field: &'static str,
    pub required: bool,
    /// The header as written in the file.
    pub header: Option<String>,
    /// Its position in the header.
    pub column: Option<usize>,
    pub by: MappedBy,
}

/// What is kept between imports: the file's headers (normalized) and the field → header choices.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SavedMapping {
    pub headers: Vec<String>,
    pub fields: BTreeMap<String, String>,
}

impl SavedMapping {
    pub fn from_choices(table: &Table, choices: &[FieldChoice]) -> SavedMapping {
        SavedMapping {
            headers: header_signature(&table.headers),
            fields: choices
                .iter()
                .filter_map(|c| c.header.clone().map(|h| (c.field.to_string(), h)))
                .collect(),
        }
    }

    /// Whether the table has the same headers (case, accents, punctuation and order aside).
    pub fn fits(&self, table: &Table) -> bool {
        self.headers == header_signature(&table.headers)
    }
}

fn header_signature(headers: &[String]) -> Vec<String> {
    let mut v: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    v.sort();
    v
}

fn find_header(headers: &[String], wanted: &str) -> Option<usize> {
    headers.iter().position(|h| h == wanted).or_else(|| {
        let n = normalize_header(wanted);
        headers.iter().position(|h| normalize_header(h) == n)
    })
}

/// Chooses a column for every field: the user's overrides (`field=Header`; `field=` leaves a field out), then the
/// saved mapping when it fits the file's headers, then the header names. Each column serves one field.
/// A required field without a column, an unknown field or a header absent from the file is an error.
pub fn choose_mapping(
    table: &Table,
    fields: &[Field],
    saved: Option<&SavedMapping>,
    overrides: &[(String, String)],
) -> Result<Vec<FieldChoice>, ImportErrors> {
    let (choices, errors) = map_columns(table, fields, saved, overrides);
    if errors.is_empty() {
        Ok(choices)
    } else {
        Err(ImportErrors(errors))
    }
}

/// As [`choose_mapping`], but the choices come back with the problems: every field, with the column it got or
/// none, so a screen can show the mapping of a file it refuses and let the user complete it.
pub fn map_columns(
    table: &Table,
    fields: &[Field],
    saved: Option<&SavedMapping>,
    overrides: &[(String, String)],
) -> (Vec<FieldChoice>, Vec<ImportError>) {
    let file = &table.file;
    let line = table.header_line;
    let mut errors = Vec::new();
    let mut choices: Vec<FieldChoice> = fields
        .iter()
        .map(|f| FieldChoice {
            field: f.name,
            required: f.required,
            header: None,
            column: None,
            by: MappedBy::None,
        })
        .collect();
    let mut taken = vec![false; table.headers.len()];
    let mut decided = vec![false; fields.len()];
    let known = || fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
    for (field, header) in overrides {
        let Some(i) = fields.iter().position(|f| f.name == field.trim()) else {
            errors.push(ImportError::new(
                file,
                0,
                "mapping",
                format!("unknown field '{field}' (fields: {})", known()),
            ));
            continue;
        };
        decided[i] = true;
        if header.trim().is_empty() {
            continue;
        }
        match find_header(&table.headers, header.trim()) {
            Some(col) => {
                taken[col] = true;
                choices[i].header = Some(table.headers[col].clone());
                choices[i].column = Some(col);
                choices[i].by = MappedBy::User;
            }
            None => errors.push(ImportError::new(
                file,
                line,
                fields[i].name,
                format!(
                    "no column '{header}' in the file (columns: {})",
                    table.headers.join(", ")
                ),
            )),
        }
    }
    if let Some(saved) = saved.filter(|s| s.fits(table)) {
        for (i, f) in fields.iter().enumerate() {
            if decided[i] {
                continue;
            }
            decided[i] = true;
            if let Some(col) = saved
                .fields
                .get(f.name)
                .and_then(|h| find_header(&table.headers, h))
                .filter(|&c| !taken[c])
            {
                taken[col] = true;
                choices[i].header = Some(table.headers[col].clone());
                choices[i].column = Some(col);
                choices[i].by = MappedBy::Saved;
            }
        }
    }
    let normalized: Vec<String> = table.headers.iter().map(|h| normalize_header(h)).collect();
    // Exact names first for every field, then headers that contain a long enough alias ("Adresse de facturation").
    for pass in 0..2 {
        for (i, f) in fields.iter().enumerate() {
            if decided[i] || choices[i].column.is_some() {
                continue;
            }
            let found = f.aliases.iter().find_map(|alias| {
                let a = normalize_header(alias);
                normalized.iter().enumerate().position(|(c, h)| {
                    !taken[c]
                        && if pass == 0 {
                            *h == a
                        } else {
                            a.len() >= 5 && format!(" {h} ").contains(&format!(" {a} "))
                        }
                })
            });
            if let Some(col) = found {
                taken[col] = true;
                choices[i].header = Some(table.headers[col].clone());
                choices[i].column = Some(col);
                choices[i].by = MappedBy::Detected;
            }
        }
    }
    for (i, f) in fields.iter().enumerate() {
        if f.required && choices[i].column.is_none() && !errors.iter().any(|e| e.field == f.name) {
            errors.push(ImportError::new(
                file,
                line,
                f.name,
                format!(
                    "no column found for this required field: map it to one of the columns of the file ({})",
                    table.headers.join(", ")
                ),
            ));
        }
    }
    (choices, errors)
}

/// Reads `field=Header` as the CLI takes it.
pub fn parse_override(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(f, h)| (f.trim().to_string(), h.trim().to_string()))
        .filter(|(f, _)| !f.is_empty())
        .ok_or_else(|| format!("'{s}' is not field=Header"))
}

/// Cells of one row by field name, through the mapping.
pub(crate) struct Cells<'a> {
    row: &'a Row,
    choices: &'a [FieldChoice],
}

impl<'a> Cells<'a> {
    pub(crate) fn new(row: &'a Row, choices: &'a [FieldChoice]) -> Self {
        Cells { row, choices }
    }

    /// `None` when the field has no column; `Some("")` for an empty cell.
    pub(crate) fn get(&self, field: &str) -> Option<&'a str> {
        let col = self.choices.iter().find(|c| c.field == field)?.column?;
        Some(self.row.cells.get(col).map_or("", String::as_str))
    }

    /// The cell's text when the field is mapped: `Some(None)` for an empty cell.
    pub(crate) fn text(&self, field: &str) -> Option<Option<String>> {
        self.get(field).map(|s| (!s.is_empty()).then(|| s.to_string()))
    }
}

#[cfg(test)]
mod tests;
