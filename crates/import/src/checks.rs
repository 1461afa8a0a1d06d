//! The rules every reader applies to what a file holds, whatever its format: a text file (not UTF-16, not
//! binary), text fields without control characters and within a stated length, dates within 1900–2100, amounts
//! within what the books can hold.
//!
//! The limits, in characters (Unicode scalar values, not bytes):
//! - [`IDENTIFIER_MAX`] (100): customer keys, account numbers, journal codes, entry and invoice numbers, piece
//!   references, lettering codes, postal codes, SIREN/SIRET as written;
//! - [`NAME_MAX`] (500): names (customers, accounts, buyers, sellers), labels, address lines, cities, segments,
//!   collectors, payment terms as written, payment references;
//! - [`EMAIL_MAX`] (254, the longest address SMTP carries) and [`PHONE_MAX`] (50).
//!
//! The screens, the letters and the reports are laid out for these limits (a letter cuts what its layout cannot
//! hold with an ellipsis).

use crate::error::{ImportError, ProblemCode};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub const IDENTIFIER_MAX: usize = 100;
pub const NAME_MAX: usize = 500;
pub const EMAIL_MAX: usize = 254;
pub const PHONE_MAX: usize = 50;

/// The first and the last date a file may hold.
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Amounts at or beyond 10^15 (a thousand billion euros) are refused: every sum of the books stays exact in
/// integer cents.
pub const AMOUNT_LIMIT: i64 = 1_000_000_000_000_000;

/// Why a file is not text, when it is not: UTF-16 or UTF-32 (with or without BOM), or binary content (more than one
/// byte in twenty, and at least 4, a control character other than tab, form feed and line breaks). Looks at the first 64 KiB.
pub fn not_text(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(1 << 16)];
    if head.starts_with(&[0xFF, 0xFE, 0, 0]) || head.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some("UTF-32 is not supported: save the file as UTF-8");
    }
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some(UTF16);
    }
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        // UTF-16 without BOM: text whose every other byte is NUL.
        let (even, odd) = head.chunks(2).fold((0, 0), |(e, o), c| {
            (e + usize::from(c[0] == 0), o + usize::from(c.get(1) == Some(&0)))
        });
        let pairs = head.len() / 2;
        if pairs >= 2 && (even * 10 >= pairs * 9 || odd * 10 >= pairs * 9) {
            return Some(UTF16);
        }
    }
    // A stray NUL or escape in a text file is refused where it is (line and field); many make a binary file.
    let controls = head
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    if controls >= 4 && controls * 20 > head.len() {
        return Some("not a text file: it holds binary content");
    }
    None
}

const UTF16: &str = "UTF-16 is not supported: save the file as UTF-8";

/// The refusal of a file that is not text ([`not_text`]), at line 0.
pub fn not_text_error(file: &str, reason: &str) -> ImportError {
    ImportError::new(file, 0, "file", reason).with_code(ProblemCode::NotText)
}

/// Checks a text field: no control character (line breaks only where `line_breaks` allows them), at most `limit`
/// characters. The error's reason names the character or the limit.
pub fn check_text(value: &str, limit: usize, line_breaks: bool) -> Result<(), (ProblemCode, String)> {
    // Fast path: ASCII without controls, short enough in bytes.
    if suspicious(value.as_bytes(), 0x20) {
        if let Some(c) = value
            .chars()
            .find(|c| c.is_control() && !(line_breaks && matches!(c, '\n' | '\r' | '\t')))
        {
            let reason = match c {
                '\n' | '\r' => "contains a line break: a quoted cell runs over several lines (is a closing quote missing?)".to_string(),
                '\0' => "contains a NUL character (U+0000)".to_string(),
                c => format!("contains the control character U+{:04X}", u32::from(c)),
            };
            return Err((ProblemCode::ControlCharacter, reason));
        }
    }
    if value.len() > limit {
        let n = value.chars().count();
        if n > limit {
            return Err((
                ProblemCode::TooLong,
                format!("is {n} characters long: at most {limit} are accepted"),
            ));
        }
    }
    Ok(())
}

