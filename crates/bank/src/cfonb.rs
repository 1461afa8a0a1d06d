//! CFONB "relevé de compte sur support informatique", 120 characters a record: 01 old balance, 04 movement,
//! 05 complement of the movement before it (qualifier at 46–48, text at 49–118), 07 new balance. Positions
//! (1-based) as the CFONB brochure gives them: bank 3–7, branch 12–16, currency 17–19, decimals count 20,
//! account 22–32, date 35–40 (DDMMYY), value date 43–48, label 49–79, amount 91–104 whose last character
//! carries the sign and the last digit ('{' and 'A'–'I' are +0…+9, '}' and 'J'–'R' are −0…−9), reference 105–120.

use crate::{entry, err, Format, Statement};
use chrono::NaiveDate;
use encaisse_import::{ImportError, ImportErrors};
use rust_decimal::Decimal;

const WIDTH: usize = 120;

/// Whether a text looks like CFONB 120: its first record is an 01 with a currency code at 17–19.
pub fn looks_like(t: &str) -> bool {
    let first = t.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let b = first.as_bytes();
    b.len() >= 91
        && first.starts_with("01")
        && b[16..19].iter().all(u8::is_ascii_uppercase)
        && b[19].is_ascii_digit()
}

/// The records with their line numbers: lines of at most 120 characters (trailing spaces may be cut), or one
/// long line of 120-character records (some banks send no line breaks).
fn records(text: &str) -> Vec<(usize, Vec<char>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    if lines.len() == 1 && lines[0].chars().count() > WIDTH && lines[0].chars().count().is_multiple_of(WIDTH)
    {
        let chars: Vec<char> = lines[0].chars().collect();
        for (i, c) in chars.chunks(WIDTH).enumerate() {
            out.push((i + 1, c.to_vec()));
        }
        return out;
    }
    for (i, l) in lines.iter().enumerate() {
        let l = l.trim_end_matches(['\r', '\u{1a}']);
        if l.trim().is_empty() {
            continue;
        }
        out.push((i + 1, l.chars().collect()));
    }
    out
}

struct Rec<'a> {
    file: &'a str,
    line: usize,
    chars: &'a [char],
}

impl Rec<'_> {
    /// Characters at 0-based [from, to), padded with spaces.
    fn get(&self, from: usize, to: usize) -> String {
        (from..to)
            .map(|i| self.chars.get(i).copied().unwrap_or(' '))
            .collect()
    }

    fn trimmed(&self, from: usize, to: usize) -> String {
        crate::text::collapse_spaces(&self.get(from, to))
    }

    fn fail(&self, field: &str, reason: impl Into<String>) -> ImportError {
        err(self.file, self.line, field, reason)
    }

    fn date(&self, from: usize, field: &str) -> Result<NaiveDate, ImportError> {
        let v = self.get(from, from + 6);
        let bad = || self.fail(field, format!("'{v}' is not a date (DDMMYY)"));
        if !v.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n = |i: usize| v[i..i + 2].parse::<u32>().unwrap_or(0);
        let year = if n(4) >= 80 { 1900 + n(4) } else { 2000 + n(4) };
        NaiveDate::from_ymd_opt(year as i32, n(2), n(0)).ok_or_else(bad)
    }

    fn decimals(&self) -> Result<u32, ImportError> {
        let c = self.get(19, 20);
        match c.parse::<u32>() {
            Ok(d) if d <= 4 => Ok(d),
            _ => Err(self.fail(
                "decimals",
                format!("'{c}' is not a number of decimals (position 20)"),
            )),
        }
    }

    /// The signed amount at 91–104.
    fn amount(&self, field: &str) -> Result<Decimal, ImportError> {
        let v = self.get(90, 104);
        let decimals = self.decimals()?;
        let chars: Vec<char> = v.chars().collect();
        let (digits, last) = (&chars[..13], chars[13]);
        let (sign, digit) = match last {
            '{' => (1, 0),
            'A'..='I' => (1, last as i128 - 'A' as i128 + 1),
            '}' => (-1, 0),
            'J'..='R' => (-1, last as i128 - 'J' as i128 + 1),
            _ => {
                return Err(self.fail(
                    field,
                    format!(
                    "'{v}': its last character '{last}' is not a CFONB sign ('{{', 'A'–'I', '}}', 'J'–'R')"
                ),
                ))
            }
        };
        // Some banks pad with spaces where the brochure says zeros.
        let digits: String = digits.iter().map(|&c| if c == ' ' { '0' } else { c }).collect();
        let digits_only = digits.bytes().all(|b| b.is_ascii_digit());
        let n: i128 = Some(digits)
            .filter(|_| digits_only)
            .ok_or(())
            .and_then(|d| d.parse().map_err(|_| ()))
            .map_err(|_| {
                self.fail(
                    field,
                    format!("'{v}' is not a CFONB amount (13 digits and a sign character)"),
                )
            })?;
        Ok(Decimal::from_i128_with_scale(sign * (n * 10 + digit), decimals))
    }
}

