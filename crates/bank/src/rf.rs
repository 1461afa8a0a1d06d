//! ISO 11649 structured creditor references ("RF" + two check digits + up to 21 letters or digits), which
//! Encaisse prints on its letters, QR codes and emails so that the payment comes back with it.

/// The remainder modulo 97 of a text of letters and digits read as ISO 7064 does (A = 10 … Z = 35); other
/// characters are skipped.
pub fn mod97(s: &str) -> u32 {
    let mut r: u32 = 0;
    for c in s.chars().filter(char::is_ascii_alphanumeric) {
        let v = c.to_digit(36).unwrap_or(0);
        r = if v >= 10 {
            (r * 100 + v) % 97
        } else {
            (r * 10 + v) % 97
        };
    }
    r
}

/// The creditor reference of an id (a customer's key, a letter's number): its letters and digits, upper case,
/// after "RF" and the check digits. Refused when the id has no letter or digit or more than 21 of them.
pub fn rf_reference(id: &str) -> Result<String, String> {
    let body = crate::text::compact(id);
    if body.is_empty() || body.len() > 21 {
        return Err(format!(
            "'{id}' cannot be a creditor reference: it needs 1 to 21 letters or digits, it has {}",
            body.len()
        ));
    }
    let check = 98 - mod97(&format!("{body}RF00"));
    Ok(format!("RF{check:02}{body}"))
}

/// The reference printed in groups of four ("RF18 5390 0754 7034"), as ISO 11649 advises for paper.
pub fn rf_printed(reference: &str) -> String {
    let c = crate::text::compact(reference);
    c.as_bytes()
        .chunks(4)
        .map(|g| String::from_utf8_lossy(g).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a text is a valid creditor reference (spaces allowed, any case): RF, two digits, 1 to 21 letters or
/// digits, mod 97 = 1. Returns it compact and upper case.
pub fn rf_valid(s: &str) -> Option<String> {
    if s.chars().any(|c| !c.is_ascii_alphanumeric() && c != ' ') {
        return None;
    }
    let c = crate::text::compact(s);
    let ok = c.len() >= 5
        && c.len() <= 25
        && c.starts_with("RF")
        && c.as_bytes()[2].is_ascii_digit()
        && c.as_bytes()[3].is_ascii_digit()
        && mod97(&format!("{}{}", &c[4..], &c[..4])) == 1;
    ok.then_some(c)
}

/// The creditor references written in a text: "RF" and its check digits followed by letters and digits,
/// possibly in groups separated by spaces; the longest run of groups that checks is taken.
pub fn find_rf(text: &str) -> Vec<String> {
    let upper = text.to_ascii_uppercase();
    let tokens: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let mut found = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        let b = t.as_bytes();
        if !(t.starts_with("RF") && b.len() >= 4 && b[2].is_ascii_digit() && b[3].is_ascii_digit()) {
            continue;
        }
        let mut candidate = String::new();
        let mut best = None;
        for next in &tokens[i..] {
            candidate.push_str(next);
            if candidate.len() > 25 {
                break;
            }
            if let Some(v) = rf_valid(&candidate) {
                best = Some(v);
            }
        }
        if let Some(v) = best {
            if !found.contains(&v) {
                found.push(v);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iso_11649_example_checks() {
        // The standard's example: reference 539007547034 has check digits 18.
        assert_eq!(rf_reference("539007547034").unwrap(), "RF18539007547034");
        assert_eq!(rf_printed("RF18539007547034"), "RF18 5390 0754 7034");
        assert_eq!(
            rf_valid("rf18 5390 0754 7034").as_deref(),
            Some("RF18539007547034")
        );
        assert_eq!(rf_valid("RF19539007547034"), None);
        assert_eq!(rf_valid("RF18539007547035"), None);
        assert!(rf_reference("").is_err());
        assert!(rf_reference("ABCDEFGHIJKLMNOPQRSTUV").is_err());
    }

    #[test]
    fn generated_references_are_valid_and_found_in_text() {
        for id in ["C-0042", "dupont", "L2026/000123", "Z"] {
            let r = rf_reference(id).unwrap();
            assert_eq!(rf_valid(&r).as_deref(), Some(r.as_str()), "{id}");
            let text = format!("VIR SEPA PAIEMENT {} MERCI", rf_printed(&r));
            assert_eq!(find_rf(&text), vec![r.clone()], "{text}");
        }
        assert!(find_rf("RF12 is not one").is_empty());
    }
}
