//! Cell values as French (and English) exports write them: amounts, dates, SIREN, payment terms.

use super::normalize_header;
use chrono::NaiveDate;
use encaisse_domain::customer::siren_is_valid;
use encaisse_domain::Terms;
use rust_decimal::Decimal;
use std::str::FromStr;

/// An amount: "15 000,50", "15 000,50 €", "15000.50", "1.234,56", "1,234.56", "-12,5". Refuses a single
/// separator followed by exactly three digits ("1,000": a thousand or one?) and more than two decimals.
pub fn parse_amount(s: &str) -> Result<Decimal, String> {
    let original = s.trim();
    let bad = || format!("'{original}' is not an amount");
    let mut t: String = original
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '\'')
        .collect();
    for suffix in ["€", "EUR", "eur"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.to_string();
        }
        if let Some(rest) = t.strip_prefix(suffix) {
            t = rest.to_string();
        }
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    let (negative, body) = match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) if !negative => (true, inner.to_string()),
        _ => (negative, body),
    };
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
        return Err(bad());
    }
    let commas = body.matches(',').count();
    let dots = body.matches('.').count();
    let last_sep = body.rfind([',', '.']);
    let plain = match (commas, dots) {
        (0, 0) => body.clone(),
        (1, 0) | (0, 1) => {
            let i = last_sep.unwrap_or(0);
            if body.len() - i - 1 == 3 && i > 0 {
                return Err(format!(
                    "'{original}' is ambiguous: write 1000 or 1 000,00 for a thousand, 1,000 is not read"
                ));
            }
            body.replace(',', ".")
        }
        _ => {
            // Several separators: the last one is decimal if it differs from the others, else all are thousands.
            let i = last_sep.unwrap_or(0);
            let dec = body.as_bytes()[i];
            let other = if dec == b',' { '.' } else { ',' };
            let count_dec = body.bytes().filter(|&b| b == dec).count();
            let (int, frac) = if count_dec == 1 && body.contains(other) {
                (&body[..i], Some(&body[i + 1..]))
            } else {
                (body.as_str(), None)
            };
            let sep = if frac.is_some() { other } else { dec as char };
            let groups: Vec<&str> = int.split(sep).collect();
            let grouped = groups.len() > 1
                && !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3);
            if !grouped || int.contains(if sep == ',' { '.' } else { ',' }) {
                return Err(bad());
            }
            let int: String = groups.concat();
            match frac {
                Some(f) => format!("{int}.{f}"),
                None => int,
            }
        }
    };
    if plain.starts_with('.') || plain.ends_with('.') {
        return Err(bad());
    }
    let d = Decimal::from_str(&plain).map_err(|_| bad())?;
    if d.normalize().scale() > 2 {
        return Err(format!("'{original}' has more than two decimals"));
    }
    crate::checks::check_amount(if negative { -d } else { d }, original)
}

/// A date: DD/MM/YYYY (or with - or .), DD/MM/YY (20YY), YYYY-MM-DD (a spreadsheet's dates come so),
/// YYYYMMDD, YYYY-MM-DD HH:MM[:SS].
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let bad = || format!("'{t}' is not a date (expected DD/MM/YYYY or YYYY-MM-DD)");
    let t_date = t.split([' ', 'T']).next().unwrap_or(t);
    if t_date.len() == 8 && t_date.bytes().all(|b| b.is_ascii_digit()) {
        let date = NaiveDate::parse_from_str(t_date, "%Y%m%d").map_err(|_| bad())?;
        return crate::checks::check_date(date, t);
    }
    let parts: Vec<&str> = t_date.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else {
        let y = match parts[2].len() {
            4 => num(parts[2])?,
            2 => 2000 + num(parts[2])?,
            _ => return Err(bad()),
        };
        (y, num(parts[1])?, num(parts[0])?)
    };
    let y = i32::try_from(y).map_err(|_| bad())?;
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad)?;
    crate::checks::check_date(date, t)
}