struct Open {
    statement: Statement,
    /// The account number (positions 22–32) every record of the statement must carry.
    number: String,
}

pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<Statement>, ImportErrors> {
    let text = crate::decode(bytes);
    let mut errors = Vec::new();
    let mut statements = Vec::new();
    let mut open: Option<Open> = None;
    let mut last_was_movement = false;
    for (line, chars) in records(&text) {
        let r = Rec {
            file,
            line,
            chars: &chars,
        };
        if chars.len() > WIDTH {
            errors.push(r.fail(
                "record",
                format!("{} characters, a CFONB record has 120", chars.len()),
            ));
            continue;
        }
        let code = r.get(0, 2);
        let account = r.trimmed(21, 32);
        if let Some(o) = &open {
            if matches!(code.as_str(), "04" | "05" | "07") && account != o.number {
                errors.push(r.fail(
                    "account",
                    format!("account '{account}' in the statement of account '{}'", o.number),
                ));
                continue;
            }
        }
        match code.as_str() {
            "01" => {
                if let Some(o) = open.take() {
                    errors.push(err(
                        file,
                        o.statement.line,
                        "record",
                        "this statement's 01 record has no 07 (new balance) record",
                    ));
                }
                let (date, amount) = (r.date(34, "date"), r.amount("amount"));
                match (date, amount) {
                    (Ok(date), Ok(amount)) => {
                        let (bank, branch) = (r.trimmed(2, 7), r.trimmed(11, 16));
                        open = Some(Open {
                            statement: Statement {
                                format: Format::Cfonb120,
                                account: account_id(&bank, &branch, &account),
                                statement_id: None,
                                currency: r.trimmed(16, 19),
                                from: date,
                                to: date,
                                opening: Some(amount),
                                closing: None,
                                entries: Vec::new(),
                                line,
                            },
                            number: account,
                        });
                    }
                    (d, a) => errors.extend(d.err().into_iter().chain(a.err())),
                }
                last_was_movement = false;
            }
            "04" => {
                let Some(o) = open.as_mut() else {
                    errors.push(r.fail(
                        "record",
                        "a movement (04) outside a statement (no 01 record before it)",
                    ));
                    continue;
                };
                let (date, value, amount) = (r.date(34, "date"), r.value_date(), r.amount("amount"));
                match (date, value, amount) {
                    (Ok(date), Ok(value), Ok(amount)) => {
                        let mut e = entry(line, date, amount);
                        e.value_date = value;
                        e.label = r.trimmed(48, 79);
                        let reference = r.trimmed(104, 120);
                        if !reference.is_empty() {
                            e.references.push(reference);
                        }
                        o.statement.entries.push(e);
                        last_was_movement = true;
                    }
                    (d, v, a) => {
                        errors.extend(d.err().into_iter().chain(v.err()).chain(a.err()));
                        last_was_movement = false;
                    }
                }
            }
            "05" => {
                let entry = open.as_mut().and_then(|o| o.statement.entries.last_mut());
                let Some(e) = entry.filter(|_| last_was_movement) else {
                    if errors.is_empty() {
                        errors.push(r.fail("record", "a complement (05) with no movement (04) before it"));
                    }
                    continue;
                };
                let info = r.trimmed(48, 118);
                if info.is_empty() {
                    continue;
                }
                let credit = e.amount > Decimal::ZERO;
                match r.get(45, 48).as_str() {
                    "NPY" if credit => e.counterparty_name = Some(info),
                    "NBE" if !credit => e.counterparty_name = Some(info),
                    "NPO" | "NBU" | "NPY" | "NBE" | "IPY" | "IBE" | "IPO" | "IBU" | "MMO" | "CBE" | "BDB" => {
                    }
                    // RCN: the payer's reference (35) and the purpose; REF: the operation's reference.
                    "RCN" => e.references.push(r.trimmed(48, 83)),
                    "REF" => e.references.push(info),
                    _ => e.remittance.push(info),
                }
            }
            "07" => {
                let Some(mut o) = open.take() else {
                    errors.push(r.fail("record", "a new balance (07) with no old balance (01) before it"));
                    continue;
                };
                match (r.date(34, "date"), r.amount("amount")) {
                    (Ok(date), Ok(amount)) => {
                        o.statement.to = date;
                        o.statement.closing = Some(amount);
                        statements.push(o.statement);
                    }
                    (d, a) => errors.extend(d.err().into_iter().chain(a.err())),
                }
                last_was_movement = false;
            }
            other => errors.push(r.fail(
                "record",
                format!("record type '{other}' is not a CFONB 120 record (01, 04, 05 or 07)"),
            )),
        }
    }
    if let Some(o) = open {
        errors.push(err(
            file,
            o.statement.line,
            "record",
            "this statement's 01 record has no 07 (new balance) record",
        ));
    }
    if statements.is_empty() && errors.is_empty() {
        errors.push(err(file, 0, "file", "the file holds no statement"));
    }
    if errors.is_empty() {
        Ok(statements)
    } else {
        Err(ImportErrors(errors))
    }
}