/// Whether `bytes` hold a byte [`check_text`] looks closer at (a control character, DEL, or the lead byte of
/// U+0080–U+00BF, where the C1 controls are), `except` apart (a record's separator).
pub fn suspicious(bytes: &[u8], except: u8) -> bool {
    // Without short-circuit, so that the loop is vectorised.
    bytes.iter().fold(false, |found, &b| {
        found | (b != except && (b < 0x20 || b == 0x7F || b == 0xC2))
    })
}

/// [`check_text`] as an [`ImportError`] of `file`, `line`, `field`.
pub fn text_error(file: &str, line: usize, field: &str, value: &str, limit: usize) -> Option<ImportError> {
    check_text(value, limit, false)
        .err()
        .map(|(code, reason)| ImportError::new(file, line, field, reason).with_code(code))
}

/// A date within [`FIRST_DATE`]..=[`LAST_DATE`]; `written` is the date as the file wrote it.
pub fn check_date(date: NaiveDate, written: &str) -> Result<NaiveDate, String> {
    if (FIRST_DATE..=LAST_DATE).contains(&date) {
        Ok(date)
    } else {
        Err(format!(
            "'{written}' is outside the dates accepted (1900-01-01 to 2100-12-31)"
        ))
    }
}

/// An amount below [`AMOUNT_LIMIT`] in absolute value; `written` is the amount as the file wrote it.
pub fn check_amount(amount: Decimal, written: &str) -> Result<Decimal, String> {
    if amount.abs() < Decimal::from(AMOUNT_LIMIT) {
        Ok(amount)
    } else {
        Err(format!(
            "'{written}' is too large (at most 15 digits before the decimal point)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_and_the_others() {
        assert_eq!(not_text(b"a;b\n1;2\n"), None);
        assert_eq!(not_text("é;à\r\n".as_bytes()), None);
        assert_eq!(not_text(b""), None);
        let utf16: Vec<u8> = "Code;Nom\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(not_text(&utf16), Some(UTF16));
        let mut bom = vec![0xFF, 0xFE];
        bom.extend_from_slice(&utf16);
        assert_eq!(not_text(&bom), Some(UTF16));
        let be: Vec<u8> = "Code;Nom\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(not_text(&be), Some(UTF16));
        assert_eq!(not_text(b"a;b\x00c\n"), None);
        assert!(not_text(b"\x00\x01\x02\x03abcdefgh")
            .unwrap()
            .starts_with("not a text file"));
        let noise: Vec<u8> = (1u8..32).cycle().take(400).collect();
        assert!(not_text(&noise).unwrap().starts_with("not a text file"));
    }

    #[test]
    fn text_fields() {
        assert_eq!(check_text("Société Générale", NAME_MAX, false), Ok(()));
        let code = |v: &str| check_text(v, 10, false).unwrap_err().0;
        assert_eq!(code("a\0b"), ProblemCode::ControlCharacter);
        assert_eq!(code("a\u{1b}b"), ProblemCode::ControlCharacter);
        assert_eq!(code("a\u{85}b"), ProblemCode::ControlCharacter);
        assert_eq!(code("a\nb"), ProblemCode::ControlCharacter);
        assert_eq!(check_text("a\nb", 10, true), Ok(()));
        assert_eq!(code("abcdefghijk"), ProblemCode::TooLong);
        assert_eq!(check_text("éééééééééé", 10, false), Ok(()));
        assert_eq!(
            check_text(&"X".repeat(3000), NAME_MAX, false).unwrap_err().1,
            "is 3000 characters long: at most 500 are accepted"
        );
    }

    #[test]
    fn dates_and_amounts_in_range() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert!(check_date(d(1900, 1, 1), "").is_ok());
        assert!(check_date(d(2100, 12, 31), "").is_ok());
        assert!(check_date(d(1899, 12, 31), "").is_err());
        assert!(check_date(d(0, 1, 1), "00000101")
            .unwrap_err()
            .contains("'00000101'"));
        assert!(check_amount(Decimal::new(99_999_999_999_999_999, 2), "").is_ok());
        assert!(check_amount(Decimal::from(AMOUNT_LIMIT), "").is_err());
        assert!(check_amount(-Decimal::from(AMOUNT_LIMIT), "").is_err());
    }
}