/// A SIREN (9 digits, Luhn) or a SIRET (14 digits) whose first 9 are checked; spaces and dots are ignored.
pub fn parse_siren(s: &str) -> Result<String, String> {
    let t = s.trim();
    let digits: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '\u{a0}')
        .collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !(digits.len() == 9 || digits.len() == 14) {
        return Err(format!("'{t}' is not a SIREN (9 digits) or SIRET (14 digits)"));
    }
    let siren = &digits[..9];
    if !siren_is_valid(siren) {
        return Err(format!("'{t}' is not a valid SIREN (check digit)"));
    }
    Ok(siren.to_string())
}

/// Payment terms as people write them: "30", "30 jours", "30 jours net", "net 30", "45 jours fin de mois",
/// "45 j fdm", "fin de mois + 10", "fin de mois le 10", "fin de mois", "à réception", "comptant", in English too,
/// and the stored form (net:30, days_eom:45, eom_plus:10, on_receipt).
pub fn parse_terms(s: &str) -> Result<Terms, String> {
    let t = s.trim();
    if let Ok(terms) = t.parse::<Terms>() {
        return Ok(terms);
    }
    let bad = || {
        format!(
            "'{t}' is not a payment term (e.g. 30 jours, 45 jours fin de mois, fin de mois + 10, à réception)"
        )
    };
    let norm = normalize_header(&t.replace('+', " plus "));
    let words: Vec<&str> = norm.split_whitespace().collect();
    const RECEIPT: [&str; 7] = [
        "a reception",
        "reception",
        "comptant",
        "on receipt",
        "upon receipt",
        "immediate",
        "immediat",
    ];
    if RECEIPT.contains(&norm.as_str())
        || norm == "paiement comptant"
        || norm == "paiement a reception"
        || norm == "reception de facture"
        || norm == "a reception de facture"
        || norm == "due on receipt"
    {
        return Ok(Terms::OnReceipt);
    }
    // Find the end-of-month phrase and the number, in the order they come.
    let mut eom_at: Option<usize> = None;
    let mut number: Option<(usize, u32)> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let phrase = |p: &[&str]| words.len() >= i + p.len() && words[i..i + p.len()] == *p;
        if phrase(&["fin", "de", "mois"]) || phrase(&["end", "of", "month"]) {
            if eom_at.is_some() {
                return Err(bad());
            }
            eom_at = Some(i);
            i += 3;
            continue;
        }
        if matches!(w, "fdm" | "fm" | "eom") {
            if eom_at.is_some() {
                return Err(bad());
            }
            eom_at = Some(i);
        } else if let Ok(n) = w.parse::<u32>() {
            if number.is_some() {
                return Err(bad());
            }
            number = Some((i, n));
        } else if let Some(n) = w
            .strip_suffix('j')
            .or_else(|| w.strip_suffix('d'))
            .or_else(|| w.strip_prefix('n'))
            .and_then(|n| n.parse::<u32>().ok())
        {
            if number.is_some() {
                return Err(bad());
            }
            number = Some((i, n));
        } else if let Some(n) = w.strip_suffix("jfdm").and_then(|n| n.parse::<u32>().ok()) {
            if number.is_some() || eom_at.is_some() {
                return Err(bad());
            }
            number = Some((i, n));
            eom_at = Some(i + 1);
        } else if !matches!(
            w,
            "j" | "jour"
                | "jours"
                | "day"
                | "days"
                | "d"
                | "net"
                | "nets"
                | "nette"
                | "le"
                | "plus"
                | "a"
                | "de"
                | "date"
                | "facture"
                | "paiement"
                | "reglement"
                | "from"
                | "invoice"
                | "after"
                | "apres"
                | "the"
                | "on"
                | "et"
                | "and"
        ) {
            return Err(bad());
        }
        i += 1;
    }
    let terms = match (number, eom_at) {
        (Some((_, n)), None) => Terms::Net(n),
        (Some((ni, n)), Some(ei)) if ni < ei => Terms::DaysEndOfMonth(n),
        (Some((_, n)), Some(_)) => Terms::EndOfMonthPlus(n),
        (None, Some(_)) => Terms::EndOfMonthPlus(0),
        (None, None) => return Err(bad()),
    };
    match terms {
        Terms::Net(n) | Terms::DaysEndOfMonth(n) | Terms::EndOfMonthPlus(n) if n > 365 => {
            Err(format!("'{t}': {n} days is more than a year"))
        }
        Terms::Net(0) => Ok(Terms::OnReceipt),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("15 000,50"), Ok(dec!(15000.50)));
        assert_eq!(parse_amount("15\u{a0}000,50"), Ok(dec!(15000.50)));
        assert_eq!(parse_amount("15\u{202f}000,50 €"), Ok(dec!(15000.50)));
        assert_eq!(parse_amount("15000.50"), Ok(dec!(15000.50)));
        assert_eq!(parse_amount("1.234.567,89"), Ok(dec!(1234567.89)));
        assert_eq!(parse_amount("1,234.56"), Ok(dec!(1234.56)));
        assert_eq!(parse_amount("1,234,567"), Ok(dec!(1234567)));
        assert_eq!(parse_amount("-12,5"), Ok(dec!(-12.5)));
        assert_eq!(parse_amount("(12,50)"), Ok(dec!(-12.50)));
        assert_eq!(parse_amount("0"), Ok(dec!(0)));
        assert!(parse_amount("1,000").is_err());
        assert!(parse_amount("1.500").is_err());
        assert!(parse_amount("12,345,6").is_err());
        assert!(parse_amount("1,2345").is_err());
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("").is_err());
        assert!(parse_amount("1 0,5.3").is_err());
        assert!(parse_amount("12.").is_err());
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        for s in [
            "31/03/2026",
            "31-03-2026",
            "31.03.2026",
            "31/03/26",
            "2026-03-31",
            "20260331",
            "2026-03-31 00:00:00",
            "2026-03-31T00:00:00",
        ] {
            assert_eq!(parse_date(s), Ok(d), "{s}");
        }
        assert!(parse_date("31/02/2026").is_err());
        assert!(parse_date("03/31/2026").is_err());
        assert!(parse_date("mars").is_err());
    }

    #[test]
    fn sirens() {
        assert_eq!(parse_siren("732 829 320"), Ok("732829320".into()));
        assert_eq!(parse_siren("73282932000074"), Ok("732829320".into()));
        assert!(parse_siren("732829321").is_err());
        assert!(parse_siren("12345").is_err());
    }

    #[test]
    fn terms() {
        for (s, t) in [
            ("30", Terms::Net(30)),
            ("30 jours", Terms::Net(30)),
            ("30 jours net", Terms::Net(30)),
            ("Net 30", Terms::Net(30)),
            ("30j", Terms::Net(30)),
            ("60 days", Terms::Net(60)),
            ("45 jours fin de mois", Terms::DaysEndOfMonth(45)),
            ("45 j FDM", Terms::DaysEndOfMonth(45)),
            ("30 days end of month", Terms::DaysEndOfMonth(30)),
            ("fin de mois + 10", Terms::EndOfMonthPlus(10)),
            ("Fin de mois le 10", Terms::EndOfMonthPlus(10)),
            ("fin de mois + 45 jours", Terms::EndOfMonthPlus(45)),
            ("fin de mois", Terms::EndOfMonthPlus(0)),
            ("à réception", Terms::OnReceipt),
            ("A RECEPTION", Terms::OnReceipt),
            ("Comptant", Terms::OnReceipt),
            ("on receipt", Terms::OnReceipt),
            ("0", Terms::OnReceipt),
            ("net:30", Terms::Net(30)),
            ("days_eom:45", Terms::DaysEndOfMonth(45)),
        ] {
            assert_eq!(parse_terms(s), Ok(t), "{s}");
        }
        for s in ["bientôt", "30 45", "400 jours", "chèque", ""] {
            assert!(parse_terms(s).is_err(), "{s}");
        }
    }
}