impl Rec<'_> {
    fn value_date(&self) -> Result<Option<NaiveDate>, ImportError> {
        if self.get(42, 48).trim().is_empty() {
            Ok(None)
        } else {
            self.date(42, "value_date").map(Some)
        }
    }
}

/// The French IBAN of a bank, branch and account (the RIB key computed), or the three codes as given when they
/// are not of RIB form (5 digits, 5 digits, 11 letters or digits).
fn account_id(bank: &str, branch: &str, account: &str) -> String {
    let rib_form = bank.len() == 5
        && branch.len() == 5
        && account.len() == 11
        && bank.bytes().chain(branch.bytes()).all(|b| b.is_ascii_digit())
        && account.bytes().all(|b| b.is_ascii_alphanumeric());
    if !rib_form {
        return format!("{bank} {branch} {account}");
    }
    // RIB key: letters of the account become digits (A,J→1 … I,R→9, S→2 … Z→9).
    let digits: String = account
        .to_ascii_uppercase()
        .chars()
        .map(|c| match c {
            'A'..='I' => char::from(b'1' + (c as u8 - b'A')),
            'J'..='R' => char::from(b'1' + (c as u8 - b'J')),
            'S'..='Z' => char::from(b'2' + (c as u8 - b'S')),
            d => d,
        })
        .collect();
    let n = |s: &str| s.parse::<u64>().unwrap_or(0);
    let key = 97 - (89 * n(bank) + 15 * n(branch) + 3 * n(&digits)) % 97;
    let bban = format!("{bank}{branch}{}{key:02}", account.to_ascii_uppercase());
    let check = 98 - crate::rf::mod97(&format!("{bban}FR00"));
    format!("FR{check:02}{bban}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_rib_becomes_its_iban() {
        let iban = super::account_id("30004", "00123", "00012345678");
        assert_eq!(iban.len(), 27);
        // The RIB key makes 89 × bank + 15 × branch + 3 × account + key a multiple of 97.
        let key: u64 = iban[25..].parse().unwrap();
        assert_eq!((89 * 30004 + 15 * 123 + 3 * 12_345_678 + key) % 97, 0, "{iban}");
        assert_eq!(super::account_id("30004", "00123", "ABC"), "30004 00123 ABC");
        assert_eq!(
            crate::rf::mod97(&format!("{}{}", &iban[4..], &iban[..4])),
            1,
            "{iban}"
        );
    }
}
